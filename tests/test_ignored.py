"""Every record left out is listed (file and row) and counted: verification and intervention rows dated after the
report date, same-day contradicting OPD statuses, the same intervention record in two files; the console's closing
lines and the reports' data-quality section say so, and a report date far after the data is warned about."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest
from conftest import make_nik, small_world, write_csv, write_world

from helpers import catalog, cleaning, guards
from helpers.publishing import sections
from helpers.publishing.report_data import ReportData
from helpers.reading.contract import INPUTS
from helpers.statuses import classify

REPORT = "2024-11-06"
N = {i: make_nik(serial=i) for i in range(1, 20)}
INTERVENSI_HEADERS = list(INPUTS["intervensi"].all_columns)
VERIFIKASI_HEADERS = list(INPUTS["verifikasi"].all_columns)


def _run(tmp_path, world=None, extra=None, report_date=REPORT):
    """Clean and classify a small world (plus ``extra`` files: {relative path: (rows, headers)})."""
    raw = write_world(tmp_path / "raw", world or small_world())
    for name, (rows, headers) in (extra or {}).items():
        write_csv(raw / name, rows, headers)
    processed = tmp_path / "processed"
    cleaning.clean_all(raw, processed)
    run = classify.run_status(processed, report_date)
    return processed, run


def _csv(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, encoding="utf-8-sig")


def test_a_verification_row_dated_2030_is_listed_with_its_file_and_counted(tmp_path):
    typo = {"NIK": N[1], "Status Keberadaan": "Meninggal", "Tanggal Verifikasi": "12/10/2030", "Petugas": "Sari"}
    processed, run = _run(tmp_path, extra={"verifikasi/2024-10-12_Mojoagung.csv": ([typo], VERIFIKASI_HEADERS)})
    listed = _csv(catalog.KEBERADAAN_MASALAH.at(processed))
    row = listed[listed["jenis"] == "tanggal_sesudah_laporan"]
    assert row[["sumber_file", "baris_sumber"]].values.tolist() == [["verifikasi/2024-10-12_Mojoagung.csv", "2"]]
    assert "12/10/2030" in row["pesan"].iloc[0] and "salah ketik" in row["pesan"].iloc[0]
    summary = json.loads(catalog.SUMMARY.at(processed).read_text())
    assert summary["diabaikan"]["verifikasi"]["tanggal_sesudah_laporan"] == 1
    status = run.status.set_index("nik_sk")
    assert status.loc[N[1], "status_keberadaan"] == "belum_diverifikasi"  # the 2030 death is not applied
    line = next(x for x in guards.closing_lines(summary, processed) if x.strip().startswith("verifikasi"))
    assert "1 bertanggal sesudah tanggal laporan" in line
    assert "1 bertanggal sesudah tanggal laporan" in sections.quality_section(ReportData(summary=summary))


def test_intervention_rows_after_the_report_date_and_same_day_contradictions_are_listed(tmp_path):
    rows = [
        {"NIK": N[1], "Nama": "Ahmad Sholeh", "OPD": "Dinsos", "Program": "BPNT", "Tanggal Intervensi": "2030-05-01",
         "Status": "Optimal"},
        {"NIK": N[1], "Nama": "Ahmad Sholeh", "OPD": "Dinsos", "Program": "PKH", "Tanggal Intervensi": "2024-09-01",
         "Status": "Optimal"},
        {"NIK": N[1], "Nama": "Ahmad Sholeh", "OPD": "Perkim", "Program": "Rehab RTLH",
         "Tanggal Intervensi": "01/09/2024", "Status": "Belum Optimal"},
    ]  # fmt: skip
    processed, run = _run(tmp_path, extra={"intervensi/opd_lain.csv": (rows, INTERVENSI_HEADERS)})
    listed = _csv(catalog.INTERVENSI_MASALAH.at(processed))
    later = listed[listed["jenis"] == "tanggal_sesudah_laporan"]
    assert later[["sumber_file", "baris_sumber", "dipakai"]].values.tolist() == [["intervensi/opd_lain.csv", "2", "tidak"]]
    contested = listed[listed["jenis"] == "status_opd_bertentangan"].set_index("baris_sumber")
    assert contested["dipakai"].to_dict() == {"3": "tidak", "4": "ya"}
    assert "Optimal (intervensi/opd_lain.csv baris 3); Belum Optimal (intervensi/opd_lain.csv baris 4)" in contested.loc[
        "3", "pesan"]
    assert listed["nik_tersamar"].str.contains(r"\*").all()  # masked
    assert run.summary["diabaikan"]["intervensi"] == {"tanggal_sesudah_laporan": 1, "status_opd_bertentangan": 1,
                                                    "nik_bukan_sasaran": 0}
    assert run.status.set_index("nik_sk").loc[N[1], "status_intervensi"] == "belum_optimal"  # the rule, unchanged


def test_the_same_record_in_two_intervention_files_counts_once_and_is_listed(tmp_path):
    world = small_world()
    # Dinsos sent its file twice: once as a second OPD file, dates and names typed differently
    again = [{"NIK": "'" + N[1], "Nama": "AHMAD  SHOLEH", "OPD": "Dinas Sosial", "Program": "pkh",
              "Tanggal Intervensi": "01/05/2024"}]  # fmt: skip
    processed, run = _run(tmp_path, world, extra={"intervensi/kirim_ulang_dinsos.csv": (again, INTERVENSI_HEADERS)})
    ringkasan = json.loads(catalog.RINGKASAN.at(processed).read_text())["intervensi"]
    assert ringkasan["perbaikan"]["catatan_ganda"] == 1
    assert ringkasan["per_sumber"]["intervensi/kirim_ulang_dinsos.csv"]["baris_duplikat"] == 1
    assert ringkasan["baris_masuk"] == ringkasan["baris_bersih"] + ringkasan["baris_duplikat"] + ringkasan["baris_karantina"]
    listed = _csv(catalog.INTERVENSI_GANDA.at(processed))
    assert listed[["sumber_file", "baris_sumber", "sama_dengan"]].values.tolist() == [
        ["intervensi/kirim_ulang_dinsos.csv", "2", "intervensi/intervensi_01.csv baris 2"]]
    table = pd.read_parquet(processed / "intervensi.parquet")
    assert ((table["nik"] == N[1]) & (table["program"].str.casefold() == "pkh")).sum() == 1
    assert run.summary["catatan_ganda"] == {"intervensi": 1}
    line = next(x for x in guards.closing_lines(run.summary, processed) if x.strip().startswith("intervensi"))
    assert "(termasuk 1 catatan sama dari file/penulisan lain)" in line


def test_a_record_with_another_status_or_date_is_not_a_repeat(tmp_path):
    world = small_world()
    other = [{"NIK": N[1], "Nama": "Ahmad Sholeh", "OPD": "Dinsos", "Program": "PKH", "Tanggal Intervensi": "2024-06-01"},
             {"NIK": N[1], "Nama": "Ahmad Sholeh", "OPD": "Dinsos", "Program": "PKH", "Tanggal Intervensi": "2024-05-01",
              "Status": "Optimal"}]  # fmt: skip
    processed, run = _run(tmp_path, world, extra={"intervensi/dinsos_2.csv": (other, INTERVENSI_HEADERS)})
    assert run.summary["catatan_ganda"] == {"intervensi": 0}
    assert _csv(catalog.INTERVENSI_GANDA.at(processed)).empty


@pytest.mark.parametrize("report_date, warned", [("2099-01-01", True), ("2025-10-31", False)])
def test_a_report_date_more_than_a_year_after_the_newest_record_is_warned(tmp_path, report_date, warned):
    with pytest.warns(UserWarning, match="lebih dari setahun") if warned else warnings.catch_warnings():
        if not warned:
            warnings.simplefilter("error", UserWarning)
        processed, run = _run(tmp_path, report_date=report_date)
    summary = run.summary
    assert summary["tanggal_catatan_terbaru"] == "2024-11-05"  # the newest verification of the small world
    assert bool(summary["peringatan"]) is warned
    if warned:
        assert "01/01/2099" in summary["peringatan"][0] and "05/11/2024" in summary["peringatan"][0]
        assert any(line.startswith("PERINGATAN: Tanggal laporan 01/01/2099") for line in guards.closing_lines(summary))
        assert "Peringatan:" in sections.quality_section(ReportData(summary=summary))


def test_closing_lines_name_every_input_in_contract_order(tmp_path):
    processed, run = _run(tmp_path)
    lines = guards.closing_lines(run.summary, processed)
    names = [line.split()[0] for line in lines[1:8]]
    assert names == list(INPUTS)
    p3ke = lines[1]
    counts = run.summary
    assert p3ke.split(None, 1)[1] == (
        f"{counts['baris_masuk']['p3ke']} dibaca, {counts['baris_karantina']['p3ke']} dikarantina, "
        f"{counts['baris_duplikat']['p3ke']} duplikat, 0 diabaikan"
    )
    assert f"Baris yang dikarantina beserta alasannya: {processed / 'karantina'}/" in lines
