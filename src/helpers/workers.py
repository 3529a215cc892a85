"""Worker processes for the drawing and rendering steps (maps, reports): two at a time on this kind of
machine. They start from a clean server process (``forkserver``) that has the publishing modules imported, never
by forking a process that may already run threads (DuckDB, a Jupyter kernel): such a fork can crash."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import forkserver, get_context

WORKERS = 2
_PRELOAD = ["helpers.publishing.render", "helpers.publishing.maps"]
#: What the map-drawing processes need (notebook 03): the maps module only.
MAPS_PRELOAD = ["helpers.publishing.maps"]


def pool(
    workers: int = WORKERS, initializer: Callable | None = None, initargs: tuple = (), preload: list[str] = _PRELOAD
) -> ProcessPoolExecutor:
    """A process pool; ``initializer(*initargs)`` runs once in each worker (data every task needs). ``preload``:
    the modules the server imports, when this is the first pool of the process."""
    context = get_context("forkserver")
    context.set_forkserver_preload(preload)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer, initargs=initargs)


def warm_up(preload: list[str] = _PRELOAD) -> None:
    """Start the server process now (it imports ``preload`` in the background), so that the first pool of a long
    run finds it ready: the runner calls this before the notebooks (while it only waits), notebook 03 before it
    loads its data."""
    get_context("forkserver").set_forkserver_preload(preload)
    forkserver.ensure_running()
