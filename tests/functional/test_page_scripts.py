"""Pages read in the reader's script: a Russian, Kyrgyz or Tajik page is Cyrillic, an Uzbek one
Latin. Place and organisation names included (issue 12), so a page does not look like a foreign
tool's. Codes (R1-R14, KG-O-KSU-02, LCPC-KARASUU), usernames and the language switcher's own
names are left out of the count."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.models import Organisation, User
from app.vocabulary import Status
from forms.auth import LANGUAGE_NAMES

from ..pages import page_urls
from .test_i18n_pages import _sign_in, visible_text

LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
#: Codes people read as codes: R4, KG-O-KSU-02, LCPC-KARASUU, ORG-7, a UUID (or its first part),
#: a SHA-256 (the register of issued reports), a file's type, a file's name (an export's).
CODE = re.compile(
    r"\b(?:R\d{1,2}|[A-Z0-9]+(?:[-_][A-Z0-9]+)+|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|[0-9a-f]{8,64}…?)"
    r"(?![\w-])|\b(?:SHA-256|Excel)\b|\byntymak-[\w.-]+\.(?:xlsx|zip)\b"
)
#: The other script may be at most this share of the letters of a page.
MAX_SHARE = 0.03
#: Which letters count as the wrong script for a page in each language.
WRONG = {"ru": LATIN, "ky": LATIN, "tg": LATIN, "uz": CYRILLIC, "uz_Cyrl": LATIN}


def wrong_share(text: str, wrong: re.Pattern) -> tuple[float, str]:
    """The share of letters in the wrong script, and a sample of the words holding them."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0, ""
    bad = [c for c in letters if wrong.match(c)]
    sample = " ".join(sorted({w for w in text.split() if wrong.search(w)})[:12])
    return len(bad) / len(letters), sample


#: The test client's user agent, which the audit log shows as it came.
AGENT = "Werkzeug/"


def readable_text(html: str, usernames: list[str]) -> str:
    text = re.sub(AGENT + r"\S+", " ", visible_text(html))
    for name in [*usernames, *LANGUAGE_NAMES.values()]:
        text = text.replace(name, " ")
    return CODE.sub(" ", text)


@pytest.mark.parametrize("locale", list(WRONG))
def test_every_page_is_in_the_readers_script(app, db, make, locale):
    organisation = db.session.scalar(select(Organisation).where(Organisation.code == "LCPC-KARASUU"))
    organisation = organisation or make.organisation("KG-O-KSU", code="LCPC-KARASUU")
    organisation.names = {
        "ru": "ОПОП Кашгар-Кыштак",
        "ky": "КТКП Кашгар-Кыштак",
        "tg": "Нуқтаи ҷамъиятии ҳифзи тартиботи Кашғар-Қишлоқ",
        "uz": "Qashqar-Qishloq jamoat tartibini saqlash punkti",
        "uz_Cyrl": "Қашқар-Қишлоқ жамоат тартибини сақлаш пункти",
    }
    volunteer = make.user("volunteer", organisation=organisation, locale=locale)
    draft = {"status": Status.DRAFT}  # no free text: the words volunteers write are theirs
    records = {
        "activities": make.activity(volunteer, outcome="", partners="", follow_up="", **draft),
        "incidents": make.incident(volunteer, description="", **draft),
        "assessments": make.assessment(volunteer, **draft),
    }
    admin = make.user("admin", locale=locale)
    coordinator = make.user("coordinator", region="KG-O", locale=locale)
    donor = make.user("donor", locale=locale)
    db.session.commit()
    usernames = list(db.session.scalars(select(User.username)))
    clients = {
        role: _sign_in(app, user)
        for role, user in (
            ("volunteer", volunteer),
            ("coordinator", coordinator),
            ("donor", donor),
            ("admin", admin),
        )
    }
    problems = []
    for url in page_urls(app, records, admin, organisation):
        for role, client in clients.items():
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue  # not this role's page (its access has its own tests), or a download
            share, sample = wrong_share(
                readable_text(response.get_data(as_text=True), usernames), WRONG[locale]
            )
            if share > MAX_SHARE:
                problems.append(f"{role} {url}: {share:.0%} ({sample})")
    assert problems == [], f"{locale} pages in the wrong script:\n" + "\n".join(problems)
