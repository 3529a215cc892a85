"""The papermill runner, the pipeline CLI and the report renderer, on tiny synthetic notebooks."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers import params, pipeline, runs
from helpers.errors import InputError
from helpers.kernels import start_kernel, stop_kernel
from helpers.notebooks import NotebookFailed, run_notebook
from helpers.publishing import render as reports


def _notebook(folder, name, cells, parameters='x = 1'):
    nb = new_notebook(cells=[new_code_cell(parameters, metadata={"tags": ["parameters"]})] + [new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / name)
    return folder / name


def test_runs_and_writes_output(tmp_path):
    _notebook(tmp_path, "ok.ipynb", ["y = x * 2\nprint(y)"])
    out = run_notebook("ok.ipynb", {"x": 21}, tmp_path / "hasil" / "ok.ipynb", notebooks_dir=tmp_path)
    text = out.read_text()
    assert "42" in text and "injected-parameters" in text


def test_a_kernel_started_ahead_runs_its_warm_up_first_and_leaves_no_trace(tmp_path):
    check = (
        "import os, sys\n"
        "names = [n for n in globals() if not n.startswith('_') and n not in ('In', 'Out', 'exit', 'quit', 'get_ipython', 'open', 'os', 'sys', 'x')]\n"
        "print('colorsys' in sys.modules, os.environ.get('WARM_UP_UJI'), names)"
    )  # fmt: skip
    _notebook(tmp_path, "awal.ipynb", [check])
    kernel = start_kernel(["colorsys"], "import os\nos.environ['WARM_UP_UJI'] = 'sudah'", notebooks_dir=tmp_path)
    try:
        out = run_notebook("awal.ipynb", {"x": 1}, tmp_path / "out.ipynb", notebooks_dir=tmp_path, km=kernel.km)
    finally:
        stop_kernel(kernel)
    assert not kernel.km.is_alive()
    cells = [c for c in nbformat.read(out, as_version=4).cells if c.cell_type == "code"]
    assert cells[-1].outputs[0]["text"].strip() == "True sudah []"
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1))


def test_pipeline_stops_every_kernel_and_report_worker_when_a_step_fails(tmp_path, monkeypatch):
    started, pools = [], []
    real_start, real_pool = pipeline.start_kernel, reports.start_pool

    def fake_step(name, parameters, km=None):
        if name == "02_match.ipynb":
            raise NotebookFailed("Notebook 02_match.ipynb gagal di sel ke-3: uji")

    monkeypatch.setattr(pipeline, "start_kernel", lambda *a: started.append(real_start(*a)) or started[-1])
    def start_pool(parameters):
        pool = real_pool(parameters)
        pools.append(list(pool._processes.values()))  # the two workers it started
        return pool

    monkeypatch.setattr(reports, "start_pool", start_pool)
    monkeypatch.setattr(pipeline, "run_step", fake_step)
    parameters = params.resolve(overrides={"processed_dir": str(tmp_path / "p"), "reports_dir": str(tmp_path / "r")})
    with pytest.raises(NotebookFailed, match="02_match"):
        pipeline.run(parameters)
    assert len(started) == 3 and not any(k.km.is_alive() for k in started)
    assert len(pools) == 1 and len(pools[0]) == 2 and not any(p.is_alive() for p in pools[0])


def test_report_workers_warm_up_like_a_report():
    html = reports.warm_up_html(params.resolve())
    assert "<b>a</b>" in html and "data:image/png;base64" in html and "<script src" not in html


def test_refuses_parameters_the_notebook_does_not_declare(tmp_path):
    _notebook(tmp_path, "nb.ipynb", ["pass"])
    with pytest.raises(InputError, match=r"tidak mendeklarasikan parameter \['y'\]"):
        run_notebook("nb.ipynb", {"y": 1}, tmp_path / "out.ipynb", notebooks_dir=tmp_path)


def test_failure_names_notebook_and_cell_and_keeps_a_readable_copy(tmp_path):
    _notebook(tmp_path, "rusak.ipynb", ["a = 1", "raise ValueError('angka salah')"])
    with pytest.raises(NotebookFailed) as info:
        run_notebook("rusak.ipynb", {"x": 2}, tmp_path / "out.ipynb", failed_dir=tmp_path / "_gagal", notebooks_dir=tmp_path)
    message = str(info.value)
    assert "rusak.ipynb" in message and "sel ke-" in message and "ValueError: angka salah" in message
    assert not (tmp_path / "out.ipynb").exists()
    assert "angka salah" in (tmp_path / "_gagal" / "rusak.html").read_text()


def test_input_error_in_a_cell_is_shown_as_its_message(tmp_path):
    _notebook(tmp_path, "data.ipynb", ["from helpers.errors import InputError\nraise InputError('Kolom NIK tidak ada di file x.xlsx')"])
    with pytest.raises(NotebookFailed) as info:
        run_notebook("data.ipynb", {}, tmp_path / "out.ipynb", notebooks_dir=tmp_path)
    assert "berhenti di" in str(info.value) and "Kolom NIK tidak ada di file x.xlsx" in str(info.value)
    assert "Traceback" not in str(info.value)


def test_pipeline_cli_rejects_a_bad_report_date(capsys):
    assert pipeline.main(["-p", "report_date", "06/11/2024"]) == 2
    err = capsys.readouterr().err
    assert "TTTT-BB-HH" in err and "Traceback" not in err


def test_kecamatan_parameter_by_name_or_code():
    assert reports.resolve_kecamatan_parameter("", "35.17") == ""
    assert reports.resolve_kecamatan_parameter("Mojo Agung", "35.17") == "35.17.06"
    assert reports.resolve_kecamatan_parameter("35.17.06", "35.17") == "35.17.06"
    with pytest.raises(InputError, match='mungkin maksudnya "Mojoagung"'):
        reports.resolve_kecamatan_parameter("Mojoagungg", "35.17")


def test_export_html_is_offline_without_code_or_parameters(tmp_path):
    nb = _notebook(tmp_path, "laporan.ipynb", ["print('isi laporan')"], parameters='kecamatan = ""')
    executed = run_notebook("laporan.ipynb", {"kecamatan": "35.17.06"}, tmp_path / "done.ipynb", notebooks_dir=tmp_path)
    meta = {"instansi": "Bappeda", "judul": "Judul Uji", "wilayah": "Kabupaten Jombang", "tanggal": "6 November 2024",
            "sumber": "uji", "kaki": "kaki uji"}  # fmt: skip
    html = reports.export_html(executed, meta)
    assert "isi laporan" in html and "Judul Uji" in html and "kaki uji" in html
    assert "print(" not in html and "35.17.06" not in html  # no code, no injected parameters
    assert '<html lang="id"' in html and "<script src" not in html and "cdn" not in html.lower()
    assert nb.exists()


def test_failed_report_leaves_nothing_in_place(tmp_path):
    parameters = params.resolve(
        overrides={"processed_dir": str(tmp_path / "kosong"), "reports_dir": str(tmp_path / "laporan"), "kecamatan": "Perak"}
    )
    for step in runs.STEPS:  # a finished run whose tables are missing: the report notebook itself fails
        runs.start_step(tmp_path / "kosong", step, "run-uji")
        runs.finish_step(tmp_path / "kosong", step, "run-uji", [])
    with pytest.raises(NotebookFailed, match="1 dari 1 laporan gagal"):
        reports.render_all(parameters)
    out = reports.report_path(parameters, "35.17.01")
    assert not out.exists() and not list(out.parent.glob(".*.tmp"))
    assert list((tmp_path / "laporan").rglob("_gagal/*/04_report.html"))
