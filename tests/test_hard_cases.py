import pandas as pd
import pytest

from helpers.demo.hard_cases import CASES, EXCEL_CASES, generate_hard_cases

SK_COLUMNS = {"id_sasaran", "nik", "nik_status", "nama", "nama_kunci", "kode_desa", "kode_kecamatan", "tanggal_lahir"}
P3KE_COLUMNS = {"nik", "nama", "nama_kunci", "jenis_kelamin", "tanggal_lahir", "kode_desa", "kode_kecamatan",
                "id_keluarga", "id_individu", "desil"}  # fmt: skip


@pytest.fixture(scope="module")
def data():
    return generate_hard_cases(seed=7, n_desa=9, n_families=1500, n_sk=300)


def _joined(data):
    key = data.kunci.merge(data.sk, on="id_sasaran")
    truth = data.p3ke.add_suffix("_benar")
    return key.merge(truth, left_on="p3ke_index", right_index=True, how="left")


def test_shapes_and_answer_key(data):
    assert SK_COLUMNS <= set(data.sk.columns) and P3KE_COLUMNS <= set(data.p3ke.columns)
    assert data.kunci["id_sasaran"].tolist() == data.sk["id_sasaran"].tolist()
    assert data.kunci["p3ke_index"].dropna().isin(data.p3ke.index).all()
    assert set(data.kunci["kasus"]) <= set(CASES) | set(EXCEL_CASES) | {"bersih"}


def test_deterministic_per_seed():
    a, b, c = (generate_hard_cases(seed=s, n_desa=3, n_families=200, n_sk=40) for s in (1, 1, 2))
    pd.testing.assert_frame_equal(a.sk, b.sk)
    pd.testing.assert_frame_equal(a.kunci, b.kunci)
    assert not a.sk["nama"].equals(c.sk["nama"])


def test_niks_follow_the_structure(data):
    p3ke = data.p3ke
    day = p3ke["nik"].str[6:8].astype(int)
    assert ((day > 40) == (p3ke["jenis_kelamin"] == "P")).all()
    assert (day % 40 == p3ke["tanggal_lahir"].dt.day).all()
    assert p3ke["nik"].is_unique


def test_cases_are_damaged_as_labelled(data):
    rows = _joined(data)
    by = {kind: rows[rows["kasus"] == kind] for kind in rows["kasus"].unique()}
    assert (by["bersih"]["nik"] == by["bersih"]["nik_benar"]).all()
    assert by["tidak_ada"]["p3ke_index"].isna().all() and by["tidak_ada_tetangga_mirip"]["tanggal_lahir"].isna().all()
    excel = by["nik_excel"]
    assert (excel["nik"] == excel["nik_benar"].str[:15] + "0").all()
    kin = by["nik_milik_kerabat"]
    family = data.p3ke.set_index("nik")["id_keluarga"]
    assert (kin["nik"].map(family) == kin["id_keluarga_benar"]).all() and (kin["nik"] != kin["nik_benar"]).all()
    typo = by["nik_salah_ketik"]
    assert (typo["nik"] != typo["nik_benar"]).all()
    assert (by["ejaan_lama"]["nama"].str.upper() != by["ejaan_lama"]["nama_benar"].str.upper()).all()
    moved = by["pindah_desa"]
    assert (moved["kode_desa"] != moved["kode_desa_benar"]).all() and (moved["nik"] == moved["nik_benar"]).all()
    duplicates = by["duplikat_sk"]
    assert duplicates.groupby("p3ke_index").size().eq(2).all()


def test_excel_collisions_are_shaped_like_excel_damage(data):
    """Each Excel case as labelled: the damaged NIK is the true one with its 16th digit turned to 0 and another
    registered person born the same day in the same desa holds it; genuine NIKs ending in 0 are the person's own."""
    rows = _joined(data)
    p3ke = data.p3ke
    holder = p3ke.set_index("nik")
    prefix = p3ke["nik"].str[:15].value_counts()
    by = {kind: rows[rows["kasus"] == kind] for kind in EXCEL_CASES}
    assert all(len(frame) >= 3 for frame in by.values())
    for kind in ("excel_kembar_nama_mirip", "excel_kembar_nama_sama"):
        damaged = by[kind]
        assert (damaged["nik"] == damaged["nik_benar"].str[:15] + "0").all() and (damaged["nik_benar"].str[-1] != "0").all()
        assert (damaged["nik_status"] == "diperbaiki").all()  # read from a number cell
        held = holder.loc[damaged["nik"]]
        assert (held["kode_desa"].to_numpy() == damaged["kode_desa_benar"].to_numpy()).all()
        assert (held["tanggal_lahir"].to_numpy() == damaged["tanggal_lahir_benar"].to_numpy()).all()
        assert (damaged["nama"] == damaged["nama_benar"]).all()
        same_name = held["nama"].to_numpy() == damaged["nama_benar"].to_numpy()
        same_family = held["id_keluarga"].to_numpy() == damaged["id_keluarga_benar"].to_numpy()
        if kind == "excel_kembar_nama_sama":
            assert same_name.all() and not same_family.any()
        else:  # a twin, named one letter apart
            assert same_family.all() and not same_name.any()
            assert (held["nama"].str.len().to_numpy() == damaged["nama_benar"].str.len().to_numpy()).all()
    absent = by["excel_pemegang_tanpa_asli"]
    assert absent["p3ke_index"].isna().all() and (absent["nik"].str[-1] == "0").all()
    held = holder.loc[absent["nik"]]
    assert (held["kode_desa"].to_numpy() == absent["kode_desa"].to_numpy()).all()
    assert (held["nama"].str.upper().to_numpy() != absent["nama"].str.upper().to_numpy()).all()
    for kind in ("nik_0_kembar_nama_mirip", "nik_0_kembar_nama_lain", "nik_0_tanpa_kembar"):
        genuine = by[kind]
        assert (genuine["nik"] == genuine["nik_benar"]).all() and (genuine["nik"].str[-1] == "0").all()
        twins = genuine["nik"].str[:15].map(prefix)
        assert (twins == (1 if kind == "nik_0_tanpa_kembar" else 2)).all()
