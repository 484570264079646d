"""Security headers on every response, set by Flask-Talisman, and no caching of pages.

The Content-Security-Policy allows scripts, styles, fonts, requests and workers from this site
only: no inline ``<script>`` and no ``style="..."`` attribute anywhere (the dashboard sets chart
heights from JavaScript, plotly.js's rules come as a file). ``img-src data:`` is for the heatmap,
which plotly.js draws on a canvas and shows as a ``data:`` image. The page cannot be framed
(``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``), forms post only here, and links to
other sites carry no address of ours (``Referrer-Policy: same-origin``: record URLs hold UUIDs).

Pages are ``Cache-Control: no-store``, so a record page is not kept on a shared tablet or by a
proxy; a view that chose its own caching keeps it (static files: a year, by version).
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_talisman import Talisman

#: One source per directive; ``'self'`` is the site the page came from.
CONTENT_SECURITY_POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

#: Device features no page of ours uses.
PERMISSIONS_POLICY: dict[str, str] = {
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
}


def init_headers(app: Flask) -> None:
    """Talisman with our policy; HTTPS enforced (redirect and HSTS) when ``FORCE_HTTPS`` is set."""
    https = bool(app.config["FORCE_HTTPS"])
    # One Talisman per app: it keeps its settings on itself, not on the app.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=https,
        strict_transport_security=https,
        strict_transport_security_include_subdomains=False,  # the office's other hosts are not ours
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS_POLICY,
        # Talisman writes these into app.config: hand it back the values config.py chose.
        session_cookie_secure=bool(app.config.get("SESSION_COOKIE_SECURE")),
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
        session_cookie_http_only=True,
    )
    app.after_request(_no_store)


def _no_store(response: Response) -> Response:
    """Nothing is cached unless the view said otherwise (static files have their own rules)."""
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response
