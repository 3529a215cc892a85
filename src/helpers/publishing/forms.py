"""BNBA verification workbooks for the camat: one ``.xlsx`` per kecamatan (confidential).

``python -m helpers forms [--params FILE.yaml] [-p report_date 2024-11-06] [-p kecamatan Mojoagung]`` reads
``<processed_dir>/status_sasaran.parquet`` and writes
``<reports_dir>/<report_date>/formulir_verifikasi_RAHASIA/<kode>_<Nama>.xlsx`` plus ``BACA_DULU_RAHASIA.md``.

Each workbook lists the SK people of that kecamatan the field must see (:func:`helpers.vocabulary.alasan_didatangi`:
everyone still in desil 1, those needing action first, and everyone without a P3KE record or with an undecided
match), with the reason in "Alasan Didatangi" (full NIK: the list goes only to the camat and OPD, UU 27/2022).
People without a P3KE record are shown with the SK's data (name, SK NIK, desa, address). Its headers are the
contract headers of the ``verifikasi`` input, so a returned form is read back unchanged from
``data/raw/verifikasi/`` by :func:`helpers.reading.readers.read_input`; the extra columns (Alasan Didatangi,
Alamat, ID Keluarga P3KE, ...) are ignored on reading. Only the input columns are unlocked; "Putaran" is pre-filled
with the round number of this sending (``putaran_berikutnya`` of ``summary.json``).

With a key folder (``kunci_dir``; the command line does so unless ``enkripsi_formulir`` is false) every workbook is
encrypted with its own random password (:mod:`helpers.protect`), listed in
``{kunci_dir}/kata_sandi_<report_date>.csv`` (:mod:`helpers.keys`), never in ``reports/``: the password goes to the
camat by another channel than the file. A form rewritten for the same date keeps its password. A form returned
still encrypted is read with that password.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from babel.dates import format_date
from tqdm import tqdm

from helpers import catalog, cli, keys, lock, outputs, protect, report_date, runs
from helpers import params as run_params
from helpers.config import KODE_KABUPATEN, NAMA_KABUPATEN
from helpers.dates import dmy, to_date
from helpers.errors import InputError
from helpers.outputs import formula_like
from helpers.publishing.keputusan import FILE_NAME as DECISIONS_FILE
from helpers.publishing.keputusan import write_decisions_form
from helpers.reference import wilayah
from helpers.statuses.verifikasi import KONDISI, STATUS_LABELS
from helpers.vocabulary import (
    ALASAN_DIDATANGI,
    ALASAN_LABELS,
    BELUM_DIVERIFIKASI,
    INTERVENSI_LABELS,
    KEBERADAAN_LABELS,
    alasan_didatangi,
)

#: Choices of the form's status dropdown.
STATUS_CHOICES = tuple(STATUS_LABELS.values())

FOLDER = "formulir_verifikasi_RAHASIA"
README_NAME = "BACA_DULU_RAHASIA.md"
SHEET_FORM = "Formulir"
SHEET_HELP = "Petunjuk"
SHEET_LISTS = "Pilihan"  # hidden, only when a dropdown list is longer than Excel's 255-character limit
#: Row (0-based) of the header; the title block is above it.
HEADER_ROW = 6
#: Excel's limit for an inline dropdown list (characters, separators included).
INLINE_LIST_LIMIT = 255

REQUIRED_COLUMNS = ("nik", "nama", "kode_kecamatan", "status_desil", "perlu_tindakan")
#: Largest round number the form's "Putaran" column accepts.
MAX_PUTARAN = 99


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = "text"  # text | id | number | input | date | round (an input pre-filled with the round number)
    wrap: bool = False


#: The form's columns, left to right. Headers of the contract (NIK, Nama, ...) are read back on ingestion.
COLUMNS = (
    Column("No", 4.5, "number"),
    Column("NIK", 18, "id"),
    Column("Nama", 20, wrap=True),
    Column("Alasan Didatangi", 20, wrap=True),
    Column("Alamat", 22, wrap=True),
    Column("Desa/Kelurahan", 14, wrap=True),
    Column("Kecamatan", 12, wrap=True),
    Column("ID Keluarga P3KE", 16, "id"),
    Column("Status Intervensi", 12, wrap=True),
    Column("Program Diterima", 20, wrap=True),
    Column("Status Verifikasi Terakhir", 14, wrap=True),
    Column("Status Keberadaan", 14, "input"),
    Column("Kondisi", 13, "input"),
    Column("Tanggal Verifikasi", 12, "date"),
    Column("NIK Temuan Lapangan", 18, "input"),
    Column("Keterangan", 22, "input", wrap=True),
    Column("Petugas", 14, "input", wrap=True),
    Column("Putaran", 8, "round"),
)
HEADERS = [c.header for c in COLUMNS]
INPUT_KINDS = ("input", "date", "round")
INPUT_HEADERS = [c.header for c in COLUMNS if c.kind in INPUT_KINDS]


def col(header: str) -> int:
    """0-based column index of a header of :data:`COLUMNS`."""
    return HEADERS.index(header)


# --- data ---------------------------------------------------------------------------------------------------


def form_text(value: object) -> str:
    """A cell's text on a form: missing as "", a list "; "-joined, surrounding spaces removed."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(str(v) for v in list(value) if str(v).strip())
    return str(value).strip()


def last_verification(status: object, date: object) -> str:
    """The last presence status as a form shows it: "Ada (01/11/2024)", "Belum diverifikasi"."""
    code = form_text(status) or BELUM_DIVERIFIKASI
    label = KEBERADAAN_LABELS.get(code, code)
    return f"{label} ({dmy(date)})" if dmy(date) else label


