"""Running a notebook step, the one way, and the processes that draw and render.

Every notebook step (``01_clean``, ``02_match``, ``03_map``, and ``04_report`` once per area) is executed by
papermill (:func:`run_notebook`): papermill injects the parameters after the ``parameters`` cell, records the
run in the notebook's metadata, adds its error banner and raises ``PapermillExecutionError`` on a failed cell.
Its engine is :data:`ENGINE`, registered here, which runs the cells in an IPython shell of this process instead of
a Jupyter kernel (no kernel starts in the pipeline): each notebook gets a fresh namespace; printed text, warnings,
displayed objects, a cell's last value and errors become the cell's outputs in the order a kernel sends them;
figures left open at the end of a cell are shown as under a kernel (matplotlib's inline backend, which a
Jupyter kernel selects too). A notebook must not rely on IPython's output cache (``_``, ``Out``).

On failure, :class:`NotebookFailed` names the notebook and the cell; an :class:`~helpers.errors.InputError`
raised in a cell is shown as its Indonesian message only, and the partly executed notebook is rendered with its
code to ``_gagal/`` so the analyst can read what broke.

Drawing and rendering (maps, reports) run in :func:`pool`: :data:`WORKERS` processes started from a clean server
process (``forkserver``) that has imported what they need, never by forking a process that may run threads
(DuckDB, Arrow): such a fork can crash. papermill and IPython are imported on first use, so that starting that
server (:func:`warm_up`) is the first thing a command does.
"""

from __future__ import annotations

import base64
import io
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import cache
from multiprocessing import forkserver, get_context
from pathlib import Path
from typing import Any

from helpers import outputs
from helpers.config import NOTEBOOKS_DIR
from helpers.errors import OS_ERROR_NAMES, InputError, NotebookFailed, describe_fault_text, notebook_failure

# papermill -> nbformat -> jsonschema imports rfc3987_syntax, when installed, only to check the "iri" string format,
# which no notebook schema uses; it builds 38 parsers on import: about a second in every process that runs or
# renders a notebook (most of nbformat's import). Declared absent before jsonschema is imported, so that
# jsonschema leaves that one format unchecked.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)

#: papermill's name of the engine that executes a notebook in this process.
ENGINE = "helpers"
#: The kernel the notebooks declare (papermill picks the parameter syntax from it; no kernel is started).
KERNEL = "python3"
#: What a Python kernel reports about its language; an executed notebook carries it as after a kernel run.
LANGUAGE_INFO = {
    "name": "python",
    "version": sys.version.split()[0],
    "mimetype": "text/x-python",
    "codemirror_mode": {"name": "ipython", "version": 3},
    "pygments_lexer": "ipython3",
    "nbconvert_exporter": "python",
    "file_extension": ".py",
}
#: The backend a Jupyter kernel gives matplotlib: open figures are shown at the end of each cell.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

WORKERS = 2
#: What the drawing processes of notebook 03 need (the maps module and its classifier).
MAPS_PRELOAD = ["helpers.publishing.maps", "mapclassify"]
#: What the report processes need: the rendering module, the report's own modules, papermill and IPython.
REPORT_PRELOAD = ["helpers.publishing.render", "helpers.publishing.charts", "helpers.publishing.sections",
                  "helpers.publishing.report_data", "helpers.publishing.brief", "papermill", "IPython.core.interactiveshell"]
#: What the worker processes on a pipeline run's critical path need: the cleaning workers of notebook 01 (the
#: first to start: the server serves no process before it has imported the whole list) and the drawing processes
#: of 03. The report processes start during 02 and import their modules themselves, off the critical path. The
#: server of a process imports the list of its first pool or :func:`warm_up`.
PIPELINE_PRELOAD = ["helpers.cleaning.step", *MAPS_PRELOAD]


# --------------------------------------------------------------------------- processes


