"""The offline blueprint: the web app manifest, the service worker's script and headers, and the
outbox page for each role."""

from __future__ import annotations

import json
import re

import pytest

from app.offline.routes import SHELL_FILES

ROLES = ("volunteer", "coordinator", "donor", "admin")


def test_the_manifest_makes_the_site_installable(client):
    response = client.get("/manifest.webmanifest", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "Community safety log"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    assert manifest["icons"] and all(icon["src"].startswith("/static/") for icon in manifest["icons"])


def test_the_manifest_speaks_the_browsers_language(client):
    manifest = json.loads(
        client.get("/manifest.webmanifest", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    )
    assert manifest["lang"] == "ru"


def test_every_page_links_the_manifest(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html


def test_the_service_worker_is_served_from_the_root_revalidated_as_javascript(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "Content-Security-Policy" in response.headers


def test_the_service_worker_precaches_the_current_version_of_every_shell_file(app, client):
    source = client.get("/sw.js").get_data(as_text=True)
    config = json.loads(re.match(r"self\.YNTYMAK_OFFLINE = (\{.*\});\n", source).group(1))
    with app.test_request_context():
        from flask import url_for

        expected = [url_for("static", filename=name) for name in SHELL_FILES]
    assert config["shell"] == expected
    assert all(re.search(r"\?v=[0-9a-f]{12}$", url) for url in config["shell"])
    for url in config["shell"]:  # each one exists, so the install cannot fail
        file = client.get(url)
        assert file.status_code == 200, url
        file.close()
    assert config["outbox"] == "/outbox"


def test_the_service_worker_never_keeps_the_api(client):
    source = client.get("/sw.js").get_data(as_text=True)
    assert 'url.pathname.indexOf("/api/") === 0) return;' in source


def test_the_outbox_asks_to_sign_in(client):
    response = client.get("/outbox")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_the_outbox_page_for_each_role(make, db, login_as, role):
    user = make.user(role)
    db.session.commit()
    response = login_as(user).get("/outbox")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert f'data-user="{user.uuid}"' in html
    assert "Sync now" in html and "Save a copy" in html
    strings = json.loads(
        re.search(r'<script type="application/json" id="outbox-strings">(.*?)</script>', html, re.S).group(1)
    )
    assert strings["state_waiting"] == "Waiting to be sent" and strings["state_refused"] == "Refused"
    assert ('href="/outbox"' in html) == (role != "donor")  # in the menu of those who record entries


def test_a_volunteer_keeps_the_forms_and_a_donor_only_the_outbox(make, db, login_as, app):
    volunteer = make.user("volunteer")
    donor = make.user("donor")
    db.session.commit()
    html = login_as(volunteer).get("/").get_data(as_text=True)
    pages = json.loads(re.search(r'data-offline-pages="([^"]*)"', html).group(1).replace("&#34;", '"'))
    assert pages == ["/outbox", "/activities/new", "/incidents/new", "/assessments/new"]
    client = app.test_client()
    client.post("/login", data={"username": donor.username, "password": "correct horse battery"})
    html = client.get("/dashboard").get_data(as_text=True)
    pages = json.loads(re.search(r'data-offline-pages="([^"]*)"', html).group(1).replace("&#34;", '"'))
    assert pages == ["/outbox"]


def test_a_new_form_says_its_kind_and_an_edit_form_its_record(make, db, login_as):
    from app.vocabulary import Status

    volunteer = make.user("volunteer")
    record = make.activity(volunteer, status=Status.DRAFT)
    db.session.commit()
    client = login_as(volunteer)
    new = client.get("/activities/new").get_data(as_text=True)
    assert 'data-outbox-kind="activities"' in new and "data-record-uuid" not in new
    edit = client.get(f"/activities/{record.uuid}/edit").get_data(as_text=True)
    assert f'data-record-uuid="{record.uuid}"' in edit
