"""The demo's files, input by input: which faults each row carries (counted) and the cells written.

Rates are the constants below; ``data/raw/README.md`` documents them for analysts. A fault that would change
a truth figure is only ever put on rows whose loss changes nothing (background P3KE people, intervention
records of people not on the SK list, redundant verification re-visits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd

from helpers.demo.events import ROUNDS, STATUS_OPD
from helpers.demo.population import Population, rng_for
from helpers.demo.render import (
    DATE_CELL,
    DATE_DMY_DASH,
    DATE_DMY_SLASH,
    DATE_EMPTY,
    DATE_ISO,
    DATE_SERIAL,
    DATE_STYLE_NAMES,
    NIK_APOSTROPHE,
    NIK_DOTS,
    NIK_EMPTY,
    NIK_FAULT_NAMES,
    NIK_NUMBER,
    NIK_SCIENTIFIC,
    NIK_SPACES,
    NIK_TEXT,
    TEXT_DATE_STYLES,
    FileJob,
    InputLog,
    count_codes,
    desa_variants,
    desil_cells,
    file_headers,
    kecamatan_variants,
    mixed_codes,
    name_cells,
    pick_rows,
    place_column,
    render_dates,
    render_nik,
    unknown_desa_name,
    with_duplicates,
)
from helpers.reference.wilayah import kecamatan_table

ALL_DATE_STYLES = (DATE_CELL, DATE_DMY_SLASH, DATE_ISO, DATE_SERIAL, DATE_DMY_DASH)

#: P3KE individu: fault -> share of the eligible rows (background rows for faults that lose data).
P3KE_RATES = {
    "desa_tidak_dikenal": 0.00005,  # of background families (all members), at least 2 families
    "tanpa_nik_dan_nama": 0.0002,
    "desil_tidak_valid": 0.0001,
    "nik_notasi_ilmiah": 0.003,
    "nik_sel_angka": 0.04,  # besides the files whose whole NIK column is numeric
    "nik_apostrof": 0.03,
    "nik_spasi": 0.01,
    "nik_titik": 0.005,
    "tanggal_lahir_kosong": 0.002,
    "tanggal_gaya_lain": 0.08,
    "nama_spasi_berlebih": 0.015,
    "nama_huruf_judul": 0.005,
    "desa_varian": 0.08,
    "kecamatan_varian": 0.03,
    "kode_kemdagri_kosong": 0.02,
    "baris_duplikat": 0.001,
}
#: P3KE individu/keluarga files (of 21): title block, alias headers, no Kode Kemdagri column, numeric NIK column.
P3KE_FILE_COUNTS = {"blok_judul": 7, "header_alias": 8, "tanpa_kolom_kode_kemdagri": 3, "kolom_nik_angka": 3}
P3KE_DATE_STYLES = [DATE_CELL] * 8 + [DATE_DMY_SLASH] * 5 + [DATE_ISO] * 3 + [DATE_SERIAL] * 3 + [DATE_DMY_DASH] * 2
KELUARGA_RATES = {
    "nik_notasi_ilmiah": 0.003,
    "nik_sel_angka": 0.04,
    "nik_apostrof": 0.03,
    "nik_spasi": 0.01,
    "nik_titik": 0.005,
    "desa_varian": 0.08,
    "kecamatan_varian": 0.03,
    "kode_kemdagri_kosong": 0.02,
    "baris_duplikat": 0.001,
}
SK_RATES = {"desa_varian": 0.15, "kecamatan_varian": 0.10, "baris_duplikat": 0.005, "alamat_huruf_besar": 0.3,
            "no_kk_sel_angka": 0.10, "no_kk_apostrof": 0.05}  # fmt: skip
SK_DATE_STYLE_PROBS = {DATE_CELL: 0.5, DATE_DMY_SLASH: 0.25, DATE_ISO: 0.1, DATE_DMY_DASH: 0.1, DATE_SERIAL: 0.05}
INTERVENSI_RATES = {
    "nik_notasi_ilmiah": 0.015,  # of records of people not on the SK list
    "tanpa_nik_dan_nama": 0.001,  # idem
    "tanggal_kosong": 0.001,  # idem
    "nik_sel_angka": 0.03,  # xlsx files other than the one whose NIK column is numeric
    "nik_apostrof": 0.03,
    "nik_spasi": 0.01,
    "nik_titik": 0.005,
    "tanggal_gaya_lain": 0.05,
    "baris_duplikat": 0.005,
}
VERIFIKASI_RATES = {
    "nik_notasi_ilmiah": 0.15,  # of redundant re-visits (same status as the visit before)
    "nik_sel_angka": 0.05,
    "nik_apostrof": 0.03,
    "nik_spasi": 0.02,
    "nik_titik": 0.005,
    "tanggal_gaya_lain": 0.05,
    "desa_varian": 0.1,
    "baris_duplikat": 0.01,
}

P3KE_COLUMNS = [
    "Provinsi", "Kabupaten/Kota", "Kecamatan", "Desa/Kelurahan", "Kode Kemdagri", "ID Keluarga P3KE", "ID Individu",
    "NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Hubungan dengan Kepala Keluarga", "Status Kawin",
    "Pendidikan", "Pekerjaan", "Padan Dukcapil", "Desil Kesejahteraan",
]  # fmt: skip
KELUARGA_COLUMNS = [
    "Provinsi", "Kabupaten/Kota", "Kecamatan", "Desa/Kelurahan", "Kode Kemdagri", "ID Keluarga P3KE",
    "Kepala Keluarga", "NIK Kepala Keluarga", "Alamat", "Desil Kesejahteraan", "Jenis Atap", "Jenis Dinding",
    "Jenis Lantai", "Sumber Penerangan", "Bahan Bakar Memasak", "Sumber Air Minum", "Fasilitas BAB",
    "Kepemilikan Rumah", "Penerima PKH", "Penerima BPNT", "Penerima BPUM", "Penerima BST", "Penerima Sembako",
    "Resiko Stunting",
]  # fmt: skip
SK_COLUMNS = ["No", "NIK", "Nama", "Alamat", "Desa/Kelurahan", "Kecamatan", "Tanggal Lahir", "No KK"]
SK_HEADER = ["No.", "NIK", "Nama", "Alamat", "Desa / Kelurahan", "Kecamatan", "Tgl Lahir", "No. KK"]
VERIFIKASI_COLUMNS = ["NIK", "Nama", "Kecamatan", "Desa/Kelurahan", "Status Keberadaan", "Kondisi",
                      "Tanggal Verifikasi", "Keterangan", "Petugas"]  # fmt: skip
_KELUARGA_FIELDS = {c: c.lower().replace(" ", "_") for c in KELUARGA_COLUMNS[10:]}


def _file_slug(name: str) -> str:
    return name.upper().replace(" ", "").replace("-", "")


def _mask_of(n: int, count: int, rng: np.random.Generator) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[rng.choice(n, count, replace=False)] = True
    return mask


# === P3KE (individu and keluarga) ========================================================================


def p3ke_file_plan(seed: int) -> pd.DataFrame:
    """Per kecamatan: the options of its P3KE individu and keluarga files."""
    rng = rng_for(seed, "files-p3ke")
    kec = kecamatan_table()[["kode", "nama"]].copy()
    n = len(kec)
    kec["slug"] = [_file_slug(x) for x in kec["nama"]]
    kec["path_individu"] = "p3ke/P3KE_2024_" + kec["slug"] + ".xlsx"
    kec["path_keluarga"] = "p3ke_keluarga/P3KE_KELUARGA_2024_" + kec["slug"] + ".xlsx"
    kec["has_kode"] = ~_mask_of(n, P3KE_FILE_COUNTS["tanpa_kolom_kode_kemdagri"], rng)
    for kind in ("individu", "keluarga"):
        kec[f"title_{kind}"] = _mask_of(n, P3KE_FILE_COUNTS["blok_judul"], rng)
        kec[f"alias_{kind}"] = _mask_of(n, P3KE_FILE_COUNTS["header_alias"], rng)
        kec[f"numeric_{kind}"] = _mask_of(n, P3KE_FILE_COUNTS["kolom_nik_angka"], rng)
        kec[f"desil_text_{kind}"] = _mask_of(n, n // 2, rng)
    kec["date_style"] = rng.permutation(np.asarray(P3KE_DATE_STYLES))
    kec["kec_variant"] = [int(rng.integers(0, len(kecamatan_variants(k)))) for k in kec["kode"]]
    kec["desa_upper"] = _mask_of(n, n // 2, rng)
    kec["sex_upper"] = _mask_of(n, n // 2, rng)
    kec["header_individu"] = [
        file_headers(rng, [c for c in P3KE_COLUMNS if h or c != "Kode Kemdagri"], a)
        for h, a in zip(kec["has_kode"], kec["alias_individu"])
    ]
    kec["header_keluarga"] = [
        file_headers(rng, [c for c in KELUARGA_COLUMNS if h or c != "Kode Kemdagri"], a)
        for h, a in zip(kec["has_kode"], kec["alias_keluarga"])
    ]
    return kec


def _per_row(files: pd.DataFrame, kode_kecamatan: np.ndarray, column: str) -> np.ndarray:
    return files.set_index("kode")[column].loc[kode_kecamatan].to_numpy()


def _place_codes(rng, n: int, base: np.ndarray, rate: float, log: InputLog, name: str) -> np.ndarray:
    """Variant index per row: the file's style, and for a share of rows another spelling (index >= 2)."""
    base = base.astype(np.int64)
    codes = base.copy()
    switch = rng.random(n) < rate
    codes[switch] = rng.integers(2, 5, int(switch.sum()))  # every place has at least 5 spellings
    log.count(name, int((codes != base).sum()))
    return codes


