"""Encrypted camat forms: each workbook has its own password in the key folder (never in reports/), opens with it
and with nothing else (openpyxl after msoffcrypto, and LibreOffice), and a form returned still encrypted goes back
into the pipeline; a form whose password is unknown stops the run with its name and nothing is lost."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import small_world, write_world
from test_forms import HEADER, REPORT, SIZES, by_code, fill, form_niks, synthetic_status_sasaran

from helpers import cleaning, keys, protect, runs
from helpers.cleaning.records import clean_verifikasi
from helpers.errors import InputError
from helpers.publishing import forms
from helpers.reading import contract, readers
from helpers.statuses import verifikasi


@pytest.fixture(scope="module")
def status_sasaran() -> pd.DataFrame:
    return synthetic_status_sasaran(SIZES)


@pytest.fixture(scope="module")
def sent(tmp_path_factory, status_sasaran) -> dict:
    """Forms written as ``make forms`` does, encrypted, with the key folder beside (not inside) the reports."""
    base = tmp_path_factory.mktemp("kirim")
    kunci = base / "kunci"
    out = base / "reports" / REPORT / forms.FOLDER
    paths = forms.write_forms(status_sasaran, out, REPORT, kecamatan=list(SIZES), progress=False, kunci_dir=kunci)
    return {"paths": paths, "kunci": kunci, "passwords": keys.read_passwords(kunci, REPORT), "base": base}


def _open(path: Path, password: str) -> openpyxl.Workbook:
    plain = protect.open_workbook_bytes(path, [password])
    return openpyxl.load_workbook(io.BytesIO(plain))


def test_every_form_is_encrypted_and_opens_with_its_own_password_only(sent):
    paths, passwords = sent["paths"], sent["passwords"]
    assert sorted(passwords) == sorted(p.name for p in paths) and len(paths) == len(SIZES)
    assert len(set(passwords.values())) == len(paths)  # one password per file
    for path in paths:
        assert protect.is_encrypted(path) and not zipfile.is_zipfile(path)
        with pytest.raises(zipfile.BadZipFile):  # no password: not even a workbook
            openpyxl.load_workbook(path)
        own = passwords[path.name]
        assert len(own.replace("-", "")) >= 12
        sheet = _open(path, own)[forms.SHEET_FORM]
        assert [c.value for c in sheet[HEADER]][: len(forms.HEADERS)] == forms.HEADERS
        for name, other in passwords.items():
            if name != path.name:
                assert protect.decrypt_bytes(path.read_bytes(), other) is None
        assert protect.decrypt_bytes(path.read_bytes(), "") is None


def test_passwords_live_in_the_key_folder_only(sent):
    listed = keys.passwords_path(sent["kunci"], REPORT)
    assert stat.S_IMODE(listed.stat().st_mode) == 0o600
    assert stat.S_IMODE(sent["kunci"].stat().st_mode) == 0o700
    with listed.open(encoding="utf-8") as handle:
        assert tuple(csv.DictReader(handle).fieldnames) == ("file", "kata_sandi")
    reports = sent["base"] / "reports"
    texts = [p.read_bytes() for p in reports.rglob("*") if p.is_file()]
    for password in sent["passwords"].values():
        assert not any(password.encode() in text for text in texts)
    readme = (sent["paths"][0].parent / forms.README_NAME).read_text(encoding="utf-8")
    assert "saluran lain" in readme and listed.name in readme and "kata sandi" in readme.lower()


def test_rewriting_the_forms_of_the_same_date_keeps_each_password(sent, status_sasaran, tmp_path):
    again = forms.write_forms(status_sasaran, tmp_path, REPORT, kecamatan="Perak", progress=False,
                              kunci_dir=sent["kunci"])  # fmt: skip
    assert keys.read_passwords(sent["kunci"], REPORT) == sent["passwords"]
    _open(again[0], sent["passwords"][again[0].name])


def test_encryption_can_be_turned_off(tmp_path, status_sasaran):
    paths = forms.write_forms(status_sasaran, tmp_path, REPORT, kecamatan="Perak", progress=False)
    assert zipfile.is_zipfile(paths[0]) and not protect.is_encrypted(paths[0])
    assert "tidak dienkripsi" in (tmp_path / forms.README_NAME).read_text(encoding="utf-8")


def _returned(path: Path, password: str, target: Path, answers: dict) -> Path:
    """A camat opens the form with its password, fills it, and saves it (Excel keeps the password)."""
    plain = path.with_name(f"_isi_{path.name}")
    plain.write_bytes(protect.open_workbook_bytes(path, [password]))
    fill(plain, plain, answers)
    target.parent.mkdir(parents=True, exist_ok=True)
    protect.write_encrypted(plain.read_bytes(), target, password)
    plain.unlink()
    return target


def test_a_form_returned_still_encrypted_goes_back_in(sent, status_sasaran, tmp_path):
    path = by_code(sent["paths"], "35.17.06")
    password = sent["passwords"][path.name]
    niks = form_niks_encrypted(path, password)
    answers = {niks[0]: ("Ada", "Sehat", dt.datetime(2024, 11, 1), "Rumah perlu RTLH", "Budi"),
               niks[1]: ("Meninggal", None, dt.datetime(2024, 10, 20), None, "Budi")}  # fmt: skip
    raw = tmp_path / "raw"
    # renamed on arrival, as the README asks for a second sending
    _returned(path, password, raw / "verifikasi" / "35.17.06_Mojoagung_diterima_2024-11-20.xlsx", answers)
    rows = readers.read_input(raw, contract.VERIFIKASI, progress=False, kunci_dir=sent["kunci"])
    assert rows["nik"].tolist() == niks
    filled = rows[rows["status_keberadaan"].notna()]
    assert filled["nik"].tolist() == niks[:2] and filled["tanggal_verifikasi"].tolist() == ["2024-11-01", "2024-10-20"]
    cleaned = clean_verifikasi(rows).data
    per_nik, _ = verifikasi.resolve_keberadaan(cleaned, REPORT, known_nik=status_sasaran["nik"])
    assert dict(zip(per_nik["nik"], per_nik["status_keberadaan"])) == {niks[0]: "ada", niks[1]: "meninggal"}


def form_niks_encrypted(path: Path, password: str) -> list[str]:
    plain = path.with_name(f"_baca_{path.name}")
    plain.write_bytes(protect.open_workbook_bytes(path, [password]))
    try:
        return form_niks(plain)
    finally:
        plain.unlink()


def test_an_unknown_password_names_the_file_and_nothing_is_lost(sent, tmp_path):
    """A cleaning run with the forms returned encrypted: with a known password they are read; a form whose
    password is unknown stops the run naming it, and the processed outputs of the last run stay as they were."""
    kunci = sent["kunci"]
    raw = write_world(tmp_path / "raw", {k: v for k, v in small_world().items() if k != "verifikasi"})
    path = by_code(sent["paths"], "35.17.01")
    (raw / "verifikasi").mkdir(exist_ok=True)
    shutil.copy(path, raw / "verifikasi" / path.name)
    processed = tmp_path / "olahan"
    result = cleaning.clean_all(raw, processed, kunci_dir=kunci)
    assert result.inputs["verifikasi"].baris_masuk == len(form_niks_encrypted(path, sent["passwords"][path.name]))
    before = {p.name: p.read_bytes() for p in processed.glob("*.*")}

    other = by_code(sent["paths"], "35.17.06")
    plain = protect.open_workbook_bytes(other, [sent["passwords"][other.name]])
    protect.write_encrypted(plain, raw / "verifikasi" / "kiriman_camat.xlsx", "kata-sandi-lain-sekali")
    with pytest.raises(InputError) as error:
        cleaning.clean_all(raw, processed, kunci_dir=kunci)
    assert "verifikasi/kiriman_camat.xlsx" in str(error.value) and "kata sandi" in str(error.value)
    assert {p.name: p.read_bytes() for p in processed.glob("*.*")} == before
    assert runs.read_manifest(processed)["langkah"][runs.CLEAN_STEP]["run_id"] == result.run_id


def test_encrypt_workbook_in_place(tmp_path):
    path = tmp_path / "opd.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "NIK"
    book.save(path)
    protect.encrypt_workbook(path, "rahasia-OPD-2024")
    assert protect.is_encrypted(path)
    assert openpyxl.load_workbook(io.BytesIO(protect.open_workbook_bytes(path, ["salah", "rahasia-OPD-2024"])))[
        "Sheet"]["A1"].value == "NIK"  # fmt: skip
    with pytest.raises(InputError, match="opd.xlsx"):
        protect.open_workbook_bytes(path, ["salah"])


def test_cli_encrypts_by_default_and_says_where_the_passwords_are(tmp_path, status_sasaran, capsys):
    processed = tmp_path / "processed"
    processed.mkdir()
    status_sasaran.to_parquet(processed / "status_sasaran.parquet")
    for step in runs.STEPS:
        runs.start_step(processed, step, "run-uji")
        runs.finish_step(processed, step, "run-uji", [])
    common = ["-p", "processed_dir", str(processed), "-p", "reports_dir", str(tmp_path / "reports"),
              "-p", "report_date", REPORT, "-p", "kecamatan", "Perak", "-p", "kunci_dir", str(tmp_path / "kunci")]
    assert forms.main(common) == 0
    out = capsys.readouterr().out
    path = tmp_path / "reports" / REPORT / forms.FOLDER / "35.17.01_Perak.xlsx"
    assert protect.is_encrypted(path) and "kata_sandi_2024-11-06.csv" in out and "saluran lain" in out
    assert forms.main([*common, "-p", "enkripsi_formulir", "false"]) == 0
    assert not protect.is_encrypted(path) and "TANPA kata sandi" in capsys.readouterr().out


# --------------------------------------------------------------------------- LibreOffice

_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Convert(src As String, pw As String, dst As String)
  Dim args(1) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot; : args(0).Value = True
  args(1).Name = &quot;Password&quot; : args(1).Value = pw
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, args())
  Dim out(0) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot; : out(0).Value = &quot;calc_pdf_Export&quot;
  doc.storeToURL(ConvertToURL(dst), out())
  doc.close(True)
End Sub
</script:module>
"""


@pytest.mark.slow
def test_libreoffice_opens_an_encrypted_form_with_its_password_and_not_without(sent, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) tidak terpasang: jalankan `make system-deps`.")
    profile = tmp_path / "lo-profile"
    env = f"-env:UserInstallation={profile.as_uri()}"
    path = by_code(sent["paths"], "35.17.06")
    # without a password LibreOffice cannot load it (this run also creates the profile)
    subprocess.run([soffice, env, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "tanpa"), str(path)],
                   capture_output=True, timeout=180)  # fmt: skip
    assert not (tmp_path / "tanpa" / path.with_suffix(".pdf").name).exists()
    # with it (a Basic macro loads the file with the Password property, as a user typing it would)
    (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(_MACRO, encoding="utf-8")
    pdf = tmp_path / "dengan.pdf"
    password = sent["passwords"][path.name]
    subprocess.run([soffice, env, "--headless", f'macro:///Standard.Module1.Convert("{path}","{password}","{pdf}")'],
                   capture_output=True, timeout=180)  # fmt: skip
    assert pdf.is_file()
    from test_forms import pdf_pages

    text = " ".join(" ".join(pdf_pages(pdf)).split())
    assert "RAHASIA" in text and form_niks_encrypted(path, password)[0] in text
