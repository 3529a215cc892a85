"""Run ids: which processed outputs belong to the same pipeline run.

One run id per pipeline run, created by the cleaning step (``01_clean``) and carried forward by the matching
step (``02_match``), which records the cleaning run it consumed. ``data/processed/run.json`` lists, per step,
its run id, whether it finished and the files it wrote; each file is also stamped (parquet metadata, a
``run_id`` key in JSON). A step marks itself unfinished *before* it writes anything and finished after its
last file, so a run killed halfway is visible. Reports and forms call :func:`check_consistent` and refuse to
render from a mix.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path
from typing import Any

from helpers.catalog import MANIFEST
from helpers.errors import InputError
from helpers.outputs import parquet_run_id, write_json

MANIFEST_FILE = MANIFEST.path
CLEAN_STEP = "01_clean"
MATCH_STEP = "02_match"
STEPS = (CLEAN_STEP, MATCH_STEP)
#: What each step produces, as an analyst names it in a message.
STEP_OUTPUT = {CLEAN_STEP: "tabel pembersihan", MATCH_STEP: "status_sasaran"}


def new_run_id() -> str:
    """A new run id: local time to the second plus 6 random hex digits (``20241106T101500-3fa2c1``)."""
    return f"{dt.datetime.now():%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def read_manifest(processed_dir: str | Path) -> dict[str, Any]:
    path = Path(processed_dir) / MANIFEST_FILE
    if not path.is_file():
        return {"langkah": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def start_step(processed_dir: str | Path, step: str, run_id: str, **extra: str) -> None:
    """Record that ``step`` of run ``run_id`` is writing (unfinished until :func:`finish_step`)."""
    manifest = read_manifest(processed_dir)
    manifest["langkah"][step] = {"run_id": run_id, "selesai": False, "mulai": _now(), **extra, "file": {}}
    write_json(manifest, Path(processed_dir) / MANIFEST_FILE)


def finish_step(processed_dir: str | Path, step: str, run_id: str, files: list[Path]) -> None:
    """Record that ``step`` of run ``run_id`` wrote ``files`` and finished."""
    processed_dir = Path(processed_dir)
    manifest = read_manifest(processed_dir)
    entry = manifest["langkah"].get(step)
    if entry is None or entry["run_id"] != run_id:  # another run started meanwhile: leave its record alone
        return
    entry["file"] = {Path(f).relative_to(processed_dir).as_posix(): run_id for f in files}
    entry.update(selesai=True, selesai_pada=_now())
    write_json(manifest, processed_dir / MANIFEST_FILE)


def clean_run_id(processed_dir: str | Path) -> str:
    """The run id of the last finished cleaning, for the matching step to carry forward."""
    entry = read_manifest(processed_dir)["langkah"].get(CLEAN_STEP)
    if entry is None or not entry.get("selesai"):
        raise InputError(_unfinished(CLEAN_STEP, entry, "python -m helpers pipeline"))
    return str(entry["run_id"])


def _unfinished(step: str, entry: dict | None, command: str) -> str:
    if entry is None:
        what = f"Data olahan tidak mencatat langkah {step} ({MANIFEST_FILE} tidak ada atau tidak lengkap)."
    else:
        what = f"Langkah {step} (run {entry['run_id']}) tidak selesai: prosesnya terhenti di tengah jalan."
    return f"{what} Jalankan ulang mulai dari {step}: {command}"


def _stamp(path: Path, listed: str) -> str:
    """The run id a file carries (parquet metadata, a JSON ``run_id`` key); ``listed`` for a file that has no
    place for one (CSV) or a JSON whose layout is fixed (``summary.json``)."""
    if not path.is_file():
        return "file tidak ada"
    if path.suffix == ".parquet":
        return parquet_run_id(path) or "tanpa run id"
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        return str(data.get("run_id", listed)) if isinstance(data, dict) else listed
    return listed


def check_consistent(processed_dir: str | Path, report_date: object = None) -> str:
    """The run id shared by every processed output; :class:`InputError` naming the step to rerun otherwise.

    Checks that both steps finished, that the matching consumed the cleaning run now on disk, and that each
    parquet or JSON file listed still carries its step's run id.
    """
    processed_dir = Path(processed_dir)
    command = "python -m helpers pipeline" + (f" -p report_date {report_date}" if report_date else "")
    steps = read_manifest(processed_dir)["langkah"]
    for step in STEPS:
        entry = steps.get(step)
        if entry is None or not entry.get("selesai"):
            raise InputError(_unfinished(step, entry, command))
    clean, match = steps[CLEAN_STEP], steps[MATCH_STEP]
    consumed = match.get("run_id_pembersihan", match["run_id"])
    if consumed != clean["run_id"] or match["run_id"] != clean["run_id"]:
        raise InputError(
            f"Data olahan berasal dari dua run berbeda: {STEP_OUTPUT[CLEAN_STEP]} dari run {clean['run_id']} "
            f"({CLEAN_STEP}), {STEP_OUTPUT[MATCH_STEP]} dari run {match['run_id']} ({MATCH_STEP}). Laporan dan "
            f"formulir tidak dibuat dari campuran ini. Jalankan ulang mulai dari {MATCH_STEP}: {command}"
        )
    for step in STEPS:
        for name, run_id in steps[step]["file"].items():
            path = processed_dir / name
            found = _stamp(path, run_id)
            if found != run_id:
                raise InputError(
                    f"File olahan {name} bukan dari run {run_id} ({step}) yang tercatat di {MANIFEST_FILE} "
                    f"(ditemukan: {found}). Jalankan ulang mulai dari "
                    f"{step}: {command}"
                )
    return str(clean["run_id"])
