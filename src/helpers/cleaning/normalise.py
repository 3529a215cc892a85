"""Value normalisers of the cleaning step: text, display names and their matching key, dates, desil, sex, OPD
status, strategy (given or derived from the programme), the year of a data period, and a raw NIK masked for
display. NIKs themselves are normalised by :mod:`helpers.cleaning.nik`.

All normalisers work on the unique values of a column and map the result back, so that the 650k-row P3KE
is cleaned without a Python loop over its rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

from helpers.dates import DATE_DTYPE, parse_date_text
from helpers.reading.readers import header_key
from helpers.vocabulary import STRATEGI


def map_unique(values: pd.Series, function: Callable[[str], object], dtype: str) -> pd.Series:
    """Apply ``function`` to each distinct non-missing value (as text) and map the results back."""
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)  # Arrow's dictionary encoding
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [function(u) for u in uniques.tolist()]
    results[-1] = pd.NA  # code -1: missing
    mapped = results[codes]
    mapped[pd.isna(mapped)] = pd.NA
    return pd.Series(mapped, index=values.index).astype(dtype)


def tidy_value(value: str) -> str:
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return " ".join(value.split())  # every kind of white space, the non-breaking one included


def tidy_text(values: pd.Series) -> pd.Series:
    """Strip, collapse spaces (non-breaking ones too); empty text becomes missing."""
    out = map_unique(values, tidy_value, "string")
    return out.mask(out == "")


def _tidy_name(value: str) -> object:
    text = tidy_value(value)
    return text.title() if text else pd.NA


def tidy_name(values: pd.Series) -> pd.Series:
    """Display name: stripped, single spaces, Title Case (``"  siti   AMINAH "`` -> ``"Siti Aminah"``)."""
    return map_unique(values, _tidy_name, "string")


#: Titles removed from the matching key, written without dots (``S.Pd.`` -> ``SPD``).
TITLES = frozenset(
    """DRS DRA DR IR KH PROF NY
    SPD SPDI SAG SE SH SHI ST SKOM SSOS SIP SKM SKEP SSI SPSI SFARM SKED SSTP STP SPT SHUT SPDSD SSIT
    MPD MPDI MSI MM MAG MH MT MKES MKOM MHUM
    AMD AMDKEP AMDKEB AMAPD AMK AMKEB""".split()
)
#: Hajj titles: removed when first in the name or written with a dot (a bare ``H`` elsewhere may be an initial).
HAJJ_TITLES = frozenset({"H", "HJ"})
_GLUED_PREFIX = re.compile(r"^(H|HJ|KH|DR|DRS|DRA|IR|NY)\.(?=[A-Z]{2})")
_TOKEN_SPLIT = re.compile(r"[\s,;]+")
_APOSTROPHES = re.compile(r"['`\u2019\u2018]")
_NON_ALNUM = re.compile(r"[^0-9A-Z]+")
#: token -> (kind, cleaned token): kind "title", "hajj", "hajj_dot" (hajj written with a dot) or "word".
_TOKEN_CACHE: dict[str, tuple[str, str]] = {}


def _token(token: str) -> tuple[str, str]:
    found = _TOKEN_CACHE.get(token)
    if found is None:
        bare = _NON_ALNUM.sub("", token)
        if bare in TITLES:
            found = ("title", "")
        elif bare in HAJJ_TITLES:
            found = ("hajj_dot" if "." in token else "hajj", bare)
        else:
            found = ("word", " ".join(_NON_ALNUM.sub(" ", _APOSTROPHES.sub("", token)).split()))
        if len(_TOKEN_CACHE) < 500_000:
            _TOKEN_CACHE[token] = found
    return found


def _name_key(value: str) -> object:
    if not value.isascii():
        value = unicodedata.normalize("NFKD", value)
        value = "".join(c for c in value if not unicodedata.combining(c))
    text = value.upper()
    if "." in text[:4]:
        text = _GLUED_PREFIX.sub(r"\1. ", text.lstrip())
    kept = []
    position = 0
    for raw in _TOKEN_SPLIT.split(text):
        if not raw:
            continue
        kind, cleaned = _token(raw)
        first = position == 0
        position += 1
        if kind == "title" or kind == "hajj_dot" or (kind == "hajj" and first):
            continue
        if cleaned:
            kept.append(cleaned)
    return " ".join(kept) if kept else pd.NA


def name_key(values: pd.Series) -> pd.Series:
    """Matching key of a name: upper case, titles removed, punctuation removed, single spaces.

    >>> name_key(pd.Series(["Hj. Siti Aminah, S.Pd"])).tolist()
    ['SITI AMINAH']
    """
    return map_unique(values, _name_key, "string")


def parse_dates(values: pd.Series) -> pd.Series:
    """A text column of dates -> ``datetime64`` (day precision); unreadable values become ``NaT``."""
    parsed = map_unique(values, lambda v: parse_date_text(v) or pd.NA, "object")
    return pd.to_datetime(parsed.where(parsed.notna(), None)).astype(DATE_DTYPE)


_DESIL = re.compile(r"^(?:DESIL\s*)?(\d{1,2})(?:\.0+)?$")


def _desil(value: str) -> object:
    found = _DESIL.match(tidy_value(value).upper())
    if found and 1 <= int(found.group(1)) <= 10:
        return int(found.group(1))
    return pd.NA


def parse_desil(values: pd.Series) -> pd.Series:
    """Desil 1-10 from ``1``, ``"1"``, ``"Desil 1"``, ``"DESIL 1"``; anything else is missing."""
    return map_unique(values, _desil, "Int64")


_SEX = {
    "L": "L", "LK": "L", "LAKI": "L", "LAKILAKI": "L", "PRIA": "L", "1": "L", "MALE": "L",
    "P": "P", "PR": "P", "PEREMPUAN": "P", "WANITA": "P", "2": "P", "FEMALE": "P",
}  # fmt: skip


def parse_sex(values: pd.Series) -> pd.Series:
    """``L``/``P`` from "Laki-laki", "Perempuan", "L", "P" (case and punctuation ignored)."""
    return map_unique(values, lambda v: _SEX.get(_NON_ALNUM.sub("", v.upper()), pd.NA), "string")


_STATUS_OPD = {
    "optimal": "optimal",
    "sudahoptimal": "optimal",
    "belumoptimal": "belum_optimal",
    "tidakoptimal": "belum_optimal",
    "kurangoptimal": "belum_optimal",
    "nonoptimal": "belum_optimal",
}


def parse_status_opd(values: pd.Series) -> pd.Series:
    """OPD ``Status`` -> ``optimal`` / ``belum_optimal`` (missing when empty or not understood)."""
    return map_unique(values, lambda v: _STATUS_OPD.get(_NON_ALNUM.sub("", v.upper()).lower(), pd.NA), "string")


_STRATEGY_KEYS = {header_key(s): s for s in STRATEGI}
_STRATEGY_NUMBER = re.compile(r"^(?:strategi\s*)?([123])$")


def _strategy(value: str) -> object:
    key = header_key(value)
    if key in _STRATEGY_KEYS:
        return _STRATEGY_KEYS[key]
    found = _STRATEGY_NUMBER.match(key)
    return STRATEGI[int(found.group(1)) - 1] if found else pd.NA


def parse_strategy(values: pd.Series) -> pd.Series:
    """One of :data:`helpers.config.STRATEGI` (case and spacing ignored, ``1``-``3`` accepted), else missing."""
    return map_unique(values, _strategy, "string")


def strategy_from_programme(programme: pd.Series) -> pd.Series:
    """The strategy of each programme from ``data/program_strategi.csv`` (missing when the programme is unknown)."""
    from helpers.reference.figures import programme_strategies

    table = programme_strategies()
    return map_unique(programme, lambda v: table.get(header_key(v), pd.NA), "string")


def mask_raw_nik(value: object) -> str:
    """A raw NIK cell for display: its digits masked except the first four and the last two."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value)
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    hidden = set(positions[4:-2]) if len(positions) > 6 else set(positions)
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def parse_year(values: pd.Series) -> pd.Series:
    """The year of a data period: ``"2025"``, ``"Maret 2025"``, ``"2025-03"`` -> 2025; anything else missing."""

    def one(value: str) -> object:
        found = _YEAR.search(value)
        return int(found.group(1)) if found else pd.NA

    return map_unique(values, one, "Int64")
