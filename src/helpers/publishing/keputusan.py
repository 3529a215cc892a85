"""The decisions workbook of padu padan (``keputusan_padan.xlsx``, RAHASIA: full NIKs).

``make forms`` writes it next to the camat forms, pre-filled with every ``tinjau_manual`` person of the run and
their top three register candidates, every unmatched person a camat found in the field with a NIK
(``temuan_lapangan.parquet``: the NIK is proposed in "NIK P3KE", the analyst confirms it), and with the
decisions already in force (so that the filled workbook can
replace ``data/raw/keputusan_padan.xlsx`` without losing any). The analyst chooses in "Keputusan" (dropdown):
a candidate, "NIK P3KE lain" (a NIK written in "NIK P3KE") or "Tidak ada di P3KE", and signs with name and date.
The next run applies the decisions before the model (:func:`helpers.matching.linkage.apply_decisions`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import xlsxwriter

from helpers import catalog
from helpers.cleaning.records import KEPUTUSAN_KANDIDAT
from helpers.dates import dmy
from helpers.outputs import formula_like
from helpers.publishing.fmt import tanggal

FILE_NAME = "keputusan_padan.xlsx"
SHEET = "Keputusan"
HEADER_ROW = 4
CHOICES = (*(label.title() for label in KEPUTUSAN_KANDIDAT), "NIK P3KE lain", "Tidak ada di P3KE")
#: (header, width, kind): kind "id" (locked text), "text" (locked), "input" (unlocked), "date" (unlocked date).
COLUMNS = (
    ("ID Sasaran", 12, "id"), ("Nama", 22, "text"), ("NIK SK", 18, "id"), ("Desa SK", 16, "text"),
    ("Alasan Tinjau", 22, "text"),
    *((f"Kandidat {k}", 34, "text") for k in (1, 2, 3)),
    *((f"NIK Kandidat {k}", 18, "id") for k in (1, 2, 3)),
    ("Keputusan", 18, "input"), ("NIK P3KE", 18, "input"), ("Diputuskan Oleh", 18, "input"),
    ("Tanggal Keputusan", 14, "date"), ("Keterangan", 30, "input"),
)  # fmt: skip
HEADERS = [c[0] for c in COLUMNS]


def _describe(candidate: pd.Series) -> str:
    born = dmy(candidate["kandidat_tanggal_lahir"]) or "tgl lahir kosong"
    return (
        f"{candidate['kandidat_nama']} · {candidate['kandidat_nama_desa']} · {born} · desil "
        f"{candidate['kandidat_desil']} · bobot {candidate['bobot_padan']:.1f} bit"
    )


def decision_rows(processed_dir: str | Path) -> pd.DataFrame:
    """One row per person to decide (open review cases) or already decided (decisions in force), by HEADERS."""
    processed = Path(processed_dir)
    status = catalog.read_parquet(catalog.STATUS_SASARAN, processed)
    sk = catalog.read_parquet(catalog.SK, processed).set_index("id_sasaran")
    candidates = catalog.read_parquet(catalog.KANDIDAT_PADAN, processed)
    decisions = catalog.read_parquet(catalog.KEPUTUSAN_PADAN, processed)
    decided = decisions.dropna(subset=["keputusan"]).drop_duplicates("id_sasaran", keep="last").set_index("id_sasaran")
    findings = _field_findings(processed)
    wanted = status[
        status["metode_padan"].isin(["tinjau_manual", "keputusan_manual"]) | status["id_sasaran"].isin(findings.index)
    ]
    rows = []
    for _, person in wanted.iterrows():
        key = person["id_sasaran"]
        own = candidates[candidates["id_sasaran"] == key].sort_values("peringkat")
        row = {
            "ID Sasaran": key, "Nama": person["nama"], "NIK SK": sk.at[key, "nik"] if key in sk.index else pd.NA,
            "Desa SK": sk.at[key, "nama_desa"] if key in sk.index else pd.NA,
            "Alasan Tinjau": person["alasan_padan"],
        }  # fmt: skip
        for k, (_, candidate) in enumerate(own.head(3).iterrows(), start=1):
            row[f"Kandidat {k}"] = _describe(candidate)
            row[f"NIK Kandidat {k}"] = candidate["kandidat_nik"]
        if key in findings.index and key not in decided.index:  # a camat found the person: the analyst confirms
            found = findings.loc[key]
            row["NIK P3KE"] = found["nik_temuan"]
            row["Keterangan"] = (
                f"Temuan lapangan: NIK {found['nik_temuan']} ({found['petugas'] or 'petugas tidak tercatat'}, "
                f"{dmy(found['tanggal_verifikasi'])}); pilih \"NIK P3KE lain\" bila benar"
            )
        if key in decided.index:
            chosen = decided.loc[key]
            no_match = chosen["keputusan"] == "tidak ada di P3KE"
            row["Keputusan"] = "Tidak ada di P3KE" if no_match else "NIK P3KE lain"
            row["NIK P3KE"] = pd.NA if no_match else chosen["keputusan"]
            row["Diputuskan Oleh"] = chosen["diputuskan_oleh"]
            row["Tanggal Keputusan"] = chosen["tanggal"]
            row["Keterangan"] = chosen["keterangan"]
        rows.append(row)
    return pd.DataFrame(rows, columns=HEADERS)


def _field_findings(processed: Path) -> pd.DataFrame:
    """Form rows of camat who found an unmatched person with a NIK (``temuan_lapangan.parquet``, full NIKs),
    latest per person; indexed by ``id_sasaran``."""
    path = catalog.TEMUAN_LAPANGAN_NIK.at(processed)
    if not path.is_file():
        return pd.DataFrame(columns=["nik_temuan", "petugas", "tanggal_verifikasi"])
    found = pd.read_parquet(path).astype({"nik_temuan": "string", "petugas": "string"})
    found = found.sort_values("tanggal_verifikasi", kind="stable").drop_duplicates("id_sasaran", keep="last")
    return found.set_index("id_sasaran").fillna({"petugas": ""})


def write_workbook(rows: pd.DataFrame, path: str | Path, report_date: dt.date) -> Path:
    """The protected workbook: only the decision columns are editable; Keputusan is a dropdown."""
    path = Path(path)
    workbook = xlsxwriter.Workbook(path, {"strings_to_numbers": False})
    base = {"font_name": "Arial", "font_size": 9, "valign": "top", "border": 1, "text_wrap": True}
    fmt = {
        "id": workbook.add_format({**base, "num_format": "@"}),
        "text": workbook.add_format(base),
        "input": workbook.add_format({**base, "num_format": "@", "locked": False, "bg_color": "#FFF2CC"}),
        # quote-prefixed twins: text that begins like a formula stays text even when the cell is edited
        "id_q": workbook.add_format({**base, "num_format": "@", "quote_prefix": True}),
        "text_q": workbook.add_format({**base, "quote_prefix": True}),
        "input_q": workbook.add_format(
            {**base, "num_format": "@", "locked": False, "bg_color": "#FFF2CC", "quote_prefix": True}
        ),
        "date": workbook.add_format({**base, "num_format": "dd/mm/yyyy", "locked": False, "bg_color": "#FFF2CC"}),
        "header": workbook.add_format({**base, "bold": True, "bg_color": "#D9E1F2"}),
        "red": workbook.add_format({"font_name": "Arial", "bold": True, "font_size": 12, "font_color": "#C00000"}),
        "plain": workbook.add_format({"font_name": "Arial", "font_size": 10}),
    }
    sheet = workbook.add_worksheet(SHEET)
    sheet.write_string(0, 0, "RAHASIA — DATA PRIBADI (UU No. 27 Tahun 2022). Hanya untuk analis TKPK.", fmt["red"])
    sheet.write_string(1, 0, f"KEPUTUSAN PADU PADAN SK BUPATI × P3KE — kasus tinjau manual per {tanggal(report_date)}",
                       fmt["plain"])  # fmt: skip
    sheet.write_string(2, 0, "Pilih Keputusan, isi Diputuskan Oleh dan Tanggal Keputusan; simpan sebagai "
                             "data/raw/keputusan_padan.xlsx lalu jalankan pipeline lagi.", fmt["plain"])  # fmt: skip
    for index, (header, width, _) in enumerate(COLUMNS):
        sheet.set_column(index, index, width)
        sheet.write_string(HEADER_ROW, index, header, fmt["header"])
    for offset, (_, row) in enumerate(rows.iterrows(), start=HEADER_ROW + 1):
        for index, (header, _, kind) in enumerate(COLUMNS):
            value = row[header]
            if kind == "date" and pd.notna(value):
                sheet.write_datetime(offset, index, pd.Timestamp(value).to_pydatetime(), fmt["date"])
            elif pd.isna(value):
                sheet.write_blank(offset, index, None, fmt[kind])
            else:
                quoted = formula_like(str(value)) and kind in ("id", "text", "input")
                sheet.write_string(offset, index, str(value), fmt[kind + "_q" if quoted else kind])
    last = HEADER_ROW + max(len(rows), 1)
    keputusan = HEADERS.index("Keputusan")
    sheet.data_validation(HEADER_ROW + 1, keputusan, last, keputusan, {
        "validate": "list", "source": list(CHOICES), "error_title": "Keputusan tidak dikenal",
        "error_message": "Pilih: " + ", ".join(CHOICES) + ".",
    })  # fmt: skip
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    sheet.autofilter(HEADER_ROW, 0, last, len(COLUMNS) - 1)
    sheet.protect("", {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True})
    workbook.close()
    return path


def write_decisions_form(processed_dir: str | Path, out_dir: str | Path, report_date: dt.date) -> Path:
    """``keputusan_padan.xlsx`` in ``out_dir`` from the processed outputs of the run."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return write_workbook(decision_rows(processed_dir), out / FILE_NAME, report_date)

