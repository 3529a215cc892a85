"""Rendering demo values into spreadsheet cells, with the damage real exports show.

Every fault is chosen by a code per row (numpy arrays), so that the generator can count exactly what it
injected; rendering is a pure function of values and codes (an injected duplicate row renders identically).
Name and header variants are checked against :mod:`helpers.reference.wilayah` and :mod:`helpers.reading.readers` so that every
variant the demo writes is one the contract accepts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from helpers.demo.xlsx import ExcelDate
from helpers.reading.readers import canonical_header
from helpers.reference.wilayah import desa_table, kecamatan_table, resolve_desa, resolve_kecamatan

# NIK cell codes
NIK_TEXT, NIK_NUMBER, NIK_APOSTROPHE, NIK_SPACES, NIK_DOTS, NIK_SCIENTIFIC, NIK_EMPTY, NIK_TYPO = range(8)
NIK_FAULT_NAMES = {
    NIK_NUMBER: "nik_sel_angka",
    NIK_APOSTROPHE: "nik_apostrof",
    NIK_SPACES: "nik_spasi",
    NIK_DOTS: "nik_titik",
    NIK_SCIENTIFIC: "nik_notasi_ilmiah",
    NIK_EMPTY: "nik_kosong",
    NIK_TYPO: "nik_salah_ketik",
}
# Date cell codes
DATE_ISO, DATE_DMY_SLASH, DATE_DMY_DASH, DATE_CELL, DATE_SERIAL, DATE_EMPTY = range(6)
DATE_STYLE_NAMES = {
    DATE_ISO: "teks_yyyy-mm-dd",
    DATE_DMY_SLASH: "teks_dd/mm/yyyy",
    DATE_DMY_DASH: "teks_dd-mm-yyyy",
    DATE_CELL: "sel_tanggal",
    DATE_SERIAL: "angka_serial_excel",
    DATE_EMPTY: "kosong",
}
TEXT_DATE_STYLES = (DATE_ISO, DATE_DMY_SLASH, DATE_DMY_DASH)
_EPOCH = np.datetime64("1899-12-30")


@dataclass
class FileJob:
    """One file to write: what the worker process needs, nothing more."""

    relpath: str
    header: list[str]
    columns: list[list]
    title_rows: list[str] = field(default_factory=list)
    created: dt.datetime = dt.datetime(2024, 1, 1, 8, 0)
    sheet_name: str = "Sheet1"
    delimiter: str = ","
    encoding: str = "utf-8"

    @property
    def kind(self) -> str:
        return "csv" if self.relpath.endswith(".csv") else "xlsx"

    @property
    def n_rows(self) -> int:
        return len(self.columns[0]) if self.columns else 0


@dataclass
class InputLog:
    """What was written for one input of the contract, and which faults it carries."""

    files: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    quarantine: dict[str, int] = field(default_factory=dict)
    faults: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, n: int) -> None:
        if n:
            self.faults[name] = self.faults.get(name, 0) + int(n)

    def as_dict(self) -> dict:
        written = sum(self.files.values())
        quarantined = sum(self.quarantine.values())
        return {
            "rows_written": written,
            "duplicates": self.duplicates,
            "quarantine": quarantined,
            "quarantine_reasons": dict(sorted(self.quarantine.items())),
            "kept": written - self.duplicates - quarantined,
            "files": dict(sorted(self.files.items())),
            "faults": dict(sorted(self.faults.items())),
        }


# --- choosing rows ---------------------------------------------------------------------------------------


def pick_rows(
    rng: np.random.Generator, eligible: np.ndarray, rate: float, minimum: int = 1, taken: np.ndarray | None = None
) -> np.ndarray:
    """A mask of exactly max(minimum, round(rate x eligible)) rows among the eligible rows not yet taken.

    ``taken`` (if given) is updated, so successive faults stay disjoint.
    """
    pool_mask = eligible if taken is None else eligible & ~taken
    pool = np.flatnonzero(pool_mask)
    k = min(len(pool), max(minimum, int(round(rate * int(eligible.sum()))))) if len(pool) else 0
    mask = np.zeros(len(eligible), dtype=bool)
    if k:
        mask[rng.choice(pool, size=k, replace=False)] = True
    if taken is not None:
        taken |= mask
    return mask


def with_duplicates(n: int, duplicate: np.ndarray) -> np.ndarray:
    """Row order with each duplicated row repeated right after itself (a copy-paste in Excel)."""
    return np.repeat(np.arange(n), 1 + duplicate.astype(int))


def mixed_codes(rng: np.random.Generator, file_style: np.ndarray, others: tuple[int, ...], rate: float) -> np.ndarray:
    """Per-row codes: the file's style, except a share ``rate`` of rows in another style."""
    codes = file_style.copy()
    switch = rng.random(len(codes)) < rate
    codes[switch] = np.asarray(others)[rng.integers(0, len(others), int(switch.sum()))]
    return codes


