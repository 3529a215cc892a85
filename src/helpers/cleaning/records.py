"""Cleaners of the records returned about the people: OPD interventions (:func:`clean_intervensi`), the camat's
verification (:func:`clean_verifikasi`) and the reviewers' matching decisions (:func:`clean_keputusan_padan`).
A form row left empty is kept as "belum diisi", never a record; a row that cannot be used is quarantined with a
reason that says what to fix."""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers.cleaning import nik as nikmod
from helpers.cleaning.nik import normalise_nik
from helpers.cleaning.normalise import (
    mask_raw_nik,
    parse_dates,
    parse_status_opd,
    parse_strategy,
    strategy_from_programme,
    tidy_name,
    tidy_text,
)
from helpers.cleaning.quarantine import Cleaned, Reasons
from helpers.cleaning.regions import resolve_regions
from helpers.config import KODE_KABUPATEN
from helpers.vocabulary import STRATEGI

PROGRAMME_TABLE_HINT = "src/helpers/data/program_strategi.csv"


def _usable_nik(raw: pd.DataFrame, reasons: Reasons, perbaikan: dict) -> pd.DataFrame:
    nik = normalise_nik(raw["nik"])
    perbaikan.update(nikmod.fix_counts(nik["nik_status"]))
    text = raw["nik"].astype("string").fillna("")
    messages = nik["nik_status"].map(
        {
            nikmod.NIK_KOSONG: "NIK kosong",
            nikmod.NIK_TIDAK_DAPAT_DIPULIHKAN: "NIK rusak oleh Excel (digit hilang), tidak dapat dipulihkan: "
            "minta ekspor ulang dengan kolom NIK sebagai teks",
            nikmod.NIK_TIDAK_VALID: "NIK tidak valid (harus 16 digit dengan tanggal lahir yang mungkin)",
        }
    )
    messages = messages.astype("string")
    with_value = nik["nik_status"] != nikmod.NIK_KOSONG
    messages = messages.where(~with_value, messages + ' ("' + text.map(mask_raw_nik).astype("string") + '")')
    reasons.add(nik["nik"].isna(), messages)
    return nik


def _required_date(
    raw: pd.Series, label: str, reasons: Reasons, mask: pd.Series | None = None, empty_message: str | None = None
) -> pd.Series:
    parsed = parse_dates(raw)
    text = raw.astype("string")
    applies = pd.Series(True, index=raw.index) if mask is None else mask
    reasons.add(applies & text.isna(), empty_message or f"{label} kosong")
    reasons.add(
        applies & text.notna() & parsed.isna(),
        f"{label} " + '"' + text.fillna("") + '" tidak dapat dibaca (gunakan TTTT-BB-HH atau HH/BB/TTTT)',
    )
    return parsed


