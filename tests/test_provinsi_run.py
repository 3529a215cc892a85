"""The province run (helpers.provinsi): one raw folder per kabupaten/kota, each run on its own, then the province
page linking every kabupaten report; and the synthetic province of the scale benchmark (helpers.demo.provinsi)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import provinsi
from helpers.errors import InputError
from helpers.reference import wilayah

REPORT_DATE = "2024-11-06"
#: Two small kota (few kecamatan: a quick run).
KOTA = ("35.79", "35.76")


def test_raw_folders_are_found_by_code_in_either_spelling(tmp_path):
    for name in ("3579", "35.76", ".cache"):
        (tmp_path / name).mkdir()
    (tmp_path / "catatan.txt").write_text("bukan folder", encoding="utf-8")
    assert provinsi.find_raw_folders(tmp_path) == {"35.76": tmp_path / "35.76", "35.79": tmp_path / "3579"}
    assert provinsi.find_raw_folders(tmp_path, ["3576"]) == {"35.76": tmp_path / "35.76"}
    with pytest.raises(InputError, match="35.17"):
        provinsi.find_raw_folders(tmp_path, ["35.17"])


def test_strange_or_doubled_folders_are_refused(tmp_path):
    (tmp_path / "jombang").mkdir()
    with pytest.raises(InputError, match="tidak dikenal: jombang"):
        provinsi.find_raw_folders(tmp_path)
    (tmp_path / "jombang").rmdir()
    (tmp_path / "3601").mkdir()  # Banten: not a kabupaten of Jawa Timur
    with pytest.raises(InputError, match="3601"):
        provinsi.find_raw_folders(tmp_path)
    (tmp_path / "3601").rmdir()
    (tmp_path / "3517").mkdir()
    (tmp_path / "35.17").mkdir()
    with pytest.raises(InputError, match="dua folder"):
        provinsi.find_raw_folders(tmp_path)
    with pytest.raises(InputError, match="tidak ditemukan"):
        provinsi.find_raw_folders(tmp_path / "tidak_ada")


def test_per_kabupaten_parameters_cannot_be_overridden(tmp_path):
    (tmp_path / "3579").mkdir()
    with pytest.raises(InputError, match="kode_kabupaten"):
        provinsi.run_province(tmp_path, tmp_path / "hasil", overrides=[("kode_kabupaten", "35.17")])


def test_synthetic_kabupaten_follows_the_contract(tmp_path):
    from helpers.demo.provinsi import generate_kabupaten
    from helpers.reading.contract import INPUTS

    result = generate_kabupaten(tmp_path, "3579", rows=900, sk_people=20)
    assert result["kode"] == "35.79" and result["baris"]["p3ke"] == 900 and result["baris"]["sk"] == 20
    p3ke = pd.concat(pd.read_parquet(p) for p in sorted((tmp_path / "p3ke").glob("*.parquet")))
    assert set(INPUTS["p3ke"].required) <= set(p3ke.columns) and p3ke["NIK"].is_unique
    assert p3ke["NIK"].str.startswith("3579").all() and set(p3ke["Kabupaten/Kota"]) == {"Kota Batu"}
    assert set(p3ke["Kecamatan"]) == set(wilayah.kecamatan_table("35.79")["nama"])
    sk = pd.read_parquet(tmp_path / "sk_miskin_ekstrem.parquet")
    assert set(INPUTS["sk"].required) <= set(sk.columns)
    assert sk["NIK"].dropna().isin(p3ke["NIK"]).mean() > 0.8  # most SK people carry their own NIK


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    from helpers.demo.provinsi import generate_province

    base = tmp_path_factory.mktemp("provinsi")
    generate_province(base / "raw", list(KOTA), rows=1_500, sk_people=30, workers=1)
    result = provinsi.run_province(base / "raw", base / "hasil", overrides=[("report_date", REPORT_DATE)],
                                   progress=False)  # fmt: skip
    return {"base": base, "result": result}


@pytest.mark.slow
def test_province_run_writes_every_report_and_a_page_linking_them(province):
    result, out = province["result"], province["base"] / "hasil"
    assert result["gagal"] == [] and [k["kode"] for k in result["kabupaten"]] == sorted(KOTA)
    page_path = Path(result["laporan_provinsi"])
    assert page_path == out / "laporan" / "laporan_provinsi.html"
    page = page_path.read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">', page)
    assert len(links) == len(KOTA) and "2 dari 38 kabupaten/kota" in page
    for kode, link in zip(sorted(KOTA), links):
        target = page_path.parent / link
        assert link == f"{kode}/{REPORT_DATE}/laporan_kabupaten.html" and target.is_file()
        assert wilayah.kabupaten_name(kode) in target.read_text(encoding="utf-8")
        kecamatan = sorted((target.parent / "kecamatan").glob("*.html"))
        assert len(kecamatan) == len(wilayah.kecamatan_table(kode))
        summary = json.loads((out / "olahan" / kode / "summary.json").read_text(encoding="utf-8"))
        assert summary["sasaran_sk"] == 30
    for kabupaten in result["kabupaten"]:
        assert set(kabupaten["langkah_detik"]) == {"01_clean", "02_match", "03_map", "laporan"}
        assert kabupaten["laporan"] == 1 + len(wilayah.kecamatan_table(kabupaten["kode"]))
    assert result["memori_puncak_total_mb"] > 0


@pytest.mark.slow
def test_a_failing_kabupaten_leaves_the_others_and_is_named(tmp_path, province):
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(province["base"] / "raw" / KOTA[0], raw / KOTA[0])
    (raw / "3578").mkdir()  # Kota Surabaya without any file
    assert provinsi.main(["--raw-root", str(raw), "--out", str(tmp_path / "hasil"), "-p", "report_date", REPORT_DATE,
                          "--tanpa-laporan-kecamatan"]) == 1  # fmt: skip
    page = (tmp_path / "hasil" / "laporan" / "laporan_provinsi.html").read_text(encoding="utf-8")
    assert "1 dari 38 kabupaten/kota" in page
    assert not list((tmp_path / "hasil" / "laporan" / KOTA[0] / REPORT_DATE / "kecamatan").glob("*.html"))
