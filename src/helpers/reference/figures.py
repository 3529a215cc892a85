"""Reference figures carried by the project, each with its source: BPS poverty context, population by
kecamatan, and the editable programme -> strategy table."""

from __future__ import annotations

from functools import cache

import pandas as pd

from helpers.config import DATA_PACKAGE_DIR
from helpers.errors import InputError
from helpers.reading.readers import header_key
from helpers.reference.wilayah import kecamatan_table
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


def population_by_kecamatan() -> pd.DataFrame:
    """``kode``, ``nama``, ``penduduk`` (BPS projection 2022) for the 21 kecamatan."""
    return kecamatan_table()[["kode", "nama", "penduduk"]].copy()


POPULATION_SOURCE = "BPS, proyeksi penduduk 2022 menurut kecamatan (jombangkab.go.id)"


@cache
def programme_strategies() -> dict[str, str]:
    """Programme (comparison key) -> strategy, from ``data/program_strategi.csv`` (editable by TKPK)."""
    table = pd.read_csv(PROGRAMME_FILE, dtype=str)
    unknown = sorted(set(table["strategi"]) - set(STRATEGI))
    if unknown:
        raise InputError(f"{PROGRAMME_FILE}: strategi tidak dikenal {unknown}; gunakan salah satu dari {list(STRATEGI)}.")
    return {header_key(p): s for p, s in zip(table["program"], table["strategi"])}
