"""Start-up refuses configurations that cannot work, with one line saying what to set."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

import config
from app import create_app
from config import ConfigError, DevelopmentConfig, ProductionConfig, TestingConfig, config_from_env

ROOT = Path(__file__).resolve().parents[2]


def _flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    unset = ("SECRET_KEY", "DATABASE_URL", "YNTYMAK_CONFIG", "YNTYMAK_ALLOW_TESTING")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
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
        {"SECRET_KEY": secrets.token_hex(32), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite"},
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["ALLOW_DEMO_DATA"] is False and app.config["ALLOW_DEMO_PASSWORD"] is False


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("0123456789abcdef", "SECRET_KEY is too short: use at least 32 random characters"),
        ("a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d", "SECRET_KEY is too short"),  # 31 characters
        ("x" * 64, "SECRET_KEY does not look random"),
        ("abababababababababababababababab12", "SECRET_KEY does not look random"),
        ("changeme-0123456789-please-0123456789", "SECRET_KEY does not look random"),
        ("Your-Secret-Key-Goes-Here-0123456789", "SECRET_KEY does not look random"),
    ],
)
def test_production_refuses_a_weak_secret_key(tmp_path, capsys, key, message):
    with pytest.raises(SystemExit) as stopped:
        create_app(
            ProductionConfig, {"SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite"}
        )
    assert stopped.value.code != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Configuration error: " + message), err
    assert "secrets.token_hex(32)" in err[0]


def test_production_weak_key_is_one_line_from_the_command_line(tmp_path):
    env = {
        "YNTYMAK_CONFIG": "production",
        "SECRET_KEY": "changeme",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite",
    }
    result = _flask(env, "routes")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("Configuration error: SECRET_KEY is too short")


def test_testing_config_is_refused_from_the_environment_alone(tmp_path):
    result = _flask({"YNTYMAK_CONFIG": "testing", "DATABASE_URL": f"sqlite:///{tmp_path}/t.sqlite"}, "routes")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "YNTYMAK_CONFIG=testing is for the test suite only" in last
    assert "set YNTYMAK_ALLOW_TESTING=1 as well" in last


def test_testing_config_from_the_environment_when_asked_for_twice(tmp_path):
    env = {
        "YNTYMAK_CONFIG": "testing",
        "YNTYMAK_ALLOW_TESTING": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path}/t.sqlite",
    }
    result = _flask(env, "routes")
    assert result.returncode == 0, result.stderr
    assert "auth.login" in result.stdout


@pytest.mark.parametrize("allow", [None, "", "0", "yes", "true"])
def test_config_from_env_needs_exactly_allow_testing_1(monkeypatch, allow):
    monkeypatch.setenv("YNTYMAK_CONFIG", "testing")
    if allow is None:
        monkeypatch.delenv("YNTYMAK_ALLOW_TESTING", raising=False)
    else:
        monkeypatch.setenv("YNTYMAK_ALLOW_TESTING", allow)
    with pytest.raises(ConfigError, match="YNTYMAK_ALLOW_TESTING=1"):
        config_from_env()
    monkeypatch.setenv("YNTYMAK_ALLOW_TESTING", "1")
    assert config_from_env() is TestingConfig


def test_config_from_env_other_names_need_nothing_more(monkeypatch):
    monkeypatch.delenv("YNTYMAK_ALLOW_TESTING", raising=False)
    for name, expected in (("production", ProductionConfig), ("development", DevelopmentConfig)):
        monkeypatch.setenv("YNTYMAK_CONFIG", name)
        assert config_from_env() is expected
    monkeypatch.delenv("YNTYMAK_CONFIG")
    assert config_from_env() is DevelopmentConfig


def test_demo_data_and_password_allowed_in_development_and_tests_only():
    assert DevelopmentConfig.ALLOW_DEMO_DATA and DevelopmentConfig.ALLOW_DEMO_PASSWORD
    assert TestingConfig.ALLOW_DEMO_DATA and TestingConfig.ALLOW_DEMO_PASSWORD
    assert not ProductionConfig.ALLOW_DEMO_DATA and not ProductionConfig.ALLOW_DEMO_PASSWORD


def test_session_and_sign_in_defaults(tmp_path):
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/s.sqlite"})
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    assert app.config["SESSION_LIFETIME_HOURS"] == 12
    # The signed cookie itself is refused once older than the lifetime (Flask's default: 31 days).
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)
    assert app.config["SIGNIN_LIMIT_PER_ACCOUNT"] == "5 per 15 minutes"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None  # the token lives in the session, which expires


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SIGNIN_LIMIT_PER_ACCOUNT": "lots"}, "SIGNIN_LIMIT_PER_ACCOUNT must be a rate such as"),
        ({"SIGNIN_LIMIT_PER_ADDRESS": "50 per fortnight"}, "SIGNIN_LIMIT_PER_ADDRESS must be a rate"),
        ({"RATELIMIT_STORAGE_URI": "ftp://127.0.0.1/"}, "RATELIMIT_STORAGE_URI must be memory://"),
        ({"SESSION_IDLE_MINUTES": 0}, "SESSION_IDLE_MINUTES must be 1 or more"),
        ({"SESSION_LIFETIME_HOURS": -1}, "SESSION_LIFETIME_HOURS must be 1 or more"),
        ({"TRUSTED_PROXIES": -1}, "TRUSTED_PROXIES must be 0 or more"),
    ],
)
def test_bad_session_and_rate_limit_settings_are_one_line(tmp_path, capsys, overrides, message):
    with pytest.raises(SystemExit):
        create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/b.sqlite", **overrides})
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Configuration error: " + message), err


def test_session_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "ten")
    with pytest.raises(ConfigError, match="SESSION_IDLE_MINUTES must be a whole number"):
        config._env_int("SESSION_IDLE_MINUTES", 30)


def test_trusted_proxies_read_the_forwarded_address(tmp_path):
    from flask import request

    url = f"sqlite:///{tmp_path}/p.sqlite"
    seen = {}
    for hops in (0, 1):
        app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": url, "TRUSTED_PROXIES": hops})
        app.add_url_rule("/address", "address", lambda: request.remote_addr or "")
        response = app.test_client().get("/address", headers={"X-Forwarded-For": "203.0.113.7"})
        seen[hops] = response.get_data(as_text=True)
    # Trusting no proxy, a client cannot pick its own address by sending the header.
    assert seen == {0: "127.0.0.1", 1: "203.0.113.7"}
