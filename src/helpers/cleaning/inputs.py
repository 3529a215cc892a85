"""Cleaning one input of the raw-data contract into its processed table.

Every input goes through the same steps (:func:`clean_input`):

1. read with :func:`helpers.reading.readers.read_input` (every cell as text, ``sumber_file`` + ``baris_sumber``);
2. refuse a file of another kabupaten (:func:`helpers.cleaning.regions.check_kabupaten`, an
   :class:`~helpers.errors.InputError`);
3. drop exact duplicates (identical in every data column, source columns ignored; the first is kept);
4. normalise NIK, names, dates, desil, sex, regions, strategies and statuses (the cleaner of the input:
   :mod:`helpers.cleaning.registers`, :mod:`helpers.cleaning.records`);
5. quarantine the rows that cannot be used, each with a reason in plain Indonesian;
6. validate the cleaned table with its pandera schema (:mod:`helpers.schemas`);
7. check that nothing was lost: rows read = rows kept + duplicates dropped + rows quarantined, for the input
   and for each source file and sheet.

Before step 3, footer rows (totals, an SK's signature block; :mod:`helpers.cleaning.footers`) are quarantined.
After step 5, an intervention record that repeats an earlier one once normalised (same NIK, programme, date,
strategy and OPD status, e.g. the same record in two OPD files written differently) is a duplicate too, listed in
``tinjau/intervensi_ganda.csv``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.cleaning import nik as nikmod
from helpers.cleaning.footers import count_mismatches, footer_reasons
from helpers.cleaning.normalise import mask_raw_nik
from helpers.cleaning.quarantine import Cleaned
from helpers.cleaning.records import clean_intervensi, clean_keputusan_padan, clean_verifikasi
from helpers.cleaning.regions import check_kabupaten
from helpers.cleaning.registers import clean_dtsen, clean_p3ke, clean_p3ke_keluarga, clean_sk
from helpers.config import KODE_KABUPATEN
from helpers.reading.contract import COLUMN_NAMES, InputSpec
from helpers.reading.readers import SOURCE_FILE, SOURCE_ROW, ReadCache, SheetNote, read_input_sheets

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
#: The columns the reader adds to every row (where it was read); not data, ignored when finding duplicates.
SOURCE_COLUMNS = (SOURCE_FILE, SOURCE_ROW)
_HEADER_OF = {v: k for k, v in COLUMN_NAMES.items()}


class ConservationError(RuntimeError):
    """Rows were lost or invented between reading and cleaning (a bug, never bad input)."""


#: The cleaner of each input (:mod:`helpers.cleaning.registers`, :mod:`helpers.cleaning.records`).
CLEANERS: dict[str, Callable[[pd.DataFrame, str], Cleaned]] = {
    "p3ke": clean_p3ke,
    "p3ke_keluarga": clean_p3ke_keluarga,
    "sk": clean_sk,
    "intervensi": clean_intervensi,
    "verifikasi": clean_verifikasi,
    "keputusan_padan": clean_keputusan_padan,
    "dtsen": clean_dtsen,
}


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
            "perbaikan": plain(self.perbaikan),
            "per_sumber": plain(self.per_sumber),
            "lembar_tidak_dibaca": [note.as_dict() for note in self.lembar],
            "selisih_jumlah": plain(self.selisih_jumlah),
        }


def plain(value: Any) -> Any:
    """JSON-ready: numpy scalars to Python, dicts sorted by key."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
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
