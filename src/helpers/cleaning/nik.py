"""NIK (and KK number) normalisation, structure checks and masking.

A NIK has 16 digits: province (2), kabupaten (2), kecamatan (2) of first registration, day of birth (+40 for
women), month, two-digit year, and a 4-digit serial (not 0000). There is no checksum.

What Excel does to NIKs, and what this module does about it:

- a genuine number cell (``3517061203850001`` or ``3517061203850001.0``): exact below 2**53, recovered;
- a leading apostrophe, spaces, non-breaking spaces, dots or dashes: stripped, recovered;
- scientific notation (``3.51706E+15``) or any other loss of digits: marked ``tidak_dapat_dipulihkan`` and
  never guessed — ask for a re-export.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: Values of the ``nik_status`` column.
NIK_VALID = "valid"
NIK_DIPERBAIKI = "diperbaiki"
NIK_TIDAK_DAPAT_DIPULIHKAN = "tidak_dapat_dipulihkan"
NIK_TIDAK_VALID = "tidak_valid"
NIK_KOSONG = "kosong"

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_FLOAT_TEXT = re.compile(r"^(\d{16})\.0+$")
_SEPARATORS = re.compile(r"[\s\u00a0'`’.\-]")


def _one(value: object) -> tuple[object, str]:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return pd.NA, NIK_KOSONG
    if isinstance(value, (int, np.integer)):
        text = str(int(value))
        return (text, NIK_DIPERBAIKI) if len(text) == 16 else (pd.NA, NIK_TIDAK_VALID)
    if isinstance(value, (float, np.floating)):
        if float(value).is_integer() and float(value) < 2**53:
            text = str(int(value))
            return (text, NIK_DIPERBAIKI) if len(text) == 16 else (pd.NA, NIK_TIDAK_VALID)
        return pd.NA, NIK_TIDAK_DAPAT_DIPULIHKAN
    original = str(value)
    if re.fullmatch(r"\d{16}", original):
        return original, NIK_VALID
    raw = original.replace("\u00a0", " ").strip()
    if raw == "" or raw.lower() in {"nan", "none", "null", "-"}:
        return pd.NA, NIK_KOSONG
    if re.fullmatch(r"\d{16}", raw):
        return raw, NIK_DIPERBAIKI
    if _SCIENTIFIC.match(raw.replace(" ", "")):
        return pd.NA, NIK_TIDAK_DAPAT_DIPULIHKAN
    floated = _FLOAT_TEXT.match(raw)
    if floated:
        return floated.group(1), NIK_DIPERBAIKI
    cleaned = _SEPARATORS.sub("", raw)
    if re.fullmatch(r"\d{16}", cleaned):
        return cleaned, NIK_DIPERBAIKI
    return pd.NA, NIK_TIDAK_VALID


def normalise_nik(values: pd.Series) -> pd.DataFrame:
    """Normalise a column of raw NIK (or KK) values.

    Returns a frame with the same index and columns ``nik`` (16-digit text or missing) and ``nik_status``
    (``valid``, ``diperbaiki``, ``tidak_dapat_dipulihkan``, ``tidak_valid``, ``kosong``).
    A 16-digit value whose structure is impossible (month 13, serial 0000, …) is ``tidak_valid``.
    Text cells that are already 16 plain digits (most rows) take a vectorised path.
    """
    if isinstance(values.dtype, pd.StringDtype):
        text = values.astype("string")
        plain = text.str.fullmatch(r"[0-9]{16}").fillna(False).astype(bool)
    else:
        text, plain = None, pd.Series(False, index=values.index)
    out = pd.DataFrame(
        {
            "nik": text.where(plain) if text is not None else pd.Series(pd.NA, index=values.index, dtype="string"),
            "nik_status": pd.Series(NIK_VALID, index=values.index, dtype="string"),
        }
    )
    rest = values[~plain]
    if len(rest):
        uniques = pd.unique(rest.to_numpy(dtype=object))
        parsed = {u: _one(u) for u in uniques if not _is_missing(u)}
        pairs = [parsed[v] if not _is_missing(v) else (pd.NA, NIK_KOSONG) for v in rest.to_numpy(dtype=object)]
        out.loc[~plain, "nik"] = pd.array([p[0] for p in pairs], dtype="string")
        out.loc[~plain, "nik_status"] = pd.array([p[1] for p in pairs], dtype="string")
    bad_structure = out["nik"].notna() & ~structure_ok(out["nik"].fillna(""))
    out.loc[bad_structure, "nik_status"] = NIK_TIDAK_VALID
    out.loc[bad_structure, "nik"] = pd.NA
    return out


def fix_counts(status: pd.Series, prefix: str = "nik") -> dict[str, int]:
    """How many NIKs of a ``nik_status`` column were repaired, unrecoverable, invalid or empty, as the cleaning
    step's ``perbaikan`` counts (``<prefix>_diperbaiki``, ...)."""
    counts = status.value_counts()
    names = {
        NIK_DIPERBAIKI: "diperbaiki",
        NIK_TIDAK_DAPAT_DIPULIHKAN: "tidak_dapat_dipulihkan",
        NIK_TIDAK_VALID: "tidak_valid",
        NIK_KOSONG: "kosong",
    }
    return {f"{prefix}_{label}": int(counts.get(code, 0)) for code, label in names.items()}


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def structure_ok(nik: pd.Series) -> pd.Series:
    """True where a 16-digit NIK has a possible date part and a serial other than 0000."""
    text = nik.astype("string")
    day = pd.to_numeric(text.str[6:8], errors="coerce")
    month = pd.to_numeric(text.str[8:10], errors="coerce")
    shape_ok = text.str.fullmatch(r"\d{16}").fillna(False).astype(bool)
    day_ok = (day.between(1, 31) | day.between(41, 71)).fillna(False).astype(bool)
    month_ok = month.between(1, 12).fillna(False).astype(bool)
    serial_ok = (text.str[12:16] != "0000").fillna(False).astype(bool)
    return shape_ok & day_ok & month_ok & serial_ok


