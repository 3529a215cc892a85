"""BNBA workbooks for the OPD: one ``.xlsx`` per OPD (confidential), beside the camat forms.

``python -m helpers forms`` (the whole kabupaten) also writes
``<reports_dir>/<report_date>/formulir_opd_RAHASIA/OPD_<name>.xlsx`` plus ``BACA_DULU_RAHASIA.md``: one workbook per
OPD of the programme table in force or named in the intervention files (:func:`helpers.publishing.opd.agency_list`),
with the machinery of the camat forms (:mod:`helpers.publishing.forms`: formats, title block, validations, print
setup, protection, Petunjuk sheet, personal-data notice, encryption with its own password listed in the same
``kata_sandi_<date>.csv``, over-long cells cut).

Rows (:func:`workbook_rows`, :data:`helpers.vocabulary.ALASAN_OPD`): the people needing action recommended a
programme of that OPD (with "Rekomendasi Program"), first; and the people still in desil 1 who received a programme
of it, with their status (intervention, presence). The OPD fills, per person, "Status Intervensi" (Optimal / Belum
Optimal), "Tanggal Intervensi", "Program" (its programmes in a dropdown) and "Keterangan".

The headers are those of the ``intervensi`` input (NIK, Nama, OPD, Program, Tanggal Intervensi, Status Intervensi →
Status, ID Sasaran), so a returned workbook saved as it is in ``data/raw/intervensi/`` is read as that OPD's
intervention records (the OPD column is pre-filled and locked): each filled row a record; a row left empty "belum
diisi", never a record (:func:`helpers.cleaning.records.clean_intervensi`); a returned workbook still encrypted is
opened with its password from the key folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from babel.dates import format_date
from tqdm import tqdm

from helpers import vocabulary as v
from helpers.config import KODE_KABUPATEN
from helpers.dates import to_date
from helpers.publishing import forms, opd
from helpers.publishing.forms import Column
from helpers.reference import wilayah

FOLDER = "formulir_opd_RAHASIA"
#: Choices of the "Status Intervensi" dropdown (an OPD's own judgement, as the cleaning reads it).
STATUS_CHOICES = tuple(v.STATUS_OPD_LABELS.values())

#: The workbook's columns, left to right. Headers of the ``intervensi`` contract are read back on ingestion.
COLUMNS = (
    Column("No", 4.5, "number"),
    Column("NIK", 18, "id"),
    Column("Nama", 20, wrap=True),
    Column("Alasan Tercantum", 20, wrap=True),
    Column("Alamat", 22, wrap=True),
    Column("Desa/Kelurahan", 14, wrap=True),
    Column("Kecamatan", 12, wrap=True),
    Column("ID Sasaran", 14, "id"),
    Column("OPD", 14, wrap=True),
    Column("Program dari OPD Ini", 20, wrap=True),
    Column("Intervensi Saat Ini", 12, wrap=True),
    Column("Keberadaan Terakhir", 14, wrap=True),
    Column("Rekomendasi Program", 18, wrap=True),
    Column("Alasan Rekomendasi", 18, wrap=True),
    Column("Status Intervensi", 13, "input"),
    Column("Tanggal Intervensi", 12, "date"),
    Column("Program", 18, "input", wrap=True),
    Column("Keterangan", 22, "input", wrap=True),
)
HEADERS = [c.header for c in COLUMNS]
INPUT_HEADERS = [c.header for c in COLUMNS if c.kind in forms.INPUT_KINDS]


def col(header: str) -> int:
    """0-based column index of a header of :data:`COLUMNS`."""
    return HEADERS.index(header)


def file_name(agency: pd.Series) -> str:
    """``OPD_Dinas_Sosial.xlsx`` (the page of the same OPD is ``OPD_Dinas_Sosial.html``)."""
    return f"{agency['file']}.xlsx"


# --- data ---------------------------------------------------------------------------------------------------


def _join(values: pd.Series) -> str:
    return "; ".join(dict.fromkeys(str(x) for x in values if pd.notna(x) and str(x).strip()))


def workbook_rows(data: opd.OpdData) -> pd.DataFrame:
    """The people on every OPD's workbook, one row per OPD (``kunci``) and person with the workbook's headers and
    ``alasan`` (the first :data:`helpers.vocabulary.ALASAN_OPD` code: recommendation before recipient), sorted per
    OPD: recommendations first, then kecamatan, desa, name, NIK."""
    status = data.status.set_index("id_sasaran")
    still = set(status.index[status["status_desil"].eq(v.MASIH_DESIL1).to_numpy(bool)])
    received = data.records[data.records["id_sasaran"].isin(still)].dropna(subset=["kunci"])
    advised = data.rekomendasi.dropna(subset=["kunci"])
    advice_pairs = advised[["kunci", "id_sasaran"]].assign(alasan=v.ALASAN_OPD_REKOMENDASI)
    recipient_pairs = received[["kunci", "id_sasaran"]].assign(alasan=v.ALASAN_OPD_PENERIMA)
    pairs = pd.concat([advice_pairs, recipient_pairs], ignore_index=True)
    rank = {code: i for i, code in enumerate(v.ALASAN_OPD)}
    pairs = pairs.assign(_urut=pairs["alasan"].map(rank)).sort_values(["kunci", "id_sasaran", "_urut"])
    reasons = pairs.groupby(["kunci", "id_sasaran"], sort=False)["alasan"].agg(list)
    pairs = reasons.reset_index()
    pairs["alasan"] = reasons.map(lambda codes: codes[0]).to_numpy()
    pairs["Alasan Tercantum"] = reasons.map(lambda codes: "; ".join(v.ALASAN_OPD_LABELS[c] for c in codes)).to_numpy()
    programmes = opd.programmes_with_dates(received, ["kunci", "id_sasaran"])
    advice = advised.groupby(["kunci", "id_sasaran"], sort=False).agg(
        program=("program", _join), alasan=("alasan", _join)
    )
    key = pd.MultiIndex.from_frame(pairs[["kunci", "id_sasaran"]])
    person = status.reindex(pairs["id_sasaran"])
    name_of = dict(zip(data.agencies["kunci"], data.agencies["opd"]))
    rows = pd.DataFrame({
        "kunci": pairs["kunci"].to_numpy(),
        "alasan": pairs["alasan"].to_numpy(),
        "NIK": person["nik"].map(forms.form_text).to_numpy(),
        "Nama": person["nama"].map(forms.form_text).to_numpy(),
        "Alasan Tercantum": pairs["Alasan Tercantum"].to_numpy(),
        "Alamat": person["alamat"].map(forms.form_text).to_numpy(),
        "Desa/Kelurahan": person["nama_desa"].map(forms.form_text).to_numpy(),
        "Kecamatan": person["nama_kecamatan"].map(forms.form_text).to_numpy(),
        "ID Sasaran": pairs["id_sasaran"].map(forms.form_text).to_numpy(),
        "OPD": pairs["kunci"].map(name_of).to_numpy(),
        "Program dari OPD Ini": programmes.reindex(key).fillna("").to_numpy(),
        "Intervensi Saat Ini": [v.INTERVENSI_LABELS.get(s, forms.form_text(s)) for s in person["status_intervensi"]],
        "Keberadaan Terakhir": [forms.last_verification(s, d) for s, d in
                                zip(person["status_keberadaan"], person["tanggal_verifikasi"])],
        "Rekomendasi Program": advice["program"].reindex(key).fillna("").to_numpy(),
        "Alasan Rekomendasi": advice["alasan"].reindex(key).fillna("").to_numpy(),
    })  # fmt: skip
    rows["_urut"] = rows["alasan"].map(rank)
    rows = rows.sort_values(["kunci", "_urut", "Kecamatan", "Desa/Kelurahan", "Nama", "NIK"], kind="stable")
    return rows.drop(columns="_urut").reset_index(drop=True)


def programme_choices(data: opd.OpdData, kunci: str) -> tuple[str, ...]:
    """The programmes of OPD ``kunci``: those of the programme table in force, then those of its records."""
    listed = data.programmes.loc[data.programmes["kunci"] == kunci, "program"].dropna().tolist()
    recorded = sorted(data.records.loc[data.records["kunci"] == kunci, "program"].dropna().unique())
    return tuple(dict.fromkeys(str(p) for p in [*listed, *recorded]))


def reason_counts(rows: pd.DataFrame) -> str:
    """``"12 orang (8 perlu tindakan: program opd ini direkomendasikan; 4 ...)"`` (reasons present only)."""
    counts = rows["alasan"].value_counts()
    parts = [
        f"{int(counts[code])} {v.ALASAN_OPD_LABELS[code].lower()}" for code in v.ALASAN_OPD if code in counts.index
    ]
    return f"{len(rows)} orang ({'; '.join(parts)})"


# --- workbook -----------------------------------------------------------------------------------------------


def _title_lines(
    name: str, report_date: dt.date, rows: pd.DataFrame, kabupaten: str, kepala: str
) -> list[tuple[str, str]]:
    tanggal = format_date(report_date, "d MMMM y", locale="id_ID")
    lines = [
        ("red", forms.NOTICE),
        ("title", "FORMULIR BNBA SASARAN MISKIN EKSTREM UNTUK OPD: VERIFIKASI DAN PEMUTAKHIRAN INTERVENSI"),
        ("plain", f"{kabupaten} — {name} — data per {tanggal}"),
    ]
    if len(rows):
        lines.append(("plain", f"Sasaran SK {kepala} untuk {name}: {reason_counts(rows)}."))
        lines.append(
            ("note", "Isi hanya kolom berwarna kuning (Status Intervensi s.d. Keterangan). Baca lembar Petunjuk.")
        )
    else:
        lines.append(("title", f"Tidak ada sasaran SK {kepala} untuk {name} per {tanggal}."))
        lines.append(("note", "Formulir ini tidak perlu diisi maupun dikembalikan."))
    return lines


def _validations(programmes: tuple[str, ...], report_date: dt.date):
    def add(workbook, sheet, first: int, last: int) -> None:
        forms.list_validation(workbook, sheet, first, last, col("Status Intervensi"), STATUS_CHOICES,
                              "Status Intervensi", "Pilih Optimal atau Belum Optimal.", "Status tidak dikenal")  # fmt: skip
        forms.date_validation(sheet, first, last, col("Tanggal Intervensi"), "Tanggal Intervensi",
                              "tanggal intervensi", report_date)  # fmt: skip
        if programmes:
            forms.list_validation(
                workbook, sheet, first, last, col("Program"), programmes, "Program",
                "Pilih program OPD ini dari daftar.", "Program tidak ada di daftar",
                "Program ini tidak ada di tabel program OPD ini. Lanjutkan hanya bila benar; Sekretariat TKPK perlu "
                "menambahkannya ke tabel program.", list_column=1, warning=True,
            )  # fmt: skip

    return add


def _help_lines(name: str, report_date: dt.date, kabupaten: str, kepala: str,
                encrypted: bool = False) -> list[tuple[str, str, str]]:  # fmt: skip
    tanggal = report_date.strftime("%d/%m/%Y")
    return [
        ("help_title", "Petunjuk pengisian formulir OPD", ""),
        ("plain", f"{name}, data per {tanggal}.", ""),
        ("help_head", "Kerahasiaan", ""),
        (
            "help",
            "",
            "Formulir ini memuat NIK lengkap, nama dan alamat: data pribadi yang dilindungi UU No. 27 Tahun "
            "2022. Hanya untuk OPD yang bersangkutan dan petugasnya. Jangan diteruskan, diunggah ke grup percakapan "
            "atau media sosial, dan musnahkan cetakan setelah selesai.",
        ),
        (
            "help_key",
            "Alasan Tercantum",
            f"Mengapa orang ini ada di formulir {name}: perlu tindakan dan program OPD "
            "ini direkomendasikan baginya (disebut lebih dulu), dan/atau masih desil 1 dan pernah menerima program OPD "
            "ini. Rekomendasi Program dan Alasan Rekomendasi menyebut program yang disarankan dan kondisi rumah "
            "tangganya; Program dari OPD Ini menyebut program yang sudah tercatat beserta tanggal terakhirnya.",
        ),
        (
            "help_key",
            "Intervensi Saat Ini",
            "Status intervensi orang ini dari semua OPD sampai tanggal data: Optimal, "
            "Belum optimal, atau Belum diintervensi. Keberadaan Terakhir: hasil verifikasi camat terakhir.",
        ),
        ("help_head", "Yang diisi (kolom kuning)", ""),
        (
            "help_key",
            "Status Intervensi",
            f"Pilih dari daftar: {', '.join(STATUS_CHOICES)}. Penilaian OPD atas "
            "intervensinya bagi orang ini pada tanggal intervensi. Optimal hanya bila intervensi OPD ini sudah "
            "memadai.",
        ),
        (
            "help_key",
            "Tanggal Intervensi",
            f"Tanggal program diberikan atau dinilai, format dd/mm/yyyy (misalnya "
            f"{tanggal}). Wajib diisi bila baris diisi. Tanggal sesudah tanggal laporan tidak dipakai untuk laporan itu.",
        ),
        (
            "help_key",
            "Program",
            "Pilih program OPD ini dari daftar. Wajib diisi bila baris diisi. Program yang tidak "
            "ada di daftar: tulis namanya dan beri tahu Sekretariat TKPK (program itu perlu ditambahkan ke tabel program "
            "sebelum dihitung).",
        ),
        ("help_key", "Keterangan", "Catatan bebas: kendala, program lanjutan, alasan belum optimal, dll."),
        ("help_head", "Yang tidak boleh dilakukan", ""),
        (
            "help",
            "",
            "Jangan mengubah NIK, Nama, ID Sasaran, OPD atau kolom lain yang judulnya berwarna biru; jangan "
            "menambah, menghapus atau mengganti nama kolom; jangan menambah orang baru di formulir ini (laporkan "
            "terpisah kepada Sekretariat TKPK). Orang yang belum diintervensi atau belum dinilai: biarkan barisnya "
            "kosong (tidak mengubah apa pun; dihitung belum diisi). Satu orang yang menerima dua program: isi satu "
            "program di formulir, laporkan yang lain di file intervensi OPD seperti biasa.",
        ),
        ("help_head", "Pengembalian", ""),
        (
            "help",
            "",
            "Simpan tetap sebagai file Excel (.xlsx) dengan nama yang sama, bukan PDF atau foto, lalu kirim "
            f"kepada Sekretariat TKPK (Bappeda {kabupaten}) melalui saluran resmi. Penilaian yang berubah: isi lagi "
            "dengan tanggal yang lebih baru (status dengan tanggal terbaru yang dipakai)."
            + (
                " File ini dikunci dengan kata sandi yang dikirim terpisah: simpan dengan kata sandi yang sama (Excel "
                "menyimpannya tetap terkunci), jangan menghapus atau mengganti kata sandinya, dan jangan menuliskan kata "
                "sandi di pesan yang sama dengan file."
                if encrypted
                else ""
            ),
        ),
        ("help_key", "Sasaran", f"Sasaran SK {kepala} tentang penduduk miskin ekstrem."),
    ]


def write_workbook(rows: pd.DataFrame, path: Path, name: str, programmes: tuple[str, ...], report_date: dt.date,
                   kabupaten: str, kepala: str, password: str | None = None) -> Path:  # fmt: skip
    """Write one OPD's workbook (``rows`` of :func:`workbook_rows` for that OPD); with ``password``, encrypted."""

    def sheets(workbook, fmt: dict) -> None:
        footer = f"Formulir OPD {name} — per {report_date.strftime('%d/%m/%Y')}"
        forms.write_form_sheet(workbook, fmt, rows, COLUMNS, _title_lines(name, report_date, rows, kabupaten, kepala),
                               footer, _validations(programmes, report_date))  # fmt: skip
        forms.write_help_sheet(workbook, fmt, _help_lines(name, report_date, kabupaten, kepala, password is not None))

    title = f"Formulir BNBA sasaran miskin ekstrem — {name}"
    return forms.write_workbook(path, title, report_date, kabupaten, sheets, password)


