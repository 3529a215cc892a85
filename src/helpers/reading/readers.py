"""Reading inputs of the raw-data contract: xlsx, csv or parquet, one file or a folder of files.

- Headers are matched ignoring case, surrounding and repeated spaces, spaces around "/", with the alias
  table of :mod:`helpers.reading.contract`.
- A title block above the header row is skipped: the header row is the row (among the first 30) that holds
  the most known headers. In a workbook, **every** sheet that holds the required headers is read (an SK annex
  with one sheet per kecamatan); a sheet with data but without the required headers is named in a
  :class:`SheetNote` and a warning (never dropped silently); empty and text-only sheets are noted as skipped.
- Every cell is read as text (IDs never become numbers): workbooks by fastexcel straight into Arrow text
  columns, Parquet column by column. A number cell holding an integer is written without ``.0``, a date cell
  as ``YYYY-MM-DD``, TRUE/FALSE as Ya/Tidak; blank cells and Excel errors (#N/A) are missing. Rows that are
  entirely empty are not data and are skipped.
- With a ``cache_dir`` (the cleaning step passes ``data/processed/_cache/``), each file read is kept as Parquet
  under a key of its content (SHA-256), its name and the reader's own code: a rerun (a new report date, one
  new verification form) reads only new or changed files. Entries no longer used are removed.
- A workbook that comes back still password-encrypted (a camat form, :mod:`helpers.protect`) is
  decrypted in memory with its password from the key folder (``kunci_dir``, :func:`helpers.keys.password_candidates`);
  without a fitting password the reading stops with an :class:`InputError` naming the file.
- The cleaning step stages new readings (:class:`ReadCache` with a staging folder) and commits them only once its
  run passed every check: a run refused on bad input (or with a missing raw folder) leaves the cache as it was.
- Each row keeps its source file (``sumber_file``: the path relative to ``data/raw``, plus `` [<sheet>]`` in a
  workbook of several sheets, e.g. ``sk_miskin_ekstrem.xlsx [Mojoagung]``) and row number as the analyst sees it in Excel or a text
  editor (``baris_sumber``), so that every quarantined row can be found again.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
from rapidfuzz import process
from tqdm import tqdm

from helpers import execution, outputs
from helpers.errors import InputError
from helpers.reading import contract
from helpers.reading.contract import COLUMN_NAMES, EXTENSIONS, HEADER_ALIASES, InputSpec

HEADER_SEARCH_ROWS = 30
SOURCE_FILE = "sumber_file"
SOURCE_ROW = "baris_sumber"


def header_key(text: object) -> str:
    """Comparison key of a header: lower case, single spaces, no spaces around '/', no trailing dot/colon."""
    key = re.sub(r"\s+", " ", str(text).replace("\u00a0", " ")).strip().lower()
    key = re.sub(r"\s*/\s*", "/", key)
    return key.rstrip(" .:")


_CANONICAL = {header_key(h): h for h in COLUMN_NAMES}
_CANONICAL.update({header_key(a): h for a, h in HEADER_ALIASES.items()})


def canonical_header(text: object) -> str | None:
    """The contract header for a header found in a file, or None when it is not a known header."""
    return _CANONICAL.get(header_key(text))


def cell_text(value: object) -> object:
    """One cell as text (or missing): integers without '.0', dates as ISO text."""
    if value is None:
        return pd.NA
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float):
        if value != value:  # NaN
            return pd.NA
        return str(int(value)) if value.is_integer() and abs(value) < 2**63 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    text = str(value)
    return pd.NA if text.strip() == "" else text


def list_files(raw_dir: Path, spec: InputSpec) -> list[Path]:
    """The files of an input: every supported file in its folder, or the single file ``<stem>.<ext>``."""
    raw_dir = Path(raw_dir)
    if spec.is_folder:
        folder = raw_dir / spec.path
        if not folder.is_dir():
            return []
        files = [
            p
            for p in folder.iterdir()
            if p.is_file() and p.suffix.lower() in EXTENSIONS and not p.name.startswith(("~$", ".", "_"))
        ]
        return sorted(files, key=lambda p: p.name)
    found = [raw_dir / f"{spec.path}{ext}" for ext in EXTENSIONS if (raw_dir / f"{spec.path}{ext}").is_file()]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise InputError(f"Daftar SK ditemukan dalam lebih dari satu file ({names}). Simpan satu file saja di {raw_dir}.")
    return found


def _workbook_source(path: Path, shown: str, kunci_dir: Path | None) -> str | bytes:
    """What fastexcel opens: the path, or the decrypted bytes of a password-encrypted workbook."""
    from helpers import keys, protect

    if not protect.is_encrypted(path):
        return str(path)
    candidates = keys.password_candidates(kunci_dir if kunci_dir is not None else keys.default_dir(), path.name)
    return protect.open_workbook_bytes(path, candidates, shown)


def _grids_from_file(
    path: Path, shown: str | None = None, kunci_dir: Path | None = None
) -> Iterable[tuple[str, pd.DataFrame]]:
    """Yield (sheet name, grid) for each sheet/table of a file: every cell as text (see :func:`_text_grid`),
    columns by position, one grid row per row of the file from its first row (row ``i`` is line ``i + 1``).
    An encrypted workbook is opened with a password of ``kunci_dir`` (``shown``: its name in messages)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        workbook = fastexcel.read_excel(_workbook_source(path, shown or path.name, kunci_dir))
        for name in workbook.sheet_names:
            # skip_rows=0: keep leading empty rows, so that grid rows are Excel rows.
            table = workbook.load_sheet(name, header_row=None, skip_rows=0, dtypes="string").to_arrow()
            yield name, _text_grid(table.columns, excel=True)
    elif suffix == ".csv":
        yield "", _text_grid(_csv_columns(path))
    elif suffix == ".parquet":
        table = pq.read_table(path)
        header = pd.DataFrame([table.column_names], dtype="string")
        values = pd.DataFrame({i: _arrow_text(column) for i, column in enumerate(table.columns)})
        yield "", pd.concat([header, values], ignore_index=True)
    else:  # pragma: no cover - list_files filters extensions
        raise InputError(f"Jenis file {path.name} tidak didukung (gunakan .xlsx, .csv atau .parquet).")


