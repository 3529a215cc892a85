"""Running a parameterised notebook with papermill, the way every command of this project does.

- The notebook must declare every parameter passed to it (papermill would only warn and keep the old
  defaults if the ``parameters`` tag were lost).
- On failure, the message names the notebook and the cell; an :class:`~helpers.errors.InputError` raised in a
  cell is shown as its Indonesian message only, and the partly executed notebook is rendered with its code
  to ``_gagal/`` so the analyst can read what broke.
- A long run can start the kernel of its next notebook early (:func:`helpers.kernels.start_kernel`) and pass
  it as ``km``: papermill then executes on it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nbformat
import papermill as pm
from jupyter_client.manager import KernelManager
from nbconvert import HTMLExporter

from helpers.config import NOTEBOOKS_DIR
from helpers.errors import OS_ERROR_NAMES, InputError, NotebookFailed, describe_fault_text, notebook_failure
from helpers.kernels import KERNEL, KERNEL_ARGUMENTS

#: papermill errors that come from a kernel that failed to start; worth one retry.
_RETRYABLE = ("Address already in use", "Kernel didn't respond", "Kernel died", "TimeoutError", "RuntimeError")


def declared_parameters(notebook: Path) -> set[str]:
    return set(pm.inspect_notebook(str(notebook)).keys())


def _describe_failure(name: str, exc: pm.PapermillExecutionError) -> str:
    cell = f"sel ke-{exc.exec_count}" if exc.exec_count else f"sel indeks {exc.cell_index}"
    if exc.ename == "InputError":
        return f"Notebook {name} berhenti di {cell}:\n{exc.evalue}"
    if exc.ename in OS_ERROR_NAMES:  # a fault of the machine: which file, what to do
        return f"Notebook {name} gagal di {cell}: {describe_fault_text(exc.ename, exc.evalue)}"
    return f"Notebook {name} gagal di {cell}: {exc.ename}: {exc.evalue}"


def render_failed(executed: Path | nbformat.NotebookNode, failed_dir: Path, name: str = "") -> Path:
    """Render a partly executed notebook (a file or a notebook node), code included, to
    ``failed_dir/<name>.html``."""
    failed_dir.mkdir(parents=True, exist_ok=True)
    nb = executed if isinstance(executed, nbformat.NotebookNode) else nbformat.read(executed, as_version=4)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    out = failed_dir / f"{Path(name).stem or Path(executed).stem}.html"
    out.write_text(body, encoding="utf-8")
    return out


def run_notebook(
    name: str,
    parameters: dict,
    output: Path,
    failed_dir: Path | None = None,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    km: KernelManager | None = None,
) -> Path:
    """Execute ``notebooks_dir/name`` with ``parameters`` into ``output`` (written only on success), in a new
    kernel, or on ``km`` from :func:`helpers.kernels.start_kernel` (which the caller stops).

    Raises :class:`NotebookFailed` with a readable message on any cell error.
    """
    source = notebooks_dir / name
    if not source.is_file():
        raise InputError(f"Notebook {source} tidak ditemukan.")
    missing = set(parameters) - declared_parameters(source)
    if missing:
        raise InputError(
            f"Notebook {name} tidak mendeklarasikan parameter {sorted(missing)} di sel bertanda 'parameters'. "
            "Periksa tag sel parameter di JupyterLab (Property Inspector)."
        )
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="papermill-") as tmp:
        partial = Path(tmp) / name
        for attempt in (1, 2):
            kernel = {"km": km} if km is not None and km.is_alive() and attempt == 1 else {}
            try:
                pm.execute_notebook(
                    str(source),
                    str(partial),
                    parameters=parameters,
                    kernel_name=KERNEL,
                    cwd=str(notebooks_dir),
                    progress_bar=False,
                    log_output=False,
                    request_save_on_cell_execute=False,
                    extra_arguments=KERNEL_ARGUMENTS,
                    **kernel,
                )
                break
            except pm.PapermillExecutionError as exc:
                if failed_dir is not None and partial.is_file():
                    render_failed(partial, failed_dir)
                raise notebook_failure(_describe_failure(name, exc), exc.ename) from None
            except Exception as exc:  # kernel start problems: retry once
                if attempt == 2 or not any(s in repr(exc) for s in _RETRYABLE):
                    raise NotebookFailed(f"Notebook {name} tidak dapat dijalankan: {type(exc).__name__}: {exc}") from None
        tmp_out = output.with_name(f".{output.name}.tmp")
        shutil.copyfile(partial, tmp_out)
        tmp_out.replace(output)
    return output
