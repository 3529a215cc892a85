"""The key folder (parameter ``kunci_dir``, default ``data/kunci/``): the secret key of the pseudonyms and the
passwords of the workbooks that leave Bappeda. Never in git, never sent with the data.

- **The pseudonym key** (:data:`KEY_FILE`, 32 random bytes as hex, mode 600 in a folder of mode 700):
  ``id_sasaran`` is an HMAC-SHA-256 of the person under this key (:mod:`helpers.cleaning.ids`), so a list of ids
  and masked NIKs cannot be turned back into NIKs without it. Created on the first run (:func:`create_key`, with
  a message saying where it is and that it must be backed up). The same key gives the same ids run after run;
  another key gives other ids. Its :func:`fingerprint` is recorded with the processed outputs (``run.json``,
  step ``01_clean``, key :data:`FINGERPRINT_FIELD`); :func:`key_for_run` refuses to clean under another key, or
  to create a new key where outputs exist, instead of silently renumbering everyone.
- **Workbook passwords** (``kata_sandi_<report_date>.csv``, columns ``file`` and ``kata_sandi``, mode 600): one
  random password per workbook (:func:`new_password`), kept for the day the workbook comes back still encrypted
  (:func:`password_candidates`).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import re
import secrets
from pathlib import Path

from helpers import catalog
from helpers.errors import InputError

KEY_FILE = "kunci_id_sasaran.txt"
KEY_BYTES = 32
#: Where the fingerprint of the key is recorded in ``run.json`` (step ``01_clean``).
FINGERPRINT_FIELD = "sidik_kunci"
FINGERPRINT_DIGITS = 12
#: The processed table whose presence means "ids were already made under some key".
IDS_TABLE = catalog.SK.path
PASSWORD_COLUMNS = ("file", "kata_sandi")
PASSWORD_PREFIX = "kata_sandi_"
#: Letters and digits that cannot be mistaken for one another when read aloud or typed from a message.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS = 4  # of 4 characters, joined by "-": 16 random characters (~93 bits), 19 with the dashes
FILE_MODE = 0o600
DIR_MODE = 0o700


def default_dir() -> Path:
    """The key folder of the parameters' defaults (``params.DEFAULTS["kunci_dir"]``)."""
    from helpers import params

    return params.resolve_path(params.DEFAULTS["kunci_dir"])


def key_path(kunci_dir: str | Path) -> Path:
    return Path(kunci_dir) / KEY_FILE


def _private_folder(kunci_dir: str | Path) -> Path:
    folder = Path(kunci_dir)
    folder.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    os.chmod(folder, DIR_MODE)
    return folder


