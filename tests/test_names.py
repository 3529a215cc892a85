import pandas as pd
import pytest

from helpers.matching.names import normalise_name, normalise_names

VARIANTS = [
    ("Soepardi", "Supardi"), ("Djumadi", "Jumadi"), ("Tjipto", "Cipto"), ("Moch. Arifin", "Muhammad Arifin"),
    ("St. Aminah", "Siti Aminah"), ("Abd. Rohman", "Abdul Rohman"), ("Hj. Siti Fatimah", "SITI FATIMAH"),
    ("Jusuf", "Yusuf"), ("Soejono", "Suyono"), ("Sjamsul", "Syamsul"), ("Njoman", "Nyoman"), ("Cholil", "Kholil"),
    ("MOH ARIFIN", "Mochammad Arifin"), ("M. Arifin", "Muhamad Arifin"), ("Muchammad Arifin", "Mohamad Arifin"),
    ("Abd Rohman", "Abdul Rohman"), ("Nurul Hidayah", "Nur Hidayah"), ("Bpk. Slamet", "Slamet"),
    ("Ibu Sumini", "Sumini"), ("Ny. Sumini", "Sumini"), ("Alm. Karjo", "Karjo"), ("Almh. Tumini", "Tumini"),
    ("Drs. H. Achmad Cholil, S.Pd", "Ahmad Kholil"), ("KH. Abdullah", "Abdulah"), ("H.Ahmad", "Ahmad"),
    ("Dr. Sri Wahyuni, M.Kes", "Sri Wahyuni"), ("Mochh. Ilham", "Moch. Ilham"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new"), VARIANTS)
def test_variants_get_the_same_key(old, new):
    assert normalise_name(old) == normalise_name(new)


@pytest.mark.parametrize(("a", "b"), [("Jumadi", "Yumadi"), ("Suparmi", "Suparni"), ("Siti Aminah", "Sri Aminah")])
def test_different_names_stay_different(a, b):
    assert normalise_name(a) != normalise_name(b)


def test_new_spelling_is_kept():
    assert normalise_name("Jumadi") == "JUMADI"
    assert normalise_name("Supardi") == "SUPARDI"


def test_hajj_title_only_when_first_or_dotted():
    assert normalise_name("Siti H") == "SITI H"
    assert normalise_name("H Ahmad") == "AHMAD"


def test_series_keeps_missing_and_index():
    out = normalise_names(pd.Series(["Moch. Arifin", None, "Hj."], index=[5, 6, 7]))
    assert out.index.tolist() == [5, 6, 7]
    assert out.iloc[0] == "MUHAMAD ARIFIN" and out.isna().iloc[1:].all()
