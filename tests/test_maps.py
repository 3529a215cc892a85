"""Map metrics, classes and rendering (helpers.maps), and the 03_map notebook, on synthetic data only."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from helpers.config import GEO_DIR, NOTEBOOKS_DIR  # noqa: E402
from helpers.errors import InputError  # noqa: E402
from helpers.publishing import boundaries, maps
from helpers.reference import wilayah

DESA_FILE = GEO_DIR / "jombang_desa.geojson"
NOTEBOOK = NOTEBOOKS_DIR / "03_map.ipynb"


def person(kec: str, desa: str, desil: str = "masih_desil1", intervensi: str = "optimal", ada: str = "ada") -> dict:
    return {
        "kode_kecamatan": kec,
        "kode_desa": desa,
        "status_desil": desil,
        "status_intervensi": intervensi,
        "status_keberadaan": ada,
    }


@pytest.fixture
def status() -> pd.DataFrame:
    """A dozen SK people in two kecamatan (Perak 35.17.01, Mojoagung 35.17.06) and one without a region."""
    rows = [
        person("35.17.01", "35.17.01.2001", "keluar_desil1"),
        person("35.17.01", "35.17.01.2001", "keluar_desil1"),
        person("35.17.01", "35.17.01.2001"),
        person("35.17.01", "35.17.01.2002", intervensi="belum_optimal"),
        person("35.17.01", "35.17.01.2002", intervensi="belum_optimal", ada="meninggal"),
        person("35.17.01", "35.17.01.2003", "tinjau_manual", ada="belum_diverifikasi"),
        person("35.17.06", "35.17.06.2001", "keluar_desil1", ada="belum_diverifikasi"),
        person("35.17.06", "35.17.06.2001", intervensi="belum_intervensi", ada="belum_diverifikasi"),
        person("35.17.06", "35.17.06.2002", ada="pindah"),
        person("35.17.06", "35.17.06.2002", "tidak_padan", ada="belum_diverifikasi"),
        person("35.17.06", "35.17.06.9999", ada="tidak_ditemukan"),  # desa code not in the gazetteer
        person(None, None, "tidak_padan", ada="belum_diverifikasi"),  # no region at all
    ]
    return pd.DataFrame(rows).astype("string")


def random_status(n: int = 600, seed: int = 3) -> pd.DataFrame:
    """A larger random status table over every desa, for rendering."""
    rng = np.random.default_rng(seed)
    desa = wilayah.desa_table().sample(n, replace=True, random_state=seed).reset_index(drop=True)
    return pd.DataFrame(
        {
            "kode_kecamatan": desa["kode_kecamatan"],
            "kode_desa": desa["kode"],
            "status_desil": rng.choice(maps.STATUS_DESIL, n, p=[0.7, 0.26, 0.02, 0.02]),
            "status_intervensi": rng.choice(maps.STATUS_INTERVENSI, n, p=[0.9, 0.08, 0.02]),
            "status_keberadaan": rng.choice(maps.STATUS_KEBERADAAN, n),
        }
    )


# --------------------------------------------------------------------------------------------------- metrics


def test_kecamatan_metrics_include_every_kecamatan_with_zeros(status):
    m = maps.map_metrics(status).set_index("kode")
    assert list(m.index) == list(wilayah.kecamatan_table()["kode"])
    perak, mojoagung, gudo = m.loc["35.17.01"], m.loc["35.17.06"], m.loc["35.17.02"]
    assert perak[["jumlah_sk", "keluar_desil1", "masih_desil1", "tinjau_manual"]].tolist() == [6, 2, 3, 1]
    assert perak["belum_optimal"] == 2 and perak["perlu_tindakan"] == 1  # the deceased needs no action
    assert perak["terverifikasi"] == 3 and perak["persen_terverifikasi"] == 100.0
    assert perak["persen_keluar"] == pytest.approx(200 / 6)
    assert perak["masih_desil1_per_1000"] == pytest.approx(3 / perak["penduduk"] * 1000)
    counts = ["jumlah_sk", "masih_desil1", "tidak_padan", "belum_optimal", "belum_intervensi", "perlu_tindakan"]
    assert mojoagung[counts].tolist() == [5, 3, 1, 0, 1, 1]  # "belum optimal" excludes the not-yet-intervened
    assert perak["belum_intervensi"] == 0
    assert mojoagung["persen_terverifikasi"] == pytest.approx(200 / 3)
    assert gudo[list(maps.COUNT_COLUMNS)].sum() == 0
    assert np.isnan(gudo["persen_keluar"]) and np.isnan(gudo["persen_terverifikasi"])
    assert gudo["masih_desil1_per_1000"] == 0.0
    assert m.attrs["tanpa_wilayah"] == 1
    assert m["jumlah_sk"].sum() + m.attrs["tanpa_wilayah"] == len(status)


def test_desa_metrics_include_every_desa_of_the_kecamatan(status):
    m = maps.map_metrics(status, "desa", "35.17.06")
    expected = wilayah.desa_table().query("kode_kecamatan == '35.17.06'")["kode"]
    assert list(m["kode"]) == list(expected)
    assert "penduduk" not in m.columns and "masih_desil1_per_1000" not in m.columns
    one = m.set_index("kode").loc["35.17.06.2001"]
    assert one[["jumlah_sk", "keluar_desil1", "masih_desil1", "belum_optimal", "belum_intervensi"]].tolist() == [
        2, 1, 1, 0, 1]  # fmt: skip
    assert m["jumlah_sk"].sum() == 4
    assert m.attrs["tanpa_wilayah"] == 1  # 35.17.06.9999; Perak's people are out of scope, not "without region"


def test_metrics_reject_unknown_status_values(status):
    bad = status.copy()
    bad.loc[0, "status_desil"] = "keluar"
    with pytest.raises(InputError, match="status_desil.*keluar"):
        maps.map_metrics(bad)
    with pytest.raises(InputError, match="status_keberadaan"):
        maps.map_metrics(status.drop(columns="status_keberadaan"))


def test_missing_presence_counts_as_not_verified(status):
    gaps = status.copy()
    gaps.loc[2, "status_keberadaan"] = pd.NA
    m = maps.map_metrics(gaps).set_index("kode")
    assert m.loc["35.17.01", "terverifikasi"] == 2


def test_aggregate_is_a_ratio_of_sums(status):
    m = maps.map_metrics(status)
    assert maps.aggregate(m, maps.SPECS["masih_desil1"]) == 6
    assert maps.aggregate(m, maps.SPECS["persen_keluar"]) == pytest.approx(300 / 11)


# --------------------------------------------------------------------------------------------------- classes


def test_fisher_jenks_classes_are_deterministic_and_formatted():
    spec = maps.SPECS["persen_keluar"]
    values = pd.Series(np.linspace(60.04, 90.06, 21) ** 1.01, index=[f"k{i}" for i in range(21)])
    first = maps.classify(values, spec)
    shuffled = values.sample(frac=1, random_state=1)
    second = maps.classify(shuffled, spec)
    assert first.metode == "Fisher-Jenks" and len(first.labels) == 5
    assert first.labels == second.labels
    assert first.index.to_dict() == second.index.reindex(first.index.index).to_dict()
    assert all("," in label and "–" in label for label in first.labels)
    assert first.index.is_monotonic_increasing


def test_counts_get_a_zero_class():
    spec = maps.SPECS["masih_desil1"]
    classes = maps.classify(pd.Series([0, 0, 3, 5, 8, 13, 21, 34, 55, 89, 144, 1200]), spec)
    assert classes.labels[0] == "0" and len(classes.labels) == 5
    assert classes.labels[-1].endswith("1.200")
    assert classes.index.iloc[0] == 0 and classes.index.iloc[-1] == 4


def test_few_distinct_values_get_one_class_each():
    spec = maps.SPECS["belum_optimal"]
    classes = maps.classify(pd.Series([0, 1, 1, 2, 0]), spec)
    assert classes.labels == ["0", "1", "2"] and classes.metode == "satu kelas per nilai"
    assert classes.index.tolist() == [0, 1, 1, 2, 0]


def test_missing_values_stay_unclassified():
    spec = maps.SPECS["persen_terverifikasi"]
    classes = maps.classify(pd.Series([np.nan, 50.0, 100.0]), spec)
    assert classes.index.isna().tolist() == [True, False, False]
    empty = maps.classify(pd.Series([np.nan, np.nan]), spec)
    assert empty.labels == [] and empty.index.isna().all()


# --------------------------------------------------------------------------------------------------- rendering


@pytest.fixture(scope="module")
def shared_boundaries():
    return boundaries.load_boundary_set(DESA_FILE, None)


def _texts(fig) -> str:
    found = [t.get_text() for t in fig.texts]
    for legend in fig.legends:
        found += [legend.get_title().get_text()] + [t.get_text() for t in legend.get_texts()]
    return "\n".join(found)


def test_render_maps_writes_small_pngs(tmp_path, shared_boundaries, status):
    province = boundaries.load_province()
    written = maps.render_maps(
        status,
        shared_boundaries.kecamatan,
        shared_boundaries.desa,
        tmp_path / "peta",
        province=province,
        report_date="2024-11-06",
        kecamatan="Mojoagung",
    )
    assert set(written) == {f"kabupaten_{m}" for m in maps.KABUPATEN_MAPS} | {
        f"desa_35.17.06_{m}" for m in maps.DESA_MAPS
    }
    assert written["desa_35.17.06_masih_desil1"] == tmp_path / "peta" / "desa" / "35.17.06_mojoagung_masih_desil1.png"
    for path in written.values():
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert 15_000 < path.stat().st_size < 150_000, path
        with Image.open(path) as image:
            assert image.size == (round(maps.FIGSIZE[0] * maps.DPI), round(maps.FIGSIZE[1] * maps.DPI))
    assert not list((tmp_path / "peta").rglob("*.tmp"))


def test_same_input_gives_the_same_bytes(tmp_path, shared_boundaries):
    status = random_status()
    metrics = maps.map_metrics(status)
    paths = []
    for name in ("a.png", "b.png"):
        fig = maps.render_kabupaten_map("persen_keluar", metrics, shared_boundaries.kecamatan, None, "2024-11-06")
        paths.append(maps.save_figure(fig, tmp_path / name))
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_figure_text_is_indonesian_with_units_and_sources(shared_boundaries, status):
    metrics = maps.map_metrics(status)
    fig = maps.render_kabupaten_map("persen_keluar", metrics, shared_boundaries.kecamatan, None, "2024-11-06")
    text = _texts(fig)
    assert "Sasaran SK Bupati yang sudah keluar dari desil 1" in text
    assert "Kabupaten Jombang menurut kecamatan · keadaan 6 November 2024" in text
    assert "% dari sasaran SK" in text and "Tidak ada sasaran SK" in text  # unit; hatched areas explained
    assert "Sumber: P3KE 2024" in text and "batas wilayah: wilayah_boundaries" in text
    assert "Seluruh kabupaten: 27,3%" in text
    assert boundaries.SCHEMATIC_NOTE not in text
    fig = maps.render_kabupaten_map("masih_desil1_per_1000", metrics, shared_boundaries.kecamatan, None, None)
    assert "penduduk: BPS" in _texts(fig)


def test_desa_map_shows_neighbours_and_kecamatan_inset(shared_boundaries, status):
    metrics = maps.map_metrics(status, "desa", "35.17.06")
    fig = maps.render_desa_map(
        "masih_desil1", metrics, shared_boundaries.desa, shared_boundaries.kecamatan, "35.17.06", "2024-11-06"
    )
    text = _texts(fig)
    assert "Kecamatan Mojoagung menurut desa/kelurahan" in text
    assert "Lokasi di Kabupaten Jombang" in "\n".join(ax.get_title() for ax in fig.axes)
    labels = "\n".join(t.get_text() for t in fig.axes[0].texts)
    assert "Dukuhmojo" in labels and "Sumobito" in labels  # own desa, and a neighbouring kecamatan


def test_schematic_maps_without_boundaries(tmp_path, status):
    written = maps.render_maps(status, None, None, tmp_path, kabupaten_maps=("masih_desil1",))
    assert list(written) == ["kabupaten_masih_desil1"]  # no desa maps without desa polygons
    fig = maps.render_kabupaten_map(
        "masih_desil1", maps.map_metrics(status), boundaries.schematic_kecamatan(), None, "2024-11-06"
    )
    text = _texts(fig)
    assert boundaries.SCHEMATIC_NOTE in text and "bukan batas resmi" in text


def test_unknown_kecamatan_parameter(tmp_path, status):
    with pytest.raises(InputError, match="Mungkin maksudnya: Mojoagung"):
        maps.render_maps(status, None, None, tmp_path, kecamatan="Mojoagug")
    assert not list(tmp_path.iterdir())  # checked before anything is drawn


def test_save_figure_is_atomic(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "uji")
    target = tmp_path / "peta.png"
    target.write_bytes(b"lama")

    def broken_save(self, *args, **kwargs):
        raise OSError("disk penuh")

    monkeypatch.setattr(Image.Image, "save", broken_save)
    with pytest.raises(OSError):
        maps.save_figure(fig, target)
    assert target.read_bytes() == b"lama"
    assert list(tmp_path.iterdir()) == [target]
    monkeypatch.undo()
    maps.save_figure(fig, target)
    assert target.read_bytes()[:4] == b"\x89PNG"


def test_map_paths_are_deterministic(tmp_path):
    assert maps.map_path(tmp_path, "masih_desil1") == tmp_path / "kabupaten_masih_desil1.png"
    assert (
        maps.map_path(tmp_path, "persen_keluar", "35.17.18")
        == tmp_path / "desa" / "35.17.18_bandarkedungmulyo_persen_keluar.png"
    )


def test_styled_table_formats_the_indonesian_way(status):
    html = maps.styled_table(maps.map_metrics(status)).to_html()
    assert "Masih desil 1" in html and "33,3" in html and "100,0" in html


# --------------------------------------------------------------------------------------------------- notebook


def test_notebook_is_commit_ready():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_notebook_parameters_as_papermill_sees_them():
    import papermill

    names = set(papermill.inspect_notebook(str(NOTEBOOK)))
    assert {"processed_dir", "reports_dir", "report_date", "boundary_path", "raw_dir", "kecamatan"} <= names


@pytest.mark.slow
def test_notebook_runs_on_synthetic_data(tmp_path):
    import papermill

    from helpers import outputs, runs

    processed = tmp_path / "processed"
    for step in runs.STEPS:  # a finished run of 01 and 02 (run.json), as the notebook checks its inputs
        runs.start_step(processed, step, "run-uji")
    status = outputs.write_parquet(random_status(), processed / "status_sasaran.parquet", "run-uji")
    runs.finish_step(processed, runs.CLEAN_STEP, "run-uji", [])
    runs.finish_step(processed, runs.MATCH_STEP, "run-uji", [status])
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(tmp_path / "03_map.ipynb"),
        parameters={
            "processed_dir": str(processed),
            "reports_dir": str(tmp_path / "reports"),
            "raw_dir": str(tmp_path / "raw"),
            "boundary_path": str(DESA_FILE),
            "report_date": "2024-11-06",
            "kecamatan": "35.17.21",
        },
        kernel_name="python3",
        record_timing=False,
        progress_bar=False,
    )
    peta = tmp_path / "reports" / "2024-11-06" / "peta"
    assert len(list(peta.glob("kabupaten_*.png"))) == len(maps.KABUPATEN_MAPS)
    assert sorted(p.name for p in (peta / "desa").iterdir()) == sorted(
        Path(maps.map_path(peta, m, "35.17.21")).name for m in maps.DESA_MAPS
    )


def test_belum_optimal_map_says_what_it_leaves_out(status):
    """The map's "belum optimal" is the summary's (intervened, not optimally); the not-yet-intervened are named."""
    metrics = maps.map_metrics(status)
    notes = maps._notes(maps.SPECS["belum_optimal"], metrics, "kecamatan")
    assert any("Tidak termasuk 1 jiwa sasaran desil 1 yang belum diintervensi" in n for n in notes)
    assert maps.aggregate(metrics, maps.SPECS["belum_optimal"]) == 2
    none = maps.map_metrics(status[status["status_intervensi"] != "belum_intervensi"])
    assert not any("Tidak termasuk" in n for n in maps._notes(maps.SPECS["belum_optimal"], none, "kecamatan"))
