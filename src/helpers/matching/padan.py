"""Padu padan: each person of the SK Bupati list -> at most one P3KE 2024 individual.

1. **NIK**: the normalised SK NIK equals a P3KE NIK. When a NIK occurs on several P3KE rows, the one in the SK
   person's desa is taken; if that does not single one out, the person goes to manual review.
2. **Fuzzy name** for the others, *within the same desa only* (blocking by ``kode_desa``, never all pairs):
   candidates are the P3KE individuals of that desa not already taken by a NIK match, whose ``nama_kunci`` has
   a ``token_sort_ratio`` of at least ``ambang_fuzzy`` and whose birth date agrees when both have one.
   A unique best candidate -> ``fuzzy``; several tied at the best score -> ``tinjau_manual`` (not matched,
   listed in ``tinjau/padan_tinjau_manual.csv`` with masked NIKs); none -> ``tidak_padan``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from helpers import outputs
from helpers.cleaning.nik import mask_series
from helpers.vocabulary import METODE_LABELS, METODE_PADAN

DEFAULT_AMBANG = 85.0
REVIEW_DIR = "tinjau"
REVIEW_FILE = "padan_tinjau_manual.csv"
UNMATCHED_FILE = "padan_tidak_padan.csv"
#: Scores are compared after rounding, so that equal names always tie.
_SCORE_DECIMALS = 6


@dataclass
class MatchResult:
    """``padan``: one row per SK person (``id_sasaran``, ``metode_padan``, ``skor_padan``, ``p3ke_index``: the
    index label of the matched P3KE row or missing). ``kandidat``: the tied candidates of the
    ``tinjau_manual`` persons (``id_sasaran``, ``p3ke_index``, ``skor``, ``asal``: ``nik`` or ``fuzzy``)."""

    padan: pd.DataFrame
    kandidat: pd.DataFrame
    ambang_fuzzy: float

    def counts(self) -> dict[str, int]:
        """Persons per method; the four values add up to the SK list."""
        counts = self.padan["metode_padan"].value_counts()
        return {m: int(counts.get(m, 0)) for m in METODE_PADAN}


def _empty_candidates() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id_sasaran": pd.Series(dtype="string"),
            "p3ke_index": pd.Series(dtype="Int64"),
            "skor": pd.Series(dtype="Float64"),
            "asal": pd.Series(dtype="string"),
        }
    )


def match_by_nik(sk: pd.DataFrame, p3ke: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Exact NIK matches. Returns (matches: ``id_sasaran``, ``p3ke_index``; ambiguous candidates).

    A NIK present on several P3KE rows is resolved by the SK person's desa; otherwise it is ambiguous."""
    left = sk.loc[sk["nik"].notna(), ["id_sasaran", "nik", "kode_desa"]]
    right = p3ke.loc[p3ke["nik"].notna(), ["nik", "kode_desa"]].rename(columns={"kode_desa": "desa_p3ke"})
    right = right.assign(p3ke_index=right.index.to_numpy())
    pairs = left.merge(right, on="nik", how="inner")
    if pairs.empty:
        return pd.DataFrame({"id_sasaran": pd.Series(dtype="string"), "p3ke_index": pd.Series(dtype="Int64")}), (
            _empty_candidates()
        )
    per_person = pairs.groupby("id_sasaran")["p3ke_index"].transform("size")
    same_desa = pairs["kode_desa"] == pairs["desa_p3ke"]
    same_desa_count = same_desa.groupby(pairs["id_sasaran"]).transform("sum")
    unique = per_person == 1
    by_desa = (per_person > 1) & same_desa & (same_desa_count == 1)
    matches = pairs.loc[unique | by_desa, ["id_sasaran", "p3ke_index"]]
    ambiguous_people = set(pairs["id_sasaran"]) - set(matches["id_sasaran"])
    ambiguous = pairs[pairs["id_sasaran"].isin(ambiguous_people)]
    candidates = pd.DataFrame(
        {
            "id_sasaran": ambiguous["id_sasaran"].astype("string"),
            "p3ke_index": ambiguous["p3ke_index"].astype("Int64"),
            "skor": pd.array([100.0] * len(ambiguous), dtype="Float64"),
            "asal": pd.array(["nik"] * len(ambiguous), dtype="string"),
        }
    )
    return matches.reset_index(drop=True), candidates.reset_index(drop=True)


