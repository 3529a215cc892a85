"""Every sheet, every row: an SK annex issued as one workbook with a sheet per kecamatan, each with a title
block, numbered rows, a JUMLAH footer and the regent's signature block; a "Petunjuk" sheet of text; a sheet
with data but misspelled headers. Built the way real annexes break (synthetic people only)."""

from __future__ import annotations

import json

import pytest
import xlsxwriter
from conftest import ID_KEY, make_nik, small_world, write_world

from helpers import cleaning
from helpers.cleaning.inputs import clean_frame
from helpers.reading import contract, readers

HEADER = ["No", "NIK", "Nama", "Alamat", "Desa/Kelurahan", "Kecamatan", "Tanggal Lahir"]
#: kecamatan -> desa of its people (real Jombang names)
PLACES = {"Mojoagung": "Mancilan", "Jogoroto": "Sumbermulyo", "Perak": "Sukorejo"}
SIGNATURE = ["Ditetapkan di Jombang", "pada tanggal 20 Februari 2024", "BUPATI JOMBANG,", "ttd",
             "H. MUNDJIDAH WAHAB"]  # fmt: skip


def _people(kecamatan: str, count: int, first_serial: int) -> list[list[object]]:
    desa = PLACES[kecamatan]
    return [
        [i + 1, make_nik(serial=first_serial + i), f"Warga {kecamatan} {i + 1}", f"Dusun {i % 3 + 1}", desa, kecamatan,
         "1985-03-12"]
        for i in range(count)
    ]  # fmt: skip


def _annex_sheet(book, name: str, rows: list[list[object]], stated: int | None = None, header=HEADER) -> None:
    """One kecamatan sheet: title block, header, numbered rows, JUMLAH footer, signature block."""
    sheet = book.add_worksheet(name)
    title = ["LAMPIRAN KEPUTUSAN BUPATI JOMBANG", "NOMOR: 100.3.3.2/123/415.10.1.3/2024",
             f"KECAMATAN {name.upper()}"]  # fmt: skip
    for r, line in enumerate(title):
        sheet.write_string(r, 0, line)
    first = len(title) + 1  # a blank row under the title block
    for c, text in enumerate(header):
        sheet.write_string(first, c, text)
    for r, row in enumerate(rows, start=first + 1):
        for c, value in enumerate(row):
            sheet.write(r, c, value) if not isinstance(value, str) else sheet.write_string(r, c, value)
    end = first + 1 + len(rows)
    sheet.write_string(end, 0, "JUMLAH")
    sheet.write_string(end, 2, f"{len(rows) if stated is None else stated} jiwa")
    for r, line in enumerate(SIGNATURE, start=end + 2):
        sheet.write_string(r, 4, line)


def _workbook(path, sheets: dict[str, list[list[object]]], extra=None) -> None:
    book = xlsxwriter.Workbook(str(path))
    if extra:
        extra(book, "before")
    for name, rows in sheets.items():
        _annex_sheet(book, name, rows)
    if extra:
        extra(book, "after")
    book.close()


def _petunjuk_and_misspelled(book, when: str) -> None:
    if when == "before":
        help_sheet = book.add_worksheet("Petunjuk")
        help_sheet.write_string(0, 0, "Petunjuk pengisian lampiran")
        help_sheet.write_string(1, 0, "Kolom NIK diisi 16 digit sebagai teks.")
        help_sheet.write_string(2, 1, "Nama ditulis sesuai KTP.")
        book.add_worksheet("Kosong")
    else:
        _annex_sheet(book, "Perak", _people("Perak", 4, 300), header=[*HEADER[:5], "Kecamtan", HEADER[6]])


@pytest.fixture
def annex(tmp_path):
    sheets = {"Mojoagung": _people("Mojoagung", 5, 100), "Jogoroto": _people("Jogoroto", 3, 200)}
    _workbook(tmp_path / "sk_miskin_ekstrem.xlsx", sheets, _petunjuk_and_misspelled)
    return tmp_path


