"""Load benchmark of the served app (``make bench-load``): gunicorn with the production config, locust.

Seeds a fresh SQLite database in a temporary directory or the PostgreSQL of ``DATABASE_URL``
(``init-db``, a small ``seed-demo``, and 64 volunteers and 4 coordinators made by
``app.services.users.add_user``: bench/loadsetup.py),
starts ``gunicorn -w 4 wsgi:app`` (``--workers``) on 127.0.0.1 and a free port with
``YNTYMAK_CONFIG=production``
(a random SECRET_KEY; plain HTTP on loopback, so ``FORCE_HTTPS=0`` and ``SESSION_COOKIE_SECURE=0``;
limiter counts in ``memory://``), then runs locust headless (bench/locustfile.py), each phase a
bounded number of users for a bounded time, stopping by itself:

- steady: 64 volunteers sending 50 activities a second in all, half through the page (form GET,
  POST with its CSRF token and record UUID, the entry page it is sent to) and half through the
  JSON API (PUT), and 4 coordinators loading the dashboard and downloading this month's workbook;
- burst: 16 clients sending JSON submissions back to back;
- trivial: 16 clients loading the sign-in page back to back, the ceiling of the same server.

Each phase counts from the moment every client has signed in. Afterwards the database must hold
exactly the submissions the clients saw accepted (201, or 303 to the entry), each UUID once, with
one audit event each, and no other record by the load accounts.

Usage: ``python -m bench.load [--quick] [--write]``; ``--quick`` runs 15 s / 10 s / 10 s, ``--write``
puts the section in bench/RESULTS.md between its markers. With ``DATABASE_URL`` set (an empty
PostgreSQL database: ``make bench-load-pg`` starts a throwaway one) it runs on that database.
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import json
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench.loadsetup import PREFIX, LoadSetup, prepare
from bench.results_md import RESULTS, put_section
from bench.run import ROOT, _app
from config import Config


def markers(database: str) -> tuple[str, str]:
    """The section's markers in bench/RESULTS.md, one pair per database."""
    if database == "SQLite":  # the markers the first SQLite section was written with
        return "<!-- served app: start (bench/load.py) -->", "<!-- served app: end -->"
    return f"<!-- served app {database}: start (bench/load.py) -->", f"<!-- served app {database}: end -->"


TARGETS = {"submission_p95_ms": 100, "dashboard_p95_ms": 500, "burst_ratio": 0.3}
SUBMISSIONS = ("page: activity form (POST)", "API: PUT activity")
DASHBOARD = "coordinator: dashboard"
BURST = "API: PUT activity"
TRIVIAL = "trivial: sign-in page (GET)"
#: Seconds between locust's start and the load: its start-up, and one warm-up request per client.
WARMUP_BASE, WARMUP_PER_USER = 5.0, 0.05
#: The locust clients send the same (bench/locustfile.py): the session is bound to it.
LOAD_USER_AGENT = "yntymak-load/1"
HIDDEN_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]*)"')


