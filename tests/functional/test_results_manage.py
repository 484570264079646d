"""Defining programmes and indicators from the results pages (issue 13): administrators anywhere,
coordinators within their own area; every refusal beside its field, 422, nothing stored; every
change audited by field name."""

from __future__ import annotations

import re
from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.models import AuditEvent, Indicator, IndicatorTarget, ManualActual, Measure, Programme, Region

START, END = date(2025, 1, 1), date(2025, 12, 31)


def field_error(page: str, field: str) -> str | None:
    """The text of the error shown beside ``field`` (the area picker: "area"), or None."""
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', page, re.S)
    return match.group(1) if match else None


def has_error(response, field: str, message: str) -> bool:
    page = response.get_data(as_text=True)
    return message in str(field_error(page, field)) or str(escape(message)) in str(field_error(page, field))


def programmes(db) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(Programme.code).order_by(Programme.code)))


def events(db, object_type: str) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.object_type == object_type).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


def programme_data(**changes) -> dict:
    data = {
        "code": "pve-new",
        "name": "Safe villages of Osh",
        "names-ru": "Безопасные сёла Оша",
        "start_date": "2025-01-01",
        "end_date": "2026-06-30",
        "regions": ["KG-O"],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def as_admin(make, db, login_as):
    admin = make.user("admin")
    db.session.commit()
    return login_as(admin)


@pytest.fixture
def as_osh(make, db, login_as):
    """A coordinator of Osh Region (KG-O)."""
    user = make.user("coordinator", region="KG-O")
    db.session.commit()
    return login_as(user)


@pytest.fixture
def programme(db):
    """A programme in Osh Region with a count, a share and a survey indicator, with targets."""
    programme = Programme(code="PVE-M", name="Managed programme", start_date=START, end_date=END)
    programme.regions = [db.session.scalar(select(Region).where(Region.code == "KG-O"))]
    Indicator(programme=programme, code="A1", name="Dialogues", measure=Measure.ACTIVITIES)
    share = Indicator(programme=programme, code="W1", name="Women", measure=Measure.SHARE_WOMEN, unit="%")
    share.targets = [IndicatorTarget(quarter=date(2025, 10, 1), value=40.0)]
    survey = Indicator(programme=programme, code="S1", name="Trust", measure=Measure.MANUAL, unit="%")
    survey.manual_actuals = [ManualActual(quarter=date(2025, 1, 1), value=41.0, source_note="Survey")]
    db.session.add(programme)
    db.session.commit()
    return programme


# Programmes: create ------------------------------------------------------------------------------


def test_an_administrator_creates_a_programme_anywhere(as_admin, make, db):
    donor = make.user("donor", username="eu.donor")
    db.session.commit()
    response = as_admin.post(
        "/results/new",
        data=programme_data(countries=["TJ"], regions=["KG-O", "KG-J"], donors=[donor.username]),
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/results/PVE-NEW")
    stored = db.session.scalars(select(Programme).where(Programme.code == "PVE-NEW")).one()
    assert (stored.name, stored.names, stored.start_date, stored.end_date) == (
        "Safe villages of Osh",
        {"ru": "Безопасные сёла Оша"},
        date(2025, 1, 1),
        date(2026, 6, 30),
    )
    assert [c.code for c in stored.countries] == ["TJ"]
    assert sorted(r.code for r in stored.regions) == ["KG-J", "KG-O"]
    assert [d.username for d in stored.donors] == ["eu.donor"]
    [event] = events(db, "programme")
    assert event.action == "create" and event.object_uuid == stored.uuid
    assert event.details == {"code": "PVE-NEW", "countries": ["TJ"], "regions": ["KG-J", "KG-O"], "donors": 1}


def test_a_coordinator_creates_one_in_their_region_and_may_then_manage_it(as_osh, db):
    form = as_osh.get("/results/new").get_data(as_text=True)
    assert 'value="KG-O"' in form
    assert 'value="KG-J"' not in form and 'value="KG"' not in form  # neither outside nor the whole country
    assert as_osh.post("/results/new", data=programme_data()).status_code == 303
    page = as_osh.get("/results/PVE-NEW").get_data(as_text=True)
    assert "/results/PVE-NEW/edit" in page and "/results/PVE-NEW/indicators/new" in page


def test_a_country_coordinator_may_choose_the_whole_country(make, db, login_as):
    user = make.user("coordinator", country="KG")
    db.session.commit()
    client = login_as(user)
    assert 'value="KG"' in client.get("/results/new").get_data(as_text=True)
    assert client.post("/results/new", data=programme_data(countries=["KG"], regions=None)).status_code == 303
    assert [c.code for c in db.session.scalars(select(Programme)).one().countries] == ["KG"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"regions": ["KG-J"]}, "area"), ({"countries": ["KG"], "regions": None}, "area")],
)
def test_a_coordinator_is_refused_an_area_outside_their_own(as_osh, db, changes, field):
    response = as_osh.post("/results/new", data=programme_data(**changes))
    assert response.status_code == 422
    assert has_error(response, field, "Choose only countries and regions of your own area")
    assert programmes(db) == [] and events(db, "programme") == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2024-12-31"}, "end_date", "The end date cannot be before the start date."),
        ({"regions": None}, "area", "Choose at least one country or region."),
        ({"code": "PVE NEW!"}, "code", "Use Latin capital letters, digits and hyphens only"),
        ({"code": ""}, "code", "A code is required."),
        ({"name": ""}, "name", "A name is required."),
        ({"name": "Call 0555 123 456"}, "name", "Please remove the phone number"),
        ({"start_date": "2014-01-01"}, "start_date", "A programme cannot start before 2015."),
        ({"end_date": "2040-01-01"}, "end_date", "A programme lasts at most 10 years."),
        ({"start_date": "1.1.2025"}, "start_date", "Not a valid date value."),
        ({"donors": ["nobody"]}, "donors", "Choose only from the options shown."),
    ],
)
def test_a_bad_programme_is_refused_beside_its_field(as_admin, db, changes, field, message):
    response = as_admin.post("/results/new", data=programme_data(**changes))
    assert response.status_code == 422
    assert has_error(response, field, message), response.get_data(as_text=True)[:3000]
    assert programmes(db) == [] and events(db, "programme") == []


