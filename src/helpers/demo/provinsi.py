"""A synthetic province for the scale benchmark: one raw folder per kabupaten/kota of Jawa Timur.

:func:`generate_kabupaten` writes, for one kabupaten/kota, the inputs of the raw-data contract as Parquet files
(``<out>/p3ke/<kecamatan>.parquet``, ``p3ke_keluarga/…``, ``sk_miskin_ekstrem.parquet``,
``intervensi/intervensi.parquet``, ``verifikasi/verifikasi.parquet``): families in every desa of the gazetteer,
their members drawn as the Jombang demo draws them (:mod:`helpers.demo.population`: roles, ages, names, NIKs with
the kabupaten's own region code), an SK list of heads of families (a few with a mistyped or missing NIK and a
respelt name, for the probabilistic matcher), interventions for most SK people and some others, and one field
verification for part of the SK list. No ground truth is kept: the benchmark measures time and memory, and the
demo's own truth tests cover correctness. :func:`generate_province` writes ``<out>/<kode>/`` for each
kabupaten/kota, two at a time. Nothing in the data is a real person.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.demo.events import programme_catalogue
from helpers.demo.population import (
    BACKGROUND_SIZE_PROBS,
    _family_sizes,
    apportion,
    family_conditions,
    make_individuals,
    nik_numbers,
    rng_for,
)
from helpers.demo.sk import fuzzy_name_variant
from helpers.reading.contract import COLUMN_NAMES
from helpers.reference import wilayah

#: Default size of one kabupaten/kota: 38 x 425,000 = 16.15 million register rows, 38 x 4,900 = 186,200 SK people.
ROWS_PER_KABUPATEN = 425_000
SK_PER_KABUPATEN = 4_900
DESIL_SHARES = (0.22, 0.25, 0.26, 0.27)  # background families, desil 1..4
SK_STILL_DESIL1 = 0.25  # share of SK families still in desil 1 (Jombang: 1,841 of 7,408)
SK_NIK_TYPO, SK_NIK_EMPTY = 0.03, 0.01  # SK rows matched only by the probabilistic model
PRESENCE = (("Ada", 0.90), ("Meninggal", 0.03), ("Pindah", 0.03), ("Tidak Ditemukan", 0.04))
VERIFIED = 0.40
REPORT_DATE = np.datetime64("2024-11-06")
_HEADER = {column: header for header, column in COLUMN_NAMES.items()}


def _dates(values: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(values.astype("datetime64[D]")).astype(object)


def _write(frame: pd.DataFrame, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.astype("string").to_parquet(path, index=False)
    return len(frame)


def generate_kabupaten(out: str | Path, kode: str, rows: int = ROWS_PER_KABUPATEN, sk_people: int = SK_PER_KABUPATEN,
                       seed: int = 2024) -> dict:  # fmt: skip
    """Write the raw folder of kabupaten/kota ``kode`` into ``out``; returns rows written per input and seconds."""
    started = time.perf_counter()
    out = Path(out)
    kode = wilayah.normalise_code(kode)
    rng = rng_for(seed, f"provinsi-{kode}")
    desa = wilayah.desa_table(kode)[["kode", "nama", "kode_kecamatan", "nama_kecamatan"]].reset_index(drop=True)
    per_desa = apportion(rows, rng.gamma(4.0, 1.0, len(desa)))
    sizes = [_family_sizes(rng, int(n), BACKGROUND_SIZE_PROBS) for n in per_desa]
    fam_desa = np.repeat(np.arange(len(desa)), [len(s) for s in sizes])
    sizes = np.concatenate(sizes)
    n_fam = len(sizes)
    ind = make_individuals(rng, sizes, core=False)
    fam = ind["fam"].to_numpy()
    desil = 1 + (rng.random(n_fam)[:, None] > np.cumsum(DESIL_SHARES)).sum(axis=1)

    # The SK list: heads of families of desil 1-2 (now partly moved up, as in Jombang), a few badly typed.
    heads = np.flatnonzero(ind["pos"].to_numpy() == 0)  # row of the head of each family, in family order
    poor = np.flatnonzero(desil <= 2)
    sk_fam = np.sort(rng.choice(poor, size=min(sk_people, len(poor)), replace=False))
    desil[sk_fam] = np.where(rng.random(len(sk_fam)) < SK_STILL_DESIL1, 1, rng.choice([2, 3, 4], len(sk_fam)))

    kec_code = desa["kode_kecamatan"].to_numpy()[fam_desa]
    kec2 = np.array([int(c[-2:]) for c in kec_code])
    kab4 = int(kode.replace(".", ""))
    birth, female = ind["birth"].to_numpy(), ind["female"].to_numpy()
    nik = nik_numbers(rng, kec2[fam], birth, female, kabupaten=kab4).astype(str).astype(object)
    kec6 = np.char.replace(kec_code.astype(str), ".", "")
    id_keluarga = np.char.add(np.char.add("P", kec6), np.char.zfill(np.arange(1, n_fam + 1).astype(str), 7))
    id_keluarga = id_keluarga.astype(object)
    ind_desa = fam_desa[fam]
    kabupaten = wilayah.kabupaten_name(kode)
    individu = pd.DataFrame({
        "ID Keluarga P3KE": id_keluarga[fam],
        "ID Individu": np.char.add("I" + kode.replace(".", ""), np.char.zfill(np.arange(1, len(ind) + 1).astype(str), 8)),
        "NIK": nik, "Nama": ind["nama"].to_numpy(),
        "Jenis Kelamin": np.where(female, "Perempuan", "Laki-laki"), "Tanggal Lahir": _dates(birth),
        "Hubungan dengan Kepala Keluarga": ind["hubungan"].to_numpy(),
        "Kecamatan": desa["nama_kecamatan"].to_numpy()[ind_desa], "Desa/Kelurahan": desa["nama"].to_numpy()[ind_desa],
        "Desil Kesejahteraan": desil[fam].astype(str), "Provinsi": "JAWA TIMUR", "Kabupaten/Kota": kabupaten,
        "Padan Dukcapil": ind["padan"].to_numpy(), "Status Kawin": ind["status_kawin"].to_numpy(),
        "Pekerjaan": ind["pekerjaan"].to_numpy(), "Pendidikan": ind["pendidikan"].to_numpy(),
    })  # fmt: skip
    toddler = (REPORT_DATE - birth.astype("datetime64[D]")).astype(np.int64) < 5 * 365
    has_toddler = np.bincount(fam, weights=toddler, minlength=n_fam) > 0
    conditions = family_conditions(rng, desil, has_toddler).rename(columns=_HEADER)
    keluarga = pd.concat([pd.DataFrame({
        "ID Keluarga P3KE": id_keluarga, "Kecamatan": desa["nama_kecamatan"].to_numpy()[fam_desa],
        "Desa/Kelurahan": desa["nama"].to_numpy()[fam_desa], "Desil Kesejahteraan": desil.astype(str),
        "Kepala Keluarga": ind["nama"].to_numpy()[heads], "NIK Kepala Keluarga": nik[heads],
        "Alamat": np.char.add("RT 00", rng.integers(1, 9, n_fam).astype(str)).astype(object),
    }), conditions], axis=1)  # fmt: skip

    sk_rows = heads[sk_fam]
    sk_nik = nik[sk_rows].copy()
    sk_name = np.char.upper(ind["nama"].to_numpy()[sk_rows].astype(str)).astype(object)
    damage = rng.random(len(sk_rows))
    typo = damage < SK_NIK_TYPO
    empty = (damage >= SK_NIK_TYPO) & (damage < SK_NIK_TYPO + SK_NIK_EMPTY)
    taken = set(nik.tolist())
    for i in np.flatnonzero(typo):  # one serial digit off, a NIK nobody has
        for _ in range(100):
            pos = int(rng.integers(12, 16))
            candidate = sk_nik[i][:pos] + str((int(sk_nik[i][pos]) + int(rng.integers(1, 10))) % 10) + sk_nik[i][pos + 1 :]
            if candidate[12:] != "0000" and candidate not in taken:
                taken.add(candidate)
                sk_nik[i] = candidate
                break
    sk_nik[empty] = None
    age = (REPORT_DATE - birth[sk_rows].astype("datetime64[D]")).astype(np.int64) / 365.25
    for i in np.flatnonzero(typo | empty):
        sk_name[i] = fuzzy_name_variant(rng, sk_name[i], bool(female[sk_rows][i]), float(age[i]))
    sk_desa = ind_desa[sk_rows]
    sk = pd.DataFrame({
        "No": np.arange(1, len(sk_rows) + 1).astype(str), "NIK": sk_nik, "Nama": sk_name,
        "Kecamatan": desa["nama_kecamatan"].to_numpy()[sk_desa], "Desa/Kelurahan": desa["nama"].to_numpy()[sk_desa],
        "Tanggal Lahir": _dates(birth[sk_rows]),
    })  # fmt: skip

    # Interventions: most SK people get one to three, and some other desil 1-2 members get one.
    catalogue = programme_catalogue()
    receives = sk_rows[rng.random(len(sk_rows)) < 0.65]
    others = rng.choice(np.flatnonzero(desil[fam] <= 2), size=len(ind) // 20, replace=False)
    people = np.concatenate([np.repeat(receives, rng.integers(1, 4, len(receives))), others])
    programme = rng.integers(0, len(catalogue), len(people))
    intervensi = pd.DataFrame({
        "NIK": nik[people], "Nama": ind["nama"].to_numpy()[people], "OPD": catalogue["opd"].to_numpy()[programme],
        "Program": catalogue["program"].to_numpy()[programme],
        "Tanggal Intervensi": _dates(np.datetime64("2024-01-08") + rng.integers(0, 290, len(people))),
    })  # fmt: skip

    visited = sk_rows[rng.random(len(sk_rows)) < VERIFIED]
    presence = rng.choice([p for p, _ in PRESENCE], len(visited), p=[w for _, w in PRESENCE])
    verifikasi = pd.DataFrame({
        "NIK": nik[visited], "Nama": ind["nama"].to_numpy()[visited], "Status Keberadaan": presence,
        "Tanggal Verifikasi": _dates(np.datetime64("2024-10-01") + rng.integers(0, 35, len(visited))),
        "Kecamatan": desa["nama_kecamatan"].to_numpy()[ind_desa[visited]],
        "Desa/Kelurahan": desa["nama"].to_numpy()[ind_desa[visited]],
    })  # fmt: skip

    written = {"p3ke": 0, "p3ke_keluarga": 0}
    ind_kec, fam_kec = kec_code[fam], kec_code
    for code in np.unique(kec_code):
        slug = code.replace(".", "")
        written["p3ke"] += _write(individu[ind_kec == code], out / "p3ke" / f"p3ke_{slug}.parquet")
        written["p3ke_keluarga"] += _write(keluarga[fam_kec == code], out / "p3ke_keluarga" / f"keluarga_{slug}.parquet")
    written["sk"] = _write(sk, out / "sk_miskin_ekstrem.parquet")
    written["intervensi"] = _write(intervensi, out / "intervensi" / "intervensi.parquet")
    written["verifikasi"] = _write(verifikasi, out / "verifikasi" / "verifikasi.parquet")
    return {"kode": kode, "baris": written, "detik": round(time.perf_counter() - started, 1)}


def _one(args: tuple) -> dict:
    return generate_kabupaten(*args)


def generate_province(out: str | Path, kabupaten: list[str] | None = None, rows: int = ROWS_PER_KABUPATEN,
                      sk_people: int = SK_PER_KABUPATEN, seed: int = 2024, workers: int = 2) -> list[dict]:  # fmt: skip
    """Write ``<out>/<kode>/`` for each kabupaten/kota (all 38 by default), ``workers`` at a time."""
    codes = [wilayah.normalise_code(k) for k in (kabupaten or list(wilayah.kabupaten_table()["kode"]))]
    jobs = [(Path(out) / code, code, rows, sk_people, seed) for code in codes]
    if workers <= 1:
        return [_one(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=min(workers, 2)) as pool:
        return list(pool.map(_one, jobs))
