"""Indonesian number and date formatting (helpers.fmt)."""

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputError
from helpers.publishing import fmt


@pytest.mark.parametrize(
    ("value", "expected"),
    [(7408, "7.408"), (654220, "654.220"), (0, "0"), (-1841, "-1.841"), (np.int64(5567), "5.567"), (1841.0, "1.841")],
)
def test_angka_uses_dot_for_thousands(value, expected):
    assert fmt.angka(value) == expected


def test_angka_with_decimals():
    assert fmt.angka(1234.5, 1) == "1.234,5"
    assert fmt.angka(np.float64(1234.56), 2) == "1.234,56"


@pytest.mark.parametrize(("value", "expected"), [(8.6, "8,60"), (9.15, "9,15"), (100, "100,00"), (0.004, "0,00")])
def test_persen_two_decimals_by_default(value, expected):
    assert fmt.persen(value) == expected


def test_persen_options():
    assert fmt.persen(75.146, 1) == "75,1"
    assert fmt.persen(8.6, simbol=True) == "8,60%"
    assert fmt.persen(None, simbol=True) == fmt.KOSONG


@pytest.mark.parametrize("missing", [None, math.nan, np.nan, pd.NA, pd.NaT, float("nan")])
def test_missing_values_print_a_dash(missing):
    assert fmt.angka(missing) == "–"
    assert fmt.persen(missing) == "–"
    assert fmt.per_seribu(missing) == "–"
    assert fmt.jiwa(missing) == "–"
    assert fmt.tanggal(missing) == "–"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0.125, 2, "0,13"),  # babel (half-even) gives 0,12
        (2.5, 0, "3"),  # babel gives 2
        (3.5, 0, "4"),
        (-2.5, 0, "-3"),  # away from zero, also for negatives
        (2.675, 2, "2,68"),  # binary 2.67499999... but the reader sees 2.675
        (1.005, 2, "1,01"),
        (-0.001, 2, "0,00"),  # never "-0,00"
        (Decimal("0.045"), 2, "0,05"),
    ],
)
def test_rounding_is_half_away_from_zero(value, decimals, expected):
    assert fmt.angka(value, decimals) == expected


def test_babel_alone_would_round_half_even():
    from babel.numbers import format_decimal

    assert format_decimal(0.125, format="#,##0.00", locale="id_ID") == "0,12"
    assert fmt.persen(0.125) == "0,13"


def test_jiwa_and_per_seribu():
    assert fmt.jiwa(7408) == "7.408 jiwa"
    assert fmt.per_seribu(1.2345) == "1,23"
    assert fmt.per_seribu(1.235) == "1,24"


@pytest.mark.parametrize(
    "value", ["2024-11-06", dt.date(2024, 11, 6), dt.datetime(2024, 11, 6, 13, 5), pd.Timestamp("2024-11-06")]
)
def test_tanggal_in_words(value):
    assert fmt.tanggal(value) == "6 November 2024"


def test_tanggal_indonesian_month_names():
    assert fmt.tanggal("2024-02-01") == "1 Februari 2024"
    assert fmt.tanggal("2024-08-17") == "17 Agustus 2024"
    assert fmt.tanggal_pendek("2024-03-14") == "14/03/2024"


def test_tanggal_rejects_non_dates():
    with pytest.raises(InputError, match="TTTT-BB-HH"):
        fmt.tanggal("6 Nov 2024")


def test_rentang_and_rasio():
    assert fmt.rentang(0, 12) == "0–12"
    assert fmt.rentang(5, 5) == "5"
    assert fmt.rentang(72.14, 72.84, 1) == "72,1–72,8"
    assert fmt.rasio(1, 4) == 25.0
    assert math.isnan(fmt.rasio(1, 0))
    assert math.isnan(fmt.rasio(None, 10))


def test_os_locale_untouched():
    import locale

    before = locale.setlocale(locale.LC_ALL)
    fmt.angka(7408)
    fmt.tanggal("2024-11-06")
    assert locale.setlocale(locale.LC_ALL) == before


def test_rentang_tanggal():
    from helpers.publishing.fmt import rentang_tanggal

    assert rentang_tanggal("2024-10-07", "2024-10-13") == "7–13 Okt 2024"
    assert rentang_tanggal("2024-10-28", "2024-11-03") == "28 Okt–3 Nov 2024"
    assert rentang_tanggal("2024-12-30", "2025-01-05") == "30 Des 2024–5 Jan 2025"
    assert rentang_tanggal("2024-11-05", "2024-11-05") == "5 Nov 2024"
    assert rentang_tanggal(None, "2024-11-05") == "–"
