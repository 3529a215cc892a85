"""Run ids: which processed outputs belong to the same pipeline run, and with which parameters they were made.

One run id per pipeline run, created by the cleaning step (``01_clean``) and carried forward by the matching
step (``02_match``), which records the cleaning run it consumed. ``data/processed/run.json`` lists, per step
(``01_clean``, ``02_match`` and the maps of ``03_map``), its run id, whether it finished, the files it wrote
(the maps: their folder), the parameters its outputs depend on (``parameter``), an id of that execution of the
step (``eksekusi``) and the executions of the steps it read (``masukan``). Each file is also stamped (parquet
metadata, a ``run_id`` key in JSON). A step marks itself unfinished *before* it writes anything and finished
after its last file, so a run killed halfway is visible.

Every notebook calls :func:`check_inputs` in its first code cell (and ``python -m helpers pipeline --langkah``,
reports and forms before they start): a step refuses inputs that are missing, unfinished, from a mix of runs,
made from an older execution of the step before, or made with other parameters than its own, naming each
difference.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from helpers import params as params_mod
from helpers.catalog import MANIFEST
from helpers.errors import InputError
from helpers.outputs import parquet_run_id, write_json

MANIFEST_FILE = MANIFEST.path
CLEAN_STEP, MATCH_STEP, MAP_STEP, REPORT_STEP = params_mod.STEP_NAMES
#: The steps that write processed outputs (stamped with the run id).
STEPS = (CLEAN_STEP, MATCH_STEP)
#: The steps whose outputs each step reads.
INPUT_STEPS: dict[str, tuple[str, ...]] = {
    CLEAN_STEP: (),
    MATCH_STEP: (CLEAN_STEP,),
    MAP_STEP: (CLEAN_STEP, MATCH_STEP),
    REPORT_STEP: (CLEAN_STEP, MATCH_STEP, MAP_STEP),
}
#: What each step produces, as an analyst names it in a message.
STEP_OUTPUT = {CLEAN_STEP: "tabel pembersihan", MATCH_STEP: "status_sasaran", MAP_STEP: "peta"}


def new_run_id() -> str:
    """A new run id: local time to the second plus 6 random hex digits (``20241106T101500-3fa2c1``)."""
    return f"{dt.datetime.now():%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def check_raw_dir(raw_dir: str | Path) -> None:
    """:class:`InputError` when the raw folder does not exist (checked before anything is read or changed)."""
    if not Path(raw_dir).is_dir():
        raise InputError(
            f"Folder data mentah {raw_dir} tidak ada. Periksa parameter raw_dir (bawaan: data/raw) atau letakkan file "
            "mentah di sana sesuai data/raw/README.md. Tidak ada yang diubah."
        )


def read_manifest(processed_dir: str | Path) -> dict[str, Any]:
    path = Path(processed_dir) / MANIFEST_FILE
    if not path.is_file():
        return {"langkah": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def start_step(processed_dir: str | Path, step: str, run_id: str, parameter: dict | None = None, **extra: Any) -> None:
    """Record that ``step`` of run ``run_id`` is writing (unfinished until :func:`finish_step`), made with
    ``parameter`` (the parameters its outputs depend on; a value ``None`` is not compared) from the current
    outputs of the steps it reads."""
    manifest = read_manifest(processed_dir)
    steps = manifest["langkah"]
    read = {name: steps[name].get("eksekusi") for name in INPUT_STEPS.get(step, ()) if name in steps}
    steps[step] = {"run_id": run_id, "selesai": False, "mulai": _now(), "eksekusi": new_run_id(),
                   "parameter": dict(parameter or {}), "masukan": read, **extra, "file": {}}  # fmt: skip
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
    if entry is None and step == MAP_STEP:
        what = f"Peta ({MAP_STEP}) belum dibuat untuk data olahan ini."
    elif entry is None:
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
        _check_files(processed_dir, step, steps[step], command)
    return str(clean["run_id"])


def _check_files(processed_dir: Path, step: str, entry: dict, command: str) -> None:
    """Each file ``step`` recorded still carries its run id."""
    for name, run_id in entry["file"].items():
        found = _stamp(processed_dir / name, run_id)
        if found != run_id:
            raise InputError(
                f"File olahan {name} bukan dari run {run_id} ({step}) yang tercatat di {MANIFEST_FILE} "
                f"(ditemukan: {found}). Jalankan ulang mulai dari {step}: {command}"
            )


@contextmanager
def recording_maps(parameters: dict, folder: str | Path) -> Iterator[None]:
    """Record in ``run.json`` the maps drawn inside the block into ``folder`` (step ``03_map``, unfinished until
    the block ends without error), with the run id and the parameters they were drawn with."""
    processed_dir = parameters["processed_dir"]
    run_id = str(read_manifest(processed_dir)["langkah"][CLEAN_STEP]["run_id"])
    recorded = {name: parameters[name] for name in ("report_date", "kecamatan", "boundary_path", "kode_kabupaten",
                                                     "raw_dir")}  # fmt: skip
    recorded["kecamatan"] = _kecamatan_code(recorded["kecamatan"], parameters["kode_kabupaten"])
    start_step(processed_dir, MAP_STEP, run_id, parameter=recorded, folder=str(Path(folder).resolve()))
    yield
    finish_step(processed_dir, MAP_STEP, run_id, [])


def _kecamatan_code(value: object, kode_kabupaten: str) -> str:
    """The kecamatan code of a ``kecamatan`` parameter ('' for the whole kabupaten; the text itself when unknown)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    import pandas as pd

    from helpers.reference.wilayah import resolve_kecamatan

    code = resolve_kecamatan(pd.Series([text]), kode_kabupaten).iloc[0]
    return text if pd.isna(code) else str(code)