# --- NIK -------------------------------------------------------------------------------------------------


def scientific(nik: str) -> str:
    """What Excel shows for a 16-digit number in a General cell: ``3.51706E+15``."""
    mantissa = f"{nik[0]}.{nik[1:6]}".rstrip("0").rstrip(".")
    return f"{mantissa}E+15"


def render_nik(nik: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """NIK cells: ``nik`` is an object array of 16-digit strings (or None)."""
    out = nik.astype(object).copy()
    for code, make in (
        (NIK_NUMBER, int),
        (NIK_APOSTROPHE, lambda v: "'" + v),
        (NIK_DOTS, lambda v: f"{v[:2]}.{v[2:4]}.{v[4:6]}.{v[6:12]}.{v[12:]}"),
        (NIK_SCIENTIFIC, scientific),
    ):
        idx = np.flatnonzero(codes == code)
        out[idx] = [make(v) for v in nik[idx]]
    idx = np.flatnonzero(codes == NIK_SPACES)
    out[idx] = [
        f"{v[:4]} {v[4:8]} {v[8:12]} {v[12:]}" if i % 3 == 0 else (f" {v} " if i % 3 == 1 else v + "\u00a0")
        for i, v in zip(idx.tolist(), nik[idx])
    ]
    out[codes == NIK_EMPTY] = None
    return out


def count_codes(log: InputLog, codes: np.ndarray, names: dict[int, str], prefix: str = "") -> None:
    values, counts = np.unique(codes, return_counts=True)
    for value, count in zip(values.tolist(), counts.tolist()):
        if value in names:
            log.count(prefix + names[value], count)


# --- dates -----------------------------------------------------------------------------------------------


def render_dates(days: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Date cells from ``datetime64[D]`` values (NaT = empty) and per-row style codes."""
    days = np.asarray(days, dtype="datetime64[D]")
    out = np.full(len(days), None, dtype=object)
    present = ~np.isnat(days) & (codes != DATE_EMPTY)
    uniques, inverse = np.unique(days[present], return_inverse=True)
    iso = [str(d) for d in uniques]
    serial = ((uniques - _EPOCH).astype(np.int64)).tolist()
    formats = {
        DATE_ISO: iso,
        DATE_DMY_SLASH: [f"{s[8:10]}/{s[5:7]}/{s[0:4]}" for s in iso],
        DATE_DMY_DASH: [f"{s[8:10]}-{s[5:7]}-{s[0:4]}" for s in iso],
        DATE_CELL: [ExcelDate(v) for v in serial],
        DATE_SERIAL: serial,
    }
    rows = np.flatnonzero(present)
    row_codes = codes[rows]
    for code, table in formats.items():
        sel = row_codes == code
        if sel.any():
            out[rows[sel]] = np.asarray(table, dtype=object)[inverse[sel]]
    return out


# --- names of places -------------------------------------------------------------------------------------

_KEC_SPECIAL = {
    "Bandarkedungmulyo": ("Bandar Kedung Mulyo", "BANDARKEDUNGMULYO", "BANDAR KEDUNG MULYO", "Bandar KM"),
    "Mojoagung": ("Mojo Agung", "MOJO AGUNG"),
    "Jombang": ("Jombang Kota", "JOMBANG KOTA", "Kota Jombang"),
    "Mojowarno": ("Mojo Warno",),
    "Wonosalam": ("Wono Salam",),
}
_SPLIT_PREFIXES = ("Sumber", "Mojo", "Kedung", "Karang", "Banjar", "Tanjung", "Bandar", "Jati", "Kali", "Tambak",
                   "Sido", "Ploso", "Gondang", "Watu", "Rejo", "Ngampel", "Bulu", "Banyu")  # fmt: skip


def kecamatan_variants(kode: str) -> tuple[str, ...]:
    """Spellings of a kecamatan seen in exports; index 0 is the gazetteer's own name. All resolvable."""
    return _all_kecamatan_variants()[kode]


def desa_variants(kode: str) -> tuple[str, ...]:
    """Spellings of a desa/kelurahan (index 0 the gazetteer name, 1 upper case). All resolvable."""
    return _all_desa_variants()[kode]


@cache
def _all_kecamatan_variants() -> dict[str, tuple[str, ...]]:
    table = kecamatan_table()
    variants = {
        kode: (name, name.upper(), f"Kec. {name}", f"KECAMATAN {name.upper()}", f" {name}  ")
        + _KEC_SPECIAL.get(name, ())
        for kode, name in zip(table["kode"], table["nama"])
    }
    pairs = [(k, v) for k, vs in variants.items() for v in vs]
    resolved = resolve_kecamatan(pd.Series([v for _, v in pairs], dtype="string"))
    bad = [v for (k, v), r in zip(pairs, resolved) if r != k]
    if bad:
        raise AssertionError(f"kecamatan variants not resolvable by helpers.reference.wilayah: {bad}")
    return variants


def _desa_spellings(name: str, jenis: str) -> tuple[str, ...]:
    prefix = "Kel." if jenis == "kelurahan" else "Desa"
    variants = [name, name.upper(), f"{prefix} {name}", f"DS. {name.upper()}" if prefix == "Desa" else f"KEL. {name}"]
    variants += [f"{name}  ", name.lower(), name.replace(" ", "").replace("-", " ").upper()]
    for start in _SPLIT_PREFIXES:
        if name.startswith(start) and len(name) > len(start) + 2 and name[len(start)] != " ":
            variants.append(f"{start} {name[len(start) :].capitalize()}")
            break
    return tuple(dict.fromkeys(variants))


@cache
def _all_desa_variants() -> dict[str, tuple[str, ...]]:
    table = desa_table()
    variants = {k: _desa_spellings(n, j) for k, n, j in zip(table["kode"], table["nama"], table["jenis"])}
    kec = dict(zip(table["kode"], table["kode_kecamatan"]))
    pairs = [(k, v) for k, vs in variants.items() for v in vs]
    resolved = resolve_desa(
        pd.Series([kec[k] for k, _ in pairs], dtype="string"), pd.Series([v for _, v in pairs], dtype="string")
    )
    bad = [v for (k, v), r in zip(pairs, resolved) if r != k]
    if bad:
        raise AssertionError(f"desa variants not resolvable by helpers.reference.wilayah: {bad}")
    short = [k for k, vs in variants.items() if len(vs) < 5]
    if short:
        raise AssertionError(f"desa with fewer than 5 spellings: {short}")
    return variants


def unknown_desa_name(rng: np.random.Generator, kode: str) -> str:
    """A misspelt desa name that helpers.reference.wilayah cannot resolve (one letter dropped or doubled)."""
    row = desa_table().set_index("kode").loc[kode]
    name = row["nama"]
    for _ in range(50):
        i = int(rng.integers(1, len(name) - 1))
        candidate = name[:i] + name[i + 1 :] if rng.random() < 0.5 else name[: i + 1] + name[i:]
        resolved = resolve_desa(
            pd.Series([row["kode_kecamatan"]], dtype="string"), pd.Series([candidate], dtype="string")
        )
        if resolved.isna().iloc[0] and candidate.replace(" ", "").lower() != name.replace(" ", "").lower():
            return candidate
    raise AssertionError(f"no unresolvable misspelling found for {name}")


def place_column(codes_of_rows: np.ndarray, variant_index: np.ndarray, variants_of) -> np.ndarray:
    """Place names per row: ``variants_of(code)[variant_index % len]`` (vectorised over unique pairs)."""
    frame = pd.DataFrame({"kode": codes_of_rows, "v": variant_index})
    uniques = frame.drop_duplicates()
    names = [variants_of(k)[v % len(variants_of(k))] for k, v in zip(uniques["kode"], uniques["v"])]
    lookup = dict(zip(zip(uniques["kode"], uniques["v"]), names))
    return np.array([lookup[p] for p in zip(frame["kode"], frame["v"])], dtype=object)


# --- headers ---------------------------------------------------------------------------------------------

HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "NIK": ("NIK ", "nik"),
    "Nama": ("Nama Lengkap", "NAMA"),
    "Desa/Kelurahan": ("Desa / Kelurahan", "Desa", "Kelurahan/Desa", "DESA/KELURAHAN"),
    "Kecamatan": ("KECAMATAN", "Nama Kecamatan", "Kecamatan "),
    "Desil Kesejahteraan": ("Desil", "DESIL", "Peringkat Kesejahteraan"),
    "Tanggal Lahir": ("Tgl Lahir", "TANGGAL LAHIR "),
    "Hubungan dengan Kepala Keluarga": ("Hub. Kepala Keluarga", "Hubungan Dengan KK"),
    "Kode Kemdagri": ("Kode Kemendagri", "Kode Wilayah"),
    "ID Keluarga P3KE": ("Id Keluarga P3KE", "ID Keluarga"),
    "Kabupaten/Kota": ("Kab/Kota", "Kabupaten"),
    "Kepala Keluarga": ("Nama Kepala Keluarga",),
    "NIK Kepala Keluarga": ("NIK KK",),
    "No KK": ("No. KK", "Nomor KK"),
    "No": ("No.", "Nomor"),
    "OPD": ("Nama OPD",),
    "Program": ("Nama Program",),
    "Tanggal Intervensi": ("Tgl Intervensi",),
    "Status": ("Status Intervensi",),
    "Status Keberadaan": ("Keberadaan",),
    "Tanggal Verifikasi": ("Tgl Verifikasi",),
    "Kondisi": ("Kondisi Saat Ini",),
    "Keterangan": ("Catatan",),
    "Petugas": ("Nama Petugas",),
    "Jenis Kelamin": ("JENIS KELAMIN",),
}


def check_header_variants() -> None:
    bad = {v: c for c, vs in HEADER_VARIANTS.items() for v in vs if canonical_header(v) != c}
    if bad:
        raise AssertionError(f"header variants not accepted by helpers.reading.readers: {bad}")


def file_headers(rng: np.random.Generator, canonical: list[str], use_aliases: bool) -> list[str]:
    """The header row of one file: canonical, or (for some files) aliases and trailing spaces."""
    if not use_aliases:
        return list(canonical)
    out = []
    for name in canonical:
        variants = HEADER_VARIANTS.get(name, ())
        out.append(variants[int(rng.integers(0, len(variants)))] if variants and rng.random() < 0.6 else name)
    return out


def name_cells(names: np.ndarray, spaces: np.ndarray, title: np.ndarray) -> np.ndarray:
    """Person names with some extra spaces (double or trailing) and some in title case."""
    out = names.astype(object).copy()
    idx = np.flatnonzero(spaces)
    out[idx] = [
        v.replace(" ", "  ", 1) if (" " in v and i % 2 == 0) else v + " " for i, v in zip(idx.tolist(), names[idx])
    ]
    idx = np.flatnonzero(title & ~spaces)
    out[idx] = [v.title() for v in names[idx]]
    return out


def desil_cells(desil: np.ndarray, as_text: bool, invalid: np.ndarray) -> np.ndarray:
    """Desil as a number cell or as text "Desil 2"; invalid rows get an empty cell or 0."""
    if as_text:
        table = np.array([None, "Desil 1", "Desil 2", "Desil 3", "Desil 4"], dtype=object)
    else:
        table = np.array([None, 1, 2, 3, 4], dtype=object)
    out = table[desil]
    idx = np.flatnonzero(invalid)
    out[idx] = [None if i % 2 == 0 else ("Desil 0" if as_text else 0) for i in range(len(idx))]
    return out
