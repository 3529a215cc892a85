"""Synthetic demo data that follows the raw-data contract, with its ground truth.

``python -m helpers demo [--seed N] [--scale F] [--out DIR]`` writes, deterministically (same seed and scale
give byte-identical files):

- ``p3ke/`` and ``p3ke_keluarga/``: P3KE 2024 individuals (654,220 at scale 1) and families, one xlsx per kecamatan;
- ``sk_miskin_ekstrem.xlsx``: the 7,408 people of the SK Bupati (plus a few exact duplicate rows);
- ``intervensi/``: one file per OPD (xlsx and csv);
- ``verifikasi/``: the camat's field sweeps, one xlsx per kecamatan per round;
- ``demo_truth.json``: what a correct pipeline must compute (for tests only; the pipeline never reads it).

``--dtsen`` (off by default) also writes ``dtsen/``: the DTSEN register of the whole population in which some SK
people left desil 1 and some entered it (:mod:`helpers.demo.dtsen`; truth under ``dtsen``).

``--kasus-sulit`` (off by default, so that the default demo reproduces the figures of 6 November 2024) adds hard
cases (:data:`helpers.demo.events.KASUS_SULIT`): people still in desil 1 with no intervention recorded, a death
later reported "Tidak Ditemukan" and one later reported "Ada", and returned forms that carry a round number;
and it breaks the SK list the way real files break, for padu padan (:mod:`helpers.demo.sk_hard`: mistyped,
borrowed and Excel-truncated NIKs, old spellings, swapped or missing dates, people absent from P3KE, a person
listed twice), with a per-person answer key in ``demo_truth.json`` → ``kasus_sulit.kunci_padan``.

Faults that real exports carry are injected at documented rates (``data/raw/README.md``), never where they
could change a truth figure. ``--scale`` shrinks only the background population; the SK people and their
families are always complete. Nothing in the data is a real person.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from helpers import cli, config, vocabulary
from helpers.demo.dtsen import dtsen_jobs, dtsen_plan, dtsen_truth
from helpers.demo.events import (
    KASUS_SULIT,
    REPORT_DATE,
    ROUNDS,
    TRUTH_DATES,
    add_hard_types,
    assign_types,
    background_interventions,
    check_report_date,
    file_under_sk_nik,
    finish_interventions,
    keberadaan_at,
    programme_catalogue,
    sk_interventions,
    sk_nik_truth,
    status_table,
    summarise,
    verification_records,
)
from helpers.demo.files import (
    intervensi_codes,
    intervensi_jobs,
    keluarga_codes,
    keluarga_jobs,
    p3ke_codes,
    p3ke_file_plan,
    p3ke_jobs,
    sk_job,
    verifikasi_codes,
    verifikasi_jobs,
)
from helpers.demo.population import TOTAL_P3KE, Population, build_population
from helpers.demo.render import DATE_EMPTY, NIK_TYPO, FileJob, InputLog, check_header_variants
from helpers.demo.sk import add_kk, number_sk, sk_plan
from helpers.demo.sk_hard import answer_key, give_truncated_niks, plan_linkage_cases
from helpers.demo.xlsx import ExcelDate, write_csv, write_xlsx
from helpers.errors import InputError
from helpers.reading.contract import EXTENSIONS, INPUTS

TRUTH_FILE = "demo_truth.json"
DEFAULT_SEED = 2024
MAX_WORKERS = 2
GENERATOR_VERSION = 1
#: Inputs whose rows have no unique ID column: their rendered rows are checked for accidental duplicates.
_CHECK_DUPLICATES = ("sk", "intervensi", "verifikasi")


# --- writing ---------------------------------------------------------------------------------------------


def write_job(out_dir: Path, job: FileJob) -> tuple[str, int, int]:
    """Write one file (runs in a worker process). Returns (relative path, data rows, bytes)."""
    path = Path(out_dir) / job.relpath
    if job.kind == "csv":
        rows = write_csv(path, job.header, job.columns, job.title_rows, job.delimiter, job.encoding)
    else:
        rows = write_xlsx(path, job.header, job.columns, job.title_rows, job.created, job.sheet_name)
    return job.relpath, rows, path.stat().st_size


def write_all(out_dir: Path, jobs: Iterable[FileJob], total: int, workers: int, progress: bool) -> dict[str, int]:
    """Write the files with up to ``workers`` processes; at most 2 jobs per worker wait in memory."""
    sizes: dict[str, int] = {}
    bar = tqdm(total=total, desc="Menulis file demo", unit="file", disable=not progress)
    if workers <= 1:
        for job in jobs:
            relpath, _, size = write_job(out_dir, job)
            sizes[relpath] = size
            bar.update()
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending = set()
            for job in jobs:
                pending.add(pool.submit(write_job, out_dir, job))
                while len(pending) >= 2 * workers:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    _collect(done, sizes, bar)
            _collect(wait(pending)[0], sizes, bar)
    bar.close()
    return dict(sorted(sizes.items()))


def _collect(done, sizes: dict[str, int], bar) -> None:
    for future in done:
        relpath, _, size = future.result()
        sizes[relpath] = size
        bar.update()


def _text_key(value: object) -> str:
    """A cell as the reader sees it (for the duplicate check)."""
    if value is None:
        return ""
    if isinstance(value, ExcelDate):
        return str(np.datetime64("1899-12-30") + np.timedelta64(int(value), "D"))
    return str(value)


def _checked(jobs: Iterable[FileJob], log: InputLog) -> Iterator[FileJob]:
    """Pass jobs through, asserting that the only exact duplicate rows are the injected ones."""
    found = 0
    for job in jobs:
        rows = list(zip(*[[_text_key(v) for v in col] for col in job.columns]))
        found += len(rows) - len(set(rows))
        yield job
    if found != log.duplicates:
        raise AssertionError(f"{found} exact duplicate rows written, {log.duplicates} injected")


# --- output folder ---------------------------------------------------------------------------------------


def _demo_paths(out: Path) -> list[Path]:
    folders = [out / spec.path for spec in INPUTS.values() if spec.is_folder]
    files = [p for f in folders if f.is_dir() for p in sorted(f.iterdir()) if p.suffix.lower() in EXTENSIONS]
    singles = [out / f"{spec.path}{ext}" for spec in INPUTS.values() if not spec.is_folder for ext in EXTENSIONS]
    return files + [p for p in singles if p.is_file()]


def prepare_output(out: Path) -> None:
    """Remove the files of a previous demo run; refuse to mix demo data with other files."""
    truth = out / TRUTH_FILE
    if truth.is_file():
        previous = json.loads(truth.read_text(encoding="utf-8"))
        for relpath in previous.get("files_written", []):
            (out / relpath).unlink(missing_ok=True)
        truth.unlink()
    leftovers = _demo_paths(out)
    if leftovers:
        shown = ", ".join(str(p.relative_to(out)) for p in leftovers[:5])
        raise InputError(
            f"Folder {out} sudah berisi file data yang bukan hasil demo sebelumnya ({shown}"
            f"{', …' if len(leftovers) > 5 else ''}). Data demo tidak ditulis agar data asli tidak tercampur "
            "atau terhapus: pindahkan file tersebut atau pilih folder lain dengan --out."
        )


# --- truth -----------------------------------------------------------------------------------------------


def _rounds_truth(verifications: pd.DataFrame, date: np.datetime64) -> list[dict]:
    """The verification rounds up to ``date`` as the plan made them: one per sweep (round index), named by the
    number its forms carry, else by the ISO week of the sweep (all its visits fall in that week)."""
    visits = verifications[verifications["tanggal"] <= date]
    out = []
    for index, group in visits.groupby("putaran", sort=True):
        week = pd.Timestamp(ROUNDS[index]).isocalendar().week
        numbered = group["nomor_putaran"].notna().all()
        name = f"Putaran {int(group['nomor_putaran'].iloc[0])}" if numbered else f"Minggu {int(week)}"
        out.append({"nama_putaran": name, "tanggal": pd.Timestamp(group["tanggal"].max()).date().isoformat()})
    return out


def _hard_truth(sk: pd.DataFrame, verifications: pd.DataFrame) -> dict:
    """What the hard cases must produce (from the plan)."""
    later = verifications[~verifications["berlaku"]]
    return {
        "belum_intervensi_no": sorted(int(n) for n in sk.loc[sk["tipe"] == "E", "no"]),
        "meninggal_lalu": {
            status: sorted(int(n) for n in later.loc[later["status"] == status, "sk_no"])
            for status in ("Tidak Ditemukan", "Ada")
        },
        # the death and the later "Ada" are both listed in tinjau/keberadaan_masalah.csv
        "baris_sesudah_meninggal": 2 * int((later["status"] != "Tidak Ditemukan").sum()),
        "putaran": _rounds_truth(verifications, REPORT_DATE),
    }


def _add_unmatched_rows(figures: dict, extra: pd.DataFrame) -> None:
    """SK rows without a P3KE record of their own count in ``sasaran_sk`` only (kabupaten and kecamatan)."""
    figures["sasaran_sk"] += len(extra)
    per_kec = extra["kode_kecamatan"].value_counts()
    for row in figures["per_kecamatan"]:
        row["sasaran_sk"] += int(per_kec.get(row["kode"], 0))


def build_truth(seed: int, scale: float, pop: Population, sk: pd.DataFrame, plan: pd.DataFrame,
                interventions: pd.DataFrame, verifications: pd.DataFrame, vf_quarantined: np.ndarray,
                p3ke: dict, kasus_sulit: bool = False, hard: dict | None = None) -> dict:  # fmt: skip
    """Everything a test needs to check the pipeline; computed from the generator's own event model. With the
    linkage hard cases (``hard``), the rows added to the SK list count in ``sasaran_sk``: the absent people as
    ``tidak_padan``, the second row of a listed person as ``tinjau_manual`` (one person, one P3KE record)."""
    fuzzy = int(plan["fuzzy"].sum())
    padan = dict.fromkeys(vocabulary.METODE_PADAN, 0) | {vocabulary.NIK: len(sk) - fuzzy, vocabulary.PROBABILISTIK: fuzzy}
    extra = hard["extra"] if hard else sk.iloc[:0].assign(kasus=[])
    if hard:
        padan[vocabulary.TIDAK_PADAN] = int((extra["kasus"] != "duplikat_sk").sum())
        padan[vocabulary.TINJAU_MANUAL] = int((extra["kasus"] == "duplikat_sk").sum())
    targets = sk[["no", "nik", "desil", "kode_kecamatan"]]
    kept_vf = verifications[~vf_quarantined]
    expected = {}
    for date in TRUTH_DATES:
        table = status_table(date, targets, interventions, kept_vf)
        unchanged = keberadaan_at(date, targets["nik"], verifications)
        if not table["status_keberadaan"].equals(unchanged):
            raise AssertionError(f"quarantined verification rows would change the truth at {date}")
        expected[date] = summarise(table, pop.kecamatan, padan)
        if hard:
            _add_unmatched_rows(expected[date], extra)
    if not kasus_sulit:
        check_report_date(expected[str(REPORT_DATE)])
    core = int(pop.individuals["core"].sum())
    families = pop.families
    unknown = [
        {"kode_kecamatan": str(families["kode_kecamatan"].iat[f]), "desa_tertulis": name,
         "baris_p3ke": int((pop.individuals["fam"] == f).sum()), "baris_p3ke_keluarga": 1}
        for f, name in sorted(p3ke["typo_names"].items())
    ]  # fmt: skip
    return {
        "generator": "helpers.demo",
        "versi": GENERATOR_VERSION,
        "seed": seed,
        "scale": scale,
        "tanggal_laporan": str(REPORT_DATE),
        "tanggal_kebenaran": list(TRUTH_DATES),
        "p3ke": {
            "individu": len(pop.individuals),
            "keluarga": len(families),
            "individu_inti": core,
            "individu_latar": len(pop.individuals) - core,
            "rumus_individu": f"{core} + round(scale * ({TOTAL_P3KE} - {core}))",
            "individu_skala_1": TOTAL_P3KE,
            "desil_individu": {str(k): int(v) for k, v in pop.individuals["desil"].value_counts().sort_index().items()},
        },
        "sk": {
            "orang": len(sk),
            "keluar_desil1": int((sk["desil"] > 1).sum()),
            "masih_desil1": int((sk["desil"] == 1).sum()),
            "tipe": {k: int(v) for k, v in sk["tipe"].value_counts().sort_index().items()},
        },
        "padan_expected": padan,
        "fuzzy_no": sorted(int(x) for x in sk.loc[plan["fuzzy"].to_numpy(), "no"]),
        "wilayah_tidak_dikenal": unknown,
        "expected": expected,
        "matches": {str(no): str(i) for no, i in zip(sk["no"], sk["id_individu"])},
        "kasus_sulit": _hard_truth(sk, verifications) | {"kunci_padan": hard["kunci"]} if kasus_sulit else None,
        "putaran": _rounds_truth(verifications, REPORT_DATE),
    }


def _dtsen_expected(plan: dict, pop: Population, sk: pd.DataFrame, truth: dict, interventions: pd.DataFrame,
                    verifications: pd.DataFrame, vf_quarantined: np.ndarray) -> dict:  # fmt: skip
    """The figures at the report date with each DTSEN decile as ``desil`` (same people, same matches, same
    interventions and verifications as with P3KE; only the deciles differ)."""
    kept_vf = verifications[~vf_quarantined]
    out = {}
    for column in [c for c in plan["sk"].columns if c.startswith("desil_") and c != "desil_p3ke"]:
        targets = sk[["no", "nik", "kode_kecamatan"]].assign(desil=plan["sk"][column].to_numpy())
        table = status_table(str(REPORT_DATE), targets, interventions, kept_vf)
        out[column.removeprefix("desil_")] = summarise(table, pop.kecamatan, truth["padan_expected"])
    return out


def _input_reports(logs: dict[str, InputLog]) -> tuple[dict, dict]:
    inputs = {name: log.as_dict() for name, log in logs.items()}
    faults = {
        name: {
            "baris_masuk": d["rows_written"],
            "baris_bersih": d["kept"],
            "baris_duplikat": d["duplicates"],
            "baris_karantina": d["quarantine"],
            **d["faults"],
        }
        for name, d in inputs.items()
    }
    return inputs, faults


# --- the run ---------------------------------------------------------------------------------------------


class _Stages:
    """A progress bar over the preparation steps (each step is named as it starts)."""

    def __init__(self, progress: bool, total: int):
        self.bar = tqdm(total=total, desc="Menyiapkan data demo", unit="langkah", disable=not progress)
        self.started = False

    def step(self, label: str) -> None:
        if self.started:
            self.bar.update()
        self.started = True
        self.bar.set_description_str(label)

    def close(self) -> None:
        self.bar.update()
        self.bar.close()


def _interventions(seed: int, pop: Population, sk: pd.DataFrame, scale: float, taken: set[int]) -> pd.DataFrame:
    catalogue = programme_catalogue()
    records = pd.concat(
        [sk_interventions(seed, pop, sk, catalogue), background_interventions(seed, pop, scale, catalogue, taken)],
        ignore_index=True,
    )
    return finish_interventions(records, catalogue)


def generate(out: Path, seed: int = DEFAULT_SEED, scale: float = 1.0, workers: int = MAX_WORKERS,
             progress: bool = True, kasus_sulit: bool = False, dtsen: bool = False) -> dict:  # fmt: skip
    """Write the demo files and ``demo_truth.json`` into ``out``; returns the truth. ``kasus_sulit`` adds the
    hard cases, ``dtsen`` the DTSEN register (see the module docstring)."""
    if not 0 < scale <= 1:
        raise InputError(f"--scale {scale} tidak valid: gunakan angka lebih dari 0 dan paling besar 1 (mis. 0.02).")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    prepare_output(out)
    check_header_variants()
    started = time.perf_counter()
    stages = _Stages(progress, total=4)

    stages.step("Populasi P3KE")
    pop = build_population(seed, scale)
    sk = assign_types(seed, number_sk(pop))
    if kasus_sulit:
        sk = add_hard_types(seed, sk)
    taken = set(pop.individuals["nik"].tolist())
    logs = {name: InputLog() for name in INPUTS}
    stages.step("Kesalahan data P3KE dan SK")
    files = p3ke_file_plan(seed)
    p3ke = p3ke_codes(seed, pop, files, logs["p3ke"])
    sk = add_kk(seed, sk, taken)
    plan = sk_plan(seed, pop, sk, p3ke["birth"] == DATE_EMPTY, p3ke["no_id"], taken)
    stages.step("Intervensi dan verifikasi")
    hard = None
    if kasus_sulit:  # the linkage hard cases; the funnel's hard-case people stay undamaged
        verifications = verification_records(seed, pop, sk, kasus_sulit)
        keep_out = (sk["tipe"] == "E").to_numpy() | sk["no"].isin(verifications.loc[~verifications["berlaku"], "sk_no"])
        plan, extra, kasus, holders = plan_linkage_cases(seed, pop, sk, plan, taken, np.asarray(keep_out))
        give_truncated_niks(pop, sk, plan, holders)
        hard = {"extra": extra, "kunci": answer_key(sk, kasus, extra)}
    interventions = file_under_sk_nik(_interventions(seed, pop, sk, scale, taken), sk, plan, NIK_TYPO)
    if not kasus_sulit:
        verifications = verification_records(seed, pop, sk, kasus_sulit)
    iv_codes = intervensi_codes(seed, interventions, logs["intervensi"])
    vf_codes = verifikasi_codes(seed, verifications, logs["verifikasi"])
    kel_codes = keluarga_codes(seed, pop, files, p3ke, logs["p3ke_keluarga"])
    stages.step("Kunci jawaban")
    truth = build_truth(seed, scale, pop, sk, plan, interventions, verifications, vf_codes["sci"], p3ke, kasus_sulit,
                        hard)  # fmt: skip
    truth["intervensi_nik_sk"] = sk_nik_truth(interventions, sk, verifications[~vf_codes["sci"]])
    register = dtsen_plan(seed, scale, pop, sk, taken) if dtsen else None
    if register is not None:
        expected = _dtsen_expected(register, pop, sk, truth, interventions, verifications, vf_codes["sci"])
        truth["dtsen"] = dtsen_truth(register, expected)
    stages.close()

    jobs = chain(
        p3ke_jobs(pop, files, p3ke, logs["p3ke"]),
        keluarga_jobs(pop, files, kel_codes, p3ke, logs["p3ke_keluarga"]),
        _checked([sk_job(seed, pop, sk, plan, logs["sk"], hard and hard["extra"])], logs["sk"]),
        _checked(intervensi_jobs(interventions, iv_codes, logs["intervensi"]), logs["intervensi"]),
        _checked(verifikasi_jobs(verifications, vf_codes, logs["verifikasi"]), logs["verifikasi"]),
        dtsen_jobs(pop, register["rows"], logs["dtsen"]) if register is not None else (),
    )
    total = 2 * len(files) + 1 + len(set(interventions["opd"])) + len(vf_codes["files"])
    total += len(pop.kecamatan) if register is not None else 0
    sizes = write_all(out, jobs, total, min(workers, MAX_WORKERS), progress)

    truth["inputs"], truth["faults"] = _input_reports(logs)
    truth["files_written"] = list(sizes)
    truth["bytes_written"] = sizes
    (out / TRUTH_FILE).write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if progress:
        tqdm.write(
            f"Selesai dalam {time.perf_counter() - started:.1f} detik: {len(sizes)} file di {out}.", file=sys.stderr
        )
    return truth


def _angka(n: int) -> str:
    """7408 -> 7.408 (Indonesian thousands separator)."""
    return f"{n:,}".replace(",", ".")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers demo",
        description="Menulis data demo sintetis (P3KE, SK, intervensi, verifikasi) beserta kunci jawabannya.",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"benih acak (bawaan {DEFAULT_SEED})")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="skala populasi latar P3KE, 0 < skala <= 1 (bawaan 1 = 654.220 individu)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=config.RAW_DIR, help=f"folder tujuan (bawaan {config.RAW_DIR})")
    parser.add_argument("--workers", type=int, default=MAX_WORKERS, help="jumlah proses penulis, paling banyak 2")
    parser.add_argument("--quiet", action="store_true", help="tanpa pesan dan bilah kemajuan")
    parser.add_argument("--kasus-sulit", action="store_true",
                        help=f"tambahkan kasus sulit: {KASUS_SULIT['E']} sasaran desil 1 tanpa intervensi, kematian "
                        "yang kemudian dilaporkan Tidak Ditemukan/Ada, formulir bernomor putaran, dan SK yang rusak seperti "
                        "file asli untuk padu padan (bawaan: tidak, "
                        "agar angka 6 November 2024 tetap)")  # fmt: skip
    parser.add_argument("--dtsen", action="store_true",
                        help="tulis juga register DTSEN seluruh penduduk (data/raw/dtsen/*.csv, pemisah |) tempat "
                        "sebagian sasaran SK keluar dari atau masuk ke desil 1 (bawaan: tidak)")  # fmt: skip
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)

    def action() -> str | None:
        truth = generate(args.out, args.seed, args.scale, args.workers, progress=not args.quiet,
                         kasus_sulit=args.kasus_sulit, dtsen=args.dtsen)  # fmt: skip
        if args.quiet:
            return None
        fig = truth["expected"][truth["tanggal_laporan"]]
        register = truth.get("dtsen")
        dtsen_text = (
            f" DTSEN {register['tahun']}: {_angka(register['individu'])} individu; "
            f"{_angka(len(register['keluar_desil1_no']))} sasaran keluar dan {_angka(len(register['masuk_desil1_no']))} "
            "masuk desil 1 (desil kabupaten)."
            if register
            else ""
        )
        return (
            f"Data demo (seed {args.seed}, skala {args.scale}) ditulis ke {args.out}: "
            f"{_angka(truth['p3ke']['individu'])} individu P3KE, {_angka(fig['sasaran_sk'])} sasaran SK "
            f"({_angka(fig['keluar_desil1'])} keluar desil 1, {_angka(fig['masih_desil1'])} masih desil 1).{dtsen_text} "
            f"Kunci jawaban: {Path(args.out) / TRUTH_FILE} (hanya untuk pengujian)."
        )

    return cli.guarded(action)

if __name__ == "__main__":
    sys.exit(main())
