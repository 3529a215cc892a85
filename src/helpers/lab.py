"""JupyterLab as the project uses it (``make lab``): notebooks saved exactly as they are committed.

JupyterLab writes the metadata of the kernel it runs into every notebook it saves: ``language_info`` (with the
Python version of the machine) and the kernel's display name. Opening and saving a notebook without editing it
would then change it in git. :func:`pre_save` is the server's pre-save hook (``jupyter_server_config.py`` at the
repository root, loaded by ``make lab``): it drops ``language_info`` and gives the kernelspec the project's
display name, in the notebook and in the header of its paired ``.py``, so a notebook saved in JupyterLab keeps the
metadata it has in git, on any machine. The pre-commit hook and ``make lint`` strip ``language_info`` too
(``nbstripout --extra-keys``), for notebooks saved elsewhere; :func:`check_notebooks` (``make lint``) fails on a
notebook out of sync with its ``.py`` or with other metadata.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

#: The project's kernel, as ``make setup`` installs it (``ipykernel install --name python3 --display-name ...``).
KERNEL_NAME = "python3"
KERNEL_DISPLAY_NAME = "Python 3 (jombang)"
#: The kernelspec every committed notebook carries (checked by :func:`check_notebooks`).
KERNELSPEC = {"display_name": KERNEL_DISPLAY_NAME, "language": "python", "name": KERNEL_NAME}
#: Notebook metadata JupyterLab adds from the running kernel, never committed.
DROPPED_METADATA = ("language_info",)


def normalise_metadata(metadata: dict) -> dict:
    """``metadata`` (changed in place, and returned) as it is committed: without :data:`DROPPED_METADATA`, and
    with the project's kernelspec when the notebook runs on the project's kernel name."""
    for key in DROPPED_METADATA:
        metadata.pop(key, None)
    kernelspec = metadata.get("kernelspec")
    if isinstance(kernelspec, dict) and kernelspec.get("name") == KERNEL_NAME:
        kernelspec.update(KERNELSPEC)
    return metadata


#: The kernelspec in the YAML header jupytext writes at the top of a paired ``.py``.
_PY_KERNELSPEC = re.compile(
    rf"^(#   kernelspec:\n#     display_name: )(.*)$(?=\n#     language: python\n#     name: {KERNEL_NAME}$)", re.M
)


def pre_save(model: dict, path: str = "", **kwargs) -> None:
    """Jupyter server pre-save hook (``ContentsManager.pre_save_hook``): a notebook is written with
    :func:`normalise_metadata` applied, and its paired ``.py`` (which jupytext writes as a text file) with the
    same kernelspec; other files are left alone."""
    content = model.get("content")
    if model.get("type") == "notebook" and isinstance(content, dict):
        normalise_metadata(content.setdefault("metadata", {}))
    elif str(path).endswith(".py") and isinstance(content, str) and content.startswith("# ---\n# jupyter:\n"):
        header, separator, rest = content.partition("\n# ---\n")
        model["content"] = _PY_KERNELSPEC.sub(lambda m: m.group(1) + KERNEL_DISPLAY_NAME, header) + separator + rest


# ------------------------------------------------------------------------------------------ the committed form


def check_notebooks(folder: str | Path) -> list[str]:
    """What keeps the notebooks of ``folder`` from being committed as they are (empty list: nothing): a notebook
    without its percent-format ``.py`` pair or out of sync with it (compared as jupytext writes both), a ``.py``
    without its notebook, metadata other than the committed form (:func:`normalise_metadata`). ``make lint``
    runs it (``python -m helpers.lab notebooks``); outputs are checked there by ``nbstripout --verify``."""
    import difflib

    import jupytext

    folder = Path(folder)
    problems = []
    for notebook in sorted(folder.glob("*.ipynb")):
        script = notebook.with_suffix(".py")
        if not script.is_file():
            problems.append(f"{notebook}: no paired {script.name}; run `jupytext --sync {notebook}`")
            continue
        left = jupytext.writes(jupytext.read(notebook), fmt="py:percent").splitlines()
        right = jupytext.writes(jupytext.read(script), fmt="py:percent").splitlines()
        if left != right:
            diff = list(difflib.unified_diff(left, right, notebook.name, script.name, n=0, lineterm=""))[2:8]
            problems.append(
                f"{notebook} and {script.name} are out of sync; run `jupytext --sync` on the one you edited:\n  "
                + "\n  ".join(diff)
            )
        metadata = jupytext.read(notebook).metadata
        expected = normalise_metadata(json.loads(json.dumps(metadata)))
        if metadata != expected or metadata.get("kernelspec") != KERNELSPEC:
            problems.append(
                f"{notebook}: metadata differs from the committed form (kernelspec {KERNELSPEC}, no "
                f"{', '.join(DROPPED_METADATA)}): found kernelspec {metadata.get('kernelspec')}, keys {sorted(metadata)}"
            )
    for script in sorted(folder.glob("*.py")):
        if not script.with_suffix(".ipynb").is_file():
            problems.append(f"{script}: no paired notebook; run `jupytext --sync {script}`")
    return problems


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.lab FOLDER…``: print each problem of :func:`check_notebooks`, exit 1 if any."""
    folders = (argv if argv is not None else sys.argv[1:]) or ["notebooks"]
    problems = [problem for folder in folders for problem in check_notebooks(folder)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
