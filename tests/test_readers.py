import datetime as dt

import pandas as pd
import pytest
import xlsxwriter

from helpers.errors import InputError
from helpers.reading import contract, readers


def _write_xlsx(path, rows, title_rows=0):
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    for r in range(title_rows):
        sheet.write(r, 0, f"JUDUL BARIS {r + 1}")
    for r, row in enumerate(rows, start=title_rows + (1 if title_rows else 0)):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), workbook.add_format({"num_format": "dd/mm/yyyy"}))
            elif value is not None:
                sheet.write(r, c, value)
    workbook.close()


def test_title_block_aliases_and_text_ids(tmp_path):
    rows = [
        ["No ", "NIK", "Nama  Lengkap", "Desa / Kelurahan", "KEC", "Tgl Lahir"],
        [1, 3517061203850001, "Siti", "Kauman", "Mojoagung", dt.date(1985, 3, 12)],
        [None, None, None, None, None, None],
        [2, "'3517061203850002", "Budi", "Kauman", "Mojoagung", "12/03/1985"],
    ]
    _write_xlsx(tmp_path / "sk_miskin_ekstrem.xlsx", rows, title_rows=3)
    frame = readers.read_input(tmp_path, contract.SK)
    assert list(frame["nik"]) == ["3517061203850001", "'3517061203850002"]
    assert list(frame["no"]) == ["1", "2"]
    assert list(frame["tanggal_lahir"]) == ["1985-03-12", "12/03/1985"]
    assert list(frame["baris_sumber"]) == [6, 8]  # Excel row numbers (title block + blank row + header)
    assert frame["no_kk"].isna().all()


def test_folder_of_csv_and_parquet(tmp_path):
    folder = tmp_path / "intervensi"
    folder.mkdir()
    (folder / "a.csv").write_text("NIK;Nama;OPD;Program;Tanggal Intervensi\n3517061203850001;Siti;Dinsos;PKH;2024-05-01\n")
    pd.DataFrame({"NIK": ["3517061203850002"], "Nama": ["Budi"], "OPD": ["Perkim"], "Program": ["BSPS"],
                  "Tanggal Intervensi": ["2024-06-01"]}).to_parquet(folder / "b.parquet")
    frame = readers.read_input(tmp_path, contract.INTERVENSI)
    assert list(frame["nik"]) == ["3517061203850001", "3517061203850002"]
    assert list(frame["sumber_file"]) == ["intervensi/a.csv", "intervensi/b.parquet"]


def test_missing_column_names_file_header_and_closest(tmp_path):
    _write_xlsx(tmp_path / "sk_miskin_ekstrem.xlsx", [["NIK", "Nama", "Desa/Kelurahan", "Kecamtan"], ["1", "x", "y", "z"]])
    with pytest.raises(InputError) as info:
        readers.read_input(tmp_path, contract.SK)
    message = str(info.value)
    assert "sk_miskin_ekstrem.xlsx" in message and '"Kecamatan"' in message and '"Kecamtan"' in message


def test_empty_and_unreadable_files(tmp_path):
    folder = tmp_path / "verifikasi"
    folder.mkdir()
    (folder / "kosong.csv").write_text("")
    with pytest.raises(InputError, match="kosong"):
        readers.read_input(tmp_path, contract.VERIFIKASI)
    (folder / "kosong.csv").unlink()
    (folder / "rusak.xlsx").write_bytes(b"bukan file excel")
    with pytest.raises(InputError, match="tidak dapat dibaca"):
        readers.read_input(tmp_path, contract.VERIFIKASI)


def test_absent_optional_input_and_missing_required_input(tmp_path):
    assert readers.read_input(tmp_path, contract.INTERVENSI).empty
    with pytest.raises(InputError, match="tidak ditemukan"):
        readers.read_input(tmp_path, contract.P3KE)