_MIDNIGHT = r"^\d{4}-\d{2}-\d{2} 00:00:00$"


def _text_grid(columns: list[pa.Array | pa.ChunkedArray], excel: bool = False) -> pd.DataFrame:
    """Text columns (Arrow) as a grid with positional column labels: blank cells (empty or only spaces) are
    missing. ``excel``: cells as fastexcel writes them, made to read like :func:`cell_text` (a date without a
    time of day as ``YYYY-MM-DD``, TRUE/FALSE as Ya/Tidak; whole numbers already come without ``.0``)."""
    grid = {}
    for index, column in enumerate(columns):
        column = pc.if_else(pc.or_(pc.equal(column, ""), pc.utf8_is_space(column)), None, column)
        if excel:
            if pc.any(pc.ends_with(column, " 00:00:00")).as_py():
                midnight = pc.match_substring_regex(column, _MIDNIGHT)
                column = pc.if_else(midnight, pc.utf8_slice_codeunits(column, 0, 10), column)
            column = pc.if_else(pc.equal(column, "true"), "Ya", pc.if_else(pc.equal(column, "false"), "Tidak", column))
        grid[index] = column.to_pandas(types_mapper=lambda _: pd.StringDtype())
    return pd.DataFrame(grid, dtype="string")


def _arrow_text(column: pa.ChunkedArray) -> pd.Series:
    """One Parquet column as text, written like :func:`cell_text`."""
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_integer(kind):
        values = column.cast(pa.string()).to_pandas(types_mapper=lambda _: pd.StringDtype())
        return values.mask(values.str.strip() == "", pd.NA)
    values = column.to_pandas()
    return values.map(cell_text, na_action="ignore").astype("string") if len(values) else values.astype("string")


