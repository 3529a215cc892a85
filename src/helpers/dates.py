"""Dates, parsed in one place: parameters (strict ``YYYY-MM-DD``) and raw-data cells (ISO, dd/mm/yyyy,
dd-mm-yyyy, '6 November 2024', Excel serial numbers)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from helpers.errors import InputError

#: Day precision, as every processed table stores dates.
DATE_DTYPE = "datetime64[us]"

_MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2, "peb": 2, "pebruari": 2,
    "mar": 3, "maret": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5, "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7, "agu": 8, "agt": 8, "ags": 8, "agustus": 8, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "nopember": 11, "november": 11, "des": 12, "desember": 12, "dec": 12, "december": 12,
}  # fmt: skip
_STRICT_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_DMY_NAMED = re.compile(r"^(\d{1,2})[\s\-./]+([A-Za-z]+)[\s\-./]+(\d{4})$")
_SERIAL = re.compile(r"^(\d{1,6})(?:\.0+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Excel serial numbers accepted as dates: 1900-01-01 .. 2099-12-31.
SERIAL_RANGE = (2, 73415)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date_text(value: object) -> dt.date | None:
    """One raw-data date from ISO text, dd/mm/yyyy, dd-mm-yyyy, '6 November 2024' or an Excel serial number;
    ``None`` when it cannot be read."""
    if value is None or value is pd.NA:
        return None
    text = str(value).strip().replace("\u00a0", " ")
    if not text:
        return None
    for pattern, order in ((_ISO, "ymd"), (_YMD_SLASH, "ymd"), (_DMY, "dmy")):
        found = pattern.match(text)
        if found:
            a, b, c = (int(g) for g in found.groups())
            return _safe_date(a, b, c) if order == "ymd" else _safe_date(c, b, a)
    found = _DMY_NAMED.match(text)
    if found:
        month = _MONTHS.get(found.group(2).lower())
        return _safe_date(int(found.group(3)), month, int(found.group(1))) if month else None
    found = _SERIAL.match(text)
    if found:
        serial = int(found.group(1))
        if SERIAL_RANGE[0] <= serial <= SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + dt.timedelta(days=serial)
    return None


def to_date(value: object, name: str = "report_date") -> dt.date:
    """A date given as a parameter or a stored value: a date/datetime/Timestamp, or text ``YYYY-MM-DD``.
    Anything else is an :class:`InputError` in Indonesian naming the parameter ``name``."""
    if isinstance(value, dt.datetime):  # pd.Timestamp included
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    found = _STRICT_ISO.match(text)
    date = _safe_date(*(int(g) for g in found.groups())) if found else None
    if date is None:
        raise InputError(
            f'Parameter {name} = "{text}" tidak valid: gunakan format TTTT-BB-HH (tahun-bulan-hari), '
            "misalnya 2024-11-06."
        )
    return date


def to_timestamp(value: object, name: str = "report_date") -> pd.Timestamp:
    """:func:`to_date` as a pandas Timestamp (midnight)."""
    return pd.Timestamp(to_date(value, name))


def dmy(value: object) -> str:
    """A stored date as ``dd/mm/yyyy`` for messages and forms ('' when missing)."""
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%d/%m/%Y")
