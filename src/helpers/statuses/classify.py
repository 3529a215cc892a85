"""The status of each SK person at a report date, and ``summary.json``.

For each person of the SK list (SK Bupati, or SK Wali Kota for a kota) (one row of ``status_sasaran``):

- ``status_desil``: ``keluar_desil1`` (matched, P3KE desil > 1), ``masih_desil1`` (matched, desil 1),
  ``tinjau_manual`` or ``tidak_padan`` (not matched; see :mod:`helpers.matching`);
- ``status_intervensi`` from the intervention records dated on or before the report date, filed under any NIK of
  the person (:func:`person_niks`): an OPD's explicit status wins (that of the latest record that has one;
  on the same date ``belum_optimal`` wins over ``optimal``, and both records are listed in
  ``tinjau/intervensi_masalah.csv``); otherwise ``optimal`` when the records cover at
  least ``min_strategi`` distinct strategies, else ``belum_optimal``; no record -> ``belum_intervensi``;
- ``status_keberadaan`` from the verification records (:func:`helpers.verifikasi.resolve_keberadaan`), else
  ``belum_diverifikasi``;
- ``perlu_tindakan``: still in desil 1, not optimally intervened, and not deceased or moved away.

The funnel adds up: ``masih_desil1 = intervensi_optimal + intervensi_belum_optimal + belum_intervensi`` (checked
by :func:`build_summary`, for the kabupaten and each kecamatan).

Records that do not count are listed and counted (``summary.json`` ``diabaikan``): interventions of SK people
dated after the report date or overruled on the same day (:func:`intervention_review`), verification rows not used
(:func:`helpers.statuses.verifikasi.ignored_counts`). ``summary.json`` also gives the newest record date and the
run's warnings (a report date more than a year after it: :func:`helpers.guards.report_date_warning`).

Verification rounds (:func:`verification_rounds`) are sweep windows, not dates: records carrying a form round
number (``putaran``) form that round; other records are grouped by the ISO week of their date.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import catalog, guards, runs
from helpers import vocabulary as v
from helpers.cleaning import schemas
from helpers.cleaning.nik import mask_frame, mask_series
from helpers.cleaning.processed import read_ringkasan, read_tables
from helpers.cleaning.schemas import TINGKAT_COLUMNS
from helpers.config import KODE_KABUPATEN
from helpers.dates import dmy, to_date, to_timestamp
from helpers.matching import charts
from helpers.matching.linkage import AMBANG_PADAN, AMBANG_TINJAU
from helpers.matching.padan import MatchResult, match_sk, matched_frame, write_review
from helpers.params import DEFAULTS
from helpers.reference.wilayah import for_kabupaten, kecamatan_table
from helpers.statuses import history, perbandingan, rekomendasi
from helpers.statuses import register as registers
from helpers.statuses.verifikasi import ignored_counts, resolve_keberadaan
from helpers.vocabulary import BELUM_DIVERIFIKASI, STRATEGI

SUMMARY_KEYS = (
    "tanggal_laporan", "sasaran_sk", "padan", "keluar_desil1", "masih_desil1", "intervensi_optimal",
    "intervensi_belum_optimal", "belum_intervensi", "belum_optimal_masih_ada", "belum_optimal_meninggal",
    "perlu_tindakan", "diverifikasi", "meninggal", "baris_masuk", "baris_karantina", "baris_duplikat",
    "catatan_ganda", "diabaikan", "tanggal_catatan_terbaru", "peringatan", "per_kecamatan", "per_putaran",
    "putaran_berikutnya",
)  # fmt: skip
KECAMATAN_KEYS = (
    "kode", "nama", "sasaran_sk", "keluar_desil1", "masih_desil1", "intervensi_optimal", "intervensi_belum_optimal",
    "belum_intervensi", "perlu_tindakan", "diverifikasi", "meninggal", "penduduk", "masih_desil1_per_1000",
)  # fmt: skip
#: The three parts of ``masih_desil1`` (by ``status_intervensi``): they add up to it, nothing lost or double-counted.
FUNNEL_PARTS = ("intervensi_optimal", "intervensi_belum_optimal", "belum_intervensi")
ROUND_KEYS = ("putaran", "nama_putaran", "periode_awal", "periode_akhir", "tanggal")
PUTARAN_KEYS = (*ROUND_KEYS, "masih_desil1", "diverifikasi", "ada", "meninggal", "pindah", "tidak_ditemukan",
                "perlu_tindakan")  # fmt: skip
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


def person_niks(
    matched: pd.DataFrame, register_nik: pd.Series, verifikasi: pd.DataFrame, report_date: object
) -> pd.DataFrame:
    """The NIKs under which each SK person's intervention records are filed (``id_sasaran``, ``nik``; one row per
    person and NIK).

    - Every person: the matched register person's NIK, else the SK NIK (a person not matched has no other),
      unless that is the NIK of a register person matched to another SK person (an Excel-truncated NIK sent to
      review that is a twin's: the twin's records are the twin's).
    - A person whose match is accepted (``p3ke_index`` set: ``nik``, ``probabilistik`` or ``keputusan_manual``),
      also: the SK NIK (an OPD that copied the NIK from the SK list, typo or Excel damage included) and the NIKs a
      camat found in the field (``nik_temuan`` of the person's verification rows dated on or before the report
      date).

    Such an additional NIK is left out when it belongs to someone else: the NIK of another register person (an
    Excel-truncated or borrowed NIK is that person's, and so are the records under it), or a NIK that two accepted
    persons claim (the records under it cannot be told apart)."""
    date = to_timestamp(report_date)
    ids = matched["id_sasaran"].astype("string")
    accepted = matched["p3ke_index"].notna().to_numpy(bool)
    own = matched["p3ke_nik"].where(accepted & matched["p3ke_nik"].notna(), matched["nik"]).astype("string")
    base = pd.DataFrame({"id_sasaran": ids, "nik": own})
    base = base[accepted | ~_isin(own, set(own[accepted].dropna()))]
    sk_nik = pd.DataFrame({"id_sasaran": ids[accepted], "nik": matched["nik"].astype("string")[accepted]})
    extra = [sk_nik]
    if "nik_temuan" in verifikasi.columns:
        rows = verifikasi[
            verifikasi["nik_temuan"].notna().to_numpy(bool)
            & (pd.to_datetime(verifikasi["tanggal_verifikasi"]) <= date).fillna(False).to_numpy(bool)
        ]
        # the person's verification rows: under its register NIK or its SK NIK (the NIK printed on the form)
        printed = pd.concat([base[base["id_sasaran"].isin(set(ids[accepted]))], sk_nik]).dropna().drop_duplicates()
        found = rows[["nik", "nik_temuan"]].astype("string").merge(printed, on="nik")
        extra.append(found[["id_sasaran", "nik_temuan"]].rename(columns={"nik_temuan": "nik"}))
    extra = pd.concat(extra, ignore_index=True).dropna().drop_duplicates()
    extra = extra[extra["nik"].ne(extra["id_sasaran"].map(dict(zip(ids, own)))).fillna(True).to_numpy(bool)]
    held = set(register_nik[register_nik.isin(list(extra["nik"])).fillna(False).to_numpy(bool)].dropna())
    extra = extra[~_isin(extra["nik"], held)]
    claimed = extra.groupby("nik")["id_sasaran"].transform("nunique")
    extra = extra[claimed.to_numpy() == 1]
    keys = pd.concat([base.dropna(), extra], ignore_index=True).drop_duplicates(ignore_index=True)
    return keys.astype("string")


def records_per_person(intervensi: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """The intervention records of each person of ``keys`` (:func:`person_niks`), each record once per person (a
    record found under two of the person's NIKs, or the same intervention filed under two of them, counts once),
    with ``nik`` holding the person's ``id_sasaran`` so that :func:`intervention_status` reads them per person."""
    same = ["opd", "program", "tanggal_intervensi", "strategi", "status_opd"]
    records = intervensi.astype({"nik": "string"}).merge(keys, on="nik").drop(columns="nik")
    records = records.drop_duplicates(["id_sasaran", *[c for c in same if c in records.columns]])
    return records.rename(columns={"id_sasaran": "nik"}).reset_index(drop=True)


JENIS_TANGGAL_SESUDAH_LAPORAN = "tanggal_sesudah_laporan"
JENIS_STATUS_OPD_BERTENTANGAN = "status_opd_bertentangan"
JENIS_NIK_BUKAN_SASARAN = "nik_bukan_sasaran"
INTERVENSI_REVIEW_COLUMNS = ["nik_tersamar", "opd", "program", "tanggal_intervensi", "status_opd", "sumber_file",
                             "baris_sumber", "jenis", "dipakai", "pesan"]  # fmt: skip
_STATUS_OPD_LABELS = v.STATUS_OPD_LABELS


def intervention_review(intervensi: pd.DataFrame, nik: pd.Series, report_date: object) -> pd.DataFrame:
    """``tinjau/intervensi_masalah.csv``: intervention records of the SK people (``nik``: the NIKs statuses are
    computed for) that do not count as written, one row per record (:data:`INTERVENSI_REVIEW_COLUMNS`):

    - ``tanggal_sesudah_laporan``: dated after the report date, not used for this report (a mistyped year?);
    - ``status_opd_bertentangan``: on one date the OPD statuses of one NIK say both Optimal and Belum Optimal
      (any programme): every record of the group is listed; Belum Optimal is used (:func:`intervention_status`),
      ``dipakai`` says which record's status counted;
    - ``nik_bukan_sasaran``: a filled row of an OPD's BNBA workbook (``id_sasaran_formulir`` set) whose NIK is no
      NIK of any SK person (changed in the workbook, or the person left the SK): not used.
    """
    date = to_timestamp(report_date)
    ours = _isin(intervensi["nik"], nik)
    mine = intervensi[ours]
    form_rows = intervensi["id_sasaran_formulir"].notna() if "id_sasaran_formulir" in intervensi.columns else False
    foreign = intervensi[(form_rows & intervensi["tanggal_intervensi"].notna()).to_numpy(bool) & ~ours]
    dates = mine["tanggal_intervensi"]
    later = mine[(dates > date).fillna(False).to_numpy(bool)]
    explicit = mine[(dates <= date).fillna(False).to_numpy(bool) & mine["status_opd"].notna().to_numpy(bool)]
    statuses = explicit.groupby(["nik", "tanggal_intervensi"])["status_opd"].transform("nunique")
    contested = explicit[(statuses > 1).to_numpy(bool)].sort_values(["nik", "tanggal_intervensi", "sumber_file",
                                                                      "baris_sumber"], kind="stable")  # fmt: skip

    shown = pd.Series([f"{_STATUS_OPD_LABELS[s]} ({f} baris {r})" for s, f, r in
                       zip(contested["status_opd"], contested["sumber_file"], contested["baris_sumber"])],
                      index=contested.index, dtype="string")  # fmt: skip
    group = shown.groupby([contested["nik"], contested["tanggal_intervensi"]]).transform("; ".join) if len(shown) else shown
    laporan = dmy(date)

    def listed(rows: pd.DataFrame, jenis: str, dipakai: pd.Series, pesan: pd.Series) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "nik_tersamar": mask_series(rows["nik"].astype("string")),
                "opd": rows["opd"].astype("string"),
                "program": rows["program"].astype("string"),
                "tanggal_intervensi": rows["tanggal_intervensi"].dt.strftime("%d/%m/%Y").astype("string"),
                "status_opd": rows["status_opd"].astype("string"),
                "sumber_file": rows["sumber_file"].astype("string"),
                "baris_sumber": rows["baris_sumber"].astype("Int64"),
                "jenis": pd.Series(jenis, index=rows.index, dtype="string"),
                "dipakai": dipakai.astype("string"),
                "pesan": pesan.astype("string"),
            },
            columns=INTERVENSI_REVIEW_COLUMNS,
        )

    out = pd.concat(
        [
            listed(later, JENIS_TANGGAL_SESUDAH_LAPORAN, pd.Series("tidak", index=later.index),
                   "Tanggal intervensi " + later["tanggal_intervensi"].dt.strftime("%d/%m/%Y").astype("string")
                   + " sesudah tanggal "
                   f"laporan {laporan}: catatan tidak dipakai untuk laporan ini. Periksa apakah tanggalnya salah ketik."),
            listed(contested, JENIS_STATUS_OPD_BERTENTANGAN,
                   pd.Series(np.where(contested["status_opd"] == v.BELUM_OPTIMAL, "ya", "tidak"), index=contested.index),
                   "Status OPD bertentangan untuk NIK ini pada "
                   + contested["tanggal_intervensi"].dt.strftime("%d/%m/%Y").astype("string") + ": " + group
                   + ". Yang dipakai: Belum Optimal (pada tanggal yang sama Belum Optimal menang). "
                   "Pastikan ke OPD mana yang benar, lalu perbaiki file sumbernya."),
            listed(foreign, JENIS_NIK_BUKAN_SASARAN, pd.Series("tidak", index=foreign.index),
                   pd.Series("Baris formulir OPD dengan NIK yang bukan NIK sasaran SK mana pun (NIK diubah di "
                             "formulir, atau orangnya sudah tidak ada di SK): catatan tidak dipakai. Periksa baris ini "
                             "bersama OPD-nya.", index=foreign.index, dtype="string")),
        ],
        ignore_index=True,
    )  # fmt: skip
    return out.sort_values(["sumber_file", "baris_sumber", "jenis"], kind="stable", ignore_index=True)


def ignored_interventions(review: pd.DataFrame) -> dict[str, int]:
    """Intervention records (or their OPD status) not used, per kind (``summary.json`` ``diabaikan``)."""
    unused = review[review["dipakai"] == "tidak"]
    return {jenis: int((unused["jenis"] == jenis).sum())
            for jenis in (JENIS_TANGGAL_SESUDAH_LAPORAN, JENIS_STATUS_OPD_BERTENTANGAN, JENIS_NIK_BUKAN_SASARAN)}  # fmt: skip


def newest_record(tables: dict[str, Any]) -> pd.Timestamp | None:
    """The date of the newest intervention or verification record, whatever the report date (None without one)."""
    found = [pd.to_datetime(tables[name][column]).max() for name, column in
             (("intervensi", "tanggal_intervensi"), ("verifikasi", "tanggal_verifikasi")) if name in tables]
    found = [d for d in found if pd.notna(d)]
    return max(found) if found else None


# ---------------------------------------------------------------------------------------------------------
# Status per SK person
# ---------------------------------------------------------------------------------------------------------


#: Key under which :func:`_with_matched` keeps the matched frame, so that it is built once for all rounds.
_MATCHED = "_terpadan"


def _match_of(tables: dict[str, Any]) -> MatchResult:
    found = tables.get("padan")
    if isinstance(found, MatchResult):
        return found
    return match_sk(tables["sk"], tables["p3ke_individu"], tables.get("keputusan_padan"))


def _alamat(frame: pd.DataFrame, tables: dict[str, Any]) -> pd.Series:
    """SK address, else the P3KE family address of the matched person."""
    alamat = frame["alamat"].astype("string")
    keluarga = tables.get("p3ke_keluarga")
    if keluarga is None or keluarga.empty:
        return alamat
    by_family = keluarga.drop_duplicates("id_keluarga").set_index("id_keluarga")["alamat"]
    return alamat.fillna(frame["p3ke_id_keluarga"].map(by_family).astype("string"))


def _with_matched(tables: dict[str, Any]) -> dict[str, Any]:
    """``tables`` plus the SK joined to its matched P3KE rows (the same at every date), computed once."""
    if _MATCHED not in tables:
        matched = matched_frame(_match_of(tables), tables["sk"], tables["p3ke_individu"]).reset_index(drop=True)
        tables = {**tables, _MATCHED: matched}
    return tables


def received_per_person(tables: dict[str, Any], report_date: object) -> pd.DataFrame:
    """The intervention records dated on or before ``report_date`` of each SK person (filed under any of their
    NIKs, :func:`person_niks`), with ``id_sasaran``."""
    date = to_timestamp(report_date)
    tables = _with_matched(tables)
    keys = person_niks(tables[_MATCHED], tables["p3ke_individu"]["nik"], tables["verifikasi"], date)
    records = records_per_person(tables["intervensi"], keys).rename(columns={"nik": "id_sasaran"})
    return records[(records["tanggal_intervensi"] <= date).to_numpy(bool)].reset_index(drop=True)


def interventions_per_person(received: pd.DataFrame) -> pd.DataFrame:
    """``intervensi_sasaran.parquet``: :func:`received_per_person` reduced to what the OPD workbooks, pages and
    report sections read (:data:`helpers.cleaning.schemas.INTERVENSI_SASARAN`), one row per person and record."""
    columns = schemas.columns("intervensi_sasaran")
    frame = received.reindex(columns=columns).astype({c: "string" for c in columns if c != "tanggal_intervensi"})
    frame = frame.sort_values(["id_sasaran", "tanggal_intervensi", "opd", "program"], kind="stable", ignore_index=True)
    return schemas.validate("intervensi_sasaran", frame.astype({"tanggal_intervensi": schemas.DATE}))


def recommendations(tables: dict[str, Any], given: dict[str, Any], status: pd.DataFrame, report_date: object,
                    min_strategi: int, register: str, received: pd.DataFrame | None = None) -> pd.DataFrame:  # fmt: skip
    """:func:`helpers.statuses.rekomendasi.recommend` for the people of ``status`` needing action (``received``:
    :func:`received_per_person`, computed when not given)."""
    keluarga = given.get("p3ke_keluarga", pd.DataFrame(columns=["id_keluarga"]))
    p3ke = given.get("p3ke_individu") if register == v.DTSEN else None
    families = registers.families_by_register_key(keluarga, tables["p3ke_individu"], p3ke)
    wanted = status.loc[status["perlu_tindakan"].to_numpy(bool), "id_keluarga"]  # only their households
    members = tables["p3ke_individu"][["id_keluarga", "tanggal_lahir"]]
    needs = rekomendasi.household_needs(families[families["id_keluarga"].isin(wanted).to_numpy(bool)],
                                        members[members["id_keluarga"].isin(wanted).to_numpy(bool)], report_date)  # fmt: skip
    table = rekomendasi.programme_opd(tables["intervensi"])
    if received is None:
        received = received_per_person(tables, report_date)
    return rekomendasi.recommend(status, received, needs, table, min_strategi)


def compute_status_detail(
    tables: dict[str, Any], report_date: object, min_strategi: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(status_sasaran, masalah keberadaan) at ``report_date``; see :func:`compute_status`."""
    date = to_timestamp(report_date)
    sk = tables["sk"]
    m = tables.get(_MATCHED)
    if m is None:
        m = matched_frame(_match_of(tables), sk, tables["p3ke_individu"]).reset_index(drop=True)
    matched = m["p3ke_index"].notna()
    nik = m["p3ke_nik"].where(matched & m["p3ke_nik"].notna(), m["nik"]).astype("string")

    def region(column: str) -> pd.Series:
        return m[f"p3ke_{column}"].where(matched, m[column]).astype("string")

    desil = m["p3ke_desil"].where(matched).astype("Int64")
    status_desil = pd.Series(
        np.select(
            [(matched & (desil > 1)).fillna(False).to_numpy(bool), (matched & (desil == 1)).fillna(False).to_numpy(bool)],
            ["keluar_desil1", "masih_desil1"],
            np.where(m["metode_padan"].eq(v.TINJAU_MANUAL).to_numpy(bool), v.TINJAU_MANUAL, v.TIDAK_PADAN),
        ),
        dtype="string",
    )
    keys = person_niks(m, tables["p3ke_individu"]["nik"], tables["verifikasi"], date)
    # per person: the records filed under any of their NIKs, keyed by id_sasaran
    per_person = records_per_person(tables["intervensi"], keys)
    intervention = intervention_status(per_person, m["id_sasaran"].astype("string"), date, min_strategi)
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
            "probabilitas_padan": m["probabilitas_padan"].astype("Float64"),
            "bobot_padan": m["bobot_padan"].astype("Float64"),
            **{column: m[column].astype("string") for column in TINGKAT_COLUMNS},
            "alasan_padan": m["alasan"].astype("string").replace("", pd.NA),
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
    (computed with the default thresholds when absent)."""
    return compute_status_detail(tables, report_date, min_strategi)[0]


# ---------------------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------------------


def headline(status: pd.DataFrame) -> dict[str, int]:
    """The kabupaten-level counts of ``summary.json`` for a status table. ``masih_desil1`` is split by
    ``status_intervensi`` into :data:`FUNNEL_PARTS` (they add up); ``belum_optimal_masih_ada`` and
    ``belum_optimal_meninggal`` are the seed's split of the not-optimal by presence."""
    still = (status["status_desil"] == v.MASIH_DESIL1).to_numpy(bool)
    intervensi = status["status_intervensi"]
    belum = still & (intervensi == v.BELUM_OPTIMAL).to_numpy(bool)
    return {
        "sasaran_sk": int(len(status)),
        "keluar_desil1": int((status["status_desil"] == v.KELUAR_DESIL1).sum()),
        "masih_desil1": int(still.sum()),
        "intervensi_optimal": int((still & (intervensi == v.OPTIMAL).to_numpy(bool)).sum()),
        "intervensi_belum_optimal": int(belum.sum()),
        "belum_intervensi": int((still & (intervensi == v.BELUM_INTERVENSI).to_numpy(bool)).sum()),
        "belum_optimal_masih_ada": int((belum & (status["status_keberadaan"] == v.ADA).to_numpy(bool)).sum()),
        "belum_optimal_meninggal": int((belum & (status["status_keberadaan"] == v.MENINGGAL).to_numpy(bool)).sum()),
    }


def funnel_gap(figures: dict[str, Any]) -> int:
    """``masih_desil1`` minus the sum of its :data:`FUNNEL_PARTS` (0 when the funnel adds up)."""
    return int(figures["masih_desil1"]) - sum(int(figures[k]) for k in FUNNEL_PARTS)


def padan_counts(status: pd.DataFrame) -> dict[str, int]:
    counts = status["metode_padan"].value_counts()
    return {m: int(counts.get(m, 0)) for m in v.METODE_PADAN}


def per_kecamatan(
    status: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN, raw_dir: str | Path | None = None
) -> list[dict[str, Any]]:
    """One entry per kecamatan of the kabupaten (zeros included), sorted by code; ``penduduk`` and the rate are
    None where no population figure is known (the user's table in ``raw_dir`` adds figures)."""
    rows = []
    table = kecamatan_table(kode_kabupaten, raw_dir)
    for kode, nama, penduduk in table[["kode", "nama", "penduduk"]].itertuples(index=False):
        part = status[status["kode_kecamatan"] == kode]
        fig, field = headline(part), round_figures(part)
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
                "belum_intervensi": fig["belum_intervensi"],
                **{key: field[key] for key in ("perlu_tindakan", "diverifikasi", "meninggal")},
                "penduduk": pop,
                "masih_desil1_per_1000": rate,
            }
        )
    return rows


