"""init-db, create-user and seed-demo: what an administrator types in a district office."""

from __future__ import annotations

from sqlalchemy import func, select, text

from app.models import Activity, Community, DriverAssessment, Incident, Organisation, Region, User
from app.vocabulary import Role


def _users(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_init_db_twice_changes_nothing(runner, db):
    first = runner.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    assert "0 reference rows" in first.output  # the suite's database was initialised already
    communities = db.session.scalar(select(func.count(Community.id)))
    assert communities > 150
    second = runner.invoke(args=["init-db"])
    assert "0 reference rows" in second.output
    assert db.session.scalar(select(func.count(Community.id))) == communities


def test_geography_has_the_real_regions(db):
    codes = set(db.session.scalars(select(Region.code)))
    assert {"KG-B", "KG-C", "KG-GB", "KG-GO", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y"} <= codes
    assert {"TJ-SU", "TJ-KT", "TJ-GB", "TJ-RA", "TJ-DU"} <= codes


def test_create_volunteer(runner, make, db):
    org = make.organisation(code="LCPC-TEST")
    db.session.commit()
    result = runner.invoke(
        args=[
            "create-user",
            "aigul",
            "--role",
            "volunteer",
            "--organisation",
            "LCPC-TEST",
            "--password",
            "s3cret-pass",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "aigul"))
    assert user.role == Role.VOLUNTEER and user.organisation_id == org.id
    assert user.check_password("s3cret-pass") and "s3cret-pass" not in user.password_hash


def test_create_coordinator_for_a_region_and_a_country(runner, db):
    result = runner.invoke(
        args=["create-user", "osh", "--role", "coordinator", "--region", "KG-O", "--password", "long-enough"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["create-user", "tj", "--role", "coordinator", "--country", "TJ", "--password", "long-enough"]
    )
    assert result.exit_code == 0, result.output
    osh = db.session.scalar(select(User).where(User.username == "osh"))
    assert osh.scope_region.code == "KG-O"
    assert db.session.scalar(select(User).where(User.username == "tj")).scope_country.code == "TJ"


def test_password_prompt(runner, db):
    result = runner.invoke(
        args=["create-user", "admin2", "--role", "admin"], input="prompted-pass\nprompted-pass\n"
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.username == "admin2")).check_password("prompted-pass")


BAD_CALLS = {
    "unknown role": (["--role", "chief"], "Unknown role chief"),
    "unknown organisation": (
        ["--role", "volunteer", "--organisation", "NOPE"],
        "Unknown organisation code NOPE",
    ),
    "unknown region": (["--role", "coordinator", "--region", "XX-9"], "Unknown region code XX-9"),
    "unknown country": (["--role", "coordinator", "--country", "ZZ"], "Unknown country code ZZ"),
    "volunteer without organisation": (["--role", "volunteer"], "A volunteer needs an organisation."),
    "coordinator without scope": (["--role", "coordinator"], "A coordinator needs a region or a country."),
    "short password": (["--role", "admin", "--password", "ninechars"], "at least 10 characters"),
    "long password": (["--role", "admin", "--password", "x" * 129], "at most 128 characters"),
    "common password": (["--role", "admin", "--password", "Password123"], "most common ones"),
    "password is the username": (["--role", "admin", "--password", "SOMEONE-ELSE"], "same as the username"),
}


def test_bad_create_user_calls_print_one_line_and_write_nothing(runner, db):
    for name, (args, message) in BAD_CALLS.items():
        before = _users(db)
        if "--password" not in args:
            args = [*args, "--password", "long-enough"]
        result = runner.invoke(args=["create-user", "someone-else", *args])
        assert result.exit_code != 0, name
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and message in lines[0], (name, result.output)
        assert _users(db) == before, name


def test_duplicate_username_is_refused(runner, make, db):
    make.user("admin", username="Dilnoza")
    db.session.commit()
    result = runner.invoke(args=["create-user", "dilnoza", "--role", "admin", "--password", "long-enough"])
    assert result.exit_code != 0
    assert "already taken" in result.output
    assert db.session.scalar(select(func.count(User.id)).where(func.lower(User.username) == "dilnoza")) == 1


def test_seed_demo_adds_believable_data_and_accounts_for_every_role(runner, db):
    result = runner.invoke(
        args=["seed-demo", "--activities", "300", "--incidents", "120", "--assessments", "60"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Activity.id))) == 300
    assert db.session.scalar(select(func.count(Incident.id))) == 120
    assert db.session.scalar(select(func.count(DriverAssessment.id))) == 60
    roles = set(db.session.scalars(select(User.role)))
    assert roles == set(Role)
    for name in ("admin", "coord.osh", "donor", "vol.karasuu"):
        assert name in result.output
    assert db.session.scalar(select(func.count(Organisation.id))) >= 20
    if db.engine.dialect.name == "sqlite":  # the seed's rollback journal, if it had it, is gone again
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    # --if-empty leaves existing data alone
    again = runner.invoke(args=["seed-demo", "--if-empty", "--activities", "10"])
    assert "nothing added" in again.output
    assert db.session.scalar(select(func.count(Activity.id))) == 300


def test_demo_password_refused_where_demo_passwords_are_not_allowed(runner, app, db, monkeypatch):
    monkeypatch.setitem(app.config, "ALLOW_DEMO_PASSWORD", False)
    result = runner.invoke(args=["create-user", "pilot", "--role", "admin", "--password", "yntymak-demo"])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == ["Error: This is the published demo password: choose another."]
    assert _users(db) == 0


def test_demo_password_allowed_in_development_and_tests(runner, db):
    result = runner.invoke(args=["create-user", "pilot", "--role", "admin", "--password", "yntymak-demo"])
    assert result.exit_code == 0, result.output


def test_production_refuses_seed_demo(tmp_path):
    from app import create_app
    from config import ProductionConfig

    app = create_app(
        ProductionConfig,
        {
            "SECRET_KEY": "9f2c81d0b6e34a7f95c0d1e2f3a4b5c6",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite",
        },
    )
    result = app.test_cli_runner().invoke(args=["seed-demo", "--activities", "1"])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "seed-demo is refused under the production configuration" in lines[0]
    assert not (tmp_path / "p.sqlite").exists()  # refused before the database is even opened
