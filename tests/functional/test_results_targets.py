"""Targets as an Excel template: downloaded, filled in, uploaded back; every bad cell named by
its row and column, and nothing stored unless the whole file is right (issue 13)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from markupsafe import escape
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from app.models import AuditEvent, Indicator, IndicatorTarget, Measure, Programme, Region

START, END = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def programme(db):
    programme = Programme(code="PVE-T", name="Targets programme", start_date=START, end_date=END)
    programme.regions = [db.session.scalar(select(Region).where(Region.code == "KG-O"))]
    Indicator(programme=programme, code="A1", name="Activities", measure=Measure.ACTIVITIES)
    share = Indicator(
        programme=programme, code="W1", name="Share of women", measure=Measure.SHARE_WOMEN, unit="%"
    )
    share.targets = [IndicatorTarget(quarter=date(2025, 1, 1), value=40.0)]
    db.session.add(programme)
    db.session.commit()
    return programme


@pytest.fixture
def manager(make, db, login_as):
    user = make.user("coordinator", region="KG-O")
    db.session.commit()
    return login_as(user)


def _template(client) -> Workbook:
    response = client.get("/results/PVE-T/targets.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return load_workbook(io.BytesIO(response.get_data()))


def _upload(client, workbook: Workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return client.post(
        "/results/PVE-T/targets", data={"file": (buffer, "targets.xlsx")}, content_type="multipart/form-data"
    )


def _targets(db, programme) -> dict[tuple[str, date], float]:
    db.session.expire_all()
    return {
        (i.code, t.quarter): t.value
        for i in db.session.get(Programme, programme.id).indicators
        for t in i.targets
    }


def test_the_template_round_trip_stores_every_target(manager, db, programme):
    workbook = _template(manager)
    sheet = workbook["Targets"]
    assert [c.value for c in sheet[1]] == [
        "Indicator code",
        "Indicator",
        "Unit",
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
    ]
    assert [c.value for c in sheet[3]][:4] == ["W1", "Share of women", "%", 40]
    sheet["D2"], sheet["E2"], sheet["F2"], sheet["G2"] = 5, 6, 7, 8
    sheet["D3"], sheet["E3"] = None, 55.5  # an emptied cell removes the target
    response = _upload(manager, workbook)
    assert response.status_code == 303
    assert _targets(db, programme) == {
        ("A1", date(2025, 1, 1)): 5.0,
        ("A1", date(2025, 4, 1)): 6.0,
        ("A1", date(2025, 7, 1)): 7.0,
        ("A1", date(2025, 10, 1)): 8.0,
        ("W1", date(2025, 4, 1)): 55.5,
    }
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "programme")).one()
    assert event.details["changed"] == ["targets"] and event.details["targets"] == 5


@pytest.mark.parametrize(
    ("change", "cell", "message"),
    [
        (lambda ws: ws.__setitem__("D2", -3), "D2", "A target cannot be negative."),
        (lambda ws: ws.__setitem__("E2", "many"), "E2", "Enter a number, or leave the cell empty."),
        (lambda ws: ws.__setitem__("D3", 120), "D3", "This indicator is a share: a target of at most 100."),
        (lambda ws: ws.__setitem__("H1", "2026-Q1"), "H1", "This quarter is outside the programme's period."),
        (lambda ws: ws.__setitem__("B1", "Name"), "B1", "The header changed: keep it as downloaded."),
        (lambda ws: ws.__setitem__("A2", "ZZ9"), "A2", "Not an indicator of this programme, or given twice."),
        (
            lambda ws: ws.parent.create_sheet("Notes"),
            "",
            'The file must hold one sheet, "Targets", as downloaded.',
        ),
    ],
)
def test_a_bad_template_names_the_cell_and_stores_nothing(manager, db, programme, change, cell, message):
    before = _targets(db, programme)
    workbook = _template(manager)
    sheet = workbook["Targets"]
    sheet["E2"] = 9  # a good cell beside the bad one: not stored either
    change(sheet)
    response = _upload(manager, workbook)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert str(escape(message)) in html
    if cell:
        assert f'<span class="code">{cell}</span>' in html
    assert _targets(db, programme) == before


def test_not_a_workbook_and_no_file_are_refused(manager, db, programme):
    response = manager.post(
        "/results/PVE-T/targets",
        data={"file": (io.BytesIO(b"PK not really"), "t.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "This is not an Excel workbook (.xlsx)." in response.get_data(
        as_text=True
    )
    missing = manager.post("/results/PVE-T/targets", data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "Choose the targets file (.xlsx)." in missing.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "region", "status"),
    [("volunteer", None, 403), ("donor", None, 403), ("coordinator", "KG-J", 404), ("admin", None, 200)],
)
def test_who_may_set_targets(make, db, login_as, programme, role, region, status):
    user = make.user(role, region=region) if region else make.user(role)
    db.session.commit()
    assert login_as(user).get("/results/PVE-T/targets").status_code == status


def test_a_coordinator_of_part_of_the_area_sees_but_may_not_set(make, db, login_as, programme):
    programme.regions.append(db.session.scalar(select(Region).where(Region.code == "KG-J")))
    db.session.commit()
    osh_only = make.user("coordinator", region="KG-O")
    db.session.commit()
    assert login_as(osh_only).get("/results/PVE-T/targets").status_code == 403


@pytest.fixture
def survey(db, programme):
    indicator = Indicator(
        programme=programme, code="S1", name="Violence never justified", measure=Measure.MANUAL, unit="%"
    )
    db.session.add(indicator)
    db.session.commit()
    return indicator


def test_a_coordinator_enters_a_survey_actual_with_its_source(manager, db, programme, survey):
    url = "/results/PVE-T/indicators/S1/actuals"
    assert manager.get(url).status_code == 200
    data = {
        "quarter": "2025-04-01",
        "value": "62.5",
        "source_note": "Perception survey, May 2025, 400 people",
    }
    assert manager.post(url, data=data).status_code == 303
    assert manager.post(url, data={**data, "value": "64"}).status_code == 303  # corrected: one row
    db.session.expire_all()
    [row] = db.session.get(Indicator, survey.id).manual_actuals
    assert (row.quarter, row.value, row.source_note) == (date(2025, 4, 1), 64.0, data["source_note"])
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "indicator").order_by(AuditEvent.id)
    ).all()
    assert [e.details["value"] for e in events] == [[None, 62.5], [62.5, 64.0]]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quarter": "2026-01-01"}, "Choose a quarter of the programme."),
        ({"value": "-1"}, "The figure cannot be negative."),
        ({"value": "140"}, "This indicator is a share: at most 100."),
        ({"value": "lots"}, "Enter a number, e.g. 62.5."),
        ({"source_note": ""}, "Say where the figure comes from"),
        ({"source_note": "Call Aigul on 0555 123 456"}, "Please remove the phone number"),
    ],
)
def test_a_bad_actual_is_refused_beside_its_field(manager, db, programme, survey, changes, message):
    data = {"quarter": "2025-04-01", "value": "62.5", "source_note": "Perception survey", **changes}
    response = manager.post("/results/PVE-T/indicators/S1/actuals", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Indicator, survey.id).manual_actuals == []


def test_only_manual_indicators_take_actuals(manager, db, programme):
    assert manager.get("/results/PVE-T/indicators/A1/actuals").status_code == 404


def test_the_results_page_leads_managers_to_targets_and_actuals(manager, db, programme, survey):
    html = manager.get("/results/PVE-T").get_data(as_text=True)
    assert 'href="/results/PVE-T/targets"' in html
    assert 'href="/results/PVE-T/indicators/S1/actuals"' in html
    assert 'href="/results/PVE-T/indicators/A1/actuals"' not in html  # counted from records
