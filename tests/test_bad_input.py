"""Bad input: each case stops (or quarantines) with a clear Indonesian message."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import file_hashes, make_nik, pipeline_args, run_cli, small_world, write_csv, write_world

from helpers import cleaning, guards, pipeline
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
    assert ('Kecamatan "Mojoagungg" tidak dikenal (desa "Mancilan" ada di Kecamatan Mojoagung (35.17.06)); nama '
            "terdekat: Mojoagung (35.17.06)") in str(error.value)  # fmt: skip


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
    assert ('sk_miskin_ekstrem.csv baris 8: Kecamatan "Mojowarnoo" tidak dikenal (desa "Mojowarno" ada di Kecamatan '
            "Mojowarno (35.17.07)); nama terdekat: Mojowarno (35.17.07)") in message  # fmt: skip
    assert ('sk_miskin_ekstrem.csv baris 9: kolom Kecamatan kosong (desa "Mojowarno" ada di Kecamatan Mojowarno '
            "(35.17.07))") in message  # fmt: skip
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


# --------------------------------------------------------------------------- refused before anything is written


def _good_run(tmp_path, world=None):
    """A good cleaning into ``tmp_path/processed`` (read cache included); returns (raw folder, processed folder)."""
    raw = write_world(tmp_path / "raw", world or small_world())
    cleaning.clean_all(raw, tmp_path / "processed")
    return raw, tmp_path / "processed"


def _refused(raw, processed, match, **options):
    """The cleaning is refused with a message matching ``match`` and leaves every processed file as it was."""
    before = file_hashes(processed)
    with pytest.raises(InputError, match=match) as error:
        cleaning.clean_all(raw, processed, **options)
    assert file_hashes(processed) == before
    assert "data olahan terakhir" in str(error.value) or "Tidak ada data olahan yang diubah" in str(error.value)
    return str(error.value)


def test_an_sk_with_a_header_only_after_a_good_run_is_refused_and_nothing_changes(tmp_path):
    raw, processed = _good_run(tmp_path)
    assert any(name.startswith("_cache/sk/") for name in file_hashes(processed))
    write_csv(raw / "sk_miskin_ekstrem.csv", [], list(INPUTS["sk"].all_columns))
    message = _refused(raw, processed, "Daftar SK tidak memuat satu orang pun")
    assert "0 baris dibaca" in message and str(raw / "sk_miskin_ekstrem") in message


def test_an_sk_whose_rows_are_all_quarantined_is_refused_with_the_reasons(tmp_path):
    raw, processed = _good_run(tmp_path)
    write_csv(raw / "sk_miskin_ekstrem.csv", [{"No": "1"}, {"No": "2", "Alamat": "Dusun Krajan"}],
              list(INPUTS["sk"].all_columns))  # fmt: skip
    message = _refused(raw, processed, "Daftar SK tidak memuat satu orang pun")
    assert "2 dikarantina" in message and "Alasan terbanyak: NIK dan nama sama-sama kosong/tidak terbaca" in message


def test_a_register_without_anyone_is_refused(tmp_path):
    raw, processed = _good_run(tmp_path)
    write_csv(raw / "p3ke" / "p3ke_01.csv", [], list(INPUTS["p3ke"].all_columns))
    _refused(raw, processed, "P3KE individu tidak memuat satu orang pun")


def test_register_dtsen_without_dtsen_data_is_refused_before_writing(tmp_path):
    raw, processed = _good_run(tmp_path)
    message = _refused(raw, processed, "register = dtsen", register="dtsen")
    assert str(raw / "dtsen") in message


def test_an_sk_that_lost_more_than_the_share_is_refused_unless_accepted(tmp_path):
    world = small_world()
    world["sk"] += [
        {"No": str(7 + i), "NIK": make_nik(serial=40 + i), "Nama": f"Warga {i}", "Kecamatan": "Mojoagung",
         "Desa/Kelurahan": "Mancilan"} for i in range(8)
    ]  # fmt: skip
    raw, processed = _good_run(tmp_path, world)
    before = len(pd.read_parquet(processed / "sk.parquet"))
    kept = world["sk"][: int(before * (1 - guards.SK_BERKURANG_MAKS))]  # just over the share lost
    write_csv(raw / "sk_miskin_ekstrem.csv", kept, list(INPUTS["sk"].all_columns))
    message = _refused(raw, processed, "Daftar SK sekarang berisi")
    assert f"run sebelumnya di folder data olahan ini {before}" in message and "terima_sk_berkurang true" in message
    cleaning.clean_all(raw, processed, terima_sk_berkurang=True)  # an amended SK, accepted on purpose
    assert len(pd.read_parquet(processed / "sk.parquet")) == len(kept)


def test_a_small_decrease_is_accepted(tmp_path):
    raw, processed = _good_run(tmp_path)
    sk = small_world()["sk"]
    write_csv(raw / "sk_miskin_ekstrem.csv", sk[:-1], list(INPUTS["sk"].all_columns))  # 6 -> 5 people: -17 %
    with pytest.raises(InputError, match="17 % berkurang; batas 10 %"):
        cleaning.clean_all(raw, processed)
    assert guards.SK_BERKURANG_MAKS == 0.10


def test_a_missing_raw_folder_deletes_no_cache_and_exits_2(tmp_path, capsys):
    raw, processed = _good_run(tmp_path)
    before = file_hashes(processed)
    _refused(tmp_path / "tidak_ada", processed, "Folder data mentah .*tidak_ada tidak ada")
    args = ["-p", "raw_dir", str(tmp_path / "tidak_ada"), "-p", "processed_dir", str(processed),
            "-p", "reports_dir", str(tmp_path / "reports")]  # fmt: skip
    assert pipeline.main(args) == 2
    assert "Folder data mentah" in capsys.readouterr().err
    assert file_hashes(processed) == before


def test_a_missing_required_input_deletes_no_cache(tmp_path):
    raw, processed = _good_run(tmp_path)
    shutil.rmtree(raw / "p3ke")
    before = file_hashes(processed)
    with pytest.raises(InputError, match="P3KE 2024, individu .*tidak ditemukan"):
        cleaning.clean_all(raw, processed)
    assert file_hashes(processed) == before


# --------------------------------------------------------------------------- the acceptance, on the command line


def _copy_run(demo_alone, tmp_path) -> tuple[Path, Path]:
    """A copy of the demo's raw folder and of its good processed folder, to break."""
    raw = tmp_path / "raw"
    shutil.copytree(demo_alone["raw"], raw)
    shutil.copytree(demo_alone["processed"], tmp_path / "processed")
    return raw, tmp_path / "processed"


