"""Notebooks in JupyterLab as in git: saving an unedited notebook changes nothing (helpers.lab.pre_save, the
jupytext configuration JupyterLab finds), a new notebook is paired, and `make lint` fails on a pair out of sync."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import lab
from helpers.config import NOTEBOOKS_DIR, ROOT

PAIR = ("02_match.ipynb", "02_match.py")


def _copy_notebooks(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in NOTEBOOKS_DIR.iterdir():
        if path.suffix in (".ipynb", ".py", ".toml"):
            shutil.copy2(path, target / path.name)
    return target


def test_pre_save_keeps_the_committed_metadata():
    model = {"type": "notebook", "content": {"metadata": {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.12.1"}, "title": "x"}, "cells": []}}  # fmt: skip
    lab.pre_save(model=model, path="a.ipynb", contents_manager=None)
    assert model["content"]["metadata"] == {"kernelspec": lab.KERNELSPEC, "title": "x"}
    other = {"type": "notebook", "content": {"metadata": {"kernelspec": {"display_name": "R", "language": "R", "name": "ir"}}}}
    lab.pre_save(model=other, path="b.ipynb", contents_manager=None)
    assert other["content"]["metadata"]["kernelspec"]["name"] == "ir"  # another kernel is left alone
    text = {"type": "file", "content": "language_info"}
    lab.pre_save(model=text, path="c.txt", contents_manager=None)
    assert text == {"type": "file", "content": "language_info"}
    committed = (NOTEBOOKS_DIR / PAIR[1]).read_text(encoding="utf-8")  # the .py jupytext writes beside it
    written = committed.replace(f"display_name: {lab.KERNEL_DISPLAY_NAME}", "display_name: Python 3 (ipykernel)")
    assert written != committed
    script = {"type": "file", "format": "text", "content": written}
    lab.pre_save(model=script, path=PAIR[1], contents_manager=None)
    assert script["content"] == committed
    module = {"type": "file", "format": "text", "content": "# ---\n# jupyter:\n#   kernelspec:\n#     display_name: x\n"}
    lab.pre_save(model=dict(module), path="src/x.py", contents_manager=None)  # no kernelspec block of python3
    assert module["content"].endswith("display_name: x\n")


def test_make_lab_loads_the_hook_and_installs_the_kernel_the_notebooks_name():
    from traitlets.config import Config

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--config=jupyter_server_config.py" in makefile and "--notebook-dir=notebooks" in makefile
    installed = re.search(r'ipykernel install --sys-prefix --name (\S+) --display-name "([^"]+)"', makefile)
    assert installed.groups() == (lab.KERNEL_NAME, lab.KERNEL_DISPLAY_NAME)
    config = Config()
    exec((ROOT / "jupyter_server_config.py").read_text(encoding="utf-8"), {"get_config": lambda: config})
    assert config.ContentsManager.pre_save_hook is lab.pre_save


def test_committed_notebooks_are_paired_and_in_the_committed_form():
    assert lab.check_notebooks(NOTEBOOKS_DIR) == []
    # JupyterLab serves notebooks/ and looks for the pairing only there and in its subfolders' parents
    assert (NOTEBOOKS_DIR / "jupytext.toml").is_file() and not (ROOT / "jupytext.toml").exists()


def test_check_names_each_notebook_that_is_not_committable(tmp_path):
    folder = _copy_notebooks(tmp_path / "notebooks")
    script = folder / PAIR[1]
    script.write_text(script.read_text(encoding="utf-8").replace("# ## Parameter\n", "# ## Parameter (diubah)\n"))
    notebook = json.loads((folder / "01_clean.ipynb").read_text(encoding="utf-8"))
    notebook["metadata"]["language_info"] = {"name": "python", "version": "3.11.7"}
    (folder / "01_clean.ipynb").write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    (folder / "03_map.py").unlink()
    (folder / "99_lepas.py").write_text("# %%\nx = 1\n", encoding="utf-8")
    problems = "\n".join(lab.check_notebooks(folder))
    assert "02_match.ipynb and 02_match.py are out of sync" in problems and "Parameter (diubah)" in problems
    assert "01_clean.ipynb: metadata differs" in problems and "language_info" in problems
    assert "03_map.ipynb: no paired 03_map.py" in problems and "99_lepas.py: no paired notebook" in problems
    assert "04_report" not in problems


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lint_fails_on_a_notebook_whose_py_is_out_of_sync(tmp_path):
    """`make lint` itself, on a copy of the repository's notebooks (the project's tools, no setup)."""
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / "src").mkdir()
    (tmp_path / "tests").mkdir()
    folder = _copy_notebooks(tmp_path / "notebooks")
    command = ["make", "-s", "-C", str(tmp_path), "lint", f"BIN={Path(sys.executable).parent}", "STAMP="]
    clean = subprocess.run(command, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    script = folder / PAIR[1]
    text = script.read_text(encoding="utf-8")
    assert 'report_date = ""' in text
    script.write_text(text.replace('report_date = ""', 'report_date = "2024-11-20"'))
    stale = subprocess.run(command, capture_output=True, text=True)
    assert stale.returncode != 0 and "02_match.ipynb and 02_match.py are out of sync" in stale.stderr


def test_saving_in_jupyterlab_changes_nothing_and_a_new_notebook_is_paired(tmp_path):
    """The contents manager JupyterLab uses (jupytext's, with the project's hook) on a copy of notebooks/: an
    unedited notebook saved with the metadata JupyterLab adds is written back byte for byte, pair included."""
    import asyncio

    from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
    from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class

    folder = _copy_notebooks(tmp_path / "notebooks")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    # what the jupytext server extension builds in `make lab` (its log: "Deriving an AsyncTextFileContentsManager
    # from AsyncLargeFileManager"), with the hook of jupyter_server_config.py
    manager = build_async_jupytext_contents_manager_class(AsyncLargeFileManager)(root_dir=str(folder))
    manager.pre_save_hook = lab.pre_save

    async def open_and_save() -> str:
        for name in (PAIR[0], "04_report.ipynb"):
            model = await manager.get(name)
            model["content"]["metadata"]["language_info"] = {"codemirror_mode": {"name": "ipython", "version": 3},
                                                             "name": "python", "version": "3.11.7"}  # fmt: skip
            model["content"]["metadata"]["kernelspec"]["display_name"] = "Python 3 (ipykernel)"
            await manager.save(model, name)
        created = await manager.new_untitled(type="notebook")
        await manager.save(await manager.get(created["path"]), created["path"])
        return created["path"]

    created = asyncio.run(open_and_save())
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert {name: after[name] for name in before} == before
    assert Path(created).with_suffix(".py").name in after
