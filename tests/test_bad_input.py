"""Bad input: each case stops (or quarantines) with a clear Indonesian message."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import make_nik, small_world, write_csv, write_world

from helpers.cleaning import tables as cleaning
from helpers.dates import to_date
from helpers.errors import InputError
from helpers.reading.contract import INPUTS
from helpers.reference import wilayah


def _clean_all(raw_dir, tmp_path):
    return cleaning.clean_all(raw_dir, tmp_path / "processed", write=False)


def test_missing_required_column_names_file_header_and_closest(tmp_path):
    world = small_world()
    for row in world["p3ke"]:
        row["Desil Kesejahtraan"] = row.pop("Desil Kesejahteraan")  # a typo in the header
    raw = write_world(tmp_path / "raw", {k: v for k, v in world.items() if k != "p3ke"})
    headers = [h if h != "Desil Kesejahteraan" else "Desil Kesejahtraan" for h in INPUTS["p3ke"].all_columns]
    write_csv(raw / "p3ke" / "p3ke_perak.csv", world["p3ke"], headers)
    with pytest.raises(InputError) as error:
        _clean_all(raw, tmp_path)
    message = str(error.value)
    assert "p3ke_perak.csv" in message
    assert '"Desil Kesejahteraan" tidak ada' in message
    assert '"Desil Kesejahtraan"' in message


def test_unreadable_file(tmp_path):
    raw = write_world(tmp_path / "raw", small_world())
    (raw / "p3ke" / "rusak.xlsx").write_bytes(b"bukan file excel sama sekali")
    with pytest.raises(InputError, match=r"rusak\.xlsx tidak dapat dibaca"):
        _clean_all(raw, tmp_path)


def test_empty_file(tmp_path):
    raw = write_world(tmp_path / "raw", small_world())
    (raw / "intervensi" / "kosong.csv").write_text("")
    with pytest.raises(InputError, match=r"kosong\.csv kosong"):
        _clean_all(raw, tmp_path)


def test_missing_sk_list(tmp_path):
    world = small_world()
    del world["sk"]
    with pytest.raises(InputError, match="SK Bupati.*tidak ditemukan"):
        _clean_all(write_world(tmp_path / "raw", world), tmp_path)


@pytest.mark.parametrize(
    "column, values, shown",
    [
        ("Kabupaten/Kota", ["Kabupaten Mojokerto"], "Kabupaten Mojokerto"),
        ("Kode Kemdagri", ["35.16.01.2001"], "35.16.01.2001"),
        ("Kecamatan", ["Trowulan", "Trowulan", "Pungging"], "\"Trowulan\", kecamatan di Kabupaten Mojokerto"),
    ],
)
def test_file_of_another_kabupaten(tmp_path, column, values, shown):
    world = small_world()
    foreign = []
    for i, row in enumerate(world["p3ke"]):
        row = dict(row)
        row[column] = values[i % len(values)]
        foreign.append(row)
    raw = write_world(tmp_path / "raw", world)
    write_csv(raw / "p3ke" / "p3ke_mojokerto.csv", foreign, list(INPUTS["p3ke"].all_columns))
    with pytest.raises(InputError) as error:
        _clean_all(raw, tmp_path)
    message = str(error.value)
    assert "p3ke_mojokerto.csv" in message and "bukan data Kabupaten Jombang" in message
    assert shown in message


def test_typos_in_kecamatan_are_not_a_wrong_kabupaten(tmp_path):
    world = small_world()
    world["sk"] = [dict(world["sk"][0], Kecamatan="Mojoagungg")]
    with pytest.raises(InputError) as error:
        _clean_all(write_world(tmp_path / "raw", world), tmp_path)
    assert "bukan data Kabupaten Jombang" not in str(error.value)  # a typo: the row is named, not the file refused
    assert 'Kecamatan "Mojoagungg" tidak dikenal; nama terdekat: Mojoagung (35.17.06)' in str(error.value)


def test_unknown_kecamatan_and_desa_in_the_sk_stop_the_run_naming_every_row(tmp_path):
    world = small_world()
    world["sk"][5]["Desa/Kelurahan"] = "Sumbermulya"
    world["sk"].append(
        {"No": "7", "NIK": make_nik(serial=70), "Nama": "A", "Kecamatan": "Mojowarnoo", "Desa/Kelurahan": "Mojowarno"}
    )
    world["sk"].append({"No": "8", "NIK": None, "Nama": "B", "Kecamatan": None, "Desa/Kelurahan": "Mojowarno"})
    with pytest.raises(InputError) as error:
        _clean_all(write_world(tmp_path / "raw", world), tmp_path)
    message = str(error.value)
    assert "Daftar SK: 3 orang tidak dapat ditempatkan" in message
    assert ('sk_miskin_ekstrem.csv baris 7: Desa "Sumbermulya" tidak dikenal di Kecamatan Jogoroto; nama terdekat: '
            "Sumbermulyo (35.17.19.2007)") in message  # fmt: skip
    assert 'sk_miskin_ekstrem.csv baris 8: Kecamatan "Mojowarnoo" tidak dikenal; nama terdekat: Mojowarno (35.17.07)' in message
    assert "sk_miskin_ekstrem.csv baris 9: kolom Kecamatan kosong" in message
    assert "alias_wilayah.csv" in message and "Mojowarnoo,35.17.07" in message and "Sumbermulya,35.17.19.2007" in message


def test_an_alias_file_in_the_raw_folder_places_the_sk_row_on_the_next_run(tmp_path):
    world = small_world()
    world["sk"][5]["Desa/Kelurahan"] = "Sumbermulya"
    world["sk"].append(
        {"No": "7", "NIK": make_nik(serial=70), "Nama": "A", "Kecamatan": "Mojowarnoo", "Desa/Kelurahan": "Mojowarno"}
    )
    raw = write_world(tmp_path / "raw", world)
    with pytest.raises(InputError):
        _clean_all(raw, tmp_path)
    (raw / "alias_wilayah.csv").write_text("varian,kode\nMojowarnoo,35.17.07\nSumbermulya,3517192007\n")
    try:
        result = _clean_all(raw, tmp_path)
    finally:
        wilayah.use_user_aliases(None)
    sk = result.inputs["sk"].data.set_index("no")
    assert sk.loc["7", "kode_desa"] == "35.17.07.2004" and sk.loc["7", "nama_kecamatan"] == "Mojowarno"
    assert sk.loc["6", "kode_desa"] == "35.17.19.2007"
    assert result.inputs["sk"].baris_karantina == 0


def test_a_bad_alias_file_names_its_row(tmp_path):
    raw = write_world(tmp_path / "raw", small_world())
    (raw / "alias_wilayah.csv").write_text("varian,kode\nMojowarnoo,35.17.07\nJombang Baru,35.17.99\n")
    try:
        with pytest.raises(InputError, match=r"alias_wilayah\.csv: baris 3 "):
            _clean_all(raw, tmp_path)
    finally:
        wilayah.use_user_aliases(None)


@pytest.mark.parametrize("value", ["06-11-2024", "2024/11/06", "6 Nov 2024", "2024-11-6", "kemarin"])
def test_report_date_in_wrong_format(value):
    with pytest.raises(InputError, match="report_date.*TTTT-BB-HH"):
        to_date(value)


def test_report_date_wrong_format_stops_the_status_run(tmp_path):
    from helpers.statuses import classify as statuses

    cleaning.clean_all(write_world(tmp_path / "raw", small_world()), tmp_path / "processed")
    with pytest.raises(InputError, match="TTTT-BB-HH"):
        statuses.run_status(tmp_path / "processed", "06/11/2024")


def test_status_run_without_cleaning_says_what_to_run(tmp_path):
    from helpers.statuses import classify as statuses

    with pytest.raises(InputError, match="01_clean"):
        statuses.run_status(tmp_path / "tidak_ada", "2024-11-06")


def test_quarantine_file_keeps_raw_values(tmp_path):
    cleaning.clean_all(write_world(tmp_path / "raw", small_world()), tmp_path / "processed")
    karantina = pd.read_csv(tmp_path / "processed" / "karantina" / "p3ke.csv", dtype=str)
    row = karantina[karantina["Desil Kesejahteraan"] == "sebelas"].iloc[0]
    assert row["sumber_file"] == "p3ke/p3ke_01.csv" and row["baris_sumber"] == "9"
    assert "desil" in row["alasan"].lower()