def test_every_sheet_with_headers_is_read_in_sheet_order(annex):
    with pytest.warns(UserWarning, match="Perak"):
        frame, notes = readers.read_input_sheets(annex, contract.SK)
    sources = frame["sumber_file"].unique().tolist()
    assert sources == ["sk_miskin_ekstrem.xlsx [Mojoagung]", "sk_miskin_ekstrem.xlsx [Jogoroto]"]
    people = frame[frame["nik"].notna()]
    assert people.groupby("sumber_file", sort=False).size().tolist() == [5, 3]
    assert people["baris_sumber"].iloc[0] == 6  # title block (3) + blank + header: first person on Excel row 6
    status = {n.sumber_file.split("[")[1].rstrip("]"): n.status for n in notes}
    assert status == {"Petunjuk": "dilewati", "Kosong": "dilewati", "Perak": "tidak_terbaca"}
    perak = next(n for n in notes if "Perak" in n.sumber_file)
    assert '"Kecamatan"' in perak.alasan and '"Kecamtan"' in perak.alasan


def test_footers_are_quarantined_and_rows_conserved_per_sheet(annex, tmp_path):
    with pytest.warns(UserWarning):
        raw, notes = readers.read_input_sheets(annex, contract.SK)
    result = clean_frame(raw, contract.SK, lembar=notes, key=ID_KEY)
    assert result.baris_bersih == 8
    footer_rows = result.karantina[result.karantina["NIK"].isna()]
    assert len(footer_rows) == 2 * (1 + len(SIGNATURE)) == result.baris_karantina
    reasons = footer_rows["alasan"].tolist()
    assert sum(r.startswith("Baris jumlah/total") for r in reasons) == 2
    assert sum(r.startswith("Bagian penetapan/tanda tangan") for r in reasons) == 2 * 4
    assert sum(r.startswith("Hanya satu kolom terisi") for r in reasons) == 2  # the regent's name line
    for source, counts in result.per_sumber.items():
        assert counts["baris_masuk"] == counts["baris_bersih"] + counts["baris_duplikat"] + counts["baris_karantina"]
        assert counts["baris_karantina"] == 1 + len(SIGNATURE), source
    assert not result.selisih_jumlah  # the JUMLAH rows agree with the rows read


@pytest.mark.parametrize("workers", [1, 2])  # with 2, the SK is cleaned in a worker process: its warning still shows
def test_misspelled_sheet_is_named_in_summary_and_notebook_table(tmp_path, workers):
    world = small_world()
    raw_dir = write_world(tmp_path / "raw", world)
    (raw_dir / "sk_miskin_ekstrem.csv").unlink()
    _workbook(raw_dir / "sk_miskin_ekstrem.xlsx", {"Mojoagung": _people("Mojoagung", 2, 100)}, _petunjuk_and_misspelled)
    with pytest.warns(UserWarning, match=r"Perak.*TIDAK dibaca"):
        result = cleaning.clean_all(raw_dir, tmp_path / "processed", workers=workers)
    table = result.sheets_table()
    unread = table[table["status"] == "tidak_terbaca"]
    assert unread["sumber_file"].tolist() == ["sk_miskin_ekstrem.xlsx [Perak]"]
    ringkasan = json.loads((tmp_path / "processed" / "ringkasan_pembersihan.json").read_text())
    sk = ringkasan["sk"]
    assert [n["sumber_file"] for n in sk["lembar_tidak_dibaca"] if n["status"] == "tidak_terbaca"] == [
        "sk_miskin_ekstrem.xlsx [Perak]"
    ]
    assert list(sk["per_sumber"]) == ["sk_miskin_ekstrem.xlsx [Mojoagung]"]
    assert sk["per_sumber"]["sk_miskin_ekstrem.xlsx [Mojoagung]"] == {
        "baris_masuk": 2 + 1 + len(SIGNATURE), "baris_bersih": 2, "baris_duplikat": 0,
        "baris_karantina": 1 + len(SIGNATURE)}  # fmt: skip


def test_stated_count_that_disagrees_is_warned_and_summarised(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "sk_miskin_ekstrem.xlsx"))
    _annex_sheet(book, "Mojoagung", _people("Mojoagung", 4, 100), stated=37)
    _annex_sheet(book, "Jogoroto", _people("Jogoroto", 3, 200))
    book.close()
    raw, notes = readers.read_input_sheets(tmp_path, contract.SK)
    with pytest.warns(UserWarning, match="menyebut 37 orang, tetapi 4 baris"):
        result = clean_frame(raw, contract.SK, lembar=notes, key=ID_KEY)
    assert [(m["sumber_file"], m["jumlah_menurut_file"], m["baris_terbaca"]) for m in result.selisih_jumlah] == [
        ("sk_miskin_ekstrem.xlsx [Mojoagung]", 37, 4)
    ]
    assert result.ringkasan()["selisih_jumlah"][0]["jumlah_menurut_file"] == 37


