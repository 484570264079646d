"""The entry pages (list, form, refused form, edit, detail of every kind) on a 360 px phone in Russian,
Kyrgyz and Tajik: nothing scrolls sideways, nothing sticks out, no word is split across lines inside
a table cell, a choice, a badge or a label. Screenshots at 360 and 768 px in Russian, to look at."""

from __future__ import annotations

import pytest

from app.vocabulary import Status
from tests import factories

from .conftest import SCREENSHOTS, SIZES, sign_in

KINDS = ("activities", "incidents", "assessments")

#: Everything a word must not be split in.
TEXT = (
    "main td, main th, main .option, main .option span, main .badge, main summary, main legend, main label, "
    "main .btn, main .record-meta, main dt, main dd, main h1, main h2, main p"
)

#: Lists the problems on the page: wider than the screen, something sticking out of it, a box
#: (cell, choice, button, label) narrower than its text, a word whose letters land on two lines.
CHECK = """(selector) => {
  const problems = [];
  const limit = window.innerWidth + 1;
  const width = document.documentElement.scrollWidth;
  if (width > limit) problems.push('page ' + width);
  // text kept for screen readers only (a clipped, absolutely placed box) is not on the screen
  const unseen = (el) => {
    for (let a = el; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.position === 'absolute' && style.clip !== 'auto') return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('main *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > limit && !unseen(el))
      problems.push('sticks out: ' + el.tagName + '.' + el.className);
  }
  for (const el of document.querySelectorAll(selector)) {
    if (!el.getClientRects().length || unseen(el)) continue;
    if (el.clientWidth && el.scrollWidth > el.clientWidth + 1)
      problems.push('too narrow for its text: ' + el.tagName + ' ' + el.textContent.trim().slice(0, 40));
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const words = /[^\\s\\-\\u2010-\\u2015\\/·:;,.()«»"“”]+/gu;
      let match;
      while ((match = words.exec(node.textContent))) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = [...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top));
        if (new Set(lines).size > 1) problems.push('word split: ' + match[0] + ' in ' + el.tagName);
      }
    }
  }
  return [...new Set(problems)];
}"""


@pytest.fixture
def records(make, db, request):
    locale = getattr(request, "param", "ru")
    volunteer = make.user("volunteer", locale=locale)
    records = {
        "activities": make.activity(
            volunteer,
            status=Status.DRAFT,
            target_groups=("youth", "women", "prison_staff"),
            recommendations=("R4", "R10", "R13"),
            f_18_29=12,
            m_60p=100_000,
        ),
        "incidents": make.incident(
            volunteer, status=Status.RETURNED, review_comment="Add the response.", f_u18=3
        ),
        "assessments": make.assessment(
            volunteer,
            status=Status.DRAFT,
            ratings={"discrimination": 0, "police_repression": 2, "belonging": 3},
        ),
    }
    make.activity(volunteer, status=Status.APPROVED)
    make.incident(volunteer, status=Status.SUBMITTED)
    db.session.commit()
    return volunteer, records


def _unfold(page) -> None:
    """Open every folded group and rate every concern, so that every word is on the screen."""
    page.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true; })")
    for row in page.locator("[data-driver-row]").all():
        row.locator(".rating-choices .option").first.click()


def _pages(server: str, kind: str, record) -> list[tuple[str, str, int]]:
    return [
        ("list", f"{server}/{kind}", 200),
        ("list-refused", f"{server}/{kind}?date_from=2024-02-01&date_to=2024-01-01", 400),
        ("new", f"{server}/{kind}/new", 200),
        ("edit", f"{server}/{kind}/{record.uuid}/edit", 200),
        ("detail", f"{server}/{kind}/{record.uuid}", 200),
    ]


@pytest.mark.parametrize(
    ("records", "screen"),
    [("ru", "phone"), ("ky", "phone"), ("tg", "phone"), ("ru", "tablet")],
    indirect=["records"],
)
def test_entry_pages_fit_without_splitting_words(page, server, records, screen):
    volunteer, stored = records
    page.set_viewport_size(SIZES[screen])
    sign_in(page, server, volunteer.username, factories.PASSWORD)
    problems = []
    for kind in KINDS:
        for name, url, status in _pages(server, kind, stored[kind]):
            response = page.goto(url)
            assert response.status == status, url
            _unfold(page)
            problems += [f"{kind} {name}: {p}" for p in page.evaluate(CHECK, TEXT)]
            if name == "new":  # and the same form refused, with its messages
                page.locator("#community").select_option("")
                page.locator("#submit").click()
                _unfold(page)
                problems += [f"{kind} refused: {p}" for p in page.evaluate(CHECK, TEXT)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("size", list(SIZES))
def test_screenshots_in_russian(page, server, records, size):
    volunteer, stored = records
    page.set_viewport_size(SIZES[size])
    sign_in(page, server, volunteer.username, factories.PASSWORD)
    SCREENSHOTS.mkdir(exist_ok=True)
    height = SIZES[size]["height"]
    for kind in KINDS:
        for name, url, _status in _pages(server, kind, stored[kind]):
            page.goto(url)
            if name == "new" and kind == "assessments":
                page.locator("#concerns-justice > summary").click()
                page.locator("#rating_injustice").locator(".rating-choices .option").nth(2).click()
            # what the screen shows, screen by screen (the save bar where it really is)
            total = page.evaluate("document.documentElement.scrollHeight")
            for step, y in enumerate(range(0, min(total, 4 * height), height)):
                page.evaluate(f"window.scrollTo(0, {y})")
                page.screenshot(path=str(SCREENSHOTS / f"entry-{kind}-{name}-{size}-{step}.png"))
            assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
