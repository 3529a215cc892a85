"""Padu padan: exact NIK, fuzzy name within the desa (+ birth date), ties to manual review."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import make_nik

from helpers.matching import padan as matching

MANCILAN = "35.17.06.2013"
KEDUNGLUMPANG = "35.17.06.2007"


def _p3ke(rows: list[dict]) -> pd.DataFrame:
    base = {"id_keluarga": "K", "nik": None, "nama": None, "nama_kunci": None, "tanggal_lahir": None,
            "kode_kecamatan": "35.17.06", "nama_kecamatan": "Mojoagung", "kode_desa": MANCILAN,
            "nama_desa": "Mancilan", "desil": 1}  # fmt: skip
    frame = pd.DataFrame([{**base, "id_individu": f"I{i + 1}", **r} for i, r in enumerate(rows)])
    return _types(frame)


def _sk(rows: list[dict]) -> pd.DataFrame:
    base = {"no": None, "nik": None, "nik_status": "valid", "nama": None, "nama_kunci": None, "tanggal_lahir": None,
            "kode_kecamatan": "35.17.06", "nama_kecamatan": "Mojoagung", "kode_desa": MANCILAN,
            "nama_desa": "Mancilan"}  # fmt: skip
    frame = pd.DataFrame([{**base, "id_sasaran": f"SK-{i + 1:05d}", **r} for i, r in enumerate(rows)])
    return _types(frame)


def _types(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        if column == "tanggal_lahir":
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[us]")
        elif column == "desil":
            frame[column] = frame[column].astype("Int64")
        else:
            frame[column] = frame[column].astype("string")
    if "nama" in frame:
        frame["nama"] = frame["nama"].fillna(frame["nama_kunci"].str.title())
    return frame


def _methods(result: matching.MatchResult) -> dict[str, str]:
    return dict(zip(result.padan["id_sasaran"], result.padan["metode_padan"]))


def _matched_individu(result, p3ke) -> dict[str, str]:
    padan = result.padan.dropna(subset=["p3ke_index"])
    return dict(zip(padan["id_sasaran"], p3ke.loc[padan["p3ke_index"].astype(int), "id_individu"]))


def test_exact_nik():
    p3ke = _p3ke([{"nik": make_nik(serial=1), "nama_kunci": "AHMAD"}, {"nik": make_nik(serial=2), "nama_kunci": "BUDI"}])
    sk = _sk([{"nik": make_nik(serial=2), "nama_kunci": "NAMA LAIN SAMA SEKALI"}])
    result = matching.match_sk(sk, p3ke)
    assert _methods(result) == {"SK-00001": "nik"}
    assert _matched_individu(result, p3ke) == {"SK-00001": "I2"}
    assert result.padan["skor_padan"].iloc[0] == 100


def test_fuzzy_unique_best_candidate():
    p3ke = _p3ke([{"nama_kunci": "SITI AMINAH"}, {"nama_kunci": "SITI AMINA"}, {"nama_kunci": "BUDI SANTOSO"}])
    sk = _sk([{"nik": make_nik(serial=9), "nama_kunci": "AMINAH SITI"}])  # order of words does not matter
    result = matching.match_sk(sk, p3ke)
    assert _methods(result) == {"SK-00001": "fuzzy"}
    assert _matched_individu(result, p3ke) == {"SK-00001": "I1"}
    assert result.padan["skor_padan"].iloc[0] == 100


def test_threshold_is_a_parameter():
    p3ke = _p3ke([{"nama_kunci": "SITI AMINAH"}])
    sk = _sk([{"nama_kunci": "SITI AMINA"}])
    assert _methods(matching.match_sk(sk, p3ke, ambang_fuzzy=85))["SK-00001"] == "fuzzy"
    assert _methods(matching.match_sk(sk, p3ke, ambang_fuzzy=99))["SK-00001"] == "tidak_padan"


def test_birth_date_disagreement_excludes_candidate():
    p3ke = _p3ke(
        [
            {"nama_kunci": "SITI AMINAH", "tanggal_lahir": "1960-01-01"},
            {"nama_kunci": "SITI AMINAH", "tanggal_lahir": "1985-03-12"},
        ]
    )
    sk = _sk([{"nama_kunci": "SITI AMINAH", "tanggal_lahir": "1985-03-12"}, {"nama_kunci": "SITI AMINAH",
              "tanggal_lahir": "1999-09-09"}])  # fmt: skip
    result = matching.match_sk(sk, p3ke)
    assert _methods(result) == {"SK-00001": "fuzzy", "SK-00002": "tidak_padan"}
    assert _matched_individu(result, p3ke) == {"SK-00001": "I2"}


def test_missing_birth_date_does_not_exclude():
    p3ke = _p3ke([{"nama_kunci": "SITI AMINAH", "tanggal_lahir": None}])
    sk = _sk([{"nama_kunci": "SITI AMINAH", "tanggal_lahir": "1985-03-12"}])
    assert _methods(matching.match_sk(sk, p3ke))["SK-00001"] == "fuzzy"


def test_tie_goes_to_manual_review(tmp_path):
    p3ke = _p3ke(
        [
            {"nik": make_nik(serial=1), "nama_kunci": "SITI AMINAH", "id_keluarga": "K1"},
            {"nik": make_nik(serial=2), "nama_kunci": "SITI AMINAH", "id_keluarga": "K2"},
        ]
    )
    sk = _sk([{"no": "1", "nik": make_nik(serial=3), "nama_kunci": "SITI AMINAH"}])
    result = matching.match_sk(sk, p3ke)
    assert _methods(result) == {"SK-00001": "tinjau_manual"}
    assert result.padan["p3ke_index"].isna().all()
    assert len(result.kandidat) == 2
    path = matching.write_review(result, sk, p3ke, tmp_path)[0]
    assert path == tmp_path / "tinjau" / "padan_tinjau_manual.csv"
    review = pd.read_csv(path, dtype=str)
    assert review["kandidat_id_individu"].tolist() == ["I1", "I2"]
    assert review["kandidat_nik_tersamar"].tolist() == ["3517**********01", "3517**********02"]
    assert not review.apply(lambda c: c.str.contains(r"\d{16}", na=False)).any().any()


def test_nik_matched_individual_is_not_a_fuzzy_candidate():
    p3ke = _p3ke([{"nik": make_nik(serial=1), "nama_kunci": "SITI AMINAH"}, {"nama_kunci": "SITI AMINA"}])
    sk = _sk(
        [
            {"nik": make_nik(serial=1), "nama_kunci": "SITI AMINAH"},  # takes I1 by NIK
            {"nik": make_nik(serial=7), "nama_kunci": "SITI AMINAH"},  # may not take I1 again: gets I2
        ]
    )
    result = matching.match_sk(sk, p3ke)
    assert _methods(result) == {"SK-00001": "nik", "SK-00002": "fuzzy"}
    assert _matched_individu(result, p3ke) == {"SK-00001": "I1", "SK-00002": "I2"}


def test_blocking_by_desa():
    p3ke = _p3ke([{"nama_kunci": "SITI AMINAH", "kode_desa": KEDUNGLUMPANG, "nama_desa": "Kedunglumpang"}])
    sk = _sk([{"nama_kunci": "SITI AMINAH", "kode_desa": MANCILAN}])
    assert _methods(matching.match_sk(sk, p3ke))["SK-00001"] == "tidak_padan"


def test_duplicate_nik_in_p3ke_resolved_by_desa_else_review():
    nik = make_nik(serial=5)
    p3ke = _p3ke(
        [
            {"nik": nik, "nama_kunci": "SITI", "kode_desa": MANCILAN},
            {"nik": nik, "nama_kunci": "SITI", "kode_desa": KEDUNGLUMPANG},
        ]
    )
    sk = _sk([{"nik": nik, "nama_kunci": "SITI", "kode_desa": KEDUNGLUMPANG}])
    result = matching.match_sk(sk, p3ke)
    assert _matched_individu(result, p3ke) == {"SK-00001": "I2"}
    elsewhere = _sk([{"nik": nik, "nama_kunci": "SITI", "kode_desa": "35.17.06.2001"}])
    assert _methods(matching.match_sk(elsewhere, p3ke))["SK-00001"] == "tinjau_manual"


def test_no_name_no_match():
    p3ke = _p3ke([{"nama_kunci": "SITI AMINAH"}])
    sk = _sk([{"nik": make_nik(serial=8), "nama_kunci": None, "nama": "x"}])
    assert _methods(matching.match_sk(sk, p3ke))["SK-00001"] == "tidak_padan"


def test_methods_partition_the_sk_list():
    p3ke = _p3ke(
        [{"nik": make_nik(serial=1), "nama_kunci": "A B"}, {"nama_kunci": "SITI AMINAH"}, {"nama_kunci": "SRI RAHAYU"},
         {"nama_kunci": "SRI RAHAYU"}]
    )  # fmt: skip
    sk = _sk([{"nik": make_nik(serial=1), "nama_kunci": "A B"}, {"nama_kunci": "SITI AMINAH"},
              {"nama_kunci": "SRI RAHAYU"}, {"nama_kunci": "ZZZ"}])  # fmt: skip
    result = matching.match_sk(sk, p3ke)
    counts = result.counts()
    assert counts == {"nik": 1, "fuzzy": 1, "tinjau_manual": 1, "tidak_padan": 1}
    assert sum(counts.values()) == len(sk)
    assert result.padan["id_sasaran"].is_unique
    assert matching.method_table(result)["jumlah"].sum() == len(sk)


def test_unmatched_list_is_masked(tmp_path):
    p3ke = _p3ke([{"nama_kunci": "SITI AMINAH"}])
    sk = _sk([{"nik": make_nik(serial=4), "nama_kunci": "ZZZ"}])
    result = matching.match_sk(sk, p3ke)
    paths = matching.write_review(result, sk, p3ke, tmp_path)
    unmatched = pd.read_csv(paths[1], dtype=str)
    assert unmatched["nik_sk_tersamar"].tolist() == ["3517**********04"]


# --------------------------------------------------------------------------- demo data (slow)


@pytest.mark.slow
def test_demo_every_sk_person_matched_to_true_individual(demo_small, tmp_path):
    from helpers.cleaning import tables as cleaning

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

    from helpers.config import NOTEBOOKS_DIR

    parameters = {
        "raw_dir": str(demo_small["raw"]),
        "processed_dir": str(tmp_path / "processed"),
        "reports_dir": str(tmp_path / "reports"),
        "report_date": "2024-11-06",
        "ambang_fuzzy": 85.0,
        "min_strategi": 2,
        "kode_kabupaten": "35.17",
    }
    for name in ("01_clean.ipynb", "02_match.ipynb"):
        pm.execute_notebook(
            str(NOTEBOOKS_DIR / name),
            str(tmp_path / name),
            parameters=parameters,
            kernel_name="python3",
            progress_bar=False,
            record_timing=False,
        )
    assert (tmp_path / "processed" / "summary.json").is_file()
    executed = (tmp_path / "02_match.ipynb").read_text()
    assert not pd.Series([executed]).str.contains(r"(?<!\d)35\d{14}(?!\d)").any(), "a full NIK is printed"


@pytest.mark.parametrize("name", ["01_clean.ipynb", "02_match.ipynb"])
def test_notebook_parameters(name):
    import papermill as pm

    from helpers.config import NOTEBOOKS_DIR
    from helpers.params import DEFAULTS

    declared = pm.inspect_notebook(str(NOTEBOOKS_DIR / name))
    wanted = ["raw_dir", "processed_dir", "reports_dir", "report_date", "ambang_fuzzy", "min_strategi", "kode_kabupaten"]
    assert list(declared) == wanted
    for key in ("report_date", "ambang_fuzzy", "min_strategi", "kode_kabupaten"):
        assert str(declared[key]["default"]).strip("\"'") == str(DEFAULTS[key])
