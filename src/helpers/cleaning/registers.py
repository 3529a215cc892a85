"""Cleaners of the lists of people: P3KE individu (:func:`clean_p3ke`) and keluarga
(:func:`clean_p3ke_keluarga`), DTSEN individu (:func:`clean_dtsen`) and the SK Bupati list (:func:`clean_sk`).
Each normalises NIK, name, birth date, sex, desil and region, counts its fixes and quarantines, with a reason,
the rows that cannot be used."""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers.cleaning import ids
from helpers.cleaning import nik as nikmod
from helpers.cleaning.nik import normalise_nik
from helpers.cleaning.normalise import name_key, parse_dates, parse_desil, parse_sex, parse_year, tidy_name, tidy_text
from helpers.cleaning.quarantine import Cleaned, Reasons
from helpers.cleaning.regions import region_variants, resolve_regions
from helpers.config import KODE_KABUPATEN


def _nik_mismatch(nik: pd.Series, tanggal_lahir: pd.Series, jenis_kelamin: pd.Series | None) -> dict[str, int]:
    """Warnings only: NIKs whose encoded birth date / sex differ from the recorded ones."""
    present = nik.dropna()  # nik_birth_info does not accept missing values
    info = nikmod.nik_birth_info(present).reindex(nik.index)
    known = nik.notna() & tanggal_lahir.notna()
    differs_date = known & (
        (info["hari"] != tanggal_lahir.dt.day)
        | (info["bulan"] != tanggal_lahir.dt.month)
        | (info["tahun2"] != tanggal_lahir.dt.year % 100)
    ).fillna(False)
    out = {"peringatan_nik_beda_tanggal_lahir": int(differs_date.sum())}
    if jenis_kelamin is not None:
        differs_sex = nik.notna() & jenis_kelamin.notna() & (info["jenis_kelamin"] != jenis_kelamin).fillna(False)
        out["peringatan_nik_beda_jenis_kelamin"] = int(differs_sex.sum())
    return out


def _regions(raw: pd.DataFrame, kode_kabupaten: str, perbaikan: dict, use_code: bool = True) -> pd.DataFrame:
    code = raw["kode_kemendagri"] if use_code and "kode_kemendagri" in raw.columns else None
    regions = resolve_regions(raw["kecamatan"], raw["desa"], code, kode_kabupaten)
    perbaikan["kecamatan_varian"] = region_variants(raw["kecamatan"], regions["nama_kecamatan"])
    by_name = ~regions["desa_dari_kode"]
    perbaikan["desa_varian"] = region_variants(raw["desa"][by_name], regions["nama_desa"][by_name])
    if code is not None:
        perbaikan["desa_dari_kode_kemdagri"] = int(regions["desa_dari_kode"].sum())
        perbaikan["kode_kemdagri_tidak_konsisten"] = int((code.notna() & ~regions["desa_dari_kode"]).sum())
    return regions


def _bad_desil(raw_desil: pd.Series, desil: pd.Series, reasons: Reasons) -> None:
    text = raw_desil.astype("string")
    reasons.add(text.isna(), "Desil kosong")
    reasons.add(text.notna() & desil.isna(), '"' + text.fillna("") + '" bukan desil yang sah (1 sampai 10)')


def _text_columns(raw: pd.DataFrame, columns: list[str]) -> dict[str, pd.Series]:
    return {c: tidy_text(raw[c]) for c in columns if c in raw.columns}


def _identity(raw: pd.DataFrame, reasons: Reasons, perbaikan: dict) -> tuple[pd.DataFrame, pd.Series]:
    """Normalised NIK (with its fixes counted) and tidied name; a row with neither is quarantined."""
    nik = normalise_nik(raw["nik"])
    perbaikan.update(nikmod.fix_counts(nik["nik_status"]))
    nama = tidy_name(raw["nama"])
    reasons.add(nik["nik"].isna() & nama.isna(), "NIK dan nama sama-sama kosong/tidak terbaca")
    return nik, nama


def _person(
    raw: pd.DataFrame, nik: pd.DataFrame, nama: pd.Series, jenis_kelamin: pd.Series, tanggal_lahir: pd.Series,
    regions: pd.DataFrame,
) -> dict[str, pd.Series]:
    """The person columns a register shares (P3KE and DTSEN individu), in table order."""
    return {
        "nik": nik["nik"],
        "nik_status": nik["nik_status"].astype("string"),
        "nama": nama,
        "nama_kunci": name_key(nama),
        "jenis_kelamin": jenis_kelamin,
        "tanggal_lahir": tanggal_lahir,
        "hubungan_kk": tidy_text(raw["hubungan_kk"]),
        **regions[["kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa"]],
    }


