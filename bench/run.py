"""Report benchmark (``make bench``): dashboard aggregates and the full coordinator workbook.

Seeds a fresh SQLite database in a temporary directory (100,000 activities, 30,000 incidents)
through the real ``init-db`` and ``seed-demo`` commands, then measures, each contender in its own
process so that peak memory is its own:

- ours:   ``reports.excel.build_workbook`` for the coordinator audience (every sheet, formatted);
- floor:  the same activity and incident rows (same queries) dumped into an openpyxl write-only
          workbook with no formatting at all: what the rows cost to write;
- pandas: the same rows into DataFrames written with ``DataFrame.to_excel`` (what people write by
          hand).

With ``DATABASE_URL`` set to a PostgreSQL database (``make bench-pg`` starts a throwaway server),
the same runs on PostgreSQL, in a scratch database ``<name>_bench`` created beside it and dropped
afterwards (the database named is never touched); otherwise on SQLite. ``--scale`` times only the
seed, at a national programme's size (1,000,000 activities, 300,000 incidents, 50,000 assessments
unless given).

Usage: ``python -m bench.run [--activities N] [--incidents N] [--assessments N] [--scale] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.results_md import RESULTS, put_section

ROOT = Path(__file__).resolve().parents[1]
NOTES = """\
## Reading the figures

- Before (same machine, same day, before lxml and the changes below): our export 62.3 s, floor
  59.9 s, pandas 75.0 s (1.20x, MISSED); dashboard aggregates 940 / 980 ms (MISSED).
- lxml is in requirements.txt and openpyxl picks it up by itself. That speeds up openpyxl's XML,
  but openpyxl still makes a cell object, checks its type and works out its coordinate for every
  cell (~10 us a cell even in write-only mode), so the floor and pandas (which also keeps every
  cell in memory) stay slow: the "floor" is what openpyxl costs, not a bound on any writer.
- Our export writes the two record sheets (Activities, Incident records: nearly all the cells)
  itself (`reports.row_stream.RowStream`): openpyxl writes the sheet up to its header row (widths,
  frozen panes, header styles, auto-filter), then the rows go in as text, cell for cell what
  openpyxl writes (inline strings, numbers, dates in openpyxl's date style, formula-like text as
  a quote-prefixed string, illegal characters dropped), 1,000 rows at a time, so memory stays
  flat; past Excel's 1,048,576 rows a sheet goes on to "Activities (2)" and so on. The aggregate
  sheets still go through openpyxl cells. `python -m bench.writers` compares RowStream with the
  library writers and a bare XML-plus-deflate dump of the same cells.
- Dashboard aggregates: covering indexes (migration `a54a9a429a34`; activities date first, so
  grouping by day follows the index with no sort), `ANALYZE` after `init-db` and `seed-demo`, and
  cheaper passes: activities grouped by day (months and totals rolled up from at most one row a
  day), communities reached by one index probe per community (`EXISTS`) instead of a distinct
  count, recommendation counts as all links minus the links of the activities left out when the
  selection is most of the activities, `substr` rather than `strftime` for months on SQLite.
  What remains is mostly SQLite's sorter for GROUP BY (incident cube, driver means) and the eight
  sums over ~90,000 activities; the machine is shared, so runs vary by about +-30%.
