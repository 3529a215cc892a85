"""The pipeline runner: ``python -m helpers pipeline [--params FILE.yaml] [-p NAME VALUE ...]``.

Executes the notebooks in order with papermill (cleaning, matching, maps), stores the executed notebooks in
``reports/<report_date>/notebook/``, copies ``summary.json`` beside them, then renders the reports
(kabupaten + 21 kecamatan, or one kecamatan with ``-p kecamatan NAME``). Stops with a clear message naming
the notebook and cell that failed.

While one notebook runs, the kernel of the next one starts and imports that notebook's modules
(:data:`WARM_UP`), so a notebook never waits for its kernel.

A run holds the lock of its processed folder from start to end (:mod:`helpers.lock`): a second run on the same
folder refuses at once. It ends with one line per input (rows read, quarantined, duplicated, ignored) and the
warnings of ``summary.json`` (:func:`helpers.guards.closing_lines`).
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tqdm import tqdm

from helpers import cli, guards, lock
from helpers import params as params_mod
from helpers import workers as helpers_workers
from helpers.errors import InputError
from helpers.kernels import start_kernel, stop_kernel

#: Notebooks in order, with the parameters each receives.
STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("01_clean.ipynb", ("raw_dir", "processed_dir", "reports_dir", "report_date", "kode_kabupaten", "register",
                        "terima_sk_berkurang")),
    (
        "02_match.ipynb",
        ("raw_dir", "processed_dir", "reports_dir", "report_date", "ambang_padan", "ambang_tinjau", "min_strategi",
         "kode_kabupaten", "register", "desil_dtsen", "mesin_padan"),
    ),
    ("03_map.ipynb", ("raw_dir", "processed_dir", "reports_dir", "report_date", "boundary_path", "kecamatan",
                      "kode_kabupaten")),
)

#: What each notebook's kernel does before the notebook runs: the modules it imports, and code (notebook 03's
#: drawing processes start their server early, as its first cell does).
WARM_UP: dict[str, tuple[list[str], str]] = {
    "01_clean.ipynb": (["pandas", "helpers.cleaning"], ""),
    "02_match.ipynb": (["helpers.matching", "helpers.statuses", "splink", "duckdb"], ""),
    "03_map.ipynb": (
        ["helpers.publishing.maps", "helpers.publishing.boundaries"],
        f"from helpers import workers\nworkers.warm_up({helpers_workers.MAPS_PRELOAD!r})",
    ),
}


def run_step(name: str, parameters: dict, km=None) -> Path:
    """Execute one notebook of :data:`STEPS` with its parameters (on ``km``, a kernel from
    :func:`~helpers.kernels.start_kernel`, when given); the executed copy goes to
    ``reports/<report_date>/notebook/``."""
    from helpers.notebooks import run_notebook  # papermill: imported while the first kernel starts

    keys = dict(STEPS)[name]
    out_dir = params_mod.report_dir(parameters)
    return run_notebook(
        name, {k: parameters[k] for k in keys}, out_dir / "notebook" / name, failed_dir=out_dir / "_gagal", km=km
    )


def _start(name: str):
    """The kernel for notebook ``name``, started now with its :data:`WARM_UP` (none for a notebook not listed)."""
    return start_kernel(*WARM_UP.get(name, ([], "")))


def _report_pool(parameters: dict):
    from helpers.publishing import render

    return render.start_pool(parameters)


def run(parameters: dict, with_reports: bool = True, timings: dict[str, float] | None = None) -> Path:
    """Run every step for resolved ``parameters``; return the report folder. ``timings``, when given, receives
    the seconds of each notebook and of the reports (``laporan``).

    Holds the lock of ``processed_dir`` throughout (:func:`helpers.lock.hold`: another run on it refuses at once
    with an :class:`InputError`). A missing raw folder is refused before anything starts.

    Nothing waits that need not: the kernel of each notebook starts while the one before runs; the report
    workers' server imports from the start, and the report workers start and warm up (in a thread of this
    process, which only waits for the kernels) once the cleaning is done."""
    raw_dir = Path(parameters["raw_dir"])
    if not raw_dir.is_dir():
        raise InputError(
            f"Folder data mentah {raw_dir} tidak ada. Periksa parameter raw_dir (bawaan: data/raw) atau letakkan file "
            "mentah di sana sesuai data/raw/README.md. Tidak ada yang diubah."
        )
    with lock.hold(parameters["processed_dir"]):
        return _run(parameters, with_reports, timings)


def _summary_path(parameters: dict) -> Path:
    """``summary.json`` of the run (``helpers.statuses.classify.SUMMARY_FILE``; not imported here: it loads Splink)."""
    return Path(parameters["processed_dir"]) / "summary.json"


def closing_lines(parameters: dict) -> list[str]:
    """The last lines a run prints (:func:`helpers.guards.closing_lines`), from its ``summary.json``."""
    summary = _summary_path(parameters)
    if not summary.is_file():
        return []
    return guards.closing_lines(json.loads(summary.read_text(encoding="utf-8")), Path(parameters["processed_dir"]))


def _run(parameters: dict, with_reports: bool, timings: dict[str, float] | None) -> Path:
    out_dir = params_mod.report_dir(parameters)
    timings = {} if timings is None else timings
    names = [name for name, _ in STEPS]
    kernels = {names[0]: _start(names[0])}
    background = ThreadPoolExecutor(max_workers=1)
    report_pool = None
    if with_reports:
        helpers_workers.warm_up()  # the report workers' server imports while the notebooks run
    try:
        for position, name in enumerate(tqdm(names, desc="Pipeline", unit="notebook")):
            started = time.perf_counter()
            if position + 1 < len(names):  # the next kernel starts and imports while this notebook runs
                kernels[names[position + 1]] = _start(names[position + 1])
            if with_reports and position == 1:  # the cleaned data exist
                report_pool = background.submit(_report_pool, parameters)
            run_step(name, parameters, km=kernels[name].km)
            stop_kernel(kernels.pop(name))
            timings[name.removesuffix(".ipynb")] = round(time.perf_counter() - started, 1)
            tqdm.write(f"  {name} selesai dalam {timings[name.removesuffix('.ipynb')]:.1f} detik")
        summary = _summary_path(parameters)
        if summary.is_file():
            shutil.copyfile(summary, out_dir / "summary.json")
        if with_reports:
            from helpers.publishing.render import render_all

            started = time.perf_counter()
            render_all(parameters, pool=report_pool.result() if report_pool else None)
            timings["laporan"] = round(time.perf_counter() - started, 1)
    finally:
        for kernel in kernels.values():
            stop_kernel(kernel)
        background.shutdown()  # the report workers have started (or failed to)
        if report_pool is not None and report_pool.exception() is None:
            report_pool.result().shutdown()
    return out_dir


def main(argv: list[str] | None = None) -> int:
    parser = cli.parser("python -m helpers pipeline", "Jalankan seluruh pipeline.")
    parser.add_argument("--tanpa-laporan", action="store_true", help="berhenti setelah peta, tanpa laporan HTML")
    args = parser.parse_args(argv)

    def action() -> str:
        parameters = params_mod.resolve(args.params, args.parameter)
        out_dir = run(parameters, with_reports=not args.tanpa_laporan)
        return "\n".join([*closing_lines(parameters), f"Selesai. Hasil di {out_dir}"])

    return cli.guarded(action)

if __name__ == "__main__":
    sys.exit(main())
