"""Static files: versioned URLs cached for a year, sent compressed.

- ``url_for('static', filename=...)`` adds ``?v=<hash of the file's content>``; a response to the
  URL of the current version is ``Cache-Control: public, max-age=31536000, immutable``, so a
  browser asks for it once until the file changes (and with it the URL). Any other request for a
  static file (no ``v``, or an old one) keeps Flask's ``no-cache`` with its ETag.
- A file shipped precompressed (``x.js.br``, ``x.js.gz`` beside ``x.js``, as the plotly bundle is:
  Brotli at its best level, made when the bundle is built) is sent as it is to a browser that
  accepts that encoding. Any other compressible file is compressed by Flask-Compress (Brotli or
  gzip) once per version and kept in memory.
- Pages are never compressed here: each carries a CSRF token beside text from the query string,
  the mix that lets an attacker guess the token from compressed sizes (BREACH). Their caching is
  their own, unchanged.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from flask import Flask, Response, current_app, request, send_from_directory
from flask_compress import Compress, DictCache
from werkzeug.security import safe_join

VERSION_ARG = "v"
#: Precompressed siblings, in the order they are preferred.
PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))


class StaticFiles:
    def __init__(self, app: Flask) -> None:
        self.folder = str(app.static_folder)
        self.max_age = int(app.config["STATIC_MAX_AGE"])
        self._versions: dict[str, tuple[tuple[int, int], str]] = {}
        app.config.setdefault("COMPRESS_CACHE_BACKEND", DictCache)
        app.config.setdefault("COMPRESS_CACHE_KEY", self._cache_key)
        self.compress = Compress()
        self.compress.init_app(app)

    def version(self, filename: str) -> str | None:
        """The first 12 hex digits of the SHA-256 of the file, or None when there is no such file."""
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            stat = Path(path).stat()
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        known = self._versions.get(filename)
        if known is None or known[0] != stamp:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
            known = self._versions[filename] = (stamp, digest)
        return known[1]

    def url_defaults(self, endpoint: str, values: dict) -> None:
        """``?v=<version>`` on every static URL the app builds."""
        if endpoint == "static" and "filename" in values and VERSION_ARG not in values:
            version = self.version(values["filename"])
            if version:
                values[VERSION_ARG] = version

    def _cache_key(self, req: object) -> str:
        filename = request.view_args.get("filename", "") if request.view_args else ""
        return f"{filename}@{self.version(filename)}"

    def _precompressed(self, filename: str) -> Response | None:
        for encoding, suffix in PRECOMPRESSED:
            if not request.accept_encodings[encoding]:
                continue
            path = safe_join(self.folder, filename + suffix)
            if path and Path(path).is_file():
                mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
                response = send_from_directory(self.folder, filename + suffix, mimetype=mimetype)
                response.headers["Content-Encoding"] = encoding
                return response
        return None

    def serve(self, filename: str) -> Response:
        """The ``static`` endpoint."""
        response = self._precompressed(filename)
        if response is None:
            response = current_app.send_static_file(filename)
            if response.status_code == 200 and not request.range:
                # Read the file (so it is compressed once, then served from the cache); without
                # direct passthrough the file is closed when the response is.
                response.make_sequence()
                response.direct_passthrough = False
                response = self.compress.after_request(response)
        response.vary.add("Accept-Encoding")
        current = self.version(filename)
        if current and request.args.get(VERSION_ARG) == current and response.status_code in (200, 304):
            response.headers["Cache-Control"] = f"public, max-age={self.max_age}, immutable"
            response.headers.pop("Expires", None)
        return response


def init_static(app: Flask) -> StaticFiles:
    files = StaticFiles(app)
    app.url_defaults(files.url_defaults)
    app.view_functions["static"] = files.serve
    app.extensions["static_files"] = files
    return files