def _round_records(verifikasi: pd.DataFrame, report_date: object) -> pd.DataFrame:
    """Verification records that count for rounds (a status and a date on or before the report date), with their
    date (``tanggal``) and form round number (``nomor``, missing when the form has none)."""
    dates = pd.to_datetime(verifikasi["tanggal_verifikasi"]).dt.normalize()
    filled = verifikasi["status_keberadaan"].notna().to_numpy(bool) & (dates <= to_timestamp(report_date)).to_numpy(bool)
    nomor = verifikasi["putaran"] if "putaran" in verifikasi.columns else pd.Series(pd.NA, index=verifikasi.index)
    return pd.DataFrame({"tanggal": dates, "nomor": pd.array(nomor, dtype="Int64")})[filled]


def verification_rounds(verifikasi: pd.DataFrame, report_date: object) -> pd.DataFrame:
    """The verification rounds up to the report date, in order: one row per round with :data:`ROUND_KEYS`.

    A round is a sweep window, not a date. Records whose form carries a round number (``putaran``) form the
    round "Putaran N" (period: their first to last date); the others are grouped by the ISO week of their date,
    "Minggu W" (period: Monday to Sunday). A round's statuses are taken at its last record date (``tanggal``);
    rounds are numbered 1, 2, ... in the order of that date."""
    records = _round_records(verifikasi, report_date)
    columns = list(ROUND_KEYS)
    if records.empty:
        return pd.DataFrame(columns=columns)
    iso = records["tanggal"].dt.isocalendar()
    monday = records["tanggal"] - pd.to_timedelta(iso["day"].astype(int) - 1, unit="D")
    numbered = records["nomor"].notna().to_numpy(bool)
    records = records.assign(
        kunci=np.where(numbered, "P" + records["nomor"].astype("string").fillna(""),
                       "W" + monday.dt.strftime("%Y-%m-%d")),
        nama_putaran=np.where(numbered, "Putaran " + records["nomor"].astype("string").fillna(""),
                              "Minggu " + iso["week"].astype(int).astype(str)),
        awal=np.where(numbered, records["tanggal"], monday),
        akhir=np.where(numbered, records["tanggal"], monday + pd.Timedelta(days=6)),
    )  # fmt: skip
    rounds = records.groupby(["kunci", "nama_putaran"], sort=True).agg(
        periode_awal=("awal", "min"), periode_akhir=("akhir", "max"), tanggal=("tanggal", "max")
    )
    rounds = rounds.reset_index().sort_values(["tanggal", "kunci"], kind="stable", ignore_index=True)
    rounds["putaran"] = range(1, len(rounds) + 1)
    for column in ("periode_awal", "periode_akhir", "tanggal"):
        rounds[column] = pd.to_datetime(rounds[column]).dt.strftime("%Y-%m-%d")
    return rounds[columns]


