"""The donor-ready workbook (openpyxl, write-only: memory stays flat however many rows there are).

Sheets: Overview, By recommendation (with a native bar chart), Participants, Incidents, and for
coordinators Activities and Incident records (one row per record), then Drivers. Every text cell
that could come from a person goes through :func:`safe_text`, so it can never become a formula.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import IO
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.compat import safe_string
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy.orm import Session

from app.vocabulary import (
    ACTIVITY_TYPES,
    AGE_BAND_LABELS,
    DRIVERS,
    INCIDENT_CATEGORIES,
    INCIDENT_STATUS_LABELS,
    N_,
    RECOMMENDATIONS,
    RESPONSE_LABELS,
    SEVERITY_LABELS,
    SEX_LABELS,
    STATUS_LABELS,
    TARGET_GROUPS,
    label_map,
)

from . import queries as q
from . import tables
from .filters import AUDIENCE_LABELS, DONOR_STATUS_NOTE, ReportFilters
from .suppression import EXACT_NOTE, SUPPRESSION_NOTE, small_mark, suppress_value

Gettext = Callable[[str], str]

#: First characters that make a spreadsheet treat text as a formula or command.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2F5D62")
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")
INTEGER = "#,##0"
RATING = "0.00"
CHANGE = "+0.00;-0.00;0.00"
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")

SOURCES_NOTE = N_(
    "Sources: engagement activities, community incidents and driver assessments logged by Local "
    "Crime Prevention Centres, Public Councils and partner organisations in Yntymak. The 14 "
    "recommendations are those of the 2016 Bishkek regional conference on preventing violent "
    "extremism. Records are counted at community level; people appear only as counts."
)
MULTI_NOTE = N_(
    "An activity that serves several recommendations or engages several target groups is counted "
    "under each, so these lines do not add up to the total."
)


@dataclass
class ExportResult:
    filename: str
    #: Rows written per sheet kind, for the audit log.
    counts: dict[str, int] = field(default_factory=dict)


def export_filename(filters: ReportFilters) -> str:
    """``yntymak-donor-2025-01-01_2025-12-31.xlsx``: the file name carries the period."""
    return f"yntymak-{filters.audience.value}-{filters.date_from:%Y-%m-%d}_{filters.date_to:%Y-%m-%d}.xlsx"


def safe_text(sheet: WriteOnlyWorksheet, value: str) -> str | Cell:
    """Text a person typed, kept as text: never a formula, never an illegal XML character."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # a string, whatever it starts with
        cell.quotePrefix = True  # and Excel / LibreOffice keep it text when edited
        return cell
    return value


