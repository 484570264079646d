"""Keyset pages of the entries lists and the review queue (issue 14): every record exactly once,
in order, whatever changes between two page loads; cursors that are not ours answered 400; the
list queries walk an index in order instead of sorting."""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, insert, select, text, update

from app import create_app, keyset
from app.extensions import db as db_
from app.kinds import KINDS
from app.models import Activity, Community
from app.review.queue import CURSOR as QUEUE_CURSOR
from app.services.reference import load_reference_data
from app.vocabulary import Status
from config import TestingConfig

from ..dbutil import scratch_database, server_url
from ..factories import Builders

KIND_FACTORIES = {"activities": "activity", "incidents": "incident", "assessments": "assessment"}
DAY = date.today() - timedelta(days=30)


@pytest.fixture
def per_page(app):
    app.config["PER_PAGE"] = 3
    yield 3
    app.config["PER_PAGE"] = 25


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _listed(html: str, kind: str) -> list[str]:
    return re.findall(rf'<a href="/{kind}/([0-9a-f-]{{36}})">', html)


def _queued(html: str) -> list[str]:
    return re.findall(r'id="pick-([0-9a-f-]{36})"', html)


def _walk(client, url: str, rel: str, read) -> list[list[str]]:
    """The pages from ``url`` following ``rel`` links to the end."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        pages.append(read(html))
        url = _link(html, rel)
        assert len(pages) < 50
    return pages


def _last_page_url(client, url: str) -> str:
    """The URL of the last page, reached through the ``next`` links."""
    while True:
        following = _link(client.get(url).get_data(as_text=True), "next")
        if following is None:
            return url
        url = following


# -- The entries lists ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_walking_forwards_then_backwards_lists_each_record_once(
    kind, signed_in, volunteer, make, db, per_page
):
    build = getattr(make, KIND_FACTORIES[kind])
    days = [DAY, DAY, DAY, DAY, DAY - timedelta(days=1), DAY - timedelta(days=3), DAY - timedelta(days=3)]
    days += [DAY + timedelta(days=2), DAY - timedelta(days=9), DAY, DAY - timedelta(days=1)]
    records = [build(volunteer, date=day) for day in days]  # ties on DAY across several pages
    db.session.commit()
    expected = [str(r.uuid) for r in sorted(records, key=lambda r: (r.date, r.id), reverse=True)]
    forwards = _walk(signed_in, f"/{kind}", "next", lambda html: _listed(html, kind))
    assert [len(page) for page in forwards] == [3, 3, 3, 2]
    assert [u for page in forwards for u in page] == expected
    backwards = _walk(
        signed_in, _last_page_url(signed_in, f"/{kind}"), "prev", lambda html: _listed(html, kind)
    )
    assert backwards == forwards[::-1]


def test_a_record_added_or_removed_between_page_loads_shifts_nothing(
    signed_in, volunteer, make, db, per_page
):
    records = [make.activity(volunteer, date=DAY - timedelta(days=k)) for k in range(7)]
    draft = make.activity(volunteer, date=DAY - timedelta(days=1), status=Status.DRAFT)
    db.session.commit()
    first = signed_in.get("/activities").get_data(as_text=True)
    shown = _listed(first, "activities")
    assert shown == [str(records[0].uuid), str(draft.uuid), str(records[1].uuid)]
    # A newer entry and an older one arrive, and the draft on page 1 is deleted: with an OFFSET the
    # next page would repeat the last entry shown (one more above it) or skip one (one fewer).
    make.activity(volunteer, date=DAY + timedelta(days=5))
    make.activity(volunteer, date=DAY - timedelta(days=1))  # the same date as the last shown
    assert signed_in.post(f"/activities/{draft.uuid}/delete").status_code == 303
    db.session.commit()
    second = _listed(signed_in.get(_link(first, "next")).get_data(as_text=True), "activities")
    assert second == [str(r.uuid) for r in records[2:5]]


def test_a_page_whose_cursor_row_is_gone_repeats_rather_than_skips(signed_in, volunteer, make, db, per_page):
    records = [make.activity(volunteer, date=DAY - timedelta(days=k), status=Status.DRAFT) for k in range(5)]
    db.session.commit()
    first = signed_in.get("/activities").get_data(as_text=True)
    assert signed_in.post(f"/activities/{records[2].uuid}/delete").status_code == 303  # the last shown
    second = _listed(signed_in.get(_link(first, "next")).get_data(as_text=True), "activities")
    assert second == [str(records[3].uuid), str(records[4].uuid)]


def test_links_keep_the_filters(signed_in, volunteer, make, db, per_page):
    home = make.community("KG-O-KSU-01")
    for k in range(5):
        make.activity(volunteer, date=DAY - timedelta(days=k), community="KG-O-KSU-01", status=Status.DRAFT)
        make.activity(volunteer, date=DAY - timedelta(days=k), community="KG-O-KSU-02", status=Status.DRAFT)
    db.session.commit()
    url = f"/activities?community={home.id}&status=draft&date_to={DAY.isoformat()}"
    pages = _walk(signed_in, url, "next", lambda html: (_link(html, "next"), _listed(html, "activities")))
    assert [len(listed) for _next, listed in pages] == [3, 2]
    following = pages[0][0]
    assert f"community={home.id}" in following and "status=draft" in following and "date_to=" in following
    assert "page=" not in following
    wanted = {
        str(u)
        for u in db.session.scalars(
            select(KINDS["activities"].model.uuid).where(KINDS["activities"].model.community_id == home.id)
        )
    }
    assert {u for _next, listed in pages for u in listed} == wanted


def test_the_count_stops_at_its_cap(signed_in, volunteer, make, db, monkeypatch):
    from app.entries import queries, routes

    for k in range(4):
        make.activity(volunteer, date=DAY - timedelta(days=k))
    db.session.commit()
    assert "4 entries" in signed_in.get("/activities").get_data(as_text=True)
    monkeypatch.setattr(routes, "COUNT_CAP", 3)
    monkeypatch.setattr(routes, "count_records", lambda *args: queries.count_records(*args, cap=3))
    html = signed_in.get("/activities").get_data(as_text=True)
    assert "More than 3 entries" in html and "4 entries" not in html


def _bad_cursors(queue: bool = False) -> list[str]:
    """Cursors the list did not write; the queue's (time, kind, UUID) is one of the entries lists'."""
    real_uuid = uuid.uuid4().hex
    theirs = f"2025-03-14.{real_uuid}" if queue else f"2025-03-14T10:00:00.activities.{real_uuid}"
    return [
        theirs,
        "junk",
        "",
        ".",
        "2025-03-14",
        f"2025-03-14.{real_uuid}.1",
        f"2025-02-30.{real_uuid}",
        f"0000-01-01.{real_uuid}",
        f"2025-03-14.{real_uuid[:-1]}g",
        "9" * 40 + "." + "9" * 40,
        f"{'9' * 30}-03-14.{real_uuid}",
        f"2025-03-14.{'f' * 100_000}",
        "x" * 100_000,
        f"2025-03-14T10:00:00.people.{real_uuid}",
        f"2025-03-14T10:00:00+05:00.activities.{real_uuid}",
        f"99999-03-14T10:00:00.activities.{real_uuid}",
        "2025-03-14.\x00",
        "%00%ff",
    ]


@pytest.mark.parametrize("direction", ["after", "before"])
@pytest.mark.parametrize("cursor", _bad_cursors(), ids=lambda c: c[:24])
def test_a_cursor_not_ours_is_a_400_with_the_first_page(signed_in, volunteer, make, db, direction, cursor):
    record = make.activity(volunteer)
    db.session.commit()
    response = signed_in.get("/activities", query_string={direction: cursor})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This link to a page of the list is not valid" in html and str(record.uuid) in html


def test_both_directions_or_a_repeated_cursor_are_a_400(signed_in, volunteer, make, db):
    record = make.activity(volunteer)
    db.session.commit()
    cursor = f"{record.date.isoformat()}.{record.uuid.hex}"
    assert signed_in.get(f"/activities?after={cursor}").status_code == 200
    assert signed_in.get(f"/activities?after={cursor}&before={cursor}").status_code == 400
    assert signed_in.get(f"/activities?after={cursor}&after={cursor}").status_code == 400
    assert signed_in.get("/activities?after=%ff%00").status_code == 400
    assert signed_in.get("/activities?page=2&after=").status_code == 400


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2025-03-14"])
def test_a_well_formed_cursor_of_no_record_is_a_page(signed_in, volunteer, make, db, day):
    """Any date, an unknown UUID or one of a record out of scope: a page of what lies beyond."""
    mine = make.activity(volunteer, date=date(2025, 3, 1))
    outside = make.activity(make.user("volunteer", organisation=make.organisation("TJ-SU-PNJ")))
    db.session.commit()
    for other in (uuid.uuid4().hex, outside.uuid.hex):
        for direction in ("after", "before"):
            response = signed_in.get(f"/activities?{direction}={day}.{other}")
            assert response.status_code == 200
            assert str(outside.uuid) not in response.get_data(as_text=True)
    older = signed_in.get(f"/activities?after=9999-12-31.{uuid.uuid4().hex}").get_data(as_text=True)
    assert str(mine.uuid) in older


# -- The review queue ----------------------------------------------------------------------------


@pytest.fixture
def reviewer(make, db):
    organisation = make.organisation("KG-O-KSU", code="LCPC-KEYSET")
    team = {
        "volunteer": make.user("volunteer", organisation=organisation),
        "coordinator": make.user("coordinator", region="KG-O"),
    }
    db.session.commit()
    return team


def test_walking_the_queue_forwards_then_backwards(client, login_as, reviewer, make, db, per_page):
    volunteer = reviewer["volunteer"]
    moment = datetime(2025, 3, 14, 10, 0, tzinfo=UTC)
    sent = [("activity", 0), ("incident", 0), ("assessment", 0), ("activity", 0), ("incident", 5)]
    sent += [("activity", 7), ("assessment", 7), ("activity", -3), ("incident", 0), ("activity", 20)]
    records = [  # ties on the same minute across kinds, within a kind, and across pages
        getattr(make, build)(volunteer, submitted_at=moment + timedelta(minutes=minutes))
        for build, minutes in sent
    ]
    legacy = make.activity(volunteer)  # sent before submitted_at existed: waiting since its last change
    db.session.execute(
        update(Activity)
        .where(Activity.id == legacy.id)
        .values(submitted_at=None, updated_at=moment - timedelta(days=1))
    )
    db.session.commit()
    db.session.expire_all()
    slug = {"activity": "activities", "incident": "incidents", "driverassessment": "assessments"}
    everything = [legacy, *records]
    expected = [
        str(r.uuid)
        for r in sorted(
            everything,
            key=lambda r: (
                (r.submitted_at or r.updated_at).replace(tzinfo=None),
                slug[type(r).__name__.lower()],
                r.id,
            ),
        )
    ]
    assert expected[0] == str(legacy.uuid)
    login_as(reviewer["coordinator"])
    forwards = _walk(client, "/review", "next", _queued)
    assert [len(page) for page in forwards] == [3, 3, 3, 2]
    assert [u for page in forwards for u in page] == expected
    backwards = _walk(client, _last_page_url(client, "/review"), "prev", _queued)
    assert backwards == forwards[::-1]
    activities = {str(r.uuid) for r in everything if isinstance(r, Activity)}
    only = _walk(client, "/review?kind=activities", "next", _queued)
    assert [u for page in only for u in page] == [u for u in expected if u in activities]


def test_the_queue_after_approving_its_first_page(client, login_as, reviewer, make, db, per_page):
    """Approving the entries shown, then the next page: it continues where the first ended."""
    moment = datetime(2025, 3, 14, 10, 0, tzinfo=UTC)
    records = [
        make.activity(reviewer["volunteer"], submitted_at=moment + timedelta(minutes=k)) for k in range(5)
    ]
    db.session.commit()
    login_as(reviewer["coordinator"])
    first = client.get("/review").get_data(as_text=True)
    picked = re.findall(r'name="records" value="([^"]+)"', first)
    assert client.post("/review/approve", data={"records": picked}).status_code == 303
    second = client.get(_link(first, "next")).get_data(as_text=True)
    assert _queued(second) == [str(r.uuid) for r in records[3:]]
    assert "2 entries wait for review" in second


@pytest.mark.parametrize("cursor", _bad_cursors(queue=True), ids=lambda c: c[:24])
def test_a_queue_cursor_not_ours_is_a_400(client, login_as, reviewer, make, db, cursor):
    make.activity(reviewer["volunteer"])
    db.session.commit()
    login_as(reviewer["coordinator"])
    response = client.get("/review", query_string={"after": cursor})
    assert response.status_code == 400
    assert "This link to a page of the list is not valid" in response.get_data(as_text=True)
    assert client.get("/review", query_string={"before": cursor}).status_code == 400


# -- The plans -----------------------------------------------------------------------------------


@contextmanager
def _statements(engine):
    seen: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", grab)


def _plan(db, statement: str, parameters: object) -> str:
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
        return "\n".join(row[-1] for row in rows)
    # PostgreSQL: on a handful of rows a sort is cheapest; forbid it and see if an index gives the order.
    conn.exec_driver_sql("SET LOCAL enable_sort = off")
    conn.exec_driver_sql("SET LOCAL enable_incremental_sort = off")
    plan = "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {statement}", parameters).all())
    conn.exec_driver_sql("RESET enable_sort")
    conn.exec_driver_sql("RESET enable_incremental_sort")
    return plan


def _list_queries(seen: list, table: str) -> list[tuple[str, object]]:
    return [(s, p) for s, p in seen if f"FROM {table}" in s and "ORDER BY" in s and "LIMIT" in s]


def _assert_walks_an_index(db, queries: list) -> None:
    assert queries
    for statement, parameters in queries:
        plan = _plan(db, statement, parameters)
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
        assert not re.search(r"\bSort\b", plan), plan
        assert re.search(r"ix_\w+_(date_id|waiting)", plan), plan


@pytest.mark.parametrize(
    ("who", "query"),
    [
        ("volunteer", ""),
        ("coordinator", ""),
        ("admin", ""),
        ("coordinator", "status=draft"),
        ("coordinator", "community={community}"),
        ("admin", "date_from=2024-01-01&date_to=2025-12-31"),
    ],
)
def test_the_list_query_walks_an_index_in_order(client, login_as, reviewer, make, db, who, query):
    if who == "coordinator" and not query and db.engine.dialect.name == "sqlite":
        pytest.skip("without statistics SQLite sorts a region's rows: test_sqlite_plans_with_statistics")
    volunteer = reviewer["volunteer"]
    for k in range(6):
        make.activity(
            volunteer, date=DAY - timedelta(days=k), status=Status.DRAFT if k % 2 else Status.SUBMITTED
        )
    users = {"volunteer": volunteer, "coordinator": reviewer["coordinator"], "admin": make.user("admin")}
    db.session.commit()
    login_as(users[who])
    url = "/activities?" + query.format(community=make.community("KG-O-KSU-01").id)
    first = client.get(url).get_data(as_text=True)
    with _statements(db.engine) as seen:
        for page in (url, _link(first, "next") or url):
            assert client.get(page).status_code == 200
    _assert_walks_an_index(db, _list_queries(seen, "activities"))


def test_the_queue_queries_walk_an_index_in_order(client, login_as, reviewer, make, db, per_page):
    for k in range(4):
        make.activity(
            reviewer["volunteer"], submitted_at=datetime(2025, 3, 14, tzinfo=UTC) + timedelta(hours=k)
        )
        make.incident(reviewer["volunteer"])
    db.session.commit()
    login_as(reviewer["coordinator"])
    first = client.get("/review").get_data(as_text=True)
    with _statements(db.engine) as seen:
        assert client.get(_link(first, "next")).status_code == 200
    for table in ("activities", "incidents", "driver_assessments"):
        _assert_walks_an_index(db, _list_queries(seen, table))


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """A scratch SQLite database with a few thousand records over three regions, ``ANALYZE``d (as
    ``init-db`` and ``seed-demo`` leave one): SQLite picks a plan by its statistics."""
    if server_url() is not None:
        pytest.skip("SQLite's planner; PostgreSQL's plans are checked without sorting above")
    with scratch_database(tmp_path_factory.mktemp("plans"), "keyset_plans") as url:
        app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            load_reference_data(db_.session)
            make = Builders(db_.session)
            volunteer = make.user("volunteer")
            users = {
                "volunteer": volunteer,
                "coordinator": make.user("coordinator", region="KG-O"),
                "admin": make.user("admin"),
            }
            places = [make.community(code).id for code in ("KG-O-KSU-01", "KG-O-KSU-02")]
            places += list(db_.session.scalars(select(Community.id).order_by(Community.id).limit(40)))
            statuses = [Status.APPROVED] * 6 + [Status.SUBMITTED, Status.DRAFT, Status.RETURNED]
            rows = [
                {
                    "date": DAY - timedelta(days=k % 400),
                    "status": statuses[k % len(statuses)],
                    "community_id": places[k % len(places)],
                    "organisation_id": volunteer.organisation_id,
                    "author_id": volunteer.id,
                    "activity_type_code": "dialogue",
                    "submitted_at": datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=k),
                }
                for k in range(6000)
            ]
            db_.session.execute(insert(Activity), rows)
            db_.session.commit()
            db_.session.execute(text("ANALYZE"))
            db_.session.commit()
            yield app, users
            db_.session.remove()
            db_.engine.dispose()


@pytest.mark.parametrize("who", ["volunteer", "coordinator", "admin"])
@pytest.mark.parametrize(
    "filters", [{}, {"status": "approved"}, {"date_from": DAY - timedelta(days=90)}, {"community_id": 0}]
)
def test_sqlite_plans_with_statistics(analysed, who, filters):
    from app.entries.queries import CURSOR, filtered_records, record_page

    app, users = analysed
    with app.app_context():
        user = db_.session.merge(users[who])
        if "community_id" in filters:
            filters = {
                "community_id": db_.session.scalar(
                    select(Community.id).where(Community.code == "KG-O-KSU-01")
                )
            }
        kind = KINDS["activities"]
        row = db_.session.scalars(filtered_records(kind, user, filters).offset(30).limit(1)).one()
        cursor = keyset.encode(row.date, row.uuid)
        with _statements(db_.engine) as seen:
            record_page(kind, user, filters, None, 25)
            record_page(
                kind, user, filters, keyset.Position("after", keyset.decode(cursor, CURSOR), cursor), 25
            )
            record_page(
                kind, user, filters, keyset.Position("before", keyset.decode(cursor, CURSOR), cursor), 25
            )
        _assert_walks_an_index(db_, _list_queries(seen, "activities"))
        if who == "coordinator" and not filters:
            from app.review.queue import review_queue

            with _statements(db_.engine) as seen:
                page = review_queue(db_.session, user, per_page=25)
                review_queue(
                    db_.session,
                    user,
                    position=keyset.Position("after", keyset.decode(page.after, QUEUE_CURSOR), page.after),
                )
            _assert_walks_an_index(db_, _list_queries(seen, "activities"))