def p3ke_codes(seed: int, pop: Population, files: pd.DataFrame, log: InputLog) -> dict:
    """Fault codes of every P3KE individual row (and the families with an unknown desa name)."""
    rng = rng_for(seed, "faults-p3ke")
    codes = _p3ke_quarantine(rng, pop, log)
    codes.update(_p3ke_cell_codes(rng, pop, files, codes, log))
    fams = pop.families
    unknown_fam = codes["unknown_fam"]
    codes["typo_names"] = {
        int(f): unknown_desa_name(rng, code)
        for f, code in zip(np.flatnonzero(unknown_fam), fams["kode_desa"].to_numpy()[unknown_fam])
    }
    _count_file_faults(log, files, "individu")
    return codes


def _p3ke_quarantine(rng: np.random.Generator, pop: Population, log: InputLog) -> dict[str, np.ndarray]:
    """Rows the cleaning must quarantine: all on background people (never an SK person)."""
    ind, fams = pop.individuals, pop.families
    eligible = ind["sk_order"].to_numpy() < 0
    unknown_fam = pick_rows(rng, ~fams["core"].to_numpy(), P3KE_RATES["desa_tidak_dikenal"], 2)
    unknown = unknown_fam[ind["fam"].to_numpy()]
    taken = unknown.copy()
    no_id = pick_rows(rng, eligible, P3KE_RATES["tanpa_nik_dan_nama"], 1, taken)
    bad_desil = pick_rows(rng, eligible, P3KE_RATES["desil_tidak_valid"], 1, taken)
    for name, mask in (
        ("desa_tidak_dikenal", unknown),
        ("tanpa_nik_dan_nama", no_id),
        ("desil_tidak_valid", bad_desil),
    ):
        log.quarantine[name] = int(mask.sum())
        log.count(name, int(mask.sum()))
    return {"eligible": eligible, "unknown_fam": unknown_fam, "unknown": unknown, "no_id": no_id,
            "bad_desil": bad_desil}  # fmt: skip


