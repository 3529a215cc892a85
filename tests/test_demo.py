"""The synthetic demo dataset (helpers.demo): determinism, counts, the truth file, readable and resolvable files.

Includes a small reference implementation of the stated pipeline rules (written here, independent of both the
generator and the pipeline modules) that must reproduce the truth figures from the files alone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rapidfuzz import fuzz

from helpers.cleaning.nik import normalise_nik
from helpers.demo import generate as demo
from helpers.reading.contract import INPUTS
from helpers.reading.readers import SOURCE_FILE, SOURCE_ROW, canonical_header, header_key, read_input
from helpers.reference.figures import programme_strategies
from helpers.reference.wilayah import normalise_code, resolve_desa, resolve_kecamatan
from helpers.vocabulary import METODE_PADAN

SEED = 5
SCALE = 0.01
REPORT_DATE = "2024-11-06"
REPORTED = {
    "sasaran_sk": 7408,
    "keluar_desil1": 5567,
    "masih_desil1": 1841,
    "intervensi_optimal": 1752,
    "intervensi_belum_optimal": 89,
    "belum_optimal_masih_ada": 78,
    "belum_optimal_meninggal": 11,
}
FIGURES = ("sasaran_sk", "keluar_desil1", "masih_desil1", "intervensi_optimal", "intervensi_belum_optimal",
           "belum_optimal_masih_ada", "belum_optimal_meninggal", "perlu_tindakan")  # fmt: skip
README = Path(__file__).resolve().parents[1] / "data" / "raw" / "README.md"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("demo") / "raw"
    truth = demo.generate(out, seed=SEED, scale=SCALE, progress=False)
    return {"raw": out, "truth": truth}


@pytest.fixture(scope="module")
def frames(generated) -> dict[str, pd.DataFrame]:
    return {name: read_input(generated["raw"], spec, progress=False) for name, spec in INPUTS.items()}


def _data_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in (SOURCE_FILE, SOURCE_ROW)]


# --------------------------------------------------------------------------- determinism and counts


def _file_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes(generated, tmp_path):
    again = tmp_path / "raw"
    assert demo.main(["--seed", str(SEED), "--scale", str(SCALE), "--out", str(again), "--quiet"]) == 0
    first, second = _file_bytes(generated["raw"]), _file_bytes(again)
    assert first.keys() == second.keys()
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, f"files differ between two runs: {differ[:5]}"


def test_rerun_replaces_previous_demo_and_refuses_foreign_files(tmp_path, capsys):
    out = tmp_path / "raw"
    (out / "p3ke").mkdir(parents=True)
    (out / "p3ke" / "P3KE_2024_LAMA.xlsx").write_bytes(b"from an earlier demo run")
    (out / demo.TRUTH_FILE).write_text(json.dumps({"files_written": ["p3ke/P3KE_2024_LAMA.xlsx"]}))
    demo.prepare_output(out)  # files of an earlier demo run are replaced
    assert not (out / "p3ke" / "P3KE_2024_LAMA.xlsx").exists() and not (out / demo.TRUTH_FILE).exists()
    (out / "p3ke" / "data_asli.xlsx").write_bytes(b"not a demo file")
    assert demo.main(["--scale", "0.01", "--out", str(out), "--quiet"]) == 2  # bad input
    assert "bukan hasil demo" in capsys.readouterr().err
    assert (out / "p3ke" / "data_asli.xlsx").exists()
    assert demo.main(["--scale", "0", "--out", str(tmp_path / "x"), "--quiet"]) == 2


def test_counts_at_small_scale(generated, frames):
    truth = generated["truth"]
    p3ke = truth["p3ke"]
    assert p3ke["individu"] == p3ke["individu_inti"] + round(SCALE * (654_220 - p3ke["individu_inti"]))
    assert frames["p3ke"]["id_individu"].nunique() == p3ke["individu"]
    assert frames["p3ke_keluarga"]["id_keluarga"].nunique() == p3ke["keluarga"]
    assert set(frames["p3ke"]["id_keluarga"]) == set(frames["p3ke_keluarga"]["id_keluarga"])
    sk = frames["sk"]
    assert sk["no"].nunique() == 7408
    assert len(sk.drop_duplicates(_data_columns(sk))) == 7408
    assert truth["sk"] == {**truth["sk"], "orang": 7408, "keluar_desil1": 5567, "masih_desil1": 1841}
    assert len(truth["matches"]) == 7408 and len(set(truth["matches"].values())) == 7408
    assert set(truth["matches"].values()) <= set(frames["p3ke"]["id_individu"])


def test_files_follow_the_contract(generated, frames):
    """Every input reads with helpers.readers; rows per file, duplicates and quarantine add up."""
    raw, inputs = generated["raw"], generated["truth"]["inputs"]
    for name, frame in frames.items():
        info = inputs[name]
        assert frame.groupby(SOURCE_FILE).size().to_dict() == info["files"], name
        assert int(frame.duplicated(_data_columns(frame)).sum()) == info["duplicates"], name
        assert info["rows_written"] == info["kept"] + info["duplicates"] + info["quarantine"], name
        assert info["rows_written"] == len(frame)
    assert (raw / "sk_miskin_ekstrem.xlsx").is_file()
    kinds = {p.suffix for p in (raw / "intervensi").iterdir()}
    assert kinds == {".xlsx", ".csv"}
    assert not (raw / "batas_wilayah").exists()
    names = sorted(p.name for p in (raw / "verifikasi").iterdir())
    assert all(re.fullmatch(r"2024-1[01]-\d\d_[A-Za-z]+\.xlsx", n) for n in names)
    assert {n[:10] for n in names} == {"2024-10-03", "2024-10-17", "2024-10-31", "2024-11-21", "2024-11-28"}
    headers = {str(c) for c in frames["verifikasi"].columns}
    assert "putaran" in headers and frames["verifikasi"]["putaran"].isna().all()  # default demo: no round numbers


def test_xlsx_files_open_in_openpyxl(generated):
    openpyxl = pytest.importorskip("openpyxl")
    path = sorted((generated["raw"] / "p3ke").glob("*.xlsx"))[0]
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if sum(canonical_header(c) is not None for c in r if c) >= 5)
    assert len(rows) - header - 1 == generated["truth"]["inputs"]["p3ke"]["files"][f"p3ke/{path.name}"]


def test_place_names_resolve_except_the_deliberate_typos(generated, frames):
    truth = generated["truth"]
    unknown = truth["wilayah_tidak_dikenal"]
    for name, frame in frames.items():
        if "kecamatan" not in frame:
            continue
        kec = resolve_kecamatan(frame["kecamatan"])
        assert kec.notna().all(), name
        desa = resolve_desa(kec, frame["desa"])
        bad = frame.loc[desa.isna(), "desa"]
        expected = {u["desa_tertulis"] for u in unknown} if name in ("p3ke", "p3ke_keluarga") else set()
        assert set(bad) == expected, name
        rows = sum(u["baris_p3ke" if name == "p3ke" else "baris_p3ke_keluarga"] for u in unknown) if expected else 0
        assert len(bad) == rows == truth["inputs"][name]["quarantine_reasons"].get("desa_tidak_dikenal", 0), name


def test_nik_faults_are_as_recorded(generated, frames):
    faults = generated["truth"]["faults"]
    for name, frame in frames.items():
        if not {"nik", "nik_kepala_keluarga"} & set(frame.columns):
            continue  # keputusan_padan carries no NIK of its own
        column = "nik" if "nik" in frame else "nik_kepala_keluarga"
        status = normalise_nik(frame.drop_duplicates(_data_columns(frame))[column])["nik_status"]
        assert int((status == "tidak_dapat_dipulihkan").sum()) == faults[name].get("nik_notasi_ilmiah", 0), name
        assert int((status == "kosong").sum()) == faults[name].get("nik_kosong", 0), name
    assert faults["sk"]["nik_salah_ketik"] > 0
    assert generated["truth"]["padan_expected"]["probabilistik"] == sum(
        faults["sk"].get(k, 0) for k in ("nik_salah_ketik", "nik_notasi_ilmiah", "nik_kosong")
    )


def test_headers_use_aliases_title_blocks_and_date_styles(generated):
    faults = generated["truth"]["faults"]
    for name in ("p3ke", "p3ke_keluarga", "sk", "intervensi", "verifikasi"):
        assert faults[name]["file_blok_judul"] > 0 and faults[name]["file_header_alias"] > 0, name
    dates = {k for k in faults["p3ke"] if k.startswith("tanggal_lahir_")}
    assert {"tanggal_lahir_sel_tanggal", "tanggal_lahir_angka_serial_excel", "tanggal_lahir_teks_dd/mm/yyyy",
            "tanggal_lahir_teks_dd-mm-yyyy", "tanggal_lahir_teks_yyyy-mm-dd"} <= dates  # fmt: skip


def test_readme_documents_every_fault(generated):
    text = README.read_text(encoding="utf-8")
    keys = {k for counts in generated["truth"]["faults"].values() for k in counts if not k.startswith("baris_")}
    # date-style counts are documented by their style name (tanggal_lahir_sel_tanggal -> sel_tanggal)
    keys = {re.sub(r"^tanggal_(lahir_)?(?!kosong)", "", k) for k in keys}
    missing = sorted(k for k in keys if k not in text)
    assert not missing, f"data/raw/README.md does not document: {missing}"


# --------------------------------------------------------------------------- the truth file


def test_truth_is_consistent(generated):
    truth = generated["truth"]
    padan = truth["padan_expected"]
    assert padan["tinjau_manual"] == padan["tidak_padan"] == 0
    assert sum(padan.values()) == 7408
    assert set(truth["expected"]) >= {"2024-10-15", REPORT_DATE, "2024-11-20", "2024-11-30", "2024-10-03",
                                      "2024-10-17", "2024-10-31", "2024-11-21", "2024-11-28"}  # fmt: skip
    for date, fig in truth["expected"].items():
        assert fig["padan"] == padan, date
        assert fig["keluar_desil1"] + fig["masih_desil1"] == fig["sasaran_sk"] == 7408, date
        parts = fig["intervensi_optimal"] + fig["intervensi_belum_optimal"] + fig["belum_intervensi"]
        assert parts == fig["masih_desil1"] and fig["belum_intervensi"] == 0, date
        assert fig["belum_optimal_masih_ada"] + fig["belum_optimal_meninggal"] <= fig["intervensi_belum_optimal"]
        rows = fig["per_kecamatan"]
        assert len(rows) == 21 and [r["kode"] for r in rows] == sorted(r["kode"] for r in rows)
        assert all(re.fullmatch(r"35\.17\.\d\d", r["kode"]) for r in rows)
        for key in ("sasaran_sk", "keluar_desil1", "masih_desil1", "intervensi_optimal", "intervensi_belum_optimal"):
            assert sum(r[key] for r in rows) == fig[key], (date, key)
    fig = truth["expected"][REPORT_DATE]
    assert {k: fig[k] for k in REPORTED} == REPORTED
    assert fig["belum_optimal_masih_ada"] + fig["belum_optimal_meninggal"] == fig["intervensi_belum_optimal"]
    assert fig["perlu_tindakan"] == 78
    expected = truth["expected"]
    assert expected["2024-10-15"]["intervensi_optimal"] < fig["intervensi_optimal"]
    assert fig["perlu_tindakan"] > expected["2024-11-20"]["perlu_tindakan"] > expected["2024-11-30"]["perlu_tindakan"]
    assert expected["2024-11-30"]["perlu_tindakan"] == 0
    # each field sweep is one ISO week (Monday to Thursday): three rounds before the report date
    assert [r["nama_putaran"] for r in truth["putaran"]] == ["Minggu 40", "Minggu 42", "Minggu 44"]
    assert truth["kasus_sulit"] is None


# --------------------------------------------------------------------------- hard cases (--kasus-sulit)


@pytest.fixture(scope="module")
def hard(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("sulit") / "raw"
    assert demo.main(["--seed", str(SEED), "--scale", str(SCALE), "--out", str(out), "--quiet", "--kasus-sulit"]) == 0
    truth = json.loads((out / demo.TRUTH_FILE).read_text(encoding="utf-8"))
    return {"raw": out, "truth": truth, "verifikasi": read_input(out, INPUTS["verifikasi"], progress=False)}


def test_hard_cases_have_people_without_intervention_and_the_funnel_adds_up(hard, generated):
    truth = hard["truth"]
    for date, fig in truth["expected"].items():
        assert fig["masih_desil1"] == fig["intervensi_optimal"] + fig["intervensi_belum_optimal"] + fig["belum_intervensi"]
        for row in fig["per_kecamatan"]:
            parts = row["intervensi_optimal"] + row["intervensi_belum_optimal"] + row["belum_intervensi"]
            assert row["masih_desil1"] == parts, (date, row["nama"])
    fig = truth["expected"][REPORT_DATE]
    sulit = truth["kasus_sulit"]
    assert fig["belum_intervensi"] == len(sulit["belum_intervensi_no"]) == demo.KASUS_SULIT["E"]
    default = generated["truth"]["expected"][REPORT_DATE]
    # the same people otherwise: only the optimal count gives way to the people without intervention
    assert fig["intervensi_optimal"] == default["intervensi_optimal"] - fig["belum_intervensi"]
    for key in ("keluar_desil1", "masih_desil1", "intervensi_belum_optimal", "belum_optimal_meninggal"):
        assert fig[key] == default[key], key
    assert fig["perlu_tindakan"] == default["perlu_tindakan"] + fig["belum_intervensi"]
    # the rows added to the SK list (people absent from P3KE, second rows of a person) count in sasaran_sk only
    added = sum(1 for no in sulit["kunci_padan"] if int(no) > default["sasaran_sk"])
    assert fig["sasaran_sk"] == default["sasaran_sk"] + added
    assert added == fig["padan"]["tidak_padan"] + fig["padan"]["tinjau_manual"]


def test_hard_cases_report_deaths_again_and_forms_carry_round_numbers(hard):
    truth, frame = hard["truth"], hard["verifikasi"]
    sulit = truth["kasus_sulit"]
    assert [len(v) for v in sulit["meninggal_lalu"].values()] == [1, 1]
    by_no = {int(k): v for k, v in truth["matches"].items()}
    assert all(no in by_no for nos in sulit["meninggal_lalu"].values() for no in nos)
    later = frame[frame["status_keberadaan"].isin(["Tidak Ditemukan", "Ada"])]
    assert len(later) > 0
    numbered = frame.dropna(subset=["putaran"])
    assert len(numbered) and set(numbered["putaran"]) == {"2", "3", "4", "5"}
    first_round = frame[frame[SOURCE_FILE].str.startswith("verifikasi/2024-10-03")]
    assert first_round["putaran"].isna().all()  # older forms without the column
    assert [r["nama_putaran"] for r in sulit["putaran"]] == ["Minggu 40", "Putaran 2", "Putaran 3"]
    assert sulit["baris_sesudah_meninggal"] == 2


def test_hard_cases_same_seed_gives_identical_bytes(hard, tmp_path):
    again = tmp_path / "again"
    assert demo.main(["--seed", str(SEED), "--scale", str(SCALE), "--out", str(again), "--quiet", "--kasus-sulit"]) == 0
    assert _file_bytes(hard["raw"]) == _file_bytes(again)


LINKAGE_CASES = ("nik_salah_ketik", "nik_milik_kerabat", "nik_excel", "nik_excel_kembar", "tidak_ada",
                 "tidak_ada_tetangga_mirip", "duplikat_sk", "ejaan_lama", "tanggal_tertukar", "tanggal_kosong",
                 "nik_kosong", "nama_salah_ketik")  # fmt: skip


def test_hard_cases_answer_key_covers_every_sk_row_and_the_raw_file_carries_the_cases(hard):
    key = hard["truth"]["kasus_sulit"]["kunci_padan"]
    sk = read_input(hard["raw"], INPUTS["sk"], progress=False)
    sk = sk.drop_duplicates(_data_columns(sk))
    assert sorted(key, key=int) == sorted(set(sk["no"]), key=int)
    p3ke = read_input(hard["raw"], INPUTS["p3ke"], progress=False)
    p3ke = p3ke.assign(nik=normalise_nik(p3ke["nik"])["nik"]).set_index("id_individu")
    counts = pd.Series([v["kasus"] for v in key.values()]).value_counts()
    for case in LINKAGE_CASES:  # each a few percent of the list (at least one row)
        assert 0 < counts.get(case, 0) <= 0.06 * len(key), case
    by_no = sk.set_index("no")
    present = {no: v["id_individu"] for no, v in key.items() if v["id_individu"] is not None}
    assert set(present.values()) <= set(p3ke.index)
    written = normalise_nik(by_no["nik"])
    nik_of = dict(zip(by_no.index, written["nik"]))
    registered = set(p3ke["nik"].dropna())
    holders = twins = 0
    for no, entry in key.items():
        case, truth = entry["kasus"], entry["id_individu"]
        if case.startswith("tidak_ada"):
            assert truth is None and (pd.isna(nik_of[no]) or nik_of[no] not in registered), no
            if case == "tidak_ada_tetangga_mirip":
                assert pd.isna(by_no.loc[no, "tanggal_lahir"]), no
        elif case == "nik_milik_kerabat":
            relative = p3ke[p3ke["nik"] == nik_of[no]]
            if relative.empty:  # the relative's own P3KE NIK cell is one of the unreadable ones
                continue
            assert len(relative) == 1 and relative.index[0] != truth, no
            assert relative["id_keluarga"].iloc[0] == p3ke.loc[truth, "id_keluarga"], no
        elif case == "nik_excel":
            own = p3ke.loc[truth, "nik"]
            if pd.isna(own):
                continue
            assert by_no.loc[no, "nik"] == own[:15] + "0" != own, no  # a genuine number cell, 16th digit 0
            # recovered as written, unless the truncation left serial 0000 (no NIK has it)
            status = written.loc[no, "nik_status"]
            assert status == "tidak_valid" if own[12:15] == "000" else status in ("valid", "diperbaiki"), no
            holders += int((p3ke["nik"] == nik_of[no]).any())
        elif case == "nik_excel_kembar":  # the truncated NIK is someone else's, named one letter away
            own = p3ke.loc[truth, "nik"]
            assert pd.isna(own) or by_no.loc[no, "nik"] == own[:15] + "0" != own, no
            twin = p3ke[p3ke["nik"] == nik_of[no]]
            if pd.isna(own) or twin.empty:  # an unreadable P3KE NIK cell
                continue
            assert len(twin) == 1 and twin.index[0] != truth, no
            mine, theirs = p3ke.loc[truth, "nama"].upper(), twin["nama"].iloc[0].upper()
            assert len(mine) == len(theirs) and sum(a != b for a, b in zip(mine, theirs)) == 1, no
            twins += 1
        elif case == "nik_salah_ketik":
            assert pd.isna(nik_of[no]) or nik_of[no] not in registered, no  # or no longer a valid NIK
        elif case == "nik_kosong":
            assert pd.isna(by_no.loc[no, "nik"]), no
    assert 0 < holders < counts["nik_excel"] and twins > 0
    assert (sk.loc[sk["no"].isin([n for n, v in key.items() if v["kasus"] == "ejaan_lama"]), "nama"]
            .str.contains(r"OE|TJ|DJ|Moch|St\.|Abd\.|^Hj?\.", case=False).mean() > 0.5)  # fmt: skip


def test_some_opd_file_records_under_the_sk_nik(generated, frames):
    """OPD that copy NIKs from the SK list file the records of people whose SK NIK is mistyped under that NIK,
    which no P3KE person holds; for some people it is the only NIK their records carry."""
    copied = generated["truth"]["intervensi_nik_sk"]
    assert copied["hanya_nik_sk"] and set(copied["hanya_nik_sk"]) < set(copied["no"])
    sk = frames["sk"].drop_duplicates(_data_columns(frames["sk"]))
    sk_nik = dict(zip(sk["no"].astype(int), normalise_nik(sk["nik"])["nik"]))
    written = {sk_nik[no] for no in copied["no"]}
    iv = frames["intervensi"].drop_duplicates(_data_columns(frames["intervensi"]))
    under = iv[normalise_nik(iv["nik"])["nik"].isin(written).to_numpy()]
    assert len(under) == copied["baris"] and set(under["opd"]) <= set(copied["opd"])
    assert not written & set(normalise_nik(frames["p3ke"]["nik"])["nik"].dropna())


# --------------------------------------------------------------------------- an independent reference check

_TITLES = re.compile(r"\b(?:HJ|H|DRS|DR|IR|KH)\.\s*")


def _name_key(value: object) -> str:
    if pd.isna(value):
        return ""
    text = _TITLES.sub(" ", " ".join(str(value).upper().split()))
    return " ".join(re.sub(r"[^\w\s]", "", text).split())


def _dates(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")
    for pattern, fmt in ((r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"), (r"\d{2}/\d{2}/\d{4}", "%d/%m/%Y"),
                         (r"\d{2}-\d{2}-\d{4}", "%d-%m-%Y")):  # fmt: skip
        hit = text.str.fullmatch(pattern).fillna(False).astype(bool)
        out[hit] = pd.to_datetime(text[hit], format=fmt)
    serial = text.str.fullmatch(r"\d{5}").fillna(False).astype(bool)
    out[serial] = pd.Timestamp("1899-12-30") + pd.to_timedelta(text[serial].astype(int), unit="D")
    return out


def _desil(values: pd.Series) -> pd.Series:
    number = pd.to_numeric(values.astype("string").str.extract(r"^(?:Desil\s*)?(\d+)$", expand=False), errors="coerce")
    return number.where(number.between(1, 10))


def _regions(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["kode_kec"] = resolve_kecamatan(frame["kecamatan"])
    by_name = resolve_desa(frame["kode_kec"], frame["desa"])
    if "kode_kemendagri" in frame:
        code = frame["kode_kemendagri"].map(lambda v: normalise_code(v) if isinstance(v, str) else pd.NA)
        by_name = code.astype("string").fillna(by_name)
    frame["kode_desa"] = by_name
    return frame


def _clean(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    out = {}
    for name, frame in frames.items():
        frame = frame.drop_duplicates(_data_columns(frame)).copy()
        if "nik" in frame:
            frame["nik_n"] = normalise_nik(frame["nik"])["nik"]
        out[name] = frame
    p3ke = _regions(out["p3ke"])
    p3ke["desil_n"] = _desil(p3ke["desil"])
    p3ke["lahir"] = _dates(p3ke["tanggal_lahir"])
    keep = (p3ke["nik"].notna() | p3ke["nama"].notna()) & p3ke["kode_desa"].notna() & p3ke["desil_n"].notna()
    out["p3ke"] = p3ke[keep]
    keluarga = _regions(out["p3ke_keluarga"])
    out["p3ke_keluarga"] = keluarga[keluarga["kode_desa"].notna() & _desil(keluarga["desil"]).notna()]
    sk = _regions(out["sk"])
    sk["lahir"] = _dates(sk["tanggal_lahir"])
    out["sk"] = sk
    strategies = programme_strategies()
    iv = out["intervensi"]
    iv["tanggal"] = _dates(iv["tanggal_intervensi"])
    iv["strategi_n"] = iv["strategi"].fillna(iv["program"].map(lambda p: strategies.get(header_key(p))))
    out["intervensi"] = iv[iv["nik_n"].notna() & iv["tanggal"].notna()]
    vf = out["verifikasi"]
    vf["tanggal"] = _dates(vf["tanggal_verifikasi"])
    out["verifikasi"] = vf[vf["nik_n"].notna() & vf["tanggal"].notna()]
    return out


def _match(sk: pd.DataFrame, p3ke: pd.DataFrame, threshold: float = 85) -> pd.DataFrame:
    by_nik = p3ke.dropna(subset=["nik_n"]).drop_duplicates("nik_n").set_index("nik_n")["id_individu"]
    by_nik = dict(zip(by_nik.index.astype(str), by_nik.astype(str)))
    used = {by_nik[n] for n in sk["nik_n"].dropna().astype(str) if n in by_nik}
    free = p3ke[~p3ke["id_individu"].astype(str).isin(used)]
    keys = free["nama"].map(_name_key).tolist()
    desa = {d: np.asarray(rows) for d, rows in free.groupby("kode_desa").indices.items()}
    births = free["lahir"].to_numpy()
    ids = free["id_individu"].astype(str).to_numpy()
    rows = []
    for no, nik, nama, kode_desa, lahir in zip(sk["no"], sk["nik_n"], sk["nama"], sk["kode_desa"], sk["lahir"]):
        if pd.notna(nik) and nik in by_nik:
            rows.append((no, by_nik[nik], "nik"))
            continue
        cand = desa.get(kode_desa, np.array([], dtype=int))
        if pd.notna(lahir):
            cand = cand[pd.isna(births[cand]) | (births[cand] == np.datetime64(lahir))]
        scores = np.array([fuzz.token_sort_ratio(_name_key(nama), keys[i]) for i in cand])
        if not len(cand) or scores.max() < threshold:
            rows.append((no, None, "tidak_padan"))
        elif (scores == scores.max()).sum() > 1:
            rows.append((no, None, "tinjau_manual"))
        else:
            rows.append((no, ids[cand[int(scores.argmax())]], "probabilistik"))
    return pd.DataFrame(rows, columns=["no", "id_individu", "metode"])


def _summary(clean: dict, matched: pd.DataFrame, date: str) -> dict:
    day = pd.Timestamp(date)
    p3ke = clean["p3ke"].drop_duplicates("id_individu").set_index("id_individu")
    people = matched.join(p3ke[["nik_n", "desil_n", "kode_kec"]], on="id_individu")
    # a record counts for a matched person under the P3KE NIK, or under the SK NIK when that is nobody's P3KE NIK
    sk_nik = people["no"].map(clean["sk"].drop_duplicates("no").set_index("no")["nik_n"])
    own = people["id_individu"].notna() & sk_nik.notna() & ~sk_nik.isin(set(clean["p3ke"]["nik_n"].dropna()))
    person = dict(zip(sk_nik[own], people.loc[own, "no"])) | dict(zip(people["nik_n"], people["no"]))
    iv = clean["intervensi"][clean["intervensi"]["tanggal"] <= day]
    iv = iv.assign(orang=iv["nik_n"].map(person))
    judged = iv[iv["status_opd"].notna()].sort_values("tanggal").drop_duplicates("orang", keep="last")
    judged = judged.set_index("orang")["status_opd"].map({"Optimal": "optimal", "Belum Optimal": "belum_optimal"})
    counts = iv.groupby("orang")["strategi_n"].nunique()
    rule = people["no"].map(counts).fillna(0).ge(2).map({True: "optimal", False: "belum_optimal"})
    status = people["no"].map(judged).fillna(rule)
    vf = clean["verifikasi"][clean["verifikasi"]["tanggal"] <= day].sort_values("tanggal")
    latest = vf.drop_duplicates("nik_n", keep="last").set_index("nik_n")["status_keberadaan"]
    where = people["nik_n"].map(latest).astype(object).fillna("belum_diverifikasi")
    masih = people["desil_n"] == 1
    belum = masih & (status == "belum_optimal")
    return {
        "sasaran_sk": len(people),
        "padan": {m: int((matched["metode"] == m).sum()) for m in METODE_PADAN},
        "keluar_desil1": int((people["desil_n"] > 1).sum()),
        "masih_desil1": int(masih.sum()),
        "intervensi_optimal": int((masih & (status == "optimal")).sum()),
        "intervensi_belum_optimal": int(belum.sum()),
        "belum_optimal_masih_ada": int((belum & (where == "Ada")).sum()),
        "belum_optimal_meninggal": int((belum & (where == "Meninggal")).sum()),
        "perlu_tindakan": int((belum & ~where.isin(["Meninggal", "Pindah"])).sum()),
        "per_kecamatan": people[masih].groupby("kode_kec").size().to_dict(),
    }


def test_reference_rules_reproduce_the_truth(generated, frames):
    truth = generated["truth"]
    clean = _clean(frames)
    for name in INPUTS:
        kept = len(clean[name])
        assert kept == truth["inputs"][name]["kept"], name
    matched = _match(clean["sk"], clean["p3ke"])
    found = dict(zip(matched["no"].astype(int).astype(str), matched["id_individu"]))
    assert found == truth["matches"]
    for date, expected in truth["expected"].items():
        got = _summary(clean, matched, date)
        assert {k: got[k] for k in FIGURES} == {k: expected[k] for k in FIGURES}, date
        assert got["padan"] == expected["padan"], date
        per_kec = {r["kode"]: r["masih_desil1"] for r in expected["per_kecamatan"] if r["masih_desil1"]}
        assert got["per_kecamatan"] == per_kec, date


# --------------------------------------------------------------------------- full scale


@pytest.mark.slow
def test_full_scale_has_654220_individuals(tmp_path):
    truth = demo.generate(tmp_path / "raw", progress=False)
    assert truth["p3ke"]["individu"] == 654_220
    p3ke = truth["inputs"]["p3ke"]
    assert p3ke["rows_written"] - p3ke["duplicates"] == 654_220
    assert len(p3ke["files"]) == 21
    assert {k: truth["expected"][REPORT_DATE][k] for k in REPORTED} == REPORTED
    written = json.loads((tmp_path / "raw" / "demo_truth.json").read_text(encoding="utf-8"))
    assert written["matches"] == truth["matches"]