def next_round(verifikasi: pd.DataFrame, report_date: object) -> int:
    """The round number the next forms carry: one more than the rounds so far and than any form round number."""
    records = _round_records(verifikasi, report_date)
    highest = records["nomor"].max() if records["nomor"].notna().any() else 0
    return int(max(len(verification_rounds(verifikasi, report_date)), int(highest))) + 1


def round_figures(status: pd.DataFrame) -> dict[str, int]:
    """Verification state among the people still in desil 1 (one round of ``per_putaran``)."""
    still = status[status["status_desil"] == "masih_desil1"]
    counts = still["status_keberadaan"].value_counts()
    return {
        "masih_desil1": int(len(still)),
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
    """The statuses of every SK person at the end of each verification round (:func:`verification_rounds`), long
    format: :data:`ROUND_KEYS` and :data:`ROUND_COLUMNS`. Written as ``status_putaran.parquet`` so that kecamatan
    reports can chart their own rounds."""
    tables = _with_matched({**tables, "padan": _match_of(tables)})  # what does not change with the date: once
    rounds = verification_rounds(tables["verifikasi"], report_date)
    frames = [
        compute_status(tables, row["tanggal"], min_strategi)[ROUND_COLUMNS].assign(**row)
        for row in rounds.to_dict("records")
    ]
    columns = [*ROUND_KEYS, *ROUND_COLUMNS]
    frame = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    text = {k: "string" for k in columns if k not in ("putaran", "perlu_tindakan")}
    return schemas.validate("status_putaran", frame.astype({"putaran": "int64", "perlu_tindakan": bool, **text}))


def per_putaran(rounds: pd.DataFrame) -> list[dict[str, Any]]:
    """``summary.json``'s ``per_putaran``: per round (:data:`ROUND_KEYS`), the verification state among people
    still in desil 1."""
    keys = list(ROUND_KEYS)
    return [
        {**{k: (int(x) if k == "putaran" else str(x)) for k, x in zip(keys, values)}, **round_figures(group)}
        for values, group in rounds.groupby(keys, sort=True)
    ]


def build_summary(
    status: pd.DataFrame,
    report_date: object,
    ringkasan: dict[str, Any],
    rounds: list[dict[str, Any]],
    kode_kabupaten: str = KODE_KABUPATEN,
    putaran_berikutnya: int = 1,
    raw_dir: str | Path | None = None,
    diabaikan: dict[str, dict[str, int]] | None = None,
    tanggal_catatan_terbaru: object = None,
) -> dict[str, Any]:
    """``summary.json`` as a dict with exactly :data:`SUMMARY_KEYS` (plain ints and strings, sorted). Checks that
    the funnel adds up for the kabupaten and every kecamatan.

    ``catatan_ganda``: records repeated in another file (or written differently) and counted once, per input (from
    the cleaning, also in ``baris_duplikat``); ``diabaikan``: rows not used for this report, per input and kind;
    ``peringatan``: the run's warnings (:func:`helpers.guards.report_date_warning` from ``tanggal_catatan_terbaru``)."""
    fig = {**headline(status), **round_figures(status)}
    newest = None if tanggal_catatan_terbaru is None or pd.isna(tanggal_catatan_terbaru) else to_date(tanggal_catatan_terbaru)
    warning = guards.report_date_warning(report_date, newest)
    summary = {
        "tanggal_laporan": to_date(report_date).isoformat(),
        "sasaran_sk": fig["sasaran_sk"],
        "padan": padan_counts(status),
        **{k: fig[k] for k in SUMMARY_KEYS if k in fig and k != "sasaran_sk"},
        "baris_masuk": {k: int(v["baris_masuk"]) for k, v in sorted(ringkasan.items())},
        "baris_karantina": {k: int(v["baris_karantina"]) for k, v in sorted(ringkasan.items())},
        "baris_duplikat": {k: int(v["baris_duplikat"]) for k, v in sorted(ringkasan.items())},
        "catatan_ganda": {k: int(v.get("perbaikan", {})["catatan_ganda"]) for k, v in sorted(ringkasan.items())
                          if "catatan_ganda" in v.get("perbaikan", {})},
        "diabaikan": {k: {j: int(n) for j, n in kinds.items()} for k, kinds in sorted((diabaikan or {}).items())},
        "tanggal_catatan_terbaru": newest.isoformat() if newest else None,
        "peringatan": [warning] if warning else [],
        "per_kecamatan": per_kecamatan(status, kode_kabupaten, raw_dir),
        "per_putaran": rounds,
        "putaran_berikutnya": int(putaran_berikutnya),
    }
    summary = {k: summary[k] for k in SUMMARY_KEYS}
    if sum(summary["padan"].values()) != summary["sasaran_sk"]:
        raise RuntimeError("Jumlah metode padan tidak sama dengan jumlah sasaran SK (kesalahan program).")
    broken = [r["nama"] for r in summary["per_kecamatan"] if funnel_gap(r)] + (["kabupaten"] if funnel_gap(summary) else [])
    if broken:
        raise RuntimeError(
            "Masih desil 1 tidak sama dengan optimal + belum optimal + belum diintervensi untuk "
            f"{', '.join(broken)} (kesalahan program)."
        )
    return summary


def parameter_run(report_date: object, ambang_padan: float, ambang_tinjau: float, min_strategi: int,
                  register: str = v.P3KE, desil_dtsen: str = v.DESIL_DTSEN[0],
                  register_label: str = v.P3KE_LABEL) -> dict[str, Any]:  # fmt: skip
    """The parameters in force, with the definition of "optimal" that reports print and the register's name."""
    return {
        "report_date": to_date(report_date).isoformat(),
        "ambang_padan": float(ambang_padan),
        "ambang_tinjau": float(ambang_tinjau),
        "min_strategi": int(min_strategi),
        "definisi_optimal": definisi_optimal(min_strategi),
        "register": register,
        "desil_dtsen": desil_dtsen if register == v.DTSEN else None,
        "register_label": register_label,
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
    "belum_intervensi": "Masih desil 1, belum diintervensi",
    "belum_optimal_masih_ada": "  - belum optimal, masih ada",
    "belum_optimal_meninggal": "  - belum optimal, meninggal",
}


def headline_table(summary: dict[str, Any], kode_kabupaten: str = KODE_KABUPATEN) -> pd.DataFrame:
    """The headline figures of ``summary.json`` with Indonesian labels (the SK named for ``kode_kabupaten``), for
    the notebook."""
    labels = [for_kabupaten(label, kode_kabupaten) for label in HEADLINE_LABELS.values()]
    return pd.DataFrame({"uraian": labels, "jumlah": [summary[k] for k in HEADLINE_LABELS]})


def naive_comparison(processed_dir: str | Path, summary: dict[str, Any]) -> pd.DataFrame:
    """A naive join on raw NIK text (``padan_naif.json``, written by the cleaning) next to the real matching."""

    naive = catalog.read_json(catalog.PADAN_NAIF, processed_dir)
    rows = {
        "Sasaran SK": (naive["sasaran_sk"], summary["sasaran_sk"]),
        "Padan (ditemukan di P3KE)": (naive["padan"], summary["keluar_desil1"] + summary["masih_desil1"]),
        "Tidak padan / perlu tinjau": (
            naive["tidak_padan"],
            summary["sasaran_sk"] - summary["keluar_desil1"] - summary["masih_desil1"],
        ),
        "Keluar dari desil 1": (naive["keluar_desil1"], summary["keluar_desil1"]),
        "Masih di desil 1": (naive["masih_desil1"], summary["masih_desil1"]),
    }
    return pd.DataFrame(
        [(k, a, b) for k, (a, b) in rows.items()],
        columns=["uraian", "gabung NIK mentah (naif)", "padu padan (model probabilistik)"],
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
    temuan: pd.DataFrame = field(default_factory=pd.DataFrame)
    paths: list[Path] = field(default_factory=list)
    #: P3KE 2024 -> DTSEN per SK person (:mod:`helpers.statuses.perbandingan`), when both registers were cleaned.
    perbandingan: pd.DataFrame | None = None
    #: The recommended programmes of the people needing action (:mod:`helpers.statuses.rekomendasi`).
    rekomendasi: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Intervention records not counted as written (:func:`intervention_review`).
    intervensi_masalah: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The programme table in force (:func:`helpers.statuses.rekomendasi.programme_opd`).
    program_opd: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Each SK person's statuses at the end of every verification round (``status_putaran``).
    rounds: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The SK and the register the run matched (for the review lists).
    sk: pd.DataFrame = field(default_factory=pd.DataFrame)
    register: pd.DataFrame = field(default_factory=pd.DataFrame)
    register_label: str = ""
    #: The intervention records of each SK person up to the report date (:func:`interventions_per_person`).
    intervensi_sasaran: pd.DataFrame = field(default_factory=pd.DataFrame)


def keberadaan_review(masalah: pd.DataFrame) -> pd.DataFrame:
    """The verification rows to look at, NIK masked (in the messages too)."""
    out = masalah.copy()
    out["nik"] = mask_series(out["nik"])
    return mask_frame(out.rename(columns={"nik": "nik_tersamar"}))


def field_findings_review(findings: pd.DataFrame) -> pd.DataFrame:
    """``tinjau/temuan_lapangan.csv``: the field findings with both NIKs masked (``nik_sk_tersamar``,
    ``nik_temuan_tersamar``) and every NIK-like number in the remarks masked."""
    out = findings.assign(nik_sk=mask_series(findings["nik_sk"]), nik_temuan=mask_series(findings["nik_temuan"]))
    return mask_frame(out.rename(columns={"nik_sk": "nik_sk_tersamar", "nik_temuan": "nik_temuan_tersamar"}))


FIELD_FINDINGS_COLUMNS = [
    "id_sasaran", "nama_sk", "nik_sk", "nik_temuan", "metode_padan", "kode_kecamatan", "nama_kecamatan", "nama_desa",
    "status_keberadaan", "tanggal_verifikasi", "putaran", "petugas", "keterangan", "nik_temuan_di_p3ke",
    "nama_p3ke", "id_individu_p3ke", "sumber_file", "baris_sumber",
]  # fmt: skip


def field_findings(status: pd.DataFrame, verifikasi: pd.DataFrame, individu: pd.DataFrame,
                   report_date: object) -> pd.DataFrame:  # fmt: skip
    """``tinjau/temuan_lapangan.csv``: form rows that found (status "ada", a NIK written in "NIK Temuan Lapangan")
    an SK person without a P3KE record (``tidak_padan``/``tinjau_manual``), dated on or before the report date.

    One row per such form row, with what a matching decision needs (``id_sasaran``, the SK name and NIK, the NIK
    found, whether it is in P3KE and under which name, who found it, when, and where the row is). The NIKs are
    full here, as the key of the decision (:data:`helpers.catalog.TEMUAN_LAPANGAN_NIK`, read by the decisions workbook); the
    review list masks them (:func:`field_findings_review`)."""
    if "nik_temuan" not in verifikasi.columns:
        return pd.DataFrame(columns=FIELD_FINDINGS_COLUMNS)
    unmatched = status[status["metode_padan"].isin((v.TINJAU_MANUAL, v.TIDAK_PADAN))].drop_duplicates("nik")
    rows = verifikasi[
        verifikasi["nik_temuan"].notna().to_numpy(bool)
        & verifikasi["status_keberadaan"].eq(v.ADA).fillna(False).to_numpy(bool)
        & (pd.to_datetime(verifikasi["tanggal_verifikasi"]) <= to_timestamp(report_date)).to_numpy(bool)
        & verifikasi["nik"].isin(set(unmatched["nik"].dropna())).to_numpy(bool)
    ]
    person = unmatched.set_index("nik").reindex(pd.Index(rows["nik"], dtype="string"))
    p3ke = individu.dropna(subset=["nik"]).drop_duplicates("nik").set_index("nik")
    found = p3ke.reindex(pd.Index(rows["nik_temuan"], dtype="string"))
    out = pd.DataFrame(
        {
            "id_sasaran": person["id_sasaran"].to_numpy(),
            "nama_sk": person["nama"].to_numpy(),
            "nik_sk": person["nik_sk"].to_numpy(),
            "nik_temuan": rows["nik_temuan"].to_numpy(),
            "metode_padan": person["metode_padan"].to_numpy(),
            "kode_kecamatan": person["kode_kecamatan"].to_numpy(),
            "nama_kecamatan": person["nama_kecamatan"].to_numpy(),
            "nama_desa": person["nama_desa"].to_numpy(),
            "status_keberadaan": rows["status_keberadaan"].to_numpy(),
            "tanggal_verifikasi": pd.to_datetime(rows["tanggal_verifikasi"]).dt.strftime("%Y-%m-%d").to_numpy(),
            "putaran": pd.array(rows["putaran"] if "putaran" in rows.columns else [pd.NA] * len(rows), dtype="Int64"),
            "petugas": rows["petugas"].to_numpy() if "petugas" in rows.columns else pd.NA,
            "keterangan": rows["keterangan"].to_numpy() if "keterangan" in rows.columns else pd.NA,
            "nik_temuan_di_p3ke": found["nama"].notna().to_numpy() if "nama" in found.columns else False,
            "nama_p3ke": found["nama"].to_numpy() if "nama" in found.columns else pd.NA,
            "id_individu_p3ke": found["id_individu"].to_numpy() if "id_individu" in found.columns else pd.NA,
            "sumber_file": rows["sumber_file"].to_numpy(),
            "baris_sumber": pd.array(rows["baris_sumber"], dtype="Int64"),
        }
    )
    return out.sort_values(["id_sasaran", "tanggal_verifikasi", "sumber_file", "baris_sumber"], ignore_index=True)


def run_status(
    processed_dir: str | Path,
    report_date: object,
    ambang_padan: float = AMBANG_PADAN,
    ambang_tinjau: float = AMBANG_TINJAU,
    min_strategi: int = DEFAULTS["min_strategi"],
    kode_kabupaten: str = KODE_KABUPATEN,
    tables: dict[str, pd.DataFrame] | None = None,
    write: bool = True,
    raw_dir: str | Path | None = None,
    register: str = v.P3KE,
    desil_dtsen: str = v.DESIL_DTSEN[0],
    mesin_padan: str = "duckdb",
    reports_dir: str | Path | None = None,
    tanggal_target: object = DEFAULTS["tanggal_target"],
) -> StatusRun:
    """Match against the chosen ``register`` (``p3ke`` or ``dtsen`` with the decile ``desil_dtsen``; see
    :mod:`helpers.statuses.register`), compute the statuses at ``report_date`` and write
    ``status_sasaran.parquet``, ``summary.json``, ``parameter_run.json`` and the review lists under ``tinjau/``.
    With ``dtsen`` and a cleaned P3KE, the SK is also matched against P3KE 2024 and the change of each person is
    written (``tinjau/perbandingan_register.csv``, ``perbandingan_register.json``). ``mesin_padan``: the engine
    that scores the linkage model (``duckdb`` or ``spark``, the same figures). The summary carries the history of
    the earlier report dates in ``reports_dir`` and the projection towards ``tanggal_target``
    (:mod:`helpers.statuses.history`)."""
    processed_dir = Path(processed_dir)
    date = to_date(report_date)
    given = dict(tables) if tables is not None else read_tables(processed_dir)
    tables = registers.register_tables(given, register, desil_dtsen)
    run_id = runs.clean_run_id(processed_dir) if write else None  # the cleaning run consumed, carried forward
    match = match_sk(tables["sk"], tables["p3ke_individu"], tables.get("keputusan_padan"), ambang_padan, ambang_tinjau,
                     mesin_padan=mesin_padan)  # fmt: skip
    tables["padan"] = match
    tables = _with_matched(tables)
    status, masalah = compute_status_detail(tables, date, min_strategi)
    rounds = status_per_round(tables, date, min_strategi)
    niks = person_niks(tables[_MATCHED], tables["p3ke_individu"]["nik"], tables["verifikasi"], date)["nik"]
    overlooked = intervention_review(tables["intervensi"], niks, date)
    diabaikan = {"intervensi": ignored_interventions(overlooked), "verifikasi": ignored_counts(masalah)}
    summary = build_summary(status, date, read_ringkasan(processed_dir), per_putaran(rounds), kode_kabupaten,
                            next_round(tables["verifikasi"], date), raw_dir, diabaikan, newest_record(tables))  # fmt: skip
    summary = history.with_history(summary, reports_dir, rounds, tanggal_target)
    for warning in summary["peringatan"]:
        warnings.warn(warning, UserWarning, stacklevel=2)
    findings = field_findings(status, tables["verifikasi"], tables["p3ke_individu"], date)
    label = registers.label(given, register)
    parameters = parameter_run(date, ambang_padan, ambang_tinjau, min_strategi, register, desil_dtsen, label)
    run = StatusRun(status, summary, parameters, match, masalah, findings, intervensi_masalah=overlooked)
    received = received_per_person(tables, date)
    run.rekomendasi = recommendations(tables, given, status, date, min_strategi, register, received)
    run.intervensi_sasaran = interventions_per_person(received)
    compare = register == v.DTSEN and given.get("p3ke_individu") is not None and len(given["p3ke_individu"]) > 0
    if compare:
        before_match = match_sk(given["sk"], given["p3ke_individu"], given.get("keputusan_padan"), ambang_padan,
                                ambang_tinjau)  # fmt: skip
        before = compute_status_detail({**given, "padan": before_match}, date, min_strategi)[0]
        run.perbandingan = perbandingan.compare_registers(before, status)
    run.program_opd = rekomendasi.programme_opd(tables["intervensi"])
    run.rounds, run.sk, run.register, run.register_label = rounds, tables["sk"], tables["p3ke_individu"], label
    if write:
        recorded = {k: value for k, value in parameters.items() if k in DEFAULTS}  # what runs.check_inputs compares
        recorded.update(kode_kabupaten=kode_kabupaten, raw_dir=str(Path(raw_dir).resolve()) if raw_dir else None,
                        tanggal_target=to_date(tanggal_target).isoformat())
        write_run(run, processed_dir, run_id, recorded)
    return run


def write_run(run: StatusRun, processed_dir: str | Path, run_id: str, recorded: dict | None = None) -> list[Path]:
    """Write the outputs of a status run (``status_sasaran``, ``status_putaran``, ``summary.json``, the review lists,
    the recommendations…) under ``run_id``, recorded as step ``02_match`` in ``run.json`` with the parameters it was
    made with (``recorded``, what :func:`helpers.runs.check_inputs` compares)."""
    processed_dir = Path(processed_dir)
    runs.start_step(processed_dir, runs.MATCH_STEP, run_id, recorded, run_id_pembersihan=run_id)
    write = [
        (catalog.STATUS_SASARAN, run.status, run_id),
        (catalog.STATUS_PUTARAN, run.rounds, run_id),
        (catalog.SUMMARY, run.summary, None),
        (catalog.PARAMETER_RUN, run.parameters, None),
    ]
    run.paths += [catalog.write(entry, data, processed_dir, stamp) for entry, data, stamp in write]
    run.paths.extend(write_review(run.match, run.sk, run.register, processed_dir, run_id))
    write = [
        (catalog.MODEL_PADAN, run.match.model, None),
        (catalog.KEBERADAAN_MASALAH, keberadaan_review(run.masalah), None),
        (catalog.TEMUAN_LAPANGAN_NIK, run.temuan, run_id),
        (catalog.TEMUAN_LAPANGAN, field_findings_review(run.temuan), None),
        (catalog.REKOMENDASI, run.rekomendasi, run_id),
        (catalog.PROGRAM_OPD, run.program_opd, None),
        (catalog.INTERVENSI_MASALAH, run.intervensi_masalah, None),
        (catalog.INTERVENSI_SASARAN, run.intervensi_sasaran, run_id),
    ]
    run.paths += [catalog.write(entry, data, processed_dir, stamp) for entry, data, stamp in write]
    run.paths.extend(charts.save_charts(run.match, catalog.GRAFIK_PADAN.at(processed_dir)))
    if run.perbandingan is not None:
        run.paths.append(catalog.write(catalog.PERBANDINGAN_CSV, mask_frame(run.perbandingan), processed_dir))
        counts = perbandingan.summary(run.perbandingan, v.P3KE_LABEL, run.register_label)
        run.paths.append(catalog.write(catalog.PERBANDINGAN_JSON, counts, processed_dir))
    runs.finish_step(processed_dir, runs.MATCH_STEP, run_id, run.paths)
    return run.paths


def read_summary(processed_dir: str | Path) -> dict[str, Any]:
    return catalog.read_json(catalog.SUMMARY, processed_dir)


__all__ = [
    "build_summary",
    "field_findings",
    "funnel_gap",
    "next_round",
    "verification_rounds",
    "compute_status",
    "compute_status_detail",
    "definisi_optimal",
    "intervention_status",
    "per_putaran",
    "run_status",
    "status_per_round",
]
