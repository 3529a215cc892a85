"""Errors the analyst sees: their message is written in Bahasa Indonesia and shown without a traceback.

Exit codes of every command (:func:`helpers.cli.guarded`): 0 success, 2 bad input or a bad parameter
(:class:`InputError`, also when raised inside a notebook: :class:`NotebookInputError`), 1 a fault of the machine
(no permission, disk full: :func:`fault_message`) or a notebook that failed for another reason.
"""

from __future__ import annotations

import errno
import re


class InputError(Exception):
    """Bad input (file, column, parameter). The message is shown as is, without a traceback."""


class NotebookFailed(Exception):
    """A notebook stopped on an error; the message says which notebook and cell, in Indonesian."""


class NotebookInputError(NotebookFailed, InputError):
    """A notebook stopped on bad input (an :class:`InputError` raised in one of its cells): exit code 2, like
    bad input found outside a notebook."""


def notebook_failure(message: str, ename: str) -> NotebookFailed:
    """The error for a notebook cell that raised ``ename``: :class:`NotebookInputError` for an
    :class:`InputError`, else :class:`NotebookFailed`."""
    return NotebookInputError(message) if ename == InputError.__name__ else NotebookFailed(message)


#: Exception names of faults of the machine (``OSError`` and the subclasses a run meets), as a notebook reports them.
OS_ERROR_NAMES = frozenset({"OSError", "IOError", "PermissionError", "FileNotFoundError", "IsADirectoryError",
                            "NotADirectoryError", "ArrowIOError", "BlockingIOError"})  # fmt: skip
_ERRNO_TEXT = re.compile(r"\[Errno (\d+)\]\s*([^:]*)(?::\s*'([^']*)')?")


def fault_message(number: int | None, text: str, filename: str | None) -> str:
    """An Indonesian message for a fault of the machine: what happened, to which file, what to do."""
    where = f"file {filename}" if filename else "sebuah file (namanya tidak disebut oleh sistem)"
    keep = ("Data olahan ditulis atomik: file yang sudah lengkap dari run terakhir tetap utuh. Jalankan ulang "
            "perintah yang sama setelah masalahnya diatasi.")  # fmt: skip
    if number in (errno.ENOSPC, errno.EDQUOT):
        return (f"Disk penuh saat menulis {where}. Kosongkan ruang disk (atau pakai folder di disk lain), lalu "
                f"jalankan ulang. {keep}")
    if number in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"Tidak ada izin untuk membaca atau menulis {where} ({text or 'izin ditolak'}). Periksa hak akses "
                f"folder itu (pemilik, hanya-baca, disk yang dipasang hanya-baca), lalu jalankan ulang. {keep}")  # fmt: skip
    if number == errno.ENOENT:
        return (f"{where[0].upper()}{where[1:]} tidak ditemukan ({text or 'tidak ada'}). Periksa lokasi dan "
                "parameternya, lalu jalankan ulang.")
    detail = f"[Errno {number}] {text}" if number is not None else text
    return f"Kesalahan sistem berkas pada {where}: {detail}. Periksa disk dan folder itu, lalu jalankan ulang. {keep}"


def describe_os_error(exc: OSError) -> str:
    """:func:`fault_message` for an :class:`OSError` raised in this process."""
    filename = exc.filename if exc.filename is not None else None
    if filename is None:  # some libraries (pyarrow) put the errno and path only into the text
        return describe_fault_text(type(exc).__name__, str(exc))
    return fault_message(exc.errno, exc.strerror or str(exc), str(filename))


def describe_fault_text(ename: str, evalue: str) -> str:
    """:func:`fault_message` from an exception's name and text (as a notebook reports a failed cell)."""
    found = _ERRNO_TEXT.search(evalue or "")
    if found:
        return fault_message(int(found.group(1)), found.group(2).strip(), found.group(3))
    number = errno.EACCES if ename == "PermissionError" else None
    return fault_message(number, f"{ename}: {evalue}", None)
