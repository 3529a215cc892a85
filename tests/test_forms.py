"""Verification workbooks: layout, and the round trip camat -> data/raw/verifikasi/ -> read_input -> status.

All people are synthetic (fake NIKs built from the structure rules, names from a short list).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from helpers import runs
from helpers.cleaning.nik import normalise_nik
from helpers.publishing import forms
from helpers.reading import contract, readers
from helpers.reference import wilayah
from helpers.statuses import verifikasi
from helpers.vocabulary import ALASAN_LABELS, perlu_tindakan

REPORT = "2024-11-06"
#: xlsxwriter only warns (and drops the item) when a validation or header is too long: make that a failure.
pytestmark = pytest.mark.filterwarnings("error::UserWarning")
#: People still in desil 1 per kecamatan (Ngusikan has none: it still gets a form).
SIZES = {"35.17.06": 70, "35.17.01": 5, "35.17.21": 0}
#: People without a P3KE record (tidak_padan, tinjau_manual) per kecamatan: on the form with the SK's data.
UNMATCHED = {"35.17.01": ("tidak_padan", "tinjau_manual")}


def on_form(kode: str) -> int:
    return SIZES[kode] + len(UNMATCHED.get(kode, ()))
NAMES = ["Siti Aminah", "Suparman", "Sri Wahyuni", "Ahmad Fauzi", "Tukiyem", "Mbah Paini", "Slamet", "Nur Hayati"]


def synthetic_status_sasaran(sizes: dict[str, int], seed: int = 1, keluar: int = 10) -> pd.DataFrame:
    """A ``status_sasaran``-shaped frame: ``sizes[kode]`` people in desil 1 per kecamatan, plus ``keluar`` who left."""
    rng = np.random.default_rng(seed)
    desa = wilayah.desa_table()
    rows = []
    serial = 0
    for kode, count in sizes.items():
        villages = desa[desa["kode_kecamatan"] == kode]
        nama_kec = wilayah.kecamatan_name(kode)
        for i in range(count + (keluar if kode == next(iter(sizes)) else 0)):
            serial += 1
            village = villages.iloc[int(rng.integers(len(villages)))]
            day = int(rng.integers(1, 29)) + (40 if i % 2 else 0)
            nik = f"{kode.replace('.', '')}{day:02d}{int(rng.integers(1, 13)):02d}{int(rng.integers(30, 99)):02d}{serial:04d}"
            rows.append(
                {
                    "id_sasaran": f"SK-{serial:05d}",
                    "nik_sk": nik,
                    "nik": nik,
                    "nama": f"{NAMES[serial % len(NAMES)]} {serial}",
                    "kode_kecamatan": kode,
                    "nama_kecamatan": nama_kec,
                    "kode_desa": village["kode"],
                    "nama_desa": village["nama"],
                    "alamat": f"Dusun Krajan RT {serial % 9 + 1:03d} RW 00{serial % 4 + 1}",
                    "id_keluarga": f"P{kode.replace('.', '')}{serial:010d}",
                    "status_desil": "masih_desil1" if i < count else "keluar_desil1",
                    "status_intervensi": ["optimal", "belum_optimal", "belum_intervensi"][serial % 3],
                    "program_diterima": "PKH; BPNT; PBI-JK" if serial % 3 != 2 else "",
                    "status_keberadaan": "ada" if serial % 5 == 0 else "belum_diverifikasi",
                    "tanggal_verifikasi": pd.Timestamp("2024-10-01") if serial % 5 == 0 else pd.NaT,
                }
            )
        for status_desil in UNMATCHED.get(kode, ()):
            serial += 1
            village = villages.iloc[0]
            rows.append(
                {
                    "id_sasaran": f"SK-{serial:05d}", "nik_sk": f"{kode.replace('.', '')}010170{serial:04d}",
                    "nik": f"{kode.replace('.', '')}010170{serial:04d}", "nama": f"Warga SK {serial}",
                    "kode_kecamatan": kode, "nama_kecamatan": nama_kec, "kode_desa": village["kode"],
                    "nama_desa": village["nama"], "alamat": f"Alamat SK {serial}", "id_keluarga": pd.NA,
                    "status_desil": status_desil, "status_intervensi": "belum_intervensi", "program_diterima": "",
                    "status_keberadaan": "belum_diverifikasi", "tanggal_verifikasi": pd.NaT,
                }
            )  # fmt: skip
    frame = pd.DataFrame(rows)
    frame["perlu_tindakan"] = perlu_tindakan(frame["status_desil"], frame["status_intervensi"],
                                             frame["status_keberadaan"])  # fmt: skip
    return frame


@pytest.fixture(scope="module")
def status_sasaran() -> pd.DataFrame:
    return synthetic_status_sasaran(SIZES)


@pytest.fixture(scope="module")
def written(tmp_path_factory, status_sasaran) -> list[Path]:
    out = tmp_path_factory.mktemp("reports") / forms.FOLDER
    return forms.write_forms(status_sasaran, out, REPORT, kecamatan=list(SIZES), progress=False)


def by_code(paths: list[Path], kode: str) -> Path:
    return next(p for p in paths if p.name.startswith(kode + "_"))


def form_sheet(path: Path):
    return openpyxl.load_workbook(path)[forms.SHEET_FORM]


HEADER = forms.HEADER_ROW + 1  # 1-based Excel row of the header


def header_values(sheet) -> list[str]:
    return [c.value for c in sheet[HEADER]][: len(forms.HEADERS)]


def column_letter(header: str) -> str:
    return openpyxl.utils.get_column_letter(forms.col(header) + 1)


# --- files --------------------------------------------------------------------------------------------------


def test_one_file_per_kecamatan_and_readme(written):
    assert [p.name for p in written] == [
        "35.17.01_Perak.xlsx",
        "35.17.06_Mojoagung.xlsx",
        "35.17.21_Ngusikan.xlsx",
    ]
    readme = (written[0].parent / forms.README_NAME).read_text(encoding="utf-8")
    for text in ("RAHASIA", "UU No. 27 Tahun 2022", "camat", "OPD", "data/raw/verifikasi/", "35.17.06_Mojoagung.xlsx"):
        assert text in readme


def test_all_kecamatan_by_default(tmp_path, status_sasaran):
    paths = forms.write_forms(status_sasaran, tmp_path, REPORT, progress=False)
    assert len(paths) == len(wilayah.kecamatan_table()) == 21


def test_output_is_deterministic(tmp_path, status_sasaran):
    first = forms.write_forms(status_sasaran, tmp_path / "a", REPORT, kecamatan="Perak", progress=False)
    shuffled = status_sasaran.sample(frac=1, random_state=3)
    second = forms.write_forms(shuffled, tmp_path / "b", REPORT, kecamatan="35.17.01", progress=False)
    assert first[0].read_bytes() == second[0].read_bytes()
    props = openpyxl.load_workbook(first[0]).properties
    assert props.created == dt.datetime(2024, 11, 6)


def test_unknown_kecamatan_is_an_input_error(tmp_path, status_sasaran):
    with pytest.raises(forms.InputError, match="Mojoagung"):
        forms.write_forms(status_sasaran, tmp_path, REPORT, kecamatan="Mojoagnug", progress=False)


# --- layout -------------------------------------------------------------------------------------------------


def test_headers_are_contract_headers(written):
    sheet = form_sheet(by_code(written, "35.17.06"))
    headers = header_values(sheet)
    assert headers == forms.HEADERS
    for header in contract.VERIFIKASI.all_columns:
        assert header in headers
    # the extra columns are not contract columns of the verification input, so they are ignored on reading
    extra = set(headers) - set(contract.VERIFIKASI.all_columns)
    assert extra == {"No", "Alasan Didatangi", "Alamat", "ID Keluarga P3KE", "Status Intervensi", "Program Diterima",
                     "Status Verifikasi Terakhir"}  # fmt: skip
    assert "RAHASIA" in sheet["A1"].value
    assert "Mojoagung" in sheet["A3"].value and "6 November 2024" in sheet["A3"].value


def test_rows_are_people_still_in_desil1_sorted_by_desa_then_name(written, status_sasaran):
    sheet = form_sheet(by_code(written, "35.17.06"))
    rows = list(sheet.iter_rows(min_row=HEADER + 1, values_only=True))
    expected = status_sasaran[(status_sasaran["kode_kecamatan"] == "35.17.06")
                              & (status_sasaran["status_desil"] == "masih_desil1")]
    assert len(rows) == len(expected) == SIZES["35.17.06"]
    nik = forms.col("NIK")
    assert {r[nik] for r in rows} == set(expected["nik"])
    keys = [(r[forms.col("Desa/Kelurahan")], r[forms.col("Nama")]) for r in rows]
    assert keys == sorted(keys)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    reasons = {r[forms.col("NIK")]: r[forms.col("Alasan Didatangi")] for r in rows}
    needs = expected.set_index("nik")["perlu_tindakan"]
    assert all(reasons[n] == ALASAN_LABELS["perlu_tindakan" if needs[n] else "masih_desil1"] for n in needs.index)


def test_people_without_p3ke_record_are_on_the_form_with_sk_data(written, status_sasaran):
    sheet = form_sheet(by_code(written, "35.17.01"))
    rows = list(sheet.iter_rows(min_row=HEADER + 1, values_only=True))
    assert len(rows) == on_form("35.17.01")
    unmatched = status_sasaran[status_sasaran["status_desil"].isin(["tidak_padan", "tinjau_manual"])]
    by_nik = {r[forms.col("NIK")]: r for r in rows}
    for person in unmatched.itertuples():
        row = by_nik[person.nik_sk]
        assert row[forms.col("Nama")] == person.nama and row[forms.col("Alamat")] == person.alamat
        assert row[forms.col("Desa/Kelurahan")] == person.nama_desa
        assert row[forms.col("Alasan Didatangi")] == ALASAN_LABELS[person.status_desil]
        assert row[forms.col("ID Keluarga P3KE")] in (None, "")
    titles = " ".join(str(sheet.cell(r, 1).value) for r in range(1, HEADER))
    assert "1 belum ditemukan di p3ke" in titles and f"{on_form('35.17.01')} orang" in titles

def test_nik_is_text_and_inputs_are_empty(written):
    sheet = form_sheet(by_code(written, "35.17.06"))
    cell = sheet[f"{column_letter('NIK')}{HEADER + 1}"]
    assert cell.data_type == "s" and cell.number_format == "@" and len(cell.value) == 16
    for header in forms.INPUT_HEADERS:
        value = sheet[f"{column_letter(header)}{HEADER + 1}"].value
        assert value == (1 if header == "Putaran" else None), header
    found = sheet[f"{column_letter('NIK Temuan Lapangan')}{HEADER + 1}"]
    assert found.number_format == "@" and not found.protection.locked


def test_putaran_is_prefilled_with_the_given_round(tmp_path, status_sasaran):
    path = forms.write_forms(status_sasaran, tmp_path, REPORT, kecamatan="Perak", progress=False, putaran=3)[0]
    sheet = form_sheet(path)
    values = {sheet.cell(r, forms.col("Putaran") + 1).value for r in range(HEADER + 1, sheet.max_row + 1)}
    assert values == {3} and "putaran ke-3" in sheet["A3"].value
    assert "putaran ke-3" in (tmp_path / forms.README_NAME).read_text()


def test_next_form_round_comes_from_the_summary(tmp_path):
    assert forms.next_form_round(tmp_path) == 1
    (tmp_path / "summary.json").write_text('{"putaran_berikutnya": 4}')
    assert forms.next_form_round(tmp_path) == 4


def test_validations(written):
    sheet = form_sheet(by_code(written, "35.17.06"))
    last = HEADER + SIZES["35.17.06"]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        found[str(validation.sqref)] = validation
    status = found[f"{column_letter('Status Keberadaan')}{HEADER + 1}:{column_letter('Status Keberadaan')}{last}"]
    assert status.type == "list" and status.formula1 == '"Ada,Meninggal,Pindah,Tidak Ditemukan"'
    kondisi = found[f"{column_letter('Kondisi')}{HEADER + 1}:{column_letter('Kondisi')}{last}"]
    assert kondisi.type == "list" and all(k in kondisi.formula1 for k in verifikasi.KONDISI)
    tanggal = found[f"{column_letter('Tanggal Verifikasi')}{HEADER + 1}:{column_letter('Tanggal Verifikasi')}{last}"]
    assert tanggal.type == "date" and tanggal.operator in (None, "between")  # "between" is the default
    assert tanggal.formula1 and tanggal.formula2 and tanggal.showErrorMessage
    assert sheet[f"{column_letter('Tanggal Verifikasi')}{HEADER + 1}"].number_format == "dd/mm/yyyy"
    nik_found = found[f"{column_letter('NIK Temuan Lapangan')}{HEADER + 1}:{column_letter('NIK Temuan Lapangan')}{last}"]
    assert nik_found.type == "textLength" and nik_found.formula1 == "16"
    putaran = found[f"{column_letter('Putaran')}{HEADER + 1}:{column_letter('Putaran')}{last}"]
    assert putaran.type == "whole" and (putaran.formula1, putaran.formula2) == ("1", str(forms.MAX_PUTARAN))


def test_long_dropdown_list_goes_to_a_hidden_sheet(tmp_path, status_sasaran, monkeypatch):
    long_list = tuple(f"Kondisi contoh nomor {i}" for i in range(20))
    monkeypatch.setattr(forms, "KONDISI", long_list)
    path = forms.write_forms(status_sasaran, tmp_path, REPORT, kecamatan="Perak", progress=False)[0]
    book = openpyxl.load_workbook(path)
    assert book[forms.SHEET_LISTS].sheet_state == "hidden"
    formulas = [v.formula1 for v in book[forms.SHEET_FORM].data_validations.dataValidation]
    assert f"{forms.SHEET_LISTS}!$B$1:$B$20" in formulas
    raw = tmp_path / "raw"
    (raw / "verifikasi").mkdir(parents=True)
    shutil.copy(path, raw / "verifikasi" / path.name)
    assert len(readers.read_input(raw, contract.VERIFIKASI, progress=False)) == on_form("35.17.01")


def test_freeze_filter_print_setup(written):
    sheet = form_sheet(by_code(written, "35.17.06"))
    last = HEADER + SIZES["35.17.06"]
    assert sheet.freeze_panes == f"{column_letter('Alasan Didatangi')}{HEADER + 1}"
    assert sheet.auto_filter.ref == f"A{HEADER}:{column_letter('Putaran')}{last}"
    assert sheet.print_title_rows == f"${HEADER}:${HEADER}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0  # 1 is the default
    assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text


def test_only_input_columns_unlocked(written):
    sheet = form_sheet(by_code(written, "35.17.06"))
    protection = sheet.protection
    assert protection.sheet
    # openpyxl: False means "allowed" for these options
    assert protection.autoFilter is False and protection.sort is False
    assert protection.formatColumns is False and protection.formatRows is False
    for row in (HEADER, HEADER + 1, HEADER + SIZES["35.17.06"]):
        for index, header in enumerate(forms.HEADERS):
            unlocked = header in forms.INPUT_HEADERS and row > HEADER
            assert sheet.cell(row, index + 1).protection.locked is not unlocked, (row, header)


def test_help_sheet(written):
    book = openpyxl.load_workbook(by_code(written, "35.17.06"))
    assert book.sheetnames[:2] == [forms.SHEET_FORM, forms.SHEET_HELP]
    text = " ".join(str(c.value) for row in book[forms.SHEET_HELP].iter_rows() for c in row if c.value)
    for word in ("Status Keberadaan", "Tidak Ditemukan", "dd/mm/yyyy", "UU No. 27 Tahun 2022", "Sekretariat TKPK"):
        assert word in text


def test_kecamatan_without_people_gets_a_form_saying_so(written, tmp_path):
    path = by_code(written, "35.17.21")
    sheet = form_sheet(path)
    titles = " ".join(str(sheet.cell(r, 1).value) for r in range(1, HEADER))
    assert "Tidak ada sasaran" in titles and "Ngusikan" in titles
    assert header_values(sheet) == forms.HEADERS
    assert sheet.max_row == HEADER
    raw = tmp_path / "raw"
    (raw / "verifikasi").mkdir(parents=True)
    shutil.copy(path, raw / "verifikasi" / path.name)
    assert readers.read_input(raw, contract.VERIFIKASI, progress=False).empty


# --- round trip ---------------------------------------------------------------------------------------------


def fill(path: Path, target: Path, answers: dict[str, tuple], extra_rows: list[tuple] = ()) -> Path:
    """Fill a form as a camat would: ``answers[nik] = (status, kondisi, date, keterangan, petugas)``.

    ``extra_rows``: (nik, nama, status, date) typed below the list (a person not on the form).
    """
    book = openpyxl.load_workbook(path)
    sheet = book[forms.SHEET_FORM]
    nik_col = forms.col("NIK") + 1
    inputs = [forms.col(h) + 1 for h in ("Status Keberadaan", "Kondisi", "Tanggal Verifikasi", "Keterangan", "Petugas")]
    for row in range(HEADER + 1, sheet.max_row + 1):
        nik = sheet.cell(row, nik_col).value
        for column, value in zip(inputs, answers.get(nik, ())):
            sheet.cell(row, column).value = value
    row = sheet.max_row
    for nik, nama, status, date in extra_rows:
        row += 1
        sheet.cell(row, nik_col).value = nik
        sheet.cell(row, forms.col("Nama") + 1).value = nama
        sheet.cell(row, inputs[0]).value = status
        sheet.cell(row, inputs[2]).value = date
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def clean(raw: pd.DataFrame) -> pd.DataFrame:
    """The minimum of helpers.cleaning that resolve_keberadaan needs (NIK, status code, date)."""
    out = raw.copy()
    out["nik"] = normalise_nik(raw["nik"])["nik"]
    out["status_keberadaan"] = verifikasi.normalise_status(raw["status_keberadaan"])
    out["tanggal_verifikasi"] = pd.to_datetime(raw["tanggal_verifikasi"], format="%Y-%m-%d")
    return out


def form_niks(path: Path) -> list[str]:
    sheet = form_sheet(path)
    return [sheet.cell(r, forms.col("NIK") + 1).value for r in range(HEADER + 1, sheet.max_row + 1)]


def test_round_trip_filled_form(written, tmp_path, status_sasaran):
    path = by_code(written, "35.17.06")
    niks = form_niks(path)
    answers = {
        niks[0]: ("Ada", "Sehat", dt.datetime(2024, 11, 1), "Rumah perlu RTLH", "Budi"),
        niks[1]: ("Meninggal", None, dt.datetime(2024, 10, 20), "Meninggal 15/10/2024", "Budi"),
        niks[2]: ("Pindah", "Lansia Tunggal", dt.datetime(2024, 11, 2), "Ikut anak ke Surabaya", "Sari"),
        niks[3]: ("Tidak Ditemukan", "Lainnya", dt.datetime(2024, 11, 5), None, "Sari"),
    }
    raw_dir = tmp_path / "raw"
    fill(path, raw_dir / "verifikasi" / path.name, answers)

    raw = readers.read_input(raw_dir, contract.VERIFIKASI, progress=False)
    assert raw["nik"].tolist() == niks  # every row, filled or empty, with its NIK as 16-digit text
    assert raw["nik"].str.fullmatch(r"\d{16}").all()
    assert raw["baris_sumber"].tolist() == list(range(HEADER + 1, HEADER + 1 + len(niks)))
    filled = raw[raw["status_keberadaan"].notna()]
    assert filled["nik"].tolist() == niks[:4]
    assert filled["tanggal_verifikasi"].tolist() == ["2024-11-01", "2024-10-20", "2024-11-02", "2024-11-05"]
    assert filled["kondisi"].fillna("").tolist() == ["Sehat", "", "Lansia Tunggal", "Lainnya"]
    assert raw.loc[raw["status_keberadaan"].isna(), "tanggal_verifikasi"].isna().all()
    assert raw["kecamatan"].eq("Mojoagung").all()

    per_nik, masalah = verifikasi.resolve_keberadaan(clean(raw), REPORT, known_nik=status_sasaran["nik"])
    assert dict(zip(per_nik["nik"], per_nik["status_keberadaan"])) == {
        niks[0]: "ada",
        niks[1]: "meninggal",
        niks[2]: "pindah",
        niks[3]: "tidak_ditemukan",
    }
    assert masalah.empty


def test_bad_forms(written, tmp_path, status_sasaran):
    """Returned twice, a row edited differently, a status outside the list, a stranger's NIK, a future date."""
    path = by_code(written, "35.17.06")
    niks = form_niks(path)
    stranger = "3517184507880999"
    first = {
        niks[0]: ("Ada", "Sehat", dt.datetime(2024, 11, 1), None, "Budi"),
        niks[1]: ("Meninggal", None, dt.datetime(2024, 11, 1), None, "Budi"),
        niks[2]: ("Pindah", None, dt.datetime(2024, 12, 1), "tanggal salah ketik", "Budi"),
        niks[3]: ("Ada", None, None, "lupa tanggal", "Budi"),
    }
    second = {**first, niks[1]: ("Ada", None, dt.datetime(2024, 11, 1), None, "Budi"),
              niks[4]: ("Sudah sembuh", None, dt.datetime(2024, 11, 1), None, "Budi")}
    raw_dir = tmp_path / "raw"
    fill(path, raw_dir / "verifikasi" / "35.17.06_Mojoagung.xlsx", first,
         extra_rows=[(stranger, "Orang Baru", "Ada", dt.datetime(2024, 11, 1))])
    fill(path, raw_dir / "verifikasi" / "35.17.06_Mojoagung_kirim_ulang.xlsx", second)

    raw = readers.read_input(raw_dir, contract.VERIFIKASI, progress=False)
    # the status outside the list: unknown (the cleaner quarantines it with the allowed values)
    unknown = verifikasi.unknown_status(raw["status_keberadaan"])
    assert raw.loc[unknown, "nik"].tolist() == [niks[4]]
    assert verifikasi.normalise_status(raw.loc[unknown, "status_keberadaan"]).isna().all()
    cleaned = clean(raw[~unknown])

    per_nik, masalah = verifikasi.resolve_keberadaan(cleaned, REPORT, known_nik=status_sasaran["nik"])
    status = dict(zip(per_nik["nik"], per_nik["status_keberadaan"]))
    assert status == {niks[0]: "ada"}  # niks[1] contradicts itself; niks[2] future; niks[3] no date
    problems = {(r.nik, r.jenis) for r in masalah.itertuples()}
    assert problems == {
        (niks[0], verifikasi.JENIS_DUPLIKAT),
        (niks[1], verifikasi.JENIS_KONTRADIKSI),
        (niks[2], verifikasi.JENIS_TANGGAL_SESUDAH_LAPORAN),
        (niks[3], verifikasi.JENIS_TANGGAL_KOSONG),
        (stranger, verifikasi.JENIS_NIK_TIDAK_DIKENAL),
    }
    contradiction = masalah[masalah["jenis"] == verifikasi.JENIS_KONTRADIKSI]
    # the reader names the sheet too, as the workbook has several
    assert set(contradiction["sumber_file"]) == {
        "verifikasi/35.17.06_Mojoagung.xlsx [Formulir]",
        "verifikasi/35.17.06_Mojoagung_kirim_ulang.xlsx [Formulir]",
    }
    assert len(masalah[masalah["jenis"] == verifikasi.JENIS_TANGGAL_SESUDAH_LAPORAN]) == 2  # in both copies
    assert len(masalah[masalah["jenis"] == verifikasi.JENIS_TANGGAL_KOSONG]) == 2


