"""Every registered route, classified: who may reach it, that POSTs need a CSRF token, that GETs
change nothing. Built from ``app.url_map``, so a new route fails here until it is classified.

Record routes (``/<kind>/...``) depend on the record's scope as well as the role: their full
role x scope matrix is in ``test_access.py``.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db as app_db
from app.models import ClosedPeriod, Country
from app.vocabulary import Status

#: Who may reach each endpoint: anyone, anyone signed in, or the roles named.
PUBLIC, SIGNED_IN, RECORDS = "public", "signed in", "records (see test_access.py)"
REVIEWERS = ("coordinator", "admin")
REPORTS = ("coordinator", "donor", "admin")
ADMIN = ("admin",)
ACCESS: dict[str, object] = {
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.set_language": PUBLIC,
    "auth.logout": SIGNED_IN,
    "main.index": SIGNED_IN,
    "entries.list": RECORDS,
    "entries.new": RECORDS,
    "entries.detail": RECORDS,
    "entries.edit": RECORDS,
    "entries.submit": RECORDS,
    "entries.delete": RECORDS,
    "review.approve": RECORDS,
    "review.return_": RECORDS,
    "review.reopen": RECORDS,
    "review.queue": REVIEWERS,
    "review.approve_many": REVIEWERS,
    "review.periods_page": REVIEWERS,
    "review.close_period": REVIEWERS,
    "review.reopen_period": ADMIN,
    "dashboard.index": REPORTS,
    "dashboard.export": REPORTS,
    "dashboard.issued": REPORTS,
    "dashboard.export_csv": REVIEWERS,  # the coordinator audience only: test_background_exports.py
    "dashboard.exports": REPORTS,  # a user's own jobs only (anyone else's: 404)
    "dashboard.export_job": REPORTS,
    "dashboard.export_job_status": REPORTS,
    "dashboard.export_download": REPORTS,
    "results.targets": RECORDS,  # programme scope too: tests/functional/test_results_targets.py
    "results.targets_template": RECORDS,
    "results.manual_actuals": RECORDS,
    "results.programme_new": REVIEWERS,  # within the coordinator's area: test_results_manage.py
    "results.programme_edit": REVIEWERS,  # programme scope too (404 here: no such programme)
    "results.indicator_new": REVIEWERS,
    "results.indicator_edit": REVIEWERS,
    "results.indicator_delete": REVIEWERS,
    "results.index": REPORTS,
    "results.programme": REPORTS,
    "admin.index": ADMIN,
    "admin.audit_log": ADMIN,
    "admin.geography_index": ADMIN,
    "admin.district": ADMIN,
    "admin.organisations_list": ADMIN,
    "admin.organisation_edit": ADMIN,
    "admin.organisation_status": ADMIN,
    "admin.organisation_create": ADMIN,
    "admin.users_list": ADMIN,
    "admin.user_edit": ADMIN,
    "admin.user_status": ADMIN,
    "admin.user_password": ADMIN,
    "admin.user_create": ADMIN,
    "admin.outbox_import": ADMIN,
    "admin.place_names": ADMIN,
    "api.put": RECORDS,
    "api.get": RECORDS,
    "api.session_info": SIGNED_IN,
    "api.openapi": PUBLIC,
    "offline.service_worker": PUBLIC,
    "offline.manifest": PUBLIC,
    "offline.outbox": SIGNED_IN,
}
ROLES = ("anonymous", "volunteer", "coordinator", "donor", "admin")


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def test_every_route_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(ACCESS) == set(), "classify the new routes in ACCESS (and test them)"
    assert set(ACCESS) - endpoints == set(), "ACCESS names routes that no longer exist"


@pytest.fixture
def world(make, db):
    volunteer = make.user("volunteer")
    people = {
        "volunteer": volunteer,
        "coordinator": make.user("coordinator", region="KG-O"),
        "donor": make.user("donor"),
        "admin": make.user("admin"),
    }
    record = make.activity(volunteer, status=Status.SUBMITTED)
    kg = db.session.scalar(select(Country).where(Country.code == "KG"))
    last_month = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    period = ClosedPeriod(month=last_month, country_id=kg.id, closed_by_id=people["admin"].id)
    db.session.add(period)
    db.session.commit()
    values = {
        "kind": "activities",
        "record_id": record.uuid,
        "user_uuid": volunteer.uuid,
        "organisation_uuid": volunteer.organisation.uuid,
        "code": "KG-O-KSU",
        "period_id": period.uuid,
        "action": "deactivate",
        "level": "districts",
        "programme_code": "NO-SUCH-PROGRAMME",
        "indicator_code": "NO-SUCH-INDICATOR",
        "job_uuid": uuid.uuid4(),  # no such export job: 404 for the roles that may look
    }
    return people, values


def _url(app, rule, values) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def _request(client, method: str, url: str):
    if method == "PUT":
        return client.put(url, json={})
    return client.get(url) if method == "GET" else client.post(url, data={})


@pytest.mark.parametrize("role", ROLES)
def test_who_reaches_each_route(app, client, login_as, world, role):
    people, values = world
    if role != "anonymous":
        login_as(people[role])
    problems = []
    for rule in _rules(app):
        access = ACCESS[rule.endpoint]
        if access in (RECORDS, PUBLIC):
            continue
        url = _url(app, rule, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.endpoint == "auth.logout" and role != "anonymous":
                continue  # signing out here would sign the rest of the loop out
            status = _request(client, method, url).status_code
            if role == "anonymous":
                # Pages send to the sign-in page; the JSON API answers 401.
                expected_ok = status == (401 if rule.endpoint.startswith("api.") else 302)
            elif access == SIGNED_IN:
                expected_ok = status < 400 or status == 422
            else:
                allowed = role in access
                expected_ok = (status != 403 and status < 500) if allowed else status == 403
            if not expected_ok:
                problems.append(f"{role} {method} {url}: {status}")
    assert problems == [], "\n".join(problems)


def test_every_post_refuses_a_missing_csrf_token(app, client, world, csrf_enabled, db):
    people, values = world
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    signed = client.post(
        "/login",
        data={"username": people["admin"].username, "password": "correct horse battery", "csrf_token": token},
    )
    assert signed.status_code == 302
    before = _row_counts()
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & {"POST", "PUT"}):
            url = _url(app, rule, values)
            assert _request(client, method, url).status_code == 400, (method, url)
    assert _row_counts() == before


def _row_counts() -> dict[str, int]:
    """Rows per table, audit log, report register and export jobs aside (reading a page or
    downloading a report is audited and registered, and a big one is a job: a record of the
    reading, not a change of data)."""
    app_db.session.expire_all()
    return {
        table.name: app_db.session.scalar(select(func.count()).select_from(table))
        for table in app_db.metadata.sorted_tables
        if table.name not in ("audit_events", "issued_reports", "export_jobs")
    }


@pytest.mark.parametrize("role", ["volunteer", "admin"])
def test_no_get_changes_data(app, client, login_as, world, role):
    people, values = world
    login_as(people[role])
    before = _row_counts()
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint != "static":
            assert _request(client, "GET", _url(app, rule, values)).status_code < 500
    assert _row_counts() == before
