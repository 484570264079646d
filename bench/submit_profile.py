"""Profile of the submission path (issue 14): what one entry costs the server, and where it goes.

Seeds a fresh SQLite database like the load benchmark (``bench/loadsetup.py``), builds the app
with the production configuration in this process (CSRF on), signs eight volunteers in through
the sign-in page and sends, through Flask's test client, a few hundred of each: the activity
form (GET), the form posted with its CSRF token and record UUID (POST, as a browser does), and
the JSON API (``PUT /api/v1/activities/<uuid>`` with the ``X-CSRFToken`` header). For each it
reports milliseconds per request (wall clock, this process only, no network), database
statements per request (a ``before_cursor_execute`` counter), and under cProfile the
cumulative time of each stage: the session and user loading, building the form, validation,
the record lifecycle, the audit event, the summary-table hook, rendering and the commit.

Usage: ``python -m bench.submit_profile [--n 300] [--statements] [--top N] [--no-summaries]
[--keep DIR] [--write]``; ``--write`` puts the tables in bench/RESULTS.md between its markers.
``--no-summaries`` detaches the summary-table hook (app/services/summaries.py) to show its cost.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

#: (label, file suffix, function name): cumulative time of the outermost matching call.
STAGES = (
    ("session and user loading", "app/services/accounts.py", "load_user"),
    ("session limits", "app/auth/sessions.py", "enforce_session_limits"),
    ("form building", "forms/entries.py", "__init__"),
    ("validation", "wtforms/form.py", "validate"),
    ("lifecycle.create", "app/services/lifecycle.py", "create"),
    ("  of it: rules on the values", "app/services/lifecycle.py", "_check_values"),
    ("  of it: closed month", "app/services/periods.py", "closed_month_of"),
    ("  of it: code lists", "app/services/record_values.py", "apply_values"),
    ("  of it: audit diff", "app/services/record_values.py", "snapshot"),
    ("  of it: audit event", "app/services/lifecycle.py", "_audit"),
    ("  of it: flush", "sqlalchemy/orm/session.py", "flush"),
    ("summary hook (before_flush)", "app/services/summaries.py", "_before_flush"),
    ("summary hook (after_flush)", "app/services/summaries.py", "_after_flush"),
    ("commit", "sqlalchemy/orm/session.py", "commit"),
    ("render_template", "flask/templating.py", "render_template"),
    ("whole request (wsgi_app)", "flask/app.py", "wsgi_app"),
)
START = "<!-- submission profile: start (bench/submit_profile.py) -->"
END = "<!-- submission profile: end -->"
#: How ``--top`` orders the functions (pstats key: tottime, cumulative).
SORT = os.environ.get("PROFILE_SORT", "tottime")
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|value="([^"]+)" name="csrf_token"')


def activity_values(communities: list[int], number: int) -> dict:
    """One believable activity as the form's fields (the API takes the same keys)."""
    return {
        "date": date.today().isoformat(),
        "community": str(communities[number % len(communities)]),
        "activity_type_code": ("dialogue", "training", "awareness")[number % 3],
        "target_groups": ["youth", "women"][: 1 + number % 2],
        "f_u18": "3",
        "f_18_29": "4",
        "f_30_59": "2",
        "f_60p": "0",
        "m_u18": "1",
        "m_18_29": "5",
        "m_30_59": "2",
        "m_60p": "1",
        "first_time_participants": "4",
        "drivers": ["unemployment"],
        "recommendations": ["R1", "R3"],
        "partners": "District youth centre",
        "outcome": "Young people agreed to meet again next month.",
        "follow_up": "",
    }


def api_body(values: dict) -> dict:
    body = {key: value for key, value in values.items() if value != ""}
    for key in ("f_u18", "f_18_29", "f_30_59", "f_60p", "m_u18", "m_18_29", "m_30_59", "m_60p"):
        body[key] = int(body[key])
    body["first_time_participants"] = int(body["first_time_participants"])
    body["status"] = "submitted"
    return body


def _app(url: str, workdir: Path):
    from app import create_app
    from config import ProductionConfig

    return create_app(
        ProductionConfig,
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "profile-" + uuid.uuid4().hex + uuid.uuid4().hex,
            "FORCE_HTTPS": False,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "HUEY_URL": f"sqlite:///{workdir / 'huey.sqlite'}",
            "EXPORT_DIR": str(workdir / "exports"),
        },
    )


