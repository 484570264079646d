"""Place names in the reader's language, in its alphabetical order (issue 12)."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import select

from app.collation import in_order
from app.models import AuditEvent, Community, District, Region

from . import report_data
from .test_i18n_pages import _sign_in


@pytest.mark.parametrize(
    ("language", "shuffled", "alphabetical"),
    [
        # Kyrgyz: ң after н, ө after о, ү after у
        ("ky", ["Үч-Коргон", "Өзгөн", "Ош", "Ноокат", "Ңа-Жол", "Уч-Терек", "Арал"],
         ["Арал", "Ноокат", "Ңа-Жол", "Ош", "Өзгөн", "Уч-Терек", "Үч-Коргон"]),
        # Tajik: ғ after г, ӣ after и, қ after к, ӯ after у, ҳ after х, ҷ after ч
        ("tg", ["Ҷиликӯл", "Чорку", "Ҳисор", "Хоруғ", "Қубодиён", "Кӯлоб", "Ғарм", "Гулистон", "Ӣсор",
                "Исфара"],
         ["Гулистон", "Ғарм", "Исфара", "Ӣсор", "Кӯлоб", "Қубодиён", "Хоруғ", "Ҳисор", "Чорку", "Ҷиликӯл"]),
        # Uzbek Latin: oʻ, gʻ, sh, ch after z
        ("uz", ["Oʻsh", "Olma", "Zafar", "Gʻuzor", "Gulistan", "Shahrixon", "Sariq", "Chorvoq"],
         ["Gulistan", "Olma", "Sariq", "Zafar", "Oʻsh", "Gʻuzor", "Shahrixon", "Chorvoq"]),
        # Uzbek Cyrillic: ў қ ғ ҳ after я
        ("uz_Cyrl", ["Ўш", "Олма", "Ғузор", "Гулистон", "Қарши", "Кармана", "Ҳисор", "Хива", "Яккабоғ"],
         ["Гулистон", "Кармана", "Олма", "Хива", "Яккабоғ", "Ўш", "Қарши", "Ғузор", "Ҳисор"]),
        ("ru", ["Ивановка", "Есик", "Жалал-Абад", "Ёлка"], ["Ёлка", "Есик", "Жалал-Абад", "Ивановка"]),
    ],
)  # fmt: skip
def test_names_sort_in_each_languages_alphabet(language, shuffled, alphabetical):
    assert in_order(shuffled, str, language=language) == alphabetical


def _options(html: str) -> list[tuple[str, list[str]]]:
    """The community picker's groups: (district, [communities]) in page order."""
    picker = re.search(r'<select[^>]*id="community".*?</select>', html, re.S)[0]
    return [
        (group, re.findall(r"<option[^>]*>([^<]+)</option>", body))
        for group, body in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', picker, re.S)
    ]


@pytest.mark.parametrize("language", ["ru", "ky", "tg", "uz"])
def test_the_community_picker_shows_and_sorts_names_in_the_readers_language(make, db, login_as, language):
    make.organisation("KG-O-KSU", code="ORG-PAPER")  # a coordinator records paper forms for it
    coordinator = make.user("coordinator", region="KG-O", locale=language)
    db.session.commit()
    response = login_as(coordinator).get("/activities/new")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    groups = _options(html)
    districts = db.session.scalars(select(District).join(Region).where(Region.code == "KG-O")).all()
    expected_districts = in_order([d.names[language] for d in districts], str, language=language)
    assert [group for group, _names in groups] == expected_districts
    for group, names in groups:
        district = next(d for d in districts if d.names[language] == group)
        communities = db.session.scalars(select(Community).where(Community.district_id == district.id)).all()
        assert names == in_order([c.names[language] for c in communities], str, language=language)
    assert "Kara-Suu" not in html if language != "uz" else "Qorasuv" in html


