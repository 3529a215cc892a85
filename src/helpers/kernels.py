"""Jupyter kernels started ahead of their notebook.

A long run starts the kernel of its next notebook while the current one runs: the kernel boots and imports
that notebook's modules in the background, and papermill then executes the notebook on it
(:func:`helpers.notebooks.run_notebook` with ``km``). This module imports only ``jupyter_client``, so a
command can start its first kernel before it imports papermill.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from jupyter_client import KernelClient
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

from helpers.config import NOTEBOOKS_DIR

KERNEL = "python3"
#: The kernel's start-up notice about local TCP sockets is noise for analysts.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]


@dataclass
class StartedKernel:
    """A kernel from :func:`start_kernel` and the client that sent it its warm-up."""

    km: KernelManager
    client: KernelClient


def start_kernel(modules: list[str], code: str = "", notebooks_dir: Path = NOTEBOOKS_DIR) -> StartedKernel:
    """A kernel started now in ``notebooks_dir`` that imports ``modules`` and then runs ``code``, in the
    background (silently: no execution count, no output, no name left in the notebook's namespace).

    Pass its ``km`` to :func:`helpers.notebooks.run_notebook`: the notebook's first cell waits for the warm-up
    to finish. The client stays open until :func:`stop_kernel`, so the warm-up request reaches the kernel once
    it listens."""
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel(cwd=str(notebooks_dir), extra_arguments=KERNEL_ARGUMENTS)
    # its own Session: a second client sharing the manager's (papermill's, later) may never see the kernel ready
    client = km.client(session=Session(key=km.session.key, signature_scheme=km.session.signature_scheme))
    client.start_channels()
    body = "\n".join(["import importlib", f"for module in {modules!r}:", "    importlib.import_module(module)", code])
    client.execute(f"def _warm_up():\n{textwrap.indent(body, '    ')}\n_warm_up()\ndel _warm_up", silent=True,
                   store_history=False)  # fmt: skip
    return StartedKernel(km, client)


def stop_kernel(kernel: StartedKernel) -> None:
    """Shut down a kernel from :func:`start_kernel` (used or not)."""
    kernel.client.stop_channels()
    if kernel.km.has_kernel:
        kernel.km.shutdown_kernel(now=True)