def pool(
    workers: int = WORKERS, initializer: Callable | None = None, initargs: tuple = (), preload: list[str] = MAPS_PRELOAD
) -> ProcessPoolExecutor:
    """A process pool; ``initializer(*initargs)`` runs once in each worker (data every task needs). ``preload``:
    the modules the server imports, when this is the first pool of the process (see :func:`warm_up`)."""
    context = get_context("forkserver")
    context.set_forkserver_preload(preload)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer, initargs=initargs)


def warm_up(preload: list[str] = MAPS_PRELOAD) -> None:
    """Start this process's server of worker processes now (it imports ``preload`` in the background), so
    that the first pool finds it ready: commands call this before anything else, notebook 03 before it loads its
    data."""
    get_context("forkserver").set_forkserver_preload(preload)
    forkserver.ensure_running()


# --------------------------------------------------------------------------- notebooks


def _jsonable(data: dict) -> dict:
    """Display data as a kernel sends it: binary payloads (images) base64-encoded."""
    return {mime: base64.b64encode(v).decode("ascii") if isinstance(v, bytes) else v for mime, v in data.items()}


class _Outputs:
    """The outputs of one notebook, cell by cell, as a Jupyter client (nbclient) assembles them from a kernel's
    messages: consecutive text on the same stream joined, ``clear_output`` (also with ``wait``) and updates of a
    display by its id."""

    def __init__(self) -> None:
        self.cell: list = []
        self._clear_before_next = False
        self._displays: dict[str, list] = {}

    def start_cell(self) -> list:
        self.cell, self._clear_before_next = [], False
        return self.cell

    def add(self, output, display_id: str | None = None) -> None:
        if self._clear_before_next:
            self.cell.clear()
            self._clear_before_next = False
        self.cell.append(output)
        if display_id:
            self._displays.setdefault(display_id, []).append(output)

    def stream(self, name: str, text: str) -> None:
        from nbformat.v4 import new_output

        last = self.cell[-1] if self.cell and not self._clear_before_next else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self.add(new_output("stream", name=name, text=text))

    def update(self, display_id: str, data: dict, metadata: dict) -> None:
        for output in self._displays.get(display_id, []):
            output.data, output.metadata = data, metadata

    def clear(self, wait: bool) -> None:
        if wait:
            self._clear_before_next = True
        else:
            self.cell.clear()


class _Stream(io.TextIOBase):
    """``sys.stdout`` or ``sys.stderr`` while a cell runs: what is written becomes the cell's stream output."""

    def __init__(self, name: str, outputs_: _Outputs) -> None:
        super().__init__()
        self.name, self._outputs = name, outputs_

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            self._outputs.stream(self.name, text)
        return len(text)


def _option_names(options, prefix: str = "") -> list[str]:
    names = []
    for name in dir(options):
        value = getattr(options, name)
        names += _option_names(value, f"{prefix}{name}.") if type(value) is type(options) else [prefix + name]
    return names


@contextmanager
def _as_in_a_new_kernel() -> Iterator[None]:
    """What a notebook changes in the process's libraries undone when it ends, as if each notebook had its own
    kernel: warning filters, numpy's print options, pandas' options, matplotlib's settings. While it runs, pandas
    shows tables as under a Jupyter kernel (``display.max_columns`` 20; its terminal default fits them to the
    terminal's width)."""
    import numpy as np
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reading a deprecated pandas option warns
        saved = {name: pd.get_option(name) for name in _option_names(pd.options)}
    try:
        with warnings.catch_warnings(), np.printoptions():
            pd.set_option("display.max_columns", 20)
            yield
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name, value in saved.items():
                if pd.get_option(name) != value:
                    pd.set_option(name, value)
        if "matplotlib" in sys.modules:
            sys.modules["matplotlib"].rc_file_defaults()