def test_every_kind_of_excel_cell_becomes_the_text_an_analyst_sees(tmp_path):
    """fastexcel reads the sheet as text: numbers without '.0', dates as ISO text, a date with a time of day
    keeps it, TRUE/FALSE become Ya/Tidak, blank and space-only cells and Excel errors are missing, and
    row numbers count the empty rows above the table."""
    workbook = xlsxwriter.Workbook(str(tmp_path / "sk_miskin_ekstrem.xlsx"))
    sheet = workbook.add_worksheet("SK")
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    stamp = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_row(2, 1, ["NIK", "Nama", "Desa/Kelurahan", "Kecamatan", "Tanggal Lahir", "No KK"])
    sheet.write_number(3, 1, 3517061203850001)
    sheet.write_row(3, 2, ["Siti", "Kauman", "Mojoagung"])
    sheet.write_datetime(3, 5, dt.datetime(1985, 3, 12), day)
    sheet.write_number(3, 6, 2.5)
    sheet.write_string(4, 1, "3517061203850002")
    sheet.write_row(4, 2, ["Budi", "   ", "Mojoagung"])
    sheet.write_datetime(4, 5, dt.datetime(1985, 3, 12, 10, 30), stamp)
    sheet.write_boolean(4, 6, True)
    sheet.write_formula(6, 1, "=1/0", None, "#DIV/0!")
    sheet.write_row(6, 2, ["Ani", "Kauman", "Mojoagung"])
    workbook.close()
    frame = readers.read_input(tmp_path, contract.SK)
    assert list(frame["baris_sumber"]) == [4, 5, 7]
    assert list(frame["nik"].fillna("<NA>")) == ["3517061203850001", "3517061203850002", "<NA>"]
    assert list(frame["tanggal_lahir"].fillna("<NA>")) == ["1985-03-12", "1985-03-12 10:30:00", "<NA>"]
    assert list(frame["no_kk"].fillna("<NA>")) == ["2.5", "Ya", "<NA>"]
    assert frame["desa"].isna().tolist() == [False, True, False]


def test_parquet_columns_of_every_type_become_text(tmp_path):
    folder = tmp_path / "intervensi"
    folder.mkdir()
    pd.DataFrame({
        "NIK": pd.array([3517061203850001, None], dtype="Int64"),
        "Nama": ["Siti", " "],
        "OPD": [1.0, 2.5],
        "Program": [True, False],
        "Tanggal Intervensi": pd.to_datetime(["2024-05-01", "2024-05-02 08:00"], format="ISO8601"),
    }).to_parquet(folder / "a.parquet")
    frame = readers.read_input(tmp_path, contract.INTERVENSI)
    assert list(frame["nik"].fillna("<NA>")) == ["3517061203850001", "<NA>"]
    assert list(frame["nama"].fillna("<NA>")) == ["Siti", "<NA>"]
    assert list(frame["opd"]) == ["1", "2.5"]
    assert list(frame["program"]) == ["Ya", "Tidak"]
    assert list(frame["tanggal_intervensi"]) == ["2024-05-01", "2024-05-02 08:00:00"]
    assert list(frame["baris_sumber"]) == [2, 3]


def test_cached_reading_is_the_same_and_follows_changed_and_removed_files(tmp_path):
    folder = tmp_path / "intervensi"
    folder.mkdir()
    for name, nik in (("a.csv", "3517061203850001"), ("b.csv", "3517061203850002")):
        (folder / name).write_text(f"NIK;Nama;OPD;Program;Tanggal Intervensi\n{nik};Siti;Dinsos;PKH;2024-05-01\n")
    cache = tmp_path / "cache"
    fresh = readers.read_input(tmp_path, contract.INTERVENSI)
    first = readers.read_input_sheets(tmp_path, contract.INTERVENSI, cache_dir=cache)[0]
    assert len(list((cache / "intervensi").glob("*.parquet"))) == 2
    (folder / "b.csv").write_text("NIK;Nama;OPD;Program;Tanggal Intervensi\n3517061203850009;Budi;Dinsos;PKH;2024-06-01\n")
    again = readers.read_input_sheets(tmp_path, contract.INTERVENSI, cache_dir=cache)[0]
    pd.testing.assert_frame_equal(first, fresh)
    assert list(again["nik"]) == ["3517061203850001", "3517061203850009"]
    assert len(list((cache / "intervensi").glob("*.parquet"))) == 2  # the old reading of b.csv is gone
    (folder / "a.csv").write_bytes(b"rusak")  # changed content is read again, never taken from the cache
    with pytest.raises(InputError):
        readers.read_input_sheets(tmp_path, contract.INTERVENSI, cache_dir=cache)
    (folder / "a.csv").unlink()
    (folder / "b.csv").unlink()
    readers.read_input_sheets(tmp_path, contract.INTERVENSI, cache_dir=cache)  # optional input, now absent
    assert not (cache / "intervensi").exists()