def _csv_text(path: Path) -> tuple[str, str]:
    """The text of a CSV file (UTF-8, else Windows-1252, else Latin-1) and its delimiter (, ; | or tab)."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    return text, max([",", ";", "|", "\t"], key=sample.count)


def _csv_columns(path: Path, fast: bool = True) -> list[pa.Array | pa.ChunkedArray]:
    """The columns of a CSV file as Arrow text, one value per record. A file whose records all have the first
    record's width is parsed by Arrow's multi-threaded reader; any other (a title block above the header, a
    ragged row) by Python's csv module, cell by cell, so that no row is ever skipped."""
    text, delimiter = _csv_text(path)
    if not text.strip():
        return []
    width = len(next(csv.reader(io.StringIO(text), delimiter=delimiter)))
    if fast:
        ragged: list[object] = []
        table = pcsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pcsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pcsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False,
                invalid_row_handler=lambda row: ragged.append(row) or "skip",
            ),
            convert_options=pcsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)}, strings_can_be_null=False
            ),
        )  # fmt: skip
        if not ragged:
            return table.columns
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    width = max(len(r) for r in rows)
    return [pa.array([r[i] if i < len(r) else None for r in rows], pa.string()) for i in range(width)]


def _find_header(rows: list[list[object]], spec: InputSpec) -> tuple[int, dict[int, str]] | None:
    """Index of the header row and its {column index: canonical header}, or None."""
    wanted = set(spec.all_columns)
    best: tuple[int, dict[int, str]] | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {}
        for col, cell in enumerate(row):
            header = canonical_header(cell) if cell is not None else None
            if header in wanted and header not in found.values():
                found[col] = header
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (index, found)
    return best


def _closest_header(missing: str, present: list[str]) -> str:
    if not present:
        return "(tidak ada)"
    match = process.extractOne(header_key(missing), [header_key(p) for p in present])
    return f'"{present[match[2]]}"' if match else "(tidak ada)"


#: Status of a sheet that was not read: empty or text only (skipped), or data without the required headers.
SHEET_SKIPPED = "dilewati"
SHEET_UNREADABLE = "tidak_terbaca"


@dataclass(frozen=True)
class SheetNote:
    """A sheet of a workbook that was not read, and why (``status``: :data:`SHEET_SKIPPED` or
    :data:`SHEET_UNREADABLE`)."""

    sumber_file: str
    status: str
    alasan: str

    def as_dict(self) -> dict[str, str]:
        return {"sumber_file": self.sumber_file, "status": self.status, "alasan": self.alasan}


def source_name(shown: str, sheet: str, several_sheets: bool) -> str:
    """``sumber_file`` of a row: the file relative to ``data/raw``, plus `` [<sheet>]`` in a workbook of several
    sheets (``sk_miskin_ekstrem.xlsx [Mojoagung]``)."""
    return f"{shown} [{sheet}]" if several_sheets else shown


def _rows(grid: pd.DataFrame, limit: int | None = None) -> list[list[object]]:
    """The first ``limit`` rows of a grid (all by default) as lists, ``None`` for an empty cell."""
    part = grid if limit is None else grid.head(limit)
    return part.astype(object).where(part.notna(), None).values.tolist()


def _has_cells(grid: pd.DataFrame) -> bool:
    return bool(grid.notna().to_numpy().any())


_NIK_LIKE = re.compile(r"^\D?\d{15,16}$")


def _looks_like_data(rows: list[list[object]]) -> bool:
    """A table without known headers: some row fills three cells or more, or a cell looks like a NIK."""
    for row in rows:
        cells = [c for c in row if c is not None]
        if len(cells) >= 3 or any(_NIK_LIKE.match(re.sub(r"[\s.]", "", str(c))) for c in cells):
            return True
    return False


def _missing_columns(spec: InputSpec, rows: list[list[object]], header: tuple[int, dict[int, str]] | None) -> str:
    """The required columns missing from a sheet, each with the closest header present."""
    if header is not None:
        index, found = header
        present = [str(c) for c in rows[index] if c is not None]
    else:
        present = [str(c) for c in next((r for r in rows if any(r)), []) if c is not None]
        found = {}
    missing = [h for h in spec.required if h not in found.values()]
    return "\n".join(f'- kolom "{m}" tidak ada; kolom terdekat yang ada: {_closest_header(m, present)}' for m in missing)


