"""Every page, in every language, shows no English source string (names and codes aside)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from app.models import Community, Country, District, Organisation, Region, User
from app.vocabulary import Status

from ..factories import PASSWORD
from ..pages import page_urls

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("ru", "ky", "tg", "uz", "uz_Cyrl")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


class _VisibleText(HTMLParser):
    """Text a person reads: text nodes outside script/style, plus placeholders and button values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attributes = dict(attrs)
        for name in ("placeholder", "aria-label", "title"):
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_fragments(locale: str) -> list[tuple[str, re.Pattern]]:
    """Source strings whose translation differs, as patterns (literal parts of 2+ letters words)."""
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f, locale=locale)
    patterns = []
    for message in catalog:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        translated = message.string if isinstance(message.string, str) else message.string[0]
        if not translated or translated == source:
            continue
        for fragment in PLACEHOLDER.split(source):
            fragment = fragment.strip(" .,:;!?()-—\"'«»")
            if len(fragment) < 4 or not re.search(r"[A-Za-z]{3}", fragment):
                continue
            if fragment in translated:  # e.g. "Excel" kept in a translation
                continue
            patterns.append((fragment, re.compile(r"(?<![A-Za-z])" + re.escape(fragment) + r"(?![A-Za-z])")))
    return patterns


def _names(db) -> list[str]:
    names: list[str] = []
    for model in (Organisation, Community, District, Region, Country):
        names += db.session.scalars(select(model.name)).all()
    names += db.session.scalars(select(User.username)).all()
    return sorted(set(names), key=len, reverse=True)


def _sign_in(app, user: User):
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_is_translated(app, db, make, locale):
    organisation = make.organisation("KG-O-KSU", code="ORG-I18N")
    organisation.name = "Ала-Тоо"
    volunteer = make.user("volunteer", organisation=organisation, locale=locale)
    draft = {"status": Status.DRAFT}
    records = {
        "activities": make.activity(volunteer, outcome="", partners="", follow_up="", **draft),
        "incidents": make.incident(volunteer, description="", **draft),
        "assessments": make.assessment(volunteer, **draft),
    }
    admin = make.user("admin", locale=locale)
    db.session.commit()
    patterns = english_fragments(locale)
    names = _names(db)

    # Entry pages as the volunteer who logs them, everything else as an administrator.
    as_volunteer, as_admin = _sign_in(app, volunteer), _sign_in(app, admin)
    anonymous = app.test_client()
    pages = [(anonymous, "/login", {"Accept-Language": locale})]
    for url in page_urls(app, records, admin, organisation):
        is_entry = url == "/" or url.split("/")[1] in records
        pages.append((as_volunteer if is_entry else as_admin, url, {}))
    problems = []
    for client, url, headers in pages:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
        if response.mimetype != "text/html":  # the Excel export has its own test
            continue
        text = visible_text(response.get_data(as_text=True))
        for name in names:
            text = text.replace(name, " ")
        left = sorted({fragment for fragment, pattern in patterns if pattern.search(text)})
        if left:
            problems.append(f"{url}: {left[:8]}")
    assert problems == [], f"English left in {locale}:\n" + "\n".join(problems)