def test_round_trip_reads_putaran_and_nik_found_and_old_forms_still_read(written, tmp_path, status_sasaran):
    from helpers.cleaning.records import clean_verifikasi

    path = by_code(written, "35.17.01")
    unmatched = status_sasaran[status_sasaran["status_desil"] == "tidak_padan"].iloc[0]
    found_nik = "3517014507800123"
    raw_dir = tmp_path / "raw"
    target = fill(path, raw_dir / "verifikasi" / path.name, {unmatched["nik"]: ("Ada", "Sehat", dt.datetime(2024, 11, 4),
                                                                            None, "Sari")})  # fmt: skip
    book = openpyxl.load_workbook(target)
    sheet = book[forms.SHEET_FORM]
    for row in range(HEADER + 1, sheet.max_row + 1):
        if sheet.cell(row, forms.col("NIK") + 1).value == unmatched["nik"]:
            sheet.cell(row, forms.col("NIK Temuan Lapangan") + 1).value = found_nik
    book.save(target)
    cleaned = clean_verifikasi(readers.read_input(raw_dir, contract.VERIFIKASI, progress=False)).data
    assert cleaned["putaran"].tolist() == [1] * on_form("35.17.01")
    row = cleaned[cleaned["status_keberadaan"].notna()].iloc[0]
    assert (row["nik"], row["nik_temuan"], row["status_keberadaan"]) == (unmatched["nik"], found_nik, "ada")

    # an old form (before the Putaran and NIK Temuan Lapangan columns) reads and cleans as before
    for header in ("Putaran", "NIK Temuan Lapangan"):
        sheet.delete_cols(forms.col(header) + 1)  # Putaran first: it is the last column
    assert "Putaran" not in [c.value for c in sheet[HEADER]]
    book.save(target)
    old = readers.read_input(raw_dir, contract.VERIFIKASI, progress=False)
    cleaned = clean_verifikasi(old).data
    assert cleaned["putaran"].isna().all() and cleaned["nik_temuan"].isna().all()
    assert cleaned["status_keberadaan"].notna().sum() == 1