def _p3ke_cell_codes(rng: np.random.Generator, pop: Population, files: pd.DataFrame, q: dict, log: InputLog) -> dict:
    """How each kept cell is damaged: NIK, birth date, Kode Kemdagri, names, place spellings, duplicates."""
    ind = pop.individuals
    n = len(ind)
    kec = ind["kode_kecamatan"].to_numpy()
    quarantined = q["unknown"] | q["no_id"] | q["bad_desil"]
    nik = _nik_codes(rng, _per_row(files, kec, "numeric_individu"), q["eligible"] & ~quarantined, q["no_id"],
                     P3KE_RATES)  # fmt: skip
    count_codes(log, nik, NIK_FAULT_NAMES)
    birth = mixed_codes(rng, _per_row(files, kec, "date_style").astype(np.int64), ALL_DATE_STYLES,
                        P3KE_RATES["tanggal_gaya_lain"])  # fmt: skip
    birth[pick_rows(rng, q["eligible"] & ~q["no_id"], P3KE_RATES["tanggal_lahir_kosong"], 1)] = DATE_EMPTY
    count_codes(log, birth, DATE_STYLE_NAMES, "tanggal_lahir_")
    has_kode = _per_row(files, kec, "has_kode")
    kode_empty = pick_rows(rng, has_kode, P3KE_RATES["kode_kemdagri_kosong"], 1) | q["unknown"]
    log.count("kode_kemdagri_kosong", int((kode_empty & has_kode).sum()))
    duplicate = pick_rows(rng, ~quarantined, P3KE_RATES["baris_duplikat"], 1)
    log.duplicates = int(duplicate.sum())
    log.count("baris_duplikat", log.duplicates)
    name_spaces = rng.random(n) < P3KE_RATES["nama_spasi_berlebih"]
    name_title = rng.random(n) < P3KE_RATES["nama_huruf_judul"]
    log.count("nama_spasi_berlebih", int((name_spaces & ~q["no_id"]).sum()))
    log.count("nama_huruf_judul", int((name_title & ~name_spaces & ~q["no_id"]).sum()))
    return {
        "nik": nik,
        "birth": birth,
        "kode_empty": kode_empty,
        "duplicate": duplicate,
        "name_spaces": name_spaces,
        "name_title": name_title,
        "kec_variant": _place_codes(rng, n, _per_row(files, kec, "kec_variant"), P3KE_RATES["kecamatan_varian"], log,
                                    "kecamatan_varian"),
        "desa_variant": _place_codes(rng, n, _per_row(files, kec, "desa_upper"), P3KE_RATES["desa_varian"], log,
                                     "desa_varian"),
    }  # fmt: skip


def _count_file_faults(log: InputLog, files: pd.DataFrame, kind: str) -> None:
    log.count("file_blok_judul", int(files[f"title_{kind}"].sum()))
    log.count("file_header_alias", int(files[f"alias_{kind}"].sum()))
    log.count("file_tanpa_kolom_kode_kemdagri", int((~files["has_kode"]).sum()))
    log.count("file_kolom_nik_angka", int(files[f"numeric_{kind}"].sum()))
    log.count("file_desil_teks", int(files[f"desil_text_{kind}"].sum()))


def _nik_codes(rng, numeric_file: np.ndarray, may_lose: np.ndarray, empty: np.ndarray, rates: dict) -> np.ndarray:
    """NIK codes: numeric files are numbers throughout; elsewhere the text faults at their rates."""
    n = len(numeric_file)
    codes = np.full(n, NIK_TEXT, dtype=np.int8)
    codes[numeric_file] = NIK_NUMBER
    taken = numeric_file | empty
    free = ~numeric_file & ~empty
    codes[pick_rows(rng, free & may_lose, rates["nik_notasi_ilmiah"], 1, taken)] = NIK_SCIENTIFIC
    for code, name in ((NIK_APOSTROPHE, "nik_apostrof"), (NIK_SPACES, "nik_spasi"), (NIK_DOTS, "nik_titik"),
                       (NIK_NUMBER, "nik_sel_angka")):  # fmt: skip
        codes[pick_rows(rng, free, rates[name], 1, taken)] = code
    codes[empty] = NIK_EMPTY
    return codes


def _region_cells(kode_kec, kode_desa, kec_variant, desa_variant, unknown_names, kode_empty) -> dict[str, np.ndarray]:
    desa = place_column(kode_desa, desa_variant, desa_variants)
    for row, name in unknown_names.items():
        desa[row] = name
    kode = np.char.replace(kode_desa.astype(str), ".", "").astype(object)
    kode[kode_empty] = None
    return {
        "Provinsi": np.full(len(kode_kec), "JAWA TIMUR", dtype=object),
        "Kabupaten/Kota": np.full(len(kode_kec), "KABUPATEN JOMBANG", dtype=object),
        "Kecamatan": place_column(kode_kec, kec_variant, kecamatan_variants),
        "Desa/Kelurahan": desa,
        "Kode Kemdagri": kode,
    }