def test_a_taken_code_is_refused_whatever_its_case(as_admin, db, programme):
    response = as_admin.post("/results/new", data=programme_data(code="pve-m"))
    assert response.status_code == 422
    assert has_error(response, "code", "The code PVE-M is already used by another programme.")
    assert programmes(db) == ["PVE-M"]


# Programmes: edit --------------------------------------------------------------------------------


def test_editing_a_programme_audits_the_fields_changed(as_osh, db, programme):
    form = as_osh.get("/results/PVE-M/edit").get_data(as_text=True)
    assert 'value="PVE-M"' in form and 'value="2025-12-31"' in form
    data = programme_data(code="PVE-M", name="Managed programme, phase 2", end_date="2026-03-31")
    data.pop("names-ru")
    response = as_osh.post("/results/PVE-M/edit", data=data)
    assert response.status_code == 303
    db.session.expire_all()
    assert (programme.name, programme.end_date) == ("Managed programme, phase 2", date(2026, 3, 31))
    [event] = events(db, "programme")
    assert event.action == "update" and event.details == {"code": "PVE-M", "changed": ["end_date", "name"]}
    unchanged = as_osh.post("/results/PVE-M/edit", data=data)
    assert unchanged.status_code == 303 and len(events(db, "programme")) == 1


@pytest.mark.parametrize(
    ("changes", "field", "quarters"),
    [
        ({"end_date": "2025-09-30"}, "end_date", "Q4 2025"),  # the share's Q4 target
        ({"start_date": "2025-04-01"}, "start_date", "Q1 2025"),  # the survey's Q1 actual
    ],
)
def test_a_period_that_would_orphan_targets_or_actuals_is_refused(
    as_admin, db, programme, changes, field, quarters
):
    response = as_admin.post("/results/PVE-M/edit", data=programme_data(code="PVE-M", **changes))
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), field)
    assert message and quarters in message and "outside this period" in message
    db.session.expire_all()
    assert (programme.start_date, programme.end_date, programme.name) == (START, END, "Managed programme")
    assert events(db, "programme") == []


@pytest.mark.parametrize(
    ("role", "region", "status"),
    [("volunteer", None, 403), ("donor", None, 403), ("coordinator", "KG-J", 404), ("admin", None, 200)],
)
def test_who_may_edit_a_programme(make, db, login_as, programme, role, region, status):
    user = make.user(role, region=region) if region else make.user(role)
    db.session.commit()
    client = login_as(user)
    assert client.get("/results/PVE-M/edit").status_code == status
    assert client.get("/results/PVE-M/indicators/new").status_code == status
    assert client.get("/results/PVE-M/indicators/A1/edit").status_code == status
    posted = client.post("/results/PVE-M/edit", data=programme_data(code="PVE-M", name="Taken over"))
    assert posted.status_code == (303 if status == 200 else status)
    assert client.get("/results/new").status_code == (200 if role in ("coordinator", "admin") else 403)


def test_a_coordinator_of_part_of_the_area_may_not_edit(make, db, login_as, programme):
    programme.regions.append(db.session.scalar(select(Region).where(Region.code == "KG-J")))
    db.session.commit()
    osh_only = make.user("coordinator", region="KG-O")
    db.session.commit()
    client = login_as(osh_only)
    assert client.get("/results/PVE-M").status_code == 200
    assert client.get("/results/PVE-M/edit").status_code == 403
    assert client.post("/results/PVE-M/indicators/A1/delete", data={"confirm": "y"}).status_code == 403
    assert "/results/PVE-M/edit" not in client.get("/results/PVE-M").get_data(as_text=True)


