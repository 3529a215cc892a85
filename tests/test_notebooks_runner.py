"""Running a notebook step (helpers.execution: papermill with the in-process engine), the pipeline CLI and the
report renderer, on tiny synthetic notebooks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import nbformat
import papermill as pm
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers import execution, params, pipeline, runs
from helpers.config import ROOT
from helpers.errors import InputError, NotebookFailed
from helpers.publishing import render as reports


def _notebook(folder, name, cells, parameters="x = 1"):
    nb = new_notebook(cells=[new_code_cell(parameters, metadata={"tags": ["parameters"]})] + [new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / name)
    return folder / name


def test_runs_and_writes_output(tmp_path):
    _notebook(tmp_path, "ok.ipynb", ["y = x * 2\nprint(y)"])
    executed = execution.run_notebook("ok.ipynb", {"x": 21}, tmp_path / "hasil" / "ok.ipynb", notebooks_dir=tmp_path)
    text = (tmp_path / "hasil" / "ok.ipynb").read_text()
    assert "42" in text and "injected-parameters" in text
    assert executed.metadata["papermill"]["parameters"] == {"x": 21}  # papermill's own record of the run
    assert not list((tmp_path / "hasil").glob(".*.tmp"))


#: What a kernel shows: streams in order, rich display, a cell's last value, a figure left open, warnings,
#: clear_output, an updated display.
KERNEL_CELLS = [
    "print('a'); import sys; print('galat', file=sys.stderr)\nfrom IPython.display import display, HTML\n"
    "display(HTML('<b>h</b>'))\nprint('b')\nprint('c')\nx * 2",
    "import pandas as pd\npd.DataFrame({f'kolom_{i}': range(3) for i in range(30)})",
    "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3]);",
    "from IPython.display import clear_output\nprint('hilang')\nclear_output(wait=True)\nprint('tinggal')",
    "handle = display('pertama', display_id=True)\nhandle.update('kedua')\n1;",
    "for i in range(2):\n    print(i)\n    display(i)",
]


def _outputs(nb) -> list:
    return [c.outputs for c in nb.cells if c.cell_type == "code"], [c.execution_count for c in nb.cells if c.cell_type == "code"]


def test_the_engine_gives_the_outputs_a_kernel_gives(tmp_path):
    """The same notebook through papermill on a Jupyter kernel and through the in-process engine (in a new
    process, as a command runs it): the same outputs and execution counts (the figure byte for byte)."""
    _notebook(tmp_path, "sama.ipynb", KERNEL_CELLS)
    code = (f"from pathlib import Path; from helpers import execution; execution.run_notebook('sama.ipynb', {{'x': 5}}, "
            f"Path({str(tmp_path / 'engine.ipynb')!r}), notebooks_dir=Path({str(tmp_path)!r}))")  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    in_process = nbformat.read(tmp_path / "engine.ipynb", as_version=4)
    kernel = pm.execute_notebook(str(tmp_path / "sama.ipynb"), str(tmp_path / "kernel.ipynb"), parameters={"x": 5},
                                 kernel_name="python3", progress_bar=False, cwd=str(tmp_path))  # fmt: skip
    assert _outputs(in_process) == _outputs(kernel)
    figure = in_process.cells[4].outputs
    assert [o.output_type for o in figure] == ["display_data"] and "image/png" in figure[0].data
    assert in_process.metadata["language_info"] == kernel.metadata["language_info"]


def test_each_notebook_starts_afresh(tmp_path):
    """Names, pandas options and warning filters of one notebook do not reach the next (as with a kernel each)."""
    _notebook(tmp_path, "satu.ipynb", ["import warnings, pandas as pd\nrahasia = 1\npd.set_option('display.max_colwidth', 7)\n"
                                       "warnings.simplefilter('error')"])  # fmt: skip
    _notebook(tmp_path, "dua.ipynb", ["import warnings, pandas as pd\n"
                                      "print('rahasia' in globals(), pd.get_option('display.max_colwidth'),\n"
                                      "      ('error', None, Warning, None, 0) in warnings.filters)"])  # fmt: skip
    execution.run_notebook("satu.ipynb", {}, notebooks_dir=tmp_path)
    second = execution.run_notebook("dua.ipynb", {}, notebooks_dir=tmp_path)
    assert second.cells[1].outputs[0]["text"] == "False 50 False\n"
    assert [c.execution_count for c in second.cells] == [1, 2]


def test_pipeline_stops_the_report_workers_when_a_step_fails(tmp_path, monkeypatch):
    pools = []
    real_pool = reports.start_pool

    def fake_step(name, parameters):
        if name == "02_match.ipynb":
            raise NotebookFailed("Notebook 02_match.ipynb gagal di sel ke-3: uji")

    def start_pool(parameters):
        pool = real_pool(parameters)
        pools.append(list(pool._processes.values()))  # the two workers it started
        return pool

    monkeypatch.setattr(reports, "start_pool", start_pool)
    monkeypatch.setattr(pipeline, "run_step", fake_step)
    parameters = params.resolve(overrides={"processed_dir": str(tmp_path / "p"), "reports_dir": str(tmp_path / "r")})
    with pytest.raises(NotebookFailed, match="02_match"):
        pipeline.run(parameters)
    assert len(pools) == 1 and len(pools[0]) == 2 and not any(p.is_alive() for p in pools[0])


def test_report_workers_warm_up_like_a_report():
    html = reports.warm_up_html(params.resolve(overrides={"report_date": "2024-11-06"}))
    assert "<b>a</b>" in html and "data:image/png;base64" in html and "<script src" not in html


def test_refuses_parameters_the_notebook_does_not_declare(tmp_path):
    _notebook(tmp_path, "nb.ipynb", ["pass"])
    with pytest.raises(InputError, match=r"tidak mendeklarasikan parameter \['y'\]"):
        execution.run_notebook("nb.ipynb", {"y": 1}, tmp_path / "out.ipynb", notebooks_dir=tmp_path)


def test_failure_names_notebook_and_cell_and_keeps_a_readable_copy(tmp_path):
    _notebook(tmp_path, "rusak.ipynb", ["a = 1", "raise ValueError('angka salah')", "print('tidak sampai')"])
    with pytest.raises(NotebookFailed) as info:
        execution.run_notebook("rusak.ipynb", {"x": 2}, tmp_path / "out.ipynb", failed_dir=tmp_path / "_gagal",
                               notebooks_dir=tmp_path)  # fmt: skip
    message = str(info.value)
    assert message == "Notebook rusak.ipynb gagal di sel ke-4: ValueError: angka salah"  # the injected cell is 2nd
    assert not (tmp_path / "out.ipynb").exists()
    copy = (tmp_path / "_gagal" / "rusak.html").read_text()
    assert "angka salah" in copy and "ValueError" in copy and "Execution using papermill encountered" in copy
    assert "tidak sampai" in copy  # the cells after it are shown, not run


def test_input_error_in_a_cell_is_shown_as_its_message(tmp_path):
    _notebook(tmp_path, "data.ipynb", ["from helpers.errors import InputError\nraise InputError('Kolom NIK tidak ada di file x.xlsx')"])
    with pytest.raises(NotebookFailed) as info:
        execution.run_notebook("data.ipynb", {}, tmp_path / "out.ipynb", notebooks_dir=tmp_path)
    assert str(info.value) == "Notebook data.ipynb berhenti di sel ke-2:\nKolom NIK tidak ada di file x.xlsx"


def test_pipeline_cli_rejects_a_bad_report_date(capsys):
    assert pipeline.main(["-p", "report_date", "06/11/2024"]) == 2
    err = capsys.readouterr().err
    assert "TTTT-BB-HH" in err and "Traceback" not in err


@pytest.mark.parametrize("step", ["05_jelajah", "laporan"])
def test_pipeline_cli_rejects_an_unknown_step(step, capsys):
    assert pipeline.main(["--langkah", step]) == 2
    err = capsys.readouterr().err
    assert f'Langkah "{step}" tidak dikenal' in err and "01_clean, 02_match, 03_map, 04_report" in err


@pytest.mark.parametrize("step", ["02_match", "03_map.ipynb", "04_report"])
def test_one_step_refuses_missing_inputs(step, tmp_path, capsys):
    args = ["--langkah", step, "-p", "processed_dir", str(tmp_path / "p"), "-p", "reports_dir", str(tmp_path / "r")]
    assert pipeline.main(args) == 2
    err = capsys.readouterr().err
    assert "tidak mencatat langkah 01_clean" in err and "python -m helpers pipeline --langkah 01_clean" in err
    assert not (tmp_path / "r").exists()


def test_every_notebook_checks_its_inputs_in_its_first_code_cell():
    from helpers.config import NOTEBOOKS_DIR

    for step in params.STEP_NAMES:
        nb = nbformat.read(NOTEBOOKS_DIR / f"{step}.ipynb", as_version=4)
        code = [c.source for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
        assert f'params.for_notebook("{step}", globals()' in code[0], step
        assert re.search(rf'runs\.check_inputs\("{step}", p\)', code[0]), step


def test_kecamatan_parameter_by_name_or_code():
    assert reports.resolve_kecamatan_parameter("", "35.17") == ""
    assert reports.resolve_kecamatan_parameter("Mojo Agung", "35.17") == "35.17.06"
    assert reports.resolve_kecamatan_parameter("35.17.06", "35.17") == "35.17.06"
    with pytest.raises(InputError, match='mungkin maksudnya "Mojoagung"'):
        reports.resolve_kecamatan_parameter("Mojoagungg", "35.17")


def test_export_html_is_offline_without_code_or_parameters(tmp_path):
    nb = _notebook(tmp_path, "laporan.ipynb", ["print('isi laporan')"], parameters='kecamatan = ""')
    executed = execution.run_notebook("laporan.ipynb", {"kecamatan": "35.17.06"}, notebooks_dir=tmp_path)
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
    with runs.recording_maps(parameters, params.report_dir(parameters) / "peta"):
        pass
    with pytest.raises(NotebookFailed, match="1 dari 1 laporan gagal"):
        reports.render_all(parameters)
    out = reports.report_path(parameters, "35.17.01")
    assert not out.exists() and not list(out.parent.glob(".*.tmp"))
    assert list((tmp_path / "laporan").rglob("_gagal/*/04_report.html"))
    assert json.loads((tmp_path / "kosong" / runs.MANIFEST_FILE).read_text())["langkah"]["03_map"]["selesai"]
