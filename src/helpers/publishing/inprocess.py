"""Executing a parameterised notebook in this process, without a Jupyter kernel.

The report notebook is the one narrative source of all 22 reports. A kernel per area costs seconds; here the
notebook's code cells run in one IPython shell of the rendering process instead: the parameters are injected
after the ``parameters`` cell exactly as papermill injects them, and each cell's printed text and displayed
objects become its outputs, as a kernel would send them. The result is a notebook that nbconvert exports
like one executed by papermill.
"""

from __future__ import annotations

import base64
import copy

import nbformat
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from nbformat.v4 import new_output
from papermill.parameterize import parameterize_notebook

from helpers.errors import NotebookFailed, describe_os_error, notebook_failure


def _jsonable(data: dict) -> dict:
    """Display data as a kernel sends it: binary payloads (images) base64-encoded."""
    return {mime: base64.b64encode(v).decode("ascii") if isinstance(v, bytes) else v for mime, v in data.items()}


def _failure(name: str, index: int, error: BaseException) -> NotebookFailed:
    if type(error).__name__ == "InputError":
        return notebook_failure(f"Notebook {name} berhenti di sel indeks {index}:\n{error}", "InputError")
    if isinstance(error, OSError):  # a fault of the machine: which file, what to do
        return NotebookFailed(f"Notebook {name} gagal di sel indeks {index}: {describe_os_error(error)}")
    return NotebookFailed(f"Notebook {name} gagal di sel indeks {index}: {type(error).__name__}: {error}")


def execute(nb: nbformat.NotebookNode, parameters: dict, name: str = "notebook") -> nbformat.NotebookNode:
    """A copy of ``nb`` with ``parameters`` injected and every code cell executed in a fresh namespace of this
    process's IPython shell. Raises :class:`NotebookFailed` naming the cell on any error."""
    nb = parameterize_notebook(copy.deepcopy(nb), parameters, report_mode=False)
    shell = InteractiveShell.instance()
    for name in [n for n in shell.user_ns if n not in shell.user_ns_hidden and not n.startswith("_")]:
        del shell.user_ns[name]  # a fresh namespace per notebook (shell.reset would also run a full gc)
    count = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        count += 1
        with capture_output() as captured:
            result = shell.run_cell(cell.source, store_history=False, silent=True)
        error = result.error_before_exec or result.error_in_exec
        if error is not None:
            cell.outputs = [new_output("error", ename=type(error).__name__, evalue=str(error), traceback=[])]
            failure = _failure(name, index, error)
            failure.notebook = nb  # the partly executed notebook, for the _gagal/ copy
            raise failure
        outputs = []
        if captured.stdout:
            outputs.append(new_output("stream", name="stdout", text=captured.stdout))
        if captured.stderr:
            outputs.append(new_output("stream", name="stderr", text=captured.stderr))
        outputs += [new_output("display_data", data=_jsonable(o.data), metadata=o.metadata or {}) for o in captured.outputs]
        cell.outputs = outputs
        cell.execution_count = count
    return nb
