"""Run parameters: defaults, a YAML file, ``-p NAME VALUE`` overrides, and their validation.

Shared by ``helpers.pipeline``, ``helpers.reports`` and ``helpers.forms`` so that every command accepts the
same parameters with the same checks. Values given with ``-p`` are kept as text and converted here (papermill's
own ``-p`` would turn ``0012`` into ``12``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from helpers.config import (
    KODE_KABUPATEN,
    PROCESSED_DIR,
    RAW_DIR,
    REPORTS_DIR,
    ROOT,
    TANGGAL_LAPORAN_DEMO,
    TANGGAL_TARGET_DEFAULT,
)
from helpers.dates import to_date
from helpers.errors import InputError
from helpers.vocabulary import DESIL_DTSEN, MESIN_PADAN, P3KE, REGISTERS

DEFAULTS: dict[str, Any] = {
    "raw_dir": str(RAW_DIR),
    "processed_dir": str(PROCESSED_DIR),
    "reports_dir": str(REPORTS_DIR),
    "report_date": TANGGAL_LAPORAN_DEMO,
    "tanggal_target": TANGGAL_TARGET_DEFAULT,
    "ambang_padan": 4.0,
    "ambang_tinjau": -6.0,
    "min_strategi": 2,
    "kecamatan": "",
    "boundary_path": "",
    "mask_pii": True,
    "kode_kabupaten": KODE_KABUPATEN,
    "register": P3KE,
    "desil_dtsen": DESIL_DTSEN[0],
    "mesin_padan": MESIN_PADAN[0],
    # true: accept an SK list much smaller than in the last run (helpers.guards.SK_BERKURANG_MAKS), an amended SK
    "terima_sk_berkurang": False,
}

_DATES = ("report_date", "tanggal_target")
_PATHS = ("raw_dir", "processed_dir", "reports_dir", "boundary_path")


def resolve_path(value: str | Path) -> Path:
    """An absolute path; a relative one is taken from the repository root (as in the README's commands), so
    that notebooks, run with ``notebooks/`` as working directory, see the same files as the command line."""
    path = Path(str(value)).expanduser()
    return (path if path.is_absolute() else ROOT / path).resolve()


def _convert(name: str, value: Any) -> Any:
    if name in _DATES:
        return to_date(value, name).isoformat()
    if name in ("ambang_padan", "ambang_tinjau"):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise InputError(f'Parameter {name} = "{value}" harus berupa angka (bobot padan, dalam bit).') from None
    if name == "min_strategi":
        try:
            number = int(str(value))
        except ValueError:
            raise InputError(f'Parameter min_strategi = "{value}" harus bilangan bulat 1, 2 atau 3.') from None
        if number not in (1, 2, 3):
            raise InputError(f"Parameter min_strategi = {value} harus 1, 2 atau 3 (ada tiga strategi nasional).")
        return number
    if name in ("mask_pii", "terima_sk_berkurang"):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "ya", "1", "yes"):
            return True
        if text in ("false", "tidak", "0", "no"):
            return False
        raise InputError(f'Parameter {name} = "{value}" harus true atau false.')
    if name in ("register", "desil_dtsen", "mesin_padan"):
        choices = {"register": REGISTERS, "desil_dtsen": DESIL_DTSEN, "mesin_padan": MESIN_PADAN}[name]
        text = str(value).strip().lower()
        if text not in choices:
            raise InputError(f'Parameter {name} = "{value}" harus salah satu dari: {", ".join(choices)}.')
        return text
    if name in _PATHS:
        return str(resolve_path(value)) if value not in (None, "") else ""
    return "" if value is None else str(value)


def resolve(params_file: str | Path | None = None, overrides: list[tuple[str, str]] | dict | None = None) -> dict:
    """Defaults, then the YAML file, then overrides; every value validated. Unknown names are an error."""
    merged = dict(DEFAULTS)
    given: dict[str, Any] = {}
    if params_file:
        path = Path(params_file)
        if not path.is_file():
            raise InputError(f"File parameter {path} tidak ditemukan.")
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise InputError(f"File parameter {path} bukan YAML yang valid: {exc}") from None
        if not isinstance(loaded, dict):
            raise InputError(f"File parameter {path} harus berisi pasangan nama: nilai.")
        given.update(loaded)
    if overrides:
        given.update(dict(overrides))
    for name, value in given.items():
        if name not in DEFAULTS:
            known = ", ".join(DEFAULTS)
            raise InputError(f'Parameter "{name}" tidak dikenal. Parameter yang tersedia: {known}.')
        merged[name] = _convert(name, value)
    for name in _DATES + _PATHS:
        merged[name] = _convert(name, merged[name])
    if merged["ambang_tinjau"] >= merged["ambang_padan"]:
        raise InputError(
            f"Parameter ambang_tinjau ({merged['ambang_tinjau']}) harus lebih kecil daripada ambang_padan "
            f"({merged['ambang_padan']}): di antara keduanya sasaran masuk tinjau manual."
        )
    return merged


def for_notebook(namespace: dict) -> dict:
    """The resolved parameters of a notebook: every known parameter defined in ``namespace`` (the notebook's
    ``parameters`` cell, after papermill's injection) overrides its default; paths become absolute (relative
    ones from the repository root). Prints what the notebook will read and for which date."""
    resolved = resolve(overrides={name: namespace[name] for name in DEFAULTS if name in namespace})
    print(
        f"Data mentah: {resolved['raw_dir']}\nData olahan: {resolved['processed_dir']}\n"
        f"Tanggal laporan: {resolved['report_date']}"
    )
    return resolved


def report_dir(params: dict) -> Path:
    """``reports/<report_date>/``: where every output of one run goes."""
    return Path(params["reports_dir"]) / params["report_date"]


def add_cli_arguments(parser) -> None:
    """``--params FILE`` and repeated ``-p NAME VALUE`` for an argparse parser."""
    parser.add_argument("--params", metavar="FILE.yaml", help="file YAML berisi parameter")
    parser.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAMA", "NILAI"), help="ubah satu parameter"
    )
