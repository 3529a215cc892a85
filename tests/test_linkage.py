"""Linkage engine on a small hard-case register plus crafted rows; one trained model for the module."""

import numpy as np
import pandas as pd
import pytest

from helpers.demo.hard_cases import generate_hard_cases
from helpers.matching import linkage
from helpers.matching.linkage import AMBANG_PADAN, apply_decisions, link, review_table
from helpers.matching.quality import evaluate, old_matcher

AUTO = ("nik", "probabilistik")
STRANGER = "Zulkarnaen Wibisono"


def _unused(p3ke, kunci, rng, where=None):
    """A P3KE row label that is no SK person's true row (optionally meeting ``where``)."""
    pool = p3ke[~p3ke.index.isin(kunci["p3ke_index"].dropna()) & (p3ke["tanggal_lahir"].dt.year < 1990)]
    pool = pool[where(pool)] if where is not None else pool
    return int(rng.choice(pool.index))


def _row(person, **changes):
    row = {"nik": person["nik"], "nik_status": "valid", "nama": person["nama"], "kode_desa": person["kode_desa"],
           "kode_kecamatan": person["kode_kecamatan"], "tanggal_lahir": person["tanggal_lahir"]}  # fmt: skip
    return {**row, **changes}


@pytest.fixture(scope="module")
def case():
    data = generate_hard_cases(seed=5, n_desa=6, n_families=900, n_sk=120)
    sk, p3ke, kunci = data.sk, data.p3ke, data.kunci
    rng = np.random.default_rng(0)
    names_in_desa = p3ke.groupby("kode_desa")["nama"].agg(set)
    crafted = {}
    holder = _unused(p3ke, kunci, rng)
    crafted["nik_sama_nama_beda"] = (_row(p3ke.loc[holder], nama=STRANGER, tanggal_lahir=pd.NaT), None, holder)
    truncated = _unused(p3ke, kunci, rng, lambda f: f["nik"].str[-1] != "0")
    cut = p3ke.loc[truncated, "nik"][:15] + "0"
    crafted["excel_orang_lain"] = (_row(p3ke.loc[truncated], nik=cut, nama=STRANGER, tanggal_lahir=pd.NaT), None,
                                   truncated)  # fmt: skip
    other = _unused(p3ke, kunci, rng, lambda f: (f["nik"].str[-1] != "0") & (f.index != truncated))
    crafted["excel_orang_benar"] = (_row(p3ke.loc[other], nik=p3ke.loc[other, "nik"][:15] + "0"), other, None)
    old = _unused(p3ke, kunci, rng, lambda f: f["nama"].str.upper().str.contains("U") & (f.index != other))
    old_name = p3ke.loc[old, "nama"].upper().replace("U", "OE").replace("MUHAMMAD", "MOCH.")
    crafted["ejaan_lama"] = (_row(p3ke.loc[old], nik=pd.NA, nik_status="kosong", nama=old_name), old, None)

    def has_neighbour(f):
        swapped = f["nama"].str.upper().str.replace("M", "N", n=1)
        return (swapped != f["nama"].str.upper()) & ~swapped.str.title().isin(set().union(*names_in_desa))

    near = _unused(p3ke, kunci, rng, has_neighbour)
    neighbour = p3ke.loc[near, "nama"].upper().replace("M", "N", 1).title()
    crafted["tetangga_mirip"] = (_row(p3ke.loc[near], nik=pd.NA, nik_status="kosong", nama=neighbour,
                                      tanggal_lahir=pd.NaT), None, near)  # fmt: skip
    extra = pd.DataFrame([row for row, _, _ in crafted.values()])
    extra.insert(0, "id_sasaran", [f"SK-T{i}" for i in range(len(extra))])
    extra["nama_kunci"] = extra["nama"].str.upper()
    sk = pd.concat([sk, extra], ignore_index=True).astype({"nik": "string", "id_sasaran": "string"})
    ids = dict(zip(crafted, extra["id_sasaran"]))
    kunci = pd.concat([kunci, pd.DataFrame({"id_sasaran": extra["id_sasaran"], "kasus": list(crafted),
                                            "p3ke_index": pd.array([c[1] for c in crafted.values()], dtype="Int64")})],
                      ignore_index=True)  # fmt: skip
    decided_match, decided_none = sk["id_sasaran"].iloc[0], sk["id_sasaran"].iloc[1]
    decisions = pd.DataFrame(
        {
            "id_sasaran": [decided_match, decided_none, "SK-99999"],
            "keputusan": [p3ke.loc[_unused(p3ke, kunci, rng), "nik"], "Tidak ada di P3KE", "3517010101010001"],
            "diputuskan_oleh": ["tim"] * 3,
            "tanggal": ["2024-11-01"] * 3,
        }
    )
    result = link(sk, p3ke, decisions=decisions)
    return {"sk": sk, "p3ke": p3ke, "kunci": kunci, "result": result, "ids": ids, "crafted": crafted,
            "decisions": decisions}  # fmt: skip


