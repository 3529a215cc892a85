"""Cleaning the inputs of the raw-data contract into the processed tables.

Every input goes through the same steps (:func:`clean_input`):

1. read with :func:`helpers.reading.readers.read_input` (every cell as text, ``sumber_file`` + ``baris_sumber``);
2. refuse a file of another kabupaten (:func:`check_kabupaten`, an :class:`~helpers.errors.InputError`);
3. drop exact duplicates (identical in every data column, source columns ignored; the first is kept);
4. normalise NIK, names, dates, desil, sex, regions, strategies and statuses;
5. quarantine the rows that cannot be used, each with a reason in plain Indonesian;
6. validate the cleaned table with its pandera schema (:mod:`helpers.schemas`);
7. check that nothing was lost: rows read = rows kept + duplicates dropped + rows quarantined, for the input
   and for each source file and sheet.

Before step 3, footer rows (totals, an SK's signature block; :mod:`helpers.cleaning.footers`) are quarantined.
After step 5, an intervention record that repeats an earlier one once normalised (same NIK, programme, date,
strategy and OPD status, e.g. the same record in two OPD files written differently) is a duplicate too, listed in
``tinjau/intervensi_ganda.csv``.

:func:`clean_all` checks the whole run (:mod:`helpers.guards`) before it writes anything: a run refused on bad
input leaves every processed file, and the read cache, as they were.

All normalisers work on the unique values of a column and map the result back, so that the 650k-row P3KE
is cleaned without a Python loop over its rows.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import catalog, execution, guards, keys, runs
from helpers.cleaning import ids
from helpers.cleaning import nik as nikmod
from helpers.cleaning.footers import count_mismatches, footer_reasons
from helpers.config import KODE_KABUPATEN
from helpers.dates import DATE_DTYPE, parse_date_text
from helpers.errors import InputError
from helpers.reading.contract import COLUMN_NAMES, INPUTS, InputSpec
from helpers.reading.readers import SOURCE_FILE, SOURCE_ROW, ReadCache, SheetNote, header_key, read_input_sheets
from helpers.reference import wilayah
from helpers.vocabulary import P3KE, STRATEGI

#: Processed table name of each input (``karantina/<input>.csv`` keeps the input name).
TABLE_NAMES = {
    "p3ke": "p3ke_individu",
    "p3ke_keluarga": "p3ke_keluarga",
    "sk": "sk",
    "intervensi": "intervensi",
    "verifikasi": "verifikasi",
    "keputusan_padan": "keputusan_padan",
    "dtsen": "dtsen_individu",
}
PROGRAMME_TABLE_HINT = "src/helpers/data/program_strategi.csv"
#: Cached readings of raw files (Parquet, keyed by content), so that a rerun reads only what changed.
SOURCE_COLUMNS = (SOURCE_FILE, SOURCE_ROW)
_HEADER_OF = {v: k for k, v in COLUMN_NAMES.items()}


class ConservationError(RuntimeError):
    """Rows were lost or invented between reading and cleaning (a bug, never bad input)."""


# ---------------------------------------------------------------------------------------------------------
# Value normalisers (each maps the unique values of a Series)
# ---------------------------------------------------------------------------------------------------------


def _map_unique(values: pd.Series, function: Callable[[str], object], dtype: str) -> pd.Series:
    """Apply ``function`` to each distinct non-missing value (as text) and map the results back."""
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)  # Arrow's dictionary encoding
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [function(u) for u in uniques.tolist()]
    results[-1] = pd.NA  # code -1: missing
    mapped = results[codes]
    mapped[pd.isna(mapped)] = pd.NA
    return pd.Series(mapped, index=values.index).astype(dtype)


def _tidy_text(value: str) -> str:
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return " ".join(value.split())  # every kind of white space, the non-breaking one included


def tidy_text(values: pd.Series) -> pd.Series:
    """Strip, collapse spaces (non-breaking ones too); empty text becomes missing."""
    out = _map_unique(values, _tidy_text, "string")
    return out.mask(out == "")


def _tidy_name(value: str) -> object:
    text = _tidy_text(value)
    return text.title() if text else pd.NA


def tidy_name(values: pd.Series) -> pd.Series:
    """Display name: stripped, single spaces, Title Case (``"  siti   AMINAH "`` -> ``"Siti Aminah"``)."""
    return _map_unique(values, _tidy_name, "string")


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
    return _map_unique(values, _name_key, "string")


def parse_dates(values: pd.Series) -> pd.Series:
    """A text column of dates -> ``datetime64`` (day precision); unreadable values become ``NaT``."""
    parsed = _map_unique(values, lambda v: parse_date_text(v) or pd.NA, "object")
    return pd.to_datetime(parsed.where(parsed.notna(), None)).astype(DATE_DTYPE)


_DESIL = re.compile(r"^(?:DESIL\s*)?(\d{1,2})(?:\.0+)?$")


def _desil(value: str) -> object:
    found = _DESIL.match(_tidy_text(value).upper())
    if found and 1 <= int(found.group(1)) <= 10:
        return int(found.group(1))
    return pd.NA


def parse_desil(values: pd.Series) -> pd.Series:
    """Desil 1-10 from ``1``, ``"1"``, ``"Desil 1"``, ``"DESIL 1"``; anything else is missing."""
    return _map_unique(values, _desil, "Int64")


_SEX = {
    "L": "L", "LK": "L", "LAKI": "L", "LAKILAKI": "L", "PRIA": "L", "1": "L", "MALE": "L",
    "P": "P", "PR": "P", "PEREMPUAN": "P", "WANITA": "P", "2": "P", "FEMALE": "P",
}  # fmt: skip


def parse_sex(values: pd.Series) -> pd.Series:
    """``L``/``P`` from "Laki-laki", "Perempuan", "L", "P" (case and punctuation ignored)."""
    return _map_unique(values, lambda v: _SEX.get(_NON_ALNUM.sub("", v.upper()), pd.NA), "string")


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
    return _map_unique(values, lambda v: _STATUS_OPD.get(_NON_ALNUM.sub("", v.upper()).lower(), pd.NA), "string")


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
    return _map_unique(values, _strategy, "string")


def strategy_from_programme(programme: pd.Series) -> pd.Series:
    """The strategy of each programme from ``data/program_strategi.csv`` (missing when the programme is unknown)."""
    from helpers.reference.figures import programme_strategies

    table = programme_strategies()
    return _map_unique(programme, lambda v: table.get(header_key(v), pd.NA), "string")


def mask_raw_nik(value: object) -> str:
    """A raw NIK cell for display: its digits masked except the first four and the last two."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value)
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    hidden = set(positions[4:-2]) if len(positions) > 6 else set(positions)
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


normalise_nik = nikmod.normalise_nik


# ---------------------------------------------------------------------------------------------------------
# Reasons for quarantine
# ---------------------------------------------------------------------------------------------------------


class Reasons:
    """Collects quarantine reasons per row; a row may have several, joined with ``"; "``."""

    def __init__(self, index: pd.Index):
        self.index = index
        self._parts: list[pd.Series] = []

    def add(self, mask: pd.Series, message: str | pd.Series) -> None:
        mask = pd.Series(mask, index=self.index).fillna(False).astype(bool)
        if not mask.any():
            return
        if isinstance(message, str):
            part = pd.Series(pd.NA, index=self.index, dtype="string")
            part[mask] = message
        else:  # a row flagged without a message is still quarantined
            part = message.astype("string").fillna("Baris tidak dapat dipakai").where(mask)
        self._parts.append(part)

    def result(self) -> pd.Series:
        if not self._parts:
            return pd.Series(pd.NA, index=self.index, dtype="string")
        stacked = pd.concat(self._parts, axis=1, ignore_index=True).stack().dropna()
        joined = stacked.groupby(level=0).agg("; ".join)
        return joined.reindex(self.index).astype("string")


# ---------------------------------------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------------------------------------


def _quoted(value: object) -> str:
    return "" if value is None or value is pd.NA else str(value).strip()


