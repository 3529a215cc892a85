"""The same SK across two registers (P3KE 2024 -> DTSEN): who left desil 1, who entered it.

:func:`compare_registers` lines up two ``status_sasaran`` tables of the same SK (matched against the earlier and
the later register) by ``id_sasaran`` and names each person's change (``perubahan``). Written by
:func:`helpers.statuses.classify.run_status` with ``register = dtsen`` when P3KE was cleaned too:
``tinjau/perbandingan_register.csv`` (one row per SK person, NIK masked) and ``perbandingan_register.json`` (counts).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers import vocabulary as v
from helpers.cleaning.nik import mask_series
from helpers.vocabulary import KELUAR, MASUK, PADAN_BERUBAH, PERUBAHAN, PERUBAHAN_LABELS, TETAP_DESIL1, TETAP_LUAR

COLUMNS = ["id_sasaran", "nik_tersamar", "nama", "kode_kecamatan", "nama_kecamatan", "nama_desa", "desil_sebelum",
           "status_desil_sebelum", "desil_sesudah", "status_desil_sesudah", "perubahan"]  # fmt: skip


def perubahan(before: pd.Series, after: pd.Series) -> pd.Series:
    """The change of ``status_desil`` between two registers (:data:`PERUBAHAN`)."""
    was, now = before.astype("string"), after.astype("string")
    out = pd.Series(PADAN_BERUBAH, index=was.index, dtype="string")
    for code, (a, b) in {KELUAR: (v.MASIH_DESIL1, v.KELUAR_DESIL1), MASUK: (v.KELUAR_DESIL1, v.MASIH_DESIL1),
                         TETAP_DESIL1: (v.MASIH_DESIL1, v.MASIH_DESIL1),
                         TETAP_LUAR: (v.KELUAR_DESIL1, v.KELUAR_DESIL1)}.items():  # fmt: skip
        out = out.mask((was == a).fillna(False) & (now == b).fillna(False), code)
    return out


def compare_registers(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """One row per SK person (:data:`COLUMNS`): desil and ``status_desil`` in the earlier (``before``) and the
    later (``after``) register and the change; people and regions as in ``after``; NIK (of the SK) masked.
    Sorted by kecamatan, desa and name."""
    earlier = before[["id_sasaran", "desil", "status_desil"]].rename(
        columns=lambda c: c if c == "id_sasaran" else f"{c}_sebelum"
    )
    joined = after.merge(earlier, on="id_sasaran", how="left", validate="one_to_one")
    out = pd.DataFrame(
        {
            "id_sasaran": joined["id_sasaran"],
            "nik_tersamar": mask_series(joined["nik_sk"]),
            "nama": joined["nama"],
            "kode_kecamatan": joined["kode_kecamatan"],
            "nama_kecamatan": joined["nama_kecamatan"],
            "nama_desa": joined["nama_desa"],
            "desil_sebelum": joined["desil_sebelum"].astype("Int64"),
            "status_desil_sebelum": joined["status_desil_sebelum"].astype("string"),
            "desil_sesudah": joined["desil"].astype("Int64"),
            "status_desil_sesudah": joined["status_desil"].astype("string"),
            "perubahan": perubahan(joined["status_desil_sebelum"], joined["status_desil"]),
        }
    )
    return out.sort_values(["kode_kecamatan", "nama_desa", "nama", "id_sasaran"], ignore_index=True)[COLUMNS]


def counts(comparison: pd.DataFrame) -> dict[str, int]:
    """Persons per :data:`PERUBAHAN` code (zeros included)."""
    found = comparison["perubahan"].value_counts()
    return {code: int(found.get(code, 0)) for code in PERUBAHAN}


def summary(comparison: pd.DataFrame, sebelum: str, sesudah: str) -> dict[str, Any]:
    """``perbandingan_register.json``: the two register labels and the counts of each change."""
    return {"register_sebelum": sebelum, "register_sesudah": sesudah, "sasaran_sk": int(len(comparison)),
            **counts(comparison)}  # fmt: skip


def counts_table(comparison: pd.DataFrame | None) -> pd.DataFrame:
    """The counts with Indonesian labels (``perubahan``, ``jumlah``), for notebooks; empty without a comparison."""
    if comparison is None:
        return pd.DataFrame(columns=["perubahan", "jumlah"])
    found = counts(comparison)
    return pd.DataFrame(
        {"perubahan": [PERUBAHAN_LABELS[c] for c in PERUBAHAN], "jumlah": [found[c] for c in PERUBAHAN]}
    )
