"""The report date of a run given without one (parameter ``report_date`` empty: its default outside the demo).

A run that computes statuses from the raw data (the pipeline, or step ``01_clean`` or ``02_match`` alone) takes
the latest date found in the date columns of the intervention and verification files (``Tanggal Intervensi``,
``Tanggal Verifikasi``) that is not after today: a record mistyped into the future (2030 for 2024) never becomes
the report date. A step that presents a run (``03_map``, ``04_report``, the reports, the forms) takes the date of
the run whose outputs are in the processed folder (``run.json``). Either way the run says so in its first line
(:func:`settle`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from helpers import params as params_mod
from helpers import runs
from helpers.dates import parse_date_text
from helpers.errors import InputError
from helpers.reading.contract import INPUTS
from helpers.reading.readers import read_input_sheets

#: The inputs whose dates decide the report date, and the date column of each.
DATED_INPUTS = {"intervensi": "tanggal_intervensi", "verifikasi": "tanggal_verifikasi"}


def latest_record_date(raw_dir: str | Path, kunci_dir: str | Path | None = None,
                       today: dt.date | None = None) -> dt.date | None:  # fmt: skip
    """The latest readable date of the intervention and verification files in ``raw_dir`` not after ``today``
    (None: no such date). Encrypted workbooks are opened with their passwords from ``kunci_dir``."""
    today = today or dt.date.today()
    latest = None
    for name, column in DATED_INPUTS.items():
        frame, _ = read_input_sheets(Path(raw_dir), INPUTS[name], progress=False,
                                     kunci_dir=Path(kunci_dir) if kunci_dir else None)  # fmt: skip
        if column not in frame:
            continue
        dates = [parse_date_text(v) for v in pd.unique(frame[column].dropna())]
        usable = [d for d in dates if d is not None and d <= today]
        if usable and (latest is None or max(usable) > latest):
            latest = max(usable)
    return latest


def recorded_report_date(processed_dir: str | Path) -> str | None:
    """The report date of the run whose outputs are in ``processed_dir`` (its newest step in ``run.json``)."""
    steps = runs.read_manifest(processed_dir)["langkah"]
    for step in reversed(params_mod.STEP_NAMES):
        date = (steps.get(step) or {}).get("parameter", {}).get("report_date")
        if date:
            return str(date)
    return None


def settle(parameters: dict, step: str | None = None, today: dt.date | None = None) -> tuple[dict, str | None]:
    """``parameters`` with a report date, and the line to print first (None when ``report_date`` was given).
    ``step``: the step run alone (None: the whole pipeline); the steps it reads must have finished
    (:func:`helpers.runs.check_finished`). :class:`InputError` when no date can be found."""
    if parameters.get("report_date"):
        return parameters, None
    if step is not None:
        runs.check_finished(step, parameters["processed_dir"])  # what the step reads exists: else say what to run
    if step is None or params_mod.step_name(step) in (params_mod.CLEAN, params_mod.MATCH):
        runs.check_raw_dir(parameters["raw_dir"])
        found = latest_record_date(parameters["raw_dir"], parameters.get("kunci_dir"), today)
        if found is None:
            raise InputError(
                f"Parameter report_date kosong dan file intervensi/verifikasi di {parameters['raw_dir']} tidak "
                "memuat satu tanggal pun yang terbaca (sampai hari ini). Berikan tanggal laporan, mis. "
                "-p report_date 2024-11-06."
            )
        date = found.isoformat()
        line = (f"Tanggal laporan: {date} (tidak diberikan; tanggal terakhir di data intervensi dan verifikasi, "
                "bukan sesudah hari ini). Tanggal lain: -p report_date TTTT-BB-HH.")  # fmt: skip
    else:
        recorded = recorded_report_date(parameters["processed_dir"])
        if recorded is None:
            raise InputError(
                f"Parameter report_date kosong dan belum ada run di {parameters['processed_dir']}. Jalankan "
                "pipeline dulu (python -m helpers pipeline) atau berikan -p report_date TTTT-BB-HH."
            )
        date = recorded
        line = (f"Tanggal laporan: {date} (tidak diberikan; tanggal run terakhir di {parameters['processed_dir']}). "
                "Tanggal lain: -p report_date TTTT-BB-HH.")  # fmt: skip
    return {**parameters, "report_date": date}, line


def settled(parameters: dict, step: str | None = None) -> dict:
    """:func:`settle`, printing the settled date's line (the run's first line)."""
    parameters, line = settle(parameters, step)
    if line:
        print(line, flush=True)
    return parameters
