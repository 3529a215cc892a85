"""The demo's DTSEN register (``python -m helpers demo --dtsen``): the whole population of Jombang, in 2025.

DTSEN holds everyone: the P3KE 2024 people (same NIK, name, birth date, sex, desa; every row clean, also the
people whose P3KE row is damaged) plus the people above desil 4 that P3KE never listed (families in desil 5-10,
``TOTAL_DTSEN`` people in all at scale 1, the background scaled as P3KE's). The kabupaten decile of a family is its
P3KE desil, except for the SK families the plan moves: a share of the SK people still in desil 1 of P3KE are in
desil 2-3 of DTSEN (``KELUAR_SHARE``), a share of those who had left desil 1 are back in it (``MASUK_SHARE``).
Provincial and national deciles differ from the kabupaten decile by at most one. Written as one pipe-separated CSV
per kecamatan in ``dtsen/``, with the export's upper-case headers.

The truth (``demo_truth.json``, key ``dtsen``) is computed from this plan and the generator's event model, never
by the pipeline: the figures at the report date for each ``desil_dtsen`` and the SK numbers (``no``) that left and
entered desil 1 between P3KE 2024 and DTSEN.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd

from helpers.demo.population import (
    BACKGROUND_SIZE_PROBS,
    TOTAL_P3KE,
    Population,
    _addresses,
    _family_sizes,
    apportion,
    kk_numbers,
    make_individuals,
    nik_numbers,
    registration_kecamatan,
    rng_for,
)
from helpers.demo.render import FileJob, InputLog, pick_rows

TOTAL_DTSEN = 1_350_000  # about the population of Jombang
TAHUN_DTSEN = 2025
KELUAR_SHARE = 0.30  # of the SK people in desil 1 of P3KE: above desil 1 in DTSEN
MASUK_SHARE = 0.05  # of the SK people above desil 1 in P3KE: in desil 1 of DTSEN
#: Shift of the provincial / national decile from the kabupaten decile: -1, 0, +1.
SHIFT_PROBS = {"provinsi": (0.15, 0.70, 0.15), "nasional": (0.10, 0.60, 0.30)}
NIK_SHIFT = 8000  # serial offset of a new person's NIK that another person already has (P3KE serials stay below)
FOLDER = "dtsen"
HEADER = {
    "NIK": "NIK", "No KK": "NO KK", "Nama": "NAMA", "Tanggal Lahir": "TANGGAL LAHIR", "Jenis Kelamin": "JENIS KELAMIN",
    "Hubungan dengan Kepala Keluarga": "HUBUNGAN DENGAN KEPALA KELUARGA", "Provinsi": "PROVINSI",
    "Kabupaten/Kota": "KABUPATEN/KOTA", "Kecamatan": "KECAMATAN", "Desa/Kelurahan": "DESA/KELURAHAN",
    "Kode Kemdagri": "KODE DESA KEMENDAGRI", "Alamat": "ALAMAT", "Desil Nasional": "DESIL NASIONAL",
    "Desil Provinsi": "DESIL PROVINSI", "Desil Kabupaten/Kota": "DESIL KABUPATEN/KOTA", "Tahun Data": "PERIODE DATA",
}  # fmt: skip


def _new_people(seed: int, pop: Population, scale: float, sk_births: set) -> tuple[pd.DataFrame, pd.DataFrame]:
    """People above desil 4 (not in P3KE): families spread over the desa like P3KE's, deciles 5-10. A birth date
    that an SK person of the same desa has is moved by a day, so that no newcomer competes with an SK person."""
    rng = rng_for(seed, "dtsen-new")
    desa = pop.desa
    counts = apportion(int(round(scale * (TOTAL_DTSEN - TOTAL_P3KE))), desa["p3ke"].to_numpy())
    sizes = [_family_sizes(rng, int(c), BACKGROUND_SIZE_PROBS) for c in counts]
    fam = pd.DataFrame({"desa": np.repeat(np.arange(len(desa)), [len(s) for s in sizes]),
                        "size": np.concatenate(sizes) if sizes else []})  # fmt: skip
    fam["desil"] = rng.integers(5, 11, len(fam))
    fam["alamat"] = _addresses(rng, fam, desa)
    fam["kode_desa"] = desa["kode"].to_numpy()[fam["desa"].to_numpy()]
    people = make_individuals(rng, fam["size"].to_numpy(), core=False)
    fam_of = people["fam"].to_numpy()
    people["kode_desa"] = fam["kode_desa"].to_numpy()[fam_of]
    birth = people["birth"].to_numpy().astype("datetime64[D]")
    for _ in range(5):
        clash = np.fromiter(((d, b) in sk_births for d, b in zip(people["kode_desa"], birth)), bool, len(birth))
        if not clash.any():
            break
        birth[clash] += np.timedelta64(1, "D")
    else:
        raise AssertionError("newcomers still share a desa and birth date with SK people")
    people["birth"] = birth
    people["desil"] = fam["desil"].to_numpy()[fam_of]
    people["alamat"] = fam["alamat"].to_numpy()[fam_of]
    return people, fam


def _niks(rng: np.random.Generator, people: pd.DataFrame, taken: set[int]) -> np.ndarray:
    kec2 = people["kode_desa"].str[6:8].astype(int).to_numpy()
    nik = nik_numbers(rng, registration_kecamatan(rng, kec2), people["birth"].to_numpy(), people["female"].to_numpy())
    clash = np.fromiter((n in taken for n in nik.tolist()), bool, len(nik))
    nik[clash] += NIK_SHIFT
    if pd.Series(nik).duplicated().any() or any(n in taken for n in nik[clash].tolist()):
        raise AssertionError("DTSEN NIKs are not unique")
    return nik


def _shifted(rng: np.random.Generator, desil: np.ndarray, probs: tuple[float, float, float]) -> np.ndarray:
    return np.clip(desil + rng.choice([-1, 0, 1], size=len(desil), p=probs), 1, 10)


def dtsen_plan(seed: int, scale: float, pop: Population, sk: pd.DataFrame, taken: set[int]) -> dict:
    """The register's rows (``rows``: one per person, sorted as written) and the SK people's deciles (``sk``:
    ``no`` and ``desil_<level>`` per SK person). ``taken``: NIKs and KK numbers in use (not changed)."""
    rng = rng_for(seed, "dtsen")
    taken = set(taken)
    ind, fams = pop.individuals, pop.families
    fam_desil = fams["desil"].to_numpy().copy()
    sk_fam = ind["fam"].to_numpy()[sk["ind"].to_numpy()]
    masih = sk["desil"].to_numpy() == 1
    keluar = pick_rows(rng, masih, KELUAR_SHARE)
    masuk = pick_rows(rng, ~masih, MASUK_SHARE)
    fam_desil[sk_fam[keluar]] = rng.choice([2, 3], size=int(keluar.sum()), p=[0.7, 0.3])
    fam_desil[sk_fam[masuk]] = 1
    kk = kk_numbers(rng, fams["kode_kecamatan"].str[-2:].astype(int).to_numpy(), taken)
    kk[sk_fam] = sk["no_kk"].to_numpy()  # the KK number the SK list gives
    fam_of = ind["fam"].to_numpy()
    known = pd.DataFrame({
        "nik": ind["nik"].to_numpy(), "no_kk": kk[fam_of], "nama": ind["nama"].to_numpy(),
        "birth": ind["birth"].to_numpy().astype("datetime64[D]"), "female": ind["female"].to_numpy(),
        "hubungan": ind["hubungan"].to_numpy(), "kode_desa": ind["kode_desa"].to_numpy(),
        "alamat": fams["alamat"].to_numpy()[fam_of], "desil_kabupaten": fam_desil[fam_of], "keluarga": fam_of,
    })  # fmt: skip
    sk_births = set(zip(sk["kode_desa"], ind["birth"].to_numpy().astype("datetime64[D]")[sk["ind"].to_numpy()]))
    new, families = _new_people(seed, pop, scale, sk_births)
    new_fam = new["fam"].to_numpy()
    new_kk = kk_numbers(rng, families["kode_desa"].str[6:8].astype(int).to_numpy(), taken)
    added = pd.DataFrame({
        "nik": _niks(rng, new, taken | set(known["nik"].tolist())), "no_kk": new_kk[new_fam],
        "nama": new["nama"].to_numpy(), "birth": new["birth"].to_numpy(), "female": new["female"].to_numpy(),
        "hubungan": new["hubungan"].to_numpy(), "kode_desa": new["kode_desa"].to_numpy(),
        "alamat": new["alamat"].to_numpy(), "desil_kabupaten": new["desil"].to_numpy(),
        "keluarga": new_fam + len(fams),
    })  # fmt: skip
    rows = pd.concat([known, added], ignore_index=True)
    family_kab = rows.groupby("keluarga")["desil_kabupaten"].first()
    for level, probs in SHIFT_PROBS.items():  # one decile per family, as for the kabupaten decile
        shifted = pd.Series(_shifted(rng, family_kab.to_numpy(), probs), index=family_kab.index)
        rows[f"desil_{level}"] = rows["keluarga"].map(shifted).to_numpy()
    rows = rows.sort_values(["kode_desa", "no_kk", "keluarga"], kind="stable", ignore_index=True)
    by_nik = rows.set_index("nik")
    sk_nik = ind["nik"].to_numpy()[sk["ind"].to_numpy()]
    deciles = {f"desil_{lv}": by_nik.loc[sk_nik, f"desil_{lv}"].to_numpy() for lv in ("kabupaten", *SHIFT_PROBS)}
    sk_deciles = pd.DataFrame({"no": sk["no"].to_numpy(), "desil_p3ke": sk["desil"].to_numpy(), **deciles})
    return {"rows": rows, "sk": sk_deciles, "individu_p3ke": len(known)}


def dtsen_jobs(pop: Population, rows: pd.DataFrame, log: InputLog) -> Iterator[FileJob]:
    """One pipe-separated CSV per kecamatan."""
    desa = pop.desa.set_index("kode")
    kode_desa = rows["kode_desa"]
    cells = {
        "NIK": rows["nik"].astype(str), "No KK": rows["no_kk"].astype(str), "Nama": rows["nama"],
        "Tanggal Lahir": pd.Series(rows["birth"].to_numpy().astype("datetime64[D]").astype(str)),
        "Jenis Kelamin": pd.Series(np.where(rows["female"].to_numpy(), "PEREMPUAN", "LAKI-LAKI")),
        "Hubungan dengan Kepala Keluarga": rows["hubungan"].str.upper(), "Provinsi": pd.Series("JAWA TIMUR", rows.index),
        "Kabupaten/Kota": pd.Series("KAB. JOMBANG", rows.index),
        "Kecamatan": kode_desa.map(desa["nama_kecamatan"]).str.upper(),
        "Desa/Kelurahan": kode_desa.map(desa["nama"]).str.upper(), "Kode Kemdagri": kode_desa.str.replace(".", ""),
        "Alamat": rows["alamat"].str.upper(), "Desil Nasional": rows["desil_nasional"].astype(str),
        "Desil Provinsi": rows["desil_provinsi"].astype(str), "Desil Kabupaten/Kota": rows["desil_kabupaten"].astype(str),
        "Tahun Data": pd.Series(str(TAHUN_DTSEN), rows.index),
    }  # fmt: skip
    frame = pd.DataFrame(cells)
    names = dict(zip(pop.kecamatan["kode"], pop.kecamatan["nama"]))
    for kode, part in frame.groupby(kode_desa.str[:8].to_numpy(), sort=True):
        slug = names[kode].upper().replace(" ", "")
        relpath = f"{FOLDER}/dtsen_{kode.replace('.', '')}_{slug}.csv"
        log.files[relpath] = len(part)
        yield FileJob(relpath, [HEADER[h] for h in HEADER], [part[h].tolist() for h in HEADER],
                      created=dt.datetime(2025, 6, 30, 9, 0), delimiter="|")  # fmt: skip


def dtsen_truth(plan: dict, expected: dict) -> dict:
    """The ``dtsen`` key of ``demo_truth.json``: size, year, the figures at the report date per ``desil_dtsen``
    (``expected``, from the event model) and the SK numbers that left / entered desil 1 (kabupaten decile, and per
    level in ``pindah_per_desil``)."""
    sk, rows = plan["sk"], plan["rows"]
    moves = {}
    for level in ("kabupaten", *SHIFT_PROBS):
        now = sk[f"desil_{level}"].to_numpy()
        was = sk["desil_p3ke"].to_numpy()
        moves[level] = {"keluar_desil1": sorted(int(n) for n in sk["no"][(was == 1) & (now > 1)]),
                        "masuk_desil1": sorted(int(n) for n in sk["no"][(was > 1) & (now == 1)])}  # fmt: skip
    return {
        "individu": int(len(rows)),
        "individu_p3ke": int(plan["individu_p3ke"]),
        "tahun": TAHUN_DTSEN,
        "register_label": f"DTSEN {TAHUN_DTSEN}",
        "desil_kabupaten": {str(k): int(v) for k, v in rows["desil_kabupaten"].value_counts().sort_index().items()},
        "expected": expected,
        "keluar_desil1_no": moves["kabupaten"]["keluar_desil1"],
        "masuk_desil1_no": moves["kabupaten"]["masuk_desil1"],
        "pindah_per_desil": moves,
    }