def test_a_person_without_nik_is_never_taken_for_a_footer(tmp_path):
    rows = [[1, None, "Kasiyem", "Dusun 1", "Mancilan", "Mojoagung", None],
            [2, make_nik(serial=5), "Jumlah Sari", "Dusun 2", "Mancilan", "Mojoagung", None]]  # fmt: skip
    book = xlsxwriter.Workbook(str(tmp_path / "sk_miskin_ekstrem.xlsx"))
    _annex_sheet(book, "Mojoagung", rows)
    book.close()
    result = clean_frame(readers.read_input(tmp_path, contract.SK), contract.SK, key=ID_KEY)
    assert result.data["nama"].tolist() == ["Kasiyem", "Jumlah Sari"]


def test_single_sheet_file_without_headers_still_fails_with_the_closest_header(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "sk_miskin_ekstrem.xlsx"))
    _annex_sheet(book, "Lampiran", _people("Mojoagung", 2, 1), header=[*HEADER[:5], "Kecamtan", HEADER[6]])
    book.close()
    with pytest.raises(Exception, match='"Kecamtan"'):
        readers.read_input(tmp_path, contract.SK)


# --------------------------------------------------------------------------- the demo list as an annex


@pytest.mark.slow
def test_annex_per_kecamatan_gives_the_figures_of_the_single_sheet(demo_small, tmp_path):
    """ACCEPTANCE: the demo's SK list rewritten as one sheet per kecamatan (title blocks, JUMLAH rows, signature
    blocks, a Petunjuk sheet) gives the same cleaned SK table and the same summary.json figures."""
    import shutil

    import pandas as pd

    from helpers.demo.annex import write_annex
    from helpers.statuses import classify

    single_raw = demo_small["raw"]
    annex_raw = tmp_path / "raw_lampiran"
    shutil.copytree(single_raw, annex_raw, ignore=shutil.ignore_patterns("demo_truth.json", "sk_miskin_ekstrem.*"))
    annex = write_annex(single_raw / "sk_miskin_ekstrem.xlsx", annex_raw / "sk_miskin_ekstrem.xlsx")
    assert len(annex.rows) >= 21 and annex.footer_rows == len(annex.rows) * 9

    out = {}
    for name, raw in (("satu_lembar", single_raw), ("lampiran", annex_raw)):
        processed = tmp_path / name
        cleaned = cleaning.clean_all(raw, processed)
        classify.run_status(processed, "2024-11-06")
        out[name] = {
            "sk": pd.read_parquet(processed / "sk.parquet").sort_values("id_sasaran", ignore_index=True),
            "status": pd.read_parquet(processed / "status_sasaran.parquet").sort_values("id_sasaran", ignore_index=True),
            "summary": json.loads((processed / "summary.json").read_text()),
            "sk_input": cleaned.inputs["sk"],
        }
    single, sheets = out["satu_lembar"], out["lampiran"]
    source = ["sumber_file", "baris_sumber"]
    pd.testing.assert_frame_equal(single["sk"].drop(columns=source), sheets["sk"].drop(columns=source))
    pd.testing.assert_frame_equal(single["status"], sheets["status"])
    assert sheets["sk"]["sumber_file"].nunique() == len(annex.rows)

    counted = ("baris_masuk", "baris_karantina")
    assert {k: v for k, v in sheets["summary"].items() if k not in counted} == {
        k: v for k, v in single["summary"].items() if k not in counted
    }
    for key in counted:  # the footers are read and quarantined, nothing else differs
        assert sheets["summary"][key]["sk"] == single["summary"][key]["sk"] + annex.footer_rows
        assert {k: v for k, v in sheets["summary"][key].items() if k != "sk"} == {
            k: v for k, v in single["summary"][key].items() if k != "sk"
        }
    assert sheets["summary"]["sasaran_sk"] == demo_small["truth"]["expected"]["2024-11-06"]["sasaran_sk"]

    sk = sheets["sk_input"]
    assert [n.as_dict()["status"] for n in sk.lembar] == ["dilewati"]  # the Petunjuk sheet
    assert not sk.selisih_jumlah  # each JUMLAH row agrees with its sheet
    per_sheet = {s.split("[")[1].rstrip("]"): c for s, c in sk.per_sumber.items()}
    assert {k: c["baris_masuk"] - c["baris_karantina"] for k, c in per_sheet.items()} == annex.rows
    assert sum(c["baris_bersih"] for c in per_sheet.values()) == len(sheets["sk"])
