"""What a report computes from its data (:class:`~helpers.publishing.report_data.ReportData`): headline figures,
the funnel's boxes, verification rounds, the ranking of areas, the deprivation profile, possible exclusion errors
and the cases needing action. Plain numbers and tables; the words are :mod:`helpers.publishing.prose`'s and
:mod:`helpers.publishing.sections`'s, the charts :mod:`helpers.publishing.charts`'s.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import pandas as pd

from helpers import vocabulary as v
from helpers.cleaning.nik import mask_series
from helpers.config import DATA_PACKAGE_DIR, KODE_KABUPATEN
from helpers.dates import to_date
from helpers.publishing import maps
from helpers.reading.contract import INPUTS
from helpers.reference.wilayah import sk_name
from helpers.statuses import register as register_mod
from helpers.statuses.classify import headline, per_putaran, round_figures
from helpers.vocabulary import INTERVENSI_LABELS, KEBERADAAN_LABELS, alasan_didatangi

if TYPE_CHECKING:
    from helpers.publishing.report_data import ReportData

DEPRIVATION_FILE = DATA_PACKAGE_DIR / "deprivasi.csv"


# --------------------------------------------------------------------------- headline figures


def field_work(status: pd.DataFrame) -> dict[str, int]:
    """People on the camat's verification form per reason (:data:`helpers.vocabulary.ALASAN_DIDATANGI`)."""
    alasan = alasan_didatangi(status["status_desil"], status["perlu_tindakan"]).value_counts()
    return {code: int(alasan.get(code, 0)) for code in v.ALASAN_DIDATANGI}


def figures(status: pd.DataFrame) -> dict:
    """Headline counts of a set of SK people (the kabupaten or one kecamatan): the ``summary.json`` keys plus
    action, matching, verification and field-work counts. ``belum_optimal_lainnya``: the not-optimal who are
    neither "ada" nor "meninggal" (moved, not found, not yet verified), so that the funnel adds up."""
    fig = headline(status)
    work = field_work(status)
    return {
        **fig,
        "belum_optimal_lainnya": fig["intervensi_belum_optimal"] - fig["belum_optimal_masih_ada"]
        - fig["belum_optimal_meninggal"],
        "perlu_tindakan": int(status["perlu_tindakan"].sum()),
        "tidak_padan": int((status["status_desil"] == v.TIDAK_PADAN).sum()),
        "tinjau_manual": int((status["status_desil"] == v.TINJAU_MANUAL).sum()),
        "diverifikasi": round_figures(status)["diverifikasi"],
        "formulir": sum(work.values()),
        **{f"formulir_{code}": n for code, n in work.items()},
    }


def days_left(report_date: str, target_date: str) -> int:
    return (to_date(target_date) - to_date(report_date)).days


def register_name(data: ReportData) -> str:
    """The register the report's statuses come from, as reports name it ("P3KE 2024", "DTSEN 2025")."""
    return register_mod.run_label(data.run)


def short_name(label: str) -> str:
    """"P3KE 2024" -> "P3KE": the register without its year, where a sentence names the source of a record."""
    return label.split()[0]


def funnel_levels(fig: dict, label: str = v.P3KE_LABEL, kode_kabupaten: str = KODE_KABUPATEN
                  ) -> list[tuple[str, str, int, str]]:  # fmt: skip
    """The funnel's boxes (key, label, value, parent key), level by level. The children of a box add up to it:
    SK = keluar + masih (+ belum padan); masih = optimal + belum optimal + belum diintervensi; belum optimal =
    masih ada + meninggal (+ status lain). Boxes in brackets are shown only when they are not zero. ``label``:
    the register (:func:`register_name`)."""
    unmatched = fig["sasaran_sk"] - fig["keluar_desil1"] - fig["masih_desil1"]
    boxes = [
        ("sasaran_sk", f"Sasaran {sk_name(kode_kabupaten)}", fig["sasaran_sk"], ""),
        ("keluar_desil1", "Keluar dari desil 1", fig["keluar_desil1"], "sasaran_sk"),
        ("masih_desil1", "Masih di desil 1", fig["masih_desil1"], "sasaran_sk"),
        *([("belum_padan", f"Belum padan {short_name(label)}", unmatched, "sasaran_sk")] if unmatched else []),
        ("intervensi_optimal", "Intervensi optimal", fig["intervensi_optimal"], "masih_desil1"),
        ("intervensi_belum_optimal", "Intervensi belum optimal", fig["intervensi_belum_optimal"], "masih_desil1"),
        ("belum_intervensi", "Belum diintervensi", fig["belum_intervensi"], "masih_desil1"),
        ("belum_optimal_masih_ada", "Masih ada", fig["belum_optimal_masih_ada"], "intervensi_belum_optimal"),
        ("belum_optimal_meninggal", "Meninggal", fig["belum_optimal_meninggal"], "intervensi_belum_optimal"),
    ]
    other = fig["intervensi_belum_optimal"] - fig["belum_optimal_masih_ada"] - fig["belum_optimal_meninggal"]
    if other:
        boxes.append(("belum_optimal_lainnya", "Status lain*", other, "intervensi_belum_optimal"))
    return boxes


