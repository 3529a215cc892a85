"""Rendering the narrative reports to self-contained, offline HTML.

``python -m helpers reports [--params FILE.yaml] [-p NAME VALUE ...]`` (``make reports``; the same as
``python -m helpers pipeline --langkah 04_report``) renders, from the processed data and maps alone,
``reports/<report_date>/laporan_kabupaten.html`` and ``reports/<report_date>/kecamatan/<kode>_<nama>.html`` for
all 21 kecamatan (or only the one given with ``-p kecamatan NAME``), in two worker processes. Every report is
``notebooks/04_report.ipynb`` (the one narrative source) executed by papermill in the worker's own process
(:func:`helpers.execution.run_notebook`), and exported by nbconvert with the code hidden, images embedded and no
script from any other host. The processed tables are read once per worker. A report is written to a temporary
file and moved into place only when complete, so a failed render never leaves a half-written report behind.

The command imports little before it starts the workers' server (:func:`helpers.execution.warm_up`), which
imports what a report needs while this process checks the inputs (:func:`helpers.runs.check_inputs`).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers import catalog, cli, execution, lock, outputs, report_date, runs
from helpers import params as params_mod
from helpers.config import NOTEBOOKS_DIR, PACKAGE_DIR
from helpers.errors import InputError, NotebookFailed, notebook_failure
from helpers.reference.wilayah import (
    kabupaten_name,
    kecamatan_table,
    kepala_daerah,
    resolve_kecamatan,
    suggest_kecamatan,
)
from helpers.vocabulary import DTSEN

REPORT_NOTEBOOK = "04_report.ipynb"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
REMOVED_TAGS = {"injected-parameters", "parameters", "sembunyikan"}
REPORT_PARAMETERS = params_mod.for_step(params_mod.REPORT)
SOURCES = (
    "SK {kepala} tentang penduduk miskin ekstrem; P3KE 2024 (Kemenko PMK, BAST 14 Maret 2024); "
    "laporan intervensi OPD; verifikasi lapangan camat; BPS"
)
_P3KE_SOURCE = "P3KE 2024 (Kemenko PMK, BAST 14 Maret 2024)"


def sources(parameters: dict) -> str:
    """The report's sources: :data:`SOURCES` for the run's kabupaten/kota (``kode_kabupaten``), with the DTSEN
    export named when the run matched against DTSEN."""
    text = SOURCES.format(kepala=kepala_daerah(parameters["kode_kabupaten"]))
    path = catalog.PARAMETER_RUN.at(parameters["processed_dir"])
    run = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if run.get("register") != DTSEN:
        return text
    return text.replace(_P3KE_SOURCE, f"{run['register_label']} (desil {run['desil_dtsen']}); {_P3KE_SOURCE}")


WORKERS = execution.WORKERS


def resolve_kecamatan_parameter(value: str, kode_kabupaten: str) -> str:
    """The kecamatan code for a name or code given as a parameter ('' for the whole kabupaten)."""
    if not str(value).strip():
        return ""
    code = resolve_kecamatan(pd.Series([str(value)]), kode_kabupaten).iloc[0]
    if pd.isna(code):
        hint = suggest_kecamatan(value, kode_kabupaten)
        raise InputError(f'Kecamatan "{value}" tidak dikenal' + (f'; mungkin maksudnya "{hint}"?' if hint else "."))
    return str(code)


def report_path(parameters: dict, kode: str) -> Path:
    out_dir = params_mod.report_dir(parameters)
    if not kode:
        return out_dir / "laporan_kabupaten.html"
    table = kecamatan_table(parameters["kode_kabupaten"])
    names = dict(zip(table["kode"], table["nama"]))
    return out_dir / "kecamatan" / f"{kode}_{names[kode]}.html"


def _metadata(parameters: dict, kode: str) -> dict:
    from helpers.publishing.fmt import tanggal

    kode_kabupaten = parameters["kode_kabupaten"]
    table = kecamatan_table(kode_kabupaten)
    names = dict(zip(table["kode"], table["nama"]))
    kabupaten = kabupaten_name(kode_kabupaten)
    wilayah = f"Kecamatan {names[kode]}, {kabupaten}" if kode else kabupaten
    return {
        "instansi": f"Bappeda {kabupaten} · Sekretariat TKPK",
        "judul": "Laporan Percepatan Penghapusan Kemiskinan Ekstrem",
        "wilayah": wilayah,
        "tanggal": tanggal(parameters["report_date"]),
        "sumber": sources(parameters),
        "kaki": (
            "Dokumen ini dihasilkan otomatis dari data olahan (notebook 04_report). NIK disamarkan sesuai "
            "UU 27/2022 tentang Pelindungan Data Pribadi; daftar lengkap hanya ada pada formulir verifikasi "
            "yang dikirim kepada camat dan OPD."
        ),
    }


@lru_cache(maxsize=1)
def _exporter():
    """The report exporter (its template is loaded once per process)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="laporan",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.language_code = "id"
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=REMOVED_TAGS, enabled=True), enabled=True)
    return exporter