#: Who may receive the OPD workbooks (a line of :func:`helpers.publishing.forms.privacy_text`).
PRIVACY_OPD = """- File hanya untuk **OPD** yang bersangkutan (setiap OPD hanya menerima filenya sendiri), untuk verifikasi dan
  pemutakhiran intervensi."""


def readme_text(report_date: dt.date, written: list[tuple[str, int, int, str]], kepala: str,
                passwords_file: str | None = None) -> str:  # fmt: skip
    """``BACA_DULU_RAHASIA.md`` of the OPD folder: what the files hold, personal data, passwords, how to fill them
    and how a returned workbook goes back into the pipeline."""
    tanggal = format_date(report_date, "d MMMM y", locale="id_ID")
    table = "\n".join(f"| {name} | {n} | {advised} | {file} |" for name, n, advised, file in written)
    return f"""# BACA DULU — RAHASIA

Folder ini berisi formulir BNBA (by name, by address) sasaran SK {kepala} penduduk miskin ekstrem untuk **OPD**,
data per {tanggal}: satu file Excel per OPD yang ada di tabel program atau di file intervensi. Setiap formulir memuat
sasaran yang **perlu tindakan** dan direkomendasikan program OPD itu (kolom Rekomendasi Program), dan sasaran yang
**masih berada di desil 1** yang pernah menerima program OPD itu, dengan status intervensi dan keberadaannya. Setiap
sasaran yang perlu tindakan ada di formulir sedikitnya satu OPD.

{forms.privacy_text(PRIVACY_OPD, with_decisions=False)}

{forms.password_text(passwords_file, "OPD", "filenya sendiri")}

## Daftar file

| OPD | Orang | Perlu tindakan, direkomendasikan | File |
|---|---:|---:|---|
{table}

OPD tanpa sasaran tetap mendapat file yang menyatakannya.

## Cara mengisi

OPD mengisi hanya kolom berwarna kuning: Status Intervensi (Optimal / Belum Optimal), Tanggal Intervensi, Program
(dari daftar program OPD itu) dan Keterangan; lembar **Petunjuk** di setiap file menjelaskan setiap kolom. Baris yang
dibiarkan kosong tidak mengubah apa pun (dihitung "belum diisi").

## Cara memasukkan formulir yang sudah diisi

1. Simpan file yang diterima **apa adanya** (jangan diubah, jangan disalin ke file lain, jangan diubah ke CSV) di
   folder `data/raw/intervensi/`, di samping file intervensi OPD. Jangan menimpa file yang diterima sebelumnya: bila
   satu OPD mengirim lagi, beri nama baru, misalnya `OPD_Dinas_Sosial_diterima_2024-11-20.xlsx` (awal nama yang sama
   membantu menemukan kata sandinya).
2. Jalankan ulang pipeline (`make pipeline`). Setiap baris yang diisi menjadi catatan intervensi OPD itu (tanggal,
   program, status); baris yang kosong tidak dihitung. File yang sama yang diletakkan dua kali, atau catatan yang
   sama dengan file intervensi OPD, dihitung sekali (`data/processed/tinjau/intervensi_ganda.csv`).
3. Periksa baris yang tidak dipakai: program atau status di luar daftar, tanggal kosong
   (`data/processed/karantina/intervensi.csv`), tanggal sesudah tanggal laporan dan NIK yang bukan sasaran SK
   (`data/processed/tinjau/intervensi_masalah.csv`), masing-masing dengan file dan nomor barisnya; konfirmasikan ke
   OPD-nya.

File yang namanya diawali `_` atau `~$` di `data/raw/intervensi/` tidak dibaca.
"""