def test_volunteers_and_donors_may_not_create(make, db, login_as):
    for role in ("volunteer", "donor"):
        client = login_as(make.user(role))
        assert client.post("/results/new", data=programme_data()).status_code == 403
    assert programmes(db) == []


def test_the_new_programme_button_shows_to_those_who_may_create(make, db, login_as):
    for role, shown in (("admin", True), ("coordinator", True), ("donor", False)):
        user = make.user(role)
        db.session.commit()
        page = login_as(user).get("/results").get_data(as_text=True)
        assert ('href="/results/new"' in page) is shown, role


# Indicators --------------------------------------------------------------------------------------


def indicator_data(**changes) -> dict:
    data = {
        "code": "2.1",
        "name": "Young women taking part",
        "names-ky": "Катышкан жаш аялдар",
        "measure": "participants",
        "only_activity_types": ["dialogue", "training"],
        "only_sex": "f",
        "only_age_bands": ["u18", "18_29"],
        "recommendations": ["R6", "R3"],
        "unit": "people",
        "direction": "increase",
        "baseline_value": "120",
        "baseline_date": "2024-12-31",
        "target_total": "900",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def indicator(db, code: str) -> Indicator | None:
    db.session.expire_all()
    return db.session.scalar(select(Indicator).where(Indicator.code == code))


def test_a_coordinator_adds_an_indicator_with_its_filters(as_osh, db, programme):
    page = as_osh.get("/results/PVE-M/indicators/new").get_data(as_text=True)
    assert "Share of women among participants" in page and 'value="online_content"' in page
    response = as_osh.post("/results/PVE-M/indicators/new", data=indicator_data())
    assert response.status_code == 303 and response.headers["Location"].endswith("/results/PVE-M")
    stored = indicator(db, "2.1")
    assert stored.programme_id == programme.id
    assert (stored.name, stored.names, stored.measure, stored.unit) == (
        "Young women taking part",
        {"ky": "Катышкан жаш аялдар"},
        Measure.PARTICIPANTS,
        "people",
    )
    assert stored.filters == {
        "activity_types": ["dialogue", "training"],
        "sex": "f",
        "age_bands": ["18_29", "u18"],
    }
    assert [r.code for r in stored.recommendations] == ["R3", "R6"]
    assert (stored.baseline_value, stored.baseline_date, stored.target_total) == (
        120.0,
        date(2024, 12, 31),
        900.0,
    )
    [event] = events(db, "indicator")
    assert event.action == "create" and event.details == {
        "code": "2.1",
        "programme": "PVE-M",
        "measure": "participants",
    }
    assert "/results/PVE-M/indicators/2.1/edit" in as_osh.get("/results/PVE-M").get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"baseline_value": "-5"}, "baseline_value", "The figure cannot be negative."),
        ({"target_total": "-1"}, "target_total", "The figure cannot be negative."),
        ({"baseline_value": "many"}, "baseline_value", "Enter a number, e.g. 62.5."),
        (
            {"measure": "share_youth", "only_age_bands": None, "target_total": "120"},
            "target_total",
            "This indicator is a share: at most 100.",
        ),
        ({"unit": "%", "baseline_value": "101"}, "baseline_value", "This indicator is a share: at most 100."),
        (
            {
                "measure": "mean_rating",
                "only_driver": "unemployment",
                "only_activity_types": None,
                "only_sex": None,
                "only_age_bands": None,
                "target_total": "3.5",
                "baseline_value": "2",
            },
            "target_total",
            "A mean rating is from 0 (not observed) to 3 (high): at most 3.",
        ),
        (
            {
                "measure": "mean_rating",
                "only_activity_types": None,
                "only_sex": None,
                "only_age_bands": None,
                "baseline_value": "2",
                "target_total": "1",
            },
            "only_driver",
            "Choose the concern whose ratings are averaged.",
        ),
        (
            {"baseline_date": "2026-01-01"},
            "baseline_date",
            "The baseline cannot be dated after the programme ends.",
        ),
        (
            {"only_categories": ["online_content"]},
            "only_categories",
            "The measure chosen does not use this filter",
        ),
        ({"measure": "share_women"}, "only_sex", "The measure chosen does not use this filter"),
        (
            {"measure": "activities", "only_sex": None},
            "only_age_bands",
            "The measure chosen does not use this filter",
        ),
        (
            {"only_activity_types": ["picnic"]},
            "only_activity_types",
            "Choose only from the options shown.",
        ),
        ({"measure": "everything"}, "measure", "Not a valid choice."),
        ({"code": "a1"}, "code", "The code A1 is already used by another indicator of this programme."),
        ({"code": "2 1"}, "code", "Use Latin letters, digits, dots and hyphens only"),
        ({"name": "mail aigul@example.org"}, "name", "Please remove the e-mail address"),
    ],
)
def test_a_bad_indicator_is_refused_beside_its_field(as_osh, db, programme, changes, field, message):
    response = as_osh.post("/results/PVE-M/indicators/new", data=indicator_data(**changes))
    assert response.status_code == 422
    assert has_error(response, field, message), field_error(response.get_data(as_text=True), field)
    assert indicator(db, "2.1") is None and events(db, "indicator") == []