# --- command line -------------------------------------------------------------------------------------------


def test_cli_writes_forms(tmp_path, status_sasaran, capsys):
    processed = tmp_path / "processed"
    processed.mkdir()
    status_sasaran.to_parquet(processed / "status_sasaran.parquet")
    for step in runs.STEPS:  # the outputs of one finished run (helpers.runs)
        runs.start_step(processed, step, "run-uji")
        runs.finish_step(processed, step, "run-uji", [])
    args = ["-p", "processed_dir", str(processed), "-p", "reports_dir", str(tmp_path / "reports"),
            "-p", "report_date", REPORT, "-p", "kecamatan", "Perak, Mojoagung"]
    assert forms.main(args) == 0
    folder = tmp_path / "reports" / REPORT / forms.FOLDER
    assert sorted(p.name for p in folder.iterdir()) == [
        "35.17.01_Perak.xlsx", "35.17.06_Mojoagung.xlsx", forms.README_NAME]


def test_cli_errors_are_indonesian_without_traceback(tmp_path, capsys):
    assert forms.main(["-p", "processed_dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "belum ada" in err and "Traceback" not in err
    assert forms.main(["-p", "report_date", "06-11-2024"]) == 2
    assert "TTTT-BB-HH" in capsys.readouterr().err


# --- LibreOffice ------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_pdf_repeats_the_header_on_every_page(written, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) tidak terpasang: jalankan `make system-deps`.")
    path = by_code(written, "35.17.06")
    profile = (tmp_path / "lo-profile").as_uri()  # own profile: parallel soffice runs do not collide
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / path.with_suffix(".pdf").name
    assert pdf.is_file()
    pages = pdf_pages(pdf)
    form_pages = [p for p in pages if "Petunjuk pengisian" not in p]
    assert len(form_pages) >= 2
    for number, text in enumerate(form_pages, start=1):
        flat = " ".join(text.split())
        for word in ("NIK", "Nama", "Petugas", "Keberadaan"):
            assert word in flat, (number, word)
        assert f"Halaman {number} dari" in flat
        assert "RAHASIA" in flat


def pdf_pages(pdf: Path) -> list[str]:
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
        return [p for p in text.stdout.split("\f") if p.strip()]
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(pdf).pages]


def test_a_cell_longer_than_excel_keeps_is_cut_with_a_review_row(tmp_path, status_sasaran):
    status = status_sasaran.copy()
    person = status.index[status["status_desil"] == "masih_desil1"][0]
    status.loc[person, "alamat"] = "Dusun Krajan RT 001 RW 002, " * 1500 + "Jombang"  # pasted again and again
    with pytest.warns(UserWarning, match=r"1 sel lebih panjang dari batas Excel \(32\.767 karakter\)"):
        paths = forms.write_forms(status, tmp_path, REPORT, kecamatan=status.loc[person, "kode_kecamatan"],
                                  progress=False)  # fmt: skip
    sheet = form_sheet(paths[0])
    column = forms.col("Alamat") + 1
    cells = next(sheet.iter_cols(min_col=column, max_col=column, min_row=HEADER + 1, values_only=True))
    longest = max(cells, key=lambda v: len(v or ""))
    assert len(longest) == forms.EXCEL_CELL_LIMIT and longest.endswith(f"lihat {forms.CUT_CELLS_FILE}]")
    assert "teks asli 42.007 karakter" in longest
    listed = pd.read_csv(tmp_path / forms.CUT_CELLS_FILE, dtype=str, encoding="utf-8-sig")
    assert listed[["nik", "kolom", "panjang_asli"]].values.tolist() == [[status.loc[person, "nik"], "Alamat", "42007"]]
    row = int(listed["no"].iloc[0])
    assert sheet.cell(HEADER + row, forms.col("NIK") + 1).value == status.loc[person, "nik"]
