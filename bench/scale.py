"""Reports at scale (issue 14): the dashboard's aggregates and the donor workbook at two sizes.

Seeds a fresh database per size through the real ``init-db`` and ``seed-demo`` commands (SQLite
in a temporary directory, or a new PostgreSQL database beside ``DATABASE_URL`` when it is set),
timing the seed, then measures over one fixed period (the last twelve whole months, plus the
days of the current month: so the summaries and the records at an edge are both read):

- the dashboard's SQL aggregates (``reports.queries.dashboard_aggregates``) for a coordinator of
  a country, of a region and of one district, and for a donor;
- the donor workbook (``reports.excel.build_workbook``, every sheet);
- the same aggregates with the summaries switched off (records only), as the baseline of the
  same run.

Prints a table and the ratios the issue asks for: each aggregate under 500 ms at the larger
size, 10x the records costing under 2.5x the time, the donor workbook under 3 s.

Usage: ``python -m bench.scale [--sizes 100000,1000000] [--repeat 5] [--write]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bench.results_md import RESULTS, put_section

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS, TARGET_GROWTH, TARGET_WORKBOOK_S = 500, 2.5, 3.0


def _flask(url: str, *args: str) -> float:
    env = {**os.environ, "DATABASE_URL": url, "YNTYMAK_CONFIG": "development", "FLASK_SKIP_DOTENV": "1"}
    started = time.perf_counter()
    subprocess.run(  # noqa: S603  (our own interpreter and arguments)
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def _database(size: int, workdir: Path) -> str:
    """A new empty database for one size: a SQLite file, or a PostgreSQL database made here."""
    server = os.environ.get("DATABASE_URL")
    if not server:
        return f"sqlite:///{workdir / f'scale-{size}.sqlite'}"
    base = make_url(server)
    name = f"{base.database}_scale_{size}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _period(today: date) -> tuple[date, date]:
    first_this_month = today.replace(day=1)
    start = (first_this_month - timedelta(days=365)).replace(day=1)
    return start, today


def _median_ms(work, repeat: int) -> float:
    work()  # warm: the first run reads the pages from disk
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def measure(url: str, repeat: int) -> dict[str, float]:
    """Median milliseconds of each aggregate, with and without the summaries; the donor workbook."""
    from flask_babel import gettext

    from app import create_app
    from app.extensions import db
    from app.models import District, Region
    from config import DevelopmentConfig
    from reports import sources
    from reports.excel import build_workbook
    from reports.filters import resolve_filters
    from reports.queries import dashboard_aggregates

    app = create_app(DevelopmentConfig, {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-" + "x" * 24})
    figures: dict[str, float] = {}
    with app.app_context(), app.test_request_context():
        session = db.session
        start, end = _period(date.today())
        region = session.scalar(select(Region.code).where(Region.code == "KG-O"))
        district = session.scalar(
            select(District.code).where(District.code.like("KG-O-%")).order_by(District.code).limit(1)
        )
        cases = {
            "country (KG)": {"audience": "coordinator", "country": "KG"},
            f"region ({region})": {"audience": "coordinator", "region": region},
            f"district ({district})": {"audience": "coordinator", "district": district},
            "donor, country (KG)": {"audience": "donor", "country": "KG"},
        }
        for label, params in cases.items():
            filters = resolve_filters(session, date_from=start, date_to=end, **params)
            figures[label] = _median_ms(lambda f=filters: dashboard_aggregates(session, f), repeat)
            sources.USE_SUMMARIES = False
            try:
                figures[f"{label}, records only"] = _median_ms(
                    lambda f=filters: dashboard_aggregates(session, f), max(1, repeat // 2)
                )
            finally:
                sources.USE_SUMMARIES = True
        donor = resolve_filters(session, date_from=start, date_to=end, audience="donor")

        def workbook() -> None:
            build_workbook(session, donor, BytesIO(), gettext=gettext, locale="en")

        figures["donor workbook"] = _median_ms(workbook, max(1, repeat // 2))
    return figures


def _versions(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            database = conn.execute(text("SHOW server_version")).scalar_one().split()[0]
            database = f"PostgreSQL {database}"
        else:
            database = "SQLite " + conn.execute(text("select sqlite_version()")).scalar_one()
    engine.dispose()
    return f"Python {platform.python_version()}, {database}, {os.cpu_count()} CPUs"


def report(sizes: list[int], repeat: int) -> str:
    lines: list[str] = []
    results: dict[int, dict[str, float]] = {}
    seeds: dict[int, float] = {}
    versions = ""
    with tempfile.TemporaryDirectory() as workdir:
        for size in sizes:
            url = _database(size, Path(workdir))
            _flask(url, "init-db")
            seeds[size] = _flask(
                url,
                "seed-demo",
                "--activities",
                str(size),
                "--incidents",
                str(size * 3 // 10),
                "--assessments",
                str(size // 20),
                "--no-accounts",
            )
            # Measured in a fresh process: the seed's memory and caches are not the report's.
            out = subprocess.run(  # noqa: S603  (our own interpreter and arguments)
                [sys.executable, "-m", "bench.scale", "--measure", url, "--repeat", str(repeat)],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "YNTYMAK_CONFIG": "development"},
            ).stdout
            results[size] = {k: float(v) for k, v in (line.split("\t") for line in out.strip().splitlines())}
            versions = _versions(url)
    small, large = min(sizes), max(sizes)
    lines.append(
        f"`python -m bench.scale` on {date.today().isoformat()}: {versions}. Records: activities, "
        "30 % as many incidents, 5 % as many assessments, over 24 months; period: the last twelve whole "
        "months and the days of this month. Medians in ms."
    )
    lines.append("")
    header = "| query | " + " | ".join(f"{size:,} activities" for size in sizes) + " | growth |"
    lines += [header, "|---|" + "---:|" * (len(sizes) + 1)]
    lines.append("| seed-demo (s) | " + " | ".join(f"{seeds[s]:.1f}" for s in sizes) + " | |")
    for name in results[small]:
        growth = results[large][name] / results[small][name] if results[small][name] else float("nan")
        lines.append(
            f"| {name} | " + " | ".join(f"{results[s][name]:,.1f}" for s in sizes) + f" | {growth:.2f}x |"
        )
    lines.append("")
    for name, value in results[large].items():
        if "records only" in name or name == "donor workbook":
            continue
        growth = value / results[small][name] if results[small][name] else float("nan")
        ok_ms = "OK" if value < TARGET_MS else "MISSED"
        ok_growth = "OK" if growth < TARGET_GROWTH else "MISSED"
        lines.append(
            f"- {name}: {value:,.1f} ms at {large:,} (target < {TARGET_MS}) {ok_ms}; "
            f"{large // small}x the records: {growth:.2f}x the time (target < {TARGET_GROWTH}x) {ok_growth}"
        )
    workbook_s = results[large]["donor workbook"] / 1000
    lines.append(
        f"- donor workbook: {workbook_s:.2f} s at {large:,} (target < {TARGET_WORKBOOK_S} s) "
        + ("OK" if workbook_s < TARGET_WORKBOOK_S else "MISSED")
    )
    return "\n".join(lines)


def write(section: str, database: str) -> None:
    """The section between its markers in bench/RESULTS.md (one per database)."""
    start, end = f"<!-- scale {database}: start -->", f"<!-- scale {database}: end -->"
    put_section(f"{start}\n## Reports at scale ({database})\n\n{section}\n{end}", start, end)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="Activities per run, comma-separated.")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="Put the table in bench/RESULTS.md.")
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        for name, value in measure(args.measure, args.repeat).items():
            print(f"{name}\t{value}")
        return
    sizes = sorted(int(size) for size in args.sizes.split(","))
    section = report(sizes, args.repeat)
    print(section)
    if args.write:
        database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
        write(section, database)
        print(f"Written to {RESULTS}")


if __name__ == "__main__":
    main()