def resolve_regions(
    kecamatan: pd.Series,
    desa: pd.Series,
    kode_kemendagri: pd.Series | None = None,
    kode_kabupaten: str = KODE_KABUPATEN,
) -> pd.DataFrame:
    """Kecamatan and desa codes and gazetteer names, plus a reason for each row that cannot be placed.

    The desa code comes from ``kode_kemendagri`` when it is a valid desa code of the resolved kecamatan,
    otherwise from the kecamatan and the desa name (a desa name alone is ambiguous in Jombang).
    Returns ``kode_kecamatan``, ``nama_kecamatan``, ``kode_desa``, ``nama_desa``, ``alasan_wilayah``,
    ``desa_dari_kode`` (bool).
    """
    kec_table = wilayah.kecamatan_table(kode_kabupaten)
    desa_table = wilayah.desa_table(kode_kabupaten)
    kab_name = wilayah.kabupaten_name(kode_kabupaten)
    kode_kec = wilayah.resolve_kecamatan(kecamatan.astype("string"), kode_kabupaten)
    by_name = wilayah.resolve_desa(kode_kec, desa.astype("string"), kode_kabupaten)
    from_code = pd.Series(False, index=desa.index)
    if kode_kemendagri is not None and kode_kemendagri.notna().any():
        code = _map_unique(kode_kemendagri, wilayah.normalise_code, "string")
        valid = set(desa_table["kode"])
        from_code = (code.isin(valid) & (code.str[:8] == kode_kec)).fillna(False).astype(bool)
        kode_desa = code.where(from_code, by_name)
    else:
        kode_desa = by_name
    kec_names = dict(zip(kec_table["kode"], kec_table["nama"]))
    desa_names = dict(zip(desa_table["kode"], desa_table["nama"]))
    out = pd.DataFrame(
        {
            "kode_kecamatan": kode_kec,
            "nama_kecamatan": kode_kec.map(kec_names).astype("string"),
            "kode_desa": kode_desa.astype("string"),
            "nama_desa": kode_desa.map(desa_names).astype("string"),
        },
        index=desa.index,
    )
    reasons = Reasons(desa.index)
    kec_text = kecamatan.astype("string")
    reasons.add(kec_text.isna(), "Kecamatan kosong")
    unknown_kec = kec_text.notna() & kode_kec.isna()
    if unknown_kec.any():
        messages = {
            v: f'Kecamatan "{_quoted(v)}" tidak dikenal di {kab_name}; nama terdekat: '
            f'"{wilayah.suggest_kecamatan(v, kode_kabupaten) or "-"}"'
            for v in kec_text[unknown_kec].unique()
        }
        reasons.add(unknown_kec, kec_text.map(messages))
    desa_text = desa.astype("string")
    known_kec = kode_kec.notna()
    reasons.add(known_kec & desa_text.isna() & ~from_code, "Desa/Kelurahan kosong")
    unknown_desa = known_kec & desa_text.notna() & kode_desa.isna()
    if unknown_desa.any():
        pairs = pd.DataFrame({"kec": kode_kec[unknown_desa], "desa": desa_text[unknown_desa]}).drop_duplicates()
        messages = {
            (k, d): f'Desa "{_quoted(d)}" tidak dikenal di Kecamatan {kec_names[k]}; nama terdekat: '
            f'"{wilayah.suggest_desa(k, d, kode_kabupaten) or "-"}"'
            for k, d in zip(pairs["kec"], pairs["desa"])
        }
        keys = pd.Series(list(zip(kode_kec[unknown_desa], desa_text[unknown_desa])), index=desa.index[unknown_desa])
        reasons.add(unknown_desa, keys.map(messages).reindex(desa.index))
    out["alasan_wilayah"] = reasons.result()
    out["desa_dari_kode"] = from_code
    return out


def region_variants(raw: pd.Series, official: pd.Series) -> dict[str, int]:
    """``{"raw → official": rows}`` for names written differently from the gazetteer name (case ignored)."""
    frame = pd.DataFrame({"raw": raw.astype("string"), "official": official.astype("string")}).dropna()
    counts = frame.value_counts(["raw", "official"], sort=False)
    out: dict[str, int] = {}
    for (name, gazetteer), n in counts.items():
        shown = _tidy_text(name)
        if re.fullmatch(r"[\d.\s]+", shown) or shown.casefold() == gazetteer.casefold():
            continue
        key = f"{shown} → {gazetteer}"
        out[key] = out.get(key, 0) + int(n)
    return dict(sorted(out.items()))


# ---------------------------------------------------------------------------------------------------------
# Wrong-kabupaten check
# ---------------------------------------------------------------------------------------------------------

#: A file is refused when more than this share of its non-empty region values point outside the kabupaten.
SHARE_OUTSIDE_MAX = 0.5


@cache
def _foreign_kecamatan(kode_kabupaten: str) -> dict[str, str]:
    """Normalised kecamatan name -> kabupaten name, for the other kabupaten/kota of the same province."""
    from lokal import wilayah as gazetteer

    province = kode_kabupaten.split(".")[0]
    names: dict[str, str] = {}
    for kab in gazetteer.list_wilayah(province):
        if kab.code == kode_kabupaten:
            continue
        for kec in gazetteer.list_wilayah(kab.code):
            names.setdefault(wilayah.normalise_name(kec.name), kab.name)
    return names


def _outside_share(values: pd.Series, outside: Callable[[pd.Series], pd.Series]) -> tuple[float, str] | None:
    """(share of non-empty values flagged outside, the most common such value), or None without values."""
    present = values.dropna()
    if present.empty:
        return None
    flags = outside(present)
    common = present[flags].value_counts()
    return float(flags.mean()), (str(common.index[0]) if not common.empty else "")


def check_kabupaten(raw: pd.DataFrame, spec: InputSpec, kode_kabupaten: str = KODE_KABUPATEN) -> None:
    """Raise :class:`InputError` naming the file when a file points mostly outside the kabupaten.

    Each file is looked at separately: its ``Kabupaten/Kota`` values (another name or code), its
    ``Kode Kemdagri`` values (another prefix) and its ``Kecamatan`` names (names of kecamatan of another
    kabupaten of the province that are not kecamatan of this one; a mere typo is not counted, it is
    quarantined row by row).
    """
    kab_name = wilayah.kabupaten_name(kode_kabupaten)
    kab_key = wilayah.normalise_name(kab_name)
    kab_digits = kode_kabupaten.replace(".", "")
    foreign = _foreign_kecamatan(kode_kabupaten)

    def kab_outside(values: pd.Series) -> pd.Series:
        def one(value: str) -> bool:
            return not (wilayah.normalise_name(value) == kab_key or re.sub(r"\D", "", value) == kab_digits)

        return _map_unique(values, one, "boolean").fillna(False).astype(bool)

    def code_outside(values: pd.Series) -> pd.Series:
        def one(value: str) -> bool:
            digits = re.sub(r"\D", "", value)
            return len(digits) >= 4 and not digits.startswith(kab_digits)

        return _map_unique(values, one, "boolean").fillna(False).astype(bool)

    def kec_outside(values: pd.Series) -> pd.Series:
        inside = wilayah.resolve_kecamatan(values, kode_kabupaten).notna()
        elsewhere = _map_unique(values, lambda v: wilayah.normalise_name(v) in foreign, "boolean").fillna(False)
        return ~inside & elsewhere.astype(bool)

    checks = (("kabupaten", "Kabupaten/Kota", kab_outside), ("kode_kemendagri", "Kode Kemdagri", code_outside),
              ("kecamatan", "Kecamatan", kec_outside))  # fmt: skip
    for source, part in raw.groupby(SOURCE_FILE, sort=True):
        for column, header, outside in checks:
            if column not in part.columns:
                continue
            found = _outside_share(part[column].astype("string"), outside)
            if found is None or found[0] <= SHARE_OUTSIDE_MAX:
                continue
            example = found[1]
            if column == "kecamatan":
                example += f'", kecamatan di {foreign[wilayah.normalise_name(example)]}'
            else:
                example += '"'
            raise InputError(
                f"File {source} ({spec.description}) tampaknya bukan data {kab_name}: kolom \"{header}\" "
                f"menunjuk ke luar {kab_name} pada {round(100 * found[0])}% baris (misalnya \"{example}). "
                f"Keluarkan file ini dari folder data/raw atau ganti dengan file {kab_name} yang benar."
            )


# ---------------------------------------------------------------------------------------------------------
# Per-input cleaners
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Cleaned:
    """What a cleaner returns: the cleaned columns (same index as the input), quarantine reasons, fixes."""

    data: pd.DataFrame
    alasan: pd.Series
    perbaikan: dict[str, Any] = field(default_factory=dict)
    #: Rows naming a person that cannot be placed in a kecamatan/desa (SK: they stop the run, :mod:`helpers.guards`).
    tidak_tertempatkan: pd.Series | None = None


def _nik_fixes(status: pd.Series, prefix: str = "nik") -> dict[str, int]:
    counts = status.value_counts()
    names = {
        nikmod.NIK_DIPERBAIKI: "diperbaiki",
        nikmod.NIK_TIDAK_DAPAT_DIPULIHKAN: "tidak_dapat_dipulihkan",
        nikmod.NIK_TIDAK_VALID: "tidak_valid",
        nikmod.NIK_KOSONG: "kosong",
    }
    return {f"{prefix}_{label}": int(counts.get(code, 0)) for code, label in names.items()}


