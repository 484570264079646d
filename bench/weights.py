"""Page weights (``make bench-weights``): the bytes a first visit to a page transfers, its HTML and
every static file it references, against the targets.

Seeds a fresh SQLite database with the demo (``init-db``, ``seed-demo``: 3,000 activities, 800
incidents, 400 assessments), signs in as the demo accounts and fetches each page and its static
files through the app in-process (Flask's test client: nothing listens on a port), the way a
browser asking for ``br, gzip`` gets them, then as one that takes gzip only. A response counts
its body as sent plus its status line and headers. Pages themselves are sent uncompressed (see
app/static_files.py: BREACH), static files compressed.

Usage: ``python -m bench.weights [--write]``; ``--write`` puts the table in bench/RESULTS.md
between its markers (the Lighthouse scores beside it are written by hand).
"""

from __future__ import annotations

import argparse
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.results_md import RESULTS, put_section
from bench.run import KEPT, _app, _flask

#: (label, user or None, path, target in KB or None)
PAGES = [
    ("sign-in page", None, "/login", None),
    ("activity form", "vol.karasuu", "/activities/new", 60),
    ("dashboard, donor", "donor", "/dashboard", 400),
    ("dashboard, coordinator", "coord.kg", "/dashboard", 400),
]
START, END = KEPT, "<!-- page weights: end -->"
STATIC_REF = re.compile(r'(?:src|href)="(/static/[^"]+)"')


@dataclass
class Weight:
    page: int
    files: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return self.page + sum(size for _name, size in self.files)


def _sent(response) -> int:
    """Body bytes as sent, plus the status line and headers."""
    body = len(response.get_data())
    head = len(f"HTTP/1.1 {response.status}\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in response.headers)
    response.close()
    return body + head + 2


def measure(app, user: str | None, path: str, accept: str) -> Weight:
    client = app.test_client()
    if user:
        client.post("/login", data={"username": user, "password": "yntymak-demo"})
    response = client.get(path, headers={"Accept-Encoding": accept})
    assert response.status_code == 200, (path, response.status_code)
    html = response.get_data(as_text=True)
    page = _sent(response)
    files = []
    for url in dict.fromkeys(STATIC_REF.findall(html)):
        static = client.get(url.replace("&amp;", "&"), headers={"Accept-Encoding": accept})
        assert static.status_code == 200, url
        files.append((url.split("?")[0].removeprefix("/static/"), _sent(static)))
    return Weight(page, files)


def report(app) -> str:
    lines = [
        "| page | HTML KB | static files (KB as sent, Brotli) | total KB, Brotli | total KB, gzip only"
        " | target |",
        "|---|---:|---|---:|---:|---|",
    ]
    for label, user, path, target in PAGES:
        brotli = measure(app, user, path, "br, gzip")
        gzip = measure(app, user, path, "gzip")
        files = ", ".join(f"{name} {size / 1024:.1f}" for name, size in brotli.files)
        verdict = (
            "" if target is None else f"< {target} KB " + ("OK" if brotli.total < target * 1024 else "MISSED")
        )
        lines.append(
            f"| {label} (`{path}`) | {brotli.page / 1024:.1f} | {files} | {brotli.total / 1024:.1f} | "
            f"{gzip.total / 1024:.1f} | {verdict} |"
        )
    return "\n".join(
        [
            START,
            "## Page weights",
            "",
            f"`make bench-weights` on {date.today():%Y-%m-%d}: a first visit (empty cache) to each page of "
            "the demo (3,000 activities), its HTML and every static file it references, bodies as sent plus "
            "status line and headers. Later visits fetch no static file at all: their URLs carry the "
            "content's hash and are cached for a year (`immutable`). Browsers offer Brotli over HTTPS (and "
            "to localhost); a plain-HTTP address gets gzip, the last column.",
            "",
            *lines,
            END,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="Put the table in bench/RESULTS.md.")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="yntymak-weights-"))
    url = f"sqlite:///{workdir / 'weights.sqlite'}"
    print(f"Seeding the demo in {workdir} ...", flush=True)
    _flask(url, "init-db")
    _flask(url, "seed-demo", "--activities", "3000", "--incidents", "800", "--assessments", "400")
    app = _app(url)
    app.config["WTF_CSRF_ENABLED"] = False  # the bench signs in with a plain POST
    section = report(app)
    print(section)
    if args.write:
        put_section(section, START, END)
        print(f"Written to {RESULTS}")


if __name__ == "__main__":
    main()