def test_editing_an_indicator_audits_the_fields_changed(as_osh, db, programme):
    form = as_osh.get("/results/PVE-M/indicators/A1/edit").get_data(as_text=True)
    assert 'value="A1"' in form and "Remove the indicator" in form
    data = indicator_data(
        code="A1", name="Dialogues", measure="activities", only_sex=None, only_age_bands=None
    )
    data.pop("names-ky")
    assert as_osh.post("/results/PVE-M/indicators/A1/edit", data=data).status_code == 303
    stored = indicator(db, "A1")
    assert stored.filters == {"activity_types": ["dialogue", "training"]} and stored.target_total == 900.0
    [event] = events(db, "indicator")
    assert event.action == "update" and event.details["changed"] == [
        "baseline_date",
        "baseline_value",
        "filters",
        "recommendations",
        "target_total",
        "unit",
    ]


def test_a_measure_its_stored_targets_would_break_is_refused(as_admin, db, programme):
    count = indicator(db, "A1")
    count.targets.append(IndicatorTarget(quarter=date(2025, 4, 1), value=250.0))
    db.session.commit()
    data = indicator_data(code="A1", name="Dialogues", measure="share_youth", only_age_bands=None, unit="%")
    data.update(baseline_value="10", target_total="50")
    response = as_admin.post("/results/PVE-M/indicators/A1/edit", data=data)
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), "measure")
    assert message and "Q2 2025" in message
    assert indicator(db, "A1").measure == Measure.ACTIVITIES and events(db, "indicator") == []


def test_a_survey_with_actuals_stays_a_survey(as_admin, db, programme):
    data = indicator_data(code="S1", name="Trust", measure="activities", only_sex=None, only_age_bands=None)
    response = as_admin.post("/results/PVE-M/indicators/S1/edit", data=data)
    assert response.status_code == 422 and field_error(response.get_data(as_text=True), "measure")
    assert indicator(db, "S1").measure == Measure.MANUAL


def test_removing_an_indicator_needs_the_box_and_takes_its_targets(as_osh, db, programme):
    refused = as_osh.post("/results/PVE-M/indicators/W1/delete", data={})
    assert refused.status_code == 422 and has_error(refused, "confirm", "Tick the box to confirm.")
    assert indicator(db, "W1") is not None
    response = as_osh.post("/results/PVE-M/indicators/W1/delete", data={"confirm": "y"})
    assert response.status_code == 303
    assert indicator(db, "W1") is None
    assert db.session.scalar(select(func.count()).select_from(IndicatorTarget)) == 0
    [event] = events(db, "indicator")
    assert event.action == "delete" and event.details == {
        "code": "W1",
        "programme": "PVE-M",
        "targets": 1,
        "actuals": 0,
    }
    assert as_osh.get("/results/PVE-M/indicators/W1/edit").status_code == 404


# CSRF ------------------------------------------------------------------------------------------


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_the_forms_need_their_csrf_token(as_admin, db, programme, csrf_enabled):
    assert as_admin.post("/results/new", data=programme_data()).status_code == 400
    assert as_admin.post("/results/PVE-M/edit", data=programme_data(code="PVE-M")).status_code == 400
    assert as_admin.post("/results/PVE-M/indicators/new", data=indicator_data()).status_code == 400
    assert as_admin.post("/results/PVE-M/indicators/A1/delete", data={"confirm": "y"}).status_code == 400
    assert programmes(db) == ["PVE-M"] and indicator(db, "A1") is not None
    token = _token(as_admin.get("/results/new").get_data(as_text=True))
    assert as_admin.post("/results/new", data={**programme_data(), "csrf_token": token}).status_code == 303
    assert programmes(db) == ["PVE-M", "PVE-NEW"]


def test_the_service_refuses_an_area_outside_scope_whatever_the_door(make, db):
    from app.errors import DomainError
    from app.services.programme_admin import create_programme

    coordinator = make.user("coordinator", region="KG-O")
    values = {**programme_data(regions=["KG-J"]), "start_date": START, "end_date": END, "countries": []}
    with pytest.raises(DomainError) as refused:
        create_programme(db.session, values, actor=coordinator)
    assert refused.value.field == "regions" and refused.value.code == "area_outside_scope"