def _sheet_frame(grid: pd.DataFrame, header: tuple[int, dict[int, str]], spec: InputSpec, source: str) -> pd.DataFrame:
    """The data rows under the header row of one sheet, as text with contract headers and source columns."""
    index, found = header
    cols = sorted(found)
    body = grid.iloc[index + 1 :, cols]
    body = body[body.notna().any(axis=1)]
    frame = body.set_axis([found[c] for c in cols], axis=1).reset_index(drop=True)
    for column in spec.all_columns:
        if column not in frame.columns:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame = frame[list(spec.all_columns)]
    frame[SOURCE_FILE] = pd.Series(source, index=frame.index, dtype="string")
    frame[SOURCE_ROW] = pd.array(body.index + 1, dtype="Int64")  # 1-based, as shown by Excel
    return frame


def read_file_sheets(
    path: Path, spec: InputSpec, raw_dir: Path | None = None, kunci_dir: Path | None = None
) -> tuple[pd.DataFrame, list[SheetNote]]:
    """Read every sheet of one file that holds the required headers (rows in sheet order), and a note for
    each sheet that was not read: empty or text only (skipped), or data without the required headers. An
    encrypted workbook is opened with its password from ``kunci_dir`` (None: the parameter's default folder).

    Raises :class:`InputError` when no sheet holds the required headers, the file is empty or unreadable, or it
    is encrypted and no known password opens it.
    """
    path = Path(path)
    shown = str(path.relative_to(raw_dir)) if raw_dir and path.is_relative_to(raw_dir) else path.name
    try:
        sheets = list(_grids_from_file(path, shown, kunci_dir))
    except InputError:
        raise
    except Exception as exc:  # unreadable file: a clear message, not a traceback
        raise InputError(
            f"File {shown} tidak dapat dibaca ({type(exc).__name__}: {exc}). "
            "Periksa apakah file rusak, terkunci, atau bukan .xlsx/.csv/.parquet yang sebenarnya."
        ) from None
    if not any(_has_cells(grid) for _, grid in sheets):
        raise InputError(f"File {shown} kosong: tidak ada satu baris pun. Hapus file ini atau isi dengan data.")

    several = len(sheets) > 1
    frames: list[pd.DataFrame] = []
    notes: list[SheetNote] = []
    partial: list[tuple[list[list[object]], tuple[int, dict[int, str]] | None]] = []
    for sheet, grid in sheets:
        source = source_name(shown, sheet, several)
        header = _find_header(_rows(grid, HEADER_SEARCH_ROWS), spec)
        if header is not None and set(spec.required) <= set(header[1].values()):
            frames.append(_sheet_frame(grid, header, spec, source))
        elif not _has_cells(grid):
            notes.append(SheetNote(source, SHEET_SKIPPED, "lembar kosong"))
        elif header is None and not _looks_like_data(_rows(grid)):
            notes.append(SheetNote(source, SHEET_SKIPPED, "hanya teks, tanpa tabel data (misalnya lembar petunjuk)"))
        else:
            partial.append((_rows(grid, HEADER_SEARCH_ROWS), header))
            notes.append(
                SheetNote(
                    source,
                    SHEET_UNREADABLE,
                    f'Lembar "{sheet}" berisi data tetapi tidak memuat kolom wajib; barisnya TIDAK dibaca. '
                    + _missing_columns(spec, partial[-1][0], header).replace("\n", " ")
                    + " Perbaiki judul kolom di lembar ini lalu jalankan ulang.",
                )
            )
    if not frames:
        first = next(_rows(grid, HEADER_SEARCH_ROWS) for _, grid in sheets if _has_cells(grid))
        best = max(partial, key=lambda p: len(p[1][1]) if p[1] else 0) if partial else (first, None)
        raise InputError(
            f"File {shown} ({spec.description}) tidak memuat kolom wajib:\n"
            + _missing_columns(spec, *best)
            + "\nKolom wajib: "
            + ", ".join(spec.required)
            + ". Lihat data/raw/README.md."
        )
    return pd.concat(frames, ignore_index=True), notes