class _Sheet:
    """A write-only sheet with styled headers and number formats."""

    def __init__(self, workbook: Workbook, title: str, widths: Iterable[float] = ()) -> None:
        self.ws: WriteOnlyWorksheet = workbook.create_sheet(_sheet_title(title))
        self.widths = list(widths)
        for index, width in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        # Printed or saved as PDF: landscape, as wide as the page, as many pages down as needed.
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.rows = 0

    def cell(
        self, value: object, *, font: Font | None = None, fmt: str | None = None, wrap: bool = False
    ) -> object:
        if value is None:
            return None
        if isinstance(value, str):
            value = safe_text(self.ws, value)
        if font is None and fmt is None and not wrap:
            return value
        cell = value if isinstance(value, Cell) else WriteOnlyCell(self.ws, value=value)
        if font is not None:
            cell.font = font
        if fmt is not None and isinstance(value, int | float):
            cell.number_format = fmt
        if wrap:
            cell.alignment = WRAP
        return cell

    def append(self, values: Iterable[object]) -> None:
        self.ws.append(list(values))
        self.rows += 1

    def header(self, values: Iterable[str], height: float = 32) -> None:
        self.ws.row_dimensions[self.rows + 1].height = height
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.ws, value=value)
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
            cells.append(cell)
        self.append(cells)

    def numbers(self, values: Iterable[object], fmt: str = INTEGER) -> list:
        return [self.cell(v, fmt=fmt) for v in values]

    def title(self, text: str, font: Font = SECTION_FONT) -> None:
        self.append([self.cell(text, font=font)])

    def blank(self) -> None:
        self.append([])

    def note(self, text: str, column: int = 1) -> None:
        """Wrapped text in ``column``, the row made tall enough to show all of it."""
        width = self.widths[column - 1] if len(self.widths) >= column else 60
        lines = max(1, -(-len(text) * 11 // (width * 10)))  # ~1.1 characters per unit of width
        self.ws.row_dimensions[self.rows + 1].height = 15 * lines
        self.append([*[""] * (column - 1), self.cell(text, wrap=True)])


class _RowStream:
    """Writes plain record rows straight into a write-only sheet's XML, below its header.

    openpyxl spends ~15 us a cell (a cell object, type checks, coordinates, one XML element at a
    time); the record sheets hold millions of cells, so they are written here as text instead, cell
    for cell what openpyxl writes (inline strings, numbers, dates with openpyxl's date style).
    Every string is kept as text like :func:`safe_text` does: illegal characters dropped, and a
    formula-like start written as a quote-prefixed string, never a formula.

    Use: append the header through the sheet as usual, then ``write(rows)`` once, which closes the
    sheet: openpyxl has written the sheet up to the header row, the rows go in after it.
    """

    CHUNK = 500

    def __init__(self, sheet: _Sheet, columns: int) -> None:
        self.sheet, self.columns = sheet, columns
        self.letters = [get_column_letter(i) for i in range(1, columns + 1)]
        # openpyxl's own date style; registering it here puts it in styles.xml.
        self.date_style = WriteOnlyCell(sheet.ws, value=date(2000, 1, 1)).style_id
        self._quoted_style: int | None = None
        self._dates: dict[date, str] = {}

    @property
    def quoted_style(self) -> int:
        """The style of a quote-prefixed string (registered the first time one is written)."""
        if self._quoted_style is None:
            quoted = WriteOnlyCell(self.sheet.ws, value="")
            quoted.quotePrefix = True
            self._quoted_style = quoted.style_id
        return self._quoted_style

    def _date(self, value: date) -> str:
        serial = self._dates.get(value)
        if serial is None:
            serial = self._dates[value] = safe_string(to_excel(value))
        return serial

    def _row(self, r: int, values: Iterable[object]) -> str:
        parts = [f'<row r="{r}">']
        add = parts.append
        for letter, value in zip(self.letters, values, strict=True):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                if not value:
                    add(f'<c r="{letter}{r}" t="inlineStr"/>')
                    continue
                if ILLEGAL_CHARACTERS_RE.search(value):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                style = f' s="{self.quoted_style}"' if value.startswith(FORMULA_PREFIXES) else ""
                space = ' xml:space="preserve"' if value != value.strip() else ""
                if "&" in value or "<" in value or ">" in value or "\r" in value:
                    value = (
                        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                        .replace("\r", "&#13;")
                    )  # fmt: skip
                add(f'<c r="{letter}{r}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>')
            elif kind is int:
                add(f'<c r="{letter}{r}" t="n"><v>{value}</v></c>')
            elif kind is date:
                add(f'<c r="{letter}{r}" s="{self.date_style}" t="n"><v>{self._date(value)}</v></c>')
            elif kind is float:
                add(f'<c r="{letter}{r}" t="n"><v>{safe_string(value)}</v></c>')
            else:
                raise TypeError(f"unexpected {kind.__name__} in a record row")
        add("</row>")
        return "".join(parts)

    def write(self, rows: Iterable[Iterable[object]]) -> int:
        """Write ``rows`` after the header, set the auto-filter over them; return how many."""
        ws, end = self.sheet.ws, self.letters[-1]
        first = self.sheet.rows + 1
        placeholder = f'ref="A1:{end}{first - 1}"'
        ws.auto_filter.ref = f"A1:{end}{first - 1}"
        ws.close()  # openpyxl writes the sheet, header included, to its temporary file
        path = ws._writer.out
        with open(path, "rb") as existing:
            head, tail = existing.read().split(b"</sheetData>", 1)
        n = 0
        with open(path, "wb") as out:
            out.write(head)
            chunk: list[str] = []
            for n, values in enumerate(rows, start=1):
                chunk.append(self._row(first + n - 1, values))
                if len(chunk) == self.CHUNK:
                    out.write("".join(chunk).encode("utf-8"))
                    chunk.clear()
            out.write("".join(chunk).encode("utf-8"))
            last = first + n - 1
            final = f'ref="A1:{end}{last}"'.encode()
            out.write(b"</sheetData>" + tail.replace(placeholder.encode(), final, 1))
        ws.auto_filter.ref = f"A1:{end}{last}"  # the workbook's filter range is written on save
        self.sheet.rows = last
        return n


def _sheet_title(title: str) -> str:
    return _SHEET_TITLE_BAD.sub(" ", title)[:31]


class WorkbookBuilder:
    """Builds one workbook for one set of filters."""

    def __init__(
        self,
        session: Session,
        filters: ReportFilters,
        *,
        gettext: Gettext,
        locale: str = "en",
        threshold: int = 5,
        timezone: str = "Asia/Bishkek",
        generated_at: datetime | None = None,
    ) -> None:
        self.session, self.f, self.t, self.locale = session, filters, gettext, locale
        self.threshold = threshold
        self.suppress = filters.is_donor
        self.timezone = timezone
        self.generated_at = generated_at or datetime.now(UTC)
        self.workbook = Workbook(write_only=True)
        self.counts: dict[str, int] = {}
        t = gettext
        self.labels = {
            "rec": {code: t(label) for code, label in label_map(RECOMMENDATIONS).items()},
            "group": {code: t(label) for code, label in TARGET_GROUPS},
            "driver": {code: t(label) for code, label in DRIVERS},
            "type": {code: t(label) for code, label in ACTIVITY_TYPES},
            "category": {code: t(label) for code, label in INCIDENT_CATEGORIES},
            "severity": {str(k): t(v) for k, v in SEVERITY_LABELS.items()},
            "incident_status": {str(k): t(v) for k, v in INCIDENT_STATUS_LABELS.items()},
            "response": {str(k): t(v) for k, v in RESPONSE_LABELS.items()},
            "status": {str(k): t(v) for k, v in STATUS_LABELS.items()},
        }
        self.cell_headers = [
            f"{t(SEX_LABELS[sex])} {t(AGE_BAND_LABELS[band])}" for _c, sex, band in q.COUNT_CELLS
        ]
        self.group_position = {code: i for i, (code, _label) in enumerate(TARGET_GROUPS)}
        self.driver_position = {code: i for i, (code, _label) in enumerate(DRIVERS)}

    # -- helpers ---------------------------------------------------------------------------
    def _date(self, value: date) -> str:
        return format_date(value, format="long", locale=self.locale)

    def _month(self, month: str) -> str:
        year, number = month.split("-")
        return format_date(date(int(year), int(number), 1), format="MMM y", locale=self.locale)

    def _labels(self, kind: str, codes: str | None, position: dict[str, int]) -> str:
        if not codes:
            return ""
        names = self.labels[kind]
        return "; ".join(names.get(c, c) for c in sorted(codes.split(","), key=lambda c: position.get(c, 99)))

    # -- sheets ----------------------------------------------------------------------------
    def build(self, out: str | IO[bytes]) -> ExportResult:
        self.overview()
        self.by_recommendation()
        self.participants()
        self.incidents()
        if not self.suppress:
            self.activity_records()
            self.incident_records()
        self.drivers()
        self.workbook.save(out)
        return ExportResult(export_filename(self.f), self.counts)

    def overview(self) -> None:
        t, f = self.t, self.f
        sheet = _Sheet(self.workbook, t(N_("Overview")), widths=(30, 100))
        sheet.ws.sheet_view.showGridLines = False
        sheet.title(t(N_("Yntymak: community prevention of violent extremism")), TITLE_FONT)
        sheet.append([t(N_("Progress against the 14 recommendations of the 2016 Bishkek conference"))])
        sheet.blank()
        stamp = format_datetime(
            self.generated_at, format="medium", tzinfo=ZoneInfo(self.timezone), locale=self.locale
        )
        lines = [
            (N_("Period"), f"{self._date(f.date_from)} – {self._date(f.date_to)}"),
            (N_("Audience"), t(AUDIENCE_LABELS[f.audience])),
            (N_("Generated at"), f"{stamp} ({self.timezone})"),
            (N_("Records counted"), ", ".join(t(STATUS_LABELS[s]) for s in f.statuses)),
        ]
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
            sheet.append([sheet.cell(t(label), font=Font(bold=True)), sheet.cell(value, wrap=True)])
        totals = q.record_counts(self.session, f)
        for key, label in (
            ("activities", N_("Activities")),
            ("incidents", N_("Incidents")),
            ("assessments", N_("Driver assessments")),
        ):
            value = suppress_value(totals[key], self.threshold, enabled=self.suppress)
            cell = sheet.cell(value, fmt=INTEGER)
            cell.alignment = Alignment(horizontal="left")
            sheet.append([sheet.cell(t(label), font=Font(bold=True)), cell])
        sheet.blank()
        sheet.title(t(N_("Notes")))
        notes = [t(DONOR_STATUS_NOTE)] if f.is_donor else []
        if self.suppress:
            mark = small_mark(self.threshold)
            notes.append(t(SUPPRESSION_NOTE) % {"below": self.threshold - 1, "mark": mark})
        else:
            notes.append(t(EXACT_NOTE))
        notes += [t(MULTI_NOTE), t(SOURCES_NOTE)]
        for note in notes:
            sheet.note(note, column=2)
        self.counts["overview"] = sheet.rows

    def by_recommendation(self) -> None:
        t = self.t
        rows = q.by_recommendation(self.session, self.f)
        headers = [
            t(N_("Code")),
            t(N_("Recommendation")),
            t(N_("Activities")),
            *self.cell_headers,
            t(N_("Participants")),
            t(N_("Communities reached")),
            t(N_("Top target groups")),
        ]
        sheet = _Sheet(self.workbook, t(N_("By recommendation")), (8, 42, 11, *[10] * 8, 13, 13, 50))
        sheet.ws.freeze_panes = "C2"
        sheet.header(headers)
        for row in rows:
            activities, cells, total, reached = tables.count_line(row, self.threshold, self.suppress)
            groups = "; ".join(
                f"{self.labels['group'][code]} ({suppress_value(n, self.threshold, enabled=self.suppress)})"
                for code, n in row.top_groups
            )
            sheet.append(
                [
                    row.code,
                    self.labels["rec"][row.code],
                    *sheet.numbers([activities, *cells, total, reached]),
                    groups,
                ]
            )
        last = len(rows) + 1
        sheet.ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
        chart = BarChart()
        chart.type = "bar"
        chart.title = t(N_("Activities per recommendation"))
        chart.y_axis.title = t(N_("Activities"))
        chart.legend = None
        chart.height, chart.width = 10, 18
        chart.add_data(Reference(sheet.ws, min_col=3, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=1, min_row=2, max_row=last))
        chart.x_axis.scaling.orientation = "maxMin"  # R1 at the top
        sheet.ws.add_chart(chart, f"A{last + 3}")
        self.counts["recommendations"] = len(rows)

    def participants(self) -> None:
        t = self.t
        sheet = _Sheet(self.workbook, t(N_("Participants")), (42, *[12] * 12))
        sheet.ws.freeze_panes = "B1"
        totals = q.activity_totals(self.session, self.f)
        grid = tables.participants_grid(totals, self.threshold, self.suppress)
        sheet.title(t(N_("Participants by sex and age band")))
        sheet.header(["", *(t(AGE_BAND_LABELS[b]) for b in tables.BANDS), t(N_("Total"))])
        for sex, cells, total in zip(tables.SEXES, grid.cells, grid.row_totals, strict=True):
            sheet.append([t(SEX_LABELS[sex]), *sheet.numbers([*cells, total])])
        sheet.append(
            [
                sheet.cell(t(N_("Total")), font=Font(bold=True)),
                *sheet.numbers([*grid.column_totals, grid.grand_total]),
            ]
        )
        sheet.blank()
        sheet.title(t(N_("Participants by target group")))
        sheet.append([t(MULTI_NOTE)])  # one line: it overflows into the empty cells to the right
        sheet.header(
            [
                t(N_("Target group")),
                t(N_("Activities")),
                *self.cell_headers,
                t(N_("Participants")),
                t(N_("Communities reached")),
            ]
        )
        for row in q.by_target_group(self.session, self.f):
            activities, cells, total, reached = tables.count_line(row, self.threshold, self.suppress)
            sheet.append(
                [self.labels["group"][row.code], *sheet.numbers([activities, *cells, total, reached])]
            )
        self.counts["participants"] = sheet.rows

    def _grid(
        self, sheet: _Sheet, corner: str, rows: list[str], columns: list[str], grid: tables.Grid
    ) -> None:
        t = self.t
        sheet.header([corner, *columns, t(N_("Total"))])
        for label, cells, total in zip(rows, grid.cells, grid.row_totals, strict=True):
            sheet.append([label, *sheet.numbers([*cells, total])])
        sheet.append(
            [
                sheet.cell(t(N_("Total")), font=Font(bold=True)),
                *sheet.numbers([*grid.column_totals, grid.grand_total]),
            ]
        )
        sheet.blank()

    def incidents(self) -> None:
        t, f = self.t, self.f
        cube = q.incident_cube(self.session, f)
        months = q.months_between(f.date_from, f.date_to)
        regions = tables.cube_regions(cube)
        names = q.region_names(self.session)
        sheet = _Sheet(self.workbook, t(N_("Incidents")), (46, *[11] * max(len(months), 16)))
        sheet.ws.freeze_panes = "B1"
        categories = [self.labels["category"][c] for c in tables.CATEGORY_CODES]
        sheet.title(t(N_("Incidents by category and month")))
        grid = tables.category_by_month(cube, months, self.threshold, self.suppress)
        self._grid(sheet, t(N_("Category")), categories, [self._month(m) for m in months], grid)
        sheet.title(t(N_("Incidents by region and category")))
        grid = tables.region_by_category(cube, regions, self.threshold, self.suppress)
        self._grid(sheet, t(N_("Region")), [names.get(r, r) for r in regions], categories, grid)
        for title, column, codes, kind in (
            (N_("Incidents by severity"), "severity", tables.SEVERITY_CODES, "severity"),
            (
                N_("Incidents by follow-up status"),
                "incident_status",
                tables.INCIDENT_STATUS_CODES,
                "incident_status",
            ),
        ):
            counts = q.incidents_by(self.session, f, column)
            shown, total = tables.series_with_total(
                [counts.get(c, 0) for c in codes], self.threshold, self.suppress
            )
            sheet.title(t(title))
            sheet.header([t(N_("Value")), t(N_("Incidents"))])
            for code, value in zip(codes, shown, strict=True):
                sheet.append([self.labels[kind][code], *sheet.numbers([value])])
            sheet.append([sheet.cell(t(N_("Total")), font=Font(bold=True)), *sheet.numbers([total])])
            sheet.blank()
        if not self.suppress:
            sheet.title(t(N_("Incidents by category, month and region")))
            sheet.header([t(N_("Month")), t(N_("Region")), t(N_("Category")), t(N_("Incidents"))])
            for category, month, region, n in cube:
                sheet.append([month, names.get(region, region), self.labels["category"][category], n])
        self.counts["incident_cells"] = len(cube)

    def activity_records(self) -> None:
        t = self.t
        headers = [
            t(N_("Record ID")), t(N_("Date")), t(N_("Region")), t(N_("District")), t(N_("Community")),
            t(N_("Organisation")), t(N_("Activity type")), t(N_("Recommendations")), t(N_("Target groups")),
            t(N_("Drivers addressed")), *self.cell_headers, t(N_("Participants")), t(N_("Review status")),
            t(N_("Partners")), t(N_("Outcome")), t(N_("Follow-up")),
        ]  # fmt: skip
        sheet = _Sheet(
            self.workbook,
            t(N_("Activities")),
            (38, 11, 18, 20, 18, 26, 28, 16, 36, 36, *[8] * 9, 12, 30, 40, 40),
        )
        sheet.ws.freeze_panes = "C2"
        sheet.header(headers)
        types, statuses = self.labels["type"], self.labels["status"]
        gpos, dpos = self.group_position, self.driver_position

        def rows() -> Iterator[list]:
            for row in q.activity_rows(self.session, self.f):
                (uid, day, region, district, community, org, type_code, recs, groups, drivers, *rest) = row
                cells, (status, partners, outcome, follow_up) = rest[:8], rest[8:]
                recs_text = ", ".join(sorted(recs.split(","), key=lambda c: int(c[1:]))) if recs else ""
                yield [
                    str(uid), day, region, district, community, org, types.get(type_code, type_code),
                    recs_text, self._labels("group", groups, gpos), self._labels("driver", drivers, dpos),
                    *cells, sum(cells), statuses[str(status)], partners, outcome, follow_up,
                ]  # fmt: skip

        n = _RowStream(sheet, len(headers)).write(rows())
        self.counts["activity_rows"] = n

    def incident_records(self) -> None:
        t = self.t
        headers = [
            t(N_("Record ID")), t(N_("Date")), t(N_("Region")), t(N_("District")), t(N_("Community")),
            t(N_("Organisation")), t(N_("Category")), t(N_("Severity")), t(N_("Response")),
            t(N_("Follow-up status")), t(N_("Perceived drivers")), *self.cell_headers,
            t(N_("People affected")), t(N_("Review status")), t(N_("Description")),
        ]  # fmt: skip
        sheet = _Sheet(
            self.workbook,
            t(N_("Incident records")),
            (38, 11, 18, 20, 18, 26, 34, 10, 22, 12, 36, *[8] * 9, 12, 50),
        )
        sheet.ws.freeze_panes = "C2"
        sheet.header(headers)
        labels = self.labels
        categories, severities, responses = labels["category"], labels["severity"], labels["response"]
        follow, statuses, dpos = labels["incident_status"], labels["status"], self.driver_position

        def rows() -> Iterator[list]:
            for row in q.incident_rows(self.session, self.f):
                (
                    uid,
                    day,
                    region,
                    district,
                    community,
                    org,
                    category,
                    severity,
                    response,
                    state,
                    drivers,
                    *rest,
                ) = row
                cells, (status, description) = rest[:8], rest[8:]
                yield [
                    str(uid), day, region, district, community, org, categories.get(category, category),
                    severities[str(severity)], responses[str(response)], follow[str(state)],
                    self._labels("driver", drivers, dpos), *cells, sum(cells), statuses[str(status)],
                    description,
                ]  # fmt: skip

        n = _RowStream(sheet, len(headers)).write(rows())
        self.counts["incident_rows"] = n

    def drivers(self) -> None:
        t, f = self.t, self.f
        matrix = q.driver_matrix(self.session, f)
        regions, means, changes, assessments = tables.driver_tables(matrix, self.threshold, self.suppress)
        names = q.region_names(self.session)
        drivers = [self.labels["driver"][d] for d in tables.DRIVER_CODES]
        sheet = _Sheet(self.workbook, t(N_("Drivers")), (26, 13, *[14] * len(drivers)))
        sheet.ws.freeze_panes = "C2"
        headers = [t(N_("Region")), t(N_("Assessments")), *drivers]
        sheet.header(headers, height=48)
        for region, n, row in zip(regions, assessments, means, strict=True):
            sheet.append([names.get(region, region), *sheet.numbers([n]), *sheet.numbers(row, RATING)])
        last = len(regions) + 1
        end = get_column_letter(len(headers))
        if regions:
            sheet.ws.conditional_formatting.add(
                f"C2:{end}{last}",
                ColorScaleRule(
                    start_type="num", start_value=0, start_color="FFF7EC",
                    mid_type="num", mid_value=1.5, mid_color="FC8D59",
                    end_type="num", end_value=3, end_color="7F0000",
                ),
            )  # fmt: skip
        sheet.blank()
        previous = f.previous()
        sheet.title(
            t(N_("Change in mean rating against the previous period (%(start)s – %(end)s)"))
            % {"start": self._date(previous.date_from), "end": self._date(previous.date_to)}
        )
        start = sheet.rows + 1
        sheet.header([t(N_("Region")), "", *drivers], height=48)
        for region, row in zip(regions, changes, strict=True):
            sheet.append([names.get(region, region), "", *sheet.numbers(row, CHANGE)])
        if regions:
            sheet.ws.conditional_formatting.add(
                f"C{start + 1}:{end}{start + len(regions)}",
                ColorScaleRule(
                    start_type="num", start_value=-1, start_color="2C7BB6",
                    mid_type="num", mid_value=0, mid_color="FFFFFF",
                    end_type="num", end_value=1, end_color="D7191C",
                ),
            )  # fmt: skip
        sheet.blank()
        notes = [N_("Mean rating: 0 not observed, 1 low, 2 medium, 3 high.")]
        if self.suppress:
            notes.append(N_("A mean from fewer assessments than the suppression threshold is left blank."))
        for note in notes:
            sheet.append([t(note)])
        sheet.ws.auto_filter.ref = f"A1:{end}{last}"
        self.counts["driver_regions"] = len(regions)


def build_workbook(
    session: Session,
    filters: ReportFilters,
    out: str | IO[bytes],
    *,
    gettext: Gettext,
    locale: str = "en",
    threshold: int = 5,
    timezone: str = "Asia/Bishkek",
    generated_at: datetime | None = None,
) -> ExportResult:
    """Write the workbook for ``filters`` to ``out`` (a path or a binary file)."""
    builder = WorkbookBuilder(
        session,
        filters,
        gettext=gettext,
        locale=locale,
        threshold=threshold,
        timezone=timezone,
        generated_at=generated_at,
    )
    return builder.build(out)
