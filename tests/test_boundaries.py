"""Boundary files of any format -> Kemendagri codes (helpers.boundaries), with the shared real boundaries."""

import warnings

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from helpers.config import GEO_DIR
from helpers.errors import InputError
from helpers.publishing import boundaries
from helpers.reference import wilayah

KEC_FILE = GEO_DIR / "jombang_kecamatan.geojson"
DESA_FILE = GEO_DIR / "jombang_desa.geojson"

KEC_CODES = list(wilayah.kecamatan_table()["kode"])


@pytest.fixture(scope="module")
def shared_kec():
    return gpd.read_file(KEC_FILE)


@pytest.fixture(scope="module")
def shared_desa():
    return gpd.read_file(DESA_FILE)


def _big_desa(shared_desa: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The real desa layer dressed as a BIG/Ina-Geoportal file: upper-case names, no codes, other spellings."""
    table = wilayah.desa_table().set_index("kode")
    kecamatan = shared_desa["kode"].map(table["nama_kecamatan"]).str.upper()
    kecamatan = kecamatan.replace({"BANDARKEDUNGMULYO": "BANDAR KEDUNG MULYO", "MOJOAGUNG": "KEC. MOJOAGUNG"})
    return gpd.GeoDataFrame(
        {
            "NAMOBJ": shared_desa["nama"].str.upper(),
            "WADMKD": shared_desa["nama"].str.upper(),
            "WADMKC": kecamatan,
            "WADMKK": "JOMBANG",
            "WADMPR": "JAWA TIMUR",
        },
        geometry=shared_desa.geometry,
        crs="EPSG:4326",
    )


def _write(frame: gpd.GeoDataFrame, folder, name: str, **kwargs):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    frame.to_file(path, **kwargs)
    return path


# --------------------------------------------------------------------------------------------------- real files


def test_shared_kecamatan_layer_gives_21_codes():
    kec = boundaries.load_boundaries(KEC_FILE, None, "kecamatan")
    assert list(kec.columns) == ["kode", "nama", "geometry"]
    assert list(kec["kode"]) == KEC_CODES
    assert list(kec["nama"]) == list(wilayah.kecamatan_table()["nama"])
    assert kec.crs.to_epsg() == 32749
    assert kec.is_valid.all()
    assert 1_000 < kec.area.sum() / 1e6 < 1_200
    assert kec.attrs["sumber"] == "jombang_kecamatan.geojson"
    assert boundaries.load_boundaries(KEC_FILE, None, "desa") is None


def test_shared_desa_layer_gives_306_and_dissolves_to_21():
    desa = boundaries.load_boundaries(DESA_FILE, None, "desa")
    assert len(desa) == 306
    assert set(desa["kode"]) == set(wilayah.desa_table()["kode"])
    assert (desa["kode_kecamatan"] == desa["kode"].str[:8]).all()
    kec = boundaries.load_boundaries(DESA_FILE, None, "kecamatan")
    assert list(kec["kode"]) == KEC_CODES
    assert (kec.geom_type == "Polygon").all()
    # Slivers between desa polygons are closed: no small holes left.
    holes = [shapely.Polygon(r).area for g in kec.geometry for r in g.interiors]
    assert all(area >= boundaries.MAX_GAP_M2 for area in holes)


def test_big_style_shapefile_in_projected_crs(tmp_path, shared_desa):
    big = _big_desa(shared_desa).to_crs("EPSG:23839")
    _write(big, tmp_path / "raw" / "batas_wilayah", "ADMINISTRASIDESA_AR_25K.shp")
    assert boundaries.detect_level(pd.DataFrame(big.drop(columns="geometry"))) == "desa"
    desa = boundaries.load_boundaries("", tmp_path / "raw", "desa")
    assert len(desa) == 306
    # Same codes as the original file, feature by feature (names resolved through the shared normaliser).
    original = shared_desa.to_crs(32749).set_index("kode")
    joined = desa.set_index("kode").geometry.representative_point()
    assert original.loc[joined.index].geometry.contains(joined).mean() > 0.98
    assert desa.loc[desa["kode"].str.startswith("35.17.18."), "kode"].size == len(
        wilayah.desa_table().query("kode_kecamatan == '35.17.18'")
    )
    kec = boundaries.load_boundaries("", tmp_path / "raw", "kecamatan")
    assert list(kec["kode"]) == KEC_CODES
    assert kec.loc[kec["kode"] == "35.17.18", "nama"].item() == "Bandarkedungmulyo"


def test_big_kecamatan_layer_in_a_province_file_keeps_only_the_kabupaten(tmp_path, shared_kec):
    jombang = gpd.GeoDataFrame(
        {"NAMOBJ": shared_kec["nama"].str.upper(), "WADMKC": shared_kec["nama"].str.upper(), "WADMKK": "Jombang"},
        geometry=shared_kec.geometry,
        crs="EPSG:4326",
    )
    mojokerto = gpd.GeoDataFrame(  # Mojokerto also has a kecamatan Ngoro: it must not be merged into Jombang's
        {"NAMOBJ": ["NGORO", "PACET"], "WADMKC": ["NGORO", "PACET"], "WADMKK": ["MOJOKERTO", "MOJOKERTO"]},
        geometry=[shapely.box(112.55, -7.62, 112.62, -7.55), shapely.box(112.5, -7.7, 112.56, -7.64)],
        crs="EPSG:4326",
    )
    province = pd.concat([mojokerto, jombang], ignore_index=True)
    path = _write(province, tmp_path, "kecamatan_jatim.gpkg", layer="ADMINISTRASIKECAMATAN_AR_50K")
    kec = boundaries.load_boundaries(path, None, "kecamatan")
    assert list(kec["kode"]) == KEC_CODES
    ngoro = kec.loc[kec["kode"] == "35.17.03"].to_crs(4326).geometry.item()
    assert ngoro.bounds[2] < 112.5  # Jombang's Ngoro only


def test_geopackage_with_both_levels(tmp_path, shared_kec, shared_desa):
    path = tmp_path / "batas.gpkg"
    shared_desa.to_file(path, layer="desa")
    shared_kec.to_crs(23839).to_file(path, layer="kecamatan")
    layers = boundaries.list_layers([path])
    assert {layer.level for layer in layers} == {"kecamatan", "desa"}
    result = boundaries.load_boundary_set(path, None)
    assert len(result.kecamatan) == 21 and len(result.desa) == 306
    assert result.kecamatan.attrs["sumber"] == "batas.gpkg (layer kecamatan)"  # the kecamatan layer, not a dissolve
    assert not result.skematis


def test_choice_between_several_files_is_deterministic(tmp_path, shared_kec):
    folder = tmp_path / "raw" / "batas_wilayah"
    _write(shared_kec, folder, "b_kecamatan.geojson")
    _write(shared_kec.to_crs(32749), folder, "a_kecamatan.gpkg")
    (folder / "catatan.txt").write_text("bukan file peta")  # not an OGR suffix: ignored
    (folder / "metadata.json").write_text('{"sumber": "BIG"}')  # OGR suffix, not a map: skipped with a warning
    with pytest.warns(UserWarning) as caught:
        kec = boundaries.load_boundaries("", tmp_path / "raw", "kecamatan")
    messages = " ".join(str(w.message) for w in caught)
    assert "metadata.json tidak dapat dibaca" in messages and "dipakai a_kecamatan.gpkg" in messages
    assert kec.attrs["sumber"] == "a_kecamatan.gpkg"
    with pytest.raises(InputError, match="metadata.json tidak dapat dibaca"):
        boundaries.load_boundaries(folder / "metadata.json", None, "kecamatan")


def test_hdx_and_code_only_attributes():
    hdx = pd.DataFrame({"ADM3_EN": ["Mojoagung"], "ADM3_PCODE": ["ID3517090"], "ADM2_EN": ["Jombang"]})
    assert boundaries.detect_level(hdx) == "kecamatan"
    codes = pd.DataFrame({"KDEPUM": ["35.17.06.2001"]})
    assert boundaries.detect_level(codes) == "desa"
    desa_names = pd.DataFrame({"WADMKC": ["Perak", "Perak"], "NAMOBJ": ["Sumberagung", "Pagerwojo"]})
    assert boundaries.detect_level(desa_names) == "desa"
    with pytest.raises(InputError, match="tidak ada kolom nama atau kode"):
        boundaries.detect_level(pd.DataFrame({"luas": [1.0], "keterangan": ["x"]}), "aneh.shp")


# --------------------------------------------------------------------------------------------------- repairs


def test_invalid_geometry_is_repaired(tmp_path, shared_kec):
    broken = shared_kec.copy()
    minx, miny, maxx, maxy = broken.geometry.iloc[5].bounds
    bowtie = shapely.Polygon([(minx, miny), (maxx, maxy), (maxx, miny), (minx, maxy)])
    assert not bowtie.is_valid
    broken.loc[5, "geometry"] = bowtie
    path = _write(broken, tmp_path, "rusak.gpkg")
    kec = boundaries.load_boundaries(path, None, "kecamatan")
    assert kec.is_valid.all()
    assert set(kec.geom_type) <= {"Polygon", "MultiPolygon"}
    assert kec.loc[kec["kode"] == broken.loc[5, "kode"]].area.item() > 0


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_missing_crs_is_assumed_wgs84_for_lonlat_and_an_error_for_metres(tmp_path, shared_kec):
    lonlat = _write(shared_kec.set_crs(None, allow_override=True), tmp_path / "a", "tanpa_crs.shp")
    lonlat.with_suffix(".prj").unlink(missing_ok=True)
    with pytest.warns(UserWarning, match="tanpa CRS"):
        assert len(boundaries.load_boundaries(lonlat, None, "kecamatan")) == 21
    metres = shared_kec.to_crs(32749).set_crs(None, allow_override=True)
    path = _write(metres, tmp_path / "b", "tanpa_prj.shp")
    path.with_suffix(".prj").unlink(missing_ok=True)
    with pytest.raises(InputError, match="CRS"):
        boundaries.load_boundaries(path, None, "kecamatan")


# --------------------------------------------------------------------------------------------------- errors


def test_unknown_kecamatan_name_is_named_with_a_suggestion(tmp_path, shared_kec):
    wrong = shared_kec.drop(columns="kode").assign(nama=shared_kec["nama"].replace({"Mojoagung": "MOJOAGUNGG"}))
    path = _write(wrong, tmp_path, "kecamatan.geojson")
    with pytest.raises(InputError) as error:
        boundaries.load_boundaries(path, None, "kecamatan")
    message = str(error.value)
    assert '"MOJOAGUNGG"' in message and "Mojoagung" in message
    assert "alias_wilayah.csv" in message


def test_unknown_desa_name_is_named_with_its_kecamatan(tmp_path, shared_desa):
    big = _big_desa(shared_desa)
    big.loc[big["WADMKD"] == "PAGERWOJO", ["WADMKD", "NAMOBJ"]] = "PAGER WOJOO"
    path = _write(big, tmp_path, "desa.gpkg")
    with pytest.raises(InputError) as error:
        boundaries.load_boundaries(path, None, "desa")
    message = str(error.value)
    assert '"PAGER WOJOO" di Kecamatan Perak' in message and "Pagerwojo" in message


def test_missing_kecamatan_is_an_error(tmp_path, shared_kec):
    path = _write(shared_kec[shared_kec["kode"] != "35.17.21"], tmp_path, "kurang.geojson")
    with pytest.raises(InputError, match=r"Ngusikan \(35\.17\.21\)"):
        boundaries.load_boundaries(path, None, "kecamatan")


def test_missing_desa_is_only_a_warning(tmp_path, shared_desa):
    path = _write(shared_desa[shared_desa["kode"] != "35.17.01.2001"], tmp_path, "desa.geojson")
    with pytest.warns(UserWarning, match="Jantiganggong"):
        desa = boundaries.load_boundaries(path, None, "desa")
    assert len(desa) == 305


def test_file_of_another_kabupaten(tmp_path, shared_kec):
    other = shared_kec.assign(kode=shared_kec["kode"].str.replace("35.17", "35.16", regex=False))
    path = _write(other, tmp_path, "mojokerto.geojson")
    with pytest.raises(InputError, match="tidak memuat wilayah Kabupaten Jombang"):
        boundaries.load_boundaries(path, None, "kecamatan")


def test_explicit_path_that_does_not_exist(tmp_path):
    with pytest.raises(InputError, match="tidak ditemukan"):
        boundaries.load_boundaries(tmp_path / "tidak_ada.shp", None, "kecamatan")


# --------------------------------------------------------------------------------------------------- fallback


def test_without_a_file_of_the_user_the_shipped_boundaries_are_used(tmp_path):
    (tmp_path / "raw" / "batas_wilayah").mkdir(parents=True)  # an empty folder of the user's
    result = boundaries.load_boundary_set("", tmp_path / "raw")
    assert not result.skematis and result.sumber == DESA_FILE.name
    assert len(result.desa) == 306 and sorted(result.kecamatan["kode"]) == KEC_CODES


def test_no_boundary_file_anywhere_gives_none_then_the_schematic_map(tmp_path, monkeypatch):
    monkeypatch.setattr(boundaries, "DEFAULT_BOUNDARY", tmp_path / "dihapus.geojson")  # shipped files deleted
    (tmp_path / "raw").mkdir()
    assert boundaries.load_boundaries("", tmp_path / "raw", "kecamatan") is None
    assert boundaries.load_boundaries("", tmp_path / "raw", "desa") is None
    result = boundaries.load_boundary_set("", tmp_path / "raw")
    assert result.skematis and result.desa is None
    assert result.sumber == boundaries.SCHEMATIC_NOTE
    assert list(result.kecamatan["kode"]) == KEC_CODES


def test_boundary_path_at_an_empty_folder_gives_the_schematic_map(tmp_path):
    result = boundaries.load_boundary_set(tmp_path, None)
    assert result.skematis and result.desa is None
    assert result.sumber == boundaries.SCHEMATIC_NOTE
    assert list(result.kecamatan["kode"]) == KEC_CODES


def test_schematic_cells_tile_without_overlap():
    cells = boundaries.schematic_kecamatan()
    assert list(cells["kode"]) == KEC_CODES
    assert cells.is_valid.all() and (cells.area > 5e6).all()
    union = shapely.union_all(cells.geometry.values)
    assert abs(union.area - cells.area.sum()) < 1.0  # no overlaps
    centres = boundaries.kecamatan_centres()
    for code, point in zip(centres["kode"], centres.geometry):
        assert cells.loc[cells["kode"] == code].geometry.item().contains(point)


def test_centres_file_is_complete_and_sourced():
    table = pd.read_csv(boundaries.CENTRES_FILE, dtype={"kode": str})
    assert list(table["kode"]) == KEC_CODES
    assert table["lon"].between(112.0, 112.5).all() and table["lat"].between(-7.8, -7.3).all()
    assert table["sumber"].str.contains("0,01 derajat").all()


def test_province_for_the_locator_inset():
    province = boundaries.load_province()
    assert len(province) == 38
    assert province.loc[province["sorot"], "kode"].tolist() == ["35.17"]
    assert province.crs.to_epsg() == 32749


def test_province_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(boundaries, "PROVINCE_FILE", tmp_path / "tidak_ada.geojson")
    assert boundaries.load_province() is None
    with pytest.raises(InputError):
        boundaries.load_province(tmp_path / "tidak_ada.geojson")


def test_no_warnings_on_the_clean_shared_files():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = boundaries.load_boundary_set(GEO_DIR / "jombang_desa.geojson", None)
    assert not result.skematis and result.sumber == "jombang_desa.geojson"
