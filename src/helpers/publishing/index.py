"""``reports/index.html``: every report date in a reports folder, newest first, with its headline figures and links
to its kabupaten report, brief, kecamatan reports and OPD pages. Rewritten at every run."""

from __future__ import annotations

import json
import re
from pathlib import Path

from helpers import catalog, outputs
from helpers.publishing.brief import FILE_NAME as BRIEF
from helpers.publishing.brief import environment
from helpers.publishing.fmt import angka, tanggal
from helpers.reference.wilayah import jabatan_kepala_daerah, kabupaten_name

FILE_NAME = "index.html"
KABUPATEN_REPORT = "laporan_kabupaten.html"
#: Folders of a report date whose pages are listed: (folder, heading).
GROUPS = (("kecamatan", "Laporan kecamatan"), ("opd", "Halaman OPD"))
FIGURES = (
    ("sasaran_sk", "Sasaran SK"),
    ("masih_desil1", "Masih desil 1"),
    ("intervensi_optimal", "Optimal"),
    ("intervensi_belum_optimal", "Belum optimal"),
    ("belum_intervensi", "Belum diintervensi"),
    ("perlu_tindakan", "Perlu tindakan"),
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def report_dates(reports_dir: str | Path) -> list[tuple[str, dict]]:
    """``[(date, summary)]`` of every report date folder holding a ``summary.json``, newest first."""
    found = []
    for folder in Path(reports_dir).iterdir() if Path(reports_dir).is_dir() else []:
        path = catalog.SUMMARY.at(folder)
        if _DATE.match(folder.name) and path.is_file():
            found.append((folder.name, json.loads(path.read_text(encoding="utf-8"))))
    return sorted(found, reverse=True)


def _entry(reports_dir: Path, date: str, summary: dict, jabatan: str = "Bupati") -> dict:
    folder = reports_dir / date
    links = [(label, f"{date}/{name}") for label, name in (("Laporan kabupaten", KABUPATEN_REPORT),
                                                            (f"Ringkasan untuk {jabatan}", BRIEF))
             if (folder / name).is_file()]  # fmt: skip
    groups = [(heading, [(page.stem.split("_", 1)[-1].replace("_", " "), f"{date}/{sub}/{page.name}")
                         for page in sorted((folder / sub).glob("*.html"))]) for sub, heading in GROUPS]  # fmt: skip
    figures = [(label, angka(summary[key]) if summary.get(key) is not None else "–") for key, label in FIGURES]
    return {"tanggal": tanggal(date), "angka": figures, "tautan": links, "kelompok": groups}


def write_index(reports_dir: str | Path, kode_kabupaten: str) -> Path:
    """Write ``<reports_dir>/index.html`` listing every report date found there."""
    reports_dir = Path(reports_dir)
    dates = report_dates(reports_dir)
    jabatan = jabatan_kepala_daerah(kode_kabupaten)
    page = environment().get_template("index.html.j2").render(
        wilayah=kabupaten_name(kode_kabupaten),
        pengantar=(f"{len(dates)} tanggal laporan di folder ini, yang terbaru di atas. Setiap laporan dapat dibuka "
                   f"tanpa internet; ringkasan untuk {jabatan} dapat dicetak pada satu halaman A4."),  # fmt: skip
        daftar=[_entry(reports_dir, date, summary, jabatan) for date, summary in dates],
    )
    return outputs.write_text(page, reports_dir / FILE_NAME)