def export_html(executed, metadata: dict) -> str:
    """nbconvert HTML of an executed report notebook (a notebook node or an ``.ipynb`` file): no code, no
    parameters cell, offline template."""
    import nbformat

    nb = executed if isinstance(executed, nbformat.NotebookNode) else nbformat.read(executed, as_version=4)
    nb.metadata["title"] = f"{metadata['judul']} — {metadata['wilayah']} — {metadata['tanggal']}"
    nb.metadata["laporan"] = metadata
    body, _ = _exporter().from_notebook_node(nb)
    return body


def render_area(parameters: dict, kode: str) -> Path:
    """Render one report (``kode`` = '' for the kabupaten) from ``notebooks/04_report.ipynb``, executed in this
    process (:func:`helpers.execution.run_notebook`); returns its path. A failed report: its partly executed
    notebook in ``_gagal/<kode or kabupaten>/``."""
    out = report_path(parameters, kode)
    notebook_params = {k: parameters[k] for k in REPORT_PARAMETERS}
    notebook_params["kecamatan"] = kode
    failed_dir = params_mod.report_dir(parameters) / "_gagal" / (kode or "kabupaten")
    executed = execution.run_notebook(REPORT_NOTEBOOK, notebook_params, failed_dir=failed_dir,
                                      notebooks_dir=NOTEBOOKS_DIR)  # fmt: skip
    return outputs.write_text(export_html(executed, _metadata(parameters, kode)), out)  # never half-written


#: A small notebook executed and exported like a report by each rendering process before its first report.
WARM_UP_CODE = (
    "import matplotlib.pyplot as plt\nfrom IPython.display import HTML, Markdown, display\n"
    "from helpers.publishing import charts, prose, report_data, report_figures, sections\n"
    "display(Markdown('**a** 1'))\ndisplay(HTML('<b>a</b>'))\nfigure, ax = plt.subplots()\nax.set_title('a')\n"
    "figure.tight_layout()\ncharts.show(figure)"
)


