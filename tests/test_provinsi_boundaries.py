"""The shipped kecamatan boundaries of Jawa Timur (``jatim_kecamatan.geojson``): every kabupaten/kota resolves to
exactly the gazetteer's kecamatan codes, and is the default outside Kabupaten Jombang (kecamatan maps only)."""

import pyogrio
import pyproj
import pytest

from helpers.config import KODE_KABUPATEN
from helpers.publishing import boundaries
from helpers.reference import wilayah

KABUPATEN = list(wilayah.kabupaten_table()["kode"])


def test_the_province_has_38_kabupaten_kota_and_the_file_666_kecamatan():
    assert len(KABUPATEN) == 38
    attributes = pyogrio.read_dataframe(boundaries.PROVINCE_KECAMATAN_FILE, read_geometry=False)
    gazetteer_codes = {k for kab in KABUPATEN for k in wilayah.kecamatan_table(kab)["kode"]}
    assert len(attributes) == 666 and set(attributes["kode"]) == gazetteer_codes


@pytest.mark.parametrize("kode_kabupaten", KABUPATEN)
def test_shipped_kecamatan_resolve_to_the_gazetteer(kode_kabupaten):
    kecamatan = boundaries.load_boundaries("", None, "kecamatan", kode_kabupaten)
    expected = list(wilayah.kecamatan_table(kode_kabupaten)["kode"])
    assert list(kecamatan["kode"]) == expected
    assert kecamatan["nama"].notna().all() and kecamatan.is_valid.all() and (kecamatan.area > 0).all()
    assert kecamatan.crs.to_epsg() == 32749
    if kode_kabupaten != KODE_KABUPATEN:
        assert kecamatan.attrs["sumber"] == boundaries.PROVINCE_KECAMATAN_FILE.name
        assert boundaries.load_boundaries("", None, "desa", kode_kabupaten) is None  # no desa file: no desa maps


def test_names_in_the_file_resolve_to_its_codes():
    """Names and codes of the file agree through the shared normaliser (no alias row is needed)."""
    attributes = pyogrio.read_dataframe(boundaries.PROVINCE_KECAMATAN_FILE, read_geometry=False)
    for kab in KABUPATEN:
        rows = attributes[attributes["kode"].str.startswith(kab + ".")]
        assert wilayah.resolve_kecamatan(rows["nama"], kab).tolist() == rows["kode"].tolist(), kab


def test_other_kabupaten_get_real_kecamatan_and_no_desa():
    result = boundaries.load_boundary_set("", None, "35.78")
    assert not result.skematis and result.desa is None
    assert result.sumber == "jatim_kecamatan.geojson" and len(result.kecamatan) == 31
    assert "wilayah_boundaries" in boundaries.describe_source(result.kecamatan)


def test_one_utm_zone_is_good_enough_for_the_whole_province():
    """UTM 49S for every kabupaten: the scale error at the province's eastern tip stays below 0.5 %."""
    west, south, east, north = boundaries.load_province().to_crs("EPSG:4326").total_bounds
    projection = pyproj.Proj(boundaries.CRS_UTM)
    for lon in (west, 112.2, east):
        factors = projection.get_factors(lon, (south + north) / 2)
        assert abs(factors.meridional_scale - 1) < 0.005
    assert east > 116  # the province does reach beyond zone 49S: the check above is not vacuous