def _desil_column(desil: np.ndarray, as_text: np.ndarray, invalid: np.ndarray) -> np.ndarray:
    return np.where(as_text, desil_cells(desil, True, invalid), desil_cells(desil, False, invalid))


def _file_jobs(files: pd.DataFrame, kind: str, cells: dict, order: np.ndarray, kec_of_order: np.ndarray,
               log: InputLog, created: dt.datetime, title: str) -> Iterator[FileJob]:  # fmt: skip
    for i, row in enumerate(files.itertuples(index=False)):
        idx = order[kec_of_order == row.kode]
        header = getattr(row, f"header_{kind}")
        canonical = [c for c in (P3KE_COLUMNS if kind == "individu" else KELUARGA_COLUMNS)
                     if row.has_kode or c != "Kode Kemdagri"]  # fmt: skip
        relpath = getattr(row, f"path_{kind}")
        log.files[relpath] = len(idx)
        title_rows = (
            [title, "KABUPATEN JOMBANG", f"KECAMATAN {row.nama.upper()}"] if getattr(row, f"title_{kind}") else []
        )
        yield FileJob(
            relpath=relpath,
            header=header,
            columns=[cells[c][idx].tolist() for c in canonical],
            title_rows=title_rows,
            created=created + dt.timedelta(minutes=i),
            sheet_name="P3KE" if kind == "individu" else "Keluarga",
        )


def p3ke_jobs(pop: Population, files: pd.DataFrame, codes: dict, log: InputLog) -> Iterator[FileJob]:
    """One xlsx per kecamatan with the P3KE individuals."""
    ind = pop.individuals
    kec = ind["kode_kecamatan"].to_numpy()
    unknown_rows = {
        int(r): codes["typo_names"][int(f)]
        for r, f in zip(np.flatnonzero(codes["unknown"]), ind["fam"].to_numpy()[codes["unknown"]])
    }
    cells = _region_cells(kec, ind["kode_desa"].to_numpy(), codes["kec_variant"], codes["desa_variant"],
                          unknown_rows, codes["kode_empty"])  # fmt: skip
    names = name_cells(ind["nama"].to_numpy(), codes["name_spaces"], codes["name_title"])
    names[codes["no_id"]] = None
    female = ind["female"].to_numpy()
    upper = _per_row(files, kec, "sex_upper")
    cells.update(
        {
            "ID Keluarga P3KE": ind["id_keluarga"].to_numpy(),
            "ID Individu": ind["id_individu"].to_numpy(),
            "NIK": render_nik(ind["nik"].to_numpy().astype(str).astype(object), codes["nik"]),
            "Nama": names,
            "Jenis Kelamin": np.where(female, np.where(upper, "PEREMPUAN", "Perempuan"),
                                      np.where(upper, "LAKI-LAKI", "Laki-laki")).astype(object),
            "Tanggal Lahir": render_dates(ind["birth"].to_numpy(), codes["birth"]),
            "Hubungan dengan Kepala Keluarga": ind["hubungan"].to_numpy(),
            "Status Kawin": ind["status_kawin"].to_numpy(),
            "Pendidikan": ind["pendidikan"].to_numpy(),
            "Pekerjaan": ind["pekerjaan"].to_numpy(),
            "Padan Dukcapil": ind["padan"].to_numpy(),
            "Desil Kesejahteraan": _desil_column(ind["desil"].to_numpy(), _per_row(files, kec, "desil_text_individu"),
                                                 codes["bad_desil"]),
        }
    )  # fmt: skip
    cells = {k: np.asarray(v, dtype=object) for k, v in cells.items()}
    order = with_duplicates(len(ind), codes["duplicate"])
    yield from _file_jobs(files, "individu", cells, order, kec[order], log, dt.datetime(2024, 3, 14, 9, 0),
                          "DATA P3KE 2024 - INDIVIDU")  # fmt: skip


def keluarga_codes(seed: int, pop: Population, files: pd.DataFrame, p3ke: dict, log: InputLog) -> dict:
    """Fault codes of the family rows; the families with an unknown desa are those of the individu file."""
    rng = rng_for(seed, "faults-keluarga")
    fams = pop.families
    n = len(fams)
    kec = fams["kode_kecamatan"].to_numpy()
    unknown = p3ke["unknown_fam"]
    head_sk = pop.individuals["sk_order"].to_numpy()[fams["head"].to_numpy()] >= 0
    nik = _nik_codes(rng, _per_row(files, kec, "numeric_keluarga"), ~head_sk & ~unknown, np.zeros(n, bool),
                     KELUARGA_RATES)  # fmt: skip
    count_codes(log, nik, NIK_FAULT_NAMES)
    kode_empty = pick_rows(rng, _per_row(files, kec, "has_kode"), KELUARGA_RATES["kode_kemdagri_kosong"], 1) | unknown
    log.count("kode_kemdagri_kosong", int((kode_empty & _per_row(files, kec, "has_kode")).sum()))
    duplicate = pick_rows(rng, ~unknown, KELUARGA_RATES["baris_duplikat"], 1)
    log.duplicates = int(duplicate.sum())
    log.count("baris_duplikat", log.duplicates)
    log.quarantine["desa_tidak_dikenal"] = int(unknown.sum())
    log.count("desa_tidak_dikenal", int(unknown.sum()))
    _count_file_faults(log, files, "keluarga")
    return {
        "nik": nik,
        "kode_empty": kode_empty,
        "duplicate": duplicate,
        "kec_variant": _place_codes(rng, n, _per_row(files, kec, "kec_variant"), KELUARGA_RATES["kecamatan_varian"],
                                    log, "kecamatan_varian"),
        "desa_variant": _place_codes(rng, n, _per_row(files, kec, "desa_upper"), KELUARGA_RATES["desa_varian"], log,
                                     "desa_varian"),
    }  # fmt: skip