@cache
def _engine() -> type:
    """The papermill engine :data:`ENGINE` (class), registered with papermill on first use.

    Defined here rather than at module level so that importing this module does not import papermill and
    IPython (about 1.5 s): a command starts its worker server first (:func:`warm_up`)."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from nbformat.v4 import new_output
    from papermill.engines import Engine, papermill_engines
    from traitlets import Type
    from traitlets.config import Config

    class Publisher(DisplayPublisher):
        """``display()``: a ``display_data`` output (or the update of an earlier one), as from a kernel."""

        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs) -> None:
            display_id = (transient or {}).get("display_id")
            data, metadata = _jsonable(data), metadata or {}
            if update and display_id:
                self.shell.outputs.update(display_id, data, metadata)
            else:
                self.shell.outputs.add(new_output("display_data", data=data, metadata=metadata), display_id)

        def clear_output(self, wait=False) -> None:
            self.shell.outputs.clear(wait)

    class ResultHook(DisplayHook):
        """A cell's last value: an ``execute_result`` output with the cell's execution count."""

        def start_displayhook(self) -> None:
            pass

        def write_output_prompt(self) -> None:
            pass

        def write_format_data(self, format_dict, md_dict=None) -> None:
            result = new_output("execute_result", data=_jsonable(format_dict), metadata=md_dict or {},
                                execution_count=self.prompt_count)  # fmt: skip
            self.shell.outputs.add(result)

        def finish_displayhook(self) -> None:
            pass

    class Shell(InteractiveShell):
        """The IPython shell the notebooks run in: outputs collected as a kernel sends them."""

        display_pub_class = Type(Publisher)
        displayhook_class = Type(ResultHook)
        outputs = _Outputs()

        def _showtraceback(self, etype, evalue, stb) -> None:  # as ipykernel's shell: the error as an output
            self.outputs.add(new_output("error", ename=etype.__name__, evalue=str(evalue), traceback=stb))

        def fresh_namespace(self) -> None:
            """Forget every name the last notebook defined (``reset`` would also run a full garbage collection)."""
            hidden = self.user_ns_hidden
            for name in [n for n in self.user_ns if n not in hidden and not (n.startswith("__") and n.endswith("__"))]:
                del self.user_ns[name]

        def run(self, cell) -> bool:
            """Execute a code cell into its outputs and execution count; ``True`` when it raised."""
            cell.outputs = self.outputs.start_cell()
            saved = sys.stdout, sys.stderr, sys.stdin
            sys.stdout, sys.stderr = _Stream("stdout", self.outputs), _Stream("stderr", self.outputs)
            sys.stdin = io.StringIO()  # input() fails at once, as in a kernel that allows no stdin
            try:
                result = self.run_cell(cell.source, store_history=True)
            finally:
                sys.stdout, sys.stderr, sys.stdin = saved
            cell.execution_count = result.execution_count
            if isinstance(result.error_in_exec, KeyboardInterrupt):
                raise KeyboardInterrupt
            return not result.success

    def shell() -> Shell:
        if not InteractiveShell.initialized():
            os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)  # as a Jupyter kernel sets it
            config = Config()
            config.HistoryManager.enabled = False  # no history database, no thread saving it
            config.InteractiveShell.cache_size = 0  # no Out[] cache keeping every displayed table alive
            return Shell.instance(config=config)
        found = InteractiveShell.instance()
        if not isinstance(found, Shell):
            raise NotebookFailed(
                "Notebook pipeline tidak dapat dijalankan di dalam IPython/Jupyter yang sedang berjalan: "
                "jalankan dari terminal, mis. python -m helpers pipeline."
            )
        return found

    class InProcessEngine(Engine):
        """papermill engine: the cells run in this process's IPython shell, each notebook in a fresh namespace."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, executed: list | None = None, **kwargs) -> None:
            runner = shell()
            runner.fresh_namespace()
            runner.outputs, runner.execution_count = _Outputs(), 1
            nb = nb_man.nb
            if executed is not None:
                executed.append(nb)  # the notebook papermill marks when a cell fails (for the _gagal/ copy)
            nb.metadata["language_info"] = dict(LANGUAGE_INFO)
            try:
                with _as_in_a_new_kernel():
                    for index, cell in enumerate(nb.cells):  # as papermill's own client: each cell started, completed
                        nb_man.cell_start(cell, index)
                        try:
                            if cell.cell_type == "code" and runner.run(cell):
                                nb_man.cell_exception(cell, cell_index=index)
                                break
                        finally:
                            nb_man.cell_complete(cell, cell_index=index)
            finally:
                runner.fresh_namespace()
                if "matplotlib.pyplot" in sys.modules:
                    sys.modules["matplotlib.pyplot"].close("all")

        @classmethod
        def nb_kernel_name(cls, nb, name=None) -> str:
            return name or nb.metadata.get("kernelspec", {}).get("name") or KERNEL

    papermill_engines.register(ENGINE, InProcessEngine)
    return InProcessEngine