def rounds_for(data: ReportData) -> list[dict]:
    """Per-round figures: the summary's for the kabupaten, recounted from ``status_putaran`` for a kecamatan."""
    if not data.kode:
        return data.summary.get("per_putaran", [])
    return per_putaran(data.rounds) if len(data.rounds) else []


# --------------------------------------------------------------------------- areas, families, people


def ranking(data: ReportData) -> pd.DataFrame:
    """Kecamatan ranked by people still in desil 1 per 1,000 inhabitants, or the desa of one kecamatan ranked
    by people still in desil 1 (zeros included)."""
    kode_kabupaten = data.kode_kabupaten
    if data.kode:
        metrics = maps.map_metrics(data.status_all, "desa", data.kode, kode_kabupaten)
        order = ["masih_desil1", "perlu_tindakan", "kode"]
    else:
        metrics = maps.map_metrics(data.status_all, "kecamatan", None, kode_kabupaten, data.raw_dir)
        order = ["masih_desil1_per_1000", "masih_desil1", "kode"]
    ranked = metrics.sort_values(order, ascending=[False, False, True], ignore_index=True)
    ranked.insert(0, "peringkat", range(1, len(ranked) + 1))
    return ranked


@cache
def deprivation_rules() -> pd.DataFrame:
    """The editable deprivation rules (``data/deprivasi.csv``): column, label, pattern, strategy."""
    return pd.read_csv(DEPRIVATION_FILE)


def deprivation_profile(keluarga: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Share of the families of SK people still in desil 1 with each deprivation, and the strategy it calls for."""
    rules = deprivation_rules()
    families = status.loc[status["status_desil"] == "masih_desil1", "id_keluarga"].dropna().unique()
    chosen = keluarga[keluarga["id_keluarga"].isin(families)]
    rows = []
    for rule in rules.itertuples():
        if rule.kolom not in chosen.columns:
            continue
        values = chosen[rule.kolom].astype("string").str.lower()
        bad = values.str.contains(rule.pola_buruk, regex=True, na=False)
        known = values.notna().sum()
        rows.append(
            {
                "indikator": rule.indikator,
                "keluarga": int(bad.sum()),
                "persen": float(bad.sum() / known * 100) if known else 0.0,
                "strategi": rule.strategi,
                "program_contoh": rule.program_contoh,
            }
        )
    return pd.DataFrame(rows, columns=["indikator", "keluarga", "persen", "strategi", "program_contoh"])


def exclusion_candidates(individu: pd.DataFrame, status: pd.DataFrame, kode_kecamatan: str = "") -> pd.DataFrame:
    """P3KE desil-1 people not on the SK list, by kecamatan or by desa (possible exclusion errors).

    An individual is on the SK list when it was matched to an SK person (by ``id_individu`` when the P3KE
    export has it, else by NIK)."""
    key = "id_individu" if "id_individu" in individu.columns and individu["id_individu"].notna().all() else "nik"
    matched = set(status[key].dropna())
    desil1 = individu[(individu["desil"] == 1) & ~individu[key].isin(matched)]
    by = "kode_desa" if kode_kecamatan else "kode_kecamatan"
    if kode_kecamatan:
        desil1 = desil1[desil1["kode_kecamatan"] == kode_kecamatan]
    names = "nama_desa" if kode_kecamatan else "nama_kecamatan"
    table = desil1.groupby([by, names]).size().rename("jumlah").reset_index().sort_values("jumlah", ascending=False)
    return table.rename(columns={by: "kode", names: "nama"})


def cases_needing_action(status: pd.DataFrame, mask_pii: bool = True) -> pd.DataFrame:
    """People still in desil 1 that need action (not optimal, not deceased/moved), masked for sharing."""
    cases = status[status["perlu_tindakan"]].sort_values(["nama_desa", "nama"])
    nik = mask_series(cases["nik"]) if mask_pii else cases["nik"]
    return pd.DataFrame(
        {
            "NIK": nik.to_numpy(),
            "Nama": cases["nama"].to_numpy(),
            "Desa/Kelurahan": cases["nama_desa"].to_numpy(),
            "Status intervensi": cases["status_intervensi"].map(INTERVENSI_LABELS).to_numpy(),
            "Keberadaan": cases["status_keberadaan"].map(KEBERADAAN_LABELS).to_numpy(),
            "Program diterima": cases["program_diterima"].fillna("–").to_numpy(),
        }
    )


def inputs_without_rows(summary: dict) -> list[str]:
    """Indonesian names of the optional inputs that had no row at all (absent from the raw folder)."""
    read = summary["baris_masuk"]
    return [spec.label for name, spec in INPUTS.items() if spec.may_be_absent and name in read and not read[name]]