def clean_intervensi(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> Cleaned:
    """Intervention records. Quarantined: no usable NIK or date, or a strategy that can be neither read
    nor derived from the programme (the message says to add the programme to ``program_strategi.csv``).

    A row of an OPD's BNBA workbook (it carries ``ID Sasaran``, :mod:`helpers.publishing.forms_opd`) left empty
    (no programme, date, strategy or status) is kept as "belum diisi" (``tanggal_intervensi`` and ``strategi``
    empty, never a record; counted in ``belum_diisi``); such a row with a status outside the list, or with a date or
    status but no programme, is quarantined."""
    perbaikan: dict[str, Any] = {}
    reasons = Reasons(raw.index)
    nik = _usable_nik(raw, reasons, perbaikan)
    program = tidy_text(raw["program"])
    strategy_text = raw["strategi"].astype("string")
    status_text = tidy_text(raw["status_opd"])
    form_id = tidy_text(raw["id_sasaran"]) if "id_sasaran" in raw.columns else pd.Series(pd.NA, index=raw.index,
                                                                                        dtype="string")  # fmt: skip
    form_row = form_id.notna()
    empty_form = form_row & program.isna() & raw["tanggal_intervensi"].isna() & strategy_text.isna() & status_text.isna()
    perbaikan["belum_diisi"] = int(empty_form.sum())
    tanggal = _required_date(raw["tanggal_intervensi"], "Tanggal intervensi", reasons, mask=~empty_form)
    given = parse_strategy(raw["strategi"])
    derived = strategy_from_programme(program)
    strategi = given.fillna(derived)
    perbaikan["strategi_dari_program"] = int((given.isna() & derived.notna()).sum())
    perbaikan["strategi_tidak_dikenal_diganti_dari_program"] = int(
        (strategy_text.notna() & given.isna() & derived.notna()).sum()
    )
    unknown = strategi.isna() & ~empty_form
    strategy_part = ('Strategi "' + strategy_text.fillna("") + '" tidak dikenal').where(
        strategy_text.notna(), "kolom Strategi kosong"
    )
    no_programme = form_row & program.isna()
    reasons.add(no_programme & unknown, FORM_PROGRAMME_EMPTY)
    reasons.add(
        unknown & ~no_programme,
        'Program "' + program.fillna("(kosong)") + '" tidak dikenal dan ' + strategy_part
        + f"; tambahkan program ini beserta strateginya ke {PROGRAMME_TABLE_HINT} atau isi kolom Strategi dengan "
        + "salah satu dari: " + ", ".join(STRATEGI),
    )  # fmt: skip
    status = parse_status_opd(raw["status_opd"])
    unreadable = status_text.notna() & status.isna()
    reasons.add(form_row & unreadable, 'Status Intervensi "' + status_text.fillna("") + FORM_STATUS_UNKNOWN)
    perbaikan["status_opd_tidak_dikenal"] = int((unreadable & ~form_row).sum())
    perbaikan["status_opd_tidak_dikenal_nilai"] = sorted(status_text[unreadable & ~form_row].unique().tolist())
    data = pd.DataFrame(
        {
            "nik": nik["nik"],
            "nik_status": nik["nik_status"].astype("string"),
            "nama": tidy_name(raw["nama"]),
            "opd": tidy_text(raw["opd"]),
            "program": program,
            "tanggal_intervensi": tanggal,
            "strategi": strategi.where(~empty_form),
            "status_opd": status,
            "id_sasaran_formulir": form_id,
        },
        index=raw.index,
    )
    return Cleaned(data, reasons.result(), perbaikan)


#: Quarantine reasons of a row of an OPD's BNBA workbook.
FORM_PROGRAMME_EMPTY = ("Program kosong: pilih program dari daftar di kolom Program (baris formulir OPD yang diisi "
                        "tanggal atau status harus menyebut programnya)")  # fmt: skip
FORM_STATUS_UNKNOWN = '" tidak dikenal: pilih Optimal atau Belum Optimal dari daftar'


def _normalise_status(values: pd.Series) -> pd.Series:
    from helpers.vocabulary import normalise_status

    text = values.astype("string")
    uniques = pd.Series(text.dropna().unique(), dtype="string")
    mapping = dict(zip(uniques, normalise_status(uniques)))
    return text.map(mapping).astype("string")


def _unknown_status_message(value: object) -> object:
    from helpers.vocabulary import unknown_status_message

    return pd.NA if value is None or value is pd.NA else unknown_status_message(value)


def _putaran(raw: pd.DataFrame, perbaikan: dict) -> pd.Series:
    """The optional form round number (``Putaran``): a whole number >= 1, else missing (counted, not quarantined:
    the record then falls into the round of its ISO week)."""
    text = tidy_text(raw["putaran"]) if "putaran" in raw.columns else pd.Series(pd.NA, index=raw.index, dtype="string")
    number = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    whole = number.notna() & (number >= 1) & (number == number.round())
    perbaikan["putaran_tidak_terbaca"] = int((text.notna() & ~whole).sum())
    return number.where(whole).astype("Int64")


def _nik_temuan(raw: pd.DataFrame, perbaikan: dict) -> pd.Series:
    """The optional NIK written in the field for a person without a P3KE record (``NIK Temuan Lapangan``),
    normalised; an unusable one becomes missing (counted)."""
    if "nik_temuan" not in raw.columns:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    found = normalise_nik(raw["nik_temuan"])
    filled = found["nik_status"] != nikmod.NIK_KOSONG
    perbaikan["nik_temuan_tidak_valid"] = int((filled & found["nik"].isna()).sum())
    return found["nik"].astype("string")


def clean_verifikasi(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> Cleaned:
    """Verification records of the camat. Quarantined: no usable NIK, an unknown status, a status without a
    date or a date without a status. A form row left empty (no status, no date) is kept: "belum diisi".
    The optional ``Putaran`` and ``NIK Temuan Lapangan`` columns are kept when readable (older forms lack them)."""
    perbaikan: dict[str, Any] = {}
    reasons = Reasons(raw.index)
    nik = _usable_nik(raw, reasons, perbaikan)
    status_text = tidy_text(raw["status_keberadaan"])
    status = _normalise_status(status_text).astype("string")
    date_text = raw["tanggal_verifikasi"].astype("string")
    empty_form = status_text.isna() & date_text.isna()
    tanggal = _required_date(
        raw["tanggal_verifikasi"],
        "Tanggal verifikasi",
        reasons,
        mask=status_text.notna(),
        empty_message="Status keberadaan terisi tetapi tanggal verifikasi kosong",
    )
    unknown = status_text.notna() & status.isna()
    reasons.add(unknown, status_text.map(_unknown_status_message).astype("string"))
    reasons.add(status_text.isna() & date_text.notna(), "Tanggal verifikasi terisi tetapi status keberadaan kosong")
    perbaikan["belum_diisi"] = int((empty_form & nik["nik"].notna()).sum())
    kecamatan = raw["kecamatan"] if "kecamatan" in raw.columns else pd.Series(pd.NA, index=raw.index, dtype="string")
    regions = resolve_regions(kecamatan, raw["desa"], None, kode_kabupaten)
    perbaikan["wilayah_tidak_dikenal"] = int((kecamatan.notna() & regions["kode_desa"].isna()).sum())
    data = pd.DataFrame(
        {
            "nik": nik["nik"],
            "nik_status": nik["nik_status"].astype("string"),
            "status_keberadaan": status,
            "kondisi": tidy_text(raw["kondisi"]),
            "tanggal_verifikasi": tanggal.where(status.notna()),
            "nama": tidy_name(raw["nama"]),
            "kode_kecamatan": regions["kode_kecamatan"],
            "kode_desa": regions["kode_desa"],
            "keterangan": tidy_text(raw["keterangan"]),
            "petugas": tidy_text(raw["petugas"]),
            "putaran": _putaran(raw, perbaikan),
            "nik_temuan": _nik_temuan(raw, perbaikan),
        },
        index=raw.index,
    )
    return Cleaned(data, reasons.result(), perbaikan)


#: The "Keputusan" choices of the decisions workbook (compared ignoring case and spaces).
KEPUTUSAN_KANDIDAT = {f"kandidat {k}": f"nik_kandidat_{k}" for k in (1, 2, 3)}
KEPUTUSAN_TIDAK_ADA = "tidak ada di p3ke"
KEPUTUSAN_NIK_LAIN = "nik p3ke lain"


def clean_keputusan_padan(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> Cleaned:
    """Reviewers' decisions (``keputusan_padan.xlsx``): per SK person a P3KE NIK (a candidate of the row, or
    one written in "NIK P3KE") or "Tidak ada di P3KE". A row without a decision is kept as undecided
    (``keputusan`` missing); quarantined: an unknown choice, a chosen candidate the row does not carry, a
    P3KE NIK that is not 16 digits."""
    reasons = Reasons(raw.index)
    choice = tidy_text(raw["keputusan"]).str.lower().str.replace(r"\s+", " ", regex=True)
    written = raw["nik_p3ke"].astype("string").str.replace(r"\D", "", regex=True).replace("", pd.NA)
    nik = pd.Series(pd.NA, index=raw.index, dtype="string")
    for label, column in KEPUTUSAN_KANDIDAT.items():
        chosen = choice == label
        nik = nik.mask(chosen, raw[column].astype("string").str.replace(r"\D", "", regex=True))
        reasons.add(chosen & raw[column].isna(), f'Keputusan "{label.title()}" tetapi baris ini tidak punya {label}')
    nik = nik.mask(choice == KEPUTUSAN_NIK_LAIN, written)
    reasons.add((choice == KEPUTUSAN_NIK_LAIN) & written.isna(), 'Keputusan "NIK P3KE lain" tetapi NIK P3KE kosong')
    reasons.add(nik.notna() & ~nik.str.fullmatch(r"\d{16}").fillna(False), "NIK P3KE harus 16 angka")
    known = choice.isin([*KEPUTUSAN_KANDIDAT, KEPUTUSAN_TIDAK_ADA, KEPUTUSAN_NIK_LAIN]) | choice.isna()
    reasons.add(~known, choice.map(lambda c: f'Keputusan "{c}" tidak dikenal: pilih dari daftar (Kandidat 1–3, '
                                             '"NIK P3KE lain" atau "Tidak ada di P3KE")').astype("string"))
    keputusan = nik.mask(choice == KEPUTUSAN_TIDAK_ADA, "tidak ada di P3KE")
    data = pd.DataFrame(
        {
            "id_sasaran": tidy_text(raw["id_sasaran"]),
            "keputusan": keputusan.astype("string"),
            "diputuskan_oleh": tidy_text(raw["diputuskan_oleh"]),
            "tanggal": parse_dates(raw["tanggal_keputusan"]),
            "keterangan": tidy_text(raw["keterangan"]),
        },
        index=raw.index,
    )
    reasons.add(data["id_sasaran"].isna() & choice.notna(), "ID Sasaran kosong")
    return Cleaned(data, reasons.result(), {"belum_diputuskan": int(choice.isna().sum())})
