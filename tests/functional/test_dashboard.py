"""The dashboard page and the Excel export over HTTP: access, filters, scope, suppression, audit."""

from __future__ import annotations

import json
import re
from io import BytesIO

import pytest
from flask import url_for
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import AuditEvent
from reports.suppression import contains_small_count

from . import report_data

PERIOD = "from=2025-01-01&to=2025-06-30"


@pytest.fixture
def known(make, db):
    return report_data.build(make, db)


def _user(make, db, role):
    user = make.user(role)  # a coordinator defaults to Osh Region (KG-O)
    db.session.commit()
    return user


def _figures(html):
    found = re.search(r'<script type="application/json" id="dashboard-figures">(.*?)</script>', html, re.S)
    return json.loads(found[1])


@pytest.mark.parametrize("path", ["/dashboard", "/reports/export.xlsx"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("role", "status"), [("volunteer", 403), ("coordinator", 200), ("donor", 200), ("admin", 200)]
)
@pytest.mark.parametrize("path", ["/dashboard", "/reports/export.xlsx"])
def test_access_per_role(client, make, db, login_as, role, status, path):
    login_as(_user(make, db, role))
    assert client.get(path).status_code == status


def test_dashboard_shows_every_chart_and_links_the_export(known, client, make, db, login_as):
    login_as(_user(make, db, "admin"))
    response = client.get(f"/dashboard?{PERIOD}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    figures = _figures(html)
    assert set(figures) == {"recommendations", "participants", "monthly", "incidents", "drivers", "coverage"}
    assert all(figure["data"] for figure in figures.values())
    bundle = r"/static/vendor/plotly-yntymak-4\.1\.1\.min\.js\?v=[0-9a-f]{12}"
    assert re.search(f'<script defer fetchpriority="low" src="{bundle}">', html)
    assert re.search(r'<script defer src="/static/js/dashboard\.js\?v=[0-9a-f]{12}">', html)
    assert html.index("plotly-yntymak") < html.index("js/dashboard.js")  # deferred scripts run in order
    assert "/reports/export.xlsx?from=2025-01-01&amp;to=2025-06-30&amp;audience=coordinator" in html
    assert "audience=donor" in html


def test_donor_charts_never_show_a_small_count(known, client, make, db, login_as):
    login_as(_user(make, db, "donor"))
    html = client.get(f"/dashboard?{PERIOD}").get_data(as_text=True)
    figures = _figures(html)
    assert not contains_small_count([figure["data"] for figure in figures.values()], 5)
    assert "&lt;5" in html or "<5" in json.dumps(figures)
    assert "Only records a coordinator has approved are counted." in html
    assert "counted as if approved" not in html
    assert "at most 2 up or down" in html
    assert "Download donor version" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2025-07-01&to=2025-01-01", "The start date is after the end date."),
        ("from=2025-02-30", "Not a valid date value."),
        ("region=XX-9", "Unknown region code: XX-9."),
        ("country=TJ&region=KG-O", "Region KG-O is not in country TJ."),
        ("organisation=NOPE", "Unknown organisation code: NOPE."),
        ("status=draft", "Reports count submitted and approved records only."),
    ],
)
@pytest.mark.parametrize("path", ["/dashboard", "/reports/export.xlsx"])
def test_bad_filters_are_refused_with_a_message(client, make, db, login_as, query, message, path):
    login_as(_user(make, db, "admin"))
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="field-error"' in html
    assert message in html
    assert "dashboard-figures" not in html


@pytest.mark.parametrize("query", ["region=TJ-SU", "country=TJ", "district=TJ-SU-PNJ"])
def test_a_region_outside_the_coordinators_area_is_forbidden(known, client, make, db, login_as, query):
    login_as(_user(make, db, "coordinator"))
    for path in ("/dashboard", "/reports/export.xlsx"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 403
        html = response.get_data(as_text=True)
        assert "This is outside the area you are assigned." in html
        assert "Sughd" not in html.split('id="region"')[0] or "dashboard-figures" not in html


def test_coordinator_export_is_their_area_and_is_audited(known, client, make, db, login_as):
    coordinator = _user(make, db, "coordinator")
    login_as(coordinator)
    response = client.get(f"/reports/export.xlsx?{PERIOD}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "yntymak-coordinator-2025-01-01_2025-06-30.xlsx" in response.headers["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.data))
    rows = list(workbook["Activities"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3 and {row[2] for row in rows} == {"Osh Region"}
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert (event.object_type, event.user_id) == ("report", coordinator.id)
    assert event.details["audience"] == "coordinator"
    assert event.details["filters"]["from"] == "2025-01-01"
    assert event.details["rows"]["activity_rows"] == 3


def test_a_coordinator_can_export_the_donor_version(known, client, make, db, login_as):
    login_as(_user(make, db, "coordinator"))
    response = client.get(f"/reports/export.xlsx?{PERIOD}&audience=donor")
    workbook = load_workbook(BytesIO(response.data))
    assert "Activities" not in workbook.sheetnames
    cells = [c for s in workbook.worksheets for row in s.iter_rows() for c in row]
    # small counts are hidden as empty, commented number cells (never the count, never "<5" text)
    assert any(c.value is None and c.comment is not None for c in cells)
    assert "<5" not in [c.value for c in cells]


def test_donors_cannot_ask_for_records(known, client, make, db, login_as):
    login_as(_user(make, db, "donor"))
    response = client.get(f"/reports/export.xlsx?{PERIOD}&audience=coordinator")
    assert response.status_code == 200  # the audience choice is not offered to donors: ignored
    assert "Activities" not in load_workbook(BytesIO(response.data)).sheetnames


def test_plotly_is_loaded_only_on_dashboard_pages(app, client, make, db, login_as):
    login_as(_user(make, db, "admin"))
    with app.test_request_context():
        pages = [
            url_for("main.index"),
            url_for("entries.new", kind="activities"),
            url_for("entries.list", kind="incidents"),
        ]
    for page in pages:
        assert "plotly" not in client.get(page).get_data(as_text=True)
