"""Rewrite a single-sheet SK workbook as the annex a regent's office really issues: one sheet per kecamatan,
each with its title block ("LAMPIRAN KEPUTUSAN BUPATI JOMBANG", the decree number, "KECAMATAN X"), the same
header and rows (cell types kept: text NIKs stay text, number cells numbers, date cells dates), a
``JUMLAH n jiwa`` row and the signature block; plus a "Petunjuk" sheet of text in front.

For tests (the same list must give the same figures either way); never imported by the pipeline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import xlsxwriter
from python_calamine import CalamineWorkbook

from helpers.config import KODE_KABUPATEN
from helpers.reading.readers import canonical_header
from helpers.reference import wilayah

TITLE = ("LAMPIRAN KEPUTUSAN BUPATI JOMBANG", "NOMOR: 100.3.3.2/123/415.10.1.3/2024 (DATA DEMO SINTETIS)")
SIGNATURE = (
    "Ditetapkan di Jombang",
    "pada tanggal 20 Februari 2024",
    "BUPATI JOMBANG,",
    "ttd",
    "NAMA BUPATI (DEMO)",
    "Salinan sesuai dengan aslinya",
    "KEPALA BAGIAN HUKUM,",
    "NIP. 19700101 199503 1 001",
)
HELP = ("Petunjuk", ("Lampiran ini memuat daftar penduduk miskin ekstrem per kecamatan.",
                     "Setiap lembar berisi satu kecamatan."))  # fmt: skip
OTHER = "Lainnya"


@dataclass
class Annex:
    """What was written: the people rows per sheet and the footer rows (JUMLAH + signature) per sheet."""

    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    footer_rows: int = 0


def _header_row(rows: list[list[object]]) -> int:
    return next(i for i, row in enumerate(rows) if "NIK" in {canonical_header(c) for c in row if c is not None})


def _write_cell(sheet, row: int, col: int, value: object, date_format) -> None:
    if value is None or (isinstance(value, str) and value == ""):
        return
    if isinstance(value, (dt.datetime, dt.date)):
        when = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        sheet.write_datetime(row, col, when, date_format)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))


def write_annex(single: str | Path, out: str | Path, kode_kabupaten: str = KODE_KABUPATEN) -> Annex:
    """Write ``out`` from the first sheet of ``single``: one sheet per kecamatan (gazetteer order; rows whose
    kecamatan is not recognised go to a sheet "Lainnya"), rows in their original order within a sheet."""
    source = CalamineWorkbook.from_path(str(single))
    rows = source.get_sheet_by_name(source.sheet_names[0]).to_python(skip_empty_area=False)
    head = _header_row(rows)
    header, data = rows[head], [r for r in rows[head + 1 :] if any(c not in (None, "") for c in r)]
    kec_col = next(i for i, c in enumerate(header) if c is not None and canonical_header(c) == "Kecamatan")
    kecamatan = pd.Series([None if r[kec_col] in (None, "") else str(r[kec_col]) for r in data], dtype="string")
    codes = wilayah.resolve_kecamatan(kecamatan, kode_kabupaten)
    table = wilayah.kecamatan_table(kode_kabupaten)
    names = dict(zip(table["kode"], table["nama"]))
    sheets = {names[k]: [r for r, c in zip(data, codes) if c == k] for k in table["kode"]}
    sheets[OTHER] = [r for r, c in zip(data, codes) if pd.isna(c)]
    annex = Annex(Path(out))
    book = xlsxwriter.Workbook(str(out))
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    help_sheet = book.add_worksheet(HELP[0])
    for r, line in enumerate(HELP[1]):
        help_sheet.write_string(r, 0, line)
    for name, people in sheets.items():
        if not people:
            continue
        sheet = book.add_worksheet(name)
        for r, line in enumerate((*TITLE, f"KECAMATAN {name.upper()}")):
            sheet.write_string(r, 0, line)
        first = len(TITLE) + 2  # title block, a blank row, then the header
        for c, value in enumerate(header):
            _write_cell(sheet, first, c, value, date_format)
        for r, row in enumerate(people, start=first + 1):
            for c, value in enumerate(row):
                _write_cell(sheet, r, c, value, date_format)
        end = first + 1 + len(people)
        sheet.write_string(end, 0, "JUMLAH")
        sheet.write_string(end, 2, f"{len(people)} jiwa")
        for r, line in enumerate(SIGNATURE, start=end + 2):
            sheet.write_string(r, max(len(header) - 3, 0), line)
        annex.rows[name] = len(people)
        annex.footer_rows += 1 + len(SIGNATURE)
    book.close()
    return annex