def form_rows(status_sasaran: pd.DataFrame) -> pd.DataFrame:
    """The people on the forms (:func:`helpers.vocabulary.alasan_didatangi`), one row per person with the form's
    headers, in form order.

    Keeps ``kode_kecamatan`` and ``alasan`` (the code; not printed) to split and count the rows per kecamatan.
    """
    alasan = alasan_didatangi(status_sasaran["status_desil"], status_sasaran["perlu_tindakan"])
    people = status_sasaran[alasan.notna().to_numpy(bool)]
    alasan = alasan[alasan.notna()]
    empty = pd.Series(pd.NA, index=people.index, dtype="object")

    def get(name: str) -> pd.Series:
        return people[name] if name in people.columns else empty

    rows = pd.DataFrame(
        {
            "kode_kecamatan": people["kode_kecamatan"].astype("string"),
            "alasan": alasan.to_numpy(),
            "NIK": people["nik"].map(form_text),
            "Nama": people["nama"].map(form_text),
            "Alasan Didatangi": alasan.map(ALASAN_LABELS).to_numpy(),
            "Alamat": get("alamat").map(form_text),
            "Desa/Kelurahan": get("nama_desa").map(form_text),
            "Kecamatan": get("nama_kecamatan").map(form_text),
            "ID Keluarga P3KE": get("id_keluarga").map(form_text),
            "Status Intervensi": get("status_intervensi").map(lambda s: INTERVENSI_LABELS.get(form_text(s), form_text(s))),
            "Program Diterima": get("program_diterima").map(form_text),
            "Status Verifikasi Terakhir": [
                last_verification(s, d) for s, d in zip(get("status_keberadaan"), get("tanggal_verifikasi"))
            ],
        }
    )
    rows = rows.sort_values(["kode_kecamatan", "Desa/Kelurahan", "Nama", "NIK"], kind="stable", ignore_index=True)
    return rows


#: Excel keeps at most this many characters in one cell; longer text is cut (:func:`cut_long_cells`).
EXCEL_CELL_LIMIT = 32_767
#: Review list of the cells cut to :data:`EXCEL_CELL_LIMIT`, written beside the forms when any was cut.
CUT_CELLS_FILE = "sel_terpotong.csv"


def _thousands(n: int) -> str:
    return f"{int(n):,}".replace(",", ".")


