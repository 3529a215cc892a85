"""The status of each SK person at a report date, and ``summary.json``.

For each person of the SK Bupati list (one row of ``status_sasaran``):

- ``status_desil``: ``keluar_desil1`` (matched, P3KE desil > 1), ``masih_desil1`` (matched, desil 1),
  ``tinjau_manual`` or ``tidak_padan`` (not matched; see :mod:`helpers.matching`);
- ``status_intervensi`` from the intervention records dated on or before the report date, linked by the matched
  P3KE NIK (the SK NIK when unmatched): an OPD's explicit status wins (that of the latest record that has one;
  on the same date ``belum_optimal`` wins over ``optimal``); otherwise ``optimal`` when the records cover at
  least ``min_strategi`` distinct strategies, else ``belum_optimal``; no record -> ``belum_intervensi``;
- ``status_keberadaan`` from the verification records (:func:`helpers.verifikasi.resolve_keberadaan`), else
  ``belum_diverifikasi``;
- ``perlu_tindakan``: still in desil 1, not optimally intervened, and not deceased or moved away.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import outputs, runs
from helpers import vocabulary as v
from helpers.cleaning import schemas
from helpers.cleaning.nik import mask_series
from helpers.cleaning.tables import read_ringkasan, read_tables
from helpers.config import KODE_KABUPATEN
from helpers.dates import to_date, to_timestamp
from helpers.matching.padan import DEFAULT_AMBANG, MatchResult, match_sk, matched_frame, write_review
from helpers.reference.wilayah import kecamatan_table
from helpers.statuses.verifikasi import resolve_keberadaan
from helpers.vocabulary import BELUM_DIVERIFIKASI, STRATEGI

STATUS_FILE = "status_sasaran.parquet"
ROUNDS_FILE = "status_putaran.parquet"
SUMMARY_FILE = "summary.json"
PARAMETER_FILE = "parameter_run.json"
KEBERADAAN_REVIEW_FILE = "keberadaan_masalah.csv"
SUMMARY_KEYS = (
    "tanggal_laporan", "sasaran_sk", "padan", "keluar_desil1", "masih_desil1", "intervensi_optimal",
    "intervensi_belum_optimal", "belum_optimal_masih_ada", "belum_optimal_meninggal", "baris_masuk",
    "baris_karantina", "baris_duplikat", "per_kecamatan", "per_putaran",
)  # fmt: skip
KECAMATAN_KEYS = (
    "kode", "nama", "sasaran_sk", "keluar_desil1", "masih_desil1", "intervensi_optimal", "intervensi_belum_optimal",
    "penduduk", "masih_desil1_per_1000",
)  # fmt: skip
PUTARAN_KEYS = ("putaran", "tanggal", "diverifikasi", "ada", "meninggal", "pindah", "tidak_ditemukan", "perlu_tindakan")
_NUMBER_WORDS = {1: "satu", 2: "dua", 3: "tiga"}


def definisi_optimal(min_strategi: int) -> str:
    """One Indonesian sentence defining "optimal" for the reports, built from ``min_strategi``."""
    jumlah = _NUMBER_WORDS.get(int(min_strategi), str(min_strategi))
    strategi = ", ".join(s.lower() for s in STRATEGI[:-1]) + " dan " + STRATEGI[-1].lower()
    return (
        "Intervensi dinilai optimal bila OPD menyatakannya optimal (pernyataan terakhir sampai tanggal laporan) "
        f"atau, bila tidak ada pernyataan OPD, bila penerima telah mendapat program dari sedikitnya {jumlah} "
        f"({int(min_strategi)}) dari tiga strategi penghapusan kemiskinan ekstrem ({strategi}) sampai tanggal "
        "laporan."
    )


# ---------------------------------------------------------------------------------------------------------
# Interventions
# ---------------------------------------------------------------------------------------------------------


def _isin(values: pd.Series, allowed: object) -> np.ndarray:
    """``values.isin(allowed)`` as a bool array, through a Python set (fast for Arrow-backed text)."""
    wanted = {v for v in allowed if not pd.isna(v)}
    return np.fromiter((v in wanted for v in values.to_numpy(dtype=object, na_value=None)), bool, len(values))


def _joined_programmes(records: pd.DataFrame) -> pd.Series:
    """``"PKH; Rehab RTLH"`` per NIK: distinct programmes, sorted."""
    pairs = records.dropna(subset=["program"]).drop_duplicates(["nik", "program"]).sort_values(["nik", "program"])
    niks = pairs["nik"].to_numpy(dtype=object)
    programmes = pairs["program"].to_numpy(dtype=object)
    if len(niks) == 0:
        return pd.Series(dtype="string")
    starts = np.flatnonzero(np.r_[True, niks[1:] != niks[:-1]])
    ends = np.r_[starts[1:], len(niks)]
    return pd.Series(["; ".join(programmes[a:b]) for a, b in zip(starts, ends)], index=niks[starts], dtype="string")


def intervention_status(
    intervensi: pd.DataFrame, nik: pd.Series, report_date: object, min_strategi: int
) -> pd.DataFrame:
    """Per NIK of ``nik``: ``status_intervensi``, ``jumlah_strategi``, ``program_diterima`` (same index as ``nik``)."""
    date = to_timestamp(report_date)
    records = intervensi[(intervensi["tanggal_intervensi"] <= date).to_numpy(bool)]
    records = records[_isin(records["nik"], nik)]
    strategies = records.groupby("nik")["strategi"].nunique()
    explicit = records.dropna(subset=["status_opd"]).assign(
        _rank=lambda f: (f["status_opd"] == "belum_optimal").astype(int)
    )
    latest = explicit.sort_values(["nik", "tanggal_intervensi", "_rank"], kind="stable").groupby("nik").tail(1)
    explicit_status = latest.set_index("nik")["status_opd"]
    count = nik.map(strategies).fillna(0).astype("Int64")
    by_rule = pd.Series(np.where(count >= int(min_strategi), "optimal", "belum_optimal"), index=nik.index)
    status = nik.map(explicit_status).astype("string").fillna(by_rule.astype("string"))
    status = status.where(_isin(nik, records["nik"].unique()), "belum_intervensi")
    return pd.DataFrame(
        {
            "status_intervensi": status.astype("string"),
            "jumlah_strategi": count,
            "program_diterima": nik.map(_joined_programmes(records)).astype("string"),
        },
        index=nik.index,
    )


# ---------------------------------------------------------------------------------------------------------
# Status per SK person
# ---------------------------------------------------------------------------------------------------------


#: Key under which :func:`per_putaran` keeps the matched frame, so that it is built once for all rounds.
_MATCHED = "_terpadan"


def _match_of(tables: dict[str, Any]) -> MatchResult:
    found = tables.get("padan")
    if isinstance(found, MatchResult):
        return found
    return match_sk(tables["sk"], tables["p3ke_individu"], DEFAULT_AMBANG)


def _alamat(frame: pd.DataFrame, tables: dict[str, Any]) -> pd.Series:
    """SK address, else the P3KE family address of the matched person."""
    alamat = frame["alamat"].astype("string")
    keluarga = tables.get("p3ke_keluarga")
    if keluarga is None or keluarga.empty:
        return alamat
    by_family = keluarga.drop_duplicates("id_keluarga").set_index("id_keluarga")["alamat"]
    return alamat.fillna(frame["p3ke_id_keluarga"].map(by_family).astype("string"))


def compute_status_detail(
    tables: dict[str, Any], report_date: object, min_strategi: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(status_sasaran, masalah keberadaan) at ``report_date``; see :func:`compute_status`."""
    date = to_timestamp(report_date)
    sk = tables["sk"]
    m = tables.get(_MATCHED)
    if m is None:
        m = matched_frame(_match_of(tables), sk, tables["p3ke_individu"]).reset_index(drop=True)
    matched = m["metode_padan"].isin(v.METODE_TERPADAN)
    nik = m["p3ke_nik"].where(matched & m["p3ke_nik"].notna(), m["nik"]).astype("string")

    def region(column: str) -> pd.Series:
        return m[f"p3ke_{column}"].where(matched, m[column]).astype("string")

    desil = m["p3ke_desil"].where(matched).astype("Int64")
    status_desil = pd.Series(
        np.select(
            [(matched & (desil > 1)).fillna(False).to_numpy(bool), (matched & (desil == 1)).fillna(False).to_numpy(bool)],
            ["keluar_desil1", "masih_desil1"],
            m["metode_padan"].astype(str).to_numpy(),
        ),
        dtype="string",
    )
    intervention = intervention_status(tables["intervensi"], nik, date, min_strategi)
    known = set(nik.dropna()) | set(sk["nik"].dropna())
    per_nik, masalah = resolve_keberadaan(tables["verifikasi"], date.date(), known_nik=known)
    per_nik = per_nik.set_index("nik")
    found_by = nik.where(nik.isin(per_nik.index), m["nik"].where(m["nik"].isin(per_nik.index)))
    record = per_nik.reindex(pd.Index(found_by, dtype="string"))
    keberadaan = pd.Series(record["status_keberadaan"].to_numpy(), dtype="string").fillna(BELUM_DIVERIFIKASI)
    tanggal_verifikasi = pd.Series(pd.to_datetime(record["tanggal_verifikasi"]).to_numpy()).astype(schemas.DATE)
    perlu = v.perlu_tindakan(status_desil, intervention["status_intervensi"], keberadaan)
    status = pd.DataFrame(
        {
            "id_sasaran": m["id_sasaran"].astype("string"),
            "nik_sk": m["nik"].astype("string"),
            "nik": nik,
            "nama": m["nama"].astype("string"),
            **{c: region(c) for c in ("kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa")},
            "alamat": _alamat(m, tables),
            "id_keluarga": m["p3ke_id_keluarga"].astype("string"),
            "id_individu": m["p3ke_id_individu"].astype("string"),
            "metode_padan": m["metode_padan"].astype("string"),
            "skor_padan": m["skor_padan"].astype("Float64"),
            "desil": desil,
            "status_desil": status_desil,
            **intervention,
            "status_keberadaan": keberadaan,
            "tanggal_verifikasi": tanggal_verifikasi,
            "perlu_tindakan": perlu.fillna(False).astype(bool),
        }
    )
    return schemas.validate("status_sasaran", status), masalah


