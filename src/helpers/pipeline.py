"""The pipeline runner: ``python -m helpers pipeline [--params FILE.yaml] [-p NAME VALUE ...]``.

Executes the notebooks in order with papermill (cleaning, matching, maps), stores the executed notebooks in
``reports/<report_date>/notebook/``, copies ``summary.json`` beside them, then renders the reports
(kabupaten + 21 kecamatan, or one kecamatan with ``-p kecamatan NAME``). Stops with a clear message naming
the notebook and cell that failed.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from tqdm import tqdm

from helpers import cli
from helpers import params as params_mod
from helpers import workers as helpers_workers
from helpers.notebooks import run_notebook

#: Notebooks in order, with the parameters each receives.
STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("01_clean.ipynb", ("raw_dir", "processed_dir", "reports_dir", "report_date", "kode_kabupaten")),
    (
        "02_match.ipynb",
        ("raw_dir", "processed_dir", "reports_dir", "report_date", "ambang_padan", "ambang_tinjau", "min_strategi",
         "kode_kabupaten", "register", "desil_dtsen", "mesin_padan"),
    ),
    ("03_map.ipynb", ("raw_dir", "processed_dir", "reports_dir", "report_date", "boundary_path", "kecamatan",
                      "kode_kabupaten")),
)


def run_step(name: str, parameters: dict) -> Path:
    """Execute one notebook of :data:`STEPS` with its parameters; the executed copy goes to
    ``reports/<report_date>/notebook/``."""
    keys = dict(STEPS)[name]
    out_dir = params_mod.report_dir(parameters)
    return run_notebook(
        name, {k: parameters[k] for k in keys}, out_dir / "notebook" / name, failed_dir=out_dir / "_gagal"
    )


def run(parameters: dict, with_reports: bool = True, timings: dict[str, float] | None = None) -> Path:
    """Run every step for resolved ``parameters``; return the report folder. ``timings``, when given, receives
    the seconds of each notebook and of the reports (``laporan``)."""
    out_dir = params_mod.report_dir(parameters)
    timings = {} if timings is None else timings
    if with_reports:
        helpers_workers.warm_up()  # the report workers' server imports while the notebooks run
    for name, _ in tqdm(STEPS, desc="Pipeline", unit="notebook"):
        started = time.perf_counter()
        run_step(name, parameters)
        timings[name.removesuffix(".ipynb")] = round(time.perf_counter() - started, 1)
        tqdm.write(f"  {name} selesai dalam {timings[name.removesuffix('.ipynb')]:.1f} detik")
    summary = Path(parameters["processed_dir"]) / "summary.json"
    if summary.is_file():
        shutil.copyfile(summary, out_dir / "summary.json")
    if with_reports:
        from helpers.publishing.render import render_all

        started = time.perf_counter()
        render_all(parameters)
        timings["laporan"] = round(time.perf_counter() - started, 1)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    parser = cli.parser("python -m helpers pipeline", "Jalankan seluruh pipeline.")
    parser.add_argument("--tanpa-laporan", action="store_true", help="berhenti setelah peta, tanpa laporan HTML")
    args = parser.parse_args(argv)

    def action() -> str:
        out_dir = run(params_mod.resolve(args.params, args.parameter), with_reports=not args.tanpa_laporan)
        return f"Selesai. Hasil di {out_dir}"

    return cli.guarded(action)

if __name__ == "__main__":
    sys.exit(main())