def _sk_sheet(raw: Path):
    workbook = openpyxl.load_workbook(raw / "sk_miskin_ekstrem.xlsx")
    sheet = workbook.worksheets[0]
    header = next(r for r in range(1, 31) if sheet.cell(r, 2).value == "NIK")
    return workbook, sheet, header


@pytest.mark.slow
def test_acceptance_empty_sk_after_a_good_run_exits_2_and_changes_no_processed_file(demo_alone, tmp_path):
    raw, processed = _copy_run(demo_alone, tmp_path)
    workbook, sheet, header = _sk_sheet(raw)
    sheet.delete_rows(header + 1, sheet.max_row)
    workbook.save(raw / "sk_miskin_ekstrem.xlsx")
    before = file_hashes(processed)
    done = run_cli(*pipeline_args(raw, tmp_path))
    assert done.returncode == 2, done.stderr[-3000:]
    assert "Daftar SK tidak memuat satu orang pun" in done.stderr and "Traceback" not in done.stderr
    assert f"data olahan terakhir di {processed} tidak diubah" in done.stderr
    assert file_hashes(processed) == before and len(before) > 100


@pytest.mark.slow
def test_acceptance_sk_row_in_an_unknown_kecamatan_exits_2_naming_the_value_and_the_row(demo_alone, tmp_path):
    raw, processed = _copy_run(demo_alone, tmp_path)
    workbook, sheet, header = _sk_sheet(raw)
    column = next(c for c in range(1, sheet.max_column + 1) if sheet.cell(header, c).value == "Kecamatan")
    sheet.cell(header + 40, column).value = "Kecamatan Mojoagungg"
    workbook.save(raw / "sk_miskin_ekstrem.xlsx")
    before = file_hashes(processed)
    done = run_cli(*pipeline_args(raw, tmp_path))
    assert done.returncode == 2, done.stderr[-3000:]
    assert f'sk_miskin_ekstrem.xlsx baris {header + 40}: Kecamatan "Kecamatan Mojoagungg" tidak dikenal' in done.stderr
    assert "nama terdekat: Mojoagung (35.17.06)" in done.stderr and "alias_wilayah.csv" in done.stderr
    assert file_hashes(processed) == before
