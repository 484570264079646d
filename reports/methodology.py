"""The workbook's Methodology sheet: definitions, sources, what counts, disclosure control, the
"not assessed" rule and data-quality counts. Mixed into :class:`reports.excel.WorkbookBuilder`.

Texts the dashboard shows too live in :mod:`reports.notes` (one place per text); those only the
workbook needs are here. Data-quality counts of records not approved (waiting for review,
returned for changes) are for coordinators only: donor figures never depend on them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.vocabulary import N_, RECOMMENDATIONS, STATUS_LABELS, Status

from . import tables
from . import workbook_queries as wq
from .excel_sheets import PARTIAL_NOTE
from .notes import (
    APPROVED_NOTE,
    GRID_NOTE,
    MEANS_NOTE,
    MULTI_NOTE,
    NOT_ASSESSED_NOTE,
    PERTURBATION_NOTE,
    SOURCES_NOTE,
    TOTALS_NOTE,
    WORKBOOK_SUPPRESSION_NOTE,
    widened_note,
)
from .suppression import EXACT_NOTE, small_mark
from .xlsx import BOLD, SECTION_FONT, TITLE_FONT, WARNING_FONT, Sheet

if TYPE_CHECKING:
    from .excel import WorkbookBuilder

#: (term, definition), in the order the sheet lists them.
DEFINITIONS = (
    (
        N_("Activity"),
        N_(
            "An engagement activity logged by a Local Crime Prevention Centre, a Public Council or a "
            "partner organisation: a community dialogue, a training, an awareness session, a "
            "mediation and so on."
        ),
    ),
    (
        N_("Participants"),
        N_(
            "People taking part in an activity, counted by sex and age band; no one is recorded by "
            "name. A person at two activities is counted twice."
        ),
    ),
    (N_("Share of women"), N_("Women and girls among all participants counted, of every age.")),
    (
        N_("Youth (18-29)"),
        N_(
            "Participants aged 18 to 29, the age of youth in UN Security Council resolution 2250 "
            "(youth, peace and security). Under 18 is an age band of its own."
        ),
    ),
    (
        N_("Communities reached"),
        N_("Communities (ayil aimak, jamoat or mahalla) with at least one activity in the period."),
    ),
    (
        N_("Incident"),
        N_(
            "A community incident such as hate speech online, a suspected recruitment approach, a "
            "dispute or intimidation. People affected appear only as counts."
        ),
    ),
    (
        N_("Driver assessment"),
        N_(
            "A periodic snapshot, per community, of how strongly each of 16 perceived drivers of "
            "violent extremism is felt: 0 not observed, 1 low, 2 medium, 3 high."
        ),
    ),
    (
        N_("Mean rating"),
        N_("The mean of the ratings one concern received in a region, or in all regions, over the period."),
    ),
    (
        N_("Previous period"),
        N_(
            "The period of the same length just before this one (for donors, the same number of "
            "whole months), with the same places and the same rules."
        ),
    ),
    (N_("Partial month"), PARTIAL_NOTE),
)
COORDINATOR_COUNTS_NOTE = N_(
    "Records submitted for review and records approved are counted, exactly. Drafts and records "
    "returned for changes are not, until they are submitted again."
)
COORDINATOR_QUALITY_NOTE = N_(
    "Records dated in the period, in the places of this workbook, by review status. Donor figures "
    "count the approved ones only."
)
DONOR_QUALITY_NOTE = N_(
    "Donor figures count approved records only. How many records wait for review or were returned "
    "for changes is not given to donors: in a small area such a count could point to the people "
    "behind the records. The coordinators' workbook gives these counts by region."
)
KINDS = (
    ("activities", N_("Activities")),
    ("incidents", N_("Incidents")),
    ("assessments", N_("Driver assessments")),
)


class MethodologySheet:
    """The Methodology sheet."""

    def _section(self: WorkbookBuilder, sheet: Sheet, title: str) -> None:
        sheet.blank()
        sheet.title(self.t(title), SECTION_FONT)

    def methodology(self: WorkbookBuilder) -> None:
        t, f, rules = self.t, self.f, self.rules
        sheet = self._sheet(t(N_("Methodology")), (50, 18, 12, 12, 12), landscape=False)
        sheet.ws.sheet_view.showGridLines = False
        sheet.title(t(N_("Methodology")), TITLE_FONT)
        sheet.append([self.period])

        self._section(sheet, N_("Definitions"))
        for term, text in DEFINITIONS:
            sheet.text(t(text), first=2, before=[sheet.cell(t(term), font=BOLD)])

        self._section(sheet, N_("Sources"))
        sheet.text(t(SOURCES_NOTE))
        sheet.header([t(N_("Code")), t(N_("Recommendation"))], height=20, span=5)
        for code, label, meaning in RECOMMENDATIONS:
            sheet.text(f"{t(label)}: {t(meaning)}", first=2, before=[code])

        self._section(sheet, N_("What counts"))
        if self.suppress:
            widened = widened_note(f, t, self._date)
            counts = [t(APPROVED_NOTE), t(GRID_NOTE), *([widened] if widened else [])]
        else:
            counts = [t(COORDINATOR_COUNTS_NOTE)]
        for note in [*counts, t(MULTI_NOTE)]:
            sheet.text(note)

        self._section(sheet, N_("Disclosure control"))
        if self.suppress:
            mark = {"below": self.threshold - 1, "mark": small_mark(self.threshold)}
            for note in (
                t(PERTURBATION_NOTE) % {"max": rules.table.max_change},
                t(TOTALS_NOTE),
                t(WORKBOOK_SUPPRESSION_NOTE) % mark,
                t(MEANS_NOTE),
            ):
                sheet.text(note)
            sheet.legend(self.hidden_notes, every=True)
        else:
            sheet.text(t(EXACT_NOTE), font=WARNING_FONT)

        self._section(sheet, N_("Concerns not assessed"))
        sheet.text(t(NOT_ASSESSED_NOTE))
        self._not_assessed(sheet)

        self._section(sheet, N_("Data quality"))
        if self.suppress:
            sheet.text(t(DONOR_QUALITY_NOTE))
        else:
            sheet.text(t(COORDINATOR_QUALITY_NOTE))
            self._review_counts(sheet)
        self.counts["methodology"] = sheet.rows

    def _not_assessed(self: WorkbookBuilder, sheet: Sheet) -> None:
        """Per concern: the assessments that rated it and those that left it not assessed; for
        donors perturbed and suppressed like any count, each line with the assessments' total."""
        t, rules = self.t, self.rules
        total = self.record_totals["assessments"]
        overall = self.overall_drivers()
        sheet.header([t(N_("Concern")), t(N_("Rated")), t(N_("Not assessed"))])
        published_total = rules.count(total.n, total.key)
        for code in tables.DRIVER_CODES:
            cell = overall[code]
            rated, skipped = cell.assessments, max(total.n - cell.assessments, 0)
            shown, _total = tables.line_with_total(
                [rules.count(rated, cell.key), rules.count(skipped, total.key - cell.key)],
                published_total,
                rules,
            )
            sheet.append([self.labels["driver"][code], *sheet.numbers(shown)])

    def _review_counts(self: WorkbookBuilder, sheet: Sheet) -> None:
        """Coordinators: records per region, kind and review status, exactly."""
        t = self.t
        counts = wq.review_status_by_region(self.session, self.f, counted=self.activity_review)
        statuses = [Status(s) for s in wq.QUALITY_STATUSES]
        labels = {Status.SUBMITTED: t(N_("Waiting for review"))}
        sheet.header(
            [t(N_("Region")), t(N_("Kind of entry")), *(labels.get(s, t(STATUS_LABELS[s])) for s in statuses)]
        )
        regions = sorted({region for region, _kind, _status in counts}, key=lambda r: self.names.get(r, r))
        for region in [*regions, None]:
            name = self.names.get(region, region) if region else sheet.cell(t(N_("All regions")), font=BOLD)
            for kind, label in KINDS:
                values = [
                    sum(
                        n
                        for (r, k, s), n in counts.items()
                        if k == kind and s == status and region in (None, r)
                    )
                    for status in wq.QUALITY_STATUSES
                ]
                sheet.append([name, t(label), *sheet.numbers(values)])