def _token(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


class Volunteer:
    def __init__(self, app, username: str, password: str, communities: list[int]) -> None:
        self.client = app.test_client()
        self.anonymous = app.test_client()  # the trivial page, as a visitor not signed in
        self.communities = communities
        self.last_entry = ""  # where the last form POST was sent (the entry's page)
        page = self.client.get("/login").get_data(as_text=True)
        response = self.client.post(
            "/login", data={"username": username, "password": password, "csrf_token": _token(page)}
        )
        assert response.status_code in (302, 303), response.status_code
        self.api_token = self.client.get("/api/v1/session").get_json()["csrf_token"]
        self.form_token = _token(self.client.get("/activities/new").get_data(as_text=True))


def _form_get(vol: Volunteer, _number: int) -> int:
    return vol.client.get("/activities/new").status_code


def _form_post(vol: Volunteer, number: int) -> int:
    data = {
        **activity_values(vol.communities, number),
        "record_uuid": str(uuid.uuid4()),
        "submit": "Submit for review",
        "csrf_token": vol.form_token,
    }
    response = vol.client.post("/activities/new", data=data)
    vol.last_entry = response.headers.get("Location", vol.last_entry)
    return response.status_code


def _api_put(vol: Volunteer, number: int) -> int:
    body = api_body(activity_values(vol.communities, number))
    response = vol.client.put(
        f"/api/v1/activities/{uuid.uuid4()}", json=body, headers={"X-CSRFToken": vol.api_token}
    )
    return response.status_code


def _entry_get(vol: Volunteer, _number: int) -> int:
    return vol.client.get(vol.last_entry).status_code


def _forget_flashes(vol: Volunteer) -> None:
    """A browser follows the redirect and the next page shows (and drops) the message; the test
    client does not follow it, so the message is dropped here, outside the timing."""
    with vol.client.session_transaction() as session:
        session.pop("_flashes", None)


def _sign_in_page(vol: Volunteer, _number: int) -> int:
    return vol.anonymous.get("/login").status_code


PHASES = (
    ("sign-in page GET", _sign_in_page, 200),
    ("form GET", _form_get, 200),
    ("form POST", _form_post, 303),
    ("entry GET (after the POST)", _entry_get, 200),
    ("API PUT", _api_put, 201),
)


def _stage_times(profile: cProfile.Profile, n: int) -> list[tuple[str, float]]:
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    rows = []
    for label, suffix, name in STAGES:
        cumulative = [
            ct
            for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.items()
            if func == name and file.replace(os.sep, "/").endswith(suffix)
        ]
        rows.append((label, 1000 * max(cumulative, default=0.0) / n))
    return rows


def run(n: int, statements: bool, summaries: bool, top: int = 0, keep: str | None = None) -> str:
    from sqlalchemy import event

    from app.extensions import db
    from bench.loadsetup import LoadSetup, prepare

    workdir = Path(tempfile.mkdtemp(prefix="yntymak-profile-"))
    url = f"sqlite:///{workdir / 'profile.sqlite'}"
    seeded = Path(keep) if keep else workdir
    if not (seeded / "setup.json").exists():
        seeded.mkdir(parents=True, exist_ok=True)
        print(f"Seeding in {seeded} ...", flush=True)
        prepare(f"sqlite:///{seeded / 'seed.sqlite'}", volunteers=8, coordinators=0).write(
            seeded / "setup.json"
        )
    setup = LoadSetup.read(seeded / "setup.json")
    # every run starts alike; the backup API also takes what is still in the seed's write-ahead log
    with sqlite3.connect(seeded / "seed.sqlite") as source, sqlite3.connect(url[len("sqlite:///") :]) as copy:
        source.backup(copy)
    app = _app(url, workdir)
    if not summaries:
        from sqlalchemy.orm import Session

        from app.services import summaries as hook

        if event.contains(Session, "before_flush", hook._before_flush):
            event.remove(Session, "before_flush", hook._before_flush)
            event.remove(Session, "after_flush", hook._after_flush)
    seen: list[str] = []
    spent: dict[str, float] = {"summary": 0.0, "other": 0.0}
    started_at: list[float] = []

    def before(_conn, _cursor, statement, *_rest) -> None:
        seen.append(statement)
        started_at.append(time.perf_counter())

    def after(_conn, _cursor, statement, *_rest) -> None:
        which = "summary" if "summary_" in statement else "other"
        spent[which] += time.perf_counter() - started_at.pop()

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)
    volunteers = [Volunteer(app, a.username, setup.password, a.communities) for a in setup.volunteers]
    lines = [
        f"{n} requests of each, 8 signed-in volunteers, production config in-process (test client), "
        f"SQLite; summary hook {'on' if summaries else 'off'}; load average {os.getloadavg()[0]:.2f} "
        f"on {os.cpu_count()} CPUs.",
        "",
        "| request | ms / request (median) | mean | CPU ms / request | statements / request |"
        " of them summary tables | ms in the database driver: summary tables / other |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    profiles = {}
    samples: dict[str, Counter] = {}
    for label, send, expected in PHASES:
        for number in range(20):  # warm-up: caches, the first compile of each statement
            status = send(volunteers[number % 8], number)
            assert status == expected, (label, status)
            _forget_flashes(volunteers[number % 8])
        times, counts, summary_counts = [], [], []
        spent.update(summary=0.0, other=0.0)
        profile = cProfile.Profile()
        cpu = 0.0
        for number in range(n):
            first = len(seen)
            cpu_started = time.process_time()
            started = time.perf_counter()
            status = send(volunteers[number % 8], number)
            times.append(time.perf_counter() - started)
            cpu += time.process_time() - cpu_started
            counts.append(len(seen) - first)
            summary_counts.append(sum("summary_" in sql for sql in seen[first:]))
            assert status == expected, (label, status)
            if number == n // 2:
                samples[label] = Counter(seen[first:])
            _forget_flashes(volunteers[number % 8])
        in_driver = dict(spent)
        for number in range(n):  # a second pass under the profiler (it slows everything down)
            profile.enable()
            send(volunteers[number % 8], number)
            profile.disable()
            _forget_flashes(volunteers[number % 8])
        profiles[label] = profile
        lines.append(
            f"| {label} | {1000 * statistics.median(times):.1f} | {1000 * statistics.fmean(times):.1f} | "
            f"{1000 * cpu / n:.1f} | "
            f"{statistics.fmean(counts):.1f} | {statistics.fmean(summary_counts):.1f} | "
            f"{1000 * in_driver['summary'] / n:.1f} / {1000 * in_driver['other'] / n:.1f} |"
        )
    cpu_ms = {row.split(" | ")[0].lstrip("| "): float(row.split(" | ")[3]) for row in lines[4:]}
    lines += [
        "",
        "CPU of the sign-in page over CPU of a submission (the burst target needs 0.3 or more): "
        + ", ".join(
            f"{label} {cpu_ms['sign-in page GET'] / cpu_ms[label]:.2f}" for label in ("form POST", "API PUT")
        )
        + ".",
    ]
    lines += ["", "Cumulative ms per request under cProfile (inflated by the profiler; compare rows):", ""]
    header = "| stage | " + " | ".join(label for label, *_ in PHASES) + " |"
    lines += [header, "|---|" + "---:|" * len(PHASES)]
    stage_rows = {label: dict(_stage_times(profile, n)) for label, profile in profiles.items()}
    for stage, *_ in STAGES:
        lines.append(
            f"| {stage} | " + " | ".join(f"{stage_rows[label][stage]:.2f}" for label, *_ in PHASES) + " |"
        )
    if top:
        import io

        for label, profile in profiles.items():
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(SORT).print_stats(top)
            lines += ["", f"Top {top} functions of {label} by own time:", out.getvalue()]
    if statements:
        for label, counter in samples.items():
            lines += ["", f"Statements of one {label}:"]
            for sql, count in counter.most_common():
                lines.append(f"  {count} x {' '.join(sql.split())[:160]}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="Requests of each kind.")
    parser.add_argument("--statements", action="store_true", help="List one request's statements.")
    parser.add_argument("--no-summaries", action="store_true", help="Detach the summary-table hook.")
    parser.add_argument("--keep", help="Seed into this folder, or reuse the database seeded there.")
    parser.add_argument("--top", type=int, default=0, help="Also print the top N functions of a PUT.")
    parser.add_argument("--write", action="store_true", help="Put the tables in bench/RESULTS.md.")
    args = parser.parse_args()
    report = run(args.n, args.statements, not args.no_summaries, args.top, args.keep)
    print(report)
    if args.write:
        from bench.results_md import put_section

        tables = report.split("\n\nTop ")[0].split("\n\nStatements of one")[0]
        heading = f"## Submission path in one process ({date.today():%Y-%m-%d}, `bench/submit_profile.py`)"
        put_section(f"{START}\n{heading}\n\n{tables}\n{END}", START, END)


if __name__ == "__main__":
    main()
