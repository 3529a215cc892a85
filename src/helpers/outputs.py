"""Writing processed outputs atomically: a temporary file in the same folder, then :func:`os.replace`.

A run killed halfway therefore never leaves a half-written table: each file is either the old one or the new
one. Which files belong together is recorded by :mod:`helpers.runs` (the run id); this module only writes.
Parquet files carry the run id in their schema metadata (key ``run_id``), JSON files as a ``run_id`` key.

CSV files are meant to be opened in Excel or LibreOffice, and their text comes from raw files anyone may have
typed: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a leading
apostrophe, so that a spreadsheet shows it as text instead of running it as a formula (OWASP, "CSV injection");
real numbers (``-6.5``, ``+3``, numbers stored as numbers) are left as they are (:func:`inert_text`).
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

#: Key of the run id in parquet schema metadata.
RUN_ID_KEY = "run_id"
#: How a cell that a spreadsheet would run as a formula begins (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A real number written as text: it stays as it is (a spreadsheet reads it as a number, never as a formula).
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def _atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temporary path)`` in ``path``'s folder, then move the result onto ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # a unique name per writer; created by ``write`` itself, so it gets the usual permissions (not mkstemp's 0600)
    partial = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        write(partial)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def write_parquet(frame: pd.DataFrame, path: str | Path, run_id: str | None = None) -> Path:
    """``frame`` as parquet (no index), with ``run_id`` in the schema metadata when given."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if run_id is not None:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), RUN_ID_KEY.encode(): run_id.encode()})
    return _atomic(path, lambda tmp: pq.write_table(table, tmp))


def parquet_run_id(path: str | Path) -> str | None:
    """The run id stamped in a parquet file by :func:`write_parquet` (None when absent)."""
    metadata = pq.read_schema(path).metadata or {}
    value = metadata.get(RUN_ID_KEY.encode())
    return value.decode() if value is not None else None


def write_json(data: Any, path: str | Path) -> Path:
    """``data`` as indented UTF-8 JSON (non-ASCII kept), ending with a newline."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return write_text(text, path)


def write_text(text: str, path: str | Path) -> Path:
    return _atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def formula_like(value: Any) -> bool:
    """Whether a spreadsheet would read the text ``value`` as a formula if it were typed (or re-entered) in a
    cell; workbook writers give such text cells Excel's quote prefix, so that even editing the cell keeps it text."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def inert_text(value: Any) -> Any:
    """``value`` as a spreadsheet must show it: text beginning like a formula gets a leading apostrophe
    (``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``, ``-2+3`` -> ``'-2+3``); numbers, real numbers written as text
    (``-6.5``) and anything else unchanged."""
    if formula_like(value) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with :func:`inert_text` applied to every text cell (numeric columns untouched)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].map(inert_text, na_action="ignore")
    return out


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """``frame`` as CSV (no index) in UTF-8 with BOM, so that Excel shows the Indonesian text correctly; cells
    that a spreadsheet would run as formulas are written as text (:func:`inert_text`). Lines end with CRLF (RFC
    4180), so that a cell holding a line break or a carriage return is quoted and never splits its row."""
    safe = inert_frame(frame)
    return _atomic(path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n"))
