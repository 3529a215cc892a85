"""Progress across report dates: the history of earlier reports, the pace towards zero and the projection.

Each run for a report date keeps its headline figures in ``<reports_dir>/<date>/summary.json``. A run for a later
date reads the summaries of the *earlier* dates in the same reports folder (never later ones, so a report date
earlier than the newest one is the same whatever ran after it) and adds to its own summary:

- ``riwayat``: one entry per earlier report date with :data:`HISTORY_KEYS`, equal to that date's own summary, and
  its figures per kecamatan;
- ``proyeksi``: the pace at which people leave "perlu tindakan" (:data:`WINDOW` most recent points: the report
  dates when there are at least two, else the verification rounds of this run), the date zero is reached at that
  pace, and whether that is on or before ``tanggal_target``;
- ``proyeksi_kecamatan``: the same per kecamatan, the ones that fall behind first.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import catalog
from helpers.dates import to_date

#: The figures of a report date kept in ``riwayat`` (kabupaten, and per kecamatan under ``per_kecamatan``).
HISTORY_KEYS = ("masih_desil1", "intervensi_optimal", "intervensi_belum_optimal", "belum_intervensi",
                "perlu_tindakan", "diverifikasi", "meninggal")  # fmt: skip
#: How many of the most recent points (report dates or rounds) the pace is measured over.
WINDOW = 4
#: Where a pace comes from (``proyeksi.dasar``).
BASIS_REPORTS, BASIS_ROUNDS = "laporan", "putaran"
_DATE_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def earlier_summaries(reports_dir: str | Path | None, report_date: object) -> list[dict[str, Any]]:
    """The ``summary.json`` of every report date before ``report_date`` in ``reports_dir``, oldest first. A
    summary that cannot be read is named in a warning and left out."""
    if not reports_dir or not Path(reports_dir).is_dir():
        return []
    date = to_date(report_date).isoformat()
    found = []
    for folder in sorted(Path(reports_dir).iterdir()):
        if not (_DATE_FOLDER.match(folder.name) and folder.name < date):
            continue
        path = catalog.SUMMARY.at(folder)
        if not path.is_file():
            continue
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
            catalog.check_json(catalog.SUMMARY, summary)
        except (ValueError, RuntimeError) as exc:
            warnings.warn(f"Ringkasan laporan {path} tidak dapat dibaca dan dilewati: {exc}", UserWarning, stacklevel=2)
            continue
        if summary.get("tanggal_laporan") == folder.name:
            found.append(summary)
    return found


def _figures(entry: dict[str, Any]) -> dict[str, int | None]:
    return {key: entry.get(key) for key in HISTORY_KEYS}


def history_entry(summary: dict[str, Any]) -> dict[str, Any]:
    """What ``riwayat`` keeps of one report date's summary."""
    return {
        "tanggal_laporan": summary["tanggal_laporan"],
        **_figures(summary),
        "per_kecamatan": {row["kode"]: _figures(row) for row in summary.get("per_kecamatan", [])},
    }


def pace(points: list[tuple[str, int]], window: int = WINDOW) -> float | None:
    """People leaving per week over the last ``window`` points ``(ISO date, count)``: the fall from the first to the
    last of them over the weeks between; None with fewer than two points or no time between them."""
    recent = sorted(points)[-window:]
    if len(recent) < 2:
        return None
    days = (to_date(recent[-1][0]) - to_date(recent[0][0])).days
    if days <= 0:
        return None
    return round((recent[0][1] - recent[-1][1]) * 7 / days, 2)


def zero_date(count: int, report_date: object, laju: float | None) -> str | None:
    """The date ``count`` reaches zero at ``laju`` people a week from ``report_date`` (the report date itself when
    it is already zero); None when the pace is not positive."""
    date = to_date(report_date)
    if count <= 0:
        return date.isoformat()
    if laju is None or laju <= 0:
        return None
    return (date + dt.timedelta(days=math.ceil(count / laju * 7))).isoformat()


