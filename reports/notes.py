"""What a report says about itself: the notes of the Overview sheet and of the dashboard page.

One list for both, so that a donor reads the same explanation in the workbook and on the page:
which records count, the coarse grid (whole months, regions at the finest), the perturbation and
why, totals, and small-cell suppression.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from app.vocabulary import N_

from .filters import ReportFilters
from .suppression import EXACT_NOTE, SUPPRESSION_NOTE, small_mark
from .tables import Disclosure

Gettext = Callable[[str], str]

APPROVED_NOTE = N_(
    "Only records a coordinator has approved are counted. Drafts, records waiting for review and "
    "records returned for changes never are."
)
GRID_NOTE = N_(
    "Donor figures cover whole months and go no finer than a region: the dates asked for are "
    "widened to whole months (up to the current month), and a district, organisation or community "
    "cannot be chosen."
)
WIDENED_NOTE = N_("Donor figures cover whole months: %(start)s – %(end)s.")
PERTURBATION_NOTE = N_(
    "Every count is changed by a small amount, at most %(max)s up or down, fixed by the records it "
    "counts (the cell-key method): the same figure always shows the same number, but two "
    "overlapping reports cannot be subtracted to single out a person. Zero stays zero."
)
TOTALS_NOTE = N_(
    "A total is counted from its own records and changed on its own, so it may not equal the sum "
    "of the numbers shown beside it."
)
SOURCES_NOTE = N_(
    "Sources: engagement activities, community incidents and driver assessments logged by Local "
    "Crime Prevention Centres, Public Councils and partner organisations in Yntymak. The 14 "
    "recommendations are those of the 2016 Bishkek regional conference on preventing violent "
    "extremism. Records are counted at community level; people appear only as counts."
)
WORKBOOK_SUPPRESSION_NOTE = N_(
    "Counts from 1 to %(below)s are hidden so that no one can be singled out in a small community "
    "(%(mark)s on the dashboard): the cell is left empty and shaded grey, and its comment says why. "
    "A cell shaded light violet is hidden as well (* on the dashboard), because together with the "
    "total it would reveal a hidden count. Zero is shown. Hidden cells are empty rather than text, "
    "so columns can still be summed and charted; such a sum leaves the hidden numbers out."
)
NOT_ASSESSED_NOTE = N_(
    'A concern an assessment did not rate (left unrated or marked "Not assessed") is stored as no '
    'rating: it is left out of every mean, count and chart, and never counted as "not observed" (0).'
)
MEANS_NOTE = N_("A mean from fewer assessments than the suppression threshold is left blank.")
MULTI_NOTE = N_(
    "An activity that serves several recommendations or engages several target groups is counted "
    "under each, so these lines do not add up to the total."
)


def widened_note(filters: ReportFilters, gettext: Gettext, format_day: Callable[[date], str]) -> str | None:
    """ "Donor figures cover whole months: ..." when the period asked for was widened, else None."""
    if not filters.widened:
        return None
    return gettext(WIDENED_NOTE) % {
        "start": format_day(filters.date_from),
        "end": format_day(filters.date_to),
    }


def disclosure_notes(
    filters: ReportFilters, rules: Disclosure, gettext: Gettext, *, workbook: bool = False
) -> list[str]:
    """How the figures were protected (donors) or that they are exact (coordinators), translated.

    ``workbook``: the workbook's wording of suppression (empty shaded cells, not ``"<5"``).
    """
    t = gettext
    if not rules.donor:
        return [t(EXACT_NOTE)]
    suppression = WORKBOOK_SUPPRESSION_NOTE if workbook else SUPPRESSION_NOTE
    return [
        t(APPROVED_NOTE),
        t(GRID_NOTE),
        t(PERTURBATION_NOTE) % {"max": rules.table.max_change},
        t(TOTALS_NOTE),
        t(suppression) % {"below": rules.threshold - 1, "mark": small_mark(rules.threshold)},
    ]
