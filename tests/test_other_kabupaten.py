"""A kabupaten other than Jombang: the pipeline on tiny synthetic data of Kabupaten Malang (35.07) gives its maps
(the shipped kecamatan boundaries of Jawa Timur, no desa maps, no rate map without population figures) and
reports titled with its name that never say "Jombang"; the user's population table adds rates."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import kabupaten_world, write_csv, write_world

from helpers import params, pipeline
from helpers.errors import InputError
from helpers.publishing import forms, maps, prose, render, report_figures, sections
from helpers.publishing.report_data import ReportData
from helpers.reference import figures, wilayah

KODE = "35.07"
REPORT_DATE = "2024-11-06"


def _parameters(base: Path, raw: Path) -> dict:
    return params.resolve(overrides={
        "raw_dir": str(raw), "processed_dir": str(base / "processed"), "reports_dir": str(base / "reports"),
        "report_date": REPORT_DATE, "kode_kabupaten": KODE,
    })  # fmt: skip


# ----------------------------------------------------------------------------------------------- population table


def test_user_population_file_adds_and_overrides_rows(tmp_path):
    kecamatan = wilayah.kecamatan_table(KODE)
    jombang = wilayah.kecamatan_table()
    write_csv(tmp_path / "penduduk_kecamatan.csv", [
        {"kode_kemendagri": kecamatan["kode"][0], "penduduk": "50.000", "sumber": "Dispendukcapil, semester I 2024"},
        {"kode_kemendagri": jombang["kode"][0].replace(".", ""), "penduduk": "12345"},
    ])  # fmt: skip
    table = wilayah.kecamatan_table(KODE, tmp_path)
    assert table["penduduk"].iloc[0] == 50_000 and table["penduduk"].iloc[1:].isna().all()
    assert table["sumber_penduduk"].iloc[0] == "Dispendukcapil, semester I 2024"
    overridden = wilayah.kecamatan_table(raw_dir=tmp_path)
    assert overridden["penduduk"].iloc[0] == 12_345 and overridden["sumber_penduduk"].iloc[0] == "penduduk_kecamatan.csv"
    assert (overridden["penduduk"].iloc[1:] == jombang["penduduk"].iloc[1:]).all()
    assert wilayah.kecamatan_table()["penduduk"].iloc[0] == jombang["penduduk"].iloc[0]  # the shipped table unchanged
    note = figures.population_note(KODE, tmp_path)
    assert note.startswith(f"Angka per 1.000 penduduk tidak ditampilkan untuk {len(table) - 1} dari {len(table)} kecamatan Kabupaten Malang")
    assert figures.population_note() == ""


def test_bad_user_population_rows_are_named(tmp_path):
    write_csv(tmp_path / "penduduk_kecamatan.csv", [{"kode_kemendagri": "35.07.01", "penduduk": "banyak"}])
    with pytest.raises(InputError, match="baris 2"):
        wilayah.kecamatan_table(KODE, tmp_path)
    write_csv(tmp_path / "penduduk_kecamatan.csv", [{"kecamatan": "Donomulyo", "jumlah": "1"}])
    with pytest.raises(InputError, match="kolom wajib kode_kemendagri"):
        wilayah.kecamatan_table(KODE, tmp_path)


def test_ranking_without_population_shows_counts_and_says_why():
    world = kabupaten_world(KODE)
    codes = wilayah.kecamatan_table(KODE)["kode"]
    status = pd.DataFrame({
        "kode_kecamatan": [codes[0]] * 3 + [codes[1]], "kode_desa": [None] * 4,
        "status_desil": ["masih_desil1", "masih_desil1", "keluar_desil1", "masih_desil1"],
        "status_intervensi": ["optimal", "belum_intervensi", "belum_intervensi", "belum_optimal"],
        "status_keberadaan": ["ada", "belum_diverifikasi", "belum_diverifikasi", "ada"],
        "perlu_tindakan": [False, True, False, True], "metode_padan": ["nik"] * 4,
    })  # fmt: skip
    assert world["sk"]  # the world helper is the one the pipeline test uses
    html = sections.ranking_section(ReportData(status_all=status, kode_kabupaten=KODE))
    assert "per 1.000 penduduk</th>" not in html and not re.search(r">\s*(nan|NaN|<NA>)\s*<", html)
    assert "karena data penduduknya belum tersedia" in html and "Kabupaten Malang" in html
    assert "Jombang" not in prose.context_text(KODE) and "Kabupaten Malang" in prose.context_text(KODE)


# ----------------------------------------------------------------------------------------------- a whole run


@pytest.fixture(scope="module")
def malang(tmp_path_factory):
    base = tmp_path_factory.mktemp("malang")
    raw = write_world(base / "raw", kabupaten_world(KODE))
    parameters = _parameters(base, raw)
    out_dir = pipeline.run(parameters, with_reports=False)
    first = wilayah.kecamatan_table(KODE)["kode"][0]
    reports = [render.render_area(parameters, ""), render.render_area(parameters, first)]
    return {"params": parameters, "out": out_dir, "reports": reports}


@pytest.mark.slow
def test_run_of_kabupaten_malang_maps_and_reports(malang):
    summary = json.loads((Path(malang["params"]["processed_dir"]) / "summary.json").read_text(encoding="utf-8"))
    assert summary["sasaran_sk"] == len(kabupaten_world(KODE)["sk"]) > 0
    assert len(summary["per_kecamatan"]) == len(wilayah.kecamatan_table(KODE))
    assert all(row["penduduk"] is None and row["masih_desil1_per_1000"] is None for row in summary["per_kecamatan"])
    peta = malang["out"] / "peta"
    drawn = sorted(p.name for p in peta.glob("*.png"))
    assert drawn == sorted(f"kabupaten_{m}.png" for m in maps.KABUPATEN_MAPS if m != maps.RATE_MAP)
    assert not (peta / "desa").exists()  # no desa boundaries shipped outside Jombang
    kabupaten, kecamatan = (p.read_text(encoding="utf-8") for p in malang["reports"])
    name = wilayah.kecamatan_name(wilayah.kecamatan_table(KODE)["kode"][0], KODE)
    assert "<title>Laporan Percepatan Penghapusan Kemiskinan Ekstrem — Kabupaten Malang — 6 November 2024" in kabupaten
    assert f"Kecamatan {name}, Kabupaten Malang" in kecamatan
    for page in (kabupaten, kecamatan):
        assert "Jombang" not in page and "JOMBANG" not in page.upper()
        assert "Bappeda Kabupaten Malang" in page and "SK Bupati Malang" in page
    assert "karena data penduduknya belum tersedia" in kabupaten
    for notebook in (malang["out"] / "notebook").glob("*.ipynb"):
        assert "Jombang" not in notebook.read_text(encoding="utf-8"), notebook.name


@pytest.mark.slow
def test_forms_of_kabupaten_malang_name_it(malang, tmp_path):
    status = pd.read_parquet(Path(malang["params"]["processed_dir"]) / "status_sasaran.parquet")
    paths = forms.write_forms(status, tmp_path, REPORT_DATE, None, KODE, progress=False)
    assert len(paths) == len(wilayah.kecamatan_table(KODE))
    with zipfile.ZipFile(paths[0]) as book:
        text = " ".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
    assert "Kabupaten Malang" in text and "Jombang" not in text


# ----------------------------------------------------------------------------------------------- a kota: SK Wali Kota

KOTA = "35.78"  # Kota Surabaya


def test_a_kota_names_its_decree_sk_wali_kota():
    assert (wilayah.sk_name(KOTA), wilayah.sk_name(KODE), wilayah.sk_name()) == ("SK Wali Kota", "SK Bupati",
                                                                                 "SK Bupati")  # fmt: skip
    fig = {"sasaran_sk": 10, "keluar_desil1": 4, "masih_desil1": 6, "intervensi_optimal": 2,
           "intervensi_belum_optimal": 3, "belum_intervensi": 1, "belum_optimal_masih_ada": 2,
           "belum_optimal_meninggal": 1, "perlu_tindakan": 3}  # fmt: skip
    assert "jiwa dalam SK Wali Kota" in prose.headline_cards(fig, KOTA)
    assert "jiwa dalam SK Bupati" in prose.headline_cards(fig)  # Jombang reads as before
    assert report_figures.funnel_levels(fig, kode_kabupaten=KOTA)[0][1] == "Sasaran SK Wali Kota"
    assert wilayah.for_kabupaten(maps.SPECS["masih_desil1"].judul, KOTA).startswith("Sasaran SK Wali Kota ")
    from helpers.statuses import classify

    labels = classify.headline_table({**fig, "sasaran_sk": 10}, KOTA)["uraian"].tolist()
    assert labels[0] == "Sasaran SK Wali Kota" and not any("Bupati" in label for label in labels)


@pytest.fixture(scope="module")
def surabaya(tmp_path_factory):
    base = tmp_path_factory.mktemp("surabaya")
    raw = write_world(base / "raw", kabupaten_world(KOTA))
    parameters = params.resolve(overrides={
        "raw_dir": str(raw), "processed_dir": str(base / "processed"), "reports_dir": str(base / "reports"),
        "report_date": REPORT_DATE, "kode_kabupaten": KOTA, "kunci_dir": str(base / "kunci"),
    })  # fmt: skip
    out_dir = pipeline.run(parameters, with_reports=False)
    first = wilayah.kecamatan_table(KOTA)["kode"][0]
    pages = [render.render_area(parameters, ""), render.render_area(parameters, first)]
    from helpers.publishing import brief, forms_opd, opd

    pages += [p for p in brief.publish(parameters) if p.suffix == ".html"]
    status = pd.read_parquet(Path(parameters["processed_dir"]) / "status_sasaran.parquet")
    books = forms.write_forms(status, base / "formulir", REPORT_DATE, first, KOTA, progress=False)
    data = opd.load(parameters["processed_dir"], KOTA)
    books += forms_opd.write_opd_forms(data, base / "formulir_opd", REPORT_DATE, KOTA, progress=False)
    readmes = [base / "formulir" / forms.README_NAME, base / "formulir_opd" / forms.README_NAME]
    return {"params": parameters, "out": out_dir, "pages": pages, "books": books, "readmes": readmes}


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return " ".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))


@pytest.mark.slow
def test_a_kota_never_writes_sk_bupati(surabaya):
    """Reports, brief, OPD pages, index, camat and OPD workbooks and their notes of Kota Surabaya say "SK Wali Kota"
    (or "Wali Kota") and never "Bupati"."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in surabaya["pages"]}
    texts |= {p.name: _xlsx_text(p) for p in surabaya["books"]}
    texts |= {f"{p.parent.name}/{p.name}": p.read_text(encoding="utf-8") for p in surabaya["readmes"]}
    assert any(name.startswith("OPD_") and name.endswith(".html") for name in texts)  # the OPD pages are there
    for name, text in texts.items():
        assert "Bupati" not in text, name
    for name in ("laporan_kabupaten.html", "ringkasan_bupati.html"):
        assert "SK Wali Kota" in texts[name] or "Wali Kota Surabaya" in texts[name], name
    assert "Ringkasan untuk Wali Kota" in texts["ringkasan_bupati.html"]
    assert "SK Wali Kota" in texts[next(n for n in texts if n.startswith("35.78"))]  # a camat form
    assert "SK Wali Kota" in texts[next(n for n in texts if n.startswith("OPD_") and n.endswith(".xlsx"))]
