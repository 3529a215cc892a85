"""The province run: ``python -m helpers provinsi --raw-root DIR [--out DIR] [--kabupaten KODE ...] [-p NAME VALUE]``.

``DIR`` holds one raw folder per kabupaten/kota, named by its Kemendagri code (``35.07`` or ``3507``) and laid out
as ``data/raw/`` (contract: ``data/raw/README.md``). Each kabupaten/kota runs the whole pipeline (cleaning,
matching within the kabupaten, statuses, maps, reports) in its own process with its own folders, two at a time:

- ``<out>/olahan/<kode>/``: its processed tables and ``summary.json``;
- ``<out>/laporan/<kode>/<report_date>/``: its maps, kabupaten report and kecamatan reports;
- ``<out>/log/<kode>.log``: what its run printed;
- ``<out>/laporan/laporan_provinsi.html`` (+ ``peta_provinsi.png``): the province page
  (:mod:`helpers.publishing.provinsi`), a choropleth of the 38 kabupaten/kota and a table linking each report.

A kabupaten/kota that fails does not stop the others: the province page is written with the ones that finished
(the others "Tidak ada data") and the command ends with the list of failures (exit code 1).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from helpers import cli
from helpers import params as params_mod
from helpers.config import ROOT
from helpers.errors import InputError, NotebookFailed
from helpers.reference import wilayah

PARALLEL = 2
DEFAULT_OUT = ROOT / "reports" / "provinsi"
#: Parameters the province run sets per kabupaten/kota (a ``-p`` override of these is refused).
_OWN = ("raw_dir", "processed_dir", "reports_dir", "kode_kabupaten", "kecamatan")


def find_raw_folders(raw_root: str | Path, kabupaten: list[str] | None = None) -> dict[str, Path]:
    """``{kode: raw folder}`` for the subfolders of ``raw_root`` named by a kabupaten/kota code of the province,
    in code order; only the ones in ``kabupaten`` when given."""
    root = Path(raw_root)
    if not root.is_dir():
        raise InputError(f"Folder data mentah provinsi {root} tidak ditemukan.")
    known = set(wilayah.kabupaten_table()["kode"])
    found, strange = {}, []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        kode = wilayah.normalise_code(folder.name) if folder.name.replace(".", "").isdigit() else None
        if kode in known:
            if kode in found:
                raise InputError(f"Kabupaten/kota {kode} punya dua folder di {root}: {found[kode].name} dan {folder.name}.")
            found[kode] = folder
        else:
            strange.append(folder.name)
    if strange:
        raise InputError(
            f"Folder di {root} harus bernama kode Kemendagri kabupaten/kota Jawa Timur (mis. 35.07 atau 3507); "
            f"tidak dikenal: {', '.join(strange[:10])}{', …' if len(strange) > 10 else ''}."
        )
    if kabupaten:
        wanted = [wilayah.normalise_code(k) for k in kabupaten]
        missing = [k for k in wanted if k not in found]
        if missing:
            raise InputError(f"Tidak ada folder data mentah untuk kabupaten/kota {', '.join(missing)} di {root}.")
        found = {k: found[k] for k in sorted(set(wanted))}
    if not found:
        raise InputError(f"Folder {root} tidak berisi folder data mentah kabupaten/kota (mis. {root}/35.07/).")
    return dict(sorted(found.items()))


def kabupaten_overrides(kode: str, raw: Path, out: Path, overrides: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The ``-p`` overrides of one kabupaten/kota's run: the shared ones plus its own folders and code."""
    own = [("raw_dir", str(raw)), ("processed_dir", str(out / "olahan" / kode)),
           ("reports_dir", str(out / "laporan" / kode)), ("kode_kabupaten", kode)]  # fmt: skip
    return [*overrides, *own]


