"""Start-up refuses configurations that cannot work, with one line saying what to set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from config import DevelopmentConfig, ProductionConfig, TestingConfig

ROOT = Path(__file__).resolve().parents[2]


def _flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "YNTYMAK_CONFIG")}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = _flask(
        {"YNTYMAK_CONFIG": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"}, "routes"
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "Configuration error: SECRET_KEY is not set: export SECRET_KEY=<a long random string>"
    )


def test_unknown_config_name_is_one_line(tmp_path):
    result = _flask({"YNTYMAK_CONFIG": "staging"}, "routes")
    assert result.returncode != 0
    assert "YNTYMAK_CONFIG='staging' is unknown" in result.stderr


def test_production_with_secret_key_starts(tmp_path):
    app = create_app(
        ProductionConfig,
        {"SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite"},
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_postgres_url_without_driver_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": "postgresql://u@h/db"})
    assert "postgresql+psycopg://" in capsys.readouterr().err


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    overrides = {"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/d.sqlite"}
    first = create_app(DevelopmentConfig, overrides)
    second = create_app(DevelopmentConfig, overrides)
    assert first.config["SECRET_KEY"] and first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32


def test_default_database_is_sqlite_in_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": None})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///" + str(
        Path(app.instance_path) / "yntymak.sqlite"
    )


def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(tmp_path):
    from app.extensions import db

    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/w.sqlite"})
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    with app.app_context():
        db.engine.dispose()
