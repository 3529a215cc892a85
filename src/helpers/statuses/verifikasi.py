"""Field-verification records (penyisiran by the camat): status labels, and the latest status per NIK.

The generic cleaning (NIK, dates, regions, quarantine) happens in :mod:`helpers.cleaning`; this module only
knows what a verification *means*:

- :data:`STATUS_MAP` / :func:`normalise_status`: the labels a camat may write -> status codes;
- :func:`resolve_keberadaan`: from all cleaned form rows (``verifikasi.parquet``) to one status per NIK at the
  report date, with a list of the rows an analyst must look at (``masalah``). Contradictions are never
  resolved silently; identical answers sent twice are harmless. Deaths and moves are final unless contradicted
  on purpose (:data:`ATURAN_FINAL`).

Everything an official reads (messages, labels) is in Bahasa Indonesia.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from helpers.cleaning.nik import mask_nik
from helpers.dates import dmy
from helpers.vocabulary import (  # the status spellings live in the vocabulary; re-exported for the forms
    ADA,
    KONDISI,
    MENINGGAL,
    PINDAH,
    STATUS_FINAL,
    STATUS_LABELS,
    STATUS_MAP,
    TIDAK_DITEMUKAN,
    normalise_status,
    status_key,
    unknown_status,
    unknown_status_message,
)

__all__ = ["KONDISI", "STATUS_LABELS", "STATUS_MAP", "normalise_status", "status_key", "unknown_status",
           "unknown_status_message"]  # fmt: skip

#: Values of the ``jenis`` column of :func:`resolve_keberadaan`'s ``masalah`` table.
JENIS_TANGGAL_KOSONG = "tanggal_kosong"
JENIS_STATUS_KOSONG = "status_kosong"
JENIS_TANGGAL_SESUDAH_LAPORAN = "tanggal_sesudah_laporan"
JENIS_NIK_TIDAK_DIKENAL = "nik_tidak_dikenal"
JENIS_KONTRADIKSI = "kontradiksi"
#: A later "ada" or "pindah" after a "meninggal": not applied, both records listed.
JENIS_SESUDAH_MENINGGAL = "sesudah_meninggal"
#: Information only: the same answer was received twice and is used once.
JENIS_DUPLIKAT = "duplikat"
#: Information only: a later "ada" after a "pindah" was applied (the person came back).
JENIS_KEMBALI_SESUDAH_PINDAH = "kembali_sesudah_pindah"

#: Kinds of ``masalah`` whose rows are not used for the report (the others are information only).
JENIS_DIABAIKAN = (JENIS_TANGGAL_KOSONG, JENIS_STATUS_KOSONG, JENIS_TANGGAL_SESUDAH_LAPORAN, JENIS_NIK_TIDAK_DIKENAL,
                   JENIS_KONTRADIKSI, JENIS_SESUDAH_MENINGGAL, JENIS_DUPLIKAT)  # fmt: skip

#: The rule for deaths and moves, in the words of the report's definitions.
ATURAN_FINAL = (
    "Status *meninggal* dan *pindah* bersifat final: laporan \"Tidak Ditemukan\" yang datang kemudian tidak "
    "mengubahnya (orang yang sudah meninggal atau pindah memang tidak ditemukan). Laporan \"Ada\" atau "
    "\"Pindah\" sesudah \"Meninggal\" tidak dipakai otomatis; kedua catatan masuk daftar tinjau "
    "(tinjau/keberadaan_masalah.csv) dan kematian tetap berlaku sampai baris yang keliru diperbaiki pada formulir "
    "sumbernya. Laporan \"Ada\" sesudah \"Pindah\" dipakai (orang tersebut kembali) dan dicatat sebagai info."
)

PER_NIK_COLUMNS = [
    "nik",
    "status_keberadaan",
    "tanggal_verifikasi",
    "kondisi",
    "keterangan",
    "petugas",
    "sumber_file",
    "baris_sumber",
]
MASALAH_COLUMNS = ["nik", "sumber_file", "baris_sumber", "jenis", "pesan"]

def _where(row: pd.Series) -> str:
    return f"{row['sumber_file']} baris {row['baris_sumber']}"


def _prepare(verifikasi: pd.DataFrame) -> pd.DataFrame:
    """The columns used here, missing optional columns added, rows in a fixed order (input order is irrelevant)."""
    frame = verifikasi.reindex(columns=PER_NIK_COLUMNS).copy()
    frame["nik"] = frame["nik"].astype("string")
    frame["status_keberadaan"] = frame["status_keberadaan"].astype("string")
    frame["tanggal_verifikasi"] = pd.to_datetime(frame["tanggal_verifikasi"])
    frame["sumber_file"] = frame["sumber_file"].astype("string")
    frame["baris_sumber"] = frame["baris_sumber"].astype("Int64")
    order = ["nik", "tanggal_verifikasi", "sumber_file", "baris_sumber", "status_keberadaan"]
    return frame.sort_values(order, na_position="last", kind="stable", ignore_index=True)


def _messages(rows: pd.DataFrame, jenis: str, text) -> pd.DataFrame:
    """One ``masalah`` row per row of ``rows``; ``text(row)`` writes the Indonesian message."""
    out = rows[["nik", "sumber_file", "baris_sumber"]].copy()
    out["jenis"] = jenis
    out["pesan"] = [text(row) for _, row in rows.iterrows()]
    return out


def _row_checks(frame: pd.DataFrame, report_date: pd.Timestamp, known: set[str] | None) -> tuple[pd.Series, list]:
    """Rows usable as a record (complete, dated on/before the report date, known NIK) and messages for the others."""
    has_status = frame["status_keberadaan"].notna()
    has_date = frame["tanggal_verifikasi"].notna()
    filled = has_status | has_date
    future = has_date & (frame["tanggal_verifikasi"] > report_date)
    unknown = filled & (frame["nik"].isna() | ~frame["nik"].isin(known)) if known is not None else filled & False
    laporan = dmy(report_date)
    found = [
        _messages(
            frame[has_status & ~has_date],
            JENIS_TANGGAL_KOSONG,
            lambda r: "Status Keberadaan diisi tetapi Tanggal Verifikasi kosong: baris tidak dipakai. "
            "Isi tanggal kunjungan (dd/mm/yyyy).",
        ),
        _messages(
            frame[has_date & ~has_status],
            JENIS_STATUS_KOSONG,
            lambda r: "Tanggal Verifikasi diisi tetapi Status Keberadaan kosong: baris tidak dipakai. "
            f"Pilih salah satu: {', '.join(STATUS_LABELS.values())}.",
        ),
        _messages(
            frame[future],
            JENIS_TANGGAL_SESUDAH_LAPORAN,
            lambda r: f"Tanggal Verifikasi {dmy(r['tanggal_verifikasi'])} sesudah tanggal laporan {laporan}: "
            "baris tidak dipakai untuk laporan ini. Periksa apakah tanggal salah ketik.",
        ),
        _messages(
            frame[unknown],
            JENIS_NIK_TIDAK_DIKENAL,
            lambda r: f"NIK {mask_nik(r['nik']) if pd.notna(r['nik']) else '(kosong)'} tidak ada dalam daftar sasaran SK "
            "(tidak ada di formulir): baris tidak dipakai. Periksa apakah NIK diubah atau salah ketik.",
        ),
    ]
    usable = has_status & has_date & ~future & ~unknown
    return usable, found


def _contradictions(records: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """(mask of rows in a contested NIK/date group, one message per such row)."""
    statuses = records.groupby(["nik", "tanggal_verifikasi"])["status_keberadaan"].transform("nunique")
    contested = statuses > 1
    rows = records[contested]
    summary = {
        key: "; ".join(f"{STATUS_LABELS.get(r['status_keberadaan'], r['status_keberadaan'])} ({_where(r)})"
                       for _, r in group.iterrows())
        for key, group in rows.groupby(["nik", "tanggal_verifikasi"])
    }
    message = _messages(
        rows,
        JENIS_KONTRADIKSI,
        lambda r: f"Verifikasi bertentangan untuk NIK ini pada {dmy(r['tanggal_verifikasi'])}: "
        f"{summary[(r['nik'], r['tanggal_verifikasi'])]}. Tidak ada yang dipakai; status diambil dari verifikasi "
        "sebelumnya bila ada (jika tidak: belum diverifikasi). Pastikan ke camat mana yang benar.",
    )
    return contested, message


def _duplicates(records: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """(mask of repeated identical NIK/date/status rows after the first, an info message per repeat)."""
    keys = ["nik", "tanggal_verifikasi", "status_keberadaan"]
    repeat = records.duplicated(keys, keep="first")
    first = records[~repeat].set_index(keys)
    message = _messages(
        records[repeat],
        JENIS_DUPLIKAT,
        lambda r: "Info: verifikasi yang sama (status "
        f"{STATUS_LABELS.get(r['status_keberadaan'], r['status_keberadaan'])}, tanggal "
        f"{dmy(r['tanggal_verifikasi'])}) sudah ada di "
        f"{_where(first.loc[(r['nik'], r['tanggal_verifikasi'], r['status_keberadaan'])])}; dipakai satu kali.",
    )
    return repeat, message


def _final_statuses(records: pd.DataFrame) -> tuple[pd.Series, list[pd.DataFrame]]:
    """(mask of records that a final status keeps from applying, messages), for records already free of
    same-day contradictions and duplicates, sorted by NIK and date.

    - After the first "meninggal" of a NIK, no later status but "meninggal" applies; a later "ada" or "pindah"
      is listed with the death record (both rows), a later "tidak_ditemukan" is silently ignored.
    - A "tidak_ditemukan" right after a "pindah" (the latest other status before it) is ignored.
    - An "ada" right after a "pindah" applies and is noted (info)."""
    status = records["status_keberadaan"]
    nik = records["nik"]
    death_date = records["tanggal_verifikasi"].where(status.eq(MENINGGAL)).groupby(nik).transform("min")
    after_death = (records["tanggal_verifikasi"] > death_date).fillna(False) & status.ne(MENINGGAL)
    # the latest status other than "tidak_ditemukan" before each record of the same NIK
    previous = status.where(status.ne(TIDAK_DITEMUKAN)).groupby(nik).shift().groupby(nik).ffill()
    ignored_td = status.eq(TIDAK_DITEMUKAN) & previous.isin(STATUS_FINAL).fillna(False)
    back = status.eq(ADA) & previous.eq(PINDAH).fillna(False) & ~after_death
    listed = after_death & status.ne(TIDAK_DITEMUKAN)
    deaths = records[status.eq(MENINGGAL)].drop_duplicates("nik").set_index("nik")
    first_death = {n: f"Meninggal pada {dmy(r['tanggal_verifikasi'])} ({_where(r)})" for n, r in deaths.iterrows()}
    rows = records[listed]
    later = {
        n: "; ".join(f"{STATUS_LABELS.get(r['status_keberadaan'])} pada {dmy(r['tanggal_verifikasi'])} ({_where(r)})"
                     for _, r in g.iterrows())
        for n, g in rows.groupby("nik")
    }
    death_rows = records[status.eq(MENINGGAL) & nik.isin(set(rows["nik"]))].drop_duplicates("nik")

    def text(r: pd.Series) -> str:
        return (
            f"NIK ini dilaporkan {first_death[r['nik']]}, lalu {later[r['nik']]}. Laporan sesudah kematian tidak "
            "dipakai otomatis: status tetap Meninggal. Pastikan ke camat; bila kematian keliru, perbaiki baris "
            "Meninggal pada formulir sumbernya lalu jalankan ulang pipeline."
        )

    messages = [
        _messages(pd.concat([death_rows, rows]), JENIS_SESUDAH_MENINGGAL, text),
        _messages(
            records[back],
            JENIS_KEMBALI_SESUDAH_PINDAH,
            lambda r: f"Info: NIK ini sebelumnya dilaporkan Pindah, lalu Ada pada {dmy(r['tanggal_verifikasi'])}: "
            "dianggap kembali, status Ada dipakai.",
        ),
    ]
    return after_death | ignored_td, messages


def resolve_keberadaan(
    verifikasi: pd.DataFrame,
    report_date: dt.date | str,
    known_nik: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The latest usable verification per NIK at ``report_date``, and the rows to review.

    ``verifikasi`` is the cleaned table (``verifikasi.parquet``): ``nik``, ``status_keberadaan`` (codes, missing
    for a row left empty), ``tanggal_verifikasi`` (datetime), ``kondisi``, ``keterangan``, ``petugas``,
    ``sumber_file``, ``baris_sumber`` (other columns are ignored). ``known_nik``: the NIKs printed on the forms
    (``status_sasaran["nik"]``); rows for any other NIK are reported and not used. ``None`` skips that check.

    Returns ``(per_nik, masalah)``:

    - ``per_nik``: one row per NIK (columns :data:`PER_NIK_COLUMNS`), the record with the latest date on or
      before ``report_date``. When several rows of one NIK share a date with *different* statuses, none of
      them is used: the NIK falls back to its latest uncontested earlier record, or is absent
      (= ``belum_diverifikasi``). Identical NIK/date/status rows count once (the first by file and row).
      Deaths and moves are final (:data:`ATURAN_FINAL`, :func:`_final_statuses`).
    - ``masalah``: one row per problem (columns :data:`MASALAH_COLUMNS`; ``jenis`` one of the ``JENIS_*``
      constants). Rows left empty (no status, no date) are "not yet verified" and produce no message.

    The result does not depend on the order of the input rows.
    """
    report = pd.Timestamp(report_date).normalize()
    known = None if known_nik is None else {str(n) for n in known_nik if pd.notna(n)}
    frame = _prepare(verifikasi)

    usable, found = _row_checks(frame, report, known)
    records = frame[usable]
    contested, contradiction = _contradictions(records)
    records = records[~contested]
    repeat, duplicate = _duplicates(records)
    records = records[~repeat]
    overruled, final = _final_statuses(records)
    records = records[~overruled]

    per_nik = records.drop_duplicates("nik", keep="last").sort_values("nik", ignore_index=True)
    masalah = pd.concat([*found, contradiction, duplicate, *final], ignore_index=True)
    masalah = masalah.reindex(columns=MASALAH_COLUMNS)
    masalah = masalah.astype({"nik": "string", "sumber_file": "string", "baris_sumber": "Int64", "jenis": "string"})
    masalah["pesan"] = masalah["pesan"].astype("string")
    masalah = masalah.sort_values(["sumber_file", "baris_sumber", "jenis"], kind="stable", ignore_index=True)
    return per_nik[PER_NIK_COLUMNS], masalah


def ignored_counts(masalah: pd.DataFrame) -> dict[str, int]:
    """Rows not used for the report, per kind of :data:`JENIS_DIABAIKAN` (``summary.json`` ``diabaikan``), from
    :func:`resolve_keberadaan`'s ``masalah``. For ``sesudah_meninggal`` the death record each NIK's group also lists
    is used, so it is not counted."""
    counts = masalah["jenis"].value_counts()
    out = {jenis: int(counts.get(jenis, 0)) for jenis in JENIS_DIABAIKAN}
    after_death = masalah[masalah["jenis"] == JENIS_SESUDAH_MENINGGAL]
    out[JENIS_SESUDAH_MENINGGAL] = int(len(after_death) - after_death["nik"].nunique())
    return out
