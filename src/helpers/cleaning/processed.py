"""The processed files of the cleaning step: written by :func:`write_outputs` (each atomically, recorded under
the run id in ``run.json``), read back by :func:`read_tables` and :func:`read_ringkasan`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from helpers import catalog, keys, runs
from helpers.cleaning import ids
from helpers.cleaning import nik as nikmod
from helpers.cleaning.inputs import RECORD_KEYS, TABLE_NAMES, plain

if TYPE_CHECKING:
    from helpers.cleaning.step import CleaningResult


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
    written.append(catalog.write(catalog.PADAN_NAIF, {"run_id": result.run_id, **plain(result.padan_naif)}, out))
    runs.finish_step(out, runs.CLEAN_STEP, result.run_id, written)


def read_ringkasan(processed_dir: str | Path) -> dict[str, Any]:
    """The cleaning summary written by :func:`helpers.cleaning.step.clean_all`."""
    return catalog.read_json(catalog.RINGKASAN, processed_dir)


def read_tables(processed_dir: str | Path) -> dict[str, pd.DataFrame]:
    """The processed tables written by :func:`helpers.cleaning.step.clean_all`, by table name."""
    tables = {}
    for table in TABLE_NAMES.values():
        entry = catalog.TABLES[table]
        if entry.optional and not entry.at(processed_dir).is_file():
            continue
        tables[table] = catalog.read_parquet(entry, processed_dir)
    return tables