@cache
def _declared(path: Path, modified: int) -> frozenset[str]:
    import papermill

    return frozenset(papermill.inspect_notebook(str(path)))


def declared_parameters(notebook: Path) -> set[str]:
    """The names of the ``parameters`` cell of ``notebook``."""
    notebook = Path(notebook)
    return set(_declared(notebook, notebook.stat().st_mtime_ns))


def _describe_failure(name: str, exc: Any) -> str:
    cell = f"sel ke-{exc.exec_count}" if exc.exec_count else f"sel indeks {exc.cell_index}"
    if exc.ename == "InputError":
        return f"Notebook {name} berhenti di {cell}:\n{exc.evalue}"
    if exc.ename in OS_ERROR_NAMES:  # a fault of the machine: which file, what to do
        return f"Notebook {name} gagal di {cell}: {describe_fault_text(exc.ename, exc.evalue)}"
    return f"Notebook {name} gagal di {cell}: {exc.ename}: {exc.evalue}"


def render_failed(nb, failed_dir: Path, name: str) -> Path:
    """Render a partly executed notebook, code included, to ``failed_dir/<name>.html``."""
    from nbconvert import HTMLExporter

    failed_dir.mkdir(parents=True, exist_ok=True)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    return outputs.write_text(body, failed_dir / f"{Path(name).stem}.html")


def run_notebook(
    notebook: str | Path,
    parameters: dict,
    output: Path | None = None,
    failed_dir: Path | None = None,
    notebooks_dir: Path = NOTEBOOKS_DIR,
):
    """Execute ``notebooks_dir/notebook`` with ``parameters`` through papermill and :data:`ENGINE`; return the
    executed notebook, also written to ``output`` when given (only on success, never half-written).

    The notebook must declare every parameter passed to it (papermill would only warn and keep the old
    defaults if the ``parameters`` tag were lost). Raises :class:`NotebookFailed` naming the notebook and the cell
    on any cell error, after rendering the partly executed notebook to ``failed_dir`` when given.
    """
    import nbformat
    import papermill

    _engine()
    name = Path(notebook).name
    source = Path(notebooks_dir) / notebook
    if not source.is_file():
        raise InputError(f"Notebook {source} tidak ditemukan.")
    missing = set(parameters) - declared_parameters(source)
    if missing:
        raise InputError(
            f"Notebook {name} tidak mendeklarasikan parameter {sorted(missing)} di sel bertanda 'parameters'. "
            "Periksa tag sel parameter di JupyterLab (Property Inspector)."
        )
    executed: list = []
    try:
        nb = papermill.execute_notebook(
            str(source), None, parameters=parameters, engine_name=ENGINE, kernel_name=KERNEL, cwd=str(source.parent),
            progress_bar=False, log_output=False, request_save_on_cell_execute=False, executed=executed,
        )  # fmt: skip
    except papermill.PapermillExecutionError as exc:
        if failed_dir is not None and executed:
            render_failed(executed[0], Path(failed_dir), name)
        raise notebook_failure(_describe_failure(name, exc), exc.ename) from None
    if output is not None:
        outputs.write_text(nbformat.writes(nb), Path(output))
    return nb