def _dates_disagree(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Matrix: True where both birth dates are known and differ."""
    left = left.astype("datetime64[D]")
    right = right.astype("datetime64[D]")
    known = ~np.isnat(left)[:, None] & ~np.isnat(right)[None, :]
    return known & (left[:, None] != right[None, :])


def _block_scores(sk_names: list[str], p3ke_names: list[str], ambang: float) -> np.ndarray:
    scores = process.cdist(
        sk_names, p3ke_names, scorer=fuzz.token_sort_ratio, score_cutoff=ambang, dtype=np.float64, workers=1
    )
    return np.round(scores, _SCORE_DECIMALS)


def match_by_name(
    sk: pd.DataFrame, p3ke: pd.DataFrame, exclude: set, ambang_fuzzy: float = DEFAULT_AMBANG
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fuzzy name matches within each desa for the SK persons in ``sk`` (those without a NIK match).

    Returns (``id_sasaran``, ``p3ke_index``, ``skor`` for unique best candidates; tied candidates)."""
    people = sk[sk["nama_kunci"].notna() & sk["kode_desa"].notna()]
    pool = p3ke[p3ke["nama_kunci"].notna() & ~p3ke.index.isin(list(exclude))]
    pool_blocks = pool.groupby("kode_desa", sort=True).indices
    found, tied = [], []
    for desa, group in people.groupby("kode_desa", sort=True):
        positions = pool_blocks.get(desa)
        if positions is None:
            continue
        block = pool.iloc[positions]
        scores = _block_scores(group["nama_kunci"].tolist(), block["nama_kunci"].tolist(), ambang_fuzzy)
        scores[_dates_disagree(group["tanggal_lahir"].to_numpy(), block["tanggal_lahir"].to_numpy())] = 0
        best = scores.max(axis=1)
        for row, (id_sasaran, top) in enumerate(zip(group["id_sasaran"], best)):
            if top < ambang_fuzzy or top <= 0:
                continue
            winners = np.flatnonzero(scores[row] == top)
            labels = block.index[winners]
            if len(winners) == 1:
                found.append((id_sasaran, labels[0], float(top)))
            else:
                tied.extend((id_sasaran, label, float(top), "fuzzy") for label in labels)
    matches = pd.DataFrame(found, columns=["id_sasaran", "p3ke_index", "skor"])
    candidates = pd.DataFrame(tied, columns=["id_sasaran", "p3ke_index", "skor", "asal"])
    return matches, candidates.astype({"id_sasaran": "string", "p3ke_index": "Int64", "skor": "Float64", "asal": "string"})


def match_sk(sk: pd.DataFrame, p3ke: pd.DataFrame, ambang_fuzzy: float = DEFAULT_AMBANG) -> MatchResult:
    """Match every SK person (``sk.parquet``) to the P3KE individuals (``p3ke_individu.parquet``).

    Needs ``id_sasaran``, ``nik``, ``nama_kunci``, ``kode_desa``, ``tanggal_lahir`` in both (``id_sasaran`` in
    SK only). The P3KE index labels identify the matched rows (``p3ke_index``)."""
    by_nik, nik_candidates = match_by_nik(sk, p3ke)
    taken = set(by_nik["p3ke_index"]) | set(nik_candidates["p3ke_index"].dropna())
    decided = set(by_nik["id_sasaran"]) | set(nik_candidates["id_sasaran"])
    rest = sk[~sk["id_sasaran"].isin(decided)]
    by_name, name_candidates = match_by_name(rest, p3ke, taken, ambang_fuzzy)

    candidates = pd.concat([nik_candidates, name_candidates], ignore_index=True)
    review = candidates.groupby("id_sasaran")["skor"].max()
    ids = sk["id_sasaran"].astype("string").reset_index(drop=True)
    nik_index = dict(zip(by_nik["id_sasaran"], by_nik["p3ke_index"]))
    name_index = dict(zip(by_name["id_sasaran"], by_name["p3ke_index"]))
    name_score = dict(zip(by_name["id_sasaran"], by_name["skor"]))
    metode = np.select(
        [ids.isin(nik_index).to_numpy(), ids.isin(name_index).to_numpy(), ids.isin(review.index).to_numpy()],
        ["nik", "fuzzy", "tinjau_manual"],
        "tidak_padan",
    )
    score = ids.map({**{i: 100.0 for i in nik_index}, **name_score, **review.astype(float).to_dict()})
    padan = pd.DataFrame(
        {
            "id_sasaran": ids,
            "metode_padan": pd.array(metode, dtype="string"),
            "skor_padan": pd.array(score.to_numpy(dtype=float, na_value=np.nan), dtype="Float64"),
            "p3ke_index": pd.array(ids.map({**nik_index, **name_index}).to_numpy(dtype=object), dtype="Int64"),
        }
    )
    return MatchResult(padan, candidates, float(ambang_fuzzy))


def matched_frame(result: MatchResult, sk: pd.DataFrame, p3ke: pd.DataFrame) -> pd.DataFrame:
    """One row per SK person with the matched P3KE row's columns, prefixed ``p3ke_`` (missing if unmatched)."""
    columns = ["id_keluarga", "id_individu", "nik", "nama", "kode_kecamatan", "nama_kecamatan", "kode_desa",
               "nama_desa", "desil", "tanggal_lahir"]  # fmt: skip
    right = p3ke[columns].add_prefix("p3ke_")
    right = right.assign(p3ke_index=pd.array(right.index.to_numpy(), dtype="Int64"))
    left = sk.merge(result.padan, on="id_sasaran", how="left", validate="one_to_one")
    return left.merge(right, on="p3ke_index", how="left", validate="many_to_one")


def review_list(result: MatchResult, sk: pd.DataFrame, p3ke: pd.DataFrame) -> pd.DataFrame:
    """The ``tinjau_manual`` persons with their candidates, one row per candidate, NIKs masked."""
    cand = result.kandidat.merge(sk, on="id_sasaran", how="left")
    details = p3ke[["id_keluarga", "id_individu", "nik", "nama", "nama_desa", "desil"]].add_prefix("kandidat_")
    details = details.assign(p3ke_index=pd.array(details.index.to_numpy(), dtype="Int64"))
    cand = cand.merge(details, on="p3ke_index", how="left")
    out = pd.DataFrame(
        {
            "id_sasaran": cand["id_sasaran"],
            "no_sk": cand["no"],
            "nama_sk": cand["nama"],
            "nik_sk_tersamar": mask_series(cand["nik"]),
            "nama_kecamatan": cand["nama_kecamatan"],
            "nama_desa": cand["nama_desa"],
            "asal_kandidat": cand["asal"],
            "skor": cand["skor"],
            "kandidat_id_keluarga": cand["kandidat_id_keluarga"],
            "kandidat_id_individu": cand["kandidat_id_individu"],
            "kandidat_nama": cand["kandidat_nama"],
            "kandidat_nik_tersamar": mask_series(cand["kandidat_nik"]),
            "kandidat_desa": cand["kandidat_nama_desa"],
            "kandidat_desil": cand["kandidat_desil"],
        }
    )
    return out.sort_values(["id_sasaran", "kandidat_id_individu"], kind="stable", ignore_index=True)


def unmatched_list(result: MatchResult, sk: pd.DataFrame) -> pd.DataFrame:
    """The ``tidak_padan`` persons (NIK masked), to look up by hand in P3KE or Dukcapil."""
    ids = result.padan.loc[result.padan["metode_padan"] == "tidak_padan", "id_sasaran"]
    rows = sk[sk["id_sasaran"].isin(ids)]
    return pd.DataFrame(
        {
            "id_sasaran": rows["id_sasaran"],
            "no_sk": rows["no"],
            "nama_sk": rows["nama"],
            "nik_sk_tersamar": mask_series(rows["nik"]),
            "nik_status": rows["nik_status"],
            "nama_kecamatan": rows["nama_kecamatan"],
            "nama_desa": rows["nama_desa"],
        }
    ).reset_index(drop=True)


def write_review(result: MatchResult, sk: pd.DataFrame, p3ke: pd.DataFrame, processed_dir: str | Path) -> list[Path]:
    """``tinjau/padan_tinjau_manual.csv`` and ``tinjau/padan_tidak_padan.csv`` (written even when empty)."""
    folder = Path(processed_dir) / REVIEW_DIR
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / REVIEW_FILE, folder / UNMATCHED_FILE]
    outputs.write_csv(review_list(result, sk, p3ke), paths[0])
    outputs.write_csv(unmatched_list(result, sk), paths[1])
    return paths


def method_table(result: MatchResult) -> pd.DataFrame:
    """Persons per method with Indonesian labels, for the notebook."""
    counts = result.counts()
    return pd.DataFrame({"metode": list(METODE_LABELS.values()), "jumlah": [counts[m] for m in METODE_LABELS]})