def _nik_mismatch(nik: pd.Series, tanggal_lahir: pd.Series, jenis_kelamin: pd.Series | None) -> dict[str, int]:
    """Warnings only: NIKs whose encoded birth date / sex differ from the recorded ones."""
    present = nik.dropna()  # nik_birth_info does not accept missing values
    info = nikmod.nik_birth_info(present).reindex(nik.index)
    known = nik.notna() & tanggal_lahir.notna()
    differs_date = known & (
        (info["hari"] != tanggal_lahir.dt.day)
        | (info["bulan"] != tanggal_lahir.dt.month)
        | (info["tahun2"] != tanggal_lahir.dt.year % 100)
    ).fillna(False)
    out = {"peringatan_nik_beda_tanggal_lahir": int(differs_date.sum())}
    if jenis_kelamin is not None:
        differs_sex = nik.notna() & jenis_kelamin.notna() & (info["jenis_kelamin"] != jenis_kelamin).fillna(False)
        out["peringatan_nik_beda_jenis_kelamin"] = int(differs_sex.sum())
    return out


def _regions(raw: pd.DataFrame, kode_kabupaten: str, perbaikan: dict, use_code: bool = True) -> pd.DataFrame:
    code = raw["kode_kemendagri"] if use_code and "kode_kemendagri" in raw.columns else None
    regions = resolve_regions(raw["kecamatan"], raw["desa"], code, kode_kabupaten)
    perbaikan["kecamatan_varian"] = region_variants(raw["kecamatan"], regions["nama_kecamatan"])
    by_name = ~regions["desa_dari_kode"]
    perbaikan["desa_varian"] = region_variants(raw["desa"][by_name], regions["nama_desa"][by_name])
    if code is not None:
        perbaikan["desa_dari_kode_kemdagri"] = int(regions["desa_dari_kode"].sum())
        perbaikan["kode_kemdagri_tidak_konsisten"] = int((code.notna() & ~regions["desa_dari_kode"]).sum())
    return regions


def _bad_desil(raw_desil: pd.Series, desil: pd.Series, reasons: Reasons) -> None:
    text = raw_desil.astype("string")
    reasons.add(text.isna(), "Desil kosong")
    reasons.add(text.notna() & desil.isna(), '"' + text.fillna("") + '" bukan desil yang sah (1 sampai 10)')


def _text_columns(raw: pd.DataFrame, columns: list[str]) -> dict[str, pd.Series]:
    return {c: tidy_text(raw[c]) for c in columns if c in raw.columns}


def _identity(raw: pd.DataFrame, reasons: Reasons, perbaikan: dict) -> tuple[pd.DataFrame, pd.Series]:
    """Normalised NIK (with its fixes counted) and tidied name; a row with neither is quarantined."""
    nik = normalise_nik(raw["nik"])
    perbaikan.update(_nik_fixes(nik["nik_status"]))
    nama = tidy_name(raw["nama"])
    reasons.add(nik["nik"].isna() & nama.isna(), "NIK dan nama sama-sama kosong/tidak terbaca")
    return nik, nama


def _person(
    raw: pd.DataFrame, nik: pd.DataFrame, nama: pd.Series, jenis_kelamin: pd.Series, tanggal_lahir: pd.Series,
    regions: pd.DataFrame,
) -> dict[str, pd.Series]:
    """The person columns a register shares (P3KE and DTSEN individu), in table order."""
    return {
        "nik": nik["nik"],
        "nik_status": nik["nik_status"].astype("string"),
        "nama": nama,
        "nama_kunci": name_key(nama),
        "jenis_kelamin": jenis_kelamin,
        "tanggal_lahir": tanggal_lahir,
        "hubungan_kk": tidy_text(raw["hubungan_kk"]),
        **regions[["kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa"]],
    }


