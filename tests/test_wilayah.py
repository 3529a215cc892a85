import pandas as pd
import pytest
from lokal import wilayah as gazetteer

from helpers.reference import wilayah


def test_reference_tables_have_21_kecamatan_and_306_desa():
    kec = wilayah.kecamatan_table()
    desa = wilayah.desa_table()
    assert len(kec) == 21 and kec["kode"].is_unique
    assert len(desa) == 306 and desa["kode"].is_unique
    assert set(desa["kode_kecamatan"]) == set(kec["kode"])
    assert kec["penduduk"].notna().all() and kec["kode_bps"].str.fullmatch(r"3517\d{3}").all()


def test_codes_match_the_gazetteer():
    for row in wilayah.desa_table().itertuples():
        found = gazetteer.get_wilayah(row.kode)
        assert found is not None and found.name == row.nama


@pytest.mark.parametrize(
    "variant, code",
    [
        ("Bandar Kedung Mulyo", "35.17.18"),
        ("BANDARKEDUNGMULYO", "35.17.18"),
        ("Kec. Mojoagung", "35.17.06"),
        ("Mojo Agung", "35.17.06"),
        ("  mojoagung ", "35.17.06"),
        ("Jombang Kota", "35.17.09"),
        ("KECAMATAN JOMBANG", "35.17.09"),
        ("3517090", "35.17.06"),  # BPS code of Mojoagung
        ("35.17.06", "35.17.06"),
        ("351706", "35.17.06"),
    ],
)
def test_kecamatan_variants_resolve(variant, code):
    assert wilayah.resolve_kecamatan(pd.Series([variant])).iloc[0] == code


def test_unknown_kecamatan_is_missing_with_suggestion():
    assert pd.isna(wilayah.resolve_kecamatan(pd.Series(["Mojowarmo"])).iloc[0])
    assert wilayah.suggest_kecamatan("Mojowarmo") == "Mojowarno"


def test_desa_needs_its_kecamatan():
    # "Kauman" exists in more than one kecamatan: the kecamatan decides.
    kauman = wilayah.desa_table().query("nama == 'Kauman'")
    assert len(kauman) >= 2
    codes = wilayah.resolve_desa(kauman["kode_kecamatan"].reset_index(drop=True), pd.Series(["Desa Kauman"] * len(kauman)))
    assert list(codes) == list(kauman["kode"])
    assert pd.isna(wilayah.resolve_desa(pd.Series([pd.NA], dtype="string"), pd.Series(["Kauman"])).iloc[0])


def test_desa_variants_and_codes():
    kec = pd.Series(["35.17.19", "35.17.19", "35.17.19", "35.17.19"])
    names = pd.Series(["Desa Sumbermulyo", "SUMBER MULYO", "3517192007", "Sumbermulya"])
    codes = wilayah.resolve_desa(kec, names)
    assert list(codes[:3]) == ["35.17.19.2007"] * 3
    assert pd.isna(codes.iloc[3])
    assert wilayah.suggest_desa("35.17.19", "Sumbermulya") == "Sumbermulyo"


def test_normalise_name():
    assert wilayah.normalise_name("Kec.  Bandar Kedung-Mulyo ") == "bandarkedungmulyo"
    assert wilayah.normalise_name(None) == ""
    assert wilayah.normalise_name("Kelorejo") == "kelorejo"
