"""Run parameters, each declared once: name, default, validation, Indonesian description and the steps that take it.

Everything else derives from :data:`PARAMETERS`: the command line (``--params FILE.yaml``, ``-p NAME VALUE``),
what each step receives (:func:`for_step`), each notebook's ``parameters`` cell (checked by a test: same names,
same defaults), the report rendering, and the README's parameter table (:func:`markdown_table`, also checked by a
test). Values given with ``-p`` are kept as text and converted here (papermill's own ``-p`` would turn ``0012``
into ``12``). An empty value (``""`` or ``None``) means the default, so a notebook opened in JupyterLab behaves
as under the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpers.config import KODE_KABUPATEN, ROOT, TANGGAL_TARGET_DEFAULT
from helpers.dates import to_date
from helpers.errors import InputError
from helpers.vocabulary import DESIL_DTSEN, MESIN_PADAN, P3KE, REGISTERS

#: The notebooks of the pipeline, in order (``notebooks/<step>.ipynb``).
CLEAN, MATCH, MAP, REPORT = "01_clean", "02_match", "03_map", "04_report"
STEP_NAMES = (CLEAN, MATCH, MAP, REPORT)
_ALL = STEP_NAMES


def resolve_path(value: str | Path) -> Path:
    """An absolute path; a relative one is taken from the repository root (as in the README's commands), so
    that notebooks, run with ``notebooks/`` as working directory, see the same files as the command line."""
    path = Path(str(value)).expanduser()
    return (path if path.is_absolute() else ROOT / path).resolve()


def _path(name: str, value: Any) -> str:
    return str(resolve_path(value)) if value not in (None, "") else ""


def _date(name: str, value: Any) -> str:
    return to_date(value, name).isoformat()


def _date_or_empty(name: str, value: Any) -> str:
    return "" if value in (None, "") else _date(name, value)


def _bits(name: str, value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(f'Parameter {name} = "{value}" harus berupa angka (bobot padan, dalam bit).') from None


def _strategies(name: str, value: Any) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise InputError(f'Parameter {name} = "{value}" harus bilangan bulat 1, 2 atau 3.') from None
    if number not in (1, 2, 3):
        raise InputError(f"Parameter {name} = {value} harus 1, 2 atau 3 (ada tiga strategi nasional).")
    return number


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "ya", "1", "yes"):
        return True
    if text in ("false", "tidak", "0", "no"):
        return False
    raise InputError(f'Parameter {name} = "{value}" harus true atau false.')


def _choice(choices: tuple[str, ...]) -> Callable[[str, Any], str]:
    def convert(name: str, value: Any) -> str:
        text = str(value).strip().lower()
        if text not in choices:
            raise InputError(f'Parameter {name} = "{value}" harus salah satu dari: {", ".join(choices)}.')
        return text

    return convert


def _text(name: str, value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Parameter:
    """One run parameter. ``default`` is written exactly as in a notebook's ``parameters`` cell (relative paths
    from the repository root); ``convert(name, value)`` validates a value and returns it in its final form."""

    name: str
    default: Any
    convert: Callable[[str, Any], Any]
    description: str
    steps: tuple[str, ...]


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("raw_dir", "data/raw", _path, "folder data mentah (kontrak: `data/raw/README.md`)", _ALL),
    Parameter("processed_dir", "data/processed", _path, "folder data olahan", _ALL),
    Parameter("reports_dir", "reports", _path, "folder laporan; hasil satu run ada di `<reports_dir>/<report_date>/`",
              _ALL),
    Parameter("report_date", "", _date_or_empty,
              "tanggal laporan (TTTT-BB-HH); catatan bertanggal sesudahnya tidak dipakai. Kosong: tanggal terakhir di "
              "data intervensi dan verifikasi (bukan sesudah hari ini), atau tanggal run terakhir untuk langkah "
              "sesudah pembersihan; demo: `2024-11-06`", _ALL),
    Parameter("tanggal_target", TANGGAL_TARGET_DEFAULT, _date,
              "tanggal target kemiskinan ekstrem nol (proyeksi laju menuju nol)", (MATCH, REPORT)),
    Parameter("ambang_padan", 4.0, _bits, "bobot padan (bit) minimum untuk padan otomatis", (MATCH,)),
    Parameter("ambang_tinjau", -6.0, _bits,
              "bobot padan (bit) minimum untuk tinjau manual; di bawahnya tidak padan", (MATCH,)),
    Parameter("min_strategi", 2, _strategies,
              "jumlah strategi berbeda (1–3) yang diterima agar intervensi disebut optimal", (MATCH,)),
    Parameter("kecamatan", "", _text, "satu kecamatan saja (nama atau kode); kosong: seluruh kabupaten/kota",
              (MAP, REPORT)),
    Parameter("boundary_path", "", _path,
              "file atau folder batas wilayah; kosong: `<raw_dir>/batas_wilayah/`, lalu batas bawaan", (MAP,)),
    Parameter("mask_pii", True, _flag, "samarkan NIK di laporan (true/false)", (REPORT,)),
    Parameter("enkripsi_formulir", True, _flag,
              "enkripsi setiap formulir BNBA dengan kata sandinya sendiri (true/false; lihat `docs/data_protection.md`)",
              ()),
    Parameter("kode_kabupaten", KODE_KABUPATEN, _text, "kode Kemendagri kabupaten/kota (mis. `35.17`, `35.07`)",
              _ALL),
    Parameter("kunci_dir", "data/kunci", _path,
              "folder kunci (rahasia, di luar git): kunci id_sasaran dan kata sandi formulir; simpan cadangannya",
              (CLEAN,)),
    Parameter("register", P3KE, _choice(REGISTERS),
              "register sasaran yang dipadankan dengan SK: `p3ke` (P3KE 2024) atau `dtsen`", (CLEAN, MATCH)),
    Parameter("desil_dtsen", DESIL_DTSEN[0], _choice(DESIL_DTSEN),
              "desil DTSEN yang dipakai: `kabupaten`, `provinsi` atau `nasional`", (MATCH,)),
    Parameter("mesin_padan", MESIN_PADAN[0], _choice(MESIN_PADAN),
              "mesin penilai model padu padan: `duckdb` atau `spark` (hasil sama)", (MATCH,)),
    Parameter("terima_sk_berkurang", False, _flag,
              "true: terima daftar SK yang berkurang lebih dari 10 % dibanding run sebelumnya (SK perubahan)", (CLEAN,)),
)  # fmt: skip
BY_NAME: dict[str, Parameter] = {p.name: p for p in PARAMETERS}
#: Every parameter's default as written in a notebook (paths relative to the repository root).
DEFAULTS: dict[str, Any] = {p.name: p.default for p in PARAMETERS}


def step_name(step: str) -> str:
    """``step`` as one of :data:`STEP_NAMES` (given with or without ``.ipynb``); :class:`InputError` otherwise."""
    name = str(step).strip().removesuffix(".ipynb")
    if name not in STEP_NAMES:
        raise InputError(f'Langkah "{step}" tidak dikenal. Langkah yang ada: {", ".join(STEP_NAMES)}.')
    return name


def for_step(step: str) -> tuple[str, ...]:
    """The names of the parameters ``step`` (e.g. ``"02_match"``) takes, in declaration order."""
    step = step_name(step)
    return tuple(p.name for p in PARAMETERS if step in p.steps)


def _convert(name: str, value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        value = DEFAULTS[name]  # the declared default (tests point kunci_dir at a temporary folder here)
    return BY_NAME[name].convert(name, value)


def explicit(params_file: str | Path | None = None, overrides: list[tuple[str, str]] | dict | None = None) -> dict:
    """The values set explicitly: the YAML file's, then the overrides (not yet validated)."""
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
    return given


