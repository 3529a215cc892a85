"""The pipeline runner: ``python -m helpers pipeline [--langkah NAMA] [--params FILE.yaml] [-p NAME VALUE ...]``.

Executes the notebooks in order (cleaning, matching, maps; :func:`helpers.execution.run_notebook`: papermill,
the cells in this process), stores the executed notebooks in ``reports/<report_date>/notebook/``, copies
``summary.json`` beside them, then renders the reports (kabupaten + 21 kecamatan, or one kecamatan with
``-p kecamatan NAME``), the brief, the OPD pages and the index of report dates. Stops with a clear message naming
the notebook and cell that failed.

``--langkah NAMA`` (one of :data:`helpers.params.STEP_NAMES`, with or without ``.ipynb``; ``04_report`` renders
the reports) runs that step alone on the outputs already there, e.g. ``--langkah 02_match -p ambang_padan 5``
after a full run; it refuses (exit code 2) when its inputs are missing, unfinished, from another run or made
with other parameters (:func:`helpers.runs.check_inputs`).

A run holds the lock of its processed folder from start to end (:mod:`helpers.lock`): a second run on the same
folder refuses at once. It ends with one line per input (rows read, quarantined, duplicated, ignored) and the
warnings of ``summary.json`` (:func:`helpers.guards.closing_lines`).

Nothing waits that need not: the worker server imports what the cleaning worker, the drawing processes and the
report processes need from the start (:func:`helpers.execution.warm_up`), and once the cleaning is done the two
report processes start and warm up in a thread of this process while matching and maps run.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from helpers import catalog, cli, execution, guards, lock, report_date, runs
from helpers import params as params_mod
from helpers.config import NOTEBOOKS_DIR

#: Notebooks in order, with the parameters each receives (declared in :mod:`helpers.params`); the reports follow.
STEPS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (f"{step}.ipynb", params_mod.for_step(step)) for step in params_mod.STEP_NAMES if step != params_mod.REPORT
)


def run_step(name: str, parameters: dict) -> Path:
    """Execute one notebook of :data:`STEPS` (``"02_match"`` or ``"02_match.ipynb"``) with its parameters; the
    executed copy goes to ``reports/<report_date>/notebook/``, a failed one to ``_gagal/``. After ``02_match``,
    ``summary.json`` is copied beside the executed notebooks."""
    step = params_mod.step_name(name)
    notebook = f"{step}.ipynb"
    out_dir = params_mod.report_dir(parameters)
    execution.run_notebook(notebook, {k: parameters[k] for k in params_mod.for_step(step)},
                           out_dir / "notebook" / notebook, failed_dir=out_dir / "_gagal",
                           notebooks_dir=NOTEBOOKS_DIR)  # fmt: skip
    if step == params_mod.MATCH:
        summary = catalog.SUMMARY.at(parameters["processed_dir"])
        if summary.is_file():
            shutil.copyfile(summary, out_dir / summary.name)
    return out_dir / "notebook" / notebook


def _report_pool(parameters: dict):
    from helpers.publishing import render

    return render.start_pool(parameters)


def run(parameters: dict, with_reports: bool = True, timings: dict[str, float] | None = None) -> Path:
    """Run every step for resolved ``parameters``; return the report folder. ``timings``, when given, receives
    the seconds of each notebook and of the reports (``laporan``).

    Holds the lock of ``processed_dir`` throughout (:func:`helpers.lock.hold`: another run on it refuses at once
    with an :class:`InputError`). A missing raw folder is refused before anything starts."""
    runs.check_raw_dir(parameters["raw_dir"])
    with lock.hold(parameters["processed_dir"]):
        return _run(parameters, with_reports, timings)


def _run(parameters: dict, with_reports: bool, timings: dict[str, float] | None) -> Path:
    from tqdm import tqdm

    execution.warm_up(execution.PIPELINE_PRELOAD)  # the worker server imports while the notebooks run
    out_dir = params_mod.report_dir(parameters)
    timings = {} if timings is None else timings
    names = [name for name, _ in STEPS]
    background = ThreadPoolExecutor(max_workers=1)
    report_pool = None
    try:
        for name in tqdm(names, desc="Pipeline", unit="notebook"):
            started = time.perf_counter()
            run_step(name, parameters)
            step = name.removesuffix(".ipynb")
            timings[step] = round(time.perf_counter() - started, 1)
            tqdm.write(f"  {name} selesai dalam {timings[step]:.1f} detik")
            if with_reports and step == params_mod.CLEAN:  # the report processes start while matching runs
                report_pool = background.submit(_report_pool, parameters)
        if with_reports:
            from helpers.publishing.render import render_all

            started = time.perf_counter()
            render_all(parameters, pool=report_pool.result() if report_pool else None, publish=True)
            timings["laporan"] = round(time.perf_counter() - started, 1)
    finally:
        background.shutdown()  # the report processes have started (or failed to)
        if report_pool is not None and report_pool.exception() is None:
            report_pool.result().shutdown()
    return out_dir


def closing_lines(parameters: dict) -> list[str]:
    """The last lines a run prints (:func:`helpers.guards.closing_lines`), from its ``summary.json``."""
    summary = catalog.SUMMARY.at(parameters["processed_dir"])
    if not summary.is_file():
        return []
    return guards.closing_lines(json.loads(summary.read_text(encoding="utf-8")), Path(parameters["processed_dir"]))


def run_one(step: str, parameters: dict, given: list[str] = ()) -> str:
    """Run one step alone (``--langkah``) on the outputs already there, after :func:`helpers.runs.check_inputs`
    (comparing also the parameters in ``given``, the ones set explicitly); return the closing message. Holds the
    lock of the processed folder, as a full run does."""
    step = params_mod.step_name(step)
    report = step == params_mod.REPORT
    if step == params_mod.CLEAN:
        runs.check_raw_dir(parameters["raw_dir"])
    execution.warm_up(execution.REPORT_PRELOAD if report else execution.PIPELINE_PRELOAD)  # imports while we check
    with lock.hold(parameters["processed_dir"]):
        parameters = report_date.settled(parameters, step)
        runs.check_inputs(step, parameters, given)
        if report:
            from helpers.publishing.render import render_all

            paths = render_all(parameters, given=given, publish=True)
            return f"Selesai: {len(paths)} laporan di {params_mod.report_dir(parameters)}"
        path = run_step(step, parameters)
    return f"Selesai: langkah {step}. Notebook yang dijalankan: {path}"


def main(argv: list[str] | None = None) -> int:
    parser = cli.parser("python -m helpers pipeline", "Jalankan seluruh pipeline, atau satu langkah saja.")
    parser.add_argument("--tanpa-laporan", action="store_true", help="berhenti setelah peta, tanpa laporan HTML")
    parser.add_argument(
        "--langkah", metavar="NAMA", help=f"jalankan satu langkah saja ({', '.join(params_mod.STEP_NAMES)}) "
        "pada hasil yang sudah ada; 04_report = buat laporan",
    )  # fmt: skip
    args = parser.parse_args(argv)

    def action() -> str:
        parameters = params_mod.resolve(args.params, args.parameter)
        if args.langkah:
            return run_one(args.langkah, parameters, list(params_mod.explicit(args.params, args.parameter)))
        out_dir = run(report_date.settled(parameters), with_reports=not args.tanpa_laporan)
        return "\n".join([*closing_lines(parameters), f"Selesai. Hasil di {out_dir}"])

    return cli.guarded(action)

if __name__ == "__main__":
    sys.exit(main())