def keluarga_jobs(pop: Population, files: pd.DataFrame, codes: dict, p3ke: dict, log: InputLog) -> Iterator[FileJob]:
    """One xlsx per kecamatan with the P3KE families."""
    fams, ind = pop.families, pop.individuals
    kec = fams["kode_kecamatan"].to_numpy()
    unknown_rows = {int(f): name for f, name in p3ke["typo_names"].items()}
    cells = _region_cells(kec, fams["kode_desa"].to_numpy(), codes["kec_variant"], codes["desa_variant"],
                          unknown_rows, codes["kode_empty"])  # fmt: skip
    head = fams["head"].to_numpy()
    cells.update(
        {
            "ID Keluarga P3KE": fams["id_keluarga"].to_numpy(),
            "Kepala Keluarga": ind["nama"].to_numpy()[head],
            "NIK Kepala Keluarga": render_nik(ind["nik"].to_numpy()[head].astype(str).astype(object), codes["nik"]),
            "Alamat": fams["alamat"].to_numpy(),
            "Desil Kesejahteraan": _desil_column(fams["desil"].to_numpy(), _per_row(files, kec, "desil_text_keluarga"),
                                                 np.zeros(len(fams), bool)),
        }
    )  # fmt: skip
    for column, field in _KELUARGA_FIELDS.items():
        cells[column] = fams[field].to_numpy()
    cells = {k: np.asarray(v, dtype=object) for k, v in cells.items()}
    order = with_duplicates(len(fams), codes["duplicate"])
    yield from _file_jobs(files, "keluarga", cells, order, kec[order], log, dt.datetime(2024, 3, 14, 10, 0),
                          "DATA P3KE 2024 - KELUARGA")  # fmt: skip


# === SK Bupati ===========================================================================================


def sk_job(seed: int, pop: Population, sk: pd.DataFrame, plan: pd.DataFrame, log: InputLog,
           extra: pd.DataFrame | None = None) -> FileJob:  # fmt: skip
    """The decree's annex: one xlsx with a title block. ``--kasus-sulit``: ``plan`` carries the written birth
    dates (``lahir_tulis``) and ``extra`` the rows appended at the end (:mod:`helpers.demo.sk_hard`)."""
    rng = rng_for(seed, "faults-sk-cells")
    n = len(sk)
    ind, fams = pop.individuals, pop.families
    rows = sk["ind"].to_numpy()
    birth_codes = rng.choice(list(SK_DATE_STYLE_PROBS), n, p=list(SK_DATE_STYLE_PROBS.values())).astype(np.int64)
    birth_codes[plan["lahir_kosong"].to_numpy()] = DATE_EMPTY
    count_codes(log, birth_codes, DATE_STYLE_NAMES, "tanggal_lahir_")
    count_codes(log, plan["nik_code"].to_numpy(), NIK_FAULT_NAMES)
    kec_variant = _place_codes(rng, n, np.zeros(n), SK_RATES["kecamatan_varian"], log, "kecamatan_varian")
    desa_variant = _place_codes(rng, n, np.zeros(n), SK_RATES["desa_varian"], log, "desa_varian")
    alamat = fams["alamat"].to_numpy()[ind["fam"].to_numpy()[rows]].astype(object)
    upper = rng.random(n) < SK_RATES["alamat_huruf_besar"]
    alamat[upper] = [a.upper() for a in alamat[upper]]
    log.count("alamat_huruf_besar", int(upper.sum()))
    kk = sk["no_kk"].to_numpy().astype(str).astype(object)
    kk_codes = np.full(n, NIK_TEXT, dtype=np.int8)
    taken = np.zeros(n, bool)
    kk_codes[pick_rows(rng, np.ones(n, bool), SK_RATES["no_kk_sel_angka"], 1, taken)] = NIK_NUMBER
    kk_codes[pick_rows(rng, np.ones(n, bool), SK_RATES["no_kk_apostrof"], 1, taken)] = NIK_APOSTROPHE
    log.count("no_kk_sel_angka", int((kk_codes == NIK_NUMBER).sum()))
    log.count("no_kk_apostrof", int((kk_codes == NIK_APOSTROPHE).sum()))
    cells = {
        "No": np.asarray(sk["no"].tolist(), dtype=object),
        "NIK": render_nik(plan["nik_tulis"].to_numpy(), plan["nik_code"].to_numpy()),
        "Nama": plan["nama_tulis"].to_numpy(),
        "Alamat": alamat,
        "Desa/Kelurahan": place_column(sk["kode_desa"].to_numpy(), desa_variant, desa_variants),
        "Kecamatan": place_column(sk["kode_kecamatan"].to_numpy(), kec_variant, kecamatan_variants),
        "Tanggal Lahir": render_dates(plan["lahir_tulis"] if "lahir_tulis" in plan else ind["birth"].to_numpy()[rows],
                                      birth_codes),
        "No KK": render_nik(kk, kk_codes),
    }
    duplicate = pick_rows(rng, np.ones(n, bool), SK_RATES["baris_duplikat"], 1)
    if extra is not None and len(extra):
        cells = _extra_cells(seed, pop, extra, cells, log)
        duplicate = np.r_[duplicate, np.zeros(len(extra), bool)]
        n += len(extra)
    log.duplicates = int(duplicate.sum())
    log.count("baris_duplikat", log.duplicates)
    log.count("file_blok_judul", 1)
    log.count("file_header_alias", 1)
    order = with_duplicates(n, duplicate)
    relpath = "sk_miskin_ekstrem.xlsx"
    log.files[relpath] = len(order)
    return FileJob(
        relpath=relpath,
        header=list(SK_HEADER),
        columns=[np.asarray(cells[c], dtype=object)[order].tolist() for c in SK_COLUMNS],
        title_rows=[
            "LAMPIRAN KEPUTUSAN BUPATI JOMBANG",
            "NOMOR 400.9/123/415.10.1.3/2024 (DATA DEMO SINTETIS)",
            "DAFTAR PENDUDUK MISKIN EKSTREM KABUPATEN JOMBANG TAHUN 2024",
        ],
        created=dt.datetime(2024, 2, 20, 10, 0),
        sheet_name="Lampiran",
    )


