"""Repository rules: notebooks committed without outputs, one papermill parameters cell each,
and no personal data tracked under data/ or reports/."""

import json
import subprocess
import sys
import tomllib

import pytest

from helpers.config import ROOT


def _tracked(*patterns: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", *patterns], cwd=ROOT, capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if line]


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_outputs(path):
    nb = json.loads(path.read_text())
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs or execution counts (clear them before committing)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_exactly_one_parameters_cell(path):
    nb = json.loads(path.read_text())
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_tracked_notebooks_are_clean():
    for name in _tracked("*.ipynb"):
        nb = json.loads((ROOT / name).read_text())
        assert not any(c.get("outputs") or c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code"), name


def test_no_data_tracked_under_data_or_reports():
    tracked = _tracked("data", "reports")
    leaked = [t for t in tracked if not t.endswith(("README.md", ".gitkeep"))]
    assert not leaked, f"personal data must never enter git: {leaked}"


def test_expected_notebooks_exist():
    names = {p.name for p in NOTEBOOKS}
    assert {"01_clean.ipynb", "02_match.ipynb", "03_map.ipynb", "04_report.ipynb", "05_jelajah.ipynb"} <= names


# --------------------------------------------------------------------------- jupytext pairing

PAIRS = [(nb, nb.with_suffix(".py")) for nb in NOTEBOOKS]
_CONFIGURED_FORMATS = tomllib.loads((ROOT / "notebooks" / "jupytext.toml").read_text())["formats"]


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p[0].name)
def test_each_notebook_has_its_paired_py_in_sync(pair):
    import jupytext

    notebook, script = pair
    assert script.is_file(), f"{script.name} is missing: run `jupytext --sync {notebook.name}`"
    # the pairing comes from notebooks/jupytext.toml (a notebook made in JupyterLab carries no "formats" key)
    paired = jupytext.read(notebook).metadata["jupytext"].get("formats", _CONFIGURED_FORMATS)
    assert paired == _CONFIGURED_FORMATS == "ipynb,py:percent"
    left = jupytext.writes(jupytext.read(notebook), fmt="py:percent")
    right = jupytext.writes(jupytext.read(script), fmt="py:percent")
    assert left == right, f"{notebook.name} and {script.name} differ: run `jupytext --sync notebooks/*.py`"


def test_editing_the_py_and_syncing_changes_the_ipynb_and_keeps_cell_ids(tmp_path):
    import shutil

    import jupytext

    for source in (ROOT / "notebooks" / "02_match.ipynb", ROOT / "notebooks" / "02_match.py"):
        shutil.copy2(source, tmp_path / source.name)
    ids_before = [c["id"] for c in json.loads((tmp_path / "02_match.ipynb").read_text())["cells"]]
    script = tmp_path / "02_match.py"
    script.write_text(script.read_text().replace("# ## Parameter\n", "# ## Parameter (diubah analis)\n"))
    subprocess.run([sys.executable, "-m", "jupytext", "--sync", str(script)], check=True, capture_output=True)
    cells = json.loads((tmp_path / "02_match.ipynb").read_text())["cells"]
    assert any("Parameter (diubah analis)" in "".join(c["source"]) for c in cells)
    assert [c["id"] for c in cells] == ids_before
    assert jupytext.read(tmp_path / "02_match.ipynb").cells[0].source == jupytext.read(script).cells[0].source


def test_a_notebook_with_outputs_is_detected(tmp_path):
    nb = json.loads(NOTEBOOKS[0].read_text())
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "3517060101800001\n"}]
    dirty = [c for c in nb["cells"] if c["cell_type"] == "code" and c.get("outputs")]
    assert dirty  # the check used above sees it
    (tmp_path / "x.ipynb").write_text(json.dumps(nb))
    out = subprocess.run([sys.executable, "-m", "nbstripout", "--verify", "--keep-id", str(tmp_path / "x.ipynb")], capture_output=True)
    assert out.returncode != 0, "nbstripout --verify (the pre-commit hook) must refuse a notebook with outputs"


def test_pre_commit_strips_outputs_and_runs_ruff():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"nbstripout", "ruff-check", "jupytext-sync"} <= hooks


# --------------------------------------------------------------------------- layout


def test_pipeline_never_imports_the_demo_generator():
    code = (
        "import sys; import helpers.pipeline, helpers.provinsi, helpers.publishing.provinsi, helpers.cli, helpers.publishing.render, helpers.publishing.forms, "
        "helpers.statuses.classify, helpers.cleaning.step, helpers.publishing.maps, helpers.publishing.report_data, helpers.publishing.charts, helpers.publishing.sections; "
        "print(sorted(m for m in sys.modules if m.startswith('helpers.demo')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_one_command_line_with_subcommands():
    out = subprocess.run([sys.executable, "-m", "helpers", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    for command in ("pipeline", "reports", "forms", "demo", "provinsi", "benchmark"):
        assert command in out.stdout
    wrong = subprocess.run([sys.executable, "-m", "helpers", "laporan"], capture_output=True, text=True)
    assert wrong.returncode == 2 and "tidak dikenal" in wrong.stderr


@pytest.mark.parametrize("module", ["helpers.pipeline", "helpers.reports", "helpers.forms", "helpers.demo", "helpers.benchmark"])
def test_old_module_entry_points_still_work(module):
    out = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "usage" in out.stdout.lower()
