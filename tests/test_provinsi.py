"""The province report (helpers.publishing.provinsi): 38 kabupaten/kota, those without a summary drawn and listed
as "Tidak ada data", links to each kabupaten's report, rates only where population figures exist."""

import re

import pandas as pd
import pytest

from helpers.publishing import provinsi
from helpers.reference import wilayah


def _summary(masih: int, populations: list[int | None]) -> dict:
    """A synthetic summary.json: the funnel adds up, one entry per kecamatan with its population."""
    optimal, belum, tanpa = masih // 2, masih // 4, masih - masih // 2 - masih // 4
    return {
        "sasaran_sk": 3 * masih, "keluar_desil1": 2 * masih, "masih_desil1": masih, "intervensi_optimal": optimal,
        "intervensi_belum_optimal": belum, "belum_intervensi": tanpa,
        "per_kecamatan": [{"kode": f"k{i}", "penduduk": p} for i, p in enumerate(populations)],
    }  # fmt: skip


@pytest.fixture
def summaries() -> dict[str, dict]:
    return {
        "35.17": _summary(120, [40_000, 60_000]),  # rate: 120 per 100,000 -> 1.2 per 1,000
        "35.07": _summary(35, [None, 10_000]),  # a kecamatan without population: no rate
        "35.78": _summary(8, [20_000]),
    }


def test_table_has_every_kabupaten_and_marks_the_ones_without_data(summaries):
    table = provinsi.province_table(summaries)
    assert len(table) == 38 and list(table["kode"]) == list(wilayah.kabupaten_table()["kode"])
    assert sorted(table.loc[table["ada_data"], "kode"]) == ["35.07", "35.17", "35.78"]
    rows = table.set_index("kode")
    assert rows.loc["35.17", "masih_desil1_per_1000"] == pytest.approx(1.2)
    assert rows.loc["35.78", "masih_desil1_per_1000"] == pytest.approx(0.4)
    assert rows.loc["35.07", "masih_desil1"] == 35 and rows.loc[["35.07", "35.01"], "masih_desil1_per_1000"].isna().all()
    assert pd.isna(rows.loc["35.01", "masih_desil1"])





def test_unknown_kabupaten_is_refused(summaries):
    with pytest.raises(ValueError, match="36.01"):
        provinsi.province_table({**summaries, "36.01": _summary(1, [1])})


def test_report_is_offline_links_each_kabupaten_and_says_what_is_missing(summaries, tmp_path):
    links = {"35.17": "35.17/2024-11-06/laporan_kabupaten.html", "35.07": "35.07/2024-11-06/laporan_kabupaten.html"}
    path = provinsi.write_province_report(summaries, tmp_path, links, "2024-11-06")
    page = path.read_text(encoding="utf-8")
    assert path.name == "laporan_provinsi.html" and (tmp_path / "peta_provinsi.png").stat().st_size > 20_000
    assert "Provinsi Jawa Timur — 6 November 2024" in page
    assert '<a href="35.17/2024-11-06/laporan_kabupaten.html">Kabupaten Jombang</a>' in page
    assert '<a href="35.07/2024-11-06/laporan_kabupaten.html">Kabupaten Malang</a>' in page
    assert page.count("<tr>") == 1 + 38 and page.count(">Tidak ada data</td>") == 35
    assert "3 dari 38 kabupaten/kota" in page and "per 1.000 penduduk tidak tersedia untuk 1 kabupaten/kota" in page
    assert "1,20" in page and "0,40" in page  # Indonesian formatting of the rates
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing loaded from another host
    assert not re.search(r">\s*(nan|NaN|<NA>|None)\s*<", page)  # no missing value printed as such


def test_map_draws_no_data_areas_hatched_and_names_the_counts(summaries):
    figure = provinsi.province_map(provinsi.province_table(summaries), "2024-11-06")
    texts = " ".join(t.get_text() for t in figure.texts)
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert "Tidak ada data" in legend and "3 dari 38 kabupaten/kota dengan data" in texts
    assert "Kabupaten/kota dengan data: 163" in texts  # the total of the three
    assert "Jombang" in " ".join(t.get_text() for ax in figure.axes for t in ax.texts)


def test_read_summaries_from_files_and_folders(summaries, tmp_path):
    import json

    (tmp_path / "malang").mkdir()
    (tmp_path / "malang" / "summary.json").write_text(json.dumps(summaries["35.07"]), encoding="utf-8")
    (tmp_path / "jombang.json").write_text(json.dumps(summaries["35.17"]), encoding="utf-8")
    read = provinsi.read_summaries({"3507": tmp_path / "malang", "35.17": tmp_path / "jombang.json"})
    assert read == {"35.07": summaries["35.07"], "35.17": summaries["35.17"]}
