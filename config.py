"""Configuration classes, chosen by ``YNTYMAK_CONFIG`` (development, testing, production).

Every setting can come from the environment; :meth:`Config.validate` stops start-up with a one-line
message that says what to set when the configuration cannot work.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from limits import parse_many
from limits.storage import SCHEMES as RATE_LIMIT_SCHEMES

from reports.cellkey import DEFAULT_TABLE, CellKeyTable

#: A production SECRET_KEY needs at least this many characters, and this many different ones.
MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_DISTINCT = 10
#: Words that mark a key copied from an example rather than generated.
PLACEHOLDER_WORDS = ("changeme", "changethis", "replaceme", "yoursecret", "secretkey", "placeholder")
#: What a command line should say to make a good key.
KEY_HINT = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


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


#: Settings :meth:`Config.validate` checks beyond the database and the donor figures.
CHECKED_SETTINGS = (
    "SIGNIN_LIMIT_PER_ACCOUNT",
    "SIGNIN_LIMIT_PER_ADDRESS",
    "RATELIMIT_STORAGE_URI",
    "SESSION_IDLE_MINUTES",
    "SESSION_LIFETIME_HOURS",
    "TRUSTED_PROXIES",
    "HUEY_URL",
    "EXPORT_DIR",
    "EXPORT_TTL_HOURS",
    "EXPORT_INLINE_ROWS",
    "EXPORT_STALLED_MINUTES",
    "EXPORT_NICENESS",
)

#: What ``HUEY_URL`` may name: an SQLite file, a Redis server, or memory (tests: jobs run at once).
HUEY_SCHEMES = ("sqlite", "redis", "rediss", "unix", "memory")


def _check_rate_limits(config: dict) -> None:
    for name in ("SIGNIN_LIMIT_PER_ACCOUNT", "SIGNIN_LIMIT_PER_ADDRESS"):
        try:
            parse_many(str(config[name]))
        except ValueError:
            raise ConfigError(
                f"{name} must be a rate such as '5 per 15 minutes', got {config[name]!r}"
            ) from None
    scheme = urlsplit(str(config["RATELIMIT_STORAGE_URI"])).scheme
    if scheme not in RATE_LIMIT_SCHEMES:
        raise ConfigError(
            "RATELIMIT_STORAGE_URI must be memory:// or a Redis URL such as redis://127.0.0.1:6379/0, "
            f"got {config['RATELIMIT_STORAGE_URI']!r}"
        )


def _check_sessions(config: dict) -> None:
    for name in ("SESSION_IDLE_MINUTES", "SESSION_LIFETIME_HOURS"):
        if config[name] < 1:
            raise ConfigError(f"{name} must be 1 or more")
    # The signed cookie itself expires too, so an old copy of it is refused even unread.
    config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=config["SESSION_LIFETIME_HOURS"])


def _check_jobs(config: dict, instance_path: str) -> None:
    """The job queue (app/jobs/) and the background exports: defaults in the instance folder."""
    if not config["HUEY_URL"]:
        config["HUEY_URL"] = "sqlite:///" + str(Path(instance_path) / "huey.sqlite")
    url = str(config["HUEY_URL"])
    scheme = urlsplit(url).scheme
    if scheme not in HUEY_SCHEMES or (scheme == "sqlite" and not url.startswith("sqlite:///")):
        raise ConfigError(
            "HUEY_URL must be a Redis URL such as redis://127.0.0.1:6379/1, sqlite:////path/huey.sqlite "
            f"or memory:// (tests only), got {url!r}"
        )
    if not config["EXPORT_DIR"]:
        config["EXPORT_DIR"] = str(Path(instance_path) / "exports")
    if config["EXPORT_TTL_HOURS"] < 1:
        raise ConfigError("EXPORT_TTL_HOURS must be 1 or more")
    if config["EXPORT_STALLED_MINUTES"] < 1:
        raise ConfigError("EXPORT_STALLED_MINUTES must be 1 or more")
    if config["EXPORT_INLINE_ROWS"] < 0:
        raise ConfigError("EXPORT_INLINE_ROWS must be 0 (always in the background) or more")
    if not 0 <= config["EXPORT_NICENESS"] <= 19:
        raise ConfigError("EXPORT_NICENESS must be from 0 (the same priority as requests) to 19")


def check_secret_key(key: str) -> None:
    """Refuse a production key that is short, repetitive or a placeholder (one line says why)."""
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            f"SECRET_KEY is too short: use at least {MIN_SECRET_KEY_LENGTH} random characters, "
            f"e.g. {KEY_HINT}"
        )
    squashed = "".join(ch for ch in key.lower() if ch.isalnum())
    if len(set(key)) < MIN_SECRET_KEY_DISTINCT or any(word in squashed for word in PLACEHOLDER_WORDS):
        raise ConfigError(
            "SECRET_KEY does not look random (a placeholder, or too few different characters): "
            f"make one with {KEY_HINT}"
        )


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
    LANGUAGES = ("ru", "ky", "tg", "uz", "uz_Cyrl", "en")
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
    #: Static files (app/static_files.py): seconds a browser keeps a versioned URL (``?v=<hash>``).
    STATIC_MAX_AGE = 31_536_000
    #: Flask-Compress, for static files only (pages are never compressed: BREACH): Brotli or gzip,
    #: each file compressed once per version at the best level and kept in memory.
    COMPRESS_REGISTER = False
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_BR_LEVEL = 11
    COMPRESS_LEVEL = 9
    #: Signed in for at most this long, and signed out after this long without a request.
    SESSION_LIFETIME_HOURS = _env_int("SESSION_LIFETIME_HOURS", 12)
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
    #: Failed sign-ins allowed per account and per client address (see app/auth/throttle.py).
    SIGNIN_LIMITS_ENABLED = True
    SIGNIN_LIMIT_PER_ACCOUNT = os.environ.get("SIGNIN_LIMIT_PER_ACCOUNT") or "5 per 15 minutes"
    SIGNIN_LIMIT_PER_ADDRESS = os.environ.get("SIGNIN_LIMIT_PER_ADDRESS") or "50 per 15 minutes"
    #: Flask-Limiter's storage of the counts: memory:// is per process; with several gunicorn
    #: workers use Redis (redis://host:6379/0) so that they share one count.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_KEY_PREFIX = "yntymak"
    RATELIMIT_HEADERS_ENABLED = False
    #: Redirect plain HTTP to HTTPS and send HSTS (app/headers.py); on in production.
    FORCE_HTTPS = False
    #: How many reverse proxies (nginx) stand in front and set X-Forwarded-For; 0 trusts none.
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)
    #: The job queue of background exports (Huey, app/jobs/): unset, an SQLite file in the
    #: instance folder (one machine: ``make run`` starts its consumer); in production a Redis URL
    #: such as redis://127.0.0.1:6379/1; ``memory://`` runs each job at once, in the request (tests).
    HUEY_URL: str | None = os.environ.get("HUEY_URL") or None
    #: Where background exports are written; unset, ``exports`` in the instance folder.
    EXPORT_DIR: str | None = os.environ.get("EXPORT_DIR") or None
    #: Hours a background export is kept for its owner, then deleted.
    EXPORT_TTL_HOURS = _env_int("EXPORT_TTL_HOURS", 24)
    #: An export of at most this many records is answered at once; a bigger one is built in the
    #: background (0: always in the background).
    EXPORT_INLINE_ROWS = _env_int("EXPORT_INLINE_ROWS", 20000)
    #: A background export whose builder has said nothing for this many minutes (its consumer
    #: was stopped or killed) is given up: its page says so instead of waiting for ever.
    EXPORT_STALLED_MINUTES = _env_int("EXPORT_STALLED_MINUTES", 15)
    #: How much nicer (lower CPU priority, 0-19) a workbook or CSV export is built than the
    #: requests beside it (app/services/priority.py; Linux); 0: at the same priority.
    EXPORT_NICENESS = _env_int("EXPORT_NICENESS", 10)
    #: ``seed-demo`` may run, and the published demo password may be given to an account.
    ALLOW_DEMO_DATA = False
    ALLOW_DEMO_PASSWORD = False

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
        for name in CHECKED_SETTINGS:  # a hand-made dict (tests) gets the class's defaults
            config.setdefault(name, getattr(cls, name))
        _check_rate_limits(config)
        _check_sessions(config)
        if config["TRUSTED_PROXIES"] < 0:
            raise ConfigError("TRUSTED_PROXIES must be 0 or more")
        _check_jobs(config, instance_path)
        if config["SUPPRESSION_THRESHOLD"] < 2:
            raise ConfigError("SUPPRESSION_THRESHOLD must be 2 or more")
        try:
            table = config.get("CELL_KEY_TABLE") or _env_json("CELL_KEY_TABLE", DEFAULT_TABLE)
            config["CELL_KEY_TABLE"] = CellKeyTable.parse(table)
        except ValueError as exc:
            raise ConfigError(f"CELL_KEY_TABLE is not a valid perturbation table: {exc}") from None


class DevelopmentConfig(Config):
    """Local work: a generated secret key kept in the instance folder; demo data allowed."""

    NAME = "development"
    ALLOW_DEMO_DATA = True
    ALLOW_DEMO_PASSWORD = True

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
    """pytest: its own database; CSRF and sign-in limits off except in the tests that check them.

    Never for a server: ``YNTYMAK_CONFIG=testing`` is refused unless ``YNTYMAK_ALLOW_TESTING=1``
    is set too; the test suite passes the class to ``create_app`` itself.
    """

    NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105
    WTF_CSRF_ENABLED = False  # tests that check CSRF turn it back on
    WTF_CSRF_CHECK_DEFAULT = True
    SIGNIN_LIMITS_ENABLED = False  # tests that check the limits turn them back on
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    ALLOW_DEMO_DATA = True
    ALLOW_DEMO_PASSWORD = True
    HUEY_URL = "memory://"  # a job runs at once, inside the request that asks for it
    #: Not the instance folder of the checkout (tests that look at the files use their own).
    EXPORT_DIR = str(Path(tempfile.gettempdir()) / "yntymak-test-exports")


class ProductionConfig(Config):
    """gunicorn in a country office: refuses to start without a random secret key; no demo data."""

    NAME = "production"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") != "0"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    #: Off only where TLS is not in front at all (FORCE_HTTPS=0: a load test on 127.0.0.1).
    FORCE_HTTPS = os.environ.get("FORCE_HTTPS", "1") != "0"

    @classmethod
    def validate(cls, config: dict, instance_path: str) -> None:
        if not config.get("SECRET_KEY"):
            raise ConfigError("SECRET_KEY is not set: export SECRET_KEY=<a long random string>")
        check_secret_key(config["SECRET_KEY"])
        super().validate(config, instance_path)
        if urlsplit(config["HUEY_URL"]).scheme == "memory":
            raise ConfigError(
                "HUEY_URL=memory:// builds exports inside the web request (tests only): "
                "use redis://127.0.0.1:6379/1, or leave it unset for an SQLite file"
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


#: The variable that must accompany ``YNTYMAK_CONFIG=testing``.
ALLOW_TESTING_VARIABLE = "YNTYMAK_ALLOW_TESTING"


def config_from_env() -> type[Config]:
    """The class named by ``YNTYMAK_CONFIG`` (default: development).

    The testing class turns CSRF protection and the sign-in limits off and has a published key, so
    the environment selects it only when ``YNTYMAK_ALLOW_TESTING=1`` asks for it as well.
    """
    name = os.environ.get("YNTYMAK_CONFIG", "development")
    try:
        config_class = CONFIGS[name]
    except KeyError:
        raise ConfigError(f"YNTYMAK_CONFIG={name!r} is unknown: use one of {', '.join(CONFIGS)}") from None
    if config_class is TestingConfig and os.environ.get(ALLOW_TESTING_VARIABLE) != "1":
        raise ConfigError(
            "YNTYMAK_CONFIG=testing is for the test suite only (no CSRF protection, a published key): "
            f"set {ALLOW_TESTING_VARIABLE}=1 as well to choose it on purpose"
        )
    return config_class
