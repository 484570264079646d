"""Static files: versioned URLs cached for a year, compressed when the browser accepts it, the
plotly bundle shipped precompressed (and equal to what it was compressed from); pages are neither
compressed nor cached longer than before."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest
from flask import url_for

from app.dashboard.routes import PLOTLY_BUNDLE

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


def _get(client, url: str, **headers: str):
    """The response, read and closed (a static file's is a file until then)."""
    response = client.get(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    response.get_data()
    response.close()
    return response


def _url(app, filename: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)


def test_static_urls_carry_the_hash_of_the_content(app):
    url = _url(app, "css/app.css")
    digest = hashlib.sha256((STATIC / "css" / "app.css").read_bytes()).hexdigest()[:12]
    assert url == f"/static/css/app.css?v={digest}"


@pytest.mark.parametrize("filename", ["css/app.css", "js/dashboard.js", "js/entry-form.js", PLOTLY_BUNDLE])
@pytest.mark.parametrize(("accept", "encoding"), [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("", None)])
def test_a_versioned_static_file_is_cached_for_a_year_and_compressed(client, app, filename, accept, encoding):
    headers = {"Accept_Encoding": accept} if accept else {}
    response = _get(client, _url(app, filename), **headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers.get("Content-Encoding") == encoding
    body = response.get_data()
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding](body)
    assert decoded == (STATIC / filename).read_bytes()
    if encoding:
        assert len(body) < len(decoded) / 2
    assert response.mimetype in ("text/css", "text/javascript")


def test_an_unversioned_or_old_url_is_not_cached_for_a_year(client, app):
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = _get(client, url, Accept_Encoding="br")
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")
        assert "max-age=31536000" not in response.headers.get("Cache-Control", "")


def test_a_static_file_is_revalidated_with_its_etag(client, app):
    url = _url(app, "css/app.css")
    first = _get(client, url, Accept_Encoding="br")
    again = _get(client, url, Accept_Encoding="br", If_None_Match=first.headers["ETag"])
    assert again.status_code == 304
    plain = _get(client, url)
    assert plain.headers["ETag"] != first.headers["ETag"]  # each encoding its own tag


def test_the_precompressed_bundle_is_what_it_was_compressed_from():
    """`make plotly-bundle` writes the .br and .gz beside the bundle; a bundle changed without them
    would be served stale to every browser."""
    bundle = (STATIC / PLOTLY_BUNDLE).read_bytes()
    assert brotli.decompress((STATIC / (PLOTLY_BUNDLE + ".br")).read_bytes()) == bundle
    assert gzip.decompress((STATIC / (PLOTLY_BUNDLE + ".gz")).read_bytes()) == bundle
    assert bundle.startswith(b"/*! plotly.js v4.1.1 (core + bar + heatmap)")
    # It sets plotly.js up only when dashboard.js asks (the first chart near the screen).
    assert b"\nwindow.YntymakPlotly = function () {" in bundle[:400]
    assert bundle.rstrip().endswith(b"return Plotly;\n};")
    assert (STATIC / "vendor" / "plotly-LICENSE.txt").read_text().startswith("MIT License")
    assert len(list((STATIC / "vendor").glob("plotly-*.min.js"))) == 1  # the dashboard's, no other


def test_the_bundle_is_sent_precompressed_not_compressed_again(client, app):
    response = _get(client, _url(app, PLOTLY_BUNDLE), Accept_Encoding="br")
    assert response.headers["Content-Encoding"] == "br"
    assert response.get_data() == (STATIC / (PLOTLY_BUNDLE + ".br")).read_bytes()
    assert int(response.headers["Content-Length"]) < 400 * 1024


@pytest.mark.parametrize(
    ("role", "path"), [("admin", "/dashboard"), ("volunteer", "/activities/new"), ("admin", "/")]
)
def test_pages_are_not_compressed_nor_cached_like_static_files(client, make, db, login_as, role, path):
    user = make.user(role)
    db.session.commit()
    login_as(user)
    response = client.get(path, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200, path
    assert "Content-Encoding" not in response.headers  # a CSRF token beside typed text: BREACH
    assert "immutable" not in response.headers.get("Cache-Control", "")
    sources = re.findall(r'(?:src|href)="(/static/[^"]+)"', response.get_data(as_text=True))
    assert sources
    for src in sources:
        assert re.search(r"\?v=[0-9a-f]{12}$", src), src


def test_the_sign_in_page_is_not_compressed(client):
    response = client.get("/login", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