def compute_status(tables: dict[str, Any], report_date: object, min_strategi: int) -> pd.DataFrame:
    """One row per SK person with its statuses at ``report_date`` (columns of ``status_sasaran``).

    ``tables``: the processed tables by name (``sk``, ``p3ke_individu``, ``intervensi``, ``verifikasi``,
    optionally ``p3ke_keluarga``) and, optionally, ``padan``: the :class:`~helpers.matching.MatchResult`
    (computed with the default ``ambang_fuzzy`` when absent)."""
    return compute_status_detail(tables, report_date, min_strategi)[0]


# ---------------------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------------------


def headline(status: pd.DataFrame) -> dict[str, int]:
    """The kabupaten-level counts of ``summary.json`` for a status table."""
    still = status["status_desil"] == "masih_desil1"
    belum = still & (status["status_intervensi"] == "belum_optimal")
    return {
        "sasaran_sk": int(len(status)),
        "keluar_desil1": int((status["status_desil"] == "keluar_desil1").sum()),
        "masih_desil1": int(still.sum()),
        "intervensi_optimal": int((still & (status["status_intervensi"] == "optimal")).sum()),
        "intervensi_belum_optimal": int(belum.sum()),
        "belum_optimal_masih_ada": int((belum & (status["status_keberadaan"] == "ada")).sum()),
        "belum_optimal_meninggal": int((belum & (status["status_keberadaan"] == "meninggal")).sum()),
    }


