"""Every page on a 360 px phone, in Russian: nothing scrolls sideways, no control is cut."""

from __future__ import annotations

import pytest

from app.vocabulary import Status
from tests import factories
from tests.pages import page_urls

from .conftest import sign_in

#: Pages that are files, not screens.
DOWNLOADS = ("/reports/export.xlsx", "/reports/export.csv.zip", "/sw.js", "/manifest.webmanifest", "/api/")
#: A background export's status (JSON) and file.
NOT_PAGES = (".xlsx", ".json", "/download")


@pytest.fixture
def world(make, db):
    organisation = make.organisation("KG-O-KSU", code="ORG-PHONE")
    volunteer = make.user("volunteer", organisation=organisation, locale="ru")
    admin = make.user("admin", locale="ru")
    records = {
        "activities": make.activity(volunteer, status=Status.DRAFT),
        "incidents": make.incident(volunteer, status=Status.DRAFT),
        "assessments": make.assessment(volunteer, status=Status.DRAFT),
    }
    make.activity(volunteer, status=Status.SUBMITTED)  # something in the review queue
    db.session.commit()
    return volunteer, admin, records, organisation


def test_no_page_scrolls_sideways_at_360(app, page, server, world):
    volunteer, admin, records, organisation = world
    page.set_viewport_size({"width": 360, "height": 740})
    urls = [
        u
        for u in page_urls(app, records, admin, organisation)
        if not u.startswith(DOWNLOADS) and not u.endswith(NOT_PAGES)
    ]
    problems = []
    for user in (volunteer, admin):
        page.context.clear_cookies()
        sign_in(page, server, user.username, factories.PASSWORD)
        for url in urls:
            is_entry = url == "/" or url.split("/")[1] in records
            if (user is volunteer) != is_entry:
                continue
            response = page.goto(server + url)
            if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
                problems.append(f"{url}: {response.status}")
                continue
            wide = page.evaluate(
                """() => {
                    const limit = window.innerWidth + 1;
                    if (document.documentElement.scrollWidth <= limit) return [];
                    return [...document.querySelectorAll('body *')]
                      .filter(e => e.getBoundingClientRect().right > limit)
                      .slice(0, 3).map(e => e.tagName + '.' + e.className);
                }"""
            )
            if wide:
                problems.append(f"{url}: wider than the screen: {wide}")
    assert problems == [], "\n".join(problems)