def write_opd_forms(
    data: opd.OpdData,
    out_dir: str | Path,
    report_date: dt.date | str,
    kode_kabupaten: str = KODE_KABUPATEN,
    progress: bool = True,
    kunci_dir: str | Path | None = None,
) -> list[Path]:
    """Write one workbook per OPD of ``data.agencies`` into ``out_dir`` (created), plus ``BACA_DULU_RAHASIA.md``;
    with ``kunci_dir``, each encrypted with its own password listed in ``{kunci_dir}/kata_sandi_<date>.csv`` (the
    camat forms' list; a workbook already listed for that date keeps its password). Workbooks of OPD no longer
    listed are removed. Returns the paths in OPD order. Unencrypted output is byte-identical for the same input."""
    report = to_date(report_date)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows, cut = forms.cut_long_cells(workbook_rows(data), COLUMNS, group="kunci")
    kabupaten = wilayah.kabupaten_name(kode_kabupaten)
    kepala = wilayah.jabatan_kepala_daerah(kode_kabupaten)
    groups = {kunci: part for kunci, part in rows.groupby("kunci")}
    agencies = list(data.agencies.itertuples(index=False))
    passwords, listed = forms.assign_passwords(kunci_dir, report, [f"{a.file}.xlsx" for a in agencies])
    paths, written = [], []
    for agency in tqdm(agencies, desc="Formulir OPD", unit="OPD", disable=not progress):
        part = groups.get(agency.kunci, rows.iloc[0:0])
        name = f"{agency.file}.xlsx"
        path = write_workbook(part, out / name, agency.opd, programme_choices(data, agency.kunci), report, kabupaten,
                              kepala, passwords.get(name))  # fmt: skip
        paths.append(path)
        advised = int((part["alasan"] == v.ALASAN_OPD_REKOMENDASI).sum())
        written.append((agency.opd, len(part), advised, name))
    for old in out.glob("*.xlsx"):
        if old not in paths:
            old.unlink()
    (out / forms.README_NAME).write_text(readme_text(report, written, kepala, listed), encoding="utf-8")
    name_of = dict(zip(data.agencies["kunci"], data.agencies["opd"]))
    forms.write_cut_cells(cut.assign(kunci=cut["kunci"].map(name_of)).rename(columns={"kunci": "opd"}), out, unit="OPD")
    return paths