def clean_p3ke(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> Cleaned:
    """P3KE individu. Quarantined: no NIK and no name, unknown kecamatan/desa, missing or bad desil.
    A NIK that cannot be recovered is kept as missing, flagged in ``nik_status`` (name matching still works)."""
    perbaikan: dict[str, Any] = {}
    reasons = Reasons(raw.index)
    nik, nama = _identity(raw, reasons, perbaikan)
    regions = _regions(raw, kode_kabupaten, perbaikan)
    reasons.add(regions["alasan_wilayah"].notna(), regions["alasan_wilayah"])
    desil = parse_desil(raw["desil"])
    _bad_desil(raw["desil"], desil, reasons)
    tanggal_lahir = parse_dates(raw["tanggal_lahir"])
    jenis_kelamin = parse_sex(raw["jenis_kelamin"])
    perbaikan["tanggal_lahir_tidak_terbaca"] = int((raw["tanggal_lahir"].notna() & tanggal_lahir.isna()).sum())
    perbaikan["jenis_kelamin_tidak_dikenal"] = int((raw["jenis_kelamin"].notna() & jenis_kelamin.isna()).sum())
    perbaikan.update(_nik_mismatch(nik["nik"], tanggal_lahir, jenis_kelamin))
    data = pd.DataFrame(
        {
            "id_keluarga": tidy_text(raw["id_keluarga"]),
            "id_individu": tidy_text(raw["id_individu"]),
            **_person(raw, nik, nama, jenis_kelamin, tanggal_lahir, regions),
            "desil": desil,
            **_text_columns(
                raw,
                ["kode_kemendagri", "provinsi", "kabupaten", "padan_dukcapil", "status_kawin", "pekerjaan", "pendidikan"],
            ),
        },
        index=raw.index,
    )
    return Cleaned(data, reasons.result(), perbaikan)


#: The DTSEN decile columns (processed names) with the header an analyst sees.
DESIL_DTSEN_COLUMNS = {"desil_nasional": "Desil Nasional", "desil_provinsi": "Desil Provinsi",
                       "desil_kabupaten": "Desil Kabupaten/Kota"}  # fmt: skip
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def parse_year(values: pd.Series) -> pd.Series:
    """The year of a data period: ``"2025"``, ``"Maret 2025"``, ``"2025-03"`` -> 2025; anything else missing."""

    def one(value: str) -> object:
        found = _YEAR.search(value)
        return int(found.group(1)) if found else pd.NA

    return _map_unique(values, one, "Int64")


def clean_dtsen(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> Cleaned:
    """DTSEN individu (the whole population, keyed by NIK and KK number). Built from the P3KE building blocks:
    quarantined like P3KE (no NIK and no name, unknown kecamatan/desa), plus a row whose three deciles are all
    empty and a decile cell that is not 1-10. A decile column the export lacks stays empty (the matching step
    refuses a ``desil_dtsen`` choice the data does not carry)."""
    perbaikan: dict[str, Any] = {}
    reasons = Reasons(raw.index)
    nik, nama = _identity(raw, reasons, perbaikan)
    regions = _regions(raw, kode_kabupaten, perbaikan)
    reasons.add(regions["alasan_wilayah"].notna(), regions["alasan_wilayah"])
    deciles = {}
    for column, header in DESIL_DTSEN_COLUMNS.items():
        text = raw[column].astype("string")
        deciles[column] = parse_desil(text)
        reasons.add(text.notna() & deciles[column].isna(),
                    '"' + text.fillna("") + f'" bukan {header.lower()} yang sah (1 sampai 10)')  # fmt: skip
    no_decile = pd.concat([raw[c].astype("string").isna() for c in DESIL_DTSEN_COLUMNS], axis=1).all(axis=1)
    reasons.add(no_decile, "Desil kosong (desil nasional, provinsi dan kabupaten/kota semuanya kosong)")
    tanggal_lahir = parse_dates(raw["tanggal_lahir"])
    jenis_kelamin = parse_sex(raw["jenis_kelamin"])
    perbaikan["tanggal_lahir_tidak_terbaca"] = int((raw["tanggal_lahir"].notna() & tanggal_lahir.isna()).sum())
    perbaikan["jenis_kelamin_tidak_dikenal"] = int((raw["jenis_kelamin"].notna() & jenis_kelamin.isna()).sum())
    perbaikan.update(_nik_mismatch(nik["nik"], tanggal_lahir, jenis_kelamin))
    no_kk = normalise_nik(raw["no_kk"])
    perbaikan.update(_nik_fixes(no_kk["nik_status"], "no_kk"))
    tahun = parse_year(raw["tahun_data"])
    perbaikan["tahun_data_tidak_terbaca"] = int((raw["tahun_data"].notna() & tahun.isna()).sum())
    data = pd.DataFrame(
        {
            "no_kk": no_kk["nik"],
            **_person(raw, nik, nama, jenis_kelamin, tanggal_lahir, regions),
            **deciles,
            **_text_columns(raw, ["kode_kemendagri", "provinsi", "kabupaten", "alamat"]),
            "tahun_data": tahun,
        },
        index=raw.index,
    )
    return Cleaned(data, reasons.result(), perbaikan)


KELUARGA_DETAIL_COLUMNS = [
    "jenis_atap", "jenis_dinding", "jenis_lantai", "sumber_penerangan", "bahan_bakar_memasak", "sumber_air_minum",
    "fasilitas_bab", "kepemilikan_rumah", "penerima_pkh", "penerima_bpnt", "penerima_bpum", "penerima_bst",
    "penerima_sembako", "resiko_stunting",
]  # fmt: skip


def clean_p3ke_keluarga(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> Cleaned:
    """P3KE keluarga. Quarantined: no family id, unknown kecamatan/desa, missing or bad desil."""
    perbaikan: dict[str, Any] = {}
    reasons = Reasons(raw.index)
    id_keluarga = tidy_text(raw["id_keluarga"])
    reasons.add(id_keluarga.isna(), "ID Keluarga P3KE kosong")
    regions = _regions(raw, kode_kabupaten, perbaikan)
    reasons.add(regions["alasan_wilayah"].notna(), regions["alasan_wilayah"])
    desil = parse_desil(raw["desil"])
    _bad_desil(raw["desil"], desil, reasons)
    nik_kk = normalise_nik(raw["nik_kepala_keluarga"])
    perbaikan.update(_nik_fixes(nik_kk["nik_status"], "nik_kepala_keluarga"))
    data = pd.DataFrame(
        {
            "id_keluarga": id_keluarga,
            **regions[["kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa"]],
            "desil": desil,
            "kepala_keluarga": tidy_name(raw["kepala_keluarga"]),
            "nik_kepala_keluarga": nik_kk["nik"],
            "alamat": tidy_text(raw["alamat"]),
            **_text_columns(raw, KELUARGA_DETAIL_COLUMNS),
        },
        index=raw.index,
    )
    return Cleaned(data, reasons.result(), perbaikan)


def clean_sk(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN, key: bytes | None = None) -> Cleaned:
    """SK Bupati list. Always kept (a bad NIK is still matched by name) unless it has neither NIK nor name,
    or its kecamatan/desa is unknown. ``id_sasaran`` derives from the person under the pseudonym ``key``
    (:mod:`helpers.cleaning.ids`, :func:`helpers.keys.key_for_run`)."""
    if key is None:
        raise ValueError("clean_sk needs the pseudonym key of id_sasaran (helpers.keys.key_for_run)")
    perbaikan: dict[str, Any] = {}
    reasons = Reasons(raw.index)
    nik, nama = _identity(raw, reasons, perbaikan)
    regions = _regions(raw, kode_kabupaten, perbaikan, use_code=False)
    reasons.add(regions["alasan_wilayah"].notna(), regions["alasan_wilayah"])
    tanggal_lahir = parse_dates(raw["tanggal_lahir"])
    perbaikan["tanggal_lahir_tidak_terbaca"] = int((raw["tanggal_lahir"].notna() & tanggal_lahir.isna()).sum())
    perbaikan.update(_nik_mismatch(nik["nik"], tanggal_lahir, None))
    no_kk = normalise_nik(raw["no_kk"])
    perbaikan.update(_nik_fixes(no_kk["nik_status"], "no_kk"))
    data = pd.DataFrame(
        {
            "no": tidy_text(raw["no"]),
            "nik": nik["nik"],
            "nik_status": nik["nik_status"].astype("string"),
            "nama": nama,
            "nama_kunci": name_key(nama),
            **regions[["kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa"]],
            "alamat": tidy_text(raw["alamat"]),
            "tanggal_lahir": tanggal_lahir,
            "no_kk": no_kk["nik"],
        },
        index=raw.index,
    )
    alasan = reasons.result()
    data.insert(0, "id_sasaran", ids.assign_ids(data, alasan.isna(), key))
    perbaikan["id_sasaran_bentrok"] = int(ids.base_of(data["id_sasaran"][alasan.isna()]).duplicated().sum())
    someone = raw["nik"].notna() | nama.notna()
    return Cleaned(data, alasan, perbaikan, tidak_tertempatkan=regions["alasan_wilayah"].notna() & someone)


def _usable_nik(raw: pd.DataFrame, reasons: Reasons, perbaikan: dict) -> pd.DataFrame:
    nik = normalise_nik(raw["nik"])
    perbaikan.update(_nik_fixes(nik["nik_status"]))
    text = raw["nik"].astype("string").fillna("")
    messages = nik["nik_status"].map(
        {
            nikmod.NIK_KOSONG: "NIK kosong",
            nikmod.NIK_TIDAK_DAPAT_DIPULIHKAN: "NIK rusak oleh Excel (digit hilang), tidak dapat dipulihkan: "
            "minta ekspor ulang dengan kolom NIK sebagai teks",
            nikmod.NIK_TIDAK_VALID: "NIK tidak valid (harus 16 digit dengan tanggal lahir yang mungkin)",
        }
    )
    messages = messages.astype("string")
    with_value = nik["nik_status"] != nikmod.NIK_KOSONG
    messages = messages.where(~with_value, messages + ' ("' + text.map(mask_raw_nik).astype("string") + '")')
    reasons.add(nik["nik"].isna(), messages)
    return nik


def _required_date(
    raw: pd.Series, label: str, reasons: Reasons, mask: pd.Series | None = None, empty_message: str | None = None
) -> pd.Series:
    parsed = parse_dates(raw)
    text = raw.astype("string")
    applies = pd.Series(True, index=raw.index) if mask is None else mask
    reasons.add(applies & text.isna(), empty_message or f"{label} kosong")
    reasons.add(
        applies & text.notna() & parsed.isna(),
        f"{label} " + '"' + text.fillna("") + '" tidak dapat dibaca (gunakan TTTT-BB-HH atau HH/BB/TTTT)',
    )
    return parsed


def clean_intervensi(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> Cleaned:
    """Intervention records. Quarantined: no usable NIK or date, or a strategy that can be neither read
    nor derived from the programme (the message says to add the programme to ``program_strategi.csv``).

    A row of an OPD's BNBA workbook (it carries ``ID Sasaran``, :mod:`helpers.publishing.forms_opd`) left empty
    (no programme, date, strategy or status) is kept as "belum diisi" (``tanggal_intervensi`` and ``strategi``
    empty, never a record; counted in ``belum_diisi``); such a row with a status outside the list, or with a date or
    status but no programme, is quarantined."""
    perbaikan: dict[str, Any] = {}
    reasons = Reasons(raw.index)
    nik = _usable_nik(raw, reasons, perbaikan)
    program = tidy_text(raw["program"])
    strategy_text = raw["strategi"].astype("string")
    status_text = tidy_text(raw["status_opd"])
    form_id = tidy_text(raw["id_sasaran"]) if "id_sasaran" in raw.columns else pd.Series(pd.NA, index=raw.index,
                                                                                        dtype="string")  # fmt: skip
    form_row = form_id.notna()
    empty_form = form_row & program.isna() & raw["tanggal_intervensi"].isna() & strategy_text.isna() & status_text.isna()
    perbaikan["belum_diisi"] = int(empty_form.sum())
    tanggal = _required_date(raw["tanggal_intervensi"], "Tanggal intervensi", reasons, mask=~empty_form)
    given = parse_strategy(raw["strategi"])
    derived = strategy_from_programme(program)
    strategi = given.fillna(derived)
    perbaikan["strategi_dari_program"] = int((given.isna() & derived.notna()).sum())
    perbaikan["strategi_tidak_dikenal_diganti_dari_program"] = int(
        (strategy_text.notna() & given.isna() & derived.notna()).sum()
    )
    unknown = strategi.isna() & ~empty_form
    strategy_part = ('Strategi "' + strategy_text.fillna("") + '" tidak dikenal').where(
        strategy_text.notna(), "kolom Strategi kosong"
    )
    no_programme = form_row & program.isna()
    reasons.add(no_programme & unknown, FORM_PROGRAMME_EMPTY)
    reasons.add(
        unknown & ~no_programme,
        'Program "' + program.fillna("(kosong)") + '" tidak dikenal dan ' + strategy_part
        + f"; tambahkan program ini beserta strateginya ke {PROGRAMME_TABLE_HINT} atau isi kolom Strategi dengan "
        + "salah satu dari: " + ", ".join(STRATEGI),
    )  # fmt: skip
    status = parse_status_opd(raw["status_opd"])
    unreadable = status_text.notna() & status.isna()
    reasons.add(form_row & unreadable, 'Status Intervensi "' + status_text.fillna("") + FORM_STATUS_UNKNOWN)
    perbaikan["status_opd_tidak_dikenal"] = int((unreadable & ~form_row).sum())
    perbaikan["status_opd_tidak_dikenal_nilai"] = sorted(status_text[unreadable & ~form_row].unique().tolist())
    data = pd.DataFrame(
        {
            "nik": nik["nik"],
            "nik_status": nik["nik_status"].astype("string"),
            "nama": tidy_name(raw["nama"]),
            "opd": tidy_text(raw["opd"]),
            "program": program,
            "tanggal_intervensi": tanggal,
            "strategi": strategi.where(~empty_form),
            "status_opd": status,
            "id_sasaran_formulir": form_id,
        },
        index=raw.index,
    )
    return Cleaned(data, reasons.result(), perbaikan)


#: Quarantine reasons of a row of an OPD's BNBA workbook.
FORM_PROGRAMME_EMPTY = ("Program kosong: pilih program dari daftar di kolom Program (baris formulir OPD yang diisi "
                        "tanggal atau status harus menyebut programnya)")  # fmt: skip
FORM_STATUS_UNKNOWN = '" tidak dikenal: pilih Optimal atau Belum Optimal dari daftar'


def _normalise_status(values: pd.Series) -> pd.Series:
    from helpers.vocabulary import normalise_status

    text = values.astype("string")
    uniques = pd.Series(text.dropna().unique(), dtype="string")
    mapping = dict(zip(uniques, normalise_status(uniques)))
    return text.map(mapping).astype("string")


def _unknown_status_message(value: object) -> object:
    from helpers.vocabulary import unknown_status_message

    return pd.NA if value is None or value is pd.NA else unknown_status_message(value)


def _putaran(raw: pd.DataFrame, perbaikan: dict) -> pd.Series:
    """The optional form round number (``Putaran``): a whole number >= 1, else missing (counted, not quarantined:
    the record then falls into the round of its ISO week)."""
    text = tidy_text(raw["putaran"]) if "putaran" in raw.columns else pd.Series(pd.NA, index=raw.index, dtype="string")
    number = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    whole = number.notna() & (number >= 1) & (number == number.round())
    perbaikan["putaran_tidak_terbaca"] = int((text.notna() & ~whole).sum())
    return number.where(whole).astype("Int64")


def _nik_temuan(raw: pd.DataFrame, perbaikan: dict) -> pd.Series:
    """The optional NIK written in the field for a person without a P3KE record (``NIK Temuan Lapangan``),
    normalised; an unusable one becomes missing (counted)."""
    if "nik_temuan" not in raw.columns:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    found = normalise_nik(raw["nik_temuan"])
    filled = found["nik_status"] != nikmod.NIK_KOSONG
    perbaikan["nik_temuan_tidak_valid"] = int((filled & found["nik"].isna()).sum())
    return found["nik"].astype("string")


def clean_verifikasi(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> Cleaned:
    """Verification records of the camat. Quarantined: no usable NIK, an unknown status, a status without a
    date or a date without a status. A form row left empty (no status, no date) is kept: "belum diisi".
    The optional ``Putaran`` and ``NIK Temuan Lapangan`` columns are kept when readable (older forms lack them)."""
    perbaikan: dict[str, Any] = {}
    reasons = Reasons(raw.index)
    nik = _usable_nik(raw, reasons, perbaikan)
    status_text = tidy_text(raw["status_keberadaan"])
    status = _normalise_status(status_text).astype("string")
    date_text = raw["tanggal_verifikasi"].astype("string")
    empty_form = status_text.isna() & date_text.isna()
    tanggal = _required_date(
        raw["tanggal_verifikasi"],
        "Tanggal verifikasi",
        reasons,
        mask=status_text.notna(),
        empty_message="Status keberadaan terisi tetapi tanggal verifikasi kosong",
    )
    unknown = status_text.notna() & status.isna()
    reasons.add(unknown, status_text.map(_unknown_status_message).astype("string"))
    reasons.add(status_text.isna() & date_text.notna(), "Tanggal verifikasi terisi tetapi status keberadaan kosong")
    perbaikan["belum_diisi"] = int((empty_form & nik["nik"].notna()).sum())
    kecamatan = raw["kecamatan"] if "kecamatan" in raw.columns else pd.Series(pd.NA, index=raw.index, dtype="string")
    regions = resolve_regions(kecamatan, raw["desa"], None, kode_kabupaten)
    perbaikan["wilayah_tidak_dikenal"] = int((kecamatan.notna() & regions["kode_desa"].isna()).sum())
    data = pd.DataFrame(
        {
            "nik": nik["nik"],
            "nik_status": nik["nik_status"].astype("string"),
            "status_keberadaan": status,
            "kondisi": tidy_text(raw["kondisi"]),
            "tanggal_verifikasi": tanggal.where(status.notna()),
            "nama": tidy_name(raw["nama"]),
            "kode_kecamatan": regions["kode_kecamatan"],
            "kode_desa": regions["kode_desa"],
            "keterangan": tidy_text(raw["keterangan"]),
            "petugas": tidy_text(raw["petugas"]),
            "putaran": _putaran(raw, perbaikan),
            "nik_temuan": _nik_temuan(raw, perbaikan),
        },
        index=raw.index,
    )
    return Cleaned(data, reasons.result(), perbaikan)


#: The "Keputusan" choices of the decisions workbook (compared ignoring case and spaces).
KEPUTUSAN_KANDIDAT = {f"kandidat {k}": f"nik_kandidat_{k}" for k in (1, 2, 3)}
KEPUTUSAN_TIDAK_ADA = "tidak ada di p3ke"
KEPUTUSAN_NIK_LAIN = "nik p3ke lain"


def clean_keputusan_padan(raw: pd.DataFrame, kode_kabupaten: str = KODE_KABUPATEN) -> Cleaned:
    """Reviewers' decisions (``keputusan_padan.xlsx``): per SK person a P3KE NIK (a candidate of the row, or
    one written in "NIK P3KE") or "Tidak ada di P3KE". A row without a decision is kept as undecided
    (``keputusan`` missing); quarantined: an unknown choice, a chosen candidate the row does not carry, a
    P3KE NIK that is not 16 digits."""
    reasons = Reasons(raw.index)
    choice = tidy_text(raw["keputusan"]).str.lower().str.replace(r"\s+", " ", regex=True)
    written = raw["nik_p3ke"].astype("string").str.replace(r"\D", "", regex=True).replace("", pd.NA)
    nik = pd.Series(pd.NA, index=raw.index, dtype="string")
    for label, column in KEPUTUSAN_KANDIDAT.items():
        chosen = choice == label
        nik = nik.mask(chosen, raw[column].astype("string").str.replace(r"\D", "", regex=True))
        reasons.add(chosen & raw[column].isna(), f'Keputusan "{label.title()}" tetapi baris ini tidak punya {label}')
    nik = nik.mask(choice == KEPUTUSAN_NIK_LAIN, written)
    reasons.add((choice == KEPUTUSAN_NIK_LAIN) & written.isna(), 'Keputusan "NIK P3KE lain" tetapi NIK P3KE kosong')
    reasons.add(nik.notna() & ~nik.str.fullmatch(r"\d{16}").fillna(False), "NIK P3KE harus 16 angka")
    known = choice.isin([*KEPUTUSAN_KANDIDAT, KEPUTUSAN_TIDAK_ADA, KEPUTUSAN_NIK_LAIN]) | choice.isna()
    reasons.add(~known, choice.map(lambda c: f'Keputusan "{c}" tidak dikenal: pilih dari daftar (Kandidat 1–3, '
                                             '"NIK P3KE lain" atau "Tidak ada di P3KE")').astype("string"))
    keputusan = nik.mask(choice == KEPUTUSAN_TIDAK_ADA, "tidak ada di P3KE")
    data = pd.DataFrame(
        {
            "id_sasaran": tidy_text(raw["id_sasaran"]),
            "keputusan": keputusan.astype("string"),
            "diputuskan_oleh": tidy_text(raw["diputuskan_oleh"]),
            "tanggal": parse_dates(raw["tanggal_keputusan"]),
            "keterangan": tidy_text(raw["keterangan"]),
        },
        index=raw.index,
    )
    reasons.add(data["id_sasaran"].isna() & choice.notna(), "ID Sasaran kosong")
    return Cleaned(data, reasons.result(), {"belum_diputuskan": int(choice.isna().sum())})


CLEANERS: dict[str, Callable[[pd.DataFrame, str], Cleaned]] = {
    "p3ke": clean_p3ke,
    "p3ke_keluarga": clean_p3ke_keluarga,
    "sk": clean_sk,
    "intervensi": clean_intervensi,
    "verifikasi": clean_verifikasi,
    "keputusan_padan": clean_keputusan_padan,
    "dtsen": clean_dtsen,
}


# ---------------------------------------------------------------------------------------------------------
# One input, all inputs
# ---------------------------------------------------------------------------------------------------------


#: Fate of each row read, for the counts per source file and sheet.
_FATES = ("baris_bersih", "baris_duplikat", "baris_karantina")


@dataclass
class CleanedInput:
    """One input after cleaning: the processed table, its quarantine and the counts that must add up, in total
    and per source file and sheet (``per_sumber``)."""

    name: str
    table: str
    data: pd.DataFrame
    karantina: pd.DataFrame
    baris_masuk: int
    baris_duplikat: int
    perbaikan: dict[str, Any]
    contoh_nik: pd.DataFrame
    per_sumber: dict[str, dict[str, int]] = field(default_factory=dict)
    lembar: list[SheetNote] = field(default_factory=list)
    selisih_jumlah: list[dict[str, Any]] = field(default_factory=list)
    #: Positions (in the frame read) of the footer rows: totals, signature block.
    baris_kaki: pd.Index = field(default_factory=pd.Index)
    #: Rows naming a person without a resolvable kecamatan/desa (SK): raw ``kecamatan``, ``desa``, source, ``alasan``.
    tidak_tertempatkan: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Records repeating an earlier one once normalised (intervensi; counted in ``baris_duplikat``), for review.
    ganda: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def baris_bersih(self) -> int:
        return len(self.data)

    @property
    def baris_karantina(self) -> int:
        return len(self.karantina)

    def check_conservation(self) -> None:
        counts = {"": {"baris_masuk": self.baris_masuk, "baris_bersih": self.baris_bersih,
                       "baris_duplikat": self.baris_duplikat, "baris_karantina": self.baris_karantina}}  # fmt: skip
        for source, c in {**counts, **self.per_sumber}.items():
            total = sum(c[k] for k in _FATES)
            if total != c["baris_masuk"]:
                where = f"Input {self.name}" + (f" ({source})" if source else "")
                raise ConservationError(
                    f"{where}: {c['baris_masuk']} baris dibaca tetapi {c['baris_bersih']} bersih + "
                    f"{c['baris_duplikat']} duplikat + {c['baris_karantina']} karantina = {total}. Ada baris yang "
                    "hilang atau tercipta: ini kesalahan program, laporkan ke pengembang."
                )
        if sum(c["baris_masuk"] for c in self.per_sumber.values()) != self.baris_masuk:
            raise ConservationError(f"Input {self.name}: jumlah baris per file/lembar tidak sama dengan total.")

    def ringkasan(self) -> dict[str, Any]:
        return {
            "baris_masuk": int(self.baris_masuk),
            "baris_bersih": int(self.baris_bersih),
            "baris_duplikat": int(self.baris_duplikat),
            "baris_karantina": int(self.baris_karantina),
            "perbaikan": _plain(self.perbaikan),
            "per_sumber": _plain(self.per_sumber),
            "lembar_tidak_dibaca": [note.as_dict() for note in self.lembar],
            "selisih_jumlah": _plain(self.selisih_jumlah),
        }


def _plain(value: Any) -> Any:
    """JSON-ready: numpy scalars to Python, dicts sorted by key."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def data_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in SOURCE_COLUMNS]


def karantina_frame(raw: pd.DataFrame, alasan: pd.Series, spec: InputSpec) -> pd.DataFrame:
    """The quarantined rows as read (contract headers), with ``sumber_file``, ``baris_sumber`` and ``alasan``."""
    columns = [COLUMN_NAMES[h] for h in spec.all_columns]
    out = raw[columns + list(SOURCE_COLUMNS)].rename(columns=_HEADER_OF)
    out["alasan"] = alasan.astype("string")
    return out.reset_index(drop=True)


def _nik_examples(raw: pd.DataFrame, data: pd.DataFrame, limit: int = 5) -> pd.DataFrame:
    """A few NIKs that were repaired or could not be recovered, masked, for the notebook."""
    if "nik_status" not in data.columns:
        return pd.DataFrame(columns=["nik_mentah", "nik_bersih", "nik_status"])
    shown = []
    for status in (nikmod.NIK_DIPERBAIKI, nikmod.NIK_TIDAK_DAPAT_DIPULIHKAN, nikmod.NIK_TIDAK_VALID):
        rows = data.index[data["nik_status"] == status][:limit]
        shown.append(
            pd.DataFrame(
                {
                    "nik_mentah": raw.loc[rows, "nik"].map(mask_raw_nik).astype("string"),
                    "nik_bersih": nikmod.mask_series(data.loc[rows, "nik"]),
                    "nik_status": data.loc[rows, "nik_status"],
                }
            )
        )
    return pd.concat(shown, ignore_index=True)


def _per_source(raw: pd.DataFrame, fate: pd.Series) -> dict[str, dict[str, int]]:
    """Rows read, kept, duplicated and quarantined per ``sumber_file`` (file, or file#sheet), in reading order."""
    table = pd.crosstab(raw[SOURCE_FILE].astype(str), fate).reindex(columns=list(_FATES), fill_value=0)
    order = list(dict.fromkeys(raw[SOURCE_FILE].astype(str)))
    out = {}
    for source in order:
        counts = {k: int(table.loc[source, k]) for k in _FATES}
        out[source] = {"baris_masuk": sum(counts.values()), **counts}
    return out


#: Columns that make two cleaned rows the same record (``program`` compared ignoring case); only for these inputs.
RECORD_KEYS = {"intervensi": ("nik", "program", "tanggal_intervensi", "strategi", "status_opd")}
REPEATED_COLUMNS = ["nik_tersamar", "opd", "program", "tanggal_intervensi", "sumber_file", "baris_sumber",
                    "sama_dengan", "alasan"]  # fmt: skip


def repeated_records(name: str, data: pd.DataFrame, sources: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """(mask of rows of ``data`` repeating an earlier row's record (:data:`RECORD_KEYS`), their review list).

    ``data``: the cleaned rows kept so far, in reading order; ``sources``: their ``sumber_file`` and
    ``baris_sumber``. The first row of a record is kept; each repeat is listed with the row it repeats."""
    keys = RECORD_KEYS.get(name)
    if keys is None or data.empty:
        return pd.Series(False, index=data.index), pd.DataFrame(columns=REPEATED_COLUMNS)
    records = data["tanggal_intervensi"].notna()
    if not records.all():  # a form row left empty is no record: never a repeat
        repeat, listed = repeated_records(name, data[records], sources[records])
        return repeat.reindex(data.index, fill_value=False).astype(bool), listed
    frame = data[list(keys)].copy()
    frame["program"] = frame["program"].str.casefold()
    record = pd.util.hash_pandas_object(frame, index=False)  # one value per record; missing values equal each other
    repeat = record.duplicated(keep="first")
    if not repeat.any():
        return repeat, pd.DataFrame(columns=REPEATED_COLUMNS)
    first = frame.index.to_series().groupby(record.to_numpy(), sort=False).transform("first")
    where = sources[SOURCE_FILE].astype(str) + " baris " + sources[SOURCE_ROW].astype(str)
    rows = data[repeat]
    listed = pd.DataFrame(
        {
            "nik_tersamar": nikmod.mask_series(rows["nik"]),
            "opd": rows["opd"],
            "program": rows["program"],
            "tanggal_intervensi": pd.to_datetime(rows["tanggal_intervensi"]).dt.strftime("%Y-%m-%d"),
            "sumber_file": sources.loc[repeat[repeat].index, SOURCE_FILE].astype("string"),
            "baris_sumber": sources.loc[repeat[repeat].index, SOURCE_ROW].astype("Int64"),
            "sama_dengan": first[repeat].map(where).astype("string"),
        }
    )
    listed["alasan"] = ("Catatan intervensi yang sama (NIK, program, tanggal, strategi dan status sama) sudah ada di "
                        + listed["sama_dengan"] + ": dihitung satu kali. Bila memang dua kali diterima, bedakan "
                        "tanggalnya di file sumber.")  # fmt: skip
    return repeat, listed[REPEATED_COLUMNS].reset_index(drop=True)


def clean_frame(
    raw: pd.DataFrame,
    spec: InputSpec,
    kode_kabupaten: str = KODE_KABUPATEN,
    lembar: list[SheetNote] | None = None,
    key: bytes | None = None,
) -> CleanedInput:
    """Clean one input already read by :func:`helpers.reading.readers.read_input_sheets` (used by
    :func:`clean_input` and tests); ``lembar``: the sheets the reader did not read, kept for the summary; ``key``:
    the pseudonym key of ``id_sasaran`` (needed for the SK)."""
    from helpers.cleaning.schemas import validate

    check_kabupaten(raw, spec, kode_kabupaten)
    raw = raw.reset_index(drop=True)
    footer = footer_reasons(raw)
    mismatches = count_mismatches(raw, footer)
    for mismatch in mismatches:
        warnings.warn(mismatch["pesan"], UserWarning, stacklevel=2)
    body = raw[footer.isna()]
    duplicated = body.duplicated(subset=data_columns(body), keep="first") if len(body) else pd.Series(dtype=bool)
    unique = body[~duplicated]
    cleaner = CLEANERS[spec.name]
    cleaned = cleaner(unique, kode_kabupaten, key) if cleaner is clean_sk else cleaner(unique, kode_kabupaten)
    rejected = cleaned.alasan.notna()
    repeat, ganda = repeated_records(spec.name, cleaned.data[~rejected], unique.loc[~rejected, list(SOURCE_COLUMNS)])
    repeat = repeat.reindex(unique.index, fill_value=False).astype(bool)
    table_name = TABLE_NAMES[spec.name]
    keep = ~rejected & ~repeat
    kept = cleaned.data[keep].copy()
    kept[SOURCE_FILE] = unique.loc[keep, SOURCE_FILE].astype("string")
    kept[SOURCE_ROW] = unique.loc[keep, SOURCE_ROW].astype("Int64")
    kept = validate(table_name, kept.reset_index(drop=True))
    alasan = pd.concat([footer.dropna(), cleaned.alasan[rejected]]).sort_index()
    fate = pd.Series("baris_karantina", index=raw.index)
    fate[duplicated[duplicated].index] = "baris_duplikat"
    fate[unique.index[repeat.to_numpy()]] = "baris_duplikat"
    fate[unique.index[keep.to_numpy()]] = "baris_bersih"
    perbaikan = {**cleaned.perbaikan, "baris_kaki_tabel": int(footer.notna().sum())}
    if spec.name in RECORD_KEYS:
        perbaikan["catatan_ganda"] = int(repeat.sum())
    unplaced = pd.DataFrame()
    if cleaned.tidak_tertempatkan is not None:
        rows = cleaned.tidak_tertempatkan[cleaned.tidak_tertempatkan].index
        unplaced = unique.loc[rows, ["kecamatan", "desa", *SOURCE_COLUMNS]].assign(alasan=cleaned.alasan[rows])
    result = CleanedInput(
        name=spec.name,
        table=table_name,
        data=kept,
        karantina=karantina_frame(raw.loc[alasan.index], alasan, spec),
        baris_masuk=len(raw),
        baris_duplikat=int(duplicated.sum() + repeat.sum()),
        perbaikan=perbaikan,
        contoh_nik=_nik_examples(unique, cleaned.data),
        per_sumber=_per_source(raw, fate),
        lembar=list(lembar or []),
        selisih_jumlah=mismatches,
        baris_kaki=footer.index[footer.notna()],
        tidak_tertempatkan=unplaced.reset_index(drop=True),
        ganda=ganda,
    )
    result.check_conservation()
    return result


def clean_input(
    raw_dir: Path,
    spec: InputSpec,
    kode_kabupaten: str = KODE_KABUPATEN,
    workers: int = 1,
    progress: bool = False,
    cache_dir: Path | ReadCache | None = None,
    key: bytes | None = None,
    kunci_dir: Path | None = None,
) -> tuple[CleanedInput, pd.DataFrame]:
    """Read and clean one input (unchanged files from ``cache_dir``, see :mod:`helpers.reading.readers`; a
    workbook returned still encrypted is opened with a password of ``kunci_dir``); returns the result and the
    raw rows other than footers (for the naive comparison). ``key``: the pseudonym key (the SK needs it)."""
    raw, lembar = read_input_sheets(
        Path(raw_dir), spec, workers=workers, progress=progress, cache_dir=cache_dir, kunci_dir=kunci_dir
    )
    result = clean_frame(raw, spec, kode_kabupaten, lembar, key)
    return result, raw.reset_index(drop=True).drop(index=result.baris_kaki)


@dataclass
class CleaningResult:
    """All inputs after cleaning, and where they were written."""

    inputs: dict[str, CleanedInput]
    processed_dir: Path
    padan_naif: dict[str, int] = field(default_factory=dict)
    run_id: str = field(default_factory=runs.new_run_id)
    #: Fingerprint of the pseudonym key the ids were made under (:func:`helpers.keys.fingerprint`).
    sidik_kunci: str = ""

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {c.table: c.data for c in self.inputs.values()}

    def ringkasan(self) -> dict[str, Any]:
        return {name: c.ringkasan() for name, c in self.inputs.items()}

    def sheets_table(self) -> pd.DataFrame:
        """Sheets not read (empty or text only: ``dilewati``; data without headers: ``tidak_terbaca``) and
        sheets whose total row disagrees with the rows read (``selisih_jumlah``), for the notebook."""
        rows = [
            (name, note.sumber_file, note.status, note.alasan) for name, c in self.inputs.items() for note in c.lembar
        ]
        rows += [(name, m["sumber_file"], "selisih_jumlah", m["pesan"]) for name, c in self.inputs.items()
                 for m in c.selisih_jumlah]  # fmt: skip
        return pd.DataFrame(rows, columns=["input", "sumber_file", "status", "alasan"])

    def sources_table(self, name: str) -> pd.DataFrame:
        """Rows read, kept, duplicated and quarantined per file and sheet of one input."""
        counts = self.inputs[name].per_sumber
        return pd.DataFrame([{"sumber_file": k, **v} for k, v in counts.items()])

    def conservation_table(self) -> pd.DataFrame:
        """One row per input: rows read, kept, duplicates, quarantined, and whether they add up."""
        rows = []
        for name, c in self.inputs.items():
            rows.append(
                {
                    "input": name,
                    "baris_masuk": c.baris_masuk,
                    "baris_bersih": c.baris_bersih,
                    "baris_duplikat": c.baris_duplikat,
                    "baris_karantina": c.baris_karantina,
                    "seimbang": c.baris_masuk == c.baris_bersih + c.baris_duplikat + c.baris_karantina,
                }
            )
        return pd.DataFrame(rows)

    def quarantine_examples(self, per_input: int = 3) -> pd.DataFrame:
        """A few quarantined rows per input with their reason; NIKs masked, for the notebook."""
        frames = []
        for name, c in self.inputs.items():
            part = c.karantina.head(per_input)
            if part.empty:
                continue
            frames.append(
                pd.DataFrame(
                    {
                        "input": name,
                        "sumber_file": part[SOURCE_FILE],
                        "baris_sumber": part[SOURCE_ROW],
                        "nik_tersamar": _first_nik_column(part).map(mask_raw_nik),
                        "alasan": part["alasan"],
                    }
                )
            )
        if not frames:
            return pd.DataFrame(columns=["input", "sumber_file", "baris_sumber", "nik_tersamar", "alasan"])
        return pd.concat(frames, ignore_index=True)

    def fixes_table(self) -> pd.DataFrame:
        """The non-zero counts of ``perbaikan`` (``input``, ``perbaikan``, ``jumlah``); region variants summed."""
        rows = []
        for name, c in self.inputs.items():
            for key, value in sorted(c.perbaikan.items()):
                if isinstance(value, dict) and value:
                    examples = ", ".join(list(value)[:3])
                    label = f"{key} ({len(value)} ejaan berbeda, misalnya {examples})"
                    rows.append((name, label, int(sum(value.values()))))
                elif isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value:
                    rows.append((name, key, int(value)))
        return pd.DataFrame(rows, columns=["input", "perbaikan", "jumlah"])

    def nik_examples(self) -> pd.DataFrame:
        frames = [c.contoh_nik.assign(input=name) for name, c in self.inputs.items() if not c.contoh_nik.empty]
        if not frames:
            return pd.DataFrame(columns=["input", "nik_mentah", "nik_bersih", "nik_status"])
        return pd.concat(frames, ignore_index=True)[["input", "nik_mentah", "nik_bersih", "nik_status"]]


def _first_nik_column(karantina: pd.DataFrame) -> pd.Series:
    for header in ("NIK", "NIK Kepala Keluarga"):
        if header in karantina.columns:
            return karantina[header]
    return pd.Series(pd.NA, index=karantina.index, dtype="string")


def write_outputs(result: CleaningResult, parameter: dict | None = None) -> None:
    """``<table>.parquet``, ``karantina/<input>.csv``, ``ringkasan_pembersihan.json``, the naive join figures
    and ``tinjau/id_sasaran_bentrok.csv``; each written atomically and recorded under the run id in ``run.json``
    (step ``01_clean``, marked unfinished until the last file is written, with the ``parameter`` it was made with)."""
    out = Path(result.processed_dir)
    out.mkdir(parents=True, exist_ok=True)
    runs.start_step(out, runs.CLEAN_STEP, result.run_id, parameter, **{keys.FINGERPRINT_FIELD: result.sidik_kunci})
    written = []
    for name, c in result.inputs.items():
        written.append(catalog.write(catalog.TABLES[c.table], c.data, out, result.run_id))
        written.append(catalog.write(catalog.KARANTINA, c.karantina, out, input=name))
    collisions = nikmod.mask_frame(ids.collisions(result.inputs["sk"].data))
    written.append(catalog.write(catalog.ID_BENTROK, collisions, out))
    for name in RECORD_KEYS:
        written.append(catalog.write(catalog.INTERVENSI_GANDA, nikmod.mask_frame(result.inputs[name].ganda), out))
    written.append(catalog.write(catalog.RINGKASAN, result.ringkasan(), out))
    written.append(catalog.write(catalog.PADAN_NAIF, {"run_id": result.run_id, **_plain(result.padan_naif)}, out))
    runs.finish_step(out, runs.CLEAN_STEP, result.run_id, written)


def naive_nik_join(sk_raw: pd.DataFrame, p3ke_raw: pd.DataFrame) -> dict[str, int]:
    """What a naive join gives: raw SK NIK text equal to raw P3KE NIK text, no normalisation, no names.

    Returns ``sasaran_sk``, ``padan``, ``tidak_padan``, ``keluar_desil1``, ``masih_desil1`` (desil of the
    first P3KE row with that text)."""
    p3ke = p3ke_raw[["nik", "desil"]].dropna(subset=["nik"]).drop_duplicates(subset="nik", keep="first")
    desil = pd.Series(parse_desil(p3ke["desil"]).to_numpy(), index=p3ke["nik"].to_numpy())
    found = sk_raw["nik"].map(desil)
    matched = pd.Series(desil.index.get_indexer(sk_raw["nik"]) >= 0, index=sk_raw.index)  # hash lookup, not isin
    return {
        "sasaran_sk": int(len(sk_raw)),
        "padan": int(matched.sum()),
        "tidak_padan": int((~matched).sum()),
        "keluar_desil1": int((matched & (found > 1)).fillna(False).sum()),
        "masih_desil1": int((matched & (found == 1)).fillna(False).sum()),
    }


def _clean_inputs(
    raw_dir: Path,
    names: list[str],
    kode_kabupaten: str,
    cache_dir: ReadCache | None,
    key: bytes,
    kunci_dir: Path,
    record: bool = True,
) -> tuple[dict[str, tuple[CleanedInput, pd.DataFrame]], list[str]]:
    """:func:`clean_input` for each named input, and (``record``) the text of the warnings raised meanwhile."""
    wilayah.use_user_aliases(raw_dir)  # in a worker process too
    with warnings.catch_warnings(record=record) as caught:
        if record:
            warnings.simplefilter("always", UserWarning)
        done = {
            name: clean_input(raw_dir, INPUTS[name], kode_kabupaten, cache_dir=cache_dir, key=key, kunci_dir=kunci_dir)
            for name in names
        }
    return done, [str(w.message) for w in caught or [] if issubclass(w.category, UserWarning)]


def clean_all(
    raw_dir: str | Path,
    processed_dir: str | Path,
    kode_kabupaten: str = KODE_KABUPATEN,
    workers: int = 1,
    progress: bool = False,
    write: bool = True,
    kunci_dir: str | Path | None = None,
    register: str = P3KE,
    terima_sk_berkurang: bool = False,
) -> CleaningResult:
    """Clean every input of the contract and write the processed tables, under a new run id
    (:mod:`helpers.runs`; ``result.run_id``) that the matching step carries forward. With ``write``, raw files
    whose content has not changed since the last run are taken from ``<processed_dir>/_cache/``. Region names are
    also resolved with the analyst's ``<raw_dir>/alias_wilayah.csv`` (:func:`helpers.reference.wilayah.use_user_aliases`).

    ``kunci_dir`` (default: the parameter's default, ``data/kunci/``): the key folder. ``id_sasaran`` is keyed by
    its secret key (created on the first run), whose fingerprint is recorded in ``run.json``; a verification
    form returned still encrypted is opened with its password from there (:mod:`helpers.keys`). Region names are
    also resolved with the analyst's ``<raw_dir>/alias_wilayah.csv`` (:func:`helpers.reference.wilayah.use_user_aliases`).

    Before anything is written, the run is checked as a whole (:func:`helpers.guards.check_cleaning`: an SK or a
    register without anyone, SK people without a kecamatan/desa, an SK much smaller than in the last run unless
    ``terima_sk_berkurang``; ``register``: the register the matching will use). A refused run changes
    nothing in ``processed_dir``, the read cache included.

    Raises :class:`InputError` (Indonesian message) for a missing raw folder, a missing required column or input,
    an unreadable or empty file, a file of another kabupaten, an encrypted workbook without a known password,
    processed outputs made under another key (or without a key where outputs exist), or a refused run;
    :class:`ConservationError` if rows were lost (a bug).
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError(
            f"Folder data mentah {raw_dir} tidak ada. Periksa parameter raw_dir (bawaan: data/raw) atau letakkan file "
            "mentah di sana sesuai data/raw/README.md. Tidak ada data olahan yang diubah."
        )
    wilayah.use_user_aliases(raw_dir)
    kunci_dir = Path(kunci_dir) if kunci_dir else keys.default_dir()
    key = keys.key_for_run(kunci_dir, processed_dir)  # before any work: never renumber silently
    cache = ReadCache.staged(catalog.READ_CACHE.at(processed_dir)) if write else None
    others = [name for name in INPUTS if name != "p3ke"]
    done: dict[str, tuple[CleanedInput, pd.DataFrame]] = {}
    try:
        if workers > 1:  # the other inputs in a worker process while this one cleans the large P3KE register
            with execution.pool(1, preload=[__name__]) as pool:
                later = pool.submit(_clean_inputs, raw_dir, others, kode_kabupaten, cache, key, kunci_dir)
                done["p3ke"] = clean_input(
                    raw_dir, INPUTS["p3ke"], kode_kabupaten, workers, progress, cache, kunci_dir=kunci_dir
                )
                cleaned, caught = later.result()
            done.update(cleaned)
            for message in caught:  # the worker's warnings (sheets not read), shown here
                warnings.warn(message, UserWarning, stacklevel=2)
        else:
            done["p3ke"] = clean_input(raw_dir, INPUTS["p3ke"], kode_kabupaten, workers, progress, cache,
                                       kunci_dir=kunci_dir)  # fmt: skip
            done.update(_clean_inputs(raw_dir, others, kode_kabupaten, cache, key, kunci_dir, record=False)[0])
        results = {name: done[name][0] for name in INPUTS}
        result = CleaningResult(results, Path(processed_dir), naive_nik_join(done["sk"][1], done["p3ke"][1]),
                                sidik_kunci=keys.fingerprint(key))  # fmt: skip
        guards.check_cleaning(result, raw_dir, register, terima_sk_berkurang, kode_kabupaten)
    except BaseException:
        if cache is not None:
            cache.discard()
        raise
    if write:
        cache.commit()
        write_outputs(result, {"raw_dir": str(raw_dir.resolve()), "kode_kabupaten": kode_kabupaten})
    return result


def read_ringkasan(processed_dir: str | Path) -> dict[str, Any]:
    """The cleaning summary written by :func:`clean_all`."""
    return catalog.read_json(catalog.RINGKASAN, processed_dir)


def read_tables(processed_dir: str | Path) -> dict[str, pd.DataFrame]:
    """The processed tables written by :func:`clean_all`, by table name."""
    tables = {}
    for table in TABLE_NAMES.values():
        entry = catalog.TABLES[table]
        if entry.optional and not entry.at(processed_dir).is_file():
            continue
        tables[table] = catalog.read_parquet(entry, processed_dir)
    return tables
