"""Quality of a padu padan result against an answer key, and the old matcher for comparison.

Definitions (per SK row, from ``kunci``: ``id_sasaran``, ``p3ke_index`` = the true P3KE row or missing, ``kasus``):

- automatic match: ``metode_padan`` in ``nik``, ``fuzzy``, ``probabilistik`` (``keputusan_manual`` is not
  automatic and is not counted);
- ``salah_otomatis``: automatic match to another P3KE row than the true one, or while the person is absent;
- ``presisi``: correct automatic matches / automatic matches;
- ``recall``: distinct P3KE people correctly matched automatically / distinct P3KE people present in the SK list
  (two SK rows of one person count once: one-to-one lets only one of them match);
- ``beban_tinjau``: share of SK rows sent to ``tinjau_manual``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

AUTOMATIC = ("nik", "fuzzy", "probabilistik")


def evaluate(padan: pd.DataFrame, kunci: pd.DataFrame) -> dict:
    """Headline figures of one result (see the module docstring)."""
    merged = _merged(padan, kunci)
    auto = merged["otomatis"]
    correct = auto & (merged["p3ke_index"] == merged["p3ke_benar"]).fillna(False)
    present = merged["p3ke_benar"].dropna().nunique()
    return {
        "jumlah_sk": int(len(merged)),
        "padan_otomatis": int(auto.sum()),
        "benar_otomatis": int(correct.sum()),
        "salah_otomatis": int((auto & ~correct).sum()),
        "presisi": float(correct.sum() / auto.sum()) if auto.any() else float("nan"),
        "recall": float(merged.loc[correct, "p3ke_benar"].nunique() / present) if present else float("nan"),
        "beban_tinjau": float((merged["metode_padan"] == "tinjau_manual").mean()),
        "tidak_padan": int((merged["metode_padan"] == "tidak_padan").sum()),
    }


def _merged(padan: pd.DataFrame, kunci: pd.DataFrame) -> pd.DataFrame:
    merged = kunci.rename(columns={"p3ke_index": "p3ke_benar"}).merge(
        padan[["id_sasaran", "metode_padan", "p3ke_index"]], on="id_sasaran", how="left", validate="one_to_one"
    )
    merged["otomatis"] = merged["metode_padan"].isin(AUTOMATIC).fillna(False).astype(bool)
    return merged


def per_case(padan: pd.DataFrame, kunci: pd.DataFrame) -> pd.DataFrame:
    """Counts per case type: rows, correct and wrong automatic matches, review, not matched."""
    merged = _merged(padan, kunci)
    merged["benar"] = merged["otomatis"] & (merged["p3ke_index"] == merged["p3ke_benar"]).fillna(False)
    merged["salah"] = merged["otomatis"] & ~merged["benar"]
    merged["tinjau"] = merged["metode_padan"] == "tinjau_manual"
    merged["tidak"] = merged["metode_padan"] == "tidak_padan"
    table = merged.groupby("kasus").agg(
        jumlah=("id_sasaran", "size"), benar_otomatis=("benar", "sum"), salah_otomatis=("salah", "sum"),
        tinjau_manual=("tinjau", "sum"), tidak_padan=("tidak", "sum"),
    )  # fmt: skip
    return table.astype(int).reset_index()


def old_matcher(sk: pd.DataFrame, p3ke: pd.DataFrame, ambang: float = 85.0) -> pd.DataFrame:
    """The previous matcher's essence (``helpers.matching.padan.match_sk`` at the time of writing): exact NIK
    (a NIK on several P3KE rows resolved by the SK desa, else review); then, for the rest, rapidfuzz
    ``token_sort_ratio >= ambang`` on ``nama_kunci`` within the desa among P3KE rows not taken by a NIK match,
    birth date must not disagree; a unique best -> ``fuzzy``, ties -> ``tinjau_manual``.
    Returns ``id_sasaran``, ``metode_padan``, ``p3ke_index``."""
    right = p3ke.loc[p3ke["nik"].notna(), ["nik", "kode_desa"]].rename(columns={"kode_desa": "desa_p3ke"})
    pairs = sk.loc[sk["nik"].notna(), ["id_sasaran", "nik", "kode_desa"]].merge(
        right.assign(p3ke_index=right.index), on="nik"
    )
    per_person = pairs.groupby("id_sasaran")["p3ke_index"].transform("size")
    same = pairs["kode_desa"] == pairs["desa_p3ke"]
    single = (per_person == 1) | (same & (same.groupby(pairs["id_sasaran"]).transform("sum") == 1))
    by_nik = dict(zip(pairs.loc[single, "id_sasaran"], pairs.loc[single, "p3ke_index"]))
    method = {i: "tinjau_manual" for i in set(pairs["id_sasaran"]) - set(by_nik)} | {i: "nik" for i in by_nik}
    taken = set(pairs["p3ke_index"])
    pool = p3ke[p3ke["nama_kunci"].notna() & ~p3ke.index.isin(list(taken))]
    pool_blocks = pool.groupby("kode_desa").indices
    found = {}
    rest = sk[~sk["id_sasaran"].isin(method) & sk["nama_kunci"].notna()]
    for desa, group in rest.groupby("kode_desa", sort=True):
        if desa not in pool_blocks:
            continue
        block = pool.iloc[pool_blocks[desa]]
        scores = np.round(process.cdist(group["nama_kunci"].tolist(), block["nama_kunci"].tolist(),
                                        scorer=fuzz.token_sort_ratio, score_cutoff=ambang, workers=1), 6)  # fmt: skip
        left = group["tanggal_lahir"].to_numpy().astype("datetime64[D]")
        right_dates = block["tanggal_lahir"].to_numpy().astype("datetime64[D]")
        known = ~np.isnat(left)[:, None] & ~np.isnat(right_dates)[None, :]
        scores[known & (left[:, None] != right_dates[None, :])] = 0
        for row, id_sasaran in enumerate(group["id_sasaran"]):
            top = scores[row].max()
            if top < ambang:
                continue
            winners = np.flatnonzero(scores[row] == top)
            if len(winners) == 1:
                found[id_sasaran] = block.index[winners[0]]
                method[id_sasaran] = "fuzzy"
            else:
                method[id_sasaran] = "tinjau_manual"
    index = {**by_nik, **found}
    ids = sk["id_sasaran"].astype("string")
    return pd.DataFrame(
        {
            "id_sasaran": ids,
            "metode_padan": ids.map(method).fillna("tidak_padan").astype("string"),
            "p3ke_index": pd.array(ids.map(index).to_numpy(dtype=object), dtype="Int64"),
        }
    )


def compare(sk: pd.DataFrame, p3ke: pd.DataFrame, kunci: pd.DataFrame, new_padan: pd.DataFrame) -> pd.DataFrame:
    """Old vs new on one data set: one row per matcher with the figures of :func:`evaluate`."""
    rows = {"lama": evaluate(old_matcher(sk, p3ke), kunci), "baru": evaluate(new_padan, kunci)}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("pencocok").reset_index()
