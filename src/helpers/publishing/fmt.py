"""Indonesian number and date formatting for everything an official reads (babel, locale ``id_ID``).

``angka(7408)`` -> ``"7.408"``, ``persen(8.6)`` -> ``"8,60"``, ``tanggal("2024-11-06")`` -> ``"6 November 2024"``.

Two deliberate differences from plain babel:

* Missing values (``None``, ``NaN``, ``pd.NA``, ``NaT``) are printed as an en dash ``"–"`` (:data:`KOSONG`),
  never as ``NaN``.
* Rounding is *half away from zero* (``0,125`` -> ``0,13``; ``2,5`` -> ``3``), the rule taught in school and
  used in Indonesian statistical tables, instead of babel's half-to-even. A float is first taken at its
  shortest decimal representation (``repr``), so ``2.675`` rounds to ``2,68`` as a reader expects, although
  the binary float is slightly below 2.675.

The OS locale is never touched (``locale.setlocale`` is not used; ``id_ID`` is not installed on these machines).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from helpers.dates import to_date

LOCALE = "id_ID"
#: Printed for a missing value.
KOSONG = "–"
#: Default number of decimals for rates (percentages, per mille).
DESIMAL_RASIO = 2


def is_missing(value: object) -> bool:
    """True for None, NaN, pd.NA and NaT."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(float(value)))  # float() also turns numpy.float64 into a plain float
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"bukan angka: {value!r}") from None


def bulatkan(value: object, desimal: int = 0) -> Decimal:
    """``value`` rounded half away from zero to ``desimal`` decimals, as an exact Decimal (never ``-0``)."""
    quantum = Decimal(1).scaleb(-desimal)
    rounded = _to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded == 0 else rounded


def angka(value: object, desimal: int = 0) -> str:
    """A number with Indonesian separators: ``7408`` -> ``"7.408"``; ``1234.5, 1`` -> ``"1.234,5"``."""
    if is_missing(value):
        return KOSONG
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "-∞"
    pattern = "#,##0" + ("." + "0" * desimal if desimal > 0 else "")
    return format_decimal(bulatkan(value, desimal), format=pattern, locale=LOCALE)


def persen(value: object, desimal: int = DESIMAL_RASIO, simbol: bool = False) -> str:
    """A percentage already expressed in percent: ``8.6`` -> ``"8,60"`` (``simbol=True`` -> ``"8,60%"``)."""
    text = angka(value, desimal)
    return text + "%" if simbol and text != KOSONG else text


def per_seribu(value: object, desimal: int = DESIMAL_RASIO) -> str:
    """A rate per 1,000 inhabitants: ``1.234`` -> ``"1,23"``."""
    return angka(value, desimal)


def jiwa(value: object) -> str:
    """A head count: ``7408`` -> ``"7.408 jiwa"``."""
    text = angka(value)
    return text if text == KOSONG else f"{text} jiwa"


def rasio(pembilang: object, penyebut: object, skala: float = 100.0) -> float:
    """``pembilang / penyebut * skala``, NaN when the denominator is zero or missing."""
    if is_missing(pembilang) or is_missing(penyebut) or float(penyebut) == 0:
        return math.nan
    return float(pembilang) / float(penyebut) * skala


def rentang(bawah: object, atas: object, desimal: int = 0) -> str:
    """A class range for a legend: ``(0, 12)`` -> ``"0–12"``; equal bounds give one number."""
    low, high = angka(bawah, desimal), angka(atas, desimal)
    return low if low == high else f"{low}–{high}"


def tanggal(value: object) -> str:
    """A date in words: ``"2024-11-06"`` or ``date(2024, 11, 6)`` -> ``"6 November 2024"``."""
    if is_missing(value):
        return KOSONG
    return format_date(to_date(value, 'tanggal'), "d MMMM y", locale=LOCALE)


def tanggal_pendek(value: object) -> str:
    """A compact date for tables: ``"2024-11-06"`` -> ``"06/11/2024"``."""
    if is_missing(value):
        return KOSONG
    return format_date(to_date(value, 'tanggal'), "dd/MM/y", locale=LOCALE)


def rentang_tanggal(awal: object, akhir: object) -> str:
    """A period in short words: ``("2024-10-07", "2024-10-13")`` -> ``"7–13 Okt 2024"``,
    ``("2024-10-28", "2024-11-03")`` -> ``"28 Okt–3 Nov 2024"``, one day -> ``"5 Nov 2024"``."""
    if is_missing(awal) or is_missing(akhir):
        return KOSONG
    start, end = to_date(awal, "tanggal"), to_date(akhir, "tanggal")
    last = format_date(end, "d MMM y", locale=LOCALE)
    if start == end:
        return last
    if (start.year, start.month) == (end.year, end.month):
        first = format_date(start, "d", locale=LOCALE)
    elif start.year == end.year:
        first = format_date(start, "d MMM", locale=LOCALE)
    else:
        first = format_date(start, "d MMM y", locale=LOCALE)
    return f"{first}–{last}"