@dataclass
class Phase:
    name: str
    classes: tuple[str, ...]
    users: int
    seconds: int
    env: dict = field(default_factory=dict)
    rows: list[dict] = field(default_factory=list)
    accepted: dict = field(default_factory=dict)
    refused: dict = field(default_factory=dict)
    server_cpu: float = 0.0
    #: CPUs locust itself kept busy while it measured (CPU seconds a second).
    client_cpu: float = 0.0
    load_after: float = 0.0

    def row(self, name: str) -> dict | None:
        return next((r for r in self.rows if r["Name"] == name), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(url: str, workdir: Path) -> dict:
    """The production configuration, for plain HTTP on loopback."""
    return {
        **os.environ,
        "YNTYMAK_CONFIG": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": url,
        "FORCE_HTTPS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_STORAGE_URI": "memory://",
        # Only failed sign-ins count against it; generous all the same, every client is 127.0.0.1.
        "SIGNIN_LIMIT_PER_ADDRESS": "10000 per 15 minutes",
        "HUEY_URL": f"sqlite:///{workdir / 'huey.sqlite'}",
        "EXPORT_DIR": str(workdir / "exports"),
    }


def start_server(url: str, workdir: Path, port: int, workers: int) -> subprocess.Popen:
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115  (open for the server's life)
    server = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--error-logfile",
            "-",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=server_env(url, workdir),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped: see {workdir / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """User + system CPU of gunicorn's master and workers so far."""
    import psutil  # locust's dependency

    master = psutil.Process(server.pid)
    return sum(cpu_seconds(process) for process in [master, *master.children(recursive=True)])


def cpu_seconds(process: object) -> float:
    """User + system CPU of a running process (a pid or a ``psutil.Process``) so far; 0 once it
    has ended."""
    import psutil

    try:
        times = (process if isinstance(process, psutil.Process) else psutil.Process(process)).cpu_times()
    except psutil.NoSuchProcess:
        return 0.0
    return times.user + times.system


def sign_in_all(base: str, setup: LoadSetup, out: Path) -> None:
    """Sign every load account in through the sign-in page, one after another (each hashes its
    password with scrypt), and keep its cookies and API token for the locust clients."""
    sessions = {}
    for account in [*setup.volunteers, *setup.coordinators]:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = [("User-Agent", LOAD_USER_AGENT)]
        page = opener.open(f"{base}/login", timeout=60).read().decode()
        token = HIDDEN_TOKEN.search(page).group(1)
        form = urllib.parse.urlencode(
            {"username": account.username, "password": setup.password, "csrf_token": token}
        ).encode()
        with opener.open(f"{base}/login", data=form, timeout=60) as answer:
            if urllib.parse.urlsplit(answer.geturl()).path == "/login":
                raise SystemExit(f"{account.username} could not sign in")
        with opener.open(f"{base}/api/v1/session", timeout=60) as answer:
            api_token = json.loads(answer.read())["csrf_token"]
        sessions[account.username] = {
            "cookies": [{"name": c.name, "value": c.value, "domain": c.domain, "path": c.path} for c in jar],
            "api_token": api_token,
        }
    out.write_text(json.dumps(sessions))


def run_phase(
    phase: Phase, base: str, setup_file: Path, sessions: Path, workdir: Path, server: subprocess.Popen
) -> None:
    warmup = WARMUP_BASE + WARMUP_PER_USER * phase.users
    prefix = workdir / phase.name
    out = workdir / f"{phase.name}.json"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LOAD_SETUP": str(setup_file),
        "LOAD_SESSIONS": str(sessions),
        "LOAD_OUT": str(out),
        "LOAD_START": str(time.time() + warmup),
        **phase.env,
    }
    print(
        f"  {phase.name}: {phase.users} users, {phase.seconds} s (+{warmup:.0f} s to start) ...", flush=True
    )
    cpu_before = server_cpu_seconds(server)
    start = float(env["LOAD_START"])
    client = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(phase.users),
            "-r",
            str(phase.users),
            "-t",
            f"{int(warmup + phase.seconds)}s",
            "--stop-timeout",  # a client finishes the submission it is sending, however slow
            "120",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            *phase.classes,
        ],
        cwd=ROOT,
        env=env,
        stdout=open(workdir / f"{phase.name}.locust.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    # locust's own CPU over the measured seconds (it shares the machine's CPUs with the server)
    time.sleep(max(0.0, start - time.time()))
    client_before, measured_from = cpu_seconds(client.pid), time.time()
    time.sleep(max(0.0, start + phase.seconds - 1 - time.time()))
    client_after, measured_to = cpu_seconds(client.pid), time.time()
    phase.client_cpu = max(0.0, client_after - client_before) / max(measured_to - measured_from, 1.0)
    client.wait()
    phase.server_cpu = server_cpu_seconds(server) - cpu_before
    phase.load_after = os.getloadavg()[0]
    with open(f"{prefix}_stats.csv", newline="") as stats:
        phase.rows = list(csv.DictReader(stats))
    result = json.loads(out.read_text())
    phase.accepted, phase.refused = result["accepted"], result["refused"]


def check_records(url: str, accepted: set[str]) -> dict:
    """What the database holds of the load accounts, against what the clients saw accepted."""
    import uuid

    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Activity, AuditEvent, User

    app = _app(url)
    with app.app_context():
        stored = [
            str(u)
            for u in db.session.scalars(
                select(Activity.uuid)
                .join(User, Activity.author_id == User.id)
                .where(User.username.like(f"{PREFIX}%"))
            )
        ]
        wanted = [uuid.UUID(u) for u in accepted]
        audited: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = db.session.execute(
                select(AuditEvent.object_uuid, func.count())
                .where(AuditEvent.object_uuid.in_(chunk), AuditEvent.object_type == "activity")
                .group_by(AuditEvent.object_uuid)
            )
            audited.update({str(u): n for u, n in rows})
    counts: dict[str, int] = {}
    for u in stored:
        counts[u] = counts.get(u, 0) + 1
    return {
        "accepted": len(accepted),
        "stored": len(stored),
        "lost": len(accepted - set(stored)),
        "unexpected": len(set(stored) - accepted),
        "twice": sum(1 for n in counts.values() if n > 1),
        "audit_not_once": sum(1 for u in accepted if audited.get(u) != 1),
    }


def _ms(row: dict | None, column: str) -> float:
    return float(row[column]) if row and row.get(column) not in (None, "", "N/A") else float("nan")


def report(phases: list[Phase], check: dict, context: dict) -> str:
    steady, burst, trivial = phases
    start, end = markers(context["database"])
    lines = [
        start,
        f"## Served app under load ({context['database']})",
        "",
        f"`make bench-load` on {date.today():%Y-%m-%d}: gunicorn {context['gunicorn']} "
        f"(`-w {context['workers']}`, sync workers, "
        f"`YNTYMAK_CONFIG=production`, exports at nice +{context['niceness']}) on 127.0.0.1, "
        f"{context['database']}, locust {context['locust']} "
        "on the same machine "
        f"({os.cpu_count()} CPUs, Python {platform.python_version()}); the demo of 2,000 activities plus "
        "64 volunteers and 4 coordinators. Response times in ms as locust measures them (rounded to 10 ms "
        "above 100 ms, to 100 ms above 1 s). Server CPU: gunicorn's master and workers, CPU time per "
        "request. Page submissions follow the redirect to the entry, as a browser does.",
        "",
        f"Load average (1 min) before the run: {context['load_before']:.2f}"
        + (
            " -- **BUSY MACHINE: other work was running; absolute figures are low, compare ratios**"
            if context["busy"]
            else ""
        ),
        "",
        "| phase | endpoint | requests | req/s | p50 | p95 | p99 | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for phase in phases:
        for row in phase.rows:
            if row["Name"] == "Aggregated" or "(setup)" in row["Name"]:
                continue
            cells = [
                f"{phase.name} ({phase.users} users, {phase.seconds} s)",
                row["Name"],
                row["Request Count"],
                f"{float(row['Requests/s']):.1f}",
                row["50%"],
                row["95%"],
                row["99%"],
                row["Failure Count"],
            ]
            lines.append("| " + " | ".join(cells) + " |")
    per_phase = []
    for phase in phases:
        total = sum(int(r["Request Count"]) for r in phase.rows if r["Name"] != "Aggregated")
        per_phase.append(
            f"{phase.name}: {1000 * phase.server_cpu / max(total, 1):.1f} ms CPU per request, "
            f"locust {phase.client_cpu:.2f} of the {os.cpu_count()} CPUs, "
            f"load average {phase.load_after:.2f} at its end"
        )
    submissions = [steady.row(name) for name in SUBMISSIONS]
    p95 = max(_ms(r, "95%") for r in submissions)
    errors = sum(int(r["Failure Count"]) for r in steady.rows if r["Name"] != "Aggregated")
    dash_p95 = _ms(steady.row(DASHBOARD), "95%")
    burst_rate = float(burst.row(BURST)["Requests/s"]) if burst.row(BURST) else 0.0
    trivial_rate = float(trivial.row(TRIVIAL)["Requests/s"]) if trivial.row(TRIVIAL) else float("nan")
    ratio = burst_rate / trivial_rate if trivial_rate else float("nan")
    sound = all(check[k] == 0 for k in ("lost", "unexpected", "twice", "audit_not_once"))

    def verdict(ok: bool) -> str:
        return "OK" if ok else "MISSED"

    lines += [
        "",
        "Server CPU: " + "; ".join(per_phase) + ".",
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| steady: no errors | {errors} | {verdict(errors == 0)} |",
        f"| steady: submission p95 < {TARGETS['submission_p95_ms']} ms (page POST, API PUT) | "
        f"{' / '.join(r['95%'] if r else '-' for r in submissions)} ms | "
        f"{verdict(p95 < TARGETS['submission_p95_ms'])} |",
        f"| steady: dashboard p95 < {TARGETS['dashboard_p95_ms']} ms | {dash_p95:.0f} ms | "
        f"{verdict(dash_p95 < TARGETS['dashboard_p95_ms'])} |",
        f"| burst: JSON submissions/s >= {TARGETS['burst_ratio']}x the trivial page's | {burst_rate:.0f} / "
        f"{trivial_rate:.0f} = {ratio:.2f}x | {verdict(ratio >= TARGETS['burst_ratio'])} |",
        f"| nothing lost, nothing duplicated | {check['accepted']} accepted, {check['stored']} stored, "
        f"{check['lost']} lost, {check['unexpected']} unexpected, {check['twice']} twice, "
        f"{check['audit_not_once']} without exactly one audit event | {verdict(sound)} |",
        end,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="15 s steady, 10 s burst, 10 s trivial.")
    parser.add_argument("--write", action="store_true", help="Put the section in bench/RESULTS.md.")
    parser.add_argument("--volunteers", type=int, default=64)
    parser.add_argument("--coordinators", type=int, default=4)
    parser.add_argument("--rate", type=float, default=50.0, help="Steady submissions per second, in all.")
    parser.add_argument("--burst-users", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn sync workers (the README's production setting: 4)."
    )
    args = parser.parse_args()
    seconds = (15, 10, 10) if args.quick else (60, 30, 30)
    load_before = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="yntymak-load-"))
    # DATABASE_URL: a fresh, empty PostgreSQL database (make bench-load-pg makes a throwaway one)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'load.sqlite'}"
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"Seeding in {workdir} ...", flush=True)
    setup: LoadSetup = prepare(url, volunteers=args.volunteers, coordinators=args.coordinators)
    setup_file = workdir / "setup.json"
    setup.write(setup_file)
    port = free_port()
    server = start_server(url, workdir, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    sessions = workdir / "sessions.json"
    try:
        print("Signing the load accounts in ...", flush=True)
        sign_in_all(base, setup, sessions)
    except BaseException:
        server.terminate()
        raise
    phases = [
        Phase(
            "steady",
            ("Volunteer", "Coordinator"),
            args.volunteers + args.coordinators,
            seconds[0],
            {
                "LOAD_RATE": str(args.rate),
                "LOAD_VOLUNTEERS": str(args.volunteers),
                "LOAD_COORDINATORS": str(args.coordinators),
            },
        ),
        Phase("burst", ("Burst",), args.burst_users, seconds[1]),
        Phase("trivial", ("Visitor",), args.burst_users, seconds[2]),
    ]
    try:
        for phase in phases:
            run_phase(phase, base, setup_file, sessions, workdir, server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    accepted = {u for phase in phases for way in phase.accepted.values() for u in way}
    check = check_records(url, accepted)
    import gunicorn
    import locust

    context = {
        "gunicorn": gunicorn.__version__,
        "locust": locust.__version__,
        "load_before": load_before,
        "database": database,
        "busy": load_before > 1.0,
        "workers": args.workers,
        "niceness": Config.EXPORT_NICENESS,  # as the server read it: the same environment
    }
    section = report(phases, check, context)
    print(section)
    (workdir / "section.md").write_text(section)
    if args.write:
        put_section(section, *markers(database))
        print(f"Written to {RESULTS}")
    print(f"Logs and statistics in {workdir}")


if __name__ == "__main__":
    main()