def projection(points: list[tuple[str, int]], basis: str | None, report_date: object, target: object) -> dict:
    """``proyeksi`` for the series ``points`` (its last point is the report date's count)."""
    count = sorted(points)[-1][1] if points else 0
    laju = pace(points)
    nol = zero_date(count, report_date, laju)
    return {
        "perlu_tindakan": int(count),
        "laju_per_minggu": laju,
        "dasar": basis if laju is not None else None,
        "titik": len(sorted(points)[-WINDOW:]) if laju is not None else 0,
        "tanggal_nol": nol,
        "tanggal_target": to_date(target).isoformat(),
        "tercapai_sebelum_target": nol is not None and nol <= to_date(target).isoformat(),
    }


def _series(riwayat: list[dict], current: dict, rounds: pd.DataFrame, kode: str = "") -> tuple[list, str | None]:
    """The "perlu tindakan" series of the kabupaten (or kecamatan ``kode``): the report dates when there are at
    least two, else the rounds of this run ending with the report date."""
    def value(entry: dict) -> int | None:
        return entry.get("perlu_tindakan") if not kode else entry.get("per_kecamatan", {}).get(kode, {}).get("perlu_tindakan")

    reports = [(e["tanggal_laporan"], value(e)) for e in [*riwayat, current]]
    reports = [(d, int(n)) for d, n in reports if n is not None]
    if len(reports) >= 2:
        return reports, BASIS_REPORTS
    if rounds.empty:
        return reports, None
    frame = rounds if not kode else rounds[rounds["kode_kecamatan"] == kode]
    by_round = frame.groupby("tanggal", sort=True)["perlu_tindakan"].sum()
    points = [(str(d), int(n)) for d, n in by_round.items() if str(d) < current["tanggal_laporan"]]
    return [*points, *reports[-1:]], BASIS_ROUNDS


def progress(summary: dict[str, Any], riwayat: list[dict], rounds: pd.DataFrame, target: object) -> dict[str, Any]:
    """``proyeksi`` and ``proyeksi_kecamatan`` for ``summary`` (with its ``per_kecamatan``), given the earlier
    report dates (``riwayat``) and this run's ``status_putaran`` frame (``rounds``)."""
    current = history_entry(summary)
    date = summary["tanggal_laporan"]
    kabupaten = projection(*_series(riwayat, current, rounds), date, target)
    per_kecamatan = []
    for row in summary.get("per_kecamatan", []):
        entry = projection(*_series(riwayat, current, rounds, row["kode"]), date, target)
        per_kecamatan.append({"kode": row["kode"], "nama": row["nama"], **entry})
    per_kecamatan.sort(key=_behind)
    return {"proyeksi": kabupaten, "proyeksi_kecamatan": per_kecamatan}


def _behind(entry: dict) -> tuple:
    """Falling behind first: not reaching zero in time (no pace before a slow one), then the most people left."""
    if entry["tercapai_sebelum_target"]:
        return (1, -entry["perlu_tindakan"], entry["kode"])
    weeks = math.inf if not entry["laju_per_minggu"] or entry["laju_per_minggu"] <= 0 else (
        entry["perlu_tindakan"] / entry["laju_per_minggu"])
    return (0, -weeks, -entry["perlu_tindakan"], entry["kode"])


def with_history(summary: dict[str, Any], reports_dir: str | Path | None, rounds: pd.DataFrame,
                 target: object) -> dict[str, Any]:  # fmt: skip
    """``summary`` with ``riwayat`` (the earlier report dates in ``reports_dir``), ``proyeksi`` and
    ``proyeksi_kecamatan``."""
    riwayat = [history_entry(s) for s in earlier_summaries(reports_dir, summary["tanggal_laporan"])]
    return {**summary, "riwayat": riwayat, **progress(summary, riwayat, rounds, target)}