def read_file(
    path: Path, spec: InputSpec, raw_dir: Path | None = None, kunci_dir: Path | None = None
) -> pd.DataFrame:
    """Read one file of an input into a frame with contract headers, as text, plus source file and row."""
    return read_file_sheets(path, spec, raw_dir, kunci_dir)[0]


#: Changes whenever the reader or the contract changes, so that a cached reading is never stale.
_CODE_KEY = hashlib.sha256(Path(__file__).read_bytes() + Path(contract.__file__).read_bytes()).hexdigest()[:16]


def _cache_key(path: Path, shown: str, spec: InputSpec) -> str:
    content = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashlib.sha256(f"{_CODE_KEY}|{spec.name}|{shown}|{content}".encode()).hexdigest()[:32]


#: Prefix of the staging folders of :class:`ReadCache` inside the cache folder.
STAGING_PREFIX = ".baru-"
_KEYS_SUFFIX = ".kunci.json"


@dataclass(frozen=True)
class ReadCache:
    """Cached readings of raw files: ``folder/<input>/<key>.parquet`` and ``<key>.json`` (sheet notes).

    Without ``staging`` new readings go straight into ``folder`` and readings no longer used are removed at once.
    With ``staging`` (:meth:`staged`: a hidden folder inside ``folder``), new readings and the list of readings each
    input used go there, from any process; :meth:`commit` then moves them into place and removes what is no longer
    used, :meth:`discard` drops them: a run that stops before :meth:`commit` changes nothing in ``folder``."""

    folder: Path
    staging: Path | None = None

    @classmethod
    def staged(cls, folder: str | Path) -> ReadCache:
        folder = Path(folder)
        return cls(folder, folder / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}")

    def write_dir(self, name: str) -> Path:
        """Where new readings of input ``name`` are written."""
        return (self.staging or self.folder) / name

    def record(self, name: str, keys: set[str]) -> None:
        """The readings input ``name`` used in this run (the others are removed, now or at :meth:`commit`)."""
        if self.staging is None:
            self._prune(name, keys)
        else:
            outputs.write_json(sorted(keys), self.staging / f"{name}{_KEYS_SUFFIX}")

    def _prune(self, name: str, keys: set[str]) -> None:
        target = self.folder / name
        if not target.is_dir():
            return
        if not keys:
            shutil.rmtree(target)
            return
        for entry in target.iterdir():
            if entry.name.split(".")[0] not in keys:
                entry.unlink(missing_ok=True)

    def commit(self) -> None:
        """Move the staged readings into place and remove the readings no longer used, per input read."""
        if self.staging is not None and self.staging.is_dir():
            for listing in sorted(self.staging.glob(f"*{_KEYS_SUFFIX}")):
                name = listing.name.removesuffix(_KEYS_SUFFIX)
                new = self.staging / name
                if new.is_dir():
                    (self.folder / name).mkdir(parents=True, exist_ok=True)
                    for entry in new.iterdir():
                        os.replace(entry, self.folder / name / entry.name)
                self._prune(name, set(json.loads(listing.read_text(encoding="utf-8"))))
        self.discard()

    def discard(self) -> None:
        """Drop the staged readings (and any left by a run that was killed)."""
        if self.staging is not None:
            for leftover in self.folder.glob(f"{STAGING_PREFIX}*"):
                shutil.rmtree(leftover, ignore_errors=True)