def _outcome(case, name):
    padan = case["result"].padan.set_index("id_sasaran")
    return padan.loc[case["ids"][name]]


def test_nik_equal_but_name_different_goes_to_review(case):
    row = _outcome(case, "nik_sama_nama_beda")
    assert row["metode_padan"] == "tinjau_manual"
    assert row["tingkat_nik"] == "sama" and row["alasan"] == "nama_berbeda"


def test_excel_truncated_nik_never_matches_by_nik_alone(case):
    wrong = _outcome(case, "excel_orang_lain")
    assert wrong["metode_padan"] not in AUTO
    right = _outcome(case, "excel_orang_benar")
    assert right["metode_padan"] == "probabilistik" and right["tingkat_nik"] == "terpotong_excel"
    assert right["p3ke_index"] == case["crafted"]["excel_orang_benar"][1]


def test_excel_truncated_nik_held_by_a_twin_goes_to_review_with_the_twin_listed(case):
    """The SK NIK lost its 16th digit to Excel and is the NIK of a twin (or a namesake born the same day in the
    desa), while the true person, with the same first 15 digits and the exact name, is registered: review."""
    result = case["result"]
    padan = result.padan.merge(case["kunci"], on="id_sasaran", suffixes=("", "_benar"))
    damaged = padan[padan["kasus"].isin(["excel_kembar_nama_mirip", "excel_kembar_nama_sama"])]
    assert len(damaged) >= 2
    assert (damaged["metode_padan"] == "tinjau_manual").all(), damaged
    assert (damaged["alasan"] == "nik_mungkin_terpotong_excel").all() and (damaged["tingkat_nik"] == "sama").all()
    listed = result.kandidat.merge(damaged[["id_sasaran", "p3ke_index_benar"]], on="id_sasaran")
    assert (listed["p3ke_index"] == listed["p3ke_index_benar"]).groupby(listed["id_sasaran"]).any().all()
    absent = padan[padan["kasus"] == "excel_pemegang_tanpa_asli"]
    assert len(absent) and not absent["metode_padan"].isin(AUTO).any()


def test_genuine_nik_ending_in_zero_still_matches_by_nik(case):
    """A genuine NIK ending in 0 matches by NIK, with or without a twin holding the next serial (the twin's name is
    further from the SK name than the NIK holder's)."""
    padan = case["result"].padan.merge(case["kunci"], on="id_sasaran", suffixes=("", "_benar"))
    genuine = padan[padan["kasus"].str.startswith("nik_0_")]
    assert set(genuine["kasus"]) == {"nik_0_kembar_nama_mirip", "nik_0_kembar_nama_lain", "nik_0_tanpa_kembar"}
    assert (genuine["metode_padan"] == "nik").all() and (genuine["p3ke_index"] == genuine["p3ke_index_benar"]).all()


def test_review_list_keeps_the_excel_twin_among_three_candidates():
    """The 15-digit twin takes the third place when three stronger candidates would hide it."""
    def pair(p3ke_index, bobot, nik, nama):
        return {"sk_pos": 0, "p3ke_index": p3ke_index, "bobot_padan": bobot, "probabilitas_padan": 0.5,
                "tingkat_nik": nik, "tingkat_nama": nama, "tingkat_tanggal_lahir": "sama",
                "tingkat_wilayah": "desa_sama", "tingkat_jenis_kelamin": "sama"}  # fmt: skip

    pairs = pd.DataFrame([pair(10, 15.0, "sama", "mirip"), pair(11, 9.0, "salah_ketik_seri", "mirip"),
                          pair(12, 8.5, "salah_ketik_seri", "sebagian_nama"), pair(13, 8.0, "terpotong_excel", "mirip"),
                          pair(14, 7.0, "beda", "sama")])  # fmt: skip
    padan = pd.DataFrame({"sk_pos": [0], "id_sasaran": ["SK-1"], "metode_padan": ["tinjau_manual"],
                          "alasan": ["nik_mungkin_terpotong_excel"], "p3ke_index": pd.array([pd.NA], dtype="Int64")})  # fmt: skip
    listed = linkage._candidates(pairs, padan)
    assert listed["p3ke_index"].tolist() == [10, 11, 13] and listed["peringkat"].tolist() == [1, 2, 3]
    other = linkage._candidates(pairs, padan.assign(alasan="bobot_di_antara_ambang"))
    assert other["p3ke_index"].tolist() == [10, 11, 12]


def test_old_spelling_name_matches(case):
    row = _outcome(case, "ejaan_lama")
    assert row["metode_padan"] == "probabilistik" and row["p3ke_index"] == case["crafted"]["ejaan_lama"][1]


