"""The workbook's Overview sheet: what the report covers, the headline figures against the
previous period (the dashboard's, computed the same way: :func:`reports.tables.headline`), a
split by country, and the notes. Mixed into :class:`reports.excel.WorkbookBuilder`.

Donor and coordinator Overviews have the same rows (the coordinator's confidential banner takes
the donor's blank third row), so that their figures line up row for row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from app.vocabulary import N_, STATUS_LABELS

from . import queries as q
from . import tables
from .filters import AUDIENCE_LABELS
from .notes import disclosure_notes, widened_note
from .suppression import EXACT_NOTE
from .xlsx import (
    BOLD,
    CONFIDENTIAL_FILL,
    CONFIDENTIAL_FONT,
    DERIVED,
    PERCENT,
    PERCENT_CHANGE,
    TITLE_FONT,
    WARNING_FONT,
    Sheet,
)

if TYPE_CHECKING:
    from .excel import WorkbookBuilder

CONFIDENTIAL = N_("Confidential")
OVERVIEW_WIDTHS = (38, 15, 17, 15, 15)


class OverviewSheet:
    """The Overview sheet."""

    def overview(self: WorkbookBuilder) -> None:
        t, f = self.t, self.f
        sheet = self._sheet(t(N_("Overview")), OVERVIEW_WIDTHS, landscape=False)
        sheet.ws.sheet_view.showGridLines = False
        sheet.title(t(N_("Yntymak: community prevention of violent extremism")), TITLE_FONT)
        sheet.append([t(N_("Progress against the 14 recommendations of the 2016 Bishkek conference"))])
        if self.suppress:
            sheet.blank()  # the same rows for both audiences, so that their figures line up
        else:
            banner = sheet.cell(t(CONFIDENTIAL), font=CONFIDENTIAL_FONT)
            banner.fill = CONFIDENTIAL_FILL
            sheet.text(t(EXACT_NOTE), first=2, before=[banner], font=WARNING_FONT)
        sheet.blank()
        stamp = format_datetime(
            self.generated_at, format="medium", tzinfo=ZoneInfo(self.timezone), locale=self.locale
        )
        widened = widened_note(f, t, self._date)
        lines = [
            (N_("Period"), f"{self.period}\n{widened}" if widened else self.period),
            (N_("Audience"), t(AUDIENCE_LABELS[f.audience])),
            (N_("Generated at"), f"{stamp} ({self.timezone})"),
            (N_("Records counted"), ", ".join(t(STATUS_LABELS[s]) for s in f.statuses)),
        ]
        if self.report_id:
            lines.append((N_("Report ID"), self.report_id))  # the register of issued reports
        filters = [
            (N_("Country"), f.country),
            (N_("Region"), f.region),
            (N_("District"), f.district),
            (N_("Organisation"), f.organisation),
            (N_("Assigned area"), f.scope_name),
        ]
        lines += [(label, value) for label, value in filters if value]
        if not any(value for _label, value in filters):
            lines.append((N_("Filters"), t(N_("None: every area"))))
        for label, value in lines:
            sheet.text(value, first=2, before=[sheet.cell(t(label), font=BOLD)])
        self._headline(sheet)
        self._countries(sheet)
        sheet.blank()
        sheet.title(t(N_("Notes")))
        notes = disclosure_notes(f, self.rules, t, workbook=True) if self.suppress else []
        notes.append(t(N_("Definitions, sources, what counts and data quality: see the Methodology sheet.")))
        for note in notes:
            sheet.text(note)
        self._legend(sheet)
        self.counts["overview"] = sheet.rows

    def _headline(self: WorkbookBuilder, sheet: Sheet) -> None:
        """Headline figures, this period against the previous one of the same length."""
        t, rules = self.t, self.rules
        previous = self.f.previous()
        prev_counts = q.record_counts(self.session, previous)
        prev_totals = q.activity_totals(self.session, previous)
        now, before = (
            self.headline,
            tables.headline(prev_totals, rules.tally(prev_counts["incidents"]), rules),
        )
        sheet.blank()
        sheet.title(t(N_("Headline figures")))
        dates = f"{self._date(previous.date_from)} – {self._date(previous.date_to)}"
        sheet.header(
            [
                t(N_("Figure")),
                t(N_("This period")),
                f"{t(N_('Previous period'))}\n{dates}",
                t(N_("Change, %")),
            ],
            height=62,
        )
        figures = [
            (N_("Activities"), now.activities, before.activities, True),
            (N_("Participants"), now.participants, before.participants, True),
            (N_("Share of women among participants"), now.women_share, before.women_share, False),
            (N_("Share of youth (18-29) among participants"), now.youth_share, before.youth_share, False),
            (N_("Communities reached"), now.communities, before.communities, True),
            (N_("Incidents"), now.incidents, before.incidents, True),
            (
                N_("Driver assessments"),
                rules.tally(self.record_totals["assessments"]),
                rules.tally(prev_counts["assessments"]),
                True,
            ),
        ]
        for label, current, past, count in figures:
            if count:
                values = sheet.numbers([current, past])
                change = tables.Headline.share(current, past)
                change = change - 1 if isinstance(change, float) else change
                values.append(self._derived(sheet, change, PERCENT_CHANGE))
            else:
                values = [self._derived(sheet, current, PERCENT), self._derived(sheet, past, PERCENT), None]
            sheet.append([t(label), *values])
        sheet.text(
            t(N_("Change: this period against the previous period of the same length, just before it."))
        )

    def _derived(self: WorkbookBuilder, sheet: Sheet, value: object, fmt: str) -> object:
        """A share or change worked out from published counts; hidden when one of them is."""
        if isinstance(value, str):
            return sheet.hidden_cell(DERIVED, fmt)
        return sheet.cell(value, fmt=fmt)

    def _countries(self: WorkbookBuilder, sheet: Sheet) -> None:
        """Activities, participants, communities reached and incidents per country, and in all."""
        t, rules, totals = self.t, self.rules, self.totals
        incidents: dict[str, list[int]] = {}
        for _category, _month, region, n, key in self.cube:
            tally = incidents.setdefault(self.region_country.get(region, ""), [0, 0])
            tally[0] += n
            tally[1] += key
        codes = sorted(set(self.by_country) | set(incidents), key=lambda c: t(self.country_names.get(c, c)))
        rows = [self.by_country.get(c, q.CountRow(c)) for c in codes]
        found = [q.Tally(*incidents.get(c, (0, 0))) for c in codes]
        grand = q.Tally(sum(i.n for i in found), sum(i.key for i in found))
        columns = [
            tables.line_with_total(
                [rules.count(r.activities, r.key) for r in rows],
                rules.count(totals.activities, totals.key),
                rules,
            ),
            tables.line_with_total(
                [rules.count(r.participants, r.key, tables.PARTICIPANTS) for r in rows],
                rules.count(totals.participants, totals.key, tables.PARTICIPANTS),
                rules,
            ),
            tables.line_with_total(
                [rules.count(r.communities, r.communities_key) for r in rows],
                rules.count(totals.communities, totals.communities_key),
                rules,
            ),
            tables.line_with_total(
                [rules.count(i.n, i.key) for i in found], rules.count(grand.n, grand.key), rules
            ),
        ]
        sheet.blank()
        sheet.title(t(N_("By country")))
        sheet.header(
            [t(N_("Country")), t(N_("Activities")), t(N_("Participants")), t(N_("Communities reached")),
             t(N_("Incidents"))]
        )  # fmt: skip
        for index, code in enumerate(codes):
            values = [cells[index] for cells, _total in columns]
            sheet.append([t(self.country_names.get(code, code)), *sheet.numbers(values)])
        sheet.append(
            [sheet.cell(t(N_("Total")), font=BOLD), *sheet.numbers([total for _c, total in columns])]
        )
        self.counts["countries"] = len(codes)
