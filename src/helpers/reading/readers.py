"""Reading inputs of the raw-data contract: xlsx, csv or parquet, one file or a folder of files.

- Headers are matched ignoring case, surrounding and repeated spaces, spaces around "/", with the alias
  table of :mod:`helpers.reading.contract`.
- A title block above the header row is skipped: the header row is the row (among the first 30) that holds
  the most known headers. In a workbook, the first sheet that holds the required headers is read.
- Every cell is read as text (IDs never become numbers); a number cell holding an integer is written without
  ``.0``, a date cell as ``YYYY-MM-DD``. Rows that are entirely empty are not data and are skipped.
- Each row keeps its source file (``sumber_file``) and row number as the analyst sees it in Excel or a text
  editor (``baris_sumber``), so that every quarantined row can be found again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook
from rapidfuzz import process
from tqdm import tqdm

from helpers.errors import InputError
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


def _rows_from_file(path: Path) -> Iterable[tuple[str, list[list[object]]]]:
    """Yield (sheet name, rows of raw cell values) for each sheet/table in a file."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            yield name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    elif suffix == ".csv":
        yield "", _read_csv_rows(path)
    elif suffix == ".parquet":
        frame = pd.read_parquet(path)
        rows = [list(frame.columns)] + frame.astype(object).where(frame.notna(), None).values.tolist()
        yield "", rows
    else:  # pragma: no cover - list_files filters extensions
        raise InputError(f"Jenis file {path.name} tidak didukung (gunakan .xlsx, .csv atau .parquet).")


def _read_csv_rows(path: Path) -> list[list[object]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    delimiter = max([",", ";", "|", "\t"], key=sample.count)
    return [[c if c.strip() != "" else None for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


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


def read_file(path: Path, spec: InputSpec, raw_dir: Path | None = None) -> pd.DataFrame:
    """Read one file of an input into a frame with contract headers, as text, plus source file and row."""
    path = Path(path)
    shown = str(path.relative_to(raw_dir)) if raw_dir and path.is_relative_to(raw_dir) else path.name
    try:
        sheets = list(_rows_from_file(path))
    except InputError:
        raise
    except Exception as exc:  # unreadable file: a clear message, not a traceback
        raise InputError(
            f"File {shown} tidak dapat dibaca ({type(exc).__name__}: {exc}). "
            "Periksa apakah file rusak, terkunci, atau bukan .xlsx/.csv/.parquet yang sebenarnya."
        ) from None
    if not any(any(c is not None and str(c).strip() != "" for c in row) for _, rows in sheets for row in rows):
        raise InputError(f"File {shown} kosong: tidak ada satu baris pun. Hapus file ini atau isi dengan data.")

    candidates = []
    for sheet, rows in sheets:
        header = _find_header(rows, spec)
        if header is not None:
            candidates.append((sheet, rows, header))
    complete = [c for c in candidates if set(spec.required) <= set(c[2][1].values())]
    if not complete:
        if candidates:
            sheet, rows, (index, found) = max(candidates, key=lambda c: len(c[2][1]))
            present = [str(c) for c in rows[index] if c is not None]
        else:
            present = [str(c) for c in next((r for _, rows in sheets for r in rows if any(r)), []) if c is not None]
            found = {}
        missing = [h for h in spec.required if h not in found.values()]
        lines = [f'- kolom "{m}" tidak ada; kolom terdekat yang ada: {_closest_header(m, present)}' for m in missing]
        raise InputError(
            f"File {shown} ({spec.description}) tidak memuat kolom wajib:\n"
            + "\n".join(lines)
            + "\nKolom wajib: "
            + ", ".join(spec.required)
            + ". Lihat data/raw/README.md."
        )
    sheet, rows, (index, found) = complete[0]
    data = rows[index + 1 :]
    cols = sorted(found)
    records = []
    row_numbers = []
    for offset, row in enumerate(data):
        values = [cell_text(row[c]) if c < len(row) else pd.NA for c in cols]
        if all(v is pd.NA for v in values):
            continue
        records.append(values)
        row_numbers.append(index + 2 + offset)  # 1-based, as shown by Excel
    frame = pd.DataFrame(records, columns=[found[c] for c in cols], dtype="string")
    for column in spec.all_columns:
        if column not in frame.columns:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame = frame[list(spec.all_columns)]
    frame[SOURCE_FILE] = shown + (f" [{sheet}]" if len(sheets) > 1 else "")
    frame[SOURCE_ROW] = pd.array(row_numbers, dtype="Int64")
    return frame


def _read_one(args: tuple[Path, InputSpec, Path | None]) -> pd.DataFrame:
    return read_file(*args)


def read_input(raw_dir: Path, spec: InputSpec, workers: int = 1, progress: bool = True) -> pd.DataFrame:
    """Read all files of an input, concatenated, with snake_case column names.

    Raises :class:`InputError` when a required input has no file.
    """
    raw_dir = Path(raw_dir)
    files = list_files(raw_dir, spec)
    if not files:
        if spec.may_be_absent:
            return empty_frame(spec)
        where = f"{raw_dir / spec.path}/" if spec.is_folder else f"{raw_dir / spec.path}.xlsx (atau .csv)"
        raise InputError(f"Data {spec.description} tidak ditemukan: letakkan file di {where}. Lihat data/raw/README.md.")
    jobs = [(p, spec, raw_dir) for p in files]
    bar = dict(desc=f"Membaca {spec.name}", unit="file", disable=not progress or len(files) < 2)
    if workers > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            frames = list(tqdm(pool.map(_read_one, jobs), total=len(jobs), **bar))
    else:
        frames = [_read_one(job) for job in tqdm(jobs, **bar)]
    frame = pd.concat(frames, ignore_index=True)
    return frame.rename(columns=COLUMN_NAMES)


def empty_frame(spec: InputSpec) -> pd.DataFrame:
    columns = [COLUMN_NAMES[c] for c in spec.all_columns]
    frame = pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    frame[SOURCE_FILE] = pd.Series(dtype="string")
    frame[SOURCE_ROW] = pd.Series(dtype="Int64")
    return frame
