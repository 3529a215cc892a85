"""Full-scale benchmark: ``python -m helpers.benchmark [--scale 1] [--out DIR]`` (``make benchmark``).

Runs each step of the work on demo data in its own process and records wall time and peak memory
(maximum resident set size of the process and the children it waited for, e.g. notebook kernels):
demo generation, cleaning, matching + statuses, maps, the kabupaten report, all 22 reports, and the
verification forms. Results go to ``<out>/benchmark.json`` and are printed as a table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .config import SHARED_GEO_DIR

REPORT_DATE = "2024-11-06"

#: (step name, Python code run in a fresh interpreter; {raw}, {processed}, {reports}, {boundary} substituted).
STEPS: tuple[tuple[str, str], ...] = (
    ("demo", "from helpers import demo; demo.main(['--scale', '{scale}', '--out', '{raw}'])"),
    ("pembersihan", "from helpers import cleaning; cleaning.clean_all('{raw}', '{processed}')"),
    ("padu_padan_status", "from helpers import statuses; statuses.run_status('{processed}', '{report_date}')"),
    (
        "peta",
        "from helpers.notebooks import run_notebook; from helpers import params; "
        "p = params.resolve(overrides={{'raw_dir': '{raw}', 'processed_dir': '{processed}', 'reports_dir': "
        "'{reports}', 'report_date': '{report_date}', 'boundary_path': '{boundary}'}}); "
        "run_notebook('03_map.ipynb', {{k: p[k] for k in ('raw_dir', 'processed_dir', 'reports_dir', "
        "'report_date', 'boundary_path', 'kecamatan')}}, params.report_dir(p) / 'notebook' / '03_map.ipynb')",
    ),
    (
        "laporan_kabupaten",
        "from helpers import params, reports; p = params.resolve(overrides={{'raw_dir': '{raw}', 'processed_dir': "
        "'{processed}', 'reports_dir': '{reports}', 'report_date': '{report_date}', 'boundary_path': '{boundary}'}}); "
        "reports.render_area(p, '')",
    ),
    (
        "laporan_22",
        "from helpers import params, reports; p = params.resolve(overrides={{'raw_dir': '{raw}', 'processed_dir': "
        "'{processed}', 'reports_dir': '{reports}', 'report_date': '{report_date}', 'boundary_path': '{boundary}'}}); "
        "reports.render_all(p)",
    ),
    (
        "formulir_21",
        "import pandas as pd; from helpers import forms; "
        "forms.write_forms(pd.read_parquet('{processed}/status_sasaran.parquet'), "
        "'{reports}/{report_date}/formulir_verifikasi_RAHASIA', '{report_date}', progress=False)",
    ),
)


def measure(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; wall time (s) and peak RSS (MB) of it and its waited-for children."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code])
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"Langkah gagal (kode {os.waitstatus_to_exitcode(status)}): {code[:120]}…")
    return {"detik": round(wall, 1), "memori_puncak_mb": round(usage.ru_maxrss / 1024, 1)}


def sizes(folder: Path, pattern: str) -> dict:
    files = sorted(folder.glob(pattern))
    total = sum(p.stat().st_size for p in files)
    return {"jumlah": len(files), "total_kb": round(total / 1024), "rata_kb": round(total / 1024 / max(len(files), 1))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1")
    parser.add_argument("--out", default=None, help="folder kerja (default: folder sementara)")
    parser.add_argument("--boundary", default=str(SHARED_GEO_DIR / "jombang_desa.geojson"))
    args = parser.parse_args(argv)
    base = Path(args.out or tempfile.mkdtemp(prefix="benchmark-")).resolve()
    paths = {
        "raw": base / "raw",
        "processed": base / "processed",
        "reports": base / "reports",
        "boundary": args.boundary if Path(args.boundary).is_file() else "",
        "scale": args.scale,
        "report_date": REPORT_DATE,
    }
    results = {"scale": float(args.scale), "cpu": os.cpu_count(), "langkah": {}}
    for name, code in STEPS:
        print(f"[benchmark] {name} …", flush=True)
        results["langkah"][name] = measure(code.format(**paths))
        print(f"[benchmark] {name}: {results['langkah'][name]}", flush=True)
    report_dir = paths["reports"] / REPORT_DATE
    results["ukuran"] = {
        "laporan_kabupaten": sizes(report_dir, "laporan_kabupaten.html"),
        "laporan_kecamatan": sizes(report_dir / "kecamatan", "*.html"),
        "formulir": sizes(report_dir / "formulir_verifikasi_RAHASIA", "*.xlsx"),
        "p3ke_xlsx": sizes(paths["raw"] / "p3ke", "*.xlsx"),
    }
    out = base / "benchmark.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"Hasil: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
