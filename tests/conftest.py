"""Shared fixtures: synthetic raw frames and raw folders (never real data), and the small demo dataset.

Generic on purpose; add fixtures for other modules below.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.reading.contract import COLUMN_NAMES, INPUTS

DEMO_SCALE = 0.02
DEMO_SEED = 11
#: A pseudonym key for tests that clean an SK frame directly (``clean_frame(..., key=ID_KEY)``).
ID_KEY = bytes(range(32))


@pytest.fixture(scope="session", autouse=True)
def kunci_dir(tmp_path_factory):
    """Every test's key folder is a temporary one, never the repository's ``data/kunci/``: the default of the
    parameter ``kunci_dir`` points there for the whole session (and the repository's folder must not appear)."""
    from helpers import params
    from helpers.config import KUNCI_DIR

    existed = KUNCI_DIR.exists()
    folder = tmp_path_factory.mktemp("kunci")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(params.DEFAULTS, "kunci_dir", str(folder))
        yield folder
    assert existed or not KUNCI_DIR.exists(), f"a test wrote into the repository's key folder {KUNCI_DIR}"


def make_nik(kec: str = "06", day: int = 12, month: int = 3, year: int = 85, serial: int = 1, female: bool = False) -> str:
    """A structurally valid synthetic Jombang NIK (35 17 kec, birth date, serial)."""
    return f"3517{kec}{day + (40 if female else 0):02d}{month:02d}{year % 100:02d}{serial:04d}"


def raw_frame(input_name: str, rows: list[dict], sumber_file: str = "uji.csv", first_row: int = 2) -> pd.DataFrame:
    """A frame shaped like :func:`helpers.readers.read_input`'s output, from rows keyed by contract header."""
    spec = INPUTS[input_name]
    data = {
        COLUMN_NAMES[h]: pd.array([None if r.get(h) is None else str(r[h]) for r in rows], dtype="string")
        for h in spec.all_columns
    }
    frame = pd.DataFrame(data)
    frame["sumber_file"] = pd.array([sumber_file] * len(rows), dtype="string")
    frame["baris_sumber"] = pd.array(range(first_row, first_row + len(rows)), dtype="Int64")
    return frame


def write_csv(path: Path, rows: list[dict], headers: list[str] | None = None) -> Path:
    """Write rows (dicts keyed by header) as a CSV file, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    headers = headers or list(dict.fromkeys(h for r in rows for h in r))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers)
        writer.writeheader()
        for row in rows:
            writer.writerow({h: "" if row.get(h) is None else row[h] for h in headers})
    return path


def _person(id_keluarga, id_individu, nik, nama, sex, lahir, kec, desa, desil, hub="Kepala Keluarga"):
    return {
        "ID Keluarga P3KE": id_keluarga,
        "ID Individu": id_individu,
        "NIK": nik,
        "Nama": nama,
        "Jenis Kelamin": sex,
        "Tanggal Lahir": lahir,
        "Hubungan dengan Kepala Keluarga": hub,
        "Kecamatan": kec,
        "Desa/Kelurahan": desa,
        "Desil Kesejahteraan": desil,
        "Kabupaten/Kota": "Kabupaten Jombang",
    }


def small_world() -> dict[str, list[dict]]:
    """A dozen-row consistent dataset: P3KE individu/keluarga, SK, intervensi, verifikasi (contract headers)."""
    n = {i: make_nik(serial=i) for i in range(1, 20)}
    p3ke = [
        _person("K1", "I1", n[1], "Ahmad Sholeh", "Laki-laki", "1985-03-12", "Mojoagung", "Mancilan", "1"),
        _person("K1", "I2", n[2], "Siti Aminah", "Perempuan", "1985-03-12", "Mojoagung", "Mancilan", "1", "Istri"),
        _person("K2", "I3", n[3], "Budi Santoso", "L", "1985-03-12", "Mojoagung", "Mancilan", "Desil 3"),
        _person("K3", "I4", n[4], "Sri Wahyuni", "P", "12/03/1985", "Jogoroto", "Sumbermulyo", "DESIL 1"),
        _person("K4", "I5", n[5], "Muhammad Ali", "L", "31119", "Jogoroto", "Sumbermulyo", "2"),
        _person("K5", "I6", "'" + n[6], "Hj. Kasiyem", "P", "1985-03-12 00:00:00", "Jombang Kota", "Kaliwungu", "1"),
        _person("K6", "I7", "3.51706E+15", "Sunarti", "P", "1985-03-12", "Jombang", "Kaliwungu", "1"),
        _person("K7", "I8", n[8], "Bad Desil", "L", "1985-03-12", "Jombang", "Kaliwungu", "sebelas"),
        _person("K8", "I9", n[9], "Salah Desa", "L", "1985-03-12", "Jogoroto", "Sumbermulya", "1"),
        _person("K9", "I10", None, None, None, None, "Jombang", "Kaliwungu", "1"),
    ]
    p3ke.append(dict(p3ke[0]))  # an exact duplicate
    keluarga = [
        {"ID Keluarga P3KE": f"K{i}", "Kecamatan": "Mojoagung", "Desa/Kelurahan": "Mancilan",
         "Desil Kesejahteraan": "1", "Kepala Keluarga": f"Kepala {i}", "NIK Kepala Keluarga": n[i], "Alamat": f"Dusun {i}"}
        for i in range(1, 4)
    ]  # fmt: skip
    sk = [
        {"No": "1", "NIK": n[1], "Nama": "AHMAD SHOLEH", "Kecamatan": "Mojoagung", "Desa/Kelurahan": "Mancilan"},
        {"No": "2", "NIK": n[3], "Nama": "Budi Santoso", "Kecamatan": "Mojoagung", "Desa/Kelurahan": "Mancilan"},
        {"No": "3", "NIK": make_nik(serial=99), "Nama": "Sri Wahyuni", "Kecamatan": "Jogoroto",
         "Desa/Kelurahan": "Sumbermulyo"},
        {"No": "4", "NIK": "3.51706E+15", "Nama": "Kasiyem", "Kecamatan": "Jombang", "Desa/Kelurahan": "Kaliwungu"},
        {"No": "5", "NIK": None, "Nama": "Orang Lain Sekali", "Kecamatan": "Jombang", "Desa/Kelurahan": "Kaliwungu"},
        {"No": "6", "NIK": n[12], "Nama": "Tak Dikenal", "Kecamatan": "Jogoroto", "Desa/Kelurahan": "Sumbermulyo"},
    ]  # fmt: skip
    intervensi = [
        {"NIK": n[1], "Nama": "Ahmad Sholeh", "OPD": "Dinsos", "Program": "PKH", "Tanggal Intervensi": "2024-05-01"},
        {"NIK": n[1], "Nama": "Ahmad Sholeh", "OPD": "Perkim", "Program": "Rehab RTLH", "Tanggal Intervensi": "45500"},
        {"NIK": n[4], "Nama": "Sri Wahyuni", "OPD": "Dinsos", "Program": "PKH", "Tanggal Intervensi": "01/06/2024",
         "Status": "Belum Optimal"},
        {"NIK": n[6], "Nama": "Kasiyem", "OPD": "Dinsos", "Program": "Program Baru", "Tanggal Intervensi": "2024-06-01"},
        {"NIK": None, "Nama": "Tanpa NIK", "OPD": "Dinsos", "Program": "PKH", "Tanggal Intervensi": "2024-06-01"},
    ]  # fmt: skip
    verifikasi = [
        {"NIK": n[4], "Status Keberadaan": "Ada", "Tanggal Verifikasi": "2024-11-01", "Kecamatan": "Jogoroto",
         "Desa/Kelurahan": "Sumbermulyo"},
        {"NIK": n[6], "Status Keberadaan": "Meninggal Dunia", "Tanggal Verifikasi": "05/11/2024"},
        {"NIK": n[1], "Status Keberadaan": None, "Tanggal Verifikasi": None},
        {"NIK": n[2], "Status Keberadaan": "Ada", "Tanggal Verifikasi": None},
    ]  # fmt: skip
    return {"p3ke": p3ke, "p3ke_keluarga": keluarga, "sk": sk, "intervensi": intervensi, "verifikasi": verifikasi}


def write_world(raw_dir: Path, world: dict[str, list[dict]]) -> Path:
    """Write a world (see :func:`small_world`) as CSV files laid out as the raw-data contract says."""
    for name, rows in world.items():
        spec = INPUTS[name]
        target = raw_dir / spec.path / f"{name}_01.csv" if spec.is_folder else raw_dir / f"{spec.path}.csv"
        write_csv(target, rows, list(spec.all_columns))
    return raw_dir


@pytest.fixture
def world() -> dict[str, list[dict]]:
    return small_world()


@pytest.fixture
def raw_dir(tmp_path, world) -> Path:
    return write_world(tmp_path / "raw", world)


# --------------------------------------------------------------------------- demo data (slow tests)

@pytest.fixture(scope="session")
def demo_small(tmp_path_factory) -> dict:
    """The demo dataset at a small scale: ``{"raw": Path, "truth": dict}``."""
    from helpers.demo import generate as demo

    raw = tmp_path_factory.mktemp("demo") / "raw"
    demo.main(["--seed", str(DEMO_SEED), "--scale", str(DEMO_SCALE), "--out", str(raw)])
    return {"raw": raw, "truth": json.loads((raw / "demo_truth.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="session")
def demo_hard(tmp_path_factory) -> dict:
    """The demo with its hard cases (``--kasus-sulit``) at a small scale: ``{"raw": Path, "truth": dict}``."""
    from helpers.demo import generate as demo

    raw = tmp_path_factory.mktemp("demo_sulit") / "raw"
    demo.main(["--seed", str(DEMO_SEED), "--scale", str(DEMO_SCALE), "--out", str(raw), "--quiet", "--kasus-sulit"])
    return {"raw": raw, "truth": json.loads((raw / "demo_truth.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="session")
def demo_dtsen(tmp_path_factory) -> dict:
    """The demo with its DTSEN register (``--dtsen``) at a small scale: ``{"raw": Path, "truth": dict}``."""
    from helpers.demo import generate as demo

    raw = tmp_path_factory.mktemp("demo_dtsen") / "raw"
    demo.main(["--seed", str(DEMO_SEED), "--scale", str(DEMO_SCALE), "--out", str(raw), "--quiet", "--dtsen"])
    return {"raw": raw, "truth": json.loads((raw / "demo_truth.json").read_text(encoding="utf-8"))}


# --------------------------------------------------------------------------- another kabupaten

def kabupaten_world(kode_kabupaten: str, families: int = 24) -> dict[str, list[dict]]:
    """A small consistent dataset for any kabupaten/kota, with its real kecamatan and desa names from the gazetteer:
    ``families`` families of two in the first two desa of its first two kecamatan; every third family in the SK,
    the first half of the province's desil 1, one intervention each for some, one verification row."""
    from helpers.reference import wilayah

    desa = wilayah.desa_table(kode_kabupaten)
    places = [row for kec in sorted(desa["kode_kecamatan"].unique())[:2]
              for row in desa[desa["kode_kecamatan"] == kec].head(2).itertuples()]  # fmt: skip
    kabupaten = wilayah.kabupaten_name(kode_kabupaten)
    p3ke, keluarga, sk, intervensi = [], [], [], []
    for i in range(families):
        place = places[i % len(places)]
        kec_digits = place.kode_kecamatan.replace(".", "")
        day, month, year = (i % 28) + 1, (i % 12) + 1, 1981 + i % 7
        heads = f"{kec_digits}{day:02d}{month:02d}{year % 100:02d}{i + 1:04d}"  # kecamatan, birth date, serial
        partner = f"{kec_digits}{day + 40:02d}{month:02d}{year % 100:02d}{i + 501:04d}"  # women: day + 40
        desil = "1" if i % 2 == 0 else "3"
        born = f"{year}-{month:02d}-{day:02d}"
        for nik, nama, sex, hub in ((heads, f"Kepala Keluarga {i}", "L", "Kepala Keluarga"),
                                    (partner, f"Istri Keluarga {i}", "P", "Istri")):  # fmt: skip
            p3ke.append({
                "ID Keluarga P3KE": f"K{i}", "ID Individu": f"I{len(p3ke) + 1}", "NIK": nik, "Nama": nama,
                "Jenis Kelamin": sex, "Tanggal Lahir": born, "Hubungan dengan Kepala Keluarga": hub,
                "Kecamatan": place.nama_kecamatan, "Desa/Kelurahan": place.nama, "Desil Kesejahteraan": desil,
                "Kabupaten/Kota": kabupaten,
            })  # fmt: skip
        keluarga.append({"ID Keluarga P3KE": f"K{i}", "Kecamatan": place.nama_kecamatan, "Desa/Kelurahan": place.nama,
                         "Desil Kesejahteraan": desil, "Kepala Keluarga": f"Kepala Keluarga {i}",
                         "NIK Kepala Keluarga": heads, "Alamat": f"Dusun {i}"})  # fmt: skip
        if i % 3 == 0:
            sk.append({"No": str(len(sk) + 1), "NIK": heads, "Nama": f"KEPALA KELUARGA {i}",
                       "Kecamatan": place.nama_kecamatan, "Desa/Kelurahan": place.nama})  # fmt: skip
            if i % 2 == 0:
                intervensi.append({"NIK": heads, "Nama": f"Kepala Keluarga {i}", "OPD": "Dinsos", "Program": "PKH",
                                   "Tanggal Intervensi": "2024-06-01"})  # fmt: skip
    verifikasi = [{"NIK": sk[0]["NIK"], "Status Keberadaan": "Ada", "Tanggal Verifikasi": "2024-11-01"}]
    return {"p3ke": p3ke, "p3ke_keluarga": keluarga, "sk": sk, "intervensi": intervensi, "verifikasi": verifikasi}


# --------------------------------------------------------------------------- the command line in a new process


def run_cli(*args: str, timeout: float = 1200) -> subprocess.CompletedProcess:
    """``python -m helpers ARGS`` in a new process with this worktree's sources, as an analyst runs it."""
    from helpers.config import ROOT

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=ROOT)  # fmt: skip