def run_one(job_file: str | Path) -> dict:
    """Run one kabupaten/kota (in its own process): the pipeline, then its reports; the seconds of each step go
    to ``<job_file>.hasil.json``."""
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    from helpers import pipeline
    from helpers.publishing import render

    parameters = params_mod.resolve(job["params_file"], [tuple(p) for p in job["overrides"]])
    timings: dict[str, float] = {}
    pipeline.run(parameters, with_reports=False, timings=timings)
    started = time.perf_counter()
    if job["laporan_kecamatan"]:
        count = len(render.render_all(parameters))
    else:
        render.render_area(parameters, "")
        count = 1
    timings["laporan"] = round(time.perf_counter() - started, 1)
    result = {"langkah_detik": timings, "laporan": count}
    Path(f"{job_file}.hasil.json").write_text(json.dumps(result), encoding="utf-8")
    return result


class ProcessWatch:
    """Samples this process and all its descendants twice a second: the peak of their summed resident memory
    (MB) and their CPU time (s; each process counted until its last sample, so the few short-lived ones and the
    last half second of each are missed)."""

    def __init__(self, interval: float = 0.5):
        self.interval, self.peak_mb = interval, 0.0
        self._cpu: dict[tuple[int, float], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def cpu_seconds(self) -> float:
        return sum(self._cpu.values())

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    with process.oneshot():
                        key, times, rss = (process.pid, process.create_time()), process.cpu_times(), process.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                self._cpu[key] = times.user + times.system
                total += rss
            self.peak_mb = max(self.peak_mb, total / 2**20)
            self._stop.wait(self.interval)

    def __enter__(self) -> ProcessWatch:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()


def _run_kabupaten(kode: str, job: dict, out: Path) -> dict:
    logs = out / "log"
    job_file = logs / f"{kode}.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    Path(f"{job_file}.hasil.json").unlink(missing_ok=True)
    started = time.perf_counter()
    with open(logs / f"{kode}.log", "w", encoding="utf-8") as log:
        code = f"from helpers.provinsi import run_one; run_one({str(job_file)!r})"
        process = subprocess.Popen([sys.executable, "-c", code], stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, "TQDM_DISABLE": "1"})  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
    result = {"kode": kode, "detik": round(time.perf_counter() - started, 1),
              "memori_puncak_mb": round(usage.ru_maxrss / 1024, 1)}  # fmt: skip
    if os.waitstatus_to_exitcode(status) != 0:
        return result | {"gagal": f"kode keluar {os.waitstatus_to_exitcode(status)}, lihat {logs / (kode + '.log')}"}
    return result | json.loads(Path(f"{job_file}.hasil.json").read_text(encoding="utf-8"))


