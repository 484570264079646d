"""The floor of bench/writers.py: record cells dumped as the least XML an xlsx needs, deflated.

Five parts (content types, two relationship files, the workbook, a styles part with the date and
the quote-prefix style) and one sheet of ``<c>`` elements, the cells as RowStream and openpyxl
write them (inline strings, numbers, dates as serial numbers with a date style), written into the
zip as they are made at zlib's default level, as every writer compared there deflates.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from datetime import date

from openpyxl.utils import get_column_letter

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OOXML, _TYPE = "http://schemas.openxmlformats.org/", "application/vnd.openxmlformats-"
_RELS, _REL = f"{_OOXML}package/2006/relationships", f"{_OOXML}officeDocument/2006/relationships"
#: The parts of an xlsx besides its sheet, as few and as short as Excel and openpyxl take.
FLOOR_PARTS = {
    "[Content_Types].xml": f'{_XML}<Types xmlns="{_OOXML}package/2006/content-types">'
    f'<Default Extension="rels" ContentType="{_TYPE}package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    + "".join(
        f'<Override PartName="/xl/{part}" ContentType="{_TYPE}officedocument.spreadsheetml.{kind}+xml"/>'
        for part, kind in (
            ("workbook.xml", "sheet.main"),
            ("worksheets/sheet1.xml", "worksheet"),
            ("styles.xml", "styles"),
        )
    )
    + "</Types>",
    "_rels/.rels": f'{_XML}<Relationships xmlns="{_RELS}">'
    f'<Relationship Id="rId1" Target="xl/workbook.xml" Type="{_REL}/officeDocument"/></Relationships>',
    "xl/workbook.xml": f'{_XML}<workbook xmlns="{_OOXML}spreadsheetml/2006/main" xmlns:r="{_REL}">'
    '<sheets><sheet name="Activities" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'{_XML}<Relationships xmlns="{_RELS}">'
    f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{_REL}/worksheet"/>'
    f'<Relationship Id="rId2" Target="styles.xml" Type="{_REL}/styles"/></Relationships>',
    "xl/styles.xml": f'{_XML}<styleSheet xmlns="{_OOXML}spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2">'
    '<fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="3"><xf/><xf numFmtId="164" applyNumberFormat="1"/><xf quotePrefix="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>",
}


def dump(rows: Iterable[list], headers: list[str], out: str) -> int:
    """``rows`` below ``headers`` as bare XML, each cell in one f-string, deflated into a zip as they
    are made; return how many rows."""

    letters = [get_column_letter(i) for i in range(1, len(headers) + 1)]
    epoch = date(1899, 12, 30)
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in FLOOR_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = "".join(
                f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>'
                for c, h in zip(letters, headers, strict=True)
            )
            sheet.write(
                '<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
                f'spreadsheetml/2006/main"><sheetData><row r="1">{head}</row>'.encode()
            )
            chunk: list[str] = []
            for r, row in enumerate(rows, start=2):
                chunk.append(f'<row r="{r}">')
                for c, v in zip(letters, row, strict=True):
                    if v is None:
                        continue
                    if type(v) is str:
                        style = ' s="2"' if v.startswith(("=", "+", "-", "@", "\t", "\r")) else ""
                        space = ' xml:space="preserve"' if v != v.strip() else ""
                        if "&" in v or "<" in v or ">" in v or "\r" in v:
                            v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                            v = v.replace("\r", "&#13;")
                        chunk.append(f'<c r="{c}{r}"{style} t="inlineStr"><is><t{space}>{v}</t></is></c>')
                    elif type(v) is date:
                        chunk.append(f'<c r="{c}{r}" s="1"><v>{(v - epoch).days}</v></c>')
                    else:
                        chunk.append(f'<c r="{c}{r}"><v>{v}</v></c>')
                chunk.append("</row>")
                count += 1
                if len(chunk) > 20_000:
                    sheet.write("".join(chunk).encode())
                    chunk.clear()
            sheet.write("".join(chunk).encode())
            sheet.write(b"</sheetData></worksheet>")
    return count
