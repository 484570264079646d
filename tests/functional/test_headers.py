"""Security headers on every page, no inline script or style the policy would refuse, no caching
of pages, HTTPS enforced in production."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from app import create_app
from app.vocabulary import Status
from config import ProductionConfig

from ..factories import PASSWORD
from ..pages import page_urls

STRONG_KEY = "k3y-" + "9f1c2e7a4b6d8053" * 4
#: The one response that is not no-store: the service worker is revalidated on every visit.
CACHING = {"/sw.js": "no-cache"}


def _directives(policy: str) -> dict[str, str]:
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1]
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


class _InlineCode(HTMLParser):
    """What a strict policy refuses: style attributes, handler attributes, inline scripts, <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if (
                name in ("href", "src", "action")
                and value
                and value.strip().lower().startswith("javascript:")
            ):
                self.found.append(f"<{tag} {name}=javascript:>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script":
            self._script = attributes

    def handle_data(self, data):
        script = self._script
        if (
            script is not None
            and data.strip()
            and "src" not in script
            and script.get("type") != "application/json"
        ):
            self.found.append(f"inline <script>: {data.strip()[:40]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def _sign_in(app, user):
    client = app.test_client()
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def every_page(app, db, make):
    """(client, url) for every GET page: entry pages as their volunteer, the rest as an admin."""
    organisation = make.organisation("KG-O-KSU", code="ORG-HDR")
    volunteer = make.user("volunteer", organisation=organisation)
    records = {
        "activities": make.activity(volunteer, status=Status.DRAFT),
        "incidents": make.incident(volunteer, status=Status.DRAFT),
        "assessments": make.assessment(volunteer, status=Status.DRAFT),
    }
    admin = make.user("admin")
    db.session.commit()
    as_volunteer, as_admin = _sign_in(app, volunteer), _sign_in(app, admin)
    pages = [(app.test_client(), "/login")]
    for url in page_urls(app, records, admin, organisation):
        is_entry = url == "/" or url.split("/")[1] in records
        pages.append((as_volunteer if is_entry else as_admin, url))
    return pages


def test_every_page_sends_the_security_headers_and_is_not_cached(every_page):
    problems = []
    for client, url in every_page:
        response = client.get(url)
        assert response.status_code == 200, url
        headers = response.headers
        policy = _directives(headers.get("Content-Security-Policy", ""))
        expected = {
            "script-src": "'self'",
            "style-src": "'self'",
            "default-src": "'self'",
            "object-src": "'none'",
            "frame-ancestors": "'none'",
            "base-uri": "'none'",
            "form-action": "'self'",
        }
        wrong = {name: policy.get(name) for name, value in expected.items() if policy.get(name) != value}
        if wrong:
            problems.append(f"{url}: CSP {wrong}")
        for name, value in (
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("Cache-Control", CACHING.get(url, "no-store")),
        ):
            if headers.get(name) != value:
                problems.append(f"{url}: {name}={headers.get(name)!r}")
        if "Strict-Transport-Security" in headers:
            problems.append(f"{url}: HSTS over plain HTTP in development")
    assert problems == []


def test_no_page_has_inline_script_style_or_handlers(every_page):
    problems = []
    for client, url in every_page:
        response = client.get(url)
        if response.mimetype != "text/html":
            continue
        parser = _InlineCode()
        parser.feed(response.get_data(as_text=True))
        problems += [f"{url}: {found}" for found in parser.found]
    assert problems == []


def test_the_inline_code_check_finds_what_it_looks_for():
    parser = _InlineCode()
    parser.feed(
        '<div style="height: 3px"></div><a href="javascript:go()">x</a><button onclick="go()">'
        "<script>go()</script><style>p{}</style>"
        '<script type="application/json">{"a": 1}</script><script src="/s.js"></script>'
    )
    assert parser.found == [
        "<div style=...>",
        "<a href=javascript:>",
        "<button onclick=...>",
        "inline <script>: go()",
        "<style>",
    ]


def test_exports_and_error_pages_are_not_cached_either(app, db, make, login_as):
    admin = make.user("admin")
    db.session.commit()
    client = login_as(admin)
    assert client.get("/reports/export.xlsx").headers["Cache-Control"] == "no-store"
    missing = client.get("/activities/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert missing.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in missing.headers["Content-Security-Policy"]


def test_static_files_keep_their_long_cache(app, client):
    with app.test_request_context():
        from flask import url_for

        url = url_for("static", filename="css/app.css")
    response = client.get(url)
    response.get_data()
    response.close()  # a static file's response holds the file open until closed
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def production(tmp_path, monkeypatch):
    monkeypatch.delenv("FORCE_HTTPS", raising=False)
    app = create_app(
        ProductionConfig,
        {"SECRET_KEY": STRONG_KEY, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/prod.sqlite"},
    )
    return app


def test_production_sends_plain_http_to_https(production):
    response = production.test_client().get("/login", base_url="http://yntymak.example")
    assert response.status_code == 302
    assert response.headers["Location"] == "https://yntymak.example/login"


def test_production_sends_hsts_over_https_with_secure_cookies(production):
    response = production.test_client().get("/login", base_url="https://yntymak.example")
    assert response.status_code == 200
    hsts = response.headers["Strict-Transport-Security"]
    assert re.fullmatch(r"max-age=(\d+)", hsts) and int(hsts.split("=")[1]) >= 31536000
    session = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(session) == 1  # the sign-in form's CSRF token lives in the session
    assert "; Secure" in session[0] and "; HttpOnly" in session[0] and "; SameSite=Lax" in session[0]


def test_development_keeps_plain_http_and_its_cookies(app):
    """Talisman must not turn on Secure cookies where the app is served over plain HTTP."""
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
