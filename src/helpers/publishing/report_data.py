"""What a report reads (``notebooks/04_report.ipynb``): the processed tables of one run for the kabupaten or one
kecamatan, as a :class:`ReportData` (:func:`load_report_data`), and the report's maps (:func:`map_files`).

A processed table is read once per process while its file is unchanged (:func:`read_columns`): one rendering
process serves many reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers import catalog
from helpers import vocabulary as v
from helpers.config import KODE_KABUPATEN
from helpers.publishing import maps
from helpers.publishing.report_figures import deprivation_rules, figures
from helpers.reference.wilayah import kabupaten_name, kecamatan_table


@dataclass(frozen=True, eq=False)
class ReportData:
    """Everything a report reads, for the kabupaten (``kode`` = '') or one kecamatan (:func:`load_report_data`).
    The defaults are an empty report of the default kabupaten: a test sets only the fields it reads."""

    kode: str = ""
    #: The kecamatan's name ('' for the kabupaten).
    nama: str = ""
    kode_kabupaten: str = KODE_KABUPATEN
    nama_kabupaten: str = ""
    #: The raw folder: the user's population table (``penduduk_kecamatan.csv``), if any.
    raw_dir: str | Path | None = None
    #: ``status_sasaran`` of the whole kabupaten, and of the report's area.
    status_all: pd.DataFrame = field(default_factory=pd.DataFrame)
    status: pd.DataFrame = field(default_factory=pd.DataFrame)
    summary: dict = field(default_factory=dict)
    #: ``parameter_run.json`` of 02_match (register, thresholds, ``definisi_optimal``, ``report_date``).
    run: dict = field(default_factory=dict)
    #: The P3KE family conditions, keyed as ``status_sasaran.id_keluarga`` is.
    keluarga: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The individuals of the register the run matched against.
    individu: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: ``tinjau/perbandingan_register.csv`` of a DTSEN run (the area's rows), else None.
    perbandingan: pd.DataFrame | None = None
    #: ``status_putaran`` of the area (empty when there is none).
    rounds: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: :func:`~helpers.publishing.report_figures.figures` of ``status``.
    angka: dict = field(default_factory=dict)


_INDIVIDU_COLUMNS = ["id_individu", "nik", "desil", "kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa"]


@lru_cache(maxsize=8)
def _read_cached(path: Path, modified: int, columns: tuple[str, ...] | None) -> pd.DataFrame:
    if columns is None:
        return pd.read_parquet(path)
    import pyarrow.parquet as pq

    present = set(pq.read_schema(path).names)
    return pd.read_parquet(path, columns=[c for c in columns if c in present])


def read_columns(path: Path, wanted: list[str] | None = None) -> pd.DataFrame:
    """A processed table (only the ``wanted`` columns present), read once per process while the file is
    unchanged: one rendering process serves many reports. Callers get their own copy."""
    path = Path(path)
    return _read_cached(path, path.stat().st_mtime_ns, tuple(wanted) if wanted else None).copy()


def _register_individuals(processed: Path, run: dict) -> pd.DataFrame:
    """The individuals of the register the run matched against (``desil`` = the chosen DTSEN decile for DTSEN)."""
    if run.get("register") != v.DTSEN:
        return read_columns(catalog.P3KE_INDIVIDU.at(processed), _INDIVIDU_COLUMNS)
    column = f"desil_{run['desil_dtsen']}"
    wanted = [c if c != "desil" else column for c in _INDIVIDU_COLUMNS]
    return read_columns(catalog.DTSEN_INDIVIDU.at(processed), wanted).rename(columns={column: "desil"})


def _families(processed: Path, run: dict) -> pd.DataFrame:
    """The P3KE family conditions, keyed as ``status_sasaran.id_keluarga`` is: the P3KE family id, or for a DTSEN
    run the KK number (each KK gets the P3KE family of its members found in P3KE by NIK)."""
    keluarga = read_columns(catalog.P3KE_KELUARGA.at(processed), ["id_keluarga", *deprivation_rules()["kolom"]])
    if run.get("register") != v.DTSEN:
        return keluarga
    members = read_columns(catalog.DTSEN_INDIVIDU.at(processed), ["nik", "no_kk"]).dropna()
    p3ke = read_columns(catalog.P3KE_INDIVIDU.at(processed), ["nik", "id_keluarga"]).dropna()
    kk = members.merge(p3ke, on="nik").sort_values(["no_kk", "id_keluarga"]).drop_duplicates("no_kk")
    return kk[["no_kk", "id_keluarga"]].merge(keluarga, on="id_keluarga").drop(columns="id_keluarga").rename(
        columns={"no_kk": "id_keluarga"}
    )


def _comparison(processed: Path, run: dict, kode: str) -> pd.DataFrame | None:
    """``tinjau/perbandingan_register.csv`` of a DTSEN run (only this kecamatan's rows for a kecamatan)."""
    path = catalog.PERBANDINGAN_CSV.at(processed)
    if run.get("register") != v.DTSEN or not path.is_file():
        return None
    frame = pd.read_csv(path, dtype=str)
    return frame[frame["kode_kecamatan"] == kode] if kode else frame


def kecamatan_label(kode: str, kode_kabupaten: str = KODE_KABUPATEN) -> str:
    table = kecamatan_table(kode_kabupaten)
    return dict(zip(table["kode"], table["nama"])).get(kode, kode)


def load_report_data(
    processed_dir: str | Path, kode: str, kode_kabupaten: str = KODE_KABUPATEN, raw_dir: str | Path | None = None
) -> ReportData:
    """Everything a report reads, for the kabupaten (``kode`` = '') or one kecamatan of ``kode_kabupaten``;
    ``raw_dir`` holds the user's population table, if any."""
    processed = Path(processed_dir)
    run = catalog.read_json(catalog.PARAMETER_RUN, processed)
    status_all = read_columns(catalog.STATUS_SASARAN.at(processed))
    status = status_all[status_all["kode_kecamatan"] == kode] if kode else status_all
    rounds_file = catalog.STATUS_PUTARAN.at(processed)
    rounds = read_columns(rounds_file) if rounds_file.is_file() else pd.DataFrame()
    return ReportData(
        kode=kode,
        nama=kecamatan_label(kode, kode_kabupaten) if kode else "",
        kode_kabupaten=kode_kabupaten,
        nama_kabupaten=kabupaten_name(kode_kabupaten),
        raw_dir=raw_dir,
        status_all=status_all,
        status=status,
        summary=catalog.read_json(catalog.SUMMARY, processed),
        run=run,
        keluarga=_families(processed, run),
        individu=_register_individuals(processed, run),
        perbandingan=_comparison(processed, run, kode),
        rounds=rounds[rounds["kode_kecamatan"] == kode] if kode and len(rounds) else rounds,
        angka=figures(status),
    )


def map_files(folder: Path, kode: str) -> list[Path]:
    """The maps of a report that exist: kabupaten maps, or the desa maps of one kecamatan."""
    kabupaten = [maps.map_path(folder, metric) for metric in maps.KABUPATEN_MAPS]
    desa = [maps.map_path(folder, metric, kode) for metric in maps.DESA_MAPS] if kode else []
    found = [p for p in desa if p.is_file()]
    # Without desa boundaries a kecamatan report shows the kabupaten map of people still in desil 1.
    return found or [p for p in (kabupaten[:1] if kode else kabupaten) if p.is_file()]