def test_absent_person_with_one_letter_neighbour_not_matched(case):
    assert _outcome(case, "tetangga_mirip")["metode_padan"] not in AUTO


def test_two_sk_rows_never_take_one_p3ke_person(case):
    matched = case["result"].padan["p3ke_index"].dropna()
    assert matched.is_unique
    duplicates = case["kunci"][case["kunci"]["kasus"] == "duplikat_sk"]
    assert len(duplicates) >= 2  # the generator made some, so the check above was exercised
    assert set(duplicates["id_sasaran"]) <= set(case["result"].nik_ganda_sk["id_sasaran"])


def test_no_wrong_automatic_match_and_better_than_old(case):
    kunci = case["kunci"][
        case["kunci"]["id_sasaran"].isin(case["result"].padan.query("metode_padan != 'keputusan_manual'")["id_sasaran"])
    ]
    new = evaluate(case["result"].padan, kunci)
    old = evaluate(old_matcher(case["sk"], case["p3ke"]), kunci)
    assert new["salah_otomatis"] == 0
    assert new["recall"] >= 0.9 and new["salah_otomatis"] <= old["salah_otomatis"]


def test_result_columns_and_evidence(case):
    padan = case["result"].padan
    assert padan["id_sasaran"].tolist() == case["sk"]["id_sasaran"].tolist()
    auto = padan[padan["metode_padan"].isin(AUTO)]
    assert (auto["bobot_padan"] >= AMBANG_PADAN).all() and auto["p3ke_index"].notna().all()
    assert padan.loc[padan["metode_padan"] == "nik", "tingkat_nik"].eq("sama").all()
    assert padan.loc[padan["metode_padan"].isin(["tinjau_manual", "tidak_padan"]), "p3ke_index"].isna().all()


def test_review_candidates_and_masked_table(case):
    result = case["result"]
    review = set(result.padan.loc[result.padan["metode_padan"] == "tinjau_manual", "id_sasaran"])
    assert set(result.kandidat["id_sasaran"]) == review
    assert result.kandidat.groupby("id_sasaran").size().max() <= 3
    best = result.kandidat.groupby("id_sasaran", sort=False)["bobot_padan"].max()
    assert best.is_monotonic_decreasing
    table = review_table(result, case["sk"], case["p3ke"])
    shown = table["kandidat_nik_tersamar"].dropna()
    assert shown.str.fullmatch(r"\d{4}\*{10}\d{2}").all()


def test_decisions_fix_outcome_and_stale_reported(case):
    padan = case["result"].padan.set_index("id_sasaran")
    decisions = case["decisions"]
    forced = padan.loc[decisions["id_sasaran"].iloc[0]]
    assert forced["metode_padan"] == "keputusan_manual"
    assert case["p3ke"].loc[forced["p3ke_index"], "nik"] == decisions["keputusan"].iloc[0]
    none = padan.loc[decisions["id_sasaran"].iloc[1]]
    assert none["metode_padan"] == "keputusan_manual" and pd.isna(none["p3ke_index"])
    assert case["result"].keputusan_basi["alasan_basi"].tolist() == ["sasaran_tidak_ada"]


def test_apply_decisions_stale_rules():
    sk = pd.DataFrame({"id_sasaran": ["A", "B", "C"], "nik": ["1" * 16, "2" * 16, pd.NA], "kode_desa": ["d"] * 3})
    p3ke = pd.DataFrame({"nik": ["9" * 16, "8" * 16], "kode_desa": ["d", "d"]}, index=[10, 11])
    decisions = pd.DataFrame(
        {
            "id_sasaran": ["A", "B", "C", pd.NA, "Z"],
            "nik_sk": [pd.NA, pd.NA, pd.NA, "2" * 16, pd.NA],
            "keputusan": ["9" * 16, "9" * 16, "7" * 16, "tidak ada di P3KE", "8" * 16],
            "diputuskan_oleh": ["x"] * 5,
            "tanggal": ["2024-11-01", "2024-11-02", "2024-11-01", "2024-11-03", "2024-11-01"],
        }
    )
    forced, forced_none, stale = apply_decisions(sk, p3ke, decisions)
    assert forced[["id_sasaran", "p3ke_index"]].values.tolist() == [["A", 10]]
    assert forced_none["id_sasaran"].tolist() == ["B"]
    assert dict(zip(stale["keputusan"], stale["alasan_basi"])) == {
        "9" * 16: "digantikan", "7" * 16: "nik_p3ke_tidak_ada", "8" * 16: "sasaran_tidak_ada"}  # fmt: skip


def test_deterministic(case):
    again = link(case["sk"], case["p3ke"], decisions=case["decisions"])
    pd.testing.assert_frame_equal(again.padan, case["result"].padan)
    assert again.model == case["result"].model