def _extra_cells(seed: int, pop: Population, extra: pd.DataFrame, cells: dict, log: InputLog) -> dict:
    """The rows ``--kasus-sulit`` appends to the SK list, rendered with their own random stream."""
    rng = rng_for(seed, "faults-sk-cells-hard")
    k = len(extra)
    ind, fams = pop.individuals, pop.families
    birth_codes = rng.choice(list(SK_DATE_STYLE_PROBS), k, p=list(SK_DATE_STYLE_PROBS.values())).astype(np.int64)
    lahir = extra["lahir_tulis"].to_numpy().astype("datetime64[D]")
    birth_codes[np.isnat(lahir)] = DATE_EMPTY
    kk = np.asarray([None if v is None else str(v) for v in extra["no_kk"]], dtype=object)
    kk_codes = np.where([v is None for v in kk], NIK_EMPTY, NIK_TEXT).astype(np.int8)
    new = {
        "No": np.asarray(extra["no"].tolist(), dtype=object),
        "NIK": render_nik(extra["nik_tulis"].to_numpy(dtype=object), extra["nik_code"].to_numpy()),
        "Nama": extra["nama_tulis"].to_numpy(dtype=object),
        "Alamat": fams["alamat"].to_numpy()[ind["fam"].to_numpy()[extra["ind"].to_numpy()]].astype(object),
        "Desa/Kelurahan": place_column(extra["kode_desa"].to_numpy(), np.zeros(k, np.int64), desa_variants),
        "Kecamatan": place_column(extra["kode_kecamatan"].to_numpy(), np.zeros(k, np.int64), kecamatan_variants),
        "Tanggal Lahir": render_dates(lahir, birth_codes),
        "No KK": render_nik(kk, kk_codes),
    }
    for kasus, count in extra["kasus"].value_counts().sort_index().items():
        log.count(f"kasus_sulit_{kasus}", int(count))
    return {c: np.r_[np.asarray(cells[c], dtype=object), np.asarray(new[c], dtype=object)] for c in cells}


# === Interventions =======================================================================================

#: OPD -> (file, extra columns, date style, header aliases, title block, numeric NIK column, csv delimiter)
OPD_FILES = {
    "Dinas Sosial": ("intervensi/Dinas_Sosial_2024.xlsx", ("Status",), DATE_CELL, False, True, False, None),
    "Dinas Kesehatan": ("intervensi/Dinas_Kesehatan_2024.xlsx", ("Strategi", "Status"), DATE_DMY_SLASH, False, False,
                        False, None),
    "Dinas Pendidikan": ("intervensi/Dinas_Pendidikan_2024.xlsx", (), DATE_SERIAL, False, False, False, None),
    "DPMD": ("intervensi/DPMD_BLT_Dana_Desa_2024.csv", ("Strategi",), DATE_ISO, False, False, False, ","),
    "Disnaker": ("intervensi/Disnaker_2024.csv", (), DATE_DMY_SLASH, False, False, False, ";"),
    "Dinas Koperasi dan UMKM": ("intervensi/Dinas_Koperasi_UMKM_2024.xlsx", ("Status",), DATE_DMY_DASH, True, False,
                                False, None),
    "Dinas Perkim": ("intervensi/Dinas_Perkim_2024.xlsx", ("Strategi",), DATE_CELL, False, False, True, None),
    "Dinas PUPR": ("intervensi/Dinas_PUPR_Air_Minum_2024.xlsx", ("Strategi",), DATE_SERIAL, False, True, False, None),
}  # fmt: skip
_OPD_ALIAS_HEADERS = {"OPD": "Nama OPD", "Program": "Nama Program", "Tanggal Intervensi": "Tgl Intervensi",
                      "Status": "Status Intervensi", "NIK": "NIK "}  # fmt: skip


def _check_status_files() -> None:
    with_status = {o for o, spec in OPD_FILES.items() if "Status" in spec[1]}
    if with_status != set(STATUS_OPD):
        raise AssertionError(f"OPD files with a Status column {sorted(with_status)} != {sorted(STATUS_OPD)}")