def padan_counts(status: pd.DataFrame) -> dict[str, int]:
    counts = status["metode_padan"].value_counts()
    return {m: int(counts.get(m, 0)) for m in v.METODE_PADAN}


def per_kecamatan(status: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> list[dict[str, Any]]:
    """One entry per kecamatan of the kabupaten (zeros included), sorted by code."""
    rows = []
    for kode, nama, penduduk in kecamatan_table(kode_kabupaten)[["kode", "nama", "penduduk"]].itertuples(index=False):
        fig = headline(status[status["kode_kecamatan"] == kode])
        pop = None if pd.isna(penduduk) else int(penduduk)
        rate = round(1000 * fig["masih_desil1"] / pop, 3) if pop else None
        rows.append(
            {
                "kode": str(kode),
                "nama": str(nama),
                "sasaran_sk": fig["sasaran_sk"],
                "keluar_desil1": fig["keluar_desil1"],
                "masih_desil1": fig["masih_desil1"],
                "intervensi_optimal": fig["intervensi_optimal"],
                "intervensi_belum_optimal": fig["intervensi_belum_optimal"],
                "penduduk": pop,
                "masih_desil1_per_1000": rate,
            }
        )
    return rows


def verification_dates(verifikasi: pd.DataFrame, report_date: object) -> list[pd.Timestamp]:
    """Distinct verification dates on or before the report date, in order (one round each)."""
    dates = pd.to_datetime(verifikasi["tanggal_verifikasi"]).dropna()
    return sorted(d.normalize() for d in dates[dates <= to_timestamp(report_date)].unique())


def round_figures(status: pd.DataFrame) -> dict[str, int]:
    """Verification state among the people still in desil 1 (one round of ``per_putaran``)."""
    still = status[status["status_desil"] == "masih_desil1"]
    counts = still["status_keberadaan"].value_counts()
    return {
        "diverifikasi": int((still["status_keberadaan"] != BELUM_DIVERIFIKASI).sum()),
        "ada": int(counts.get("ada", 0)),
        "meninggal": int(counts.get("meninggal", 0)),
        "pindah": int(counts.get("pindah", 0)),
        "tidak_ditemukan": int(counts.get("tidak_ditemukan", 0)),
        "perlu_tindakan": int(status["perlu_tindakan"].sum()),
    }


ROUND_COLUMNS = ["id_sasaran", "kode_kecamatan", "kode_desa", "status_desil", "status_intervensi",
                 "status_keberadaan", "perlu_tindakan"]


def status_per_round(tables: dict[str, Any], report_date: object, min_strategi: int) -> pd.DataFrame:
    """The statuses of every SK person at each verification round (distinct date <= report date), long format:
    ``putaran``, ``tanggal`` and :data:`ROUND_COLUMNS`. Written as ``status_putaran.parquet`` so that kecamatan
    reports can chart their own rounds."""
    tables = {**tables, "padan": _match_of(tables)}
    frames = [
        compute_status(tables, date.date(), min_strategi)[ROUND_COLUMNS].assign(
            putaran=number, tanggal=date.date().isoformat()
        )
        for number, date in enumerate(verification_dates(tables["verifikasi"], report_date), start=1)
    ]
    if not frames:
        return pd.DataFrame(columns=["putaran", "tanggal", *ROUND_COLUMNS])
    return pd.concat(frames, ignore_index=True)[["putaran", "tanggal", *ROUND_COLUMNS]]


def per_putaran(rounds: pd.DataFrame) -> list[dict[str, Any]]:
    """``summary.json``'s ``per_putaran``: per round, the verification state among people still in desil 1."""
    return [
        {"putaran": int(number), "tanggal": str(date), **round_figures(group)}
        for (number, date), group in rounds.groupby(["putaran", "tanggal"], sort=True)
    ]


def build_summary(
    status: pd.DataFrame,
    report_date: object,
    ringkasan: dict[str, Any],
    rounds: list[dict[str, Any]],
    kode_kabupaten: str = KODE_KABUPATEN,
) -> dict[str, Any]:
    """``summary.json`` as a dict with exactly :data:`SUMMARY_KEYS` (plain ints and strings, sorted)."""
    fig = headline(status)
    summary = {
        "tanggal_laporan": to_date(report_date).isoformat(),
        "sasaran_sk": fig["sasaran_sk"],
        "padan": padan_counts(status),
        **{k: fig[k] for k in SUMMARY_KEYS if k in fig and k != "sasaran_sk"},
        "baris_masuk": {k: int(v["baris_masuk"]) for k, v in sorted(ringkasan.items())},
        "baris_karantina": {k: int(v["baris_karantina"]) for k, v in sorted(ringkasan.items())},
        "baris_duplikat": {k: int(v["baris_duplikat"]) for k, v in sorted(ringkasan.items())},
        "per_kecamatan": per_kecamatan(status, kode_kabupaten),
        "per_putaran": rounds,
    }
    summary = {k: summary[k] for k in SUMMARY_KEYS}
    if sum(summary["padan"].values()) != summary["sasaran_sk"]:
        raise RuntimeError("Jumlah metode padan tidak sama dengan jumlah sasaran SK (kesalahan program).")
    return summary


def parameter_run(report_date: object, ambang_fuzzy: float, min_strategi: int) -> dict[str, Any]:
    """The parameters in force, with the definition of "optimal" that reports print."""
    return {
        "report_date": to_date(report_date).isoformat(),
        "ambang_fuzzy": float(ambang_fuzzy),
        "min_strategi": int(min_strategi),
        "definisi_optimal": definisi_optimal(min_strategi),
    }


def status_counts(status: pd.DataFrame) -> pd.DataFrame:
    """Counts of each status column's values, long format (``kolom``, ``nilai``, ``jumlah``), for the notebook."""
    frames = []
    for column in ("metode_padan", "status_desil", "status_intervensi", "status_keberadaan", "perlu_tindakan"):
        counts = status[column].astype(str).value_counts().sort_index()
        frames.append(pd.DataFrame({"kolom": column, "nilai": counts.index, "jumlah": counts.to_numpy()}))
    return pd.concat(frames, ignore_index=True)


HEADLINE_LABELS = {
    "sasaran_sk": "Sasaran SK Bupati",
    "keluar_desil1": "Keluar dari desil 1",
    "masih_desil1": "Masih di desil 1",
    "intervensi_optimal": "Masih desil 1, intervensi optimal",
    "intervensi_belum_optimal": "Masih desil 1, intervensi belum optimal",
    "belum_optimal_masih_ada": "  - belum optimal, masih ada",
    "belum_optimal_meninggal": "  - belum optimal, meninggal",
}


def headline_table(summary: dict[str, Any]) -> pd.DataFrame:
    """The headline figures of ``summary.json`` with Indonesian labels, for the notebook."""
    return pd.DataFrame({"uraian": list(HEADLINE_LABELS.values()), "jumlah": [summary[k] for k in HEADLINE_LABELS]})


def naive_comparison(processed_dir: str | Path, summary: dict[str, Any]) -> pd.DataFrame:
    """A naive join on raw NIK text (``padan_naif.json``, written by the cleaning) next to the real matching."""
    from helpers.cleaning.tables import NAIVE_FILE

    naive = json.loads((Path(processed_dir) / NAIVE_FILE).read_text(encoding="utf-8"))
    padan = summary["padan"]
    rows = {
        "Sasaran SK": (naive["sasaran_sk"], summary["sasaran_sk"]),
        "Padan (ditemukan di P3KE)": (naive["padan"], padan["nik"] + padan["fuzzy"]),
        "Tidak padan / perlu tinjau": (naive["tidak_padan"], padan["tinjau_manual"] + padan["tidak_padan"]),
        "Keluar dari desil 1": (naive["keluar_desil1"], summary["keluar_desil1"]),
        "Masih di desil 1": (naive["masih_desil1"], summary["masih_desil1"]),
    }
    return pd.DataFrame(
        [(k, a, b) for k, (a, b) in rows.items()],
        columns=["uraian", "gabung NIK mentah (naif)", "padu padan (NIK dinormalkan + nama)"],
    )


# ---------------------------------------------------------------------------------------------------------
# Running and writing
# ---------------------------------------------------------------------------------------------------------


@dataclass
class StatusRun:
    status: pd.DataFrame
    summary: dict[str, Any]
    parameters: dict[str, Any]
    match: MatchResult
    masalah: pd.DataFrame
    paths: list[Path] = field(default_factory=list)


def keberadaan_review(masalah: pd.DataFrame) -> pd.DataFrame:
    """The verification rows to look at, NIK masked."""
    out = masalah.copy()
    out["nik"] = mask_series(out["nik"])
    return out.rename(columns={"nik": "nik_tersamar"})


def run_status(
    processed_dir: str | Path,
    report_date: object,
    ambang_fuzzy: float = DEFAULT_AMBANG,
    min_strategi: int = 2,
    kode_kabupaten: str = KODE_KABUPATEN,
    tables: dict[str, pd.DataFrame] | None = None,
    write: bool = True,
) -> StatusRun:
    """Match, compute the statuses at ``report_date`` and write ``status_sasaran.parquet``, ``summary.json``,
    ``parameter_run.json`` and the review lists under ``tinjau/``."""
    processed_dir = Path(processed_dir)
    date = to_date(report_date)
    tables = dict(tables) if tables is not None else read_tables(processed_dir)
    run_id = runs.clean_run_id(processed_dir) if write else None  # the cleaning run consumed, carried forward
    match = match_sk(tables["sk"], tables["p3ke_individu"], ambang_fuzzy)
    tables["padan"] = match
    status, masalah = compute_status_detail(tables, date, min_strategi)
    rounds = status_per_round(tables, date, min_strategi)
    summary = build_summary(status, date, read_ringkasan(processed_dir), per_putaran(rounds), kode_kabupaten)
    parameters = parameter_run(date, ambang_fuzzy, min_strategi)
    run = StatusRun(status, summary, parameters, match, masalah)
    if write:
        runs.start_step(processed_dir, runs.MATCH_STEP, run_id, run_id_pembersihan=run_id)
        run.paths.append(outputs.write_parquet(status, processed_dir / STATUS_FILE, run_id))
        run.paths.append(outputs.write_parquet(rounds, processed_dir / ROUNDS_FILE, run_id))
        run.paths.append(outputs.write_json(summary, processed_dir / SUMMARY_FILE))
        run.paths.append(outputs.write_json(parameters, processed_dir / PARAMETER_FILE))
        run.paths.extend(write_review(match, tables["sk"], tables["p3ke_individu"], processed_dir))
        review = processed_dir / "tinjau" / KEBERADAAN_REVIEW_FILE
        run.paths.append(outputs.write_csv(keberadaan_review(masalah), review))
        runs.finish_step(processed_dir, runs.MATCH_STEP, run_id, run.paths)
    return run


def read_summary(processed_dir: str | Path) -> dict[str, Any]:
    return json.loads((Path(processed_dir) / SUMMARY_FILE).read_text(encoding="utf-8"))


__all__ = [
    "build_summary",
    "compute_status",
    "compute_status_detail",
    "definisi_optimal",
    "intervention_status",
    "per_putaran",
    "run_status",
    "status_per_round",
]
