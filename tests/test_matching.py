"""Padu padan in the pipeline (helpers.matching.padan): the probabilistic engine behind one call, the matched
columns, the review lists a reviewer works from, and the demo reproduced person by person.
The engine itself is tested in test_linkage.py, the names in test_names.py."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from helpers.cleaning.nik import mask_in_text
from helpers.demo.hard_cases import generate_hard_cases
from helpers.matching import padan as matching
from helpers.vocabulary import METODE_PADAN, TIDAK_PADAN, TINJAU_MANUAL

NIK16 = re.compile(r"(?<!\d)\d{16}(?!\d)")


@pytest.fixture(scope="module")
def hard():
    """The hard-case benchmark (seed 21, not a tuning seed) with the region names the pipeline's tables carry."""
    cases = generate_hard_cases(21)

    def named(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(nama_kecamatan="Kec " + frame["kode_kecamatan"], nama_desa="Desa " + frame["kode_desa"])

    sk = named(cases.sk).assign(no=[str(i) for i in range(1, len(cases.sk) + 1)])
    p3ke = named(cases.p3ke)
    return sk, p3ke, cases.kunci, matching.match_sk(sk, p3ke)


def test_methods_partition_the_sk_list(hard):
    sk, _, _, result = hard
    table = matching.method_table(result)
    assert len(table) == len(METODE_PADAN) and table["jumlah"].sum() == len(sk)
    assert result.padan["id_sasaran"].tolist() == sk["id_sasaran"].tolist()


def test_matched_frame_carries_the_register_columns_of_the_matched_person(hard):
    sk, p3ke, _, result = hard
    frame = matching.matched_frame(result, sk, p3ke)
    assert len(frame) == len(sk)
    matched = frame["p3ke_index"].notna()
    assert (frame.loc[matched, "p3ke_nik"] == p3ke.loc[frame.loc[matched, "p3ke_index"].astype(int), "nik"].to_numpy()).all()
    assert frame.loc[~matched, "p3ke_nik"].isna().all()
    assert not frame.loc[matched, "p3ke_index"].duplicated().any()  # one register person, one SK person


def test_review_files_are_masked_and_complete(hard, tmp_path):
    sk, p3ke, _, result = hard
    paths = matching.write_review(result, sk, p3ke, tmp_path)
    names = {p.name for p in paths}
    assert {"padan.csv", "padan_tidak_padan.csv", "nik_ganda_sk.csv", "keputusan_usang.csv"} <= names
    niks = set(sk["nik"].dropna()) | set(p3ke["nik"].dropna())
    for path in paths:
        if path.suffix == ".csv":
            shown = set(NIK16.findall(path.read_text(encoding="utf-8-sig")))
            assert not shown & niks, f"{path.name} shows full NIKs"
    review = pd.read_csv(tmp_path / "tinjau" / "padan.csv", dtype=str)
    in_review = set(result.padan.loc[result.padan["metode_padan"] == TINJAU_MANUAL, "id_sasaran"])
    assert set(review["id_sasaran"]) == in_review
    assert review.groupby("id_sasaran").size().max() <= 3
    best = review.groupby("id_sasaran", sort=False)["bobot_padan"].first().astype(float)
    assert best.is_monotonic_decreasing  # the likeliest matches first
    unmatched = pd.read_csv(tmp_path / "tinjau" / "padan_tidak_padan.csv", dtype=str)
    assert set(unmatched["id_sasaran"]) == set(result.padan.loc[result.padan["metode_padan"] == TIDAK_PADAN, "id_sasaran"])
    candidates = pd.read_parquet(tmp_path / "kandidat_padan.parquet")
    assert candidates["kandidat_nik"].str.fullmatch(r"\d{16}").all()  # full NIKs only in the confidential file


def test_review_file_lists_the_excel_twin_of_an_ambiguous_nik(hard, tmp_path):
    """tinjau/padan.csv: each SK person whose equal NIK may be an Excel-truncated twin's is listed with the reason and
    with the true person (the twin with the same first 15 digits) among the candidates."""
    sk, p3ke, kunci, result = hard
    matching.write_review(result, sk, p3ke, tmp_path)
    review = pd.read_csv(tmp_path / "tinjau" / "padan.csv", dtype=str)
    excel = review[review["alasan_tinjau"] == "nik_mungkin_terpotong_excel"]
    damaged = kunci[kunci["kasus"].isin(["excel_kembar_nama_mirip", "excel_kembar_nama_sama"])]
    assert len(damaged) and set(excel["id_sasaran"]) == set(damaged["id_sasaran"])
    true_ids = mask_in_text(p3ke.loc[damaged["p3ke_index"].astype(int), "id_individu"])  # masked as listed
    true_person = dict(zip(damaged["id_sasaran"], true_ids))
    listed = excel.groupby("id_sasaran")["kandidat_id_individu"].agg(set)
    assert all(true_person[i] in found for i, found in listed.items())


def test_shared_sk_niks_are_listed(hard, tmp_path):
    sk, p3ke, _, _ = hard
    twin = sk.iloc[[0]].assign(id_sasaran="SK-KEMBAR", nama="NAMA LAIN")
    result = matching.match_sk(pd.concat([sk, twin], ignore_index=True), p3ke)
    shared = result.nik_ganda_sk
    assert {"SK-KEMBAR", sk["id_sasaran"].iloc[0]} <= set(shared["id_sasaran"])


@pytest.mark.slow
def test_demo_every_sk_person_matched_to_true_individual(demo_small, tmp_path):
    from helpers import cleaning

    result = cleaning.clean_all(demo_small["raw"], tmp_path / "processed")
    sk, p3ke = result.tables["sk"], result.tables["p3ke_individu"]
    match = matching.match_sk(sk, p3ke)
    truth = demo_small["truth"]["matches"]
    expected = {str(k): (None if v is None else str(v)) for k, v in _truth_pairs(truth).items()}
    found = matching.matched_frame(match, sk, p3ke)
    got = {str(no): (None if pd.isna(i) else str(i)) for no, i in zip(found["no"], found["p3ke_id_individu"])}
    wrong = {no: (got.get(no), want) for no, want in expected.items() if got.get(no) != want}
    assert not wrong, f"{len(wrong)} SK persons matched differently from the truth, e.g. {list(wrong.items())[:5]}"


def _truth_pairs(matches) -> dict:
    """``{SK no: true id_individu or None}`` from the truth's ``matches`` (a dict or a list of records)."""
    if isinstance(matches, dict):
        return matches
    pairs = {}
    for record in matches:
        no = record.get("no", record.get("sk_no"))
        pairs[no] = record.get("id_individu")
    return pairs


@pytest.mark.slow
def test_notebooks_run_with_papermill(demo_small, tmp_path):
    import papermill as pm

    from helpers import params
    from helpers.config import NOTEBOOKS_DIR
    from helpers.pipeline import STEPS

    parameters = params.resolve(  # every parameter a step takes, defaults for the rest
        overrides={"raw_dir": str(demo_small["raw"]), "processed_dir": str(tmp_path / "processed"),
                   "reports_dir": str(tmp_path / "reports"), "report_date": "2024-11-06"}
    )  # fmt: skip

    for name in ("01_clean.ipynb", "02_match.ipynb"):
        pm.execute_notebook(
            str(NOTEBOOKS_DIR / name),
            str(tmp_path / name),
            parameters={k: parameters[k] for k in dict(STEPS)[name]},
            kernel_name="python3",
            progress_bar=False,
            record_timing=False,
        )
    assert (tmp_path / "processed" / "summary.json").is_file()
    executed = (tmp_path / "02_match.ipynb").read_text()
    assert not pd.Series([executed]).str.contains(r"(?<!\d)35\d{14}(?!\d)").any(), "a full NIK is printed"


def test_model_charts_are_static_png_without_personal_data(hard, tmp_path):
    from helpers.matching import charts

    sk, _, _, result = hard
    paths = charts.save_charts(result, tmp_path)
    assert [p.name for p in paths] == [charts.MU_FILE, charts.HISTOGRAM_FILE, charts.WATERFALL_FILE]
    for path in paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5_000


def _titles(spec: object) -> list[str]:
    """Every title a chart draws (chart, panel and axis titles; not the tooltips, which a PNG never shows)."""
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "tooltip":
                continue
            if key == "title" and isinstance(value, str):
                found.append(value)
            elif key == "title" and isinstance(value, dict):
                found += [value.get("text", ""), value.get("subtitle", "")]
            else:
                found += _titles(value)
    elif isinstance(spec, list):
        for value in spec:
            found += _titles(value)
    return [t for t in found if t]


def test_model_charts_have_indonesian_titles_and_numbers(hard):
    import json

    import numpy as np

    from helpers.matching import charts

    _, _, _, result = hard
    left, right, sk_ids = result.records
    linker = charts._model_linker(result.model, left, right)
    mu_original = linker.visualisations.m_u_parameters_chart().chart_dict
    first = result.kandidat.iloc[0]
    record_l = charts._record(left.iloc[int(np.flatnonzero(sk_ids.to_numpy() == first["id_sasaran"])[0])])
    record_r = charts._record(right[right["unique_id"] == int(first["p3ke_index"])].iloc[0])
    compared = linker.inference.score_pair(record_l, record_r).as_record_list()
    waterfall_original = linker.visualisations.waterfall_chart(compared, remove_sensitive_data=True).chart_dict
    english = re.compile(r"\b(Proportion|Amongst|comparisons?|Match|Column|Probability|Final score|Prior)\b")
    assert any(english.search(t) for t in _titles(mu_original) + _titles(waterfall_original))  # Splink's own
    for spec in (charts.m_u_spec(mu_original), charts.waterfall_spec(waterfall_original)):
        titles = _titles(spec)
        assert titles and not [t for t in titles if english.search(t)], titles
    bars = json.dumps(charts.waterfall_spec(waterfall_original)["data"])
    assert '"Bobot akhir"' in bars and '"Final score"' not in bars
    assert charts.FORMAT_LOCALE["decimal"] == "," and charts.FORMAT_LOCALE["thousands"] == "."


def test_corrections_table_lists_each_hand_correction_in_indonesian():
    import json

    from helpers.matching import linkage

    model = json.loads(linkage.DEFAULT_MODEL_FILE.read_text(encoding="utf-8"))
    nama = next(c for c in model["comparisons"] if c["output_column_name"] == "nama")
    levels = {lv["label_for_charts"]: lv for lv in nama["comparison_levels"] if not lv.get("is_null_level")}
    levels["mirip"]["m_probability"] = None  # never seen among matches
    levels["beda"]["m_probability"] = 0.4  # EM took namesakes for matches: capped
    levels["agak_mirip"]["u_probability"] = None  # never seen among random pairs
    checked = linkage.check_model(model)
    table = matching.corrections_table(checked)
    assert len(table) == len(checked["koreksi_m"]) and list(table.columns)[:3] == ["Bidang", "Tingkat", "Parameter"]
    rows = {(r.Bidang, r.Tingkat, r.Parameter): r for r in table.itertuples()}
    assert rows[("Nama", "mirip", "m")].Dipakai == "0,01" and rows[("Nama", "mirip", "m")]._4 == "tidak terlatih"
    assert rows[("Nama", "beda", "m")]._4 == "0,4" and rows[("Nama", "beda", "m")].Dipakai == "0,01"
    assert "batas" in rows[("Nama", "beda", "m")].Alasan
    assert rows[("Nama", "agak mirip", "u")].Dipakai == "0,000001"
    assert not table.apply(lambda column: column.str.contains("->|_")).any().any()
    with pytest.raises(ValueError, match="koreksi_m"):
        matching.corrections_table({"koreksi_m": ["nama.mirip dikoreksi"]})