def _same(name: str, recorded: object, current: object) -> bool:
    parameter = params_mod.BY_NAME.get(name)
    if parameter is None:
        return recorded == current
    try:
        return parameter.convert(name, recorded) == parameter.convert(name, current)
    except InputError:
        return False


def _shown(value: object) -> str:
    return '""' if value in ("", None) else str(value)


_STEP_COMMAND = "python -m helpers pipeline --langkah {step}"


def check_finished(step: str, processed_dir: str | Path) -> dict[str, dict]:
    """The steps of ``run.json``, after checking that every step ``step`` reads from has finished
    (:class:`InputError` naming the step to run first otherwise)."""
    steps = read_manifest(processed_dir)["langkah"]
    for name in INPUT_STEPS[params_mod.step_name(step)]:
        entry = steps.get(name)
        if entry is None or not entry.get("selesai"):
            raise InputError(_unfinished(name, entry, _STEP_COMMAND.format(step=name)))
    return steps


def check_inputs(step: str, parameters: dict, given: Iterable[str] = ()) -> str | None:
    """Refuse (:class:`InputError`, Indonesian, naming each problem and the step to rerun) to run ``step`` with
    ``parameters`` on outputs that are missing or unfinished, from a mix of runs, made from an older execution of
    the step before, or made with other parameters. Compared: every parameter an input step recorded
    (:func:`start_step`) that ``step`` takes (:func:`helpers.params.for_step`) or that is named in ``given`` (the
    parameters the user set explicitly). Returns the run id of the inputs (``None`` for ``01_clean``)."""
    step = params_mod.step_name(step)
    inputs = INPUT_STEPS[step]
    if not inputs:
        return None
    processed_dir = Path(parameters["processed_dir"])
    steps = check_finished(step, processed_dir)
    for name in inputs:  # the processed tables first: finished, of one run, unchanged; then the maps
        entry = steps[name]
        if name == CLEAN_STEP and MATCH_STEP not in inputs:
            _check_files(processed_dir, CLEAN_STEP, entry, _STEP_COMMAND.format(step=CLEAN_STEP))
        if name == MATCH_STEP:
            check_consistent(processed_dir, parameters.get("report_date"))
    run_id = str(steps[CLEAN_STEP]["run_id"])
    for name in inputs:
        for earlier, execution in steps[name].get("masukan", {}).items():
            if steps.get(earlier, {}).get("eksekusi") != execution:
                raise InputError(
                    f"Hasil langkah {name} ({STEP_OUTPUT[name]}) dibuat dari hasil {earlier} sebelumnya; {earlier} "
                    f"sudah dijalankan ulang sesudahnya. Jalankan ulang mulai dari {name}: {_STEP_COMMAND.format(step=name)}"
                )
    compared = set(params_mod.for_step(step)) | set(given)
    differences: list[tuple[str, str, object, object]] = []
    for name in inputs:
        recorded = steps[name].get("parameter")
        if recorded is None:
            raise InputError(
                f"Langkah {name} tidak mencatat parameternya di {MANIFEST_FILE} (dibuat oleh versi lama). Jalankan "
                f"ulang mulai dari {name}: {_STEP_COMMAND.format(step=name)}"
            )
        for key, value in recorded.items():
            if key not in compared or value is None or key not in parameters:
                continue
            if key == "kecamatan":  # maps of every kecamatan serve any report
                current = _kecamatan_code(parameters[key], parameters["kode_kabupaten"])
                if value and value != current:
                    differences.append((name, key, value, parameters[key] or "(seluruh kabupaten/kota)"))
            elif not _same(key, value, parameters[key]):
                differences.append((name, key, value, parameters[key]))
    if differences:
        first = next(name for name in inputs if any(d[0] == name for d in differences))
        by_key: dict[str, list] = {}
        for name, key, then, now in differences:
            by_key.setdefault(key, [[], then, now])[0].append(name)
        lines = [f"- {key}: {' dan '.join(names)} memakai {_shown(then)}, sekarang {_shown(now)}"
                 for key, (names, then, now) in by_key.items()]  # fmt: skip
        again = "".join(f" -p {key} {_shown(now)}" for key, (_, _, now) in by_key.items() if key != "kecamatan")
        raise InputError(
            f"Masukan langkah {step} dibuat dengan parameter lain:\n" + "\n".join(lines) + "\n"
            f"Langkah {step} tidak dijalankan di atas campuran itu. Jalankan ulang mulai dari {first} dengan "
            f"parameter ini: {_STEP_COMMAND.format(step=first)}{again}, lalu langkah sesudahnya (atau seluruh pipeline)."
        )
    if MAP_STEP in inputs:
        expected = (params_mod.report_dir(parameters) / "peta").resolve()
        if Path(steps[MAP_STEP].get("folder", "")) != expected:
            raise InputError(
                f"Peta data olahan ini dibuat di {steps[MAP_STEP].get('folder')}, bukan di {expected}. Jalankan "
                f"{MAP_STEP} untuk folder laporan ini: {_STEP_COMMAND.format(step=MAP_STEP)}"
            )
    return run_id
