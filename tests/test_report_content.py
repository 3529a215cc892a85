"""Report building blocks on a dozen-row synthetic status table."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from helpers.publishing import charts, prose, report_figures, sections
from helpers.publishing.report_data import ReportData
from helpers.vocabulary import perlu_tindakan

NIKS = [f"35170612038500{i:02d}" for i in range(1, 9)]


def status_frame() -> pd.DataFrame:
    rows = [
        # status_desil, status_intervensi, status_keberadaan, kecamatan, desa
        ("keluar_desil1", "optimal", "belum_diverifikasi", "35.17.06", "35.17.06.2001"),
        ("keluar_desil1", "belum_optimal", "belum_diverifikasi", "35.17.06", "35.17.06.2002"),
        ("masih_desil1", "optimal", "ada", "35.17.06", "35.17.06.2001"),
        ("masih_desil1", "belum_optimal", "ada", "35.17.06", "35.17.06.2001"),
        ("masih_desil1", "belum_optimal", "meninggal", "35.17.06", "35.17.06.2002"),
        ("masih_desil1", "belum_intervensi", "belum_diverifikasi", "35.17.01", "35.17.01.2001"),
        ("masih_desil1", "belum_optimal", "pindah", "35.17.01", "35.17.01.2001"),
        ("tidak_padan", "belum_intervensi", "belum_diverifikasi", "35.17.01", "35.17.01.2001"),
    ]
    frame = pd.DataFrame(rows, columns=["status_desil", "status_intervensi", "status_keberadaan", "kode_kecamatan", "kode_desa"])
    frame["id_sasaran"] = [f"SK-{i:05d}" for i in range(1, 9)]
    frame["nik"] = NIKS
    frame["nama"] = [f"Warga Uji {i}" for i in range(1, 9)]
    frame["nama_desa"] = frame["kode_desa"].map({"35.17.06.2001": "Desa A", "35.17.06.2002": "Desa B", "35.17.01.2001": "Desa C"})
    frame["id_keluarga"] = [f"K{i}" for i in range(1, 9)]
    frame["id_individu"] = [f"I{i}" for i in range(1, 9)]
    frame["program_diterima"] = "PKH"
    frame["perlu_tindakan"] = perlu_tindakan(frame["status_desil"], frame["status_intervensi"], frame["status_keberadaan"])
    return frame


def test_figures_partition_and_action():
    fig = report_figures.figures(status_frame())
    assert fig["sasaran_sk"] == 8 and fig["keluar_desil1"] == 2 and fig["masih_desil1"] == 5
    assert fig["intervensi_optimal"] == 1 and fig["intervensi_belum_optimal"] == 3 and fig["belum_intervensi"] == 1
    assert fig["belum_optimal_masih_ada"] == 1 and fig["belum_optimal_meninggal"] == 1
    assert fig["perlu_tindakan"] == 2 and fig["tidak_padan"] == 1 and fig["diverifikasi"] == 4
    # the form lists every person still in desil 1 and every unmatched person, each with one reason
    assert (fig["formulir_perlu_tindakan"], fig["formulir_masih_desil1"], fig["formulir_tidak_padan"]) == (2, 3, 1)
    assert fig["formulir"] == 6


def test_funnel_adds_up_at_every_level():
    for status in (status_frame(), status_frame().iloc[[0, 2, 3]]):
        fig = report_figures.figures(status)
        boxes = report_figures.funnel_levels(fig)
        value = {key: n for key, _, n, _ in boxes}
        for parent in {p for *_, p in boxes if p}:
            assert sum(n for _, _, n, p in boxes if p == parent) == value[parent], parent
    # the "status lain" box appears only when the not-optimal include moved/not found/unverified people
    assert "belum_optimal_lainnya" in {k for k, *_ in report_figures.funnel_levels(report_figures.figures(status_frame()))}
    assert "belum_optimal_lainnya" not in {k for k, *_ in report_figures.funnel_levels(report_figures.figures(status_frame().iloc[:5]))}


def test_intro_names_the_three_parts_of_desil1():
    data = ReportData(angka=report_figures.figures(status_frame()))
    text = prose.intro(data, "2024-11-06", "2024-11-30")
    assert "**1 jiwa** belum diintervensi sama sekali" in text
    assert "1 jiwa pindah, tidak ditemukan atau belum diverifikasi" in text
    assert prose.BELUM_INTERVENSI_SENTENCE in text
    assert "sudah menerima intervensi" not in text.split(prose.BELUM_INTERVENSI_SENTENCE)[1].split("\n")[0]  # 1 is not


def test_the_all_intervened_remark_follows_from_the_figures():
    """The remark that everyone still in desil 1 received an intervention is said only where the figures say so
    (the old text claimed it for every Jombang report, from the paparan of 6 November 2024)."""
    assert "7.408" not in prose.BELUM_INTERVENSI_SENTENCE and "paparan" not in prose.BELUM_INTERVENSI_SENTENCE
    assert "seluruh 12 jiwa" in prose.belum_intervensi_sentence({"masih_desil1": 12, "belum_intervensi": 0})
    assert prose.belum_intervensi_sentence({"masih_desil1": 12, "belum_intervensi": 3}) == prose.BELUM_INTERVENSI_SENTENCE
    assert "belum diintervensi" in prose.headline_cards(report_figures.figures(status_frame()))


def test_ranking_shows_the_three_parts_that_add_up():
    status = status_frame()
    html = sections.ranking_section(ReportData(status_all=status))
    assert "<th>Optimal</th><th>Belum optimal</th><th>Belum diintervensi</th>" in html
    table = report_figures.ranking(ReportData(status_all=status))
    assert (table["masih_desil1"] == table["optimal"] + table["belum_optimal"] + table["belum_intervensi"]).all()


def test_field_work_section_counts_and_lists_unmatched_people_masked():
    status = status_frame()
    perak = status[status["kode_kecamatan"] == "35.17.01"]
    data = ReportData(kode="35.17.01", nama="Perak", status=perak, angka=report_figures.figures(perak))
    html = sections.field_work_section(data)
    assert "memuat <b>3 jiwa</b>" in html and "Belum ditemukan di P3KE" in html and "Warga Uji 8" in html
    assert NIKS[7] not in html and "3517**********08" in html
    kabupaten = sections.field_work_section(ReportData(angka=report_figures.figures(status), status=status))
    assert "Warga Uji" not in kabupaten and "memuat <b>6 jiwa</b>" in kabupaten


def test_progress_chart_labels_never_overlap():
    """Rounds a day apart (a form round next to an ISO week): no two point labels overlap."""
    rounds = [
        {"putaran": i + 1, "nama_putaran": f"Putaran {i + 1}", "periode_awal": d, "periode_akhir": d, "tanggal": d,
         "diverifikasi": 10 * i, "perlu_tindakan": 80 - i}
        for i, d in enumerate(["2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-20"])
    ]  # fmt: skip
    figure = charts.progress_chart(rounds, "2024-11-06", "2024-11-30", 100)
    ax = figure.axes[0]
    renderer = figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().isdigit()]
    assert len(boxes) >= 3
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_intro_is_indonesian_and_formatted():
    data = ReportData(angka={**report_figures.figures(status_frame()), "sasaran_sk": 7408, "keluar_desil1": 5567})
    text = prose.intro(data, "2024-11-06", "2024-11-30")
    assert "6 November 2024" in text and "7.408 jiwa" in text and "24 hari" in text and "75,15 persen" in text
    late = prose.intro(data, "2024-12-05", "2024-11-30")
    assert "telah lewat 5 hari" in late


def test_ranking_includes_every_area_with_zeros():
    status = status_frame()
    kab = report_figures.ranking(ReportData(status_all=status))
    assert len(kab) == 21 and kab["peringkat"].tolist() == list(range(1, 22))
    assert (kab.set_index("kode").loc["35.17.05", "masih_desil1"]) == 0
    desa = report_figures.ranking(ReportData(kode="35.17.06", status_all=status))
    assert desa.iloc[0]["nama"] and desa["masih_desil1"].sum() == 3


def test_cases_are_masked_unless_asked():
    status = status_frame()
    cases = report_figures.cases_needing_action(status)
    assert len(cases) == 2
    assert all(n.startswith("3517") and "*" in n and len(n) == 16 for n in cases["NIK"])
    assert set(report_figures.cases_needing_action(status, mask_pii=False)["NIK"]) <= set(NIKS)
    html = sections.cases_section(ReportData(kode="35.17.06", status=status[status["kode_kecamatan"] == "35.17.06"]))
    assert "Warga Uji 4" in html and NIKS[3] not in html
    assert sections.cases_section(ReportData(status=status)) == ""


def test_exclusion_candidates_by_id_or_nik():
    status = status_frame()
    individu = pd.DataFrame(
        {
            "id_individu": ["I3", "X1", "X2", "X3"],
            "nik": [NIKS[2], "3517060101900001", "3517060101900002", None],
            "desil": [1, 1, 1, 2],
            "kode_kecamatan": ["35.17.06"] * 4,
            "nama_kecamatan": ["Mojoagung"] * 4,
            "kode_desa": ["35.17.06.2001"] * 4,
            "nama_desa": ["Desa A"] * 4,
        }
    )
    table = report_figures.exclusion_candidates(individu, status)
    assert table["jumlah"].sum() == 2  # I3 is on the SK list, X3 is desil 2
    by_nik = report_figures.exclusion_candidates(individu.assign(id_individu=[None, "X1", "X2", "X3"]), status, "35.17.06")
    assert by_nik["jumlah"].sum() == 2 and by_nik["kode"].tolist() == ["35.17.06.2001"]


def test_deprivation_profile_counts_families_still_in_desil1():
    status = status_frame()
    keluarga = pd.DataFrame(
        {
            "id_keluarga": ["K3", "K4", "K1"],
            "jenis_lantai": ["Tanah", "Keramik", "Tanah"],
            "bahan_bakar_memasak": ["Kayu Bakar", "LPG 3 kg", "Kayu Bakar"],
        }
    )
    profile = report_figures.deprivation_profile(keluarga, status).set_index("indikator")
    assert profile.loc["Lantai tanah", "keluarga"] == 1  # K1 left desil 1 and is not counted
    assert profile.loc["Lantai tanah", "persen"] == pytest.approx(50.0)
    assert profile.loc["Memasak dengan kayu bakar/arang", "strategi"] == "Pengurangan Beban Pengeluaran"


def test_rounds_for_kecamatan_recounts_status_putaran():
    status = status_frame()
    week = {"putaran": 1, "nama_putaran": "Minggu 41", "periode_awal": "2024-10-07", "periode_akhir": "2024-10-13",
            "tanggal": "2024-10-10"}
    form = {"putaran": 2, "nama_putaran": "Putaran 2", "periode_awal": "2024-11-01", "periode_akhir": "2024-11-04",
            "tanggal": "2024-11-04"}  # fmt: skip
    rounds = pd.concat([status.assign(**week), status.assign(**form)])
    data = ReportData(kode="35.17.06", rounds=rounds[rounds["kode_kecamatan"] == "35.17.06"])
    got = report_figures.rounds_for(data)
    assert [r["putaran"] for r in got] == [1, 2] and got[0]["diverifikasi"] == 3 and got[0]["meninggal"] == 1
    assert [prose.round_label(r) for r in got] == ["Minggu 41 (7–13 Okt 2024)", "Putaran 2 (1–4 Nov 2024)"]
    assert sections.round_table(got)["Putaran"].tolist() == ["Minggu 41 (7–13 Okt 2024)", "Putaran 2 (1–4 Nov 2024)"]
    assert report_figures.rounds_for(ReportData(summary={"per_putaran": got})) == got


def test_charts_render_and_close(tmp_path):
    fig = report_figures.figures(status_frame())
    charts.funnel_chart(fig).savefig(tmp_path / "corong.png")
    charts.progress_chart([], "2024-11-06", "2024-11-30", 5).savefig(tmp_path / "kosong.png")
    charts.poverty_chart().savefig(tmp_path / "bps.png")
    assert all((tmp_path / n).stat().st_size > 5_000 for n in ("corong.png", "kosong.png", "bps.png"))


def test_poverty_chart_is_drawn_once_per_process():
    first = charts.poverty_png()
    assert first.startswith(b"\x89PNG") and charts.poverty_png() is first
    assert first == charts.png(charts.poverty_chart())  # the cached bytes are the chart's own


def test_html_table_escapes_and_aligns():
    html = sections.html_table(pd.DataFrame({"Nama": ["<b>x</b>"], "Jiwa": ["1.234"]}), right=("Jiwa",))
    assert "&lt;b&gt;" in html and 'style="text-align:right">1.234' in html