def start_cli(*args: str) -> subprocess.Popen:
    """:func:`run_cli` without waiting (stdout and stderr piped)."""
    from helpers.config import ROOT

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-m", "helpers", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=ROOT)  # fmt: skip


def pipeline_args(raw: Path, base: Path, report_date: str = "2024-11-06", *extra: str) -> list[str]:
    """``pipeline`` arguments for raw data ``raw`` into ``base/processed`` and ``base/reports``, without the HTML
    reports (the processed outputs and ``summary.json`` are what these runs compare). The key folder is the
    session's (:func:`kunci_dir`): a new process does not see the patched default, and copies of one run's outputs
    must run under that run's key."""
    from helpers import params

    return ["pipeline", "-p", "raw_dir", str(raw), "-p", "processed_dir", str(base / "processed"),
            "-p", "reports_dir", str(base / "reports"), "-p", "report_date", report_date,
            "-p", "kunci_dir", str(params.DEFAULTS["kunci_dir"]), "--tanpa-laporan", *extra]  # fmt: skip


def file_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (hidden files and the read cache included), by relative path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.fixture(scope="session")
def demo_alone(demo_small, tmp_path_factory) -> dict:
    """One pipeline run (``python -m helpers pipeline --tanpa-laporan``) of the small demo, alone on its processed
    folder: ``{"raw", "base", "processed", "summary"}``. Tests copy it; they never change it."""
    base = tmp_path_factory.mktemp("sendiri")
    done = run_cli(*pipeline_args(demo_small["raw"], base))
    assert done.returncode == 0, done.stderr[-3000:]
    processed = base / "processed"
    summary = json.loads((processed / "summary.json").read_text(encoding="utf-8"))
    return {"raw": demo_small["raw"], "base": base, "processed": processed, "summary": summary}