def resolve(params_file: str | Path | None = None, overrides: list[tuple[str, str]] | dict | None = None) -> dict:
    """Defaults, then the YAML file, then overrides; every value validated. Unknown names are an error."""
    given = explicit(params_file, overrides)
    unknown = [name for name in given if name not in BY_NAME]
    if unknown:
        raise InputError(f'Parameter "{unknown[0]}" tidak dikenal. Parameter yang tersedia: {", ".join(BY_NAME)}.')
    merged = {name: _convert(name, given.get(name, DEFAULTS[name])) for name in BY_NAME}
    if merged["ambang_tinjau"] >= merged["ambang_padan"]:
        raise InputError(
            f"Parameter ambang_tinjau ({merged['ambang_tinjau']}) harus lebih kecil daripada ambang_padan "
            f"({merged['ambang_padan']}): di antara keduanya sasaran masuk tinjau manual."
        )
    return merged


def for_notebook(step: str, namespace: dict, quiet: bool = False) -> dict:
    """The resolved parameters of notebook ``step``: each parameter the step takes (:func:`for_step`) that is
    defined in ``namespace`` (its ``parameters`` cell, after papermill's injection) overrides its default; empty
    values take the default; paths become absolute (relative ones from the repository root). Other names of the
    namespace are never read, so a rerun in the same kernel gives the same parameters. An empty ``report_date``
    is settled from the data (:func:`helpers.report_date.settle`). Prints what the notebook will read and for
    which date unless ``quiet``."""
    from helpers import report_date

    resolved = resolve(overrides={name: namespace[name] for name in for_step(step) if name in namespace})
    resolved, line = report_date.settle(resolved, step)
    if not quiet:
        if line:
            print(line)
        print(
            f"Data mentah: {resolved['raw_dir']}\nData olahan: {resolved['processed_dir']}\n"
            f"Tanggal laporan: {resolved['report_date']}"
        )
    return resolved


def report_dir(params: dict) -> Path:
    """``reports/<report_date>/``: where every output of one run goes."""
    return Path(params["reports_dir"]) / params["report_date"]


def markdown_table() -> str:
    """The README's parameter table (a test keeps the README equal to it)."""
    rows = ["| parameter | bawaan | langkah | arti |", "|---|---|---|---|"]
    for p in PARAMETERS:
        default = f"`{p.default}`" if p.default != "" else "(kosong)"
        steps = "semua" if p.steps == _ALL else ", ".join(p.steps)
        rows.append(f"| `{p.name}` | {default} | {steps} | {p.description} |")
    return "\n".join(rows)


def add_cli_arguments(parser) -> None:
    """``--params FILE`` and repeated ``-p NAME VALUE`` for an argparse parser; the help lists every parameter."""
    parser.add_argument("--params", metavar="FILE.yaml", help="file YAML berisi parameter")
    parser.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAMA", "NILAI"),
        help="ubah satu parameter: " + "; ".join(f"{p.name} (bawaan {p.default!r})" for p in PARAMETERS),
    )  # fmt: skip
