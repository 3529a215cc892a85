"""Rows under a table that are not data: totals and the signature block.

An SK annex ends each sheet with a ``JUMLAH 37 jiwa`` row and the regent's signature block ("Ditetapkan di
Jombang", "pada tanggal …", "BUPATI JOMBANG,", "ttd", the name, sometimes "Salinan sesuai dengan aslinya" and
a NIP); OPD lists end with "Mengetahui, Kepala Dinas …". The reader keeps such rows (they are not empty), so
cleaning quarantines them here with a reason, before duplicates are looked for: they never become targets.
Only rows without a NIK-like value (16 digits) are considered, so a person's row is never taken for a footer.

The count in a ``JUMLAH`` row is compared with the rows read from the same sheet (:func:`count_mismatches`).
"""

from __future__ import annotations

import re

import pandas as pd

from helpers.reading.readers import SOURCE_FILE, SOURCE_ROW

_TOTAL = re.compile(r"^\s*(?:jumlah|total|sub\s*-?\s*total|grand\s*total)\b", re.IGNORECASE)
_SIGNATURE = re.compile(
    r"^\W*(?:ditetapkan\s+di|pada\s+tanggal|(?:plt|plh|pj)\.?\s*bupati|wakil\s+bupati|bupati\b|t\.?\s?t\.?\s?d\b|"
    r"nip\b|mengetahui|salinan\s+sesuai|kepala\s+(?:dinas|bagian|badan)|a\.\s?n\.?\s|sekretaris\s+daerah|camat\b)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{3})+|\d{1,6})(?![\d.])")
TOTAL_REASON = "Baris jumlah/total"
#: Columns holding a NIK: a row with a usable one is a person's row, never a footer.
_NIK_COLUMNS = ("nik", "nik_kepala_keluarga")
#: Columns not counted when deciding that a row holds a single value (a row number alone says nothing).
_IGNORED = ("no",)


def _identified(raw: pd.DataFrame) -> pd.Series:
    """Rows holding a NIK-like value (16 digits, whatever the spacing or apostrophe): a person's row.
    Vectorised, as it runs over the 650k P3KE rows; an 18-digit NIP is not a NIK."""
    found = pd.Series(False, index=raw.index)
    for column in _NIK_COLUMNS:
        if column in raw.columns:
            found |= (raw[column].astype("string").str.count(r"\d") == 16).fillna(False).to_numpy(dtype=bool)
    return found


def _cells(raw: pd.DataFrame) -> pd.DataFrame:
    """Non-empty data cells of ``raw`` in long form: ``row`` (index), ``column``, ``text``."""
    columns = [c for c in raw.columns if c not in (SOURCE_FILE, SOURCE_ROW)]
    long = raw[columns].astype("string").stack().dropna()
    long = long[long.str.strip() != ""]
    return pd.DataFrame(
        {"row": long.index.get_level_values(0), "column": long.index.get_level_values(1), "text": long.to_numpy()}
    )


def _shown(texts: pd.Series) -> str:
    return " ".join(" ".join(str(t).split()) for t in texts)[:80]


def footer_reasons(raw: pd.DataFrame) -> pd.Series:
    """The quarantine reason of each footer row (totals, signature block, a lone value without NIK); missing
    for every other row. Vectorised over the cells: a register has thousands of rows without a NIK."""
    reasons = pd.Series(pd.NA, index=raw.index, dtype="string")
    candidates = raw[~_identified(raw)]
    if candidates.empty:
        return reasons
    cells = _cells(candidates)
    per_row = (
        cells.assign(
            total=cells["text"].str.match(_TOTAL),
            signature=cells["text"].str.match(_SIGNATURE),
            counted=~cells["column"].isin(_IGNORED),
        )
        .groupby("row", sort=False)
        .agg(total=("total", "any"), signature=("signature", "any"), counted=("counted", "sum"))
    )
    flagged = per_row[per_row["total"] | per_row["signature"] | (per_row["counted"] == 1)]
    shown = cells[cells["row"].isin(flagged.index)].groupby("row", sort=False)["text"].agg(_shown)
    for row, flags in flagged.iterrows():
        if flags["total"]:
            reasons[row] = f'{TOTAL_REASON} ("{shown[row]}"), bukan data sasaran'
        elif flags["signature"]:
            reasons[row] = f'Bagian penetapan/tanda tangan ("{shown[row]}"), bukan data sasaran'
        else:
            reasons[row] = (
                f'Hanya satu kolom terisi ("{shown[row]}") dan tanpa NIK: tampaknya nama penanda tangan atau catatan '
                "di bawah tabel, bukan data sasaran"
            )
    return reasons


def _stated_count(texts: pd.Series) -> int | None:
    """The number written in a total row (``JUMLAH 37 jiwa``, ``TOTAL`` + ``1.234``), or None."""
    text = " ".join(_TOTAL.sub(" ", str(t)) for t in texts)
    found = _NUMBER.search(text)
    return int(found.group(1).replace(".", "")) if found else None


def count_mismatches(raw: pd.DataFrame, footer: pd.Series) -> list[dict[str, object]]:
    """Per sheet (``sumber_file``) whose last total row states a count: that count against the non-footer rows
    read from the sheet, when they differ (``sumber_file``, ``jumlah_menurut_file``, ``baris_terbaca``,
    ``pesan``)."""
    totals = footer.fillna("").str.startswith(TOTAL_REASON)
    if not totals.any():
        return []
    cells = _cells(raw[totals])
    out = []
    for source, part in raw[totals].groupby(SOURCE_FILE, sort=False):
        last = part.index[-1]
        stated = _stated_count(cells.loc[cells["row"] == last, "text"])
        if stated is None:
            continue
        read = int(((raw[SOURCE_FILE] == source) & footer.isna()).sum())
        if stated != read:
            out.append(
                {
                    "sumber_file": str(source),
                    "jumlah_menurut_file": stated,
                    "baris_terbaca": read,
                    "pesan": f"{source}: baris jumlah menyebut {stated} orang, tetapi {read} baris data terbaca dari "
                    "lembar ini. Periksa apakah ada baris yang terlewat, tersembunyi atau tercatat dua kali.",
                }
            )
    return out