"""
TARGETS = {"floor_ratio": 1.3, "pandas_speedup": 2.0, "peak_mb": 150, "dashboard_ms": 300}


def _app(url: str):
    from app import create_app
    from config import DevelopmentConfig

    return create_app(DevelopmentConfig, {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-" + "x" * 20})


def _filters(session, audience: str):
    from reports.filters import resolve_filters

    today = date.today()
    return resolve_filters(session, audience=audience, date_from=today - timedelta(days=800), date_to=today)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def contender(name: str, url: str, out: str) -> dict:
    """Run one contender in this process; return seconds and memory."""
    from app.extensions import db
    from reports import rows as record_rows

    app = _app(url)
    with app.app_context():
        filters = _filters(db.session, "coordinator")
        if name == "pandas":
            import pandas as pd  # imported before the baseline: its import is not the export's cost
        baseline = _peak_mb()
        started = time.perf_counter()
        if name == "ours":
            from flask_babel import gettext

            from reports.excel import build_workbook

            result = build_workbook(db.session, filters, out, gettext=gettext, locale="en")
            rows = result.counts["activity_rows"] + result.counts["incident_rows"]
        elif name == "floor":
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            rows = 0
            for title, fields, source in (
                ("Activities", record_rows.ACTIVITY_ROW_FIELDS, record_rows.activity_rows),
                ("Incidents", record_rows.INCIDENT_ROW_FIELDS, record_rows.incident_rows),
            ):
                sheet = workbook.create_sheet(title)
                sheet.append(list(fields))
                for row in source(db.session, filters):
                    sheet.append([str(row[0]), *row[1:]])
                    rows += 1
            workbook.save(out)
        else:
            rows = 0
            with pd.ExcelWriter(out, engine="openpyxl") as writer:
                for title, fields, source in (
                    ("Activities", record_rows.ACTIVITY_ROW_FIELDS, record_rows.activity_rows),
                    ("Incidents", record_rows.INCIDENT_ROW_FIELDS, record_rows.incident_rows),
                ):
                    frame = pd.DataFrame.from_records(
                        ([str(r[0]), *r[1:]] for r in source(db.session, filters)), columns=list(fields)
                    )
                    frame.to_excel(writer, sheet_name=title, index=False)
                    rows += len(frame)
        seconds = time.perf_counter() - started
    return {
        "name": name,
        "seconds": round(seconds, 2),
        "rows": rows,
        "baseline_mb": round(baseline, 1),
        "peak_mb": round(_peak_mb(), 1),
        "growth_mb": round(_peak_mb() - baseline, 1),
        "file_mb": round(os.path.getsize(out) / 2**20, 1),
    }


def dashboard_timings(url: str, repeat: int = 7) -> dict:
    """Median milliseconds of the dashboard's SQL aggregates, and of the whole figure build."""
    from flask_babel import gettext

    from app.extensions import db
    from reports import queries as q
    from reports.charts import build_dashboard

    app = _app(url)
    timings: dict[str, list[float]] = {}
    with app.test_request_context():
        for audience in ("coordinator", "donor"):
            filters = _filters(db.session, audience)
            for _ in range(repeat):
                started = time.perf_counter()
                q.dashboard_aggregates(db.session, filters)
                timings.setdefault(f"aggregates_{audience}", []).append(time.perf_counter() - started)
                started = time.perf_counter()
                build_dashboard(db.session, filters, gettext=gettext)
                timings.setdefault(f"dashboard_{audience}", []).append(time.perf_counter() - started)
    return {key: round(statistics.median(values) * 1000) for key, values in timings.items()}