def test_csv_read_by_arrow_equals_python_csv_and_ragged_files_lose_no_row(tmp_path):
    text = (
        'NIK;Nama;OPD;Program;Tanggal Intervensi\n'
        '3517061203850001;"Siti; binti Ahmad";Dinsos;"PKH ""reguler""";2024-05-01\n'
        '\n'
        '0035170612038500;"Budi\nSantoso";  ;Perkim;\n'
        '3517061203850003;Sugeng Sétiawan;Dinsos;BPNT;01/06/2024\n'
    )
    path = tmp_path / "a.csv"
    path.write_bytes(text.encode("cp1252"))
    fast, slow = readers._csv_columns(path), readers._csv_columns(path, fast=False)
    pd.testing.assert_frame_equal(readers._text_grid(fast), readers._text_grid(slow))
    frame = readers.read_file(path, contract.INTERVENSI)
    assert list(frame["Nama"]) == ["Siti; binti Ahmad", "Budi\nSantoso", "Sugeng Sétiawan"]
    assert list(frame["NIK"]) == ["3517061203850001", "0035170612038500", "3517061203850003"]
    assert list(frame["Program"]) == ['PKH "reguler"', "Perkim", "BPNT"]
    assert list(frame["baris_sumber"]) == [2, 4, 5]  # records, as a spreadsheet numbers them
    assert frame["OPD"].isna().tolist() == [False, True, False]
    # a title line above the header and a row with one cell too many: every row is still read
    path.write_text("DATA INTERVENSI 2024\n" + text.replace("BPNT;01/06/2024", "BPNT;01/06/2024;lebih"))
    assert len(readers.read_file(path, contract.INTERVENSI)) == 3


def test_a_staged_cache_changes_nothing_until_committed(tmp_path):
    folder = tmp_path / "intervensi"
    folder.mkdir()
    for name, nik in (("a.csv", "3517061203850001"), ("b.csv", "3517061203850002")):
        (folder / name).write_text(f"NIK;Nama;OPD;Program;Tanggal Intervensi\n{nik};Siti;Dinsos;PKH;2024-05-01\n")
    cache = tmp_path / "cache"
    readers.read_input_sheets(tmp_path, contract.INTERVENSI, cache_dir=cache)
    before = {p: p.read_bytes() for p in cache.rglob("*") if p.is_file()}
    (folder / "b.csv").write_text("NIK;Nama;OPD;Program;Tanggal Intervensi\n3517061203850009;Budi;Dinsos;PKH;2024-06-01\n")
    staged = readers.ReadCache.staged(cache)
    again = readers.read_input_sheets(tmp_path, contract.INTERVENSI, cache_dir=staged)[0]
    assert list(again["nik"]) == ["3517061203850001", "3517061203850009"]
    staged.discard()  # a refused run: the cache is exactly as it was
    assert {p: p.read_bytes() for p in cache.rglob("*") if p.is_file()} == before
    staged = readers.ReadCache.staged(cache)
    readers.read_input_sheets(tmp_path, contract.INTERVENSI, cache_dir=staged)
    staged.commit()  # a run that passed: the new reading in place, the old one of b.csv gone, no staging left
    assert len(list((cache / "intervensi").glob("*.parquet"))) == 2
    assert sum(p in before for p in cache.rglob("*") if p.is_file()) == 2  # a.csv's reading and notes kept
    assert not list(cache.glob(f"{readers.STAGING_PREFIX}*"))
    fresh = readers.ReadCache.staged(cache)
    (folder / "a.csv").unlink()
    (folder / "b.csv").unlink()
    readers.read_input_sheets(tmp_path, contract.INTERVENSI, cache_dir=fresh)  # optional input, now absent
    assert (cache / "intervensi").exists()
    fresh.commit()
    assert not (cache / "intervensi").exists()
