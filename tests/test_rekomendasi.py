"""Recommended programmes per person needing action (helpers.statuses.rekomendasi), on dozen-row frames."""

import pandas as pd

from helpers.statuses import rekomendasi as rk
from helpers.vocabulary import STRATEGI

PENGELUARAN, PENDAPATAN, KANTONG = STRATEGI


def _status(rows):
    frame = pd.DataFrame(rows, columns=["id_sasaran", "id_keluarga", "perlu_tindakan"])
    return frame.assign(kode_kecamatan="35.17.06", kode_desa="35.17.06.2001")


def _received(rows):
    columns = ["id_sasaran", "program", "strategi", "opd", "status_opd", "tanggal_intervensi"]
    return pd.DataFrame(rows, columns=columns).astype({"tanggal_intervensi": "datetime64[us]"})


def test_programme_table_has_an_opd_for_every_programme_and_adds_unknown_ones():
    table = rk.programme_table()
    assert table["opd"].notna().all() and set(table["strategi"]) == set(STRATEGI)
    records = pd.DataFrame({"program": ["PKH", "Beasiswa Daerah"], "strategi": [PENGELUARAN, PENGELUARAN],
                            "opd": ["Dinas Sosial", "Bagian Kesra"]})  # fmt: skip
    full = rk.programme_opd(records)
    added = full[full["program"] == "Beasiswa Daerah"].iloc[0]
    assert added["opd"] == "Bagian Kesra" and added["sumber"] == "data intervensi"
    assert (full["program"] == "PKH").sum() == 1


def test_needs_from_deprivations_working_age_and_basic_protection():
    keluarga = pd.DataFrame({"id_keluarga": ["K1", "K2"], "jenis_lantai": ["Tanah", "Keramik"],
                             "sumber_air_minum": ["Sumur Bor", "Sumur Tidak Terlindung"]})  # fmt: skip
    members = pd.DataFrame({"id_keluarga": ["K1", "K2", "K2"],
                            "tanggal_lahir": pd.to_datetime(["1940-01-01", "1990-12-01", "1935-05-05"])})  # fmt: skip
    needs = rk.household_needs(keluarga, members, "2024-11-06")
    k1 = needs[needs["id_keluarga"] == "K1"]
    assert list(k1["strategi"]) == [KANTONG, PENGELUARAN]  # floor; no working-age member (84 years old)
    k2 = needs[needs["id_keluarga"] == "K2"]
    assert list(k2["strategi"]) == [KANTONG, PENDAPATAN, PENGELUARAN]  # water; a member of 33
    assert "Lantai tanah" in set(k1["alasan"]) and rk.ALASAN_USIA_KERJA in set(k2["alasan"])


def test_missing_strategies_become_programmes_of_an_opd():
    status = _status([("SK-1", "K1", True), ("SK-2", "K2", True), ("SK-3", "K3", False)])
    needs = pd.DataFrame({"id_keluarga": ["K1", "K1"], "strategi": [KANTONG, PENGELUARAN],
                          "alasan": ["Lantai tanah", rk.ALASAN_DASAR], "program_contoh": ["Rehab RTLH / BSPS", None]})
    received = _received([("SK-1", "PKH", PENGELUARAN, "Dinas Sosial", None, "2024-05-01")])
    got = rk.recommend(status, received, needs, rk.programme_opd(), min_strategi=2)
    one = got[got["id_sasaran"] == "SK-1"]
    assert list(one["program"]) == ["Rehab RTLH"] and list(one["opd"]) == ["Dinas Perkim"]  # PKH already there
    two = got[got["id_sasaran"] == "SK-2"]  # no family data, nothing received: the first two strategies
    assert list(two["strategi"]) == [PENGELUARAN, PENDAPATAN] and set(two["alasan"]) == {rk.ALASAN_MELENGKAPI}
    assert two["opd"].notna().all() and "SK-3" not in set(got["id_sasaran"])  # not needing action


def test_an_opd_that_declared_belum_optimal_is_asked_to_optimise():
    status = _status([("SK-1", "K1", True)])
    needs = pd.DataFrame({"id_keluarga": ["K1"], "strategi": [PENGELUARAN], "alasan": [rk.ALASAN_DASAR],
                          "program_contoh": [None]})  # fmt: skip
    received = _received([
        ("SK-1", "PKH", PENGELUARAN, "Dinas Sosial", None, "2024-05-01"),
        ("SK-1", "Rehab RTLH", KANTONG, "Dinas Perkim", "belum_optimal", "2024-06-01"),
    ])  # fmt: skip
    got = rk.recommend(status, received, needs, rk.programme_opd(), min_strategi=2)
    assert list(got["opd"]) == ["Dinas Perkim"] and list(got["alasan"]) == [rk.ALASAN_OPTIMALKAN]


def test_an_optimise_request_without_an_opd_cell_goes_to_the_programme_s_opd():
    status = _status([("SK-1", "K1", True)])
    needs = pd.DataFrame({"id_keluarga": ["K1"], "strategi": [PENGELUARAN], "alasan": [rk.ALASAN_DASAR],
                          "program_contoh": [None]})  # fmt: skip
    received = _received([
        ("SK-1", "PKH", PENGELUARAN, "Dinas Sosial", None, "2024-05-01"),
        ("SK-1", "Rehab RTLH", KANTONG, None, "belum_optimal", "2024-06-01"),
    ])  # fmt: skip
    got = rk.recommend(status, received, needs, rk.programme_opd(), min_strategi=2)
    assert list(got["opd"]) == ["Dinas Perkim"] and list(got["program"]) == ["Rehab RTLH"]
