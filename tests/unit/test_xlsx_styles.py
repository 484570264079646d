"""``reports.xlsx.styled``: cells take a copy of the style array openpyxl made for their
combination of styles, once per workbook. Reopened with openpyxl, every cell has exactly the font,
fill, alignment and number format it was given, a quote-prefixed text keeps its prefix, and two
workbooks never share an array. If openpyxl stops keeping a cell's styles in ``Cell._style``, the
first test fails naming it."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray

from reports.xlsx import (
    BOLD,
    HEADER_FILL,
    HEADER_FONT,
    HIDDEN_FILL,
    INTEGER,
    RATING,
    TOP,
    WRAP,
    safe_text,
    styled,
)


def test_openpyxl_keeps_a_cells_styles_in_one_array():
    """What ``styled`` relies on: the setters fill ``Cell._style``, a StyleArray, and nothing else."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("s")
    cell = WriteOnlyCell(sheet, value=1)
    assert cell._style is None
    cell.font, cell.fill, cell.alignment, cell.number_format = HEADER_FONT, HEADER_FILL, WRAP, RATING
    assert isinstance(cell._style, StyleArray)
    copied = WriteOnlyCell(sheet, value=2)
    copied._style = StyleArray(cell._style)
    seen = lambda c: (c.font.b, c.font.color.rgb, c.fill.fgColor.rgb, c.alignment.wrap_text, c.number_format)  # noqa: E731
    assert seen(copied) == seen(cell) == (True, "00FFFFFF", HEADER_FILL.fgColor.rgb, True, RATING)
    workbook.save(BytesIO())  # a write-only sheet left unsaved complains when collected


def _reopened(workbook: Workbook):
    out = BytesIO()
    workbook.save(out)
    return load_workbook(BytesIO(out.getvalue()))


def test_each_cell_reopens_with_the_styles_it_was_given():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Styles")
    red = Font(name="Calibri", bold=True, color="B71C1C")
    combinations = [
        {"font": HEADER_FONT, "fill": HEADER_FILL, "alignment": WRAP},
        {"font": BOLD},
        {"fmt": INTEGER},
        {"fill": HIDDEN_FILL, "fmt": RATING},
        {"alignment": TOP},
        {"font": red, "alignment": Alignment(horizontal="right")},
        {},
    ]
    # each combination twice, interleaved, so the second of each is a copy of a cached array
    for _round in range(2):
        sheet.append([styled(sheet, 7, **styles) for styles in combinations])
    sheet.append([styled(sheet, safe_text(sheet, "=1+1"), font=BOLD, alignment=WRAP)])
    reopened = _reopened(workbook)["Styles"]
    for row in (1, 2):
        for column, styles in enumerate(combinations, start=1):
            cell = reopened.cell(row, column)
            assert cell.value == 7
            assert cell.font.b == bool(styles.get("font") and styles["font"].b)
            if "font" in styles:
                assert cell.font.color.rgb == styles["font"].color.rgb if styles["font"].color else True
            expected_fill = styles.get("fill")
            assert cell.fill.fgColor.rgb == (expected_fill.fgColor.rgb if expected_fill else "00000000")
            alignment = styles.get("alignment", Alignment())
            assert (cell.alignment.wrap_text, cell.alignment.vertical, cell.alignment.horizontal) == (
                alignment.wrap_text,
                alignment.vertical,
                alignment.horizontal,
            )
            assert cell.number_format == styles.get("fmt", "General")
    formula_like = reopened.cell(3, 1)
    assert formula_like.value == "=1+1" and formula_like.data_type == "s"
    assert formula_like.quotePrefix and formula_like.font.b and formula_like.alignment.wrap_text


def test_a_cell_changed_after_styling_changes_alone():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("s")
    first, second = styled(sheet, 1, font=BOLD), styled(sheet, 2, font=BOLD)
    first.fill = HIDDEN_FILL
    assert second.fill.fgColor.rgb != HIDDEN_FILL.fgColor.rgb
    assert styled(sheet, 3, font=BOLD).fill.fgColor.rgb != HIDDEN_FILL.fgColor.rgb
    workbook.save(BytesIO())


def test_two_workbooks_do_not_share_style_indexes():
    """Style ids are the workbook's: a combination first made in another workbook is made again."""
    one, two = Workbook(write_only=True), Workbook(write_only=True)
    one_sheet, two_sheet = one.create_sheet("a"), two.create_sheet("b")
    one_sheet.append([styled(one_sheet, 1, font=Font(name="Arial", italic=True))])
    one_sheet.append([styled(one_sheet, 1, font=BOLD, fill=HIDDEN_FILL)])
    two_sheet.append([styled(two_sheet, 2, font=BOLD, fill=HIDDEN_FILL)])
    one.save(BytesIO())
    cell = _reopened(two)["b"]["A1"]
    assert cell.font.b and not cell.font.i and cell.fill.fgColor.rgb == HIDDEN_FILL.fgColor.rgb
