"""Configuration classes, chosen by ``YNTYMAK_CONFIG`` (development, testing, production).

Every setting can come from the environment; :meth:`Config.validate` stops start-up with a one-line
message that says what to set when the configuration cannot work.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from reports.cellkey import DEFAULT_TABLE, CellKeyTable


class ConfigError(RuntimeError):
    """A setting is missing or contradictory; the message says what to set."""


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def _env_json(name: str, default: object) -> object:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be JSON, got {raw!r}") from exc


class Config:
    """Settings shared by every environment."""

    NAME = "base"
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY") or None
    #: Any SQLAlchemy URL; unset means an SQLite file in the instance folder.
    SQLALCHEMY_DATABASE_URI: str | None = os.environ.get("DATABASE_URL") or None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # a form typed slowly in the field must still submit
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    #: Languages offered, English being the source language.
    LANGUAGES = ("ru", "ky", "tg", "uz", "en")
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Asia/Bishkek"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).parent / "translations")
    #: Donor outputs show counts from 1 to threshold-1 as "<threshold".
    SUPPRESSION_THRESHOLD = _env_int("SUPPRESSION_THRESHOLD", 5)
    #: Cell-key perturbation of donor counts: ``{n: {change: probability}}``, the last row serving
    #: every larger count; None: the ``CELL_KEY_TABLE`` environment variable (JSON), else the
    #: default of shared/DISCLOSURE.md. Replaced by a validated
    #: :class:`reports.cellkey.CellKeyTable` at start-up.
    CELL_KEY_TABLE: object = None
    PER_PAGE = 25
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    @classmethod
    def validate(cls, config: dict, instance_path: str) -> None:
        """Fill derived settings and refuse contradictory ones."""
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(instance_path) / "yntymak.sqlite")
        url = config["SQLALCHEMY_DATABASE_URI"]
        if url.startswith("postgres://") or url.startswith("postgresql://"):
            raise ConfigError(
                "DATABASE_URL must name the psycopg 3 driver: postgresql+psycopg://user:pass@host/db"
            )
        if config["SUPPRESSION_THRESHOLD"] < 2:
            raise ConfigError("SUPPRESSION_THRESHOLD must be 2 or more")
        try:
            table = config.get("CELL_KEY_TABLE") or _env_json("CELL_KEY_TABLE", DEFAULT_TABLE)
            config["CELL_KEY_TABLE"] = CellKeyTable.parse(table)
        except ValueError as exc:
            raise ConfigError(f"CELL_KEY_TABLE is not a valid perturbation table: {exc}") from None


class DevelopmentConfig(Config):
    """Local work: a generated secret key kept in the instance folder."""

    NAME = "development"

    @classmethod
    def validate(cls, config: dict, instance_path: str) -> None:
        super().validate(config, instance_path)
        if not config.get("SECRET_KEY"):
            key_file = Path(instance_path) / "secret_key"
            if not key_file.exists():
                key_file.parent.mkdir(parents=True, exist_ok=True)
                key_file.write_text(secrets.token_hex(32))
                key_file.chmod(0o600)
            config["SECRET_KEY"] = key_file.read_text().strip()


class TestingConfig(Config):
    """pytest: its own database; CSRF off except in the tests that check it."""

    NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105
    WTF_CSRF_ENABLED = False  # tests that check CSRF turn it back on
    WTF_CSRF_CHECK_DEFAULT = True
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}


class ProductionConfig(Config):
    """gunicorn in a country office: refuses to start without a secret key."""

    NAME = "production"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") != "0"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    @classmethod
    def validate(cls, config: dict, instance_path: str) -> None:
        if not config.get("SECRET_KEY"):
            raise ConfigError("SECRET_KEY is not set: export SECRET_KEY=<a long random string>")
        if len(config["SECRET_KEY"]) < 16:
            raise ConfigError("SECRET_KEY is too short: use at least 16 random characters")
        super().validate(config, instance_path)


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The class named by ``YNTYMAK_CONFIG`` (default: development)."""
    name = os.environ.get("YNTYMAK_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"YNTYMAK_CONFIG={name!r} is unknown: use one of {', '.join(CONFIGS)}") from None