def _flask(url: str, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" + "x" * 20,
        "YNTYMAK_CONFIG": "development",
    }
    done = subprocess.run(  # noqa: S603  (our own interpreter and arguments)
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""


def _run_contender(name: str, url: str, out: Path) -> dict:
    done = subprocess.run(  # noqa: S603  (our own interpreter and arguments)
        [sys.executable, "-m", "bench.run", "--contender", name, "--db", url, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _machine(url: str | None = None) -> str:
    import platform
    import sqlite3

    import openpyxl
    import pandas

    lxml = "yes" if openpyxl.LXML else "no"
    server = f"PostgreSQL {_pg_version(url)}, " if url and url.startswith("postgresql") else ""
    return (
        f"Python {platform.python_version()}, {server}SQLite {sqlite3.sqlite_version}, "
        f"openpyxl {openpyxl.__version__} (lxml {lxml}), pandas {pandas.__version__}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )


def _pg_version(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SHOW server_version")).scalar_one().split()[0]
    finally:
        engine.dispose()


def _database(workdir: Path, keep: bool) -> tuple[str, str]:
    """``(url, label)`` of a fresh database for the run, removed at exit unless kept: on the
    PostgreSQL server of ``DATABASE_URL`` a scratch database beside the one named, else SQLite."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgresql"):
        return f"sqlite:///{workdir / 'bench.sqlite'}", "SQLite"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(server)
    name = f"{base.database}_bench"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    if not keep:
        atexit.register(drop)
    return base.set(database=name).render_as_string(hide_password=False), f"PostgreSQL (database {name})"


def _seed(url: str, database: str, activities: int, incidents: int, assessments: int) -> float:
    """``init-db`` and ``seed-demo`` through the real commands, timed; returns the seed's seconds."""
    print(
        f"Seeding {activities:,} activities, {incidents:,} incidents and {assessments:,} assessments "
        f"into {database} (load {_load()}) ...",
        flush=True,
    )
    started = time.perf_counter()
    _flask(url, "init-db")
    ready = time.perf_counter()
    counts = {"activities": activities, "incidents": incidents, "assessments": assessments}
    added = _flask(url, "seed-demo", *(f"--{name}={n}" for name, n in counts.items()), "--no-accounts")
    done = time.perf_counter()
    own = added.rsplit(" in ", 1)[-1].rstrip(" s.")  # "Added ... in 81.3 s."
    print(
        f"  init-db {ready - started:.1f} s; seed-demo {done - ready:.1f} s, of which the records "
        f"{own} s (the rest: start-up, commit, summaries, ANALYZE); load {_load()}",
        flush=True,
    )
    return done - ready


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


#: Where the sections that others write begin (bench/weights.py, then the Lighthouse scores
#: written by hand): this script rewrites what comes before and keeps them.
KEPT = "<!-- page weights: start (bench/weights.py) -->"


def _kept_sections() -> str:
    text = RESULTS.read_text() if RESULTS.exists() else ""
    return "\n" + text[text.index(KEPT) :] if KEPT in text else ""


#: A PostgreSQL run's figures go between these, at the end of the file (a SQLite run keeps them).
PG_START, PG_END = "<!-- postgresql: start (bench/run.py) -->", "<!-- postgresql: end -->"


def _write_results(report: str, database: str) -> None:
    if not database.startswith("PostgreSQL"):
        RESULTS.write_text(report + _kept_sections())
        return
    figures = report.split("## Reading the figures")[0].rstrip()  # the notes are SQLite's
    figures = figures.replace("# Report benchmark", "## Report benchmark on PostgreSQL", 1)
    put_section(f"{PG_START}\n{figures}\n{PG_END}", PG_START, PG_END)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, help="default 100,000 (--scale: 1,000,000)")
    parser.add_argument("--incidents", type=int, help="default 30,000 (--scale: 300,000)")
    parser.add_argument("--assessments", type=int, help="default 5,000 (--scale: 50,000)")
    parser.add_argument("--scale", action="store_true", help="Time the seed only, by default at 1M records.")
    parser.add_argument("--keep", help="Keep the database and files in this directory.")
    parser.add_argument("--contender", choices=("ours", "floor", "pandas"), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="Print only; leave bench/RESULTS.md alone.")
    args = parser.parse_args()
    if args.contender:
        print(json.dumps(contender(args.contender, args.db, args.out)))
        return

    for name, usual, at_scale in (
        ("activities", 100_000, 1_000_000),
        ("incidents", 30_000, 300_000),
        ("assessments", 5_000, 50_000),
    ):
        if getattr(args, name) is None:
            setattr(args, name, at_scale if args.scale else usual)
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="yntymak-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if not args.keep:
        atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    url, database = _database(workdir, keep=bool(args.keep))
    print(f"{_machine(url)}.", flush=True)
    _seed(url, database, args.activities, args.incidents, args.assessments)
    if args.scale:
        return

    dashboard = dashboard_timings(url)
    print("Dashboard (median of 7, ms):", dashboard, flush=True)
    results = {}
    for name in ("ours", "floor", "pandas"):
        results[name] = _run_contender(name, url, workdir / f"{name}.xlsx")
        print(f"  {name:<7} {results[name]}", flush=True)

    ours, floor, pandas_ = results["ours"], results["floor"], results["pandas"]
    floor_ratio = ours["seconds"] / floor["seconds"]
    speedup = pandas_["seconds"] / ours["seconds"]
    table = [
        "| contender | seconds | x floor | rows | peak RSS MB | growth MB | file MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, label in (
        ("ours", "our export (all sheets, formatted)"),
        ("floor", "floor: openpyxl write-only, raw rows"),
        ("pandas", "pandas DataFrame.to_excel"),
    ):
        r = results[name]
        table.append(
            f"| {label} | {r['seconds']:.1f} | {r['seconds'] / floor['seconds']:.2f} | {r['rows']:,} | "
            f"{r['peak_mb']:.0f} | {r['growth_mb']:.0f} | {r['file_mb']:.1f} |"
        )
    slowest = max(dashboard["aggregates_coordinator"], dashboard["aggregates_donor"])
    verdicts = [
        f"- our export / floor: {floor_ratio:.2f} (target <= {TARGETS['floor_ratio']})"
        f" {'OK' if floor_ratio <= TARGETS['floor_ratio'] else 'MISSED'}",
        f"- pandas / our export: {speedup:.2f}x (target >= {TARGETS['pandas_speedup']}x)"
        f" {'OK' if speedup >= TARGETS['pandas_speedup'] else 'MISSED'}",
        f"- our peak RSS: {ours['peak_mb']:.0f} MB (target < {TARGETS['peak_mb']} MB)"
        f" {'OK' if ours['peak_mb'] < TARGETS['peak_mb'] else 'MISSED'}",
        f"- dashboard SQL aggregates: {dashboard['aggregates_coordinator']} ms coordinator, "
        f"{dashboard['aggregates_donor']} ms donor (target < {TARGETS['dashboard_ms']} ms)"
        f" {'OK' if slowest < TARGETS['dashboard_ms'] else 'MISSED'}",
        f"- whole dashboard build incl. Plotly figures: {dashboard['dashboard_coordinator']} ms coordinator, "
        f"{dashboard['dashboard_donor']} ms donor",
    ]
    report = "\n".join(
        [
            "# Report benchmark",
            "",
            f"`make bench` on {date.today():%Y-%m-%d}: {args.activities:,} activities, "
            f"{args.incidents:,} incidents, {args.assessments:,} assessments seeded with `seed-demo`; "
            f"{database.split(' (')[0]}; one run.",
            f"{_machine(url)}.",
            "",
            "Full coordinator workbook (every activity and incident, all periods), each contender in its own "
            "process. Peak RSS is the whole process (interpreter, Flask, SQLAlchemy included); growth is "
            "peak minus the RSS just before the export started.",
            "",
            *table,
            "",
            *verdicts,
            "",
            NOTES,
        ]
    )
    print(report)
    if not args.no_write:
        _write_results(report, database)
        print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