def clean_p3ke(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> Cleaned:
    """P3KE individu. Quarantined: no NIK and no name, unknown kecamatan/desa, missing or bad desil.
    A NIK that cannot be recovered is kept as missing, flagged in ``nik_status`` (name matching still works)."""
    perbaikan: dict[str, Any] = {}
    reasons = Reasons(raw.index)
    nik, nama = _identity(raw, reasons, perbaikan)
    regions = _regions(raw, kode_kabupaten, perbaikan)
    reasons.add(regions["alasan_wilayah"].notna(), regions["alasan_wilayah"])
    desil = parse_desil(raw["desil"])
    _bad_desil(raw["desil"], desil, reasons)
    tanggal_lahir = parse_dates(raw["tanggal_lahir"])
    jenis_kelamin = parse_sex(raw["jenis_kelamin"])
    perbaikan["tanggal_lahir_tidak_terbaca"] = int((raw["tanggal_lahir"].notna() & tanggal_lahir.isna()).sum())
    perbaikan["jenis_kelamin_tidak_dikenal"] = int((raw["jenis_kelamin"].notna() & jenis_kelamin.isna()).sum())
    perbaikan.update(_nik_mismatch(nik["nik"], tanggal_lahir, jenis_kelamin))
    data = pd.DataFrame(
        {
            "id_keluarga": tidy_text(raw["id_keluarga"]),
            "id_individu": tidy_text(raw["id_individu"]),
            **_person(raw, nik, nama, jenis_kelamin, tanggal_lahir, regions),
            "desil": desil,
            **_text_columns(
                raw,
                ["kode_kemendagri", "provinsi", "kabupaten", "padan_dukcapil", "status_kawin", "pekerjaan", "pendidikan"],
            ),
        },
        index=raw.index,
    )
    return Cleaned(data, reasons.result(), perbaikan)


#: The DTSEN decile columns (processed names) with the header an analyst sees.
DESIL_DTSEN_COLUMNS = {"desil_nasional": "Desil Nasional", "desil_provinsi": "Desil Provinsi",
                       "desil_kabupaten": "Desil Kabupaten/Kota"}  # fmt: skip


def clean_dtsen(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> Cleaned:
    """DTSEN individu (the whole population, keyed by NIK and KK number). Built from the P3KE building blocks:
    quarantined like P3KE (no NIK and no name, unknown kecamatan/desa), plus a row whose three deciles are all
    empty and a decile cell that is not 1-10. A decile column the export lacks stays empty (the matching step
    refuses a ``desil_dtsen`` choice the data does not carry)."""
    perbaikan: dict[str, Any] = {}
    reasons = Reasons(raw.index)
    nik, nama = _identity(raw, reasons, perbaikan)
    regions = _regions(raw, kode_kabupaten, perbaikan)
    reasons.add(regions["alasan_wilayah"].notna(), regions["alasan_wilayah"])
    deciles = {}
    for column, header in DESIL_DTSEN_COLUMNS.items():
        text = raw[column].astype("string")
        deciles[column] = parse_desil(text)
        reasons.add(text.notna() & deciles[column].isna(),
                    '"' + text.fillna("") + f'" bukan {header.lower()} yang sah (1 sampai 10)')  # fmt: skip
    no_decile = pd.concat([raw[c].astype("string").isna() for c in DESIL_DTSEN_COLUMNS], axis=1).all(axis=1)
    reasons.add(no_decile, "Desil kosong (desil nasional, provinsi dan kabupaten/kota semuanya kosong)")
    tanggal_lahir = parse_dates(raw["tanggal_lahir"])
    jenis_kelamin = parse_sex(raw["jenis_kelamin"])
    perbaikan["tanggal_lahir_tidak_terbaca"] = int((raw["tanggal_lahir"].notna() & tanggal_lahir.isna()).sum())
    perbaikan["jenis_kelamin_tidak_dikenal"] = int((raw["jenis_kelamin"].notna() & jenis_kelamin.isna()).sum())
    perbaikan.update(_nik_mismatch(nik["nik"], tanggal_lahir, jenis_kelamin))
    no_kk = normalise_nik(raw["no_kk"])
    perbaikan.update(nikmod.fix_counts(no_kk["nik_status"], "no_kk"))
    tahun = parse_year(raw["tahun_data"])
    perbaikan["tahun_data_tidak_terbaca"] = int((raw["tahun_data"].notna() & tahun.isna()).sum())
    data = pd.DataFrame(
        {
            "no_kk": no_kk["nik"],
            **_person(raw, nik, nama, jenis_kelamin, tanggal_lahir, regions),
            **deciles,
            **_text_columns(raw, ["kode_kemendagri", "provinsi", "kabupaten", "alamat"]),
            "tahun_data": tahun,
        },
        index=raw.index,
    )
    return Cleaned(data, reasons.result(), perbaikan)


KELUARGA_DETAIL_COLUMNS = [
    "jenis_atap", "jenis_dinding", "jenis_lantai", "sumber_penerangan", "bahan_bakar_memasak", "sumber_air_minum",
    "fasilitas_bab", "kepemilikan_rumah", "penerima_pkh", "penerima_bpnt", "penerima_bpum", "penerima_bst",
    "penerima_sembako", "resiko_stunting",
]  # fmt: skip


def clean_p3ke_keluarga(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> Cleaned:
    """P3KE keluarga. Quarantined: no family id, unknown kecamatan/desa, missing or bad desil."""
    perbaikan: dict[str, Any] = {}
    reasons = Reasons(raw.index)
    id_keluarga = tidy_text(raw["id_keluarga"])
    reasons.add(id_keluarga.isna(), "ID Keluarga P3KE kosong")
    regions = _regions(raw, kode_kabupaten, perbaikan)
    reasons.add(regions["alasan_wilayah"].notna(), regions["alasan_wilayah"])
    desil = parse_desil(raw["desil"])
    _bad_desil(raw["desil"], desil, reasons)
    nik_kk = normalise_nik(raw["nik_kepala_keluarga"])
    perbaikan.update(nikmod.fix_counts(nik_kk["nik_status"], "nik_kepala_keluarga"))
    data = pd.DataFrame(
        {
            "id_keluarga": id_keluarga,
            **regions[["kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa"]],
            "desil": desil,
            "kepala_keluarga": tidy_name(raw["kepala_keluarga"]),
            "nik_kepala_keluarga": nik_kk["nik"],
            "alamat": tidy_text(raw["alamat"]),
            **_text_columns(raw, KELUARGA_DETAIL_COLUMNS),
        },
        index=raw.index,
    )
    return Cleaned(data, reasons.result(), perbaikan)


def clean_sk(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN, key: bytes | None = None) -> Cleaned:
    """SK Bupati list. Always kept (a bad NIK is still matched by name) unless it has neither NIK nor name,
    or its kecamatan/desa is unknown. ``id_sasaran`` derives from the person under the pseudonym ``key``
    (:mod:`helpers.cleaning.ids`, :func:`helpers.keys.key_for_run`)."""
    if key is None:
        raise ValueError("clean_sk needs the pseudonym key of id_sasaran (helpers.keys.key_for_run)")
    perbaikan: dict[str, Any] = {}
    reasons = Reasons(raw.index)
    nik, nama = _identity(raw, reasons, perbaikan)
    regions = _regions(raw, kode_kabupaten, perbaikan, use_code=False)
    reasons.add(regions["alasan_wilayah"].notna(), regions["alasan_wilayah"])
    tanggal_lahir = parse_dates(raw["tanggal_lahir"])
    perbaikan["tanggal_lahir_tidak_terbaca"] = int((raw["tanggal_lahir"].notna() & tanggal_lahir.isna()).sum())
    perbaikan.update(_nik_mismatch(nik["nik"], tanggal_lahir, None))
    no_kk = normalise_nik(raw["no_kk"])
    perbaikan.update(nikmod.fix_counts(no_kk["nik_status"], "no_kk"))
    data = pd.DataFrame(
        {
            "no": tidy_text(raw["no"]),
            "nik": nik["nik"],
            "nik_status": nik["nik_status"].astype("string"),
            "nama": nama,
            "nama_kunci": name_key(nama),
            **regions[["kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa"]],
            "alamat": tidy_text(raw["alamat"]),
            "tanggal_lahir": tanggal_lahir,
            "no_kk": no_kk["nik"],
        },
        index=raw.index,
    )
    alasan = reasons.result()
    data.insert(0, "id_sasaran", ids.assign_ids(data, alasan.isna(), key))
    perbaikan["id_sasaran_bentrok"] = int(ids.base_of(data["id_sasaran"][alasan.isna()]).duplicated().sum())
    someone = raw["nik"].notna() | nama.notna()
    return Cleaned(data, alasan, perbaikan, tidak_tertempatkan=regions["alasan_wilayah"].notna() & someone)
