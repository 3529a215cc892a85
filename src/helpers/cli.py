"""The one command-line entry: ``python -m helpers pipeline|reports|forms|demo|provinsi|benchmark [...]``.

Each command's module keeps a ``main(argv)`` (so ``python -m helpers pipeline`` and friends still work) and
runs its work through :func:`guarded`, the single place where bad input or a fault of the machine becomes an
Indonesian message and an exit code instead of a traceback: 0 success, 2 bad input or a bad parameter (also
raised inside a notebook), 1 a fault of the machine (no permission, disk full) or a notebook that failed.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from helpers import params as params_mod
from helpers.errors import InputError, NotebookFailed, describe_os_error

#: command -> (module with ``main(argv)``, description)
COMMANDS = {
    "pipeline": ("helpers.pipeline", "jalankan seluruh pipeline: pembersihan, padu padan, peta, laporan"),
    "reports": ("helpers.publishing.render", "buat ulang laporan HTML dari data olahan"),
    "forms": ("helpers.publishing.forms", "tulis formulir verifikasi BNBA per kecamatan dan per OPD (RAHASIA)"),
    "demo": ("helpers.demo.generate", "buat data contoh sintetis beserta kunci jawabannya"),
    "provinsi": ("helpers.provinsi", "jalankan pipeline tiap kabupaten/kota dan buat laporan provinsi"),
    "benchmark": ("helpers.benchmark", "ukur waktu dan memori pada skala penuh atau provinsi"),
}
#: exit codes
BAD_INPUT = 2
FAILED = 1


def parser(prog: str, description: str, with_params: bool = True) -> argparse.ArgumentParser:
    """An argparse parser; with the shared ``--params FILE`` / ``-p NAME VALUE`` arguments by default."""
    made = argparse.ArgumentParser(prog=prog, description=description)
    if with_params:
        params_mod.add_cli_arguments(made)
    return made


def guarded(action: Callable[[], str | None]) -> int:
    """Run ``action``; print its closing message. Bad input (:class:`InputError`, also from inside a notebook):
    the Indonesian message on stderr and exit code 2. A failed notebook or a fault of the machine (an
    :class:`OSError`: no permission, disk full), the message naming the file and what to do, and exit code 1.
    No traceback."""
    try:
        message = action()
    except InputError as exc:  # NotebookInputError included
        print(f"\nGAGAL: {exc}", file=sys.stderr)
        return BAD_INPUT
    except NotebookFailed as exc:
        print(f"\nGAGAL: {exc}", file=sys.stderr)
        return FAILED
    except OSError as exc:
        print(f"\nGAGAL: {describe_os_error(exc)}", file=sys.stderr)
        return FAILED
    if message:
        print(message)
    return 0


def usage() -> str:
    lines = ["Penggunaan: python -m helpers PERINTAH [argumen ...]", "", "Perintah:"]
    lines += [f"  {name:<10} {description}" for name, (_, description) in COMMANDS.items()]
    lines += ["", "Bantuan per perintah: python -m helpers PERINTAH --help"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(usage())
        return 0 if argv else BAD_INPUT
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f'Perintah "{command}" tidak dikenal.\n\n{usage()}', file=sys.stderr)
        return BAD_INPUT
    module = importlib.import_module(COMMANDS[command][0])
    return module.main(rest)