def intervensi_codes(seed: int, records: pd.DataFrame, log: InputLog) -> dict[str, np.ndarray]:
    """Fault codes of the intervention records (data-losing faults only on records of non-SK people)."""
    _check_status_files()
    rng = rng_for(seed, "faults-intervensi")
    n = len(records)
    spec = records["opd"].map(OPD_FILES)
    is_csv = spec.map(lambda s: s[0].endswith(".csv")).to_numpy()
    numeric = spec.map(lambda s: s[5]).to_numpy()
    may_lose = (records["sasaran"] != "sk").to_numpy()
    taken = np.zeros(n, bool)
    no_id = pick_rows(rng, may_lose, INTERVENSI_RATES["tanpa_nik_dan_nama"], 1)
    # rows without NIK and name must stay distinct from each other: one per (OPD, programme, date, status)
    repeated = records[no_id].duplicated(["opd", "program", "tanggal", "status"]).to_numpy()
    no_id[np.flatnonzero(no_id)[repeated]] = False
    taken |= no_id
    no_date = pick_rows(rng, may_lose, INTERVENSI_RATES["tanggal_kosong"], 1, taken)
    nik = np.full(n, NIK_TEXT, dtype=np.int8)
    nik[numeric] = NIK_NUMBER
    taken |= numeric
    sci = pick_rows(rng, may_lose, INTERVENSI_RATES["nik_notasi_ilmiah"], 1, taken)
    nik[sci] = NIK_SCIENTIFIC
    for code, name, where in (
        (NIK_APOSTROPHE, "nik_apostrof", ~numeric),
        (NIK_SPACES, "nik_spasi", ~numeric),
        (NIK_DOTS, "nik_titik", ~numeric),
        (NIK_NUMBER, "nik_sel_angka", ~numeric & ~is_csv),
    ):
        nik[pick_rows(rng, where, INTERVENSI_RATES[name], 1, taken)] = code  # fmt: skip
    nik[no_id] = NIK_EMPTY
    count_codes(log, nik, NIK_FAULT_NAMES)
    base = spec.map(lambda s: s[2]).to_numpy().astype(np.int64)
    dates = np.where(is_csv, mixed_codes(rng, base, TEXT_DATE_STYLES, INTERVENSI_RATES["tanggal_gaya_lain"]),
                     mixed_codes(rng, base, ALL_DATE_STYLES, INTERVENSI_RATES["tanggal_gaya_lain"]))  # fmt: skip
    dates[no_date] = DATE_EMPTY
    count_codes(log, dates, DATE_STYLE_NAMES, "tanggal_")
    quarantined = no_id | no_date | sci
    duplicate = pick_rows(rng, ~quarantined, INTERVENSI_RATES["baris_duplikat"], 1)
    log.quarantine.update(
        {"tanpa_nik_dan_nama": int(no_id.sum()), "tanggal_kosong": int(no_date.sum()),
         "nik_tidak_dapat_dipulihkan": int(sci.sum())}
    )  # fmt: skip
    log.count("tanpa_nik_dan_nama", int(no_id.sum()))
    log.duplicates = int(duplicate.sum())
    log.count("baris_duplikat", log.duplicates)
    log.count("file_csv", len({s[0] for s in OPD_FILES.values() if s[0].endswith(".csv")}))
    log.count("file_blok_judul", sum(1 for s in OPD_FILES.values() if s[4]))
    log.count("file_header_alias", sum(1 for s in OPD_FILES.values() if s[3]))
    log.count("file_kolom_nik_angka", sum(1 for s in OPD_FILES.values() if s[5]))
    return {"nik": nik, "dates": dates, "no_id": no_id, "duplicate": duplicate}


def intervensi_jobs(records: pd.DataFrame, codes: dict, log: InputLog) -> Iterator[FileJob]:
    """One file per OPD (xlsx or csv)."""
    names = records["nama"].to_numpy().astype(object)
    title_case = records["opd"].isin(["Dinas Kesehatan", "Disnaker"]).to_numpy()
    names[title_case] = [v.title() for v in names[title_case]]
    names[codes["no_id"]] = None
    cells = {
        "NIK": render_nik(records["nik_tulis"].to_numpy().astype(str).astype(object), codes["nik"]),
        "Nama": names,
        "OPD": records["opd"].to_numpy().astype(object),
        "Program": records["program"].to_numpy().astype(object),
        "Tanggal Intervensi": render_dates(records["tanggal"].to_numpy(), codes["dates"]),
        "Strategi": records["strategi"].to_numpy().astype(object),
        "Status": records["status"].to_numpy().astype(object),
    }
    order = with_duplicates(len(records), codes["duplicate"])
    opd_of_order = records["opd"].to_numpy()[order]
    for opd, (path, extra, _, alias, title, _, delimiter) in sorted(OPD_FILES.items(), key=lambda kv: kv[1][0]):
        idx = order[opd_of_order == opd]
        canonical = ["NIK", "Nama", "OPD", "Program", "Tanggal Intervensi", *extra]
        header = [_OPD_ALIAS_HEADERS.get(c, c) if alias else c for c in canonical]
        log.files[path] = len(idx)
        yield FileJob(
            relpath=path,
            header=header,
            columns=[cells[c][idx].tolist() for c in canonical],
            title_rows=[f"DATA INTERVENSI PROGRAM {opd.upper()} TAHUN 2024", "KABUPATEN JOMBANG"] if title else [],
            created=dt.datetime(2024, 11, 29, 15, 0),
            sheet_name="Intervensi",
            delimiter=delimiter or ",",
            encoding="utf-8-sig" if delimiter == ";" else "utf-8",
        )


# === Field verification ==================================================================================


