"""Progress across report dates (issue: the Bupati's questions): history, pace, projection, the brief and the index."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from helpers import catalog
from helpers.publishing import brief, index, progress
from helpers.statuses import history


def _summary(date: str, perlu: int, masih: int = 100, **extra) -> dict:
    kecamatan = [
        {"kode": "35.17.01", "nama": "Bandar Kedung Mulyo", "sasaran_sk": 10, "keluar_desil1": 0, "masih_desil1": masih // 2,
         "intervensi_optimal": masih // 2 - perlu // 2, "intervensi_belum_optimal": perlu // 2, "belum_intervensi": 0,
         "perlu_tindakan": perlu // 2, "diverifikasi": 1, "meninggal": 0},
        {"kode": "35.17.02", "nama": "Perak", "sasaran_sk": 10, "keluar_desil1": 0, "masih_desil1": masih - masih // 2,
         "intervensi_optimal": masih - masih // 2 - (perlu - perlu // 2), "intervensi_belum_optimal": perlu - perlu // 2,
         "belum_intervensi": 0, "perlu_tindakan": perlu - perlu // 2, "diverifikasi": 1, "meninggal": 0},
    ]  # fmt: skip
    return {"tanggal_laporan": date, "sasaran_sk": 200, "keluar_desil1": 100, "masih_desil1": masih,
            "intervensi_optimal": masih - perlu, "intervensi_belum_optimal": perlu, "belum_intervensi": 0,
            "belum_optimal_masih_ada": perlu, "belum_optimal_meninggal": 0, "perlu_tindakan": perlu,
            "diverifikasi": 2, "meninggal": 0, "padan": {"nik": 200}, "baris_masuk": {}, "baris_karantina": {},
            "baris_duplikat": {}, "per_kecamatan": kecamatan, "per_putaran": [], "putaran_berikutnya": 2,
            **extra}  # fmt: skip


def _keep(reports: Path, summary: dict) -> None:
    folder = reports / summary["tanggal_laporan"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")


def test_pace_and_zero_date():
    assert history.pace([("2024-11-01", 100), ("2024-11-08", 80)]) == 20.0
    assert history.pace([("2024-11-08", 80)]) is None
    assert history.zero_date(80, "2024-11-08", 20.0) == "2024-12-06"
    assert history.zero_date(80, "2024-11-08", 0.0) is None and history.zero_date(0, "2024-11-08", None) == "2024-11-08"
    # only the last WINDOW points count: an old fast drop does not hide a recent stall
    points = [("2024-10-01", 500), ("2024-10-08", 100), ("2024-10-15", 100), ("2024-10-22", 100), ("2024-10-29", 100)]
    assert history.pace(points) == 0.0


def test_history_reads_only_earlier_dates_and_equals_their_summaries(tmp_path):
    first, second, later = _summary("2024-10-20", 60), _summary("2024-11-06", 40), _summary("2024-11-27", 10)
    for s in (first, second, later):
        _keep(tmp_path, s)
    now = history.with_history(_summary("2024-11-20", 30), tmp_path, pd.DataFrame(), "2024-11-30")
    assert [e["tanggal_laporan"] for e in now["riwayat"]] == ["2024-10-20", "2024-11-06"]  # never a later run
    for entry, own in zip(now["riwayat"], (first, second)):
        assert {k: entry[k] for k in history.HISTORY_KEYS} == {k: own[k] for k in history.HISTORY_KEYS}
    p = now["proyeksi"]  # 60 -> 40 -> 30 over 31 days: 30 * 7 / 31 per week
    assert p["dasar"] == history.BASIS_REPORTS and p["laju_per_minggu"] == round(30 * 7 / 31, 2)
    assert p["tanggal_nol"] == history.zero_date(30, "2024-11-20", p["laju_per_minggu"])
    assert p["tercapai_sebelum_target"] is False  # 30 people at ~6.8 a week take until late December
    catalog.check_json(catalog.SUMMARY, now)


def test_a_stalled_kecamatan_comes_first(tmp_path):
    before = _summary("2024-11-01", 40)
    before["per_kecamatan"][0]["perlu_tindakan"] = 30  # Bandar Kedung Mulyo: 30 -> 20, on track
    before["per_kecamatan"][1]["perlu_tindakan"] = 5  # Perak: 5 -> 20, getting worse
    _keep(tmp_path, before)
    now = history.with_history(_summary("2024-11-08", 40), tmp_path, pd.DataFrame(), "2024-11-30")
    ranked = now["proyeksi_kecamatan"]
    assert ranked[0]["nama"] == "Perak" and ranked[0]["tanggal_nol"] is None
    assert ranked[0]["tercapai_sebelum_target"] is False
    table = progress.pace_table(now)
    assert table.iloc[0]["Target"] == "tertinggal" and table.iloc[0]["Perkiraan nol"] == "tidak tercapai pada laju ini"


def test_one_report_date_says_so_and_uses_rounds():
    rounds = pd.DataFrame({"tanggal": ["2024-10-03", "2024-10-03", "2024-10-17"], "kode_kecamatan": ["35.17.01"] * 3,
                           "perlu_tindakan": [True, True, True]})  # fmt: skip
    summary = history.with_history(_summary("2024-10-31", 1), None, rounds, "2024-11-30")
    assert "laporan pertama" in progress.changes_text(summary) and progress.changes_table(summary).empty
    assert summary["proyeksi"]["dasar"] == history.BASIS_ROUNDS  # 2 -> 1 -> 1 over four weeks
    assert "putaran verifikasi" in progress.projection_text(summary)


def test_changes_in_words_with_indonesian_numbers(tmp_path):
    _keep(tmp_path, _summary("2024-11-06", 1841, masih=2500))
    now = history.with_history(_summary("2024-11-20", 1500, masih=2400), tmp_path, pd.DataFrame(), "2024-11-30")
    text = progress.changes_text(now)
    assert "6 November 2024" in text and "perlu tindakan segera turun 341 jiwa menjadi 1.500 jiwa" in text
    table = progress.changes_table(now)
    assert table.set_index("Angka").loc["Perlu tindakan segera", "Perubahan"] == "-341"


def test_brief_names_the_target_and_holds_no_personal_data(tmp_path):
    _keep(tmp_path, _summary("2024-11-06", 40))
    now = history.with_history(_summary("2024-11-20", 30), tmp_path, pd.DataFrame(), "2024-11-30")
    page = brief.brief_html(now, "35.17")
    assert "30 November 2024" in page and "<script" not in page and "http" not in page
    assert not re.search(r"\d{16}", page)
    assert "Kepala OPD" in page and "Camat" in page and "Sekretariat TKPK" in page


def test_index_lists_every_date_newest_first(tmp_path):
    for date, perlu in (("2024-10-20", 60), ("2024-11-06", 40), ("2024-11-20", 30)):
        _keep(tmp_path, _summary(date, perlu))
        (tmp_path / date / "laporan_kabupaten.html").write_text("x")
    (tmp_path / "2024-11-20" / "kecamatan").mkdir()
    (tmp_path / "2024-11-20" / "kecamatan" / "35.17.02_Perak.html").write_text("x")
    page = index.write_index(tmp_path, "35.17").read_text()
    found = re.findall(r'href="(\d{4}-\d{2}-\d{2})/laporan_kabupaten.html"', page)
    assert found == ["2024-11-20", "2024-11-06", "2024-10-20"] and "2024-11-20/kecamatan/35.17.02_Perak.html" in page


@pytest.mark.slow
def test_three_report_dates_into_the_same_folders(demo_hard, tmp_path):
    """The acceptance run: the demo with hard cases at 2024-10-20, 2024-11-06 and 2024-11-20 into the same folders."""
    from helpers.cleaning.step import clean_all
    from helpers.statuses.classify import run_status

    processed, reports = tmp_path / "processed", tmp_path / "reports"
    clean_all(demo_hard["raw"], processed)
    own = {}
    for date in ("2024-10-20", "2024-11-06", "2024-11-20"):
        run_status(processed, date, raw_dir=demo_hard["raw"], reports_dir=reports, tanggal_target="2024-11-30")
        brief.publish({"processed_dir": str(processed), "reports_dir": str(reports), "report_date": date,
                       "kode_kabupaten": "35.17"})  # fmt: skip
        own[date] = json.loads((reports / date / "summary.json").read_text())
    newest = own["2024-11-20"]
    assert [e["tanggal_laporan"] for e in newest["riwayat"]] == ["2024-10-20", "2024-11-06"]
    for entry in newest["riwayat"]:
        assert {k: entry[k] for k in history.HISTORY_KEYS} == {k: own[entry["tanggal_laporan"]][k] for k in history.HISTORY_KEYS}
    points = [(e["tanggal_laporan"], e["perlu_tindakan"]) for e in newest["riwayat"]] + [("2024-11-20", newest["perlu_tindakan"])]
    assert newest["proyeksi"]["laju_per_minggu"] == history.pace(points)
    assert own["2024-11-06"]["belum_intervensi"] > 0  # the hard cases: people without any intervention
    page = (reports / "index.html").read_text()
    assert all(f'href="{d}/ringkasan_bupati.html"' in page for d in own)
    if shutil.which("chromium"):  # the brief prints on one A4 page
        pdf = tmp_path / "brief.pdf"
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={tmp_path / 'chromium'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        str(reports / "2024-11-20" / "ringkasan_bupati.html")], check=True, capture_output=True,
                       timeout=120)  # fmt: skip
        from pypdf import PdfReader

        reader = PdfReader(pdf)
        assert len(reader.pages) == 1 and round(float(reader.pages[0].mediabox.height)) == 842, len(reader.pages)  # A4
        assert "30 November 2024" in reader.pages[0].extract_text()
