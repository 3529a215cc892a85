"""Reference figures carried by the project, each with its source: BPS poverty context, population by
kecamatan, and the editable programme -> strategy table."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from helpers.config import DATA_PACKAGE_DIR, KODE_KABUPATEN
from helpers.errors import InputError
from helpers.reading.readers import header_key
from helpers.reference.wilayah import kabupaten_name, kecamatan_table
from helpers.vocabulary import STRATEGI

POVERTY_FILE = DATA_PACKAGE_DIR / "kemiskinan_bps.csv"
PROGRAMME_FILE = DATA_PACKAGE_DIR / "program_strategi.csv"


@cache
def poverty_context() -> pd.DataFrame:
    """BPS figures: ``wilayah``, ``tahun``, ``indikator``, ``nilai``, ``satuan``, ``sumber``."""
    return pd.read_csv(POVERTY_FILE)


def poverty_rate(wilayah: str, tahun: int) -> float:
    table = poverty_context()
    row = table[(table["wilayah"] == wilayah) & (table["tahun"] == tahun)]
    row = row[row["indikator"] == "persentase_penduduk_miskin"]
    return float(row["nilai"].iloc[0])


def population_by_kecamatan(kode_kabupaten: str = KODE_KABUPATEN, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """``kode``, ``nama``, ``penduduk`` of every kecamatan of the kabupaten: the shipped BPS projection 2022
    (Kabupaten Jombang) and the user's ``<raw_dir>/penduduk_kecamatan.csv``; missing where no figure is known."""
    return kecamatan_table(kode_kabupaten, raw_dir)[["kode", "nama", "penduduk"]].copy()


def population_note(kode_kabupaten: str = KODE_KABUPATEN, raw_dir: str | Path | None = None) -> str:
    """One Indonesian sentence when kecamatan of the kabupaten lack a population figure ('' when none does)."""
    table = population_by_kecamatan(kode_kabupaten, raw_dir)
    missing = table.loc[table["penduduk"].isna(), "nama"]
    if missing.empty:
        return ""
    where = kabupaten_name(kode_kabupaten)
    scope = "semua kecamatan" if len(missing) == len(table) else f"{len(missing)} dari {len(table)} kecamatan"
    return (
        f"Angka per 1.000 penduduk tidak ditampilkan untuk {scope} {where} karena data penduduknya belum "
        "tersedia; yang ditampilkan jumlah jiwa (tambahkan data penduduk di data/raw/penduduk_kecamatan.csv)."
    )


POPULATION_SOURCE = "BPS, proyeksi penduduk 2022 menurut kecamatan (jombangkab.go.id)"


@cache
def programme_strategies() -> dict[str, str]:
    """Programme (comparison key) -> strategy, from ``data/program_strategi.csv`` (editable by TKPK)."""
    table = pd.read_csv(PROGRAMME_FILE, dtype=str)
    unknown = sorted(set(table["strategi"]) - set(STRATEGI))
    if unknown:
        raise InputError(f"{PROGRAMME_FILE}: strategi tidak dikenal {unknown}; gunakan salah satu dari {list(STRATEGI)}.")
    return {header_key(p): s for p, s in zip(table["program"], table["strategi"])}