def test_an_administrators_name_is_kept_and_a_missing_one_falls_back(make, db, app):
    community = make.community("KG-O-KSU-02")
    community.names = {**community.names, "ky": "Жаңы аты"}
    community.names.pop("tg", None)
    db.session.commit()
    with app.test_request_context(), force_locale("ky"):
        assert community.local_name == "Жаңы аты"
        assert (
            db.session.scalar(select(Community.local_name).where(Community.id == community.id)) == "Жаңы аты"
        )
    with app.test_request_context(), force_locale("tg"):
        assert community.local_name == community.name
        assert (
            db.session.scalar(select(Community.local_name).where(Community.id == community.id))
            == community.name
        )
    from app.services.reference import load_geography

    load_geography(db.session)
    assert community.names["ky"] == "Жаңы аты"  # init-db again keeps the administrator's name
    assert community.names["tg"]  # ... and fills the one missing


@pytest.mark.parametrize("language", ["ky", "tg", "uz"])
def test_the_workbook_names_places_in_its_language(runner, make, db, tmp_path, language):
    report_data.build(make, db)
    db.session.commit()
    out = tmp_path / "report.xlsx"
    result = runner.invoke(
        args=["export-report", "--out", str(out), "--from", "2025-01-01", "--to", "2025-06-30",
              "--audience", "coordinator", "--lang", language]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out, read_only=True)
    cells = {
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value
    }
    workbook.close()
    osh = db.session.scalar(select(Region).where(Region.code == "KG-O"))
    assert osh.names[language] in cells
    assert "Osh Region" not in cells


def test_an_administrator_names_a_community_in_each_language(app, make, db, login_as):
    admin = make.user("admin")
    community = make.community("KG-O-KSU-02")
    db.session.commit()
    client = login_as(admin)
    page = client.get(f"/admin/geography/communities/{community.code}/names")
    assert page.status_code == 200 and 'lang="ky"' in page.get_data(as_text=True)
    names = {
        "names-ru": "Новое имя",
        "names-ky": "Жаңы  аты ",
        "names-tg": "",
        "names-uz": "Yangi nom",
        "names-uz_Cyrl": "",
    }
    response = client.post(f"/admin/geography/communities/{community.code}/names", data=names)
    assert response.status_code == 302
    db.session.refresh(community)
    assert community.names == {"ru": "Новое имя", "ky": "Жаңы аты", "uz": "Yangi nom"}
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "update").order_by(AuditEvent.id)
    ).all()[-1]
    assert event.object_type == "community" and event.details["changed"] == ["names"]
    ky = make.user("volunteer", locale="ky")
    db.session.commit()
    assert "Жаңы аты" in _sign_in(app, ky).get("/activities/new").get_data(as_text=True)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Call 0555 123 456", "Please remove the phone number"),
        ("x" * 201, "Use at most 200 characters."),
        ("a\x00b", "Remove the control characters from this text."),
    ],
)
def test_a_bad_name_is_refused_beside_its_box(make, db, login_as, value, message):
    admin = make.user("admin")
    district = make.district("KG-O-KSU")
    before = dict(district.names)
    db.session.commit()
    response = login_as(admin).post(
        f"/admin/geography/districts/{district.code}/names", data={"names-ky": value}
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.refresh(district)
    assert district.names == before


def test_an_unknown_place_is_not_found(make, db, login_as):
    admin = make.user("admin")
    db.session.commit()
    assert login_as(admin).get("/admin/geography/regions/XX-NOWHERE/names").status_code == 404


def test_an_organisation_keeps_its_names_per_language(make, db, login_as):
    admin = make.user("admin")
    organisation = make.organisation("KG-O-KSU", code="ORG-NAMES")
    db.session.commit()
    client = login_as(admin)
    data = {
        "code": "ORG-NAMES",
        "name": organisation.name,
        "type": organisation.type.value,
        "district": "KG-O-KSU",
        "names-ru": "ОПОП Папан",
        "names-ky": "КТКП Папан",
    }
    assert client.post(f"/admin/organisations/{organisation.uuid}", data=data).status_code == 302
    db.session.refresh(organisation)
    assert organisation.names == {"ru": "ОПОП Папан", "ky": "КТКП Папан"}
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "update").order_by(AuditEvent.id)
    ).all()[-1]
    assert event.details["changed"] == ["names"]
