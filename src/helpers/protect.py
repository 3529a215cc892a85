"""Password encryption of workbooks that leave Bappeda (BNBA: full NIKs, names, addresses).

The standard Office password encryption (ECMA-376 agile: AES-256, SHA-512 key derivation), as Excel and
LibreOffice open it, written with ``msoffcrypto-tool``. The plain workbook is built in memory and only the
encrypted one is written (:func:`write_encrypted`); :func:`encrypt_workbook` encrypts a file in place.
:func:`open_workbook_bytes` decrypts a workbook in memory (the readers cannot open an encrypted file) with the
first of its candidate passwords that fits. Used by the camat forms (:mod:`helpers.publishing.forms`); the
OPD workbooks are meant to use the same functions. Passwords come from :mod:`helpers.keys`.
"""

from __future__ import annotations

import io
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

import msoffcrypto
import olefile
from msoffcrypto.exceptions import DecryptionError, InvalidKeyError
from msoffcrypto.format.ooxml import OOXMLFile

from helpers.errors import InputError

#: The first bytes of an OLE compound file: how an encrypted .xlsx starts (a plain one is a zip: ``PK``).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def encrypt_bytes(workbook: bytes, password: str) -> bytes:
    """The encrypted form of a plain ``.xlsx`` (its bytes)."""
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(workbook)).encrypt(password, out)
    return out.getvalue()


def write_encrypted(workbook: bytes, path: str | Path, password: str) -> Path:
    """Write the plain ``.xlsx`` bytes ``workbook`` to ``path`` encrypted with ``password`` (atomically: the plain
    bytes never reach the disk)."""
    path = Path(path)
    encrypted = encrypt_bytes(workbook, password)
    partial = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        partial.write_bytes(encrypted)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def encrypt_workbook(path: str | Path, password: str) -> Path:
    """Encrypt the plain ``.xlsx`` at ``path`` in place with ``password``."""
    path = Path(path)
    return write_encrypted(path.read_bytes(), path, password)


def is_encrypted(path: str | Path) -> bool:
    """Whether the workbook at ``path`` is password-encrypted (an OLE container holding an encrypted package)."""
    with open(path, "rb") as handle:
        if handle.read(len(OLE_MAGIC)) != OLE_MAGIC:
            return False
    if not olefile.isOleFile(str(path)):
        return False
    with olefile.OleFileIO(str(path)) as ole:
        return ole.exists("EncryptionInfo")


def decrypt_bytes(data: bytes, password: str) -> bytes | None:
    """The plain workbook inside the encrypted ``data``, or None when ``password`` does not open it."""
    office = msoffcrypto.OfficeFile(io.BytesIO(data))
    try:
        office.load_key(password=password, verify_password=True)
        out = io.BytesIO()
        office.decrypt(out)
    except (InvalidKeyError, DecryptionError):
        return None
    return out.getvalue()


def open_workbook_bytes(path: str | Path, passwords: Iterable[str], shown: str | None = None) -> bytes:
    """The plain bytes of the encrypted workbook at ``path``, opened with the first of ``passwords`` that fits
    (in memory, nothing written). :class:`InputError` naming the file (``shown``, else its name) when none does."""
    path = Path(path)
    data = path.read_bytes()
    tried = 0
    for password in passwords:
        tried += 1
        plain = decrypt_bytes(data, password)
        if plain is not None:
            return plain
    name = shown or path.name
    known = f"tidak satu pun dari {tried} kata sandi yang tercatat cocok" if tried else "belum ada kata sandi tercatat"
    raise InputError(
        f"File {name} terkunci kata sandi dan {known} di folder kunci (kata_sandi_<tanggal>.csv, parameter "
        "kunci_dir). Minta camat mengirim ulang file yang sama tanpa mengganti kata sandinya, atau buka file itu di "
        "Excel dengan kata sandinya lalu simpan tanpa kata sandi di komputer Bappeda. Pipeline berhenti sebelum menulis "
        "apa pun: data olahan sebelumnya tetap utuh."
    )
