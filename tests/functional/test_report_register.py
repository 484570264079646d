"""Every workbook issued is registered: who, when, filters, closed period, records counted, and
the SHA-256 of the file; its id is on the Overview sheet (issue 13)."""

from __future__ import annotations

import hashlib
from datetime import date
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from app.kinds import KINDS
from app.models import ClosedPeriod, Country, IssuedReport
from app.services.periods import period_closed
from app.vocabulary import Status

from ..factories import PASSWORD

PERIOD = "from=2025-01-01&to=2025-06-30"


def _reports(db) -> list[IssuedReport]:
    db.session.expire_all()
    return list(db.session.scalars(select(IssuedReport).order_by(IssuedReport.id)))


def _cells(content: bytes) -> dict[str, list]:
    workbook = load_workbook(BytesIO(content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets
    }


def test_a_download_is_registered_with_its_hash_and_its_id_on_the_overview(coordinator, login_as, db):
    response = login_as(coordinator).get(f"/reports/export.xlsx?{PERIOD}&audience=coordinator")
    assert response.status_code == 200
    content = response.get_data()
    [issued] = _reports(db)
    assert issued.user_id == coordinator.id and issued.via == "web" and issued.audience == "coordinator"
    assert issued.sha256 == hashlib.sha256(content).hexdigest()
    assert issued.filters["from"] == "2025-01-01" and issued.filters["to"] == "2025-06-30"
    assert issued.records_counted > 0 and issued.period_closed is False
    overview = _cells(content)["Overview"]
    assert ["Report ID", str(issued.uuid)] in [row[:2] for row in overview]


def test_the_register_counts_the_records_the_workbook_counts(coordinator, login_as, db, make):
    client = login_as(coordinator)
    client.get(f"/reports/export.xlsx?{PERIOD}&audience=donor")
    client.get(f"/reports/export.xlsx?{PERIOD}&audience=coordinator")
    donor, exact = _reports(db)
    assert donor.audience == "donor" and donor.records_counted <= exact.records_counted
    approved = sum(  # the coordinator's own region, whatever the audience
        1
        for kind in KINDS.values()
        for record in db.session.scalars(select(kind.model).where(kind.model.status == Status.APPROVED))
        if date(2025, 1, 1) <= record.date <= date(2025, 6, 30) and record.community.code.startswith("KG-O-")
    )
    assert donor.records_counted == approved


def test_a_closed_period_gives_the_same_figures_again(coordinator, login_as, db, make):
    admin = make.user("admin")
    kg = db.session.scalar(select(Country).where(Country.code == "KG"))
    for month in range(1, 7):
        db.session.add(ClosedPeriod(month=date(2025, month, 1), country_id=kg.id, closed_by_id=admin.id))
    db.session.commit()
    client = login_as(coordinator)
    first = client.get(f"/reports/export.xlsx?{PERIOD}&audience=donor&region=KG-O").get_data()
    second = client.get(f"/reports/export.xlsx?{PERIOD}&audience=donor&region=KG-O").get_data()
    one, two = _reports(db)
    assert one.period_closed and two.period_closed and one.uuid != two.uuid
    a, b = _cells(first), _cells(second)
    a.pop("Overview"), b.pop("Overview")  # its id and time differ; every figure is the same
    assert a == b


def test_period_closed_needs_every_month_of_every_region(db, make):
    admin = make.user("admin")
    kg = db.session.scalar(select(Country).where(Country.code == "KG"))
    db.session.add(ClosedPeriod(month=date(2025, 1, 1), country_id=kg.id, closed_by_id=admin.id))
    db.session.commit()
    osh = frozenset(c.id for d in make.district("KG-O-KSU").region.districts for c in d.communities)
    assert period_closed(db.session, date(2025, 1, 1), date(2025, 1, 31), osh)
    assert not period_closed(db.session, date(2025, 1, 1), date(2025, 2, 28), osh)
    assert not period_closed(db.session, date(2025, 1, 1), date(2025, 1, 31), None)  # Tajikistan too


def test_the_command_line_registers_and_prints_the_id(coordinator, runner, db, tmp_path):
    out = tmp_path / "r.xlsx"
    result = runner.invoke(
        args=["export-report", "--out", str(out), "--from", "2025-01-01", "--to", "2025-06-30"]
    )
    assert result.exit_code == 0, result.output
    [issued] = _reports(db)
    assert issued.via == "cli" and issued.user_id is None and str(issued.uuid) in result.output
    assert issued.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()


def test_the_register_page_lists_ones_own_and_everything_for_admins(coordinator, login_as, db, make, app):
    login_as(coordinator).get(f"/reports/export.xlsx?{PERIOD}&audience=coordinator")
    [mine] = _reports(db)
    other = make.user("coordinator", region="KG-J")
    admin = make.user("admin")
    db.session.commit()
    page = login_as(coordinator).get("/reports/issued").get_data(as_text=True)
    assert str(mine.uuid) in page and mine.sha256[:16] in page
    others = app.test_client()
    others.post("/login", data={"username": other.username, "password": PASSWORD})
    assert str(mine.uuid) not in others.get("/reports/issued").get_data(as_text=True)
    everyone = app.test_client()
    everyone.post("/login", data={"username": admin.username, "password": PASSWORD})
    html = everyone.get("/reports/issued").get_data(as_text=True)
    assert str(mine.uuid) in html and coordinator.username in html


def test_volunteers_have_no_register(make, db, login_as):
    volunteer = make.user("volunteer")
    db.session.commit()
    assert login_as(volunteer).get("/reports/issued").status_code == 403
