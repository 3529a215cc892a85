"""Repository rules: notebooks committed without outputs, one papermill parameters cell each,
and no personal data tracked under data/ or reports/."""

import json
import subprocess

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
    assert {"01_clean.ipynb", "02_match.ipynb", "03_map.ipynb", "04_report.ipynb"} <= names
