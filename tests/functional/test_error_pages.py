"""The app's own error pages: too much data (413) and an unexpected error (500), never a bare page."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import Activity

from . import entry_data


@pytest.fixture
def volunteer_client(make, db, login_as):
    volunteer = make.user("volunteer")
    db.session.commit()
    return login_as(volunteer)


def test_a_body_over_the_limit_is_413_and_stores_nothing(volunteer_client, make, db, app):
    data = entry_data.activity(
        make.community("KG-O-KSU-02").id, outcome="x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    )
    response = volunteer_client.post("/activities/new", data=data)
    assert response.status_code == 413
    assert "Too much sent at once" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Activity.id))) == 0


def test_an_unexpected_error_shows_the_apps_page_and_is_logged(volunteer_client, app, caplog, monkeypatch):
    def broken() -> str:
        raise RuntimeError("a bug")

    monkeypatch.setitem(app.view_functions, "main.index", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = volunteer_client.get("/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html and "a bug" not in html
    assert any("a bug" in str(record.exc_info) for record in caplog.records if record.exc_info)


@pytest.mark.parametrize("text", ["Round\x00table", "bell\x07", "esc\x1b[31m", "c1\x85c1"])
def test_control_characters_are_refused_in_any_field(volunteer_client, make, db, text):
    data = entry_data.activity(make.community("KG-O-KSU-02").id, outcome=text, partners=text)
    response = volunteer_client.post("/activities/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="outcome-error"' in html and "Remove the control characters from this text." in html
    assert db.session.scalar(select(func.count(Activity.id))) == 0


def test_nul_in_the_sign_in_name_is_refused_not_a_500(client, make, db):
    make.user("volunteer", username="aigul")
    db.session.commit()
    response = client.post(
        "/login",
        data={"username": "aig\x00ul", "password": "whatever it is"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code in (400, 401, 422)
    assert "Remove the control characters from this text." in response.get_data(as_text=True)


def test_line_breaks_and_tabs_are_kept(volunteer_client, make, db):
    data = entry_data.activity(make.community("KG-O-KSU-02").id, outcome="First line.\r\n\tSecond line.")
    assert volunteer_client.post("/activities/new", data=data).status_code == 303
    assert db.session.scalar(select(Activity.outcome)) == "First line.\r\n\tSecond line."
