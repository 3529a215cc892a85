"""One run at a time per processed folder.

``python -m helpers pipeline`` (also through :func:`helpers.pipeline.run`), ``reports`` and ``forms`` hold
:func:`hold` on their processed folder for the whole command: an operating-system lock (``filelock``; ``flock``
on Linux) on ``<processed_dir>/.kunci_run.lock``. A second command on the same folder refuses at once (no waiting)
with an :class:`~helpers.errors.InputError` naming the folder and the run holding it, read from
``<processed_dir>/.kunci_run.json`` (process id, command line, start time), which the holder writes after taking
the lock and removes when it lets go.

A run that dies (killed, power cut) cannot leave the folder locked: the operating system releases the lock of a
process that ends, however it ends; the next run takes the lock over and rewrites the holder file. The lock file
itself stays (empty) between runs, as ``filelock`` keeps it; both files start with a dot and are never outputs.
Within one process the lock is re-entrant (a pipeline run renders its reports under the lock it already holds).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from helpers.errors import InputError
from helpers.outputs import write_json

LOCK_FILE = ".kunci_run.lock"
HOLDER_FILE = ".kunci_run.json"


def _lock(folder: Path) -> FileLock:
    """The lock of ``folder`` (one instance per path in this process, shared by every thread: re-entrant)."""
    return FileLock(folder / LOCK_FILE, timeout=0, is_singleton=True, thread_local=False)


def command_line() -> str:
    """This process's command as an analyst typed it (``python -m helpers pipeline -p ...``)."""
    argv = list(sys.argv)
    if argv and Path(argv[0]).name == "__main__.py" and Path(argv[0]).parent.name == "helpers":
        return "python -m helpers " + shlex.join(argv[1:])
    return shlex.join([Path(sys.executable).name, *argv]) if argv else Path(sys.executable).name


def holder(processed_dir: str | Path) -> dict[str, Any] | None:
    """What the holder of ``processed_dir``'s lock wrote about itself (None when nothing readable is there)."""
    path = Path(processed_dir) / HOLDER_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _alive(pid: object) -> bool:
    try:
        os.kill(int(pid), 0)
    except (OSError, TypeError, ValueError):
        return False
    return True


def busy_message(processed_dir: str | Path) -> str:
    """The Indonesian refusal for a folder whose lock another process holds."""
    folder = Path(processed_dir)
    info = holder(folder)
    if info is not None and _alive(info.get("pid")):
        who = (f"{info.get('perintah', '(perintah tidak tercatat)')} (proses {info.get('pid')} di "
               f"{info.get('komputer', '?')}, mulai {info.get('mulai', '?')})")  # fmt: skip
    else:
        who = f"sebuah run yang keterangannya belum tertulis di {folder / HOLDER_FILE}"
    return (
        f"Folder data olahan {folder} sedang dipakai oleh run lain: {who}. Satu folder data olahan hanya untuk "
        "satu run pada satu waktu, supaya hasil dua run tidak tercampur. Tunggu sampai run itu selesai lalu "
        "jalankan lagi, atau pakai folder lain (-p processed_dir FOLDER_LAIN). Perintah ini tidak mengubah apa pun."
    )


@contextmanager
def hold(processed_dir: str | Path) -> Iterator[Path]:
    """Hold the lock of ``processed_dir`` (created if needed) for the ``with`` block; yields the folder.

    Raises :class:`InputError` at once when another process holds it (:func:`busy_message`)."""
    folder = Path(processed_dir)
    folder.mkdir(parents=True, exist_ok=True)
    lock = _lock(folder)
    try:
        lock.acquire()
    except Timeout:
        raise InputError(busy_message(folder)) from None
    outermost = lock.lock_counter == 1
    try:
        if outermost:
            write_json(
                {"pid": os.getpid(), "perintah": command_line(), "komputer": socket.gethostname(),
                 "mulai": dt.datetime.now().isoformat(timespec="seconds")},  # fmt: skip
                folder / HOLDER_FILE,
            )
        yield folder
    finally:
        if outermost:
            (folder / HOLDER_FILE).unlink(missing_ok=True)
        lock.release()
