"""Project paths and constants. No notebook hard-codes a path: they all come from here."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_PACKAGE_DIR = PACKAGE_DIR / "data"
#: The repository root (``src/helpers/config.py`` -> two levels up from ``src``).
ROOT = PACKAGE_DIR.parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
RAW_DIR = ROOT / "data" / "raw"
PROCESSED_DIR = ROOT / "data" / "processed"
REPORTS_DIR = ROOT / "reports"
#: The key folder (parameter ``kunci_dir``): the secret key of ``id_sasaran`` and the workbook passwords. Never in
#: git, never sent with the data (see ``helpers.keys`` and ``docs/data_protection.md``).
KUNCI_DIR = ROOT / "data" / "kunci"
#: Real boundaries shipped with the repository (MIT, source in ``data/geo/README.md``).
GEO_DIR = DATA_PACKAGE_DIR / "geo"
#: The boundaries the maps use when no other file is given (desa; kecamatan are dissolved from it).
DEFAULT_BOUNDARY = GEO_DIR / "jombang_desa.geojson"

KODE_PROVINSI = "35"
KODE_KABUPATEN = "35.17"
NAMA_KABUPATEN = "Kabupaten Jombang"
NAMA_PROVINSI = "Jawa Timur"

#: Target date for zero extreme poverty set at the TKPK meeting of 6 November 2024.
TANGGAL_TARGET_DEFAULT = "2024-11-30"
#: The demo reproduces the situation reported on this date.
TANGGAL_LAPORAN_DEMO = "2024-11-06"

