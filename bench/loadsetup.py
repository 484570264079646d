"""The database the load benchmark and the submission profile run on: a small demo plus load accounts.

``prepare(url)`` runs the real ``init-db`` and ``seed-demo`` commands on a fresh database, then
creates ``volunteers`` volunteer accounts (spread over the demo organisations) and
``coordinators`` coordinators through the app's own :func:`app.services.users.add_user`, all with
one random password, and returns what the load clients need: each account's name, and for a
volunteer the communities of its organisation's district.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.run import _app, _flask

#: The small demo the load runs against (the dashboard and the export read it).
SEED_ARGS = ("--activities", "2000", "--incidents", "500", "--assessments", "200", "--no-accounts")
#: Coordinators' scopes: two countries, two regions.
COORDINATOR_SCOPES = (
    {"country_code": "KG"},
    {"region_code": "KG-O"},
    {"country_code": "TJ"},
    {"region_code": "TJ-SU"},
)
#: Usernames of the load accounts start with this (the record check counts only their records).
PREFIX = "load."


@dataclass
class Account:
    username: str
    role: str
    communities: list[int] = field(default_factory=list)


@dataclass
class LoadSetup:
    url: str
    password: str
    volunteers: list[Account]
    coordinators: list[Account]

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def read(cls, path: Path) -> LoadSetup:
        raw = json.loads(Path(path).read_text())
        return cls(
            raw["url"],
            raw["password"],
            [Account(**a) for a in raw["volunteers"]],
            [Account(**a) for a in raw["coordinators"]],
        )


def prepare(url: str, *, volunteers: int = 64, coordinators: int = 4, seed: bool = True) -> LoadSetup:
    """A fresh database at ``url`` with the demo and the load accounts."""
    _flask(url, "init-db")
    if seed:
        _flask(url, "seed-demo", *SEED_ARGS)
    return add_accounts(_app(url), url, volunteers=volunteers, coordinators=coordinators)


def add_accounts(app, url: str, *, volunteers: int, coordinators: int) -> LoadSetup:
    """Create the load accounts in ``app``'s database (committed) and describe them."""
    from sqlalchemy import select

    from app.data.demo import ORGANISATIONS
    from app.extensions import db
    from app.models import Community, Organisation
    from app.services.users import add_user

    password = secrets.token_urlsafe(18)
    setup = LoadSetup(url, password, [], [])
    with app.app_context():
        districts = dict(db.session.execute(select(Organisation.code, Organisation.district_id)).all())
        orgs = [code for code, *_rest in ORGANISATIONS if code in districts]
        if not orgs:
            raise SystemExit("No demo organisations: seed the demo first.")
        for number in range(volunteers):
            code = orgs[number % len(orgs)]
            user = add_user(
                db.session,
                actor=None,
                username=f"{PREFIX}vol{number:03d}",
                password=password,
                role="volunteer",
                organisation_code=code,
                locale="en",
                via="cli",
            )
            communities = list(
                db.session.scalars(select(Community.id).where(Community.district_id == districts[code]))
            )
            setup.volunteers.append(Account(user.username, "volunteer", communities))
        for number in range(coordinators):
            scope = COORDINATOR_SCOPES[number % len(COORDINATOR_SCOPES)]
            user = add_user(
                db.session,
                actor=None,
                username=f"{PREFIX}coord{number:02d}",
                password=password,
                role="coordinator",
                locale="en",
                via="cli",
                **scope,
            )
            setup.coordinators.append(Account(user.username, "coordinator"))
        db.session.commit()
    return setup
