"""Padu padan for the pipeline: the probabilistic model (:mod:`helpers.matching.linkage`) behind one call,
the matched register columns, and the lists a reviewer works from.

Review files (``data/processed/tinjau/``, NIKs masked): ``padan.csv`` (each ``tinjau_manual`` person with
its top three candidates, the weights and the evidence per field, likeliest first), ``padan_tidak_padan.csv``,
``nik_ganda_sk.csv`` (SK rows that share a NIK) and ``keputusan_usang.csv`` (decisions of
``keputusan_padan.xlsx`` that no longer fit and were not applied). ``kandidat_padan.parquet`` keeps the same
candidates with full NIKs for the decisions workbook (``helpers.publishing.keputusan``), and
``model_padan.json`` the trained model of the run, ``grafik_padan/`` its charts.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from helpers import catalog
from helpers.cleaning.nik import mask_frame, mask_series
from helpers.matching.linkage import AMBANG_PADAN, AMBANG_TINJAU, LinkageResult, corrections, link, review_table
from helpers.publishing.fmt import angka
from helpers.vocabulary import METODE_LABELS, METODE_PADAN, TIDAK_PADAN

MatchResult = LinkageResult
#: Register columns carried into the matched frame (prefixed ``p3ke_``).
P3KE_COLUMNS = ["id_keluarga", "id_individu", "nik", "nama", "kode_kecamatan", "nama_kecamatan", "kode_desa",
                "nama_desa", "desil", "tanggal_lahir"]  # fmt: skip


def match_sk(
    sk: pd.DataFrame,
    p3ke: pd.DataFrame,
    decisions: pd.DataFrame | None = None,
    ambang_padan: float = AMBANG_PADAN,
    ambang_tinjau: float = AMBANG_TINJAU,
    model_path: str | Path | None = None,
    mesin_padan: str = "duckdb",
) -> MatchResult:
    """Every SK person -> at most one register person (see :mod:`helpers.matching.linkage`); the model is scored
    on ``mesin_padan`` (``duckdb`` or ``spark``)."""
    return link(sk, p3ke, decisions, ambang_padan, ambang_tinjau, model_path=model_path, mesin_padan=mesin_padan)


def matched_frame(result: MatchResult, sk: pd.DataFrame, p3ke: pd.DataFrame) -> pd.DataFrame:
    """One row per SK person with the matched P3KE row's columns, prefixed ``p3ke_`` (missing if unmatched)."""
    right = p3ke[P3KE_COLUMNS].add_prefix("p3ke_")
    right = right.assign(p3ke_index=pd.array(right.index.to_numpy(), dtype="Int64"))
    left = sk.merge(result.padan, on="id_sasaran", how="left", validate="one_to_one")
    return left.merge(right, on="p3ke_index", how="left", validate="many_to_one")


def unmatched_list(result: MatchResult, sk: pd.DataFrame) -> pd.DataFrame:
    """The ``tidak_padan`` persons (NIK masked), to look up by hand in P3KE or Dukcapil."""
    ids = result.padan.loc[result.padan["metode_padan"] == TIDAK_PADAN, "id_sasaran"]
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


def candidates_with_nik(result: MatchResult, sk: pd.DataFrame, p3ke: pd.DataFrame) -> pd.DataFrame:
    """The review candidates with full NIKs (for the confidential decisions workbook only)."""
    details = p3ke[["nik", "nama", "tanggal_lahir", "kode_desa", "nama_desa", "id_keluarga", "desil"]]
    cand = result.kandidat.merge(details.add_prefix("kandidat_"), left_on="p3ke_index", right_index=True, how="left")
    return cand.reset_index(drop=True)


def write_review(
    result: MatchResult, sk: pd.DataFrame, p3ke: pd.DataFrame, processed_dir: str | Path, run_id: str | None = None
) -> list[Path]:
    """The review lists of the run (written even when empty; the candidates stamped with ``run_id``); see the
    module docstring."""
    duplicate = result.nik_ganda_sk.assign(nik=mask_series(result.nik_ganda_sk["nik"])).rename(
        columns={"nik": "nik_tersamar"}
    )
    lists = {
        catalog.TINJAU_PADAN: review_table(result, sk, p3ke),
        catalog.TINJAU_TIDAK_PADAN: unmatched_list(result, sk),
        catalog.NIK_GANDA_SK: duplicate,
        catalog.KEPUTUSAN_USANG: result.keputusan_basi,
    }
    # every NIK-like number masked, typed decisions and remarks included (nothing in tinjau/ holds a full NIK)
    paths = [catalog.write(entry, mask_frame(frame), processed_dir) for entry, frame in lists.items()]
    candidates = catalog.write(catalog.KANDIDAT_PADAN, candidates_with_nik(result, sk, p3ke), processed_dir, run_id)
    return [*paths, candidates]


def method_table(result: MatchResult) -> pd.DataFrame:
    """Persons per method with Indonesian labels, for the notebook."""
    counts = result.counts()
    return pd.DataFrame({"metode": [METODE_LABELS[m] for m in METODE_PADAN], "jumlah": [counts[m] for m in METODE_PADAN]})


#: The compared fields of the model as an analyst names them.
FIELD_LABELS = {"nik": "NIK", "nama": "Nama", "tanggal_lahir": "Tanggal lahir", "wilayah": "Wilayah",
                "jenis_kelamin": "Jenis kelamin"}  # fmt: skip


def _probability(value: float | None) -> str:
    """A small probability the Indonesian way, three significant digits: ``0,000114``, ``5,11 × 10⁻¹²``."""
    if value is None:
        return "tidak terlatih"
    if value == 0 or value >= 1e-6:
        decimals = 0 if value == 0 else max(0, 2 - math.floor(math.log10(abs(value))))
        return angka(float(f"{value:.3g}"), decimals).rstrip("0").rstrip(",") or "0"
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{angka(float(mantissa), 2)} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _reason(record: dict) -> str:
    if record["parameter"] == "u":
        return "tidak ada pada pasangan acak"
    if record["dilatih"] is None:
        return "tidak ada pada pasangan padan: nilai minimum"
    if record["dipakai"] > record["dilatih"]:
        return "di bawah nilai minimum"
    return "di atas batas tingkat beda"


def corrections_table(model: dict) -> pd.DataFrame:
    """The hand corrections of the run's model (:func:`~helpers.matching.linkage.check_model`) as a small
    Indonesian table for notebook 02: field, level, parameter, trained value, value used and why."""
    records = corrections(model)
    return pd.DataFrame(
        {
            "Bidang": [FIELD_LABELS.get(r["bidang"], r["bidang"]) for r in records],
            "Tingkat": [r["tingkat"].replace("_", " ") for r in records],
            "Parameter": [r["parameter"] for r in records],
            "Hasil pelatihan": [_probability(r["dilatih"]) for r in records],
            "Dipakai": [_probability(r["dipakai"]) for r in records],
            "Alasan": [_reason(r) for r in records],
        }
    )