def run_province(raw_root: str | Path, out: str | Path = DEFAULT_OUT, kabupaten: list[str] | None = None,
                 params_file: str | Path | None = None, overrides: list[tuple[str, str]] | None = None,
                 parallel: int = PARALLEL, laporan_kecamatan: bool = True, progress: bool = True) -> dict:  # fmt: skip
    """Run every kabupaten/kota found in ``raw_root`` (:func:`find_raw_folders`), ``parallel`` at a time, then
    write the province page. Returns per kabupaten/kota its seconds, steps and peak memory (its largest
    process), and for the whole run the peak of the summed memory and the CPU time of all processes
    (:class:`ProcessWatch`) and the page's path."""
    overrides = list(overrides or [])
    clash = sorted({name for name, _ in overrides} & set(_OWN))
    if clash:
        raise InputError(f"Parameter {', '.join(clash)} diatur per kabupaten/kota oleh perintah provinsi; hapus -p-nya.")
    base = params_mod.resolve(params_file, overrides)  # validates the shared parameters once
    if not base["report_date"]:
        raise InputError("Laporan provinsi memerlukan satu tanggal laporan untuk semua kabupaten/kota: berikan "
                         "-p report_date TTTT-BB-HH.")  # fmt: skip
    overrides.append(("kunci_dir", base["kunci_dir"]))  # one key folder for every kabupaten/kota, as resolved here
    folders = find_raw_folders(raw_root, kabupaten)
    out = Path(out).resolve()
    (out / "log").mkdir(parents=True, exist_ok=True)
    jobs = {
        kode: {"params_file": str(params_file) if params_file else None,
               "overrides": kabupaten_overrides(kode, raw.resolve(), out, overrides),
               "laporan_kecamatan": laporan_kecamatan}  # fmt: skip
        for kode, raw in folders.items()
    }
    started = time.perf_counter()
    results = []
    with ProcessWatch() as watch, ThreadPoolExecutor(max_workers=max(1, min(parallel, PARALLEL))) as pool:
        for result in pool.map(lambda k: _run_kabupaten(k, jobs[k], out), jobs):
            results.append(result)
            if progress:
                state = f"GAGAL ({result['gagal']})" if "gagal" in result else "selesai"
                print(f"  {result['kode']} {wilayah.kabupaten_name(result['kode'])}: {state} dalam "
                      f"{result['detik']:.0f} detik", flush=True)  # fmt: skip
        kabupaten_seconds = time.perf_counter() - started
        page_started = time.perf_counter()
        page = write_page(out, [r["kode"] for r in results if "gagal" not in r], base["report_date"])
    return {
        "kabupaten": results,
        "detik_kabupaten": round(kabupaten_seconds, 1),
        "detik_laporan_provinsi": round(time.perf_counter() - page_started, 1),
        "detik_total": round(time.perf_counter() - started, 1),
        "memori_puncak_total_mb": round(watch.peak_mb, 1),
        "cpu_detik": round(watch.cpu_seconds, 1),
        "laporan_provinsi": str(page),
        "gagal": [r["kode"] for r in results if "gagal" in r],
    }


def write_page(out: Path, done: list[str], report_date) -> Path:
    """The province page in ``<out>/laporan/`` from the summaries of the kabupaten/kota in ``done``."""
    from helpers.publishing import provinsi as page

    date = str(report_date)
    summaries = page.read_summaries({kode: out / "olahan" / kode for kode in done})
    links = {kode: f"{kode}/{date}/laporan_kabupaten.html" for kode in done}
    return page.write_province_report(summaries, out / "laporan", links, date)


def main(argv: list[str] | None = None) -> int:
    parser = cli.parser("python -m helpers provinsi", "Jalankan pipeline untuk setiap kabupaten/kota dan buat laporan provinsi.")
    parser.add_argument("--raw-root", required=True, type=Path,
                        help="folder berisi satu folder data mentah per kabupaten/kota (mis. 35.07/, 3517/)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder hasil (bawaan {DEFAULT_OUT})")
    parser.add_argument("--kabupaten", nargs="+", help="hanya kabupaten/kota ini (kode Kemendagri)")
    parser.add_argument("--paralel", type=int, default=PARALLEL, help="kabupaten/kota yang dijalankan bersamaan (1-2)")
    parser.add_argument("--tanpa-laporan-kecamatan", action="store_true", help="hanya laporan kabupaten/kota")
    args = parser.parse_args(argv)

    def action() -> str:
        result = run_province(args.raw_root, args.out, args.kabupaten, args.params, args.parameter, args.paralel,
                              not args.tanpa_laporan_kecamatan)  # fmt: skip
        if result["gagal"]:
            raise NotebookFailed(
                f"{len(result['gagal'])} dari {len(result['kabupaten'])} kabupaten/kota gagal: "
                + "; ".join(f"{r['kode']}: {r['gagal']}" for r in result["kabupaten"] if "gagal" in r)
                + f". Laporan provinsi tetap ditulis tanpa mereka: {result['laporan_provinsi']}"
            )
        return (f"Selesai: {len(result['kabupaten'])} kabupaten/kota dalam {result['detik_total']:.0f} detik. "
                f"Laporan provinsi: {result['laporan_provinsi']}")  # fmt: skip

    return cli.guarded(action)


if __name__ == "__main__":
    sys.exit(main())
