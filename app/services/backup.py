"""Backups and restores of the whole database, and the retention purge of free text.

SQLite: the online backup API (a consistent copy while the app runs). PostgreSQL: ``pg_dump`` and
``pg_restore`` in their custom format. A restore refuses to overwrite a database that holds
records or users unless told to (``force``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..kinds import KINDS
from ..models import User
from ..translate import gettext as _
from .lifecycle import purge_text


def _sqlite_path(engine: Engine) -> str:
    return make_url(str(engine.url)).database or ""


def _pg_args(engine: Engine) -> tuple[list[str], dict[str, str]]:
    """Connection options for the PostgreSQL tools (the password through the environment)."""
    url = engine.url
    args = ["--dbname", url.database or "", "--host", url.host or "127.0.0.1"]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = {"PGPASSWORD": url.password} if url.password else {}
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DomainError(_("%(tool)s is not installed: install the PostgreSQL client tools.", tool=name))
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 (a fixed tool with arguments we build)
        command, env={**os.environ, **env}, capture_output=True, text=True, check=False, timeout=3600
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or [""])[-1]
        raise DomainError(_("%(tool)s failed: %(error)s", tool=Path(command[0]).name, error=last))


def backup(engine: Engine, out: Path) -> Path:
    """Write a consistent copy of the database to ``out``."""
    out = Path(out)
    if out.exists():
        raise DomainError(_("%(path)s exists already: choose a new file name.", path=str(out)))
    out.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(_sqlite_path(engine))
        target = sqlite3.connect(out)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return out
    args, env = _pg_args(engine)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(out), *args], env)
    return out


def is_empty(session: Session) -> bool:
    """No records and no users: nothing a restore could overwrite."""
    if not inspect(session.get_bind()).has_table("users"):
        return True
    if session.scalar(select(func.count(User.id))):
        return False
    return not any(session.scalar(select(func.count(kind.model.id))) for kind in KINDS.values())


def restore(session: Session, source: Path, *, force: bool = False) -> None:
    """Replace the database with the backup in ``source``; refused over data unless ``force``."""
    source = Path(source)
    if not source.is_file():
        raise DomainError(_("No backup file at %(path)s.", path=str(source)))
    engine = session.get_bind()
    if not force and not is_empty(session):
        raise DomainError(_("The database holds records or users: restore over it only with --force."))
    session.close()
    engine.dispose()
    if engine.dialect.name == "sqlite":
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(engine))
        try:
            with target:
                backup_db.backup(target)
        finally:
            target.close()
            backup_db.close()
        return
    args, env = _pg_args(engine)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            str(source),
        ],
        env,
    )


def purge_free_text(session: Session, *, older_than_years: int, today: date | None = None) -> dict[str, int]:
    """Blank the free text of records dated before the retention period; counts and codes stay.

    Each record changes through the lifecycle (version and audit). Returns records purged per kind.
    """
    if older_than_years < 1:
        raise DomainError(_("--older-than must be at least 1 year."))
    today = today or date.today()
    try:
        cutoff = today.replace(year=today.year - older_than_years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - older_than_years, day=28)
    purged: dict[str, int] = {}
    for slug, kind in KINDS.items():
        model = kind.model
        count = 0
        for record in session.scalars(select(model).where(model.date < cutoff).order_by(model.id)):
            if purge_text(session, record):
                count += 1
        purged[slug] = count
    return purged
