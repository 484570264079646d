"""``/sw.js``, ``/manifest.webmanifest`` and ``/outbox``.

The service worker is served from the site root so that its scope is the whole site; it is
``no-cache`` (the browser asks for it again on every visit and so learns of a new version) and
carries the versioned URLs of the app shell it precaches, so a new static file makes a new worker.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Response, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from ..entries.routes import can_create
from ..kinds import KINDS
from ..translate import gettext as _
from . import bp

#: The service worker's source, beside this module (not under static/: it is served from "/").
WORKER_SOURCE = Path(__file__).with_name("sw.js")
#: Static files the service worker precaches: every script and style an offline page needs.
SHELL_FILES = (
    "css/app.css",
    "favicon.svg",
    "vendor/idb-8.0.4.umd.js",
    "js/outbox.js",
    "js/offline-app.js",
    "js/outbox-page.js",
    "js/entry-form.js",
    "js/entry-drafts.js",
    "js/entry-offline.js",
    "js/entry-organisation.js",
)


def shell_urls() -> list[str]:
    """The versioned URLs of the app shell (``?v=<hash>``), as the pages link them."""
    return [url_for("static", filename=name) for name in SHELL_FILES]


def offline_pages() -> list[str]:
    """The pages a signed-in user's tablet keeps for use without a connection: the outbox and the
    entry forms they may fill in (their communities and taxonomies, in their language). Never a
    record's page or a list."""
    pages = [url_for("offline.outbox")]
    if can_create(current_user):
        pages += [url_for("entries.new", kind=slug) for slug in KINDS]
    return pages


@bp.app_context_processor
def offline_helpers() -> dict:
    """``offline_pages()`` for base.html (called only for a signed-in user)."""
    return {"offline_pages": offline_pages}


@bp.get("/sw.js")
def service_worker() -> Response:
    """The service worker, with the app shell it precaches; always revalidated."""
    shell = shell_urls()
    version = hashlib.sha256(("\n".join(shell) + WORKER_SOURCE.read_text("utf-8")).encode()).hexdigest()[:12]
    config = {"version": version, "shell": shell, "outbox": url_for("offline.outbox")}
    source = f"self.YNTYMAK_OFFLINE = {json.dumps(config)};\n" + WORKER_SOURCE.read_text("utf-8")
    response = Response(source, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest, so the site can be installed on a tablet's home screen."""
    body = {
        "id": "/",
        "name": _("Community safety log"),
        "short_name": _("Safety log"),
        "description": _("Log activities, incidents and assessments, with or without a connection."),
        "lang": str(get_locale()).replace("_", "-"),
        "start_url": url_for("main.index"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d3b66",
        "icons": [
            {"src": url_for("static", filename="favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.get("/outbox")
@login_required
def outbox() -> str:
    """What waits on this device, what arrived and what was refused (drawn by outbox-page.js)."""
    return render_template("offline/outbox.html")
