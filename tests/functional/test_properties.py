"""Property-based tests: hostile input to every entry form and list query answers 4xx, never 500,
and a refused submission stores nothing. Runs on SQLite and on PostgreSQL (NUL bytes included).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.kinds import KINDS
from app.models import AuditEvent

from . import entry_data

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

#: What an attacker, a broken tablet or a careless paste might send in any field.
hostile = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x9F), max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "x" * 100_000,
            "-1",
            "-0",
            "1e9",
            "99999999999999999999999",
            "3.5",
            "0001-01-01",
            "9999-12-31",
            "2015-13-45",
            "2014-12-31",
            "NaN",
            "<script>alert(1)</script>",
            "'; DROP TABLE activities; --",
            "R99",
            "not_a_code",
            "☃",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)

VALID = {
    "activities": entry_data.activity,
    "incidents": entry_data.incident,
    "assessments": entry_data.assessment,
}


def _counts(db) -> tuple[int, ...]:
    db.session.expire_all()
    counts = [db.session.scalar(select(func.count(kind.model.id))) for kind in KINDS.values()]
    counts.append(db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "create")))
    return tuple(counts)


def _post_hostile(client, db, make, kind: str, changes: dict) -> None:
    data = VALID[kind](make.community("KG-O-KSU-02").id)
    data.update(changes)
    before = _counts(db)
    response = client.post(f"/{kind}/new", data=data)
    assert response.status_code in (303, 400, 409, 413, 422), (changes, response.status_code)
    if response.status_code != 303:
        assert _counts(db) == before, changes


def _hostile_changes(kind: str):
    fields = sorted(VALID[kind](1))
    return st.dictionaries(
        st.sampled_from([*fields, "community", "date", "record_uuid", "version"]), hostile, max_size=4
    )


@pytest.mark.parametrize("kind", list(VALID))
def test_hostile_entry_forms(signed_in, db, make, kind):
    @SETTINGS
    @given(_hostile_changes(kind))
    def check(changes):
        _post_hostile(signed_in, db, make, kind, changes)

    check()


def test_another_scopes_community_is_refused(signed_in, db, make):
    for kind in KINDS:
        before = _counts(db)
        data = VALID[kind](make.community("TJ-SU-PNJ-01").id)
        assert signed_in.post(f"/{kind}/new", data=data).status_code == 422
        assert _counts(db) == before


QUERY_KEYS = ("date_from", "date_to", "community", "status", "page", "kind", "organisation")


def test_hostile_list_queries(signed_in, db):
    @SETTINGS
    @given(
        st.sampled_from([*KINDS, "review"]), st.dictionaries(st.sampled_from(QUERY_KEYS), hostile, max_size=4)
    )
    def check(path, query):
        response = signed_in.get(f"/{path}", query_string=query)
        assert response.status_code in (200, 400, 403), (path, query, response.status_code)

    check()


REPORT_KEYS = ("from", "to", "country", "region", "district", "organisation", "status", "audience", "page")


def test_hostile_report_queries(client, login_as, make, db):
    login_as(make.user("coordinator", region="KG-O"))

    @SETTINGS
    @given(
        st.sampled_from(["/dashboard", "/reports/export.xlsx"]),
        st.dictionaries(st.sampled_from(REPORT_KEYS), hostile, max_size=3),
    )
    def check(path, query):
        response = client.get(path, query_string=query)
        assert response.status_code in (200, 400, 403), (path, query, response.status_code)

    check()