def verifikasi_codes(seed: int, records: pd.DataFrame, log: InputLog) -> dict[str, np.ndarray]:
    """Fault codes of the verification rows: unrecoverable NIKs only on redundant re-visits."""
    rng = rng_for(seed, "faults-verifikasi")
    n = len(records)
    redundant = records["redundan"].to_numpy()
    taken = np.zeros(n, bool)
    nik = np.full(n, NIK_TEXT, dtype=np.int8)
    sci = pick_rows(rng, redundant, VERIFIKASI_RATES["nik_notasi_ilmiah"], 1, taken)
    nik[sci] = NIK_SCIENTIFIC
    for code, name in ((NIK_NUMBER, "nik_sel_angka"), (NIK_APOSTROPHE, "nik_apostrof"), (NIK_SPACES, "nik_spasi"),
                       (NIK_DOTS, "nik_titik")):  # fmt: skip
        nik[pick_rows(rng, np.ones(n, bool), VERIFIKASI_RATES[name], 1, taken)] = code
    count_codes(log, nik, NIK_FAULT_NAMES)
    files = verifikasi_file_plan(seed, records)
    base = files.set_index("key")["date_style"].loc[_file_keys(records)].to_numpy().astype(np.int64)
    dates = mixed_codes(rng, base, (DATE_CELL, DATE_DMY_SLASH, DATE_ISO, DATE_SERIAL),
                        VERIFIKASI_RATES["tanggal_gaya_lain"])  # fmt: skip
    count_codes(log, dates, DATE_STYLE_NAMES, "tanggal_")
    duplicate = pick_rows(rng, ~sci, VERIFIKASI_RATES["baris_duplikat"], 1)
    log.quarantine["nik_tidak_dapat_dipulihkan"] = int(sci.sum())
    log.duplicates = int(duplicate.sum())
    log.count("baris_duplikat", log.duplicates)
    log.count("file_blok_judul", int(files["title"].sum()))
    log.count("file_header_alias", int(files["alias"].sum()))
    desa_variant = _place_codes(rng, n, np.zeros(n), VERIFIKASI_RATES["desa_varian"], log, "desa_varian")
    return {
        "nik": nik,
        "dates": dates,
        "duplicate": duplicate,
        "sci": sci,
        "files": files,
        "desa_variant": desa_variant,
    }


def _file_keys(records: pd.DataFrame) -> pd.Series:
    return records["putaran"].astype(str) + "|" + records["kode_kecamatan"]


def verifikasi_file_plan(seed: int, records: pd.DataFrame) -> pd.DataFrame:
    """One file per (round, kecamatan) that has visits."""
    rng = rng_for(seed, "files-verifikasi")
    keys = records[["putaran", "kode_kecamatan"]].drop_duplicates().sort_values(["putaran", "kode_kecamatan"])
    files = keys.reset_index(drop=True)
    names = dict(zip(kecamatan_table()["kode"], kecamatan_table()["nama"]))
    files["key"] = files["putaran"].astype(str) + "|" + files["kode_kecamatan"]
    files["path"] = [f"verifikasi/{ROUNDS[p]}_{names[k].replace(' ', '')}.xlsx"
                     for p, k in zip(files["putaran"], files["kode_kecamatan"])]  # fmt: skip
    n = len(files)
    files["title"] = rng.random(n) < 0.4
    files["alias"] = rng.random(n) < 0.3
    files["date_style"] = rng.choice([DATE_CELL, DATE_DMY_SLASH, DATE_ISO], n, p=[0.6, 0.3, 0.1])
    files["kec_variant"] = [int(rng.integers(0, len(kecamatan_variants(k)))) for k in files["kode_kecamatan"]]
    files["header"] = [file_headers(rng, VERIFIKASI_COLUMNS, a) for a in files["alias"]]
    # forms that carry a round number (hard cases only) have one more column, "Putaran"
    numbered = records.groupby(_file_keys(records))["nomor_putaran"].apply(lambda n: bool(n.notna().any()))
    files["bernomor"] = files["key"].map(numbered).fillna(False).astype(bool)
    files["header"] = [h + ["Putaran"] if n else h for h, n in zip(files["header"], files["bernomor"])]
    return files


def verifikasi_jobs(records: pd.DataFrame, codes: dict, log: InputLog) -> Iterator[FileJob]:
    files = codes["files"]
    key = _file_keys(records).to_numpy()
    kec_variant = files.set_index("key")["kec_variant"].loc[key].to_numpy()
    cells = {
        "NIK": render_nik(records["nik"].to_numpy().astype(str).astype(object), codes["nik"]),
        "Nama": records["nama"].to_numpy().astype(object),
        "Kecamatan": place_column(records["kode_kecamatan"].to_numpy(), kec_variant, kecamatan_variants),
        "Desa/Kelurahan": place_column(records["kode_desa"].to_numpy(), codes["desa_variant"], desa_variants),
        "Status Keberadaan": records["status"].to_numpy().astype(object),
        "Kondisi": records["kondisi"].to_numpy().astype(object),
        "Tanggal Verifikasi": render_dates(records["tanggal"].to_numpy(), codes["dates"]),
        "Keterangan": records["keterangan"].to_numpy().astype(object),
        "Petugas": records["petugas"].to_numpy().astype(object),
        "Putaran": np.array([None if pd.isna(n) else int(n) for n in records["nomor_putaran"]], dtype=object),
    }
    order = with_duplicates(len(records), codes["duplicate"])
    key_of_order = key[order]
    names = dict(zip(kecamatan_table()["kode"], kecamatan_table()["nama"]))
    for row in files.itertuples(index=False):
        idx = order[key_of_order == row.key]
        log.files[row.path] = len(idx)
        round_date = ROUNDS[row.putaran]
        yield FileJob(
            relpath=row.path,
            header=row.header,
            columns=[cells[c][idx].tolist() for c in VERIFIKASI_COLUMNS + (["Putaran"] if row.bernomor else [])],
            title_rows=[
                f"HASIL PENYISIRAN LAPANGAN KECAMATAN {names[row.kode_kecamatan].upper()}",
                f"PUTARAN {row.putaran + 1}, {round_date}",
            ]
            if row.title
            else [],  # fmt: skip
            created=dt.datetime.fromisoformat(str(round_date)) + dt.timedelta(hours=16),
            sheet_name="Verifikasi",
        )
