"""Deterministic, fast writers for the demo's spreadsheet files (xlsx and csv).

Why not xlsxwriter: measured on this machine, xlsxwriter (``constant_memory`` + ``write_row``) writes about
90,000 cells per second; the demo writes some 16 million cells at scale 1, which alone would take about three
minutes of CPU. This module writes the same kind of file (one worksheet, inline strings, a date style) with
plain string templates and ``zipfile`` at about 1 µs per cell. Output is byte-identical for identical input:
fixed zip timestamps, fixed part order, fixed document dates, fixed compression level.

Cell values (per column, a list):

- ``str``: a text cell;
- ``int`` / ``float``: a number cell (a NIK stored as a number, a desil, an Excel serial date);
- :class:`ExcelDate`: a number cell with a date format (what Excel shows as a date);
- ``None``: an empty cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 6
ROWS_PER_CHUNK = 4000
_EXCEL_EPOCH = dt.date(1899, 12, 30)

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Style indexes in styles.xml: 0 normal, 1 date (dd/mm/yyyy), 2 bold (headers and title rows).
_STYLE_DATE = 1
_STYLE_BOLD = 2


class ExcelDate(int):
    """An Excel serial day number shown with a date format (a genuine date cell)."""

    @classmethod
    def from_date(cls, value: dt.date) -> ExcelDate:
        return cls((value - _EXCEL_EPOCH).days)


def excel_serial(value: dt.date) -> int:
    """Excel's serial day number of a date (1900 date system)."""
    return (value - _EXCEL_EPOCH).days


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _needs_escape(values: Sequence[object]) -> bool:
    text = "\x00".join(v for v in values if v.__class__ is str)
    return "&" in text or "<" in text or ">" in text


_EDGE_SPACES = (" ", "\u00a0", "\t", "\n", "\r")


def _needs_preserve(values: Sequence[object]) -> bool:
    """Whether any text has leading or trailing white space (which XML would otherwise drop)."""
    text = "\x00" + "\x00".join(v for v in values if v.__class__ is str) + "\x00"
    return any(("\x00" + c) in text or (c + "\x00") in text for c in _EDGE_SPACES)


def _column_cells(letter: str, values: Sequence[object], first_row: int, style: int = 0) -> list[str]:
    """The ``<c>`` elements of one column (empty string for an empty cell)."""
    if _needs_escape(values):
        values = [escape(v) if v.__class__ is str else v for v in values]
    space = ' xml:space="preserve"' if _needs_preserve(values) else ""
    s_attr = f' s="{style}"' if style else ""
    text_tmpl = f'<c r="{letter}%d"{s_attr} t="inlineStr"><is><t{space}>%s</t></is></c>'
    num_tmpl = f'<c r="{letter}%d"{s_attr}><v>%s</v></c>'
    date_tmpl = f'<c r="{letter}%d" s="{_STYLE_DATE}"><v>%d</v></c>'
    out = []
    append = out.append
    for row, value in enumerate(values, first_row):
        kind = value.__class__
        if kind is str:
            append(text_tmpl % (row, value))
        elif value is None or value != value:  # None or NaN: an empty cell (Excel has no NaN)
            append("")
        elif kind is ExcelDate:
            append(date_tmpl % (row, value))
        elif kind is float:
            append(num_tmpl % (row, repr(value)))
        else:
            append(num_tmpl % (row, int(value)))
    return out


def _rows_xml(columns: Sequence[Sequence[object]], first_row: int, style: int = 0) -> list[str]:
    """``<row>`` elements for the given columns starting at 1-based row ``first_row``."""
    if not columns:
        return []
    cells = [_column_cells(column_letter(i), col, first_row, style) for i, col in enumerate(columns)]
    return [f'<row r="{r}">' + "".join(parts) + "</row>" for r, parts in enumerate(zip(*cells), first_row)]


def _column_widths(header: Sequence[str], columns: Sequence[Sequence[object]]) -> str:
    widths = []
    for i, name in enumerate(header):
        sample = [v for v in columns[i][:200] if v is not None] if i < len(columns) else []
        longest = max([len(str(name))] + [len(str(v)) for v in sample])
        widths.append(f'<col min="{i + 1}" max="{i + 1}" width="{min(max(longest + 2, 6), 45)}" customWidth="1"/>')
    return "<cols>" + "".join(widths) + "</cols>"


def _styles_xml() -> str:
    return (
        _HEAD + f'<styleSheet xmlns="{_NS}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _package_parts(sheet_name: str, created: dt.datetime, title: str) -> list[tuple[str, str]]:
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    content_types = (
        _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>"
    )
    root_rels = (
        _HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
        'core-properties" Target="docProps/core.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    )
    core = (
        _HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>Data demo sintetis (helpers.demo)</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )
    app = (
        _HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>helpers.demo</Application></Properties>"
    )
    workbook = (
        _HEAD + f'<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}"><bookViews><workbookView/></bookViews>'
        f'<sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        _HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    return [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", root_rels),
        ("docProps/core.xml", core),
        ("docProps/app.xml", app),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels),
        ("xl/styles.xml", _styles_xml()),
    ]


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_xlsx(
    path: Path,
    header: Sequence[str],
    columns: Sequence[Sequence[object]],
    title_rows: Sequence[str] = (),
    created: dt.datetime = dt.datetime(2024, 1, 1),
    sheet_name: str = "Sheet1",
) -> int:
    """Write one worksheet: optional title lines (then an empty row), the header row, the data columns.

    Returns the number of data rows written.
    """
    n_rows = len(columns[0]) if columns else 0
    head_rows: list[str] = []
    for i, line in enumerate(title_rows):
        head_rows += _rows_xml([[line]], i + 1, _STYLE_BOLD)
    header_row = len(title_rows) + (2 if title_rows else 1)
    head_rows += _rows_xml([[h] for h in header], header_row, _STYLE_BOLD)
    last = column_letter(max(len(header), 1) - 1) + str(header_row + n_rows)
    opening = (
        _HEAD + f'<worksheet xmlns="{_NS}" xmlns:r="{_REL_NS}"><dimension ref="A1:{last}"/>'
        f'<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        + _column_widths(header, columns)
        + "<sheetData>"
        + "".join(head_rows)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        for name, text in _package_parts(sheet_name, created, path.stem):
            archive.writestr(_zip_info(name), text.encode("utf-8"))
        with archive.open(_zip_info("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as stream:
            stream.write(opening.encode("utf-8"))
            for start in range(0, n_rows, ROWS_PER_CHUNK):
                chunk = [col[start : start + ROWS_PER_CHUNK] for col in columns]
                stream.write("".join(_rows_xml(chunk, header_row + 1 + start)).encode("utf-8"))
            stream.write(
                b'</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
                b'header="0.3" footer="0.3"/></worksheet>'
            )
    return n_rows


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if value.__class__ is str:
        return value
    if isinstance(value, float):
        return repr(value)
    return str(int(value))


def write_csv(
    path: Path,
    header: Sequence[str],
    columns: Sequence[Sequence[object]],
    title_rows: Sequence[str] = (),
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> int:
    """Write a delimited text file (Excel-style CRLF line ends). Returns the number of data rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for line in title_rows:
        writer.writerow([line])
    if title_rows:
        writer.writerow([])
    writer.writerow(list(header))
    rows = zip(*[[_csv_text(v) for v in col] for col in columns]) if columns else []
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return len(columns[0]) if columns else 0
