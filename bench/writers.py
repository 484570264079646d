"""Record-sheet writers compared (issue 14): the same rows of record cells, written by each.

The rows are made in memory as an iterator, the same in every process: the 24 columns of the
Activities sheet (record id, date, region, district, community, organisation, activity type,
recommendations, target groups, drivers, 8 counts and their total, first-time participants, review
status, partners, outcome, follow-up), Russian place names and labels, free texts of 0 to ~300
characters, some with ``& < >``, line breaks or a formula-like start, some cells empty. Writers:

- ``rowstream``: what the app ships, :class:`reports.row_stream.RowStream` with the coordinator's
  sheet setup (:func:`reports.row_stream.record_sheets`: widths, print setup and page frame,
  styled header, frozen panes, auto-filter), in an openpyxl write-only workbook;
- ``openpyxl``: openpyxl write-only (lxml), ``append`` per row;
- ``xlsxwriter``: XlsxWriter with ``constant_memory`` (``write_row`` per row);
- ``pyexcelerate``: pyexcelerate (it takes the whole sheet as a list: not streamed);
- ``floor``: a bare zipfile-plus-XML dump of the same cells (:mod:`bench.xlsx_floor`), the five
  parts an xlsx needs and one ``<c>`` element per cell, deflated as the others are (zlib's default
  level): what writing those cells costs at the least, in Python.

Every writer writes the same cells: text as inline or shared strings, numbers, dates with a date
format, formula-like text as a quote-prefixed string (pyexcelerate cannot: it writes those as plain
strings), empty cells left out. ``none`` only makes the rows: what they cost, in every figure.

Each writer runs in a fresh process of its own (``--child``) so that its peak RSS is its own; it
reports wall and CPU seconds, ``ru_maxrss``, and the RSS before it started.

Usage: ``python -m bench.writers [--rows N] [--only NAME ...] [--keep DIR] [--write]``;
``--write`` puts the table in bench/RESULTS.md (its own section, which ``bench/run.py`` keeps).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRITERS = ("none", "rowstream", "openpyxl", "xlsxwriter", "pyexcelerate", "floor")
LIBRARIES = ("openpyxl", "xlsxwriter", "pyexcelerate")
TARGETS = {"library_speedup": 2.0, "floor_ratio": 2.0, "peak_mb": 150}
START, END = "<!-- record writers: start (bench/writers.py) -->", "<!-- record writers: end -->"

REGIONS = ["Ошская область", "Джалал-Абадская область", "Баткенская область", "Согдийская область"]
DISTRICTS = [
    f"{name} район" for name in ("Кара-Суйский", "Араванский", "Ноокатский", "Сузакский", "Ляйлякский")
]
COMMUNITIES = [f"Айыл {n}" for n in range(1, 61)]
ORGANISATIONS = [f"ОО «Ынтымак-{n}»" for n in range(1, 25)]
TYPES = [
    "Диалог в сообществе",
    "Тренинг для молодёжи",
    "Встреча с религиозными лидерами",
    "Спортивное мероприятие",
]
RECOMMENDATIONS = ["R6", "R6, R7", "R7", "R8", "R2, R6, R8", ""]
GROUPS = ["Молодёжь", "Молодёжь; Женщины", "Религиозные лидеры", "Мигранты и их семьи", "Женщины"]
DRIVERS = ["Безработица", "Несправедливость; Безработица", "", "Онлайн-пропаганда"]
STATUSES = ["Одобрено", "Одобрено", "Одобрено", "Отправлено"]
TEXT = (
    "встреча прошла в доме культуры, участники обсудили роль молодёжи & старейшин в профилактике "
    "конфликтов; договорились о следующей встрече <через месяц> и о работе с родителями."
)
HEADERS = [
    "Record ID", "Date", "Region", "District", "Community", "Organisation", "Activity type",
    "Recommendations", "Target groups", "Drivers addressed", "Female under 18", "Female 18-29",
    "Female 30-59", "Female 60+", "Male under 18", "Male 18-29", "Male 30-59", "Male 60+",
    "Participants", "First time", "Review status", "Partners", "Outcome", "Follow-up",
]  # fmt: skip


def _texts() -> list[str | None]:
    """Free texts: 0 to ~300 characters; a few with a line break or a formula-like start."""
    texts: list[str | None] = [None, "", "Нет"]
    words = TEXT.split()
    for n in range(1, 200):
        picked = [words[(n * 7 + i) % len(words)] for i in range(n * 37 % 45)]
        text = " ".join(picked).capitalize()
        if n % 17 == 0:
            text = "- " + text.replace(", ", "\n- ", 1)
        elif n % 29 == 0:
            text = text + "\r\nИтог: +3 участника"
        texts.append(text)
    return texts


def rows(n: int) -> Iterator[list]:
    """``n`` rows of record cells, the same every time (no random source: index arithmetic)."""
    texts, first = _texts(), date(2024, 1, 1)
    days = [first + timedelta(days=d) for d in range(800)]
    for i in range(n):
        counts = [(i * (k + 3)) % 13 for k in range(8)]
        yield [
            f"{i * 2654435761 % 2**32:08x}-{i % 65536:04x}-4{i % 4096:03x}-a{i % 4093:03x}-{i * 40503:012x}",
            days[i * 31 % 800],
            REGIONS[i % 4],
            DISTRICTS[i % 5],
            COMMUNITIES[i % 60],
            ORGANISATIONS[i % 24],
            TYPES[i % 4],
            RECOMMENDATIONS[i % 6],
            GROUPS[i % 5],
            DRIVERS[i % 4],
            *counts,
            sum(counts),
            i % 11 if i % 3 == 0 else None,
            STATUSES[i % 4],
            texts[i * 13 % len(texts)],
            texts[i * 7 % len(texts)],
            texts[i * 3 % len(texts)],
        ]


def _formula_like(value: object) -> bool:
    from reports.xlsx import FORMULA_PREFIXES

    return type(value) is str and value.startswith(FORMULA_PREFIXES)


# -- the writers -----------------------------------------------------------------------------------
def write_none(n: int, out: str) -> int:
    count = 0
    for _row in rows(n):
        count += 1
    Path(out).write_bytes(b"")
    return count


def write_rowstream(n: int, out: str) -> int:
    from openpyxl import Workbook

    from reports.record_columns import ACTIVITY_WIDTHS
    from reports.row_stream import RowStream, record_sheets
    from reports.xlsx import PageFrame, Sheet

    workbook = Workbook(write_only=True)
    frame = PageFrame("Yntymak", "1 января 2024 – 31 декабря 2025", "Страница &P из &N", "КОНФИДЕНЦИАЛЬНО")
    sheets = record_sheets(
        lambda name: Sheet(workbook, name, ACTIVITY_WIDTHS, frame=frame), "Activities", HEADERS
    )
    count = RowStream(sheets, len(HEADERS)).write(rows(n))
    workbook.save(out)
    return count


def write_openpyxl(n: int, out: str) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Activities")
    sheet.append(HEADERS)

    def quoted(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type, cell.quotePrefix = "s", True
        return cell

    count = 0
    for row in rows(n):
        sheet.append([quoted(v) if _formula_like(v) else v for v in row])
        count += 1
    workbook.save(out)
    return count


def write_xlsxwriter(n: int, out: str) -> int:
    import xlsxwriter

    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "default_date_format": "yyyy-mm-dd",
    }
    workbook = xlsxwriter.Workbook(out, options)
    workbook.use_zip64()  # a sheet of more than 4 GB unzipped, from ~2 million rows
    quoted = workbook.add_format({"quote_prefix": True})
    sheet = workbook.add_worksheet("Activities")
    sheet.write_row(0, 0, HEADERS)
    count = 0
    for r, row in enumerate(rows(n), start=1):
        if any(_formula_like(v) for v in row):
            for c, value in enumerate(row):
                if _formula_like(value):
                    sheet.write_string(r, c, value, quoted)
                else:
                    sheet.write(r, c, value)
        else:
            sheet.write_row(r, 0, row)
        count += 1
    workbook.close()
    return count


def write_pyexcelerate(n: int, out: str) -> int:
    from pyexcelerate import Format, Style, Workbook

    data = [HEADERS, *rows(n)]  # pyexcelerate takes the whole sheet at once
    workbook = Workbook()
    sheet = workbook.new_sheet("Activities", data=data)
    dated = Style(format=Format("yyyy-mm-dd"))  # given as data, dates get no format by themselves
    for r in range(2, len(data) + 1):
        sheet.set_cell_style(r, 2, dated)
    workbook.save(out)
    return len(data) - 1


def write_floor(n: int, out: str) -> int:
    from bench.xlsx_floor import dump

    return dump(rows(n), HEADERS, out)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def child(name: str, n: int, out: str) -> dict:
    """Run one writer in this process; return its figures."""
    if name == "rowstream":  # imports are not the writer's cost
        import reports.record_columns
        import reports.row_stream  # noqa: F401
    elif name in LIBRARIES:
        __import__(name)
    baseline = _rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    count = globals()[f"write_{name}"](n, out)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "name": name,
        "rows": count,
        "seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "baseline_mb": round(baseline, 1),
        "peak_mb": round(_rss_mb(), 1),
        "file_mb": round(os.path.getsize(out) / 2**20, 1),
    }


def _run(name: str, n: int, out: Path) -> dict:
    done = subprocess.run(  # noqa: S603  (our own interpreter and arguments)
        [sys.executable, "-m", "bench.writers", "--child", name, "--rows", str(n), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        return {"name": name, "error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _machine() -> str:
    import platform
    from importlib.metadata import version

    import openpyxl

    return (
        f"Python {platform.python_version()}, openpyxl {version('openpyxl')} (lxml "
        f"{'yes' if openpyxl.LXML else 'no'}), XlsxWriter {version('XlsxWriter')}, pyexcelerate "
        f"{version('pyexcelerate')}, {os.cpu_count()} CPUs, {platform.machine()}, load average "
        f"{os.getloadavg()[0]:.1f} at the start"
    )


def report(n: int, results: dict[str, dict]) -> str:
    ok = {k: r for k, r in results.items() if "error" not in r}
    gen = ok.get("none", {}).get("seconds", 0.0)
    lines = [
        f"### Record-sheet writers, {n:,} rows x {len(HEADERS)} columns ({date.today():%Y-%m-%d})",
        "",
        f"`python -m bench.writers --rows {n}`: {_machine()}. Each writer in a fresh process; "
        f"seconds include making the rows ({gen:.1f} s, the `none` line); net is without it.",
        "",
        "| writer | seconds | net s | CPU s | rows/s | peak RSS MB | growth MB | file MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in WRITERS:
        r = results.get(name)
        if r is None:
            continue
        if "error" in r:
            lines.append(f"| {name} | failed: {r['error']} | | | | | | |")
            continue
        rate = r["rows"] / r["seconds"] if r["seconds"] else 0
        seconds = f"{r['seconds']:.1f} | {r['seconds'] - gen:.1f} | {r['cpu_seconds']:.1f}"
        memory = f"{r['peak_mb']:.0f} | {r['peak_mb'] - r['baseline_mb']:.0f}"
        lines.append(f"| {name} | {seconds} | {rate:,.0f} | {memory} | {r['file_mb']:.1f} |")
    lines.append("")
    ours = ok.get("rowstream")
    libraries = [ok[k] for k in LIBRARIES if k in ok]
    if ours and libraries:
        fastest = min(libraries, key=lambda r: r["seconds"])
        speedup = fastest["seconds"] / ours["seconds"]
        net = (fastest["seconds"] - gen) / max(ours["seconds"] - gen, 1e-9)
        cpu = min(r["cpu_seconds"] for r in libraries) / ours["cpu_seconds"]
        verdict = "OK" if speedup >= TARGETS["library_speedup"] else "MISSED"
        lines.append(
            f"- fastest library ({fastest['name']}) / RowStream: {speedup:.2f}x, net {net:.2f}x, CPU "
            f"{cpu:.2f}x (target >= {TARGETS['library_speedup']}x) {verdict}"
        )
    if ours and "floor" in ok:
        floor = ok["floor"]
        ratio = ours["seconds"] / floor["seconds"]
        net = (ours["seconds"] - gen) / max(floor["seconds"] - gen, 1e-9)
        cpu = ours["cpu_seconds"] / floor["cpu_seconds"]
        lines.append(
            f"- RowStream / floor: {ratio:.2f}, net {net:.2f}, CPU {cpu:.2f} "
            f"(target <= {TARGETS['floor_ratio']})"
            f" {'OK' if ratio <= TARGETS['floor_ratio'] else 'MISSED'}"
        )
    if ours:
        peak = ours["peak_mb"]
        lines.append(
            f"- RowStream peak RSS: {peak:.0f} MB (target < {TARGETS['peak_mb']} MB)"
            f" {'OK' if peak < TARGETS['peak_mb'] else 'MISSED'}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--only", nargs="+", choices=WRITERS, help="Only these writers.")
    parser.add_argument("--keep", help="Keep the files in this directory.")
    parser.add_argument("--write", action="store_true", help="Put the table in bench/RESULTS.md.")
    parser.add_argument("--child", choices=WRITERS, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.rows, args.out)))
        return
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="yntymak-writers-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = {}
    for name in args.only or WRITERS:
        out = workdir / f"{name}.xlsx"
        results[name] = _run(name, args.rows, out)
        print(f"  {name:<12} {results[name]}", flush=True)
        if not args.keep:
            out.unlink(missing_ok=True)
    section = report(args.rows, results)
    print(section)
    if args.write:
        from bench.results_md import put_section

        put_section(f"{START}\n{section}\n{END}", START, END)


if __name__ == "__main__":
    main()