def cut_long_cells(
    rows: pd.DataFrame, columns: tuple[Column, ...] = COLUMNS, group: str = "kode_kecamatan"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``rows`` (:func:`form_rows`; or another workbook's rows with its ``columns``, one workbook per value of
    ``group``) with every text longer than Excel keeps cut to :data:`EXCEL_CELL_LIMIT` characters, ending with a
    visible note; and one review row per cut cell (``group``, form row number, NIK, name, column, original length),
    for :data:`CUT_CELLS_FILE`."""
    rows = rows.copy()
    number = rows.groupby(group, sort=False).cumcount() + 1  # the form's "No" within its workbook
    cut = []
    for column in [c.header for c in columns if c.header in rows.columns]:
        lengths = rows[column].map(lambda t: len(t) if isinstance(t, str) else 0)
        for index in lengths.index[lengths > EXCEL_CELL_LIMIT]:
            note = f" … [DIPOTONG: teks asli {_thousands(lengths[index])} karakter, lihat {CUT_CELLS_FILE}]"
            rows.at[index, column] = rows.at[index, column][: EXCEL_CELL_LIMIT - len(note)] + note
            cut.append({group: rows.at[index, group], "no": int(number[index]),
                        "nik": rows.at[index, "NIK"], "nama": rows.at[index, "Nama"], "kolom": column,
                        "panjang_asli": int(lengths[index]), "panjang_di_formulir": EXCEL_CELL_LIMIT})  # fmt: skip
    listed = [group, "no", "nik", "nama", "kolom", "panjang_asli", "panjang_di_formulir"]
    return rows, pd.DataFrame(cut, columns=listed)


def write_cut_cells(cut: pd.DataFrame, out: Path, unit: str = "kecamatan") -> None:
    """:data:`CUT_CELLS_FILE` in ``out`` (an old one removed), and a warning, when cells were cut."""
    (out / CUT_CELLS_FILE).unlink(missing_ok=True)
    if len(cut):
        outputs.write_csv(cut, out / CUT_CELLS_FILE)
        warnings.warn(
            f"{len(cut)} sel lebih panjang dari batas Excel ({_thousands(EXCEL_CELL_LIMIT)} karakter) dipotong di "
            f"formulir; daftarnya ({unit}, nomor baris, kolom, panjang asli) di {out / CUT_CELLS_FILE}. Periksa "
            "data sumbernya (mis. alamat yang tertempel berulang).",
            stacklevel=3,
        )


def check_columns(status_sasaran: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in status_sasaran.columns]
    if missing:
        raise InputError(
            f"Tabel status_sasaran tidak memuat kolom {', '.join(missing)}. Jalankan ulang pipeline (make pipeline)."
        )


def select_kecamatan(kecamatan: object = None, kode_kabupaten: str = KODE_KABUPATEN) -> pd.DataFrame:
    """The kecamatan to write (``kode``, ``nama``): all of them, or those named/coded in ``kecamatan``.

    ``kecamatan`` is empty/None, a name or code, a comma-separated text, or a list.
    """
    table = wilayah.kecamatan_table(kode_kabupaten)[["kode", "nama"]]
    if kecamatan is None or (isinstance(kecamatan, str) and not kecamatan.strip()):
        return table.reset_index(drop=True)
    wanted = kecamatan.split(",") if isinstance(kecamatan, str) else list(kecamatan)
    wanted = [str(w).strip() for w in wanted if str(w).strip()]
    codes = wilayah.resolve_kecamatan(pd.Series(wanted, dtype="string"), kode_kabupaten)
    unknown = [w for w, c in zip(wanted, codes) if pd.isna(c)]
    if unknown:
        hints = "; ".join(f'"{u}" (maksud Anda {wilayah.suggest_kecamatan(u, kode_kabupaten)}?)' for u in unknown)
        raise InputError(f"Kecamatan tidak dikenal: {hints}. Gunakan nama atau kode Kemendagri, misalnya Mojoagung.")
    return table[table["kode"].isin(set(codes))].reset_index(drop=True)


def file_name(kode: str, nama: str) -> str:
    """``35.17.06_Mojoagung.xlsx``"""
    return f"{kode}_{re.sub(r'[^0-9A-Za-z.-]+', '_', nama).strip('_')}.xlsx"


# --- workbook -----------------------------------------------------------------------------------------------


def _formats(workbook) -> dict:
    base = {"font_name": "Arial", "font_size": 9, "valign": "top", "border": 1}  # cells are locked by default
    unlocked = {**base, "locked": False, "bg_color": "#FFF2CC"}
    return {
        "red": workbook.add_format({"font_name": "Arial", "bold": True, "font_size": 12, "font_color": "#C00000"}),
        "title": workbook.add_format({"font_name": "Arial", "bold": True, "font_size": 12}),
        "plain": workbook.add_format({"font_name": "Arial", "font_size": 10}),
        "note": workbook.add_format({"font_name": "Arial", "font_size": 10, "italic": True}),
        "header": workbook.add_format(
            {**base, "bold": True, "text_wrap": True, "valign": "vcenter", "align": "center", "bg_color": "#D9E1F2"}
        ),
        "header_input": workbook.add_format(
            {**base, "bold": True, "text_wrap": True, "valign": "vcenter", "align": "center", "bg_color": "#FFD966"}
        ),
        "text": workbook.add_format({**base, "num_format": "@"}),
        "wrap": workbook.add_format({**base, "num_format": "@", "text_wrap": True}),
        "id": workbook.add_format({**base, "num_format": "@"}),
        # the same, with Excel's quote prefix: for text that begins like a formula (a hostile or mistyped name)
        "text_q": workbook.add_format({**base, "num_format": "@", "quote_prefix": True}),
        "wrap_q": workbook.add_format({**base, "num_format": "@", "text_wrap": True, "quote_prefix": True}),
        "id_q": workbook.add_format({**base, "num_format": "@", "quote_prefix": True}),
        "number": workbook.add_format({**base, "align": "right"}),
        "input": workbook.add_format({**unlocked, "num_format": "@"}),
        "input_wrap": workbook.add_format({**unlocked, "num_format": "@", "text_wrap": True}),
        "date": workbook.add_format({**unlocked, "num_format": "dd/mm/yyyy", "align": "center"}),
        "round": workbook.add_format({**unlocked, "num_format": "0", "align": "center"}),
        "help_title": workbook.add_format({"font_name": "Arial", "bold": True, "font_size": 14}),
        "help_head": workbook.add_format({"font_name": "Arial", "bold": True, "font_size": 11, "valign": "bottom"}),
        "help": workbook.add_format({"font_name": "Arial", "font_size": 10, "text_wrap": True, "valign": "top"}),
        "help_key": workbook.add_format(
            {"font_name": "Arial", "font_size": 10, "bold": True, "valign": "top", "text_wrap": True}
        ),
    }


def _cell_format(column: Column, fmt: dict, quoted: bool = False):
    """The format of a column's cells; ``quoted``: the quote-prefixed twin, for text that begins like a formula."""
    if column.kind == "round":
        return fmt["round"]
    if column.kind == "input":
        return fmt["input_wrap"] if column.wrap else fmt["input"]
    if column.kind in ("number", "date"):
        return fmt[column.kind]
    key = "id" if column.kind == "id" else "wrap" if column.wrap else "text"
    return fmt[key + "_q" if quoted else key]


def _row_height(row: pd.Series, columns: tuple[Column, ...] = COLUMNS) -> float:
    """Height (points) fitting the wrapped text, at least two handwritten lines for the input columns."""
    lines = 1
    for column in columns:
        if column.wrap and column.header in row.index:
            text = form_text(row[column.header])
            lines = max(lines, math.ceil(len(text) * 1.1 / max(column.width - 1, 1)))
    return max(27.0, 12.0 * lines + 3)


def _list_source(workbook, values: tuple[str, ...], column: int) -> dict:
    """Data-validation source: the inline list, or a range of a hidden sheet when it exceeds 255 characters."""
    if len(",".join(values)) <= INLINE_LIST_LIMIT:
        return {"source": list(values)}
    sheet = workbook.get_worksheet_by_name(SHEET_LISTS)
    if sheet is None:
        sheet = workbook.add_worksheet(SHEET_LISTS)
        sheet.hide()
    for row, value in enumerate(values):
        sheet.write_string(row, column, value)
    letter = xlsxwriter.utility.xl_col_to_name(column)
    return {"source": f"={SHEET_LISTS}!${letter}$1:${letter}${len(values)}"}


def _choose_message(values: tuple[str, ...], extra: str = "") -> str:
    """Error message of a dropdown; Excel drops a validation whose message exceeds 255 characters."""
    text = "Pilih salah satu: " + ", ".join(values) + "." + extra
    return text if len(text) <= INLINE_LIST_LIMIT else "Pilih salah satu nilai dari daftar (lihat lembar Petunjuk)."


def list_validation(workbook, sheet, first: int, last: int, column: int, values: tuple[str, ...], title: str,
                    input_message: str, error_title: str, error_message: str | None = None, list_column: int = 0,
                    warning: bool = False) -> None:  # fmt: skip
    """A dropdown of ``values`` on rows first..last of ``column`` (a list longer than Excel's inline limit goes to
    column ``list_column`` of the hidden sheet); ``warning``: a value outside the list is allowed after a warning."""
    sheet.data_validation(
        first, column, last, column,
        {
            "validate": "list",
            **_list_source(workbook, values, list_column),
            "input_title": title,
            "input_message": input_message,
            "error_title": error_title,
            "error_message": error_message or _choose_message(values),
            **({"error_type": "warning"} if warning else {}),
        },
    )  # fmt: skip


def date_validation(sheet, first: int, last: int, column: int, title: str, what: str, report_date: dt.date) -> None:
    """A date check (from the year before the report date to two years after it) on rows first..last of
    ``column``; ``what``: the date asked for ("tanggal kunjungan")."""
    sheet.data_validation(
        first, column, last, column,
        {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(report_date.year - 1, 1, 1),
            "maximum": dt.date(report_date.year + 2, 12, 31),
            "input_title": title,
            "input_message": f"{what[0].upper() + what[1:]}, format dd/mm/yyyy.",
            "error_title": "Tanggal tidak valid",
            "error_message": f"Isi {what} dengan format dd/mm/yyyy, misalnya {report_date.strftime('%d/%m/%Y')}.",
        },
    )  # fmt: skip


def _add_validations(workbook, sheet, first: int, last: int, report_date: dt.date) -> None:
    """Dropdowns for Status Keberadaan and Kondisi, a date check for Tanggal Verifikasi, a 16-character check for
    NIK Temuan Lapangan and a whole-number check for Putaran, on rows first..last."""
    list_validation(workbook, sheet, first, last, col("Status Keberadaan"), STATUS_CHOICES, "Status Keberadaan",
                    "Pilih dari daftar.", "Status tidak dikenal")  # fmt: skip
    list_validation(workbook, sheet, first, last, col("Kondisi"), KONDISI, "Kondisi",
                    "Pilih dari daftar; rincian di Keterangan.", "Kondisi tidak dikenal",
                    _choose_message(KONDISI, " Rincian ditulis di kolom Keterangan."), list_column=1)  # fmt: skip
    date_validation(sheet, first, last, col("Tanggal Verifikasi"), "Tanggal Verifikasi", "tanggal kunjungan",
                    report_date)  # fmt: skip
    sheet.data_validation(
        first, col("NIK Temuan Lapangan"), last, col("NIK Temuan Lapangan"),
        {
            "validate": "length",
            "criteria": "==",
            "value": 16,
            "input_title": "NIK Temuan Lapangan",
            "input_message": "Hanya untuk sasaran yang belum ditemukan di P3KE: NIK (16 angka) dari KTP/KK bila "
            "orangnya ditemukan.",
            "error_title": "NIK tidak valid",
            "error_message": "NIK harus 16 angka, diketik sebagai teks (tanpa spasi atau titik).",
        },
    )
    sheet.data_validation(
        first, col("Putaran"), last, col("Putaran"),
        {
            "validate": "integer",
            "criteria": "between",
            "minimum": 1,
            "maximum": MAX_PUTARAN,
            "input_title": "Putaran",
            "input_message": "Sudah terisi nomor putaran penyisiran ini; ubah hanya bila diminta Sekretariat TKPK.",
            "error_title": "Putaran tidak valid",
            "error_message": f"Isi nomor putaran: bilangan bulat 1 sampai {MAX_PUTARAN}.",
        },
    )


def reason_counts(rows: pd.DataFrame) -> str:
    """``"70 orang: 20 masih desil 1, intervensi belum optimal atau belum ada; ..."`` (reasons present only)."""
    counts = rows["alasan"].value_counts()
    parts = [f"{int(counts[code])} {ALASAN_LABELS[code].lower()}" for code in ALASAN_DIDATANGI
             if code in counts.index]  # fmt: skip
    return f"{len(rows)} orang ({'; '.join(parts)})"


#: The personal-data notice above every BNBA workbook's header (camat and OPD).
NOTICE = "RAHASIA — DATA PRIBADI (UU No. 27 Tahun 2022). Hanya untuk camat dan OPD; jangan disebarluaskan."


def _title_lines(kode: str, nama: str, report_date: dt.date, rows: pd.DataFrame, kabupaten: str,
                 putaran: int, sk: str = "SK Bupati") -> list[tuple[str, str]]:  # fmt: skip
    """The camat form's lines above the header: (format name, text); ``sk``: "SK Bupati" / "SK Wali Kota"."""
    tanggal = format_date(report_date, "d MMMM y", locale="id_ID")
    lines = [
        ("red", NOTICE),
        ("title", "FORMULIR VERIFIKASI DAN VALIDASI LAPANGAN SASARAN MISKIN EKSTREM (BNBA)"),
        ("plain", f"{kabupaten} — Kecamatan {nama} ({kode}) — data per {tanggal} — putaran ke-{putaran}"),
    ]
    if len(rows):
        lines.append(("plain", f"Sasaran {sk} yang perlu didatangi: {reason_counts(rows)}."))
        lines.append(
            ("note", "Isi hanya kolom berwarna kuning (Status Keberadaan s.d. Putaran). Baca lembar Petunjuk.")
        )
    else:
        lines.append(
            ("title", f"Tidak ada sasaran {sk} yang perlu didatangi di Kecamatan {nama} per {tanggal}.")
        )
        lines.append(("note", "Formulir ini tidak perlu diisi maupun dikembalikan."))
    return lines


def write_title_block(sheet, fmt: dict, lines: list[tuple[str, str]]) -> None:
    """Rows above the header. Each line is one cell of text, so no title cell is mistaken for a header."""
    for row, (style, text) in enumerate(lines):
        sheet.write_string(row, 0, text, fmt[style])


def _print_setup(sheet, last_row: int, width: int, footer: str) -> None:
    """A4 landscape, one page wide, the header row on every page; ``footer``: the text at the bottom left."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW)
    sheet.print_area(0, 0, last_row, width - 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.center_horizontally()
    sheet.set_header('&R&"Arial,Bold"&9RAHASIA')
    sheet.set_footer(f"&L&8{footer}&R&8Halaman &P dari &N")


#: What a camat may still do on the protected form: filter, sort, resize rows and columns.
_PROTECTION = {
    "autofilter": True,
    "sort": True,
    "format_columns": True,
    "format_rows": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}


def write_form_sheet(
    workbook,
    fmt: dict,
    rows: pd.DataFrame,
    columns: tuple[Column, ...],
    title_lines: list[tuple[str, str]],
    footer: str,
    validations: Callable[[object, object, int, int], None],
    putaran: int | None = None,
) -> None:
    """The form sheet of a BNBA workbook: title block, header (input columns yellow), one row per person of
    ``rows`` (texts of ``columns``; input columns empty and unlocked, a ``round`` column holding ``putaran``),
    ``validations(workbook, sheet, first, last)`` on the data rows, frozen up to Nama, filter, print setup, and the
    sheet protected but for filtering, sorting and resizing."""
    sheet = workbook.add_worksheet(SHEET_FORM)
    write_title_block(sheet, fmt, title_lines)
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
        style = fmt["header_input"] if column.kind in INPUT_KINDS else fmt["header"]
        sheet.write_string(HEADER_ROW, index, column.header, style)
    sheet.set_row(HEADER_ROW, 30)
    formats = [_cell_format(c, fmt) for c in columns]
    quoted = [_cell_format(c, fmt, quoted=True) for c in columns]
    for offset, (_, row) in enumerate(rows.iterrows()):
        excel_row = HEADER_ROW + 1 + offset
        sheet.set_row(excel_row, _row_height(row, columns))
        sheet.write_number(excel_row, 0, offset + 1, formats[0])
        for index, column in enumerate(columns[1:], start=1):
            if column.kind == "round":
                sheet.write_number(excel_row, index, putaran, formats[index])
            elif column.kind in ("input", "date"):
                sheet.write_blank(excel_row, index, None, formats[index])
            else:
                text = row[column.header]
                sheet.write_string(excel_row, index, text, quoted[index] if formula_like(text) else formats[index])
    last_row = HEADER_ROW + len(rows)
    if len(rows):
        validations(workbook, sheet, HEADER_ROW + 1, last_row)
    sheet.freeze_panes(HEADER_ROW + 1, [c.header for c in columns].index("Nama") + 1)
    sheet.autofilter(HEADER_ROW, 0, last_row, len(columns) - 1)
    _print_setup(sheet, last_row, len(columns), footer)
    sheet.protect("", _PROTECTION)
    sheet.activate()


def _help_lines(
    nama: str, report_date: dt.date, kabupaten: str = NAMA_KABUPATEN, encrypted: bool = False, sk: str = "SK Bupati"
) -> list[tuple[str, str, str]]:
    """(style, column A, column B) lines of the Petunjuk sheet (``encrypted``: the file has a password)."""
    tanggal = report_date.strftime("%d/%m/%Y")
    statuses = ", ".join(STATUS_CHOICES)
    return [
        ("help_title", "Petunjuk pengisian formulir verifikasi", ""),
        ("plain", f"Kecamatan {nama}, data per {tanggal}.", ""),
        ("help_head", "Kerahasiaan", ""),
        ("help", "", "Formulir ini memuat NIK lengkap, nama dan alamat: data pribadi yang dilindungi UU No. 27 Tahun "
         "2022. Hanya untuk camat, petugas verifikasi dan OPD terkait. Jangan diteruskan, diunggah ke grup percakapan "
         "atau media sosial, dan musnahkan cetakan setelah selesai."),
        ("help_key", "Alasan Didatangi", "Mengapa orang ini ada di formulir: masih desil 1 (yang perlu tindakan "
         "disebut lebih dulu), belum ditemukan di P3KE (pastikan keberadaan dan NIK), atau padanan P3KE perlu "
         "ditinjau (pastikan identitas dan NIK). Untuk yang belum ditemukan di P3KE, nama, NIK, desa dan alamat "
         f"diambil dari {sk}."),
        ("help_head", "Yang diisi (kolom kuning)", ""),
        ("help_key", "Status Keberadaan", f"Pilih dari daftar: {statuses}."),
        ("help", "  Ada", "Orang tersebut masih tinggal di desa/kelurahan ini dan ditemui (atau keluarganya)."),
        ("help", "  Meninggal", "Sudah meninggal. Tulis tanggal meninggal di Keterangan bila diketahui."),
        ("help", "  Pindah", "Sudah pindah tempat tinggal ke luar desa/kelurahan. Tulis alamat baru di Keterangan."),
        ("help", "  Tidak Ditemukan", "Tidak dapat ditemukan setelah dicari dan ditanyakan ke RT/RW atau tetangga."),
        ("help_key", "Kondisi", f"Pilih dari daftar: {', '.join(KONDISI)}. Rinciannya ditulis di Keterangan."),
        ("help_key", "Tanggal Verifikasi", f"Tanggal kunjungan lapangan, format dd/mm/yyyy (misalnya {tanggal}). "
         "Wajib diisi bila Status Keberadaan diisi; baris tanpa tanggal tidak dihitung."),
        ("help_key", "NIK Temuan Lapangan", "Hanya untuk orang yang belum ditemukan di P3KE atau padanannya perlu "
         "ditinjau: bila orangnya ditemukan (Status Keberadaan Ada), tulis NIK dari KTP/KK (16 angka). Temuan ini "
         "ditinjau Sekretariat TKPK sebelum dipadankan."),
        ("help_key", "Keterangan", "Catatan bebas: alamat baru, tanggal meninggal, bantuan yang dibutuhkan, dll."),
        ("help_key", "Petugas", "Nama petugas yang melakukan verifikasi."),
        ("help_key", "Putaran", "Sudah terisi nomor putaran penyisiran ini. Jangan diubah kecuali diminta "
         "Sekretariat TKPK; verifikasi dihitung per putaran."),
        ("help_key", "Status final", "Meninggal dan Pindah bersifat final: laporan Tidak Ditemukan sesudahnya tidak "
         "mengubahnya, dan laporan Ada sesudah Meninggal tidak dipakai tetapi ditinjau. Bila kematian keliru dicatat, "
         "beri tahu Sekretariat TKPK."),
        ("help_head", "Yang tidak boleh dilakukan", ""),
        ("help", "", "Jangan mengubah NIK, Nama atau kolom lain yang judulnya berwarna biru; jangan menambah, "
         "menghapus atau mengganti nama kolom; jangan menambah orang baru di formulir ini (laporkan terpisah kepada "
         "Sekretariat TKPK); jangan menyalin isi ke file lain. Orang yang belum dikunjungi: biarkan barisnya "
         "kosong (dihitung belum diverifikasi)."),
        ("help_head", "Pengembalian", ""),
        ("help", "", "Simpan tetap sebagai file Excel (.xlsx) dengan nama yang sama, bukan PDF atau foto, lalu kirim "
         f"kepada Sekretariat TKPK (Bappeda {kabupaten}) melalui saluran resmi. Bila ada verifikasi ulang, isi "
         "tanggal yang lebih baru: status dengan tanggal terbaru yang dipakai."
         + (" File ini dikunci dengan kata sandi yang dikirim terpisah: simpan dengan kata sandi yang sama (Excel "
            "menyimpannya tetap terkunci), jangan menghapus atau mengganti kata sandinya, dan jangan menuliskan kata "
            "sandi di pesan yang sama dengan file." if encrypted else "")),
    ]


def write_help_sheet(workbook, fmt: dict, lines: list[tuple[str, str, str]]) -> None:
    """The Petunjuk sheet: ``lines`` of (format name, column A, column B), protected."""
    sheet = workbook.add_worksheet(SHEET_HELP)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 95)
    heights = {"help_title": 24, "help_head": 24, "plain": 15}
    for row, (style, key, text) in enumerate(lines):
        if key:
            sheet.write_string(row, 0, key, fmt[style])
        if text:
            sheet.write_string(row, 1, text, fmt["help"])
        height = heights.get(style, 13.5 * max(1, math.ceil(len(text) / 95)))
        sheet.set_row(row, height)
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})


def write_workbook(
    path: Path,
    title: str,
    report_date: dt.date,
    kabupaten: str,
    sheets: Callable[[object, dict], None],
    password: str | None = None,
) -> Path:
    """Write a BNBA workbook: its properties (``title``; confidential subject; Sekretariat TKPK of ``kabupaten``),
    then ``sheets(workbook, formats)``; with ``password``, built in memory and written encrypted
    (:func:`helpers.protect.write_encrypted`). Text is never read as a formula, link or number."""
    created = dt.datetime.combine(report_date, dt.time())
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    target = io.BytesIO() if password else str(path)
    with xlsxwriter.Workbook(target, options) as workbook:
        workbook.set_properties(
            {
                "title": title,
                "subject": "RAHASIA: data pribadi (UU 27/2022)",
                "author": f"Sekretariat TKPK {kabupaten} (Bappeda)",
                "company": f"Pemerintah {kabupaten}",
                "created": created,
            }
        )
        sheets(workbook, _formats(workbook))
    if password:
        protect.write_encrypted(target.getvalue(), path, password)
    return path


def write_form(rows: pd.DataFrame, path: Path, kode: str, nama: str, report_date: dt.date,
               kabupaten: str = NAMA_KABUPATEN, putaran: int = 1, password: str | None = None,
               kode_kabupaten: str = KODE_KABUPATEN) -> Path:  # fmt: skip
    """Write one kecamatan's workbook (``rows`` from :func:`form_rows`, already filtered to that kecamatan);
    with ``password``, written encrypted."""
    sk = wilayah.sk_name(kode_kabupaten)

    def sheets(workbook, fmt: dict) -> None:
        footer = f"Formulir verifikasi Kec. {nama} — per {report_date.strftime('%d/%m/%Y')}"
        lines = _title_lines(kode, nama, report_date, rows, kabupaten, putaran, sk)
        write_form_sheet(workbook, fmt, rows, COLUMNS, lines, footer,
                         lambda book, sheet, first, last: _add_validations(book, sheet, first, last, report_date),
                         putaran)  # fmt: skip
        write_help_sheet(workbook, fmt, _help_lines(nama, report_date, kabupaten, password is not None, sk))

    title = f"Formulir verifikasi sasaran miskin ekstrem — Kecamatan {nama}"
    return write_workbook(path, title, report_date, kabupaten, sheets, password)


def password_text(passwords_file: str | None, recipient: str = "camat", own_file: str = "file kecamatannya") -> str:
    """The BACA_DULU section on passwords: how to send them to each ``recipient`` (who gets only the password of
    ``own_file``), or what is given up without them."""
    if passwords_file is None:
        return """## Tanpa kata sandi

Formulir ini **tidak dienkripsi** (parameter `enkripsi_formulir` = false): siapa pun yang mendapat salinan file
dapat membaca semua NIK, nama dan alamat di dalamnya. Kirim hanya melalui saluran yang sudah aman (misalnya
diserahkan langsung dalam flashdisk terenkripsi atau melalui penyimpanan dinas yang aksesnya terbatas)."""
    who = recipient[0].upper() + recipient[1:]
    return f"""## Kata sandi

Setiap file **dikunci dengan kata sandinya sendiri** (enkripsi standar Office, AES-256; dibuka di Excel atau
LibreOffice dengan memasukkan kata sandi). Daftar kata sandi ada di `{passwords_file}` di folder kunci (parameter
`kunci_dir`, bawaan `data/kunci/`) di komputer Sekretariat TKPK, **tidak** di folder ini.

- Kirim file melalui saluran resmi, dan **kata sandinya melalui saluran lain** (telepon, SMS atau pesan langsung
  kepada {recipient}), tidak pernah dalam pesan, email atau grup yang sama dengan filenya.
- Setiap {recipient} hanya menerima kata sandi {own_file}.
- {who} menyimpan formulir yang sudah diisi dengan kata sandi yang sama (Excel dan LibreOffice menyimpannya tetap
  terkunci). Formulir yang kembali masih terkunci dibaca pipeline dengan kata sandi dari folder kunci."""


#: Who may receive the camat forms (a line of :func:`privacy_text`).
PRIVACY_CAMAT = """- File hanya untuk **camat** kecamatan yang bersangkutan (setiap camat hanya menerima file kecamatannya) dan
  **OPD** yang melaksanakan intervensi, untuk verifikasi dan validasi."""


def privacy_text(recipients: str, with_decisions: bool = True) -> str:
    """The BACA_DULU section on personal data of every BNBA folder; ``recipients``: the line saying who may receive
    the files; ``with_decisions``: the folder may hold the analysts' decisions workbook (never sent)."""
    decisions = ("\n- `" + DECISIONS_FILE + "` (bila ada di folder ini) hanya untuk analis Sekretariat TKPK: **jangan "
                 "dikirim** kepada camat\n  atau OPD." if with_decisions else "")  # fmt: skip
    return f"""## Data pribadi (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi)

- Setiap file memuat **NIK lengkap, nama dan alamat**: data pribadi yang dilindungi.
{recipients}
- **Jangan diteruskan** kepada pihak lain, jangan diunggah ke grup percakapan, media sosial atau penyimpanan
  publik, dan jangan dilampirkan pada laporan. Kirim melalui saluran resmi (surat atau email dinas).
- Musnahkan salinan dan cetakan setelah verifikasi selesai.{decisions}"""


def readme_text(
    report_date: dt.date, written: list[tuple[str, str, int, str]], putaran: int = 1, passwords_file: str | None = None,
    kode_kabupaten: str = KODE_KABUPATEN,
) -> str:
    """``BACA_DULU_RAHASIA.md``: confidentiality, passwords (``passwords_file``: the name of the password list in
    the key folder; None: not encrypted) and how a returned form goes back into the pipeline."""
    tanggal = format_date(report_date, "d MMMM y", locale="id_ID")
    table = "\n".join(f"| {kode} | {nama} | {n} | {name} |" for kode, nama, n, name in written)
    total = sum(n for _, _, n, _ in written)
    return f"""# BACA DULU — RAHASIA

Folder ini berisi formulir verifikasi lapangan (BNBA: by name, by address) sasaran {wilayah.sk_name(kode_kabupaten)} penduduk miskin
ekstrem yang perlu didatangi, data per {tanggal}, putaran ke-{putaran}: satu file Excel per kecamatan. Formulir
memuat semua sasaran yang **masih berada di desil 1 P3KE 2024** (yang perlu tindakan disebut lebih dulu di kolom
Alasan Didatangi), semua sasaran yang **belum ditemukan di P3KE** dan semua sasaran yang **padanannya perlu
ditinjau**; yang belum ditemukan di P3KE tercantum dengan data SK (nama, NIK SK, desa, alamat).

{privacy_text(PRIVACY_CAMAT)}

{password_text(passwords_file)}

## Daftar file

| Kode | Kecamatan | Orang | File |
|---|---|---:|---|
{table}

Jumlah: {total} orang. Kecamatan tanpa sasaran yang perlu didatangi tetap mendapat file yang menyatakannya.

## Cara mengisi

Camat/petugas mengisi hanya kolom berwarna kuning (Status Keberadaan, Kondisi, Tanggal Verifikasi, NIK Temuan
Lapangan, Keterangan, Petugas; Putaran sudah terisi); lembar **Petunjuk** di setiap file menjelaskan setiap kolom.
Baris yang dibiarkan kosong berarti "belum diverifikasi".

## Cara memasukkan formulir yang sudah diisi

1. Simpan file yang diterima **apa adanya** (jangan diubah, jangan disalin ke file lain, jangan diubah ke CSV)
   di folder `data/raw/verifikasi/`. Jangan menimpa file yang diterima sebelumnya: bila satu kecamatan mengirim
   lagi, beri nama baru, misalnya `35.17.06_Mojoagung_diterima_2024-11-20.xlsx`.
2. Jalankan ulang pipeline (`make pipeline`). Untuk setiap NIK dipakai verifikasi dengan tanggal terbaru yang
   tidak melewati tanggal laporan.
3. Periksa daftar masalah verifikasi: baris tanpa tanggal atau tanpa status, tanggal sesudah tanggal laporan,
   NIK yang tidak ada di formulir, dan verifikasi yang bertentangan (NIK dan tanggal sama, status berbeda) tidak
   dipakai dan harus dikonfirmasi ke camat. Jawaban yang sama yang terkirim dua kali hanya dihitung sekali.
   Laporan Ada atau Pindah sesudah Meninggal juga masuk daftar itu dan tidak dipakai.
4. Periksa `data/processed/tinjau/temuan_lapangan.csv`: sasaran yang belum ditemukan di P3KE tetapi ditemukan
   petugas dengan NIK Temuan Lapangan; putuskan padanannya sebelum dipakai.

File yang namanya diawali `_` atau `~$` di `data/raw/verifikasi/` tidak dibaca.
"""


def write_forms(
    status_sasaran: pd.DataFrame,
    out_dir: str | Path,
    report_date: dt.date | str,
    kecamatan: object = None,
    kode_kabupaten: str = KODE_KABUPATEN,
    progress: bool = True,
    putaran: int = 1,
    kunci_dir: str | Path | None = None,
) -> list[Path]:
    """Write one verification workbook per kecamatan into ``out_dir`` (created), plus ``BACA_DULU_RAHASIA.md``.

    ``putaran``: the round number pre-filled in every row (see :func:`next_form_round`).
    ``kunci_dir``: encrypt each workbook with its own password, listed in ``{kunci_dir}/kata_sandi_<date>.csv``
    (a workbook already listed for that date keeps its password); None: not encrypted.

    ``out_dir`` is the folder of the files themselves (the CLI uses ``reports/<date>/formulir_verifikasi_RAHASIA``).
    ``kecamatan``: None/"" for all kecamatan of the kabupaten, or names/codes (text, comma-separated, or a list).
    Returns the workbook paths in kecamatan-code order. Unencrypted output is byte-identical for the same input.
    """
    check_columns(status_sasaran)
    report = to_date(report_date)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table = select_kecamatan(kecamatan, kode_kabupaten)
    rows, cut = cut_long_cells(form_rows(status_sasaran))
    _warn_unplaced(rows, kode_kabupaten)
    kabupaten = wilayah.kabupaten_name(kode_kabupaten)
    groups = {kode: part for kode, part in rows.groupby("kode_kecamatan")}
    paths, written = [], []
    areas = list(zip(table["kode"], table["nama"]))
    passwords, listed = assign_passwords(kunci_dir, report, [file_name(*a) for a in areas])
    for kode, nama in tqdm(areas, desc="Formulir", unit="kecamatan", disable=not progress):
        part = groups.get(kode, rows.iloc[0:0])
        name = file_name(kode, nama)
        path = write_form(part, out / name, kode, nama, report, kabupaten, putaran, passwords.get(name), kode_kabupaten)
        paths.append(path)
        written.append((kode, nama, len(part), path.name))
    (out / README_NAME).write_text(readme_text(report, written, putaran, listed, kode_kabupaten), encoding="utf-8")
    write_cut_cells(cut, out)
    return paths


def assign_passwords(kunci_dir: str | Path | None, report: dt.date, names: list[str]) -> tuple[dict[str, str], str | None]:
    """One password per workbook file name (one already listed for ``report`` kept), listed in the key folder's
    ``kata_sandi_<date>.csv`` before any file is encrypted, so no workbook ever exists without its password on
    record; returns them and the list's file name. Without ``kunci_dir``: no passwords (not encrypted)."""
    if not kunci_dir:
        return {}, None
    known = keys.read_passwords(kunci_dir, report.isoformat())
    passwords = {name: known.get(name) or keys.new_password() for name in names}
    return passwords, keys.write_passwords(kunci_dir, report.isoformat(), passwords).name


def _warn_unplaced(rows: pd.DataFrame, kode_kabupaten: str) -> None:
    known = set(wilayah.kecamatan_table(kode_kabupaten)["kode"])
    unplaced = int((~rows["kode_kecamatan"].isin(known) | rows["kode_kecamatan"].isna()).sum())
    if unplaced:
        warnings.warn(
            f"{unplaced} orang yang perlu didatangi tidak memiliki kode kecamatan yang dikenal dan tidak masuk "
            "formulir mana pun. Periksa status_sasaran (kode_kecamatan).",
            stacklevel=2,
        )


def next_form_round(processed_dir: str | Path) -> int:
    """The round number of the next forms: ``putaran_berikutnya`` of ``summary.json`` (1 without it)."""
    path = catalog.SUMMARY.at(processed_dir)
    if not path.is_file():
        return 1
    return int(json.loads(path.read_text(encoding="utf-8")).get("putaran_berikutnya", 1))


def _write_opd_forms(params: dict) -> str:
    """The OPD workbooks beside the camat forms (:mod:`helpers.publishing.forms_opd`), for the whole kabupaten only;
    what was done, as a clause of the command's message."""
    from helpers.publishing import forms_opd, opd

    if params["kecamatan"]:
        return "formulir OPD tidak ditulis: formulir OPD hanya untuk seluruh kabupaten/kota (tanpa -p kecamatan)"
    if not opd.available(params["processed_dir"]):
        return (f"tanpa formulir OPD ({catalog.INTERVENSI_SASARAN.path} atau {catalog.REKOMENDASI.path} belum ada: "
                "jalankan ulang pipeline)")  # fmt: skip
    folder = run_params.report_dir(params) / forms_opd.FOLDER
    data = opd.load(params["processed_dir"], params["kode_kabupaten"])
    paths = forms_opd.write_opd_forms(data, folder, params["report_date"], params["kode_kabupaten"],
                                      kunci_dir=params["kunci_dir"] if params["enkripsi_formulir"] else None)  # fmt: skip
    return f"{len(paths)} formulir OPD di {folder}"


def forms_dir(params: dict) -> Path:
    """``<reports_dir>/<report_date>/formulir_verifikasi_RAHASIA``."""
    return run_params.report_dir(params) / FOLDER


def main(argv: list[str] | None = None) -> int:
    args = cli.parser(
        "python -m helpers forms", "Menulis formulir verifikasi (RAHASIA) per kecamatan dan formulir BNBA per OPD dari data "
        "olahan."
    ).parse_args(argv)

    def action() -> str:
        params = run_params.resolve(args.params, args.parameter)
        select_kecamatan(params["kecamatan"], params["kode_kabupaten"])  # a typo fails before any reading
        if not catalog.STATUS_SASARAN.at(params["processed_dir"]).is_file():
            raise InputError(f"Tabel {catalog.STATUS_SASARAN.path} belum ada. Jalankan pipeline dulu (make pipeline).")
        with lock.hold(params["processed_dir"]):  # never while a pipeline rewrites the processed data
            params = report_date.settled(params, run_params.MAP)  # the forms read what 03_map reads: 02's statuses
            status = catalog.read_parquet(catalog.STATUS_SASARAN, params["processed_dir"])
            runs.check_consistent(params["processed_dir"], params["report_date"])  # never from a mix of runs
            paths = write_forms(
                status,
                forms_dir(params),
                params["report_date"],
                params["kecamatan"] or None,
                params["kode_kabupaten"],
                putaran=next_form_round(params["processed_dir"]),
                kunci_dir=params["kunci_dir"] if params["enkripsi_formulir"] else None,
            )
            message = f"{len(paths)} formulir ditulis di {forms_dir(params)} (RAHASIA: baca {README_NAME})"
            if params["enkripsi_formulir"]:
                listed = keys.passwords_path(params["kunci_dir"], params["report_date"])
                message += (f"; setiap file terkunci kata sandinya sendiri, tercatat di {listed}: kirim kata sandi "
                            "melalui saluran lain daripada filenya")  # fmt: skip
            else:
                message += "; TANPA kata sandi (enkripsi_formulir = false)"
            message += "; " + _write_opd_forms(params)
            if not catalog.KANDIDAT_PADAN.at(params["processed_dir"]).is_file():
                return message + f"; tanpa keputusan padu padan ({catalog.KANDIDAT_PADAN.path} belum ada: jalankan 02_match)."
            decisions = write_decisions_form(params["processed_dir"], forms_dir(params), to_date(params["report_date"]))
            return message + f"; keputusan padu padan: {decisions.name}."

    return cli.guarded(action)

if __name__ == "__main__":
    sys.exit(main())