def _write_private(path: Path, text: str, replace: bool = True) -> bool:
    """Write ``text`` to ``path`` with mode 600, atomically (a temporary file in the same folder, never readable
    by others). ``replace=False``: keep an existing file (returns False then; another process was first)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(partial, path)
            return True
        try:
            os.link(partial, path)  # atomic, and fails when the file exists
        except FileExistsError:
            return False
        return True
    finally:
        partial.unlink(missing_ok=True)


def create_key(kunci_dir: str | Path) -> bytes:
    """A new random key in ``kunci_dir`` (folder 700, file 600), with a message on where it is and that it must
    be backed up. When another process created it meanwhile, that key is returned (never two keys)."""
    folder = _private_folder(kunci_dir)
    path = key_path(folder)
    if _write_private(path, secrets.token_hex(KEY_BYTES) + "\n", replace=False):
        print(
            f"Kunci id_sasaran baru dibuat: {path} (sidik {fingerprint(read_key(folder))}; hanya dapat dibaca "
            "pemiliknya).\nSIMPAN CADANGANNYA sekarang di tempat aman yang terpisah dari data (misalnya flashdisk "
            "terenkripsi di lemari Sekretariat TKPK). Bila kunci ini hilang, semua id_sasaran berubah dan keputusan "
            "padu padan (keputusan_padan.xlsx) serta riwayat yang memakai id_sasaran tidak cocok lagi. Jangan "
            "mengirim kunci ini bersama data atau laporan. Lihat docs/data_protection.md.",
            flush=True,
        )
    return read_key(folder)


def read_key(kunci_dir: str | Path) -> bytes | None:
    """The key in ``kunci_dir``, or None when there is none; :class:`InputError` for a damaged key file."""
    path = key_path(kunci_dir)
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8").strip()
    if not re.fullmatch(rf"[0-9a-f]{{{2 * KEY_BYTES}}}", text):
        raise InputError(
            f"File kunci {path} rusak (harus berisi {2 * KEY_BYTES} karakter heksadesimal). Kembalikan file kunci "
            "dari cadangan; jangan membuat atau mengetik kunci baru, karena semua id_sasaran akan berubah."
        )
    return bytes.fromhex(text)


def fingerprint(key: bytes) -> str:
    """A short public fingerprint of ``key`` (HMAC of a fixed text): tells two keys apart, reveals nothing."""
    return hmac.new(key, b"sidik", hashlib.sha256).hexdigest()[:FINGERPRINT_DIGITS]


def recorded_fingerprint(processed_dir: str | Path) -> str | None:
    """The fingerprint of the key the processed outputs in ``processed_dir`` were made under (None: not recorded)."""
    from helpers import runs

    entry = runs.read_manifest(processed_dir)["langkah"].get(runs.CLEAN_STEP) or {}
    value = entry.get(FINGERPRINT_FIELD)
    return str(value) if value else None


def key_for_run(kunci_dir: str | Path, processed_dir: str | Path) -> bytes:
    """The key of a cleaning run writing into ``processed_dir``: the existing key, or a new one when neither a
    key nor processed outputs exist.

    :class:`InputError` (nothing renumbered) when outputs exist (``sk.parquet``) and the key is missing, or the
    key is not the one the outputs were made under, or the outputs do not record which key made them.
    """
    processed = Path(processed_dir)
    path = key_path(kunci_dir)
    recorded = recorded_fingerprint(processed)
    has_outputs = (processed / IDS_TABLE).is_file()
    fresh_start = (
        f"Bila memang ingin memulai dengan kunci baru (semua id_sasaran berganti), pindahkan dulu isi folder data "
        f"olahan {processed} ke tempat lain, lalu jalankan lagi. Lihat docs/data_protection.md."
    )
    key = read_key(kunci_dir)
    if key is None:
        if has_outputs:
            made = f" (dibuat dengan kunci bersidik {recorded})" if recorded else ""
            raise InputError(
                f"Kunci id_sasaran tidak ditemukan: {path}. Data olahan di {processed} sudah ada{made}; dengan kunci "
                "baru semua id_sasaran akan berubah dan keputusan padu padan serta riwayat per id_sasaran tidak cocok "
                f"lagi. Kembalikan file {KEY_FILE} dari cadangan ke {Path(kunci_dir)} (atau beri parameter kunci_dir "
                f"yang benar), lalu jalankan lagi. {fresh_start}"
            )
        return create_key(kunci_dir)
    found = fingerprint(key)
    if has_outputs and recorded is None:
        raise InputError(
            f"Data olahan di {processed} tidak mencatat kunci id_sasaran yang membuatnya (dibuat oleh versi lama "
            f"tanpa kunci, atau {IDS_TABLE} tanpa run.json), sehingga tidak dapat dipastikan bahwa kunci {path} "
            f"(sidik {found}) memberi id yang sama. {fresh_start}"
        )
    if has_outputs and recorded != found:
        raise InputError(
            f"Kunci id_sasaran {path} (sidik {found}) bukan kunci yang membuat data olahan di {processed} (sidik "
            f"{recorded}): semua id_sasaran akan berubah. Pakai folder kunci yang benar (parameter kunci_dir) atau "
            f"kembalikan file kunci dari cadangan. {fresh_start}"
        )
    return key


# ---------------------------------------------------------------------------------------------------------
# Workbook passwords
# ---------------------------------------------------------------------------------------------------------


def new_password() -> str:
    """A random password: four groups of four characters from :data:`PASSWORD_ALPHABET` (``Kq7d-...``)."""
    return "-".join(
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(PASSWORD_GROUPS)
    )


def passwords_path(kunci_dir: str | Path, report_date: object) -> Path:
    return Path(kunci_dir) / f"{PASSWORD_PREFIX}{report_date}.csv"


def _read_password_file(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not set(PASSWORD_COLUMNS) <= set(reader.fieldnames):
            raise InputError(
                f"File kata sandi {path} tidak memuat kolom {' dan '.join(PASSWORD_COLUMNS)}. Kembalikan file itu "
                "dari cadangan."
            )
        return [(row["file"].strip(), row["kata_sandi"].strip()) for row in reader if row["file"] and row["kata_sandi"]]


def read_passwords(kunci_dir: str | Path, report_date: object) -> dict[str, str]:
    """``{file name: password}`` of the workbooks of ``report_date`` (empty when there are none)."""
    path = passwords_path(kunci_dir, report_date)
    return dict(_read_password_file(path)) if path.is_file() else {}


def write_passwords(kunci_dir: str | Path, report_date: object, passwords: dict[str, str]) -> Path:
    """Add ``passwords`` (file name -> password) to ``kata_sandi_<report_date>.csv`` (mode 600; other files'
    passwords of that date are kept) and return its path."""
    folder = _private_folder(kunci_dir)
    merged = {**read_passwords(folder, report_date), **passwords}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PASSWORD_COLUMNS)
    writer.writerows(sorted(merged.items()))
    path = passwords_path(folder, report_date)
    _write_private(path, buffer.getvalue())
    return path


def password_candidates(kunci_dir: str | Path, file_name: str) -> list[str]:
    """Every known password, the likeliest for ``file_name`` first: the same file name (newest date first),
    then a name it was renamed from (``35.17.06_Mojoagung`` for ``35.17.06_Mojoagung_diterima_2024-11-20``),
    then the same kecamatan code, then all others."""
    folder = Path(kunci_dir)
    if not folder.is_dir():
        return []
    stem = Path(file_name).stem
    code = stem.split("_", 1)[0]
    ranked: list[tuple[int, str]] = []
    for path in sorted(folder.glob(f"{PASSWORD_PREFIX}*.csv"), reverse=True):
        for name, password in _read_password_file(path):
            other = Path(name).stem
            rank = 0 if name == file_name else 1 if stem.startswith(other) else 2 if other.split("_", 1)[0] == code else 3
            ranked.append((rank, password))
    ranked.sort(key=lambda item: item[0])  # stable: newest date first within a rank
    return list(dict.fromkeys(password for _, password in ranked))