def _read_one(
    args: tuple[Path, InputSpec, Path | None, ReadCache | None, Path | None],
) -> tuple[pd.DataFrame, list[SheetNote], str]:
    """One file, from the cache when its key is there (returns the frame, the sheet notes and the key)."""
    path, spec, raw_dir, cache, kunci_dir = args
    if cache is None:
        return *read_file_sheets(path, spec, raw_dir, kunci_dir), ""
    shown = str(path.relative_to(raw_dir)) if raw_dir and path.is_relative_to(raw_dir) else path.name
    key = _cache_key(path, shown, spec)
    frame_file, notes_file = cache.folder / spec.name / f"{key}.parquet", cache.folder / spec.name / f"{key}.json"
    if frame_file.is_file() and notes_file.is_file():
        notes = [SheetNote(**n) for n in json.loads(notes_file.read_text(encoding="utf-8"))]
        return pd.read_parquet(frame_file), notes, key
    frame, notes = read_file_sheets(path, spec, raw_dir, kunci_dir)
    outputs.write_parquet(frame, cache.write_dir(spec.name) / f"{key}.parquet")
    outputs.write_json([n.as_dict() for n in notes], cache.write_dir(spec.name) / f"{key}.json")
    return frame, notes, key


def read_input_sheets(
    raw_dir: Path,
    spec: InputSpec,
    workers: int = 1,
    progress: bool = True,
    cache_dir: Path | ReadCache | None = None,
    kunci_dir: Path | None = None,
) -> tuple[pd.DataFrame, list[SheetNote]]:
    """Read all files of an input (every sheet holding the required headers), concatenated, with snake_case
    column names; and the sheets that were not read. A warning names each sheet with data that was not read.
    With ``cache_dir`` (a folder, or a :class:`ReadCache`), unchanged files come from their cached reading (see the
    module notes); an encrypted workbook is opened with its password from ``kunci_dir`` (None: the parameter's
    default folder).

    Raises :class:`InputError` when a required input has no file (the cache is left alone).
    """
    raw_dir = Path(raw_dir)
    files = list_files(raw_dir, spec)
    cache = cache_dir if cache_dir is None or isinstance(cache_dir, ReadCache) else ReadCache(Path(cache_dir))
    if not files:
        if spec.may_be_absent:
            if cache is not None:
                cache.record(spec.name, set())
            return empty_frame(spec), []
        where = f"{raw_dir / spec.path}/" if spec.is_folder else f"{raw_dir / spec.path}.xlsx (atau .csv)"
        raise InputError(f"Data {spec.description} tidak ditemukan: letakkan file di {where}. Lihat data/raw/README.md.")
    if cache is not None:
        cache.write_dir(spec.name).mkdir(parents=True, exist_ok=True)
    jobs = [(p, spec, raw_dir, cache, kunci_dir) for p in files]
    bar = dict(desc=f"Membaca {spec.name}", unit="file", disable=not progress or len(files) < 2)
    if workers > 1 and len(files) > 1:  # never forked from this process: it may run threads (Arrow, DuckDB)
        with execution.pool(workers, preload=[__name__]) as pool:
            results = list(tqdm(pool.map(_read_one, jobs), total=len(jobs), **bar))
    else:
        results = [_read_one(job) for job in tqdm(jobs, **bar)]
    if cache is not None:  # drop readings of files that changed or are gone (at commit, when staged)
        cache.record(spec.name, {r[2] for r in results})
    frame = pd.concat([r[0] for r in results], ignore_index=True)
    notes = [note for r in results for note in r[1]]
    for note in notes:
        if note.status == SHEET_UNREADABLE:
            warnings.warn(f"{note.sumber_file}: {note.alasan}", UserWarning, stacklevel=2)
    return frame.rename(columns=COLUMN_NAMES), notes


def read_input(
    raw_dir: Path, spec: InputSpec, workers: int = 1, progress: bool = True, kunci_dir: Path | None = None
) -> pd.DataFrame:
    """Read all files of an input, concatenated, with snake_case column names (see :func:`read_input_sheets`).

    Raises :class:`InputError` when a required input has no file.
    """
    return read_input_sheets(raw_dir, spec, workers, progress, kunci_dir=kunci_dir)[0]


def empty_frame(spec: InputSpec) -> pd.DataFrame:
    columns = [COLUMN_NAMES[c] for c in spec.all_columns]
    frame = pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    frame[SOURCE_FILE] = pd.Series(dtype="string")
    frame[SOURCE_ROW] = pd.Series(dtype="Int64")
    return frame