def warm_up_html(parameters: dict) -> str:
    """A rendering process's first-use costs, paid before its first report: a small notebook that imports what
    the report notebook imports and shows text, HTML and a chart, executed and exported like a report (the
    shell's formatters, matplotlib's fonts, nbformat's schema, the HTML template and its markdown filters).
    Returns its HTML."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    metadata = nbformat.read(NOTEBOOKS_DIR / REPORT_NOTEBOOK, as_version=4).metadata
    cells = [new_code_cell("", metadata={"tags": ["parameters"]}), new_markdown_cell("*a*"),
             new_code_cell(WARM_UP_CODE)]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="pemanasan-") as folder:
        nbformat.write(new_notebook(cells=cells, metadata=metadata), Path(folder) / "pemanasan.ipynb")
        executed = execution.run_notebook("pemanasan.ipynb", {}, notebooks_dir=Path(folder))
    return export_html(executed, _metadata(parameters, ""))


def _warm_up(parameters: dict) -> None:
    try:
        warm_up_html(parameters)
    except Exception:  # noqa: BLE001  only a head start: the reports themselves show any real problem
        pass


def start_pool(parameters: dict, workers: int = WORKERS) -> ProcessPoolExecutor:
    """Report workers started now, each warmed up (:func:`warm_up_html`) before it renders, for
    :func:`render_all`: a long run starts them while it matches and draws maps. The caller shuts the pool down."""
    pool = execution.pool(workers, initializer=_warm_up, initargs=(parameters,), preload=execution.REPORT_PRELOAD)
    for _ in range(workers):
        pool.submit(int)  # each submission to a busy pool starts one more process
    return pool


def _render_timed(parameters: dict, kode: str) -> tuple[Path, float]:
    started = time.perf_counter()
    return render_area(parameters, kode), time.perf_counter() - started


def render_all(
    parameters: dict, workers: int = WORKERS, pool: ProcessPoolExecutor | None = None, given: list[str] = (),
    publish: bool = False,
) -> list[Path]:
    """Render the kabupaten report and every kecamatan report (or only ``parameters['kecamatan']``), in
    ``workers`` new processes or in ``pool`` (from :func:`start_pool`; the caller shuts it down). With
    ``publish``, also what :func:`helpers.publishing.brief.publish` writes: the brief and the OPD pages in the same
    processes, right after the kabupaten report, then the index of report dates. Returns the reports' paths.

    Refuses (:class:`InputError`) inputs that are missing or from a mix of runs, or made with other parameters
    (:func:`helpers.runs.check_inputs`; ``given``: the parameters set explicitly). Keeps going when one report
    fails, then raises :class:`NotebookFailed` listing every failure.
    """
    from tqdm import tqdm

    from helpers.publishing import brief
    from helpers.publishing.index import write_index

    runs.check_inputs(params_mod.REPORT, parameters, given)  # never from a mix of runs or parameters
    chosen = resolve_kecamatan_parameter(parameters.get("kecamatan", ""), parameters["kode_kabupaten"])
    areas = [chosen] if chosen else [""] + list(kecamatan_table(parameters["kode_kabupaten"])["kode"])
    done: list[Path] = []
    failures: list[str] = []
    bad_input = True  # every failure is bad input (exit code 2), not a fault
    own = execution.pool(min(workers, len(areas)), preload=execution.REPORT_PRELOAD) if pool is None else None
    if publish:
        brief.keep_summary(parameters)
    with nullcontext(pool) if pool else own as executor:
        futures = {executor.submit(_render_timed, parameters, areas[0]): areas[0]}  # the largest first
        pages = executor.submit(brief.write_pages, parameters) if publish else None
        futures |= {executor.submit(_render_timed, parameters, kode): kode for kode in areas[1:]}
        for future in tqdm(as_completed(futures), total=len(futures), desc="Laporan HTML", unit="laporan"):
            try:
                path, seconds = future.result()
                done.append(path)
                tqdm.write(f"  {path.name}: {seconds:.1f} detik, {path.stat().st_size / 1024:.0f} kB")
            except (NotebookFailed, InputError) as exc:
                failures.append(str(exc))
                bad_input = bad_input and isinstance(exc, InputError)
        if pages is not None:
            pages.result()
    if publish:
        write_index(parameters["reports_dir"], parameters["kode_kabupaten"])
    if failures:
        message = f"{len(failures)} dari {len(areas)} laporan gagal dibuat:\n" + "\n".join(failures)
        raise notebook_failure(message, "InputError" if bad_input else "")
    return sorted(done)


def main(argv: list[str] | None = None) -> int:
    args = cli.parser("python -m helpers reports", "Buat ulang laporan HTML.").parse_args(argv)
    execution.warm_up(execution.REPORT_PRELOAD)  # first: the workers' server imports while this process checks

    def action() -> str:
        parameters = params_mod.resolve(args.params, args.parameter)
        with lock.hold(parameters["processed_dir"]):  # never while a pipeline rewrites the processed data
            parameters = report_date.settled(parameters, params_mod.REPORT)
            paths = render_all(parameters, given=list(params_mod.explicit(args.params, args.parameter)), publish=True)
        return f"Selesai: {len(paths)} laporan di {params_mod.report_dir(parameters)}"

    return cli.guarded(action)

if __name__ == "__main__":
    sys.exit(main())