def nik_birth_info(nik: pd.Series) -> pd.DataFrame:
    """Sex (``L``/``P``) and day/month/two-digit year encoded in each NIK (for consistency warnings only)."""
    text = nik.astype("string")
    day = pd.to_numeric(text.str[6:8], errors="coerce")
    sex = pd.Series(np.where(day.fillna(0) > 40, "P", "L"), index=nik.index, dtype="string").where(day.notna())
    return pd.DataFrame(
        {
            "jenis_kelamin": sex,
            "hari": (day - 40 * (day.fillna(0) > 40)).astype("Int64"),
            "bulan": pd.to_numeric(text.str[8:10], errors="coerce").astype("Int64"),
            "tahun2": pd.to_numeric(text.str[10:12], errors="coerce").astype("Int64"),
        },
        index=nik.index,
    )


def mask_nik(nik: object) -> str:
    """``3517061203850001`` -> ``3517**********01``: only the region of issue and the last two digits remain."""
    if _is_missing(nik):
        return ""
    text = str(nik)
    if len(text) != 16:
        return "*" * len(text)
    return text[:4] + "*" * 10 + text[-2:]


def mask_series(nik: pd.Series) -> pd.Series:
    return nik.map(mask_nik).astype("string")


#: A NIK (or KK number) written inside a text: 16 digits, maybe with single spaces, dots or dashes between them.
NIK_IN_TEXT = re.compile(r"(?<!\d)\d(?:[ .\-]?\d){15}(?!\d)")


def _mask_found(found: re.Match) -> str:
    return mask_nik(re.sub(r"\D", "", found.group(0)))


def mask_in_text(values: pd.Series) -> pd.Series:
    """Every NIK-like number inside each text masked as :func:`mask_nik` does (``NIK 3517061203850001 salah``
    -> ``NIK 3517**********01 salah``); other text and missing values unchanged."""
    text = values.astype("string")
    return text.str.replace(NIK_IN_TEXT, _mask_found, regex=True)


def _mask_value(value: object) -> object:
    return NIK_IN_TEXT.sub(_mask_found, value) if isinstance(value, str) else value


def mask_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every NIK-like number in its text columns masked (:func:`mask_in_text`): what a review list
    (``data/processed/tinjau/``) is written through, so that free text (remarks, messages, typed decisions) never
    carries a full NIK there either."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].str.replace(NIK_IN_TEXT, _mask_found, regex=True)
        elif out[column].dtype == object:
            out[column] = out[column].map(_mask_value)
    return out
