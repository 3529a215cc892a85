"""The register the SK is matched against (parameter ``register``): P3KE 2024 or DTSEN.

Matching and statuses work on the columns of ``p3ke_individu``; :func:`register_tables` gives the chosen
register in that shape, so that everything downstream ("the P3KE side") is the same code for both registers.
For DTSEN, ``desil`` is the decile chosen by ``desil_dtsen`` (kabupaten, provinsi or nasional), ``id_keluarga``
is the KK number (DTSEN has no family id of its own) and ``id_individu`` is empty.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import catalog
from helpers import vocabulary as v
from helpers.cleaning.registers import DESIL_DTSEN_COLUMNS
from helpers.errors import InputError

DTSEN_TABLE = "dtsen_individu"
#: Columns of the register frame (those of ``p3ke_individu`` that matching and reports read).
REGISTER_COLUMNS = ["id_keluarga", "id_individu", "nik", "nik_status", "nama", "nama_kunci", "jenis_kelamin",
                    "tanggal_lahir", "kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa", "desil"]  # fmt: skip


def families_by_register_key(keluarga: pd.DataFrame, register_people: pd.DataFrame,
                             p3ke_people: pd.DataFrame | None) -> pd.DataFrame:  # fmt: skip
    """The P3KE family conditions keyed as the register's ``id_keluarga`` is: the P3KE family id itself when the
    register is P3KE (``p3ke_people`` None), or for DTSEN the KK number: each KK gets the P3KE family of its members
    found in P3KE by NIK (the first by family id)."""
    if p3ke_people is None:
        return keluarga
    members = register_people[["nik", "id_keluarga"]].dropna().rename(columns={"id_keluarga": "no_kk"})
    kk = members.merge(p3ke_people[["nik", "id_keluarga"]].dropna(), on="nik")
    kk = kk.sort_values(["no_kk", "id_keluarga"]).drop_duplicates("no_kk")
    return kk[["no_kk", "id_keluarga"]].merge(keluarga, on="id_keluarga").drop(columns="id_keluarga").rename(
        columns={"no_kk": "id_keluarga"}
    )


def desil_column(desil_dtsen: str) -> str:
    """``"kabupaten"`` -> ``"desil_kabupaten"``."""
    return f"desil_{desil_dtsen}"


def dtsen_year(dtsen: pd.DataFrame | None) -> int | None:
    """The data year of a DTSEN export (the latest ``tahun_data``), or None when the export does not say."""
    if dtsen is None or "tahun_data" not in dtsen.columns or dtsen["tahun_data"].isna().all():
        return None
    return int(dtsen["tahun_data"].max())


def has_dtsen(tables: dict[str, Any]) -> bool:
    dtsen = tables.get(DTSEN_TABLE)
    return dtsen is not None and len(dtsen) > 0


def dtsen_individuals(dtsen: pd.DataFrame, desil_dtsen: str) -> pd.DataFrame:
    """The DTSEN table in the shape of ``p3ke_individu`` with ``desil`` = the chosen decile. Raises
    :class:`InputError` when that decile is missing in some rows (the export lacks the column, or it is empty)."""
    column = desil_column(desil_dtsen)
    missing = int(dtsen[column].isna().sum())
    if missing:
        header = DESIL_DTSEN_COLUMNS[column]
        raise InputError(
            f'Kolom "{header}" kosong pada {missing} dari {len(dtsen)} baris DTSEN bersih, padahal parameter '
            f"desil_dtsen = {desil_dtsen}. Pilih desil_dtsen lain yang terisi di ekspor DTSEN (nasional, provinsi "
            "atau kabupaten), atau minta ekspor DTSEN yang memuat kolom itu."
        )
    out = dtsen.assign(id_keluarga=dtsen["no_kk"], id_individu=pd.array([pd.NA] * len(dtsen), dtype="string"),
                       desil=dtsen[column])  # fmt: skip
    return out[REGISTER_COLUMNS].reset_index(drop=True)


def dtsen_families(dtsen: pd.DataFrame) -> pd.DataFrame:
    """``id_keluarga`` (the KK number) and the first ``alamat`` given for it, for the SK's missing addresses."""
    rows = dtsen.dropna(subset=["no_kk"]).sort_values(["no_kk", "alamat"], na_position="last", kind="stable")
    return rows.drop_duplicates("no_kk")[["no_kk", "alamat"]].rename(columns={"no_kk": "id_keluarga"})


def register_tables(tables: dict[str, Any], register: str, desil_dtsen: str) -> dict[str, Any]:
    """``tables`` with ``p3ke_individu`` (and ``p3ke_keluarga``, for addresses) replaced by the chosen register.

    Raises :class:`InputError` (Indonesian) when ``register`` is ``dtsen`` but no DTSEN data was cleaned."""
    if register == v.P3KE:
        return dict(tables)
    if register != v.DTSEN:
        raise InputError(f'Parameter register = "{register}" harus salah satu dari: {", ".join(v.REGISTERS)}.')
    if not has_dtsen(tables):
        raise InputError(
            "Parameter register = dtsen, tetapi belum ada data DTSEN yang dibersihkan. Letakkan ekspor DTSEN "
            "(CSV dengan pemisah |, xlsx atau parquet) di data/raw/dtsen/ (lihat data/raw/README.md), jalankan "
            "ulang notebooks/01_clean.ipynb, atau pakai register = p3ke."
        )
    dtsen = tables[DTSEN_TABLE]
    return {**tables, "p3ke_individu": dtsen_individuals(dtsen, desil_dtsen), "p3ke_keluarga": dtsen_families(dtsen)}


def run_label(run: dict) -> str:
    """The register's name recorded in a ``parameter_run.json`` (P3KE 2024 for a run written before DTSEN)."""
    return run.get("register_label") or v.P3KE_LABEL


def read_run_label(processed_dir: str | Path) -> str:
    """:func:`run_label` of the ``parameter_run.json`` in ``processed_dir`` (P3KE 2024 when there is none)."""
    path = catalog.PARAMETER_RUN.at(processed_dir)
    return run_label(json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {})


def label(tables: dict[str, Any], register: str) -> str:
    """The register's name in reports (:func:`helpers.vocabulary.register_label`)."""
    return v.register_label(register, dtsen_year(tables.get(DTSEN_TABLE)) if register == v.DTSEN else None)
