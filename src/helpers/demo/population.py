"""Synthetic P3KE population for the demo: regions, families, individuals, NIK and KK numbers.

Everything is vectorised with numpy. The SK people and their families (the "core") are drawn from their own
random stream, so they are identical at every ``--scale``; ``--scale`` shrinks only the background population.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.demo.names import dusun_names, person_names
from helpers.reference.wilayah import desa_table, kecamatan_table

TOTAL_P3KE = 654_220
N_SK = 7_408
N_SK_DESIL1 = 1_841
#: P3KE 2024 was handed over (BAST) on this date; ages are computed at it.
REFERENCE_DATE = np.datetime64("2024-03-14")
OLDEST_BIRTH = np.datetime64("1925-01-01")

#: Kecamatan groups: the poorer north and the mountain kecamatan have a higher P3KE share and more desil 1.
NORTH = ("Kabuh", "Plandaan", "Ngusikan", "Kudu", "Ploso", "Megaluh", "Tembelang")
MOUNTAIN = ("Wonosalam", "Bareng", "Mojowarno")
TOWN = ("Jombang",)
#: group -> (P3KE share of population, desil 1..4 shares of background families, SK weight, desil-1 share in SK)
GROUPS = {
    "utara": (0.62, (0.36, 0.26, 0.21, 0.17), 1.35, 0.40),
    "pegunungan": (0.58, (0.33, 0.26, 0.22, 0.19), 1.25, 0.36),
    "kota": (0.36, (0.17, 0.23, 0.27, 0.33), 0.80, 0.14),
    "lainnya": (0.47, (0.22, 0.25, 0.26, 0.27), 1.00, 0.20),
}
BACKGROUND_SIZE_PROBS = (0.08, 0.17, 0.24, 0.26, 0.15, 0.07, 0.03)  # family size 1..7
CORE_SIZE_PROBS = (0.24, 0.26, 0.19, 0.15, 0.10, 0.04, 0.02)
SK_DESIL_KELUAR_PROBS = (0.62, 0.27, 0.11)  # desil 2, 3, 4 of SK people who left desil 1

OTHER_ROLES = ("Anak", "Cucu", "Orang Tua", "Mertua", "Menantu", "Famili Lain")
OTHER_ROLE_PROBS = (0.78, 0.06, 0.05, 0.03, 0.04, 0.04)


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """An independent random stream per named purpose (stable across runs and scales)."""
    return np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(stream.encode())]))


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` summing exactly to ``total`` (largest remainder, stable ties)."""
    w = np.asarray(weights, dtype=float)
    if total == 0 or w.sum() == 0:
        return np.zeros(len(w), dtype=np.int64)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - base), kind="stable")
    base[order[: total - int(base.sum())]] += 1
    return base


def kecamatan_profile() -> pd.DataFrame:
    """The 21 kecamatan with group, P3KE share, background desil shares and exact P3KE totals (scale 1)."""
    kec = kecamatan_table()[["kode", "nama", "penduduk"]].copy()
    kec["kelompok"] = [
        "utara" if n in NORTH else "pegunungan" if n in MOUNTAIN else "kota" if n in TOWN else "lainnya"
        for n in kec["nama"]
    ]
    params = kec["kelompok"].map(GROUPS)
    kec["share"] = [p[0] for p in params]
    for d in range(4):
        kec[f"desil{d + 1}"] = [p[1][d] for p in params]
    kec["sk_weight"] = [p[2] for p in params]
    kec["sk_desil1_share"] = [p[3] for p in params]
    kec["p3ke"] = apportion(TOTAL_P3KE, kec["penduduk"].astype(float) * kec["share"])
    kec["kode2"] = kec["kode"].str[-2:].astype(int)
    return kec


def desa_profile(seed: int, kec: pd.DataFrame) -> pd.DataFrame:
    """The 306 desa with their P3KE total at scale 1 and their hamlets (dusun)."""
    rng = rng_for(seed, "desa")
    desa = desa_table()[["kode", "nama", "jenis", "kode_kecamatan", "nama_kecamatan"]].copy()
    weights = rng.gamma(4.0, 1.0, len(desa)) * np.where(desa["jenis"] == "kelurahan", 1.6, 1.0)
    desa["p3ke"] = 0
    for kode, total in zip(kec["kode"], kec["p3ke"]):
        mask = (desa["kode_kecamatan"] == kode).to_numpy()
        desa.loc[mask, "p3ke"] = apportion(int(total), weights[mask])
    desa["dusun"] = [dusun_names(rng, int(k)) for k in rng.integers(2, 6, len(desa))]
    return desa.reset_index(drop=True)


def allocate_sk(seed: int, kec: pd.DataFrame, desa: pd.DataFrame) -> pd.DataFrame:
    """One row per SK person: ``desa`` (index into ``desa``) and ``masih`` (still in desil 1)."""
    rng = rng_for(seed, "sk-allocation")
    per_kec = apportion(N_SK, kec["p3ke"] * kec["desil1"] * kec["sk_weight"])
    desil1 = apportion(N_SK_DESIL1, per_kec * kec["sk_desil1_share"])
    assert (desil1 <= per_kec).all()
    rows = []
    for kode, n_sk, n_d1 in zip(kec["kode"], per_kec, desil1):
        idx = np.flatnonzero((desa["kode_kecamatan"] == kode).to_numpy())
        counts = apportion(int(n_sk), desa["p3ke"].to_numpy()[idx] * rng.gamma(3.0, 1 / 3, len(idx)))
        people = np.repeat(idx, counts)
        masih = np.zeros(len(people), dtype=bool)
        masih[rng.choice(len(people), int(n_d1), replace=False)] = True
        rows.append(pd.DataFrame({"desa": people, "masih": masih}))
    return pd.concat(rows, ignore_index=True)


def _family_sizes(rng: np.random.Generator, total: int, probs: tuple[float, ...]) -> np.ndarray:
    """Family sizes (1..7) that add up exactly to ``total`` (the last family is trimmed)."""
    if total <= 0:
        return np.zeros(0, dtype=np.int64)
    mean = float(np.dot(np.arange(1, 8), probs))
    sizes = rng.choice(np.arange(1, 8), size=int(total / mean * 1.3) + 20, p=probs)
    cum = np.cumsum(sizes)
    k = int(np.searchsorted(cum, total))
    sizes = sizes[: k + 1].copy()
    sizes[k] -= int(cum[k]) - total
    return sizes[sizes > 0]


def background_families(seed: int, desa: pd.DataFrame, core_per_desa: np.ndarray, scale: float) -> pd.DataFrame:
    """Background families (not on the SK list): ``desa`` and ``size``; individuals = round(scale x rest)."""
    rng = rng_for(seed, "background-families")
    rest = desa["p3ke"].to_numpy() - core_per_desa
    if (rest < 0).any():
        raise ValueError("SK families exceed the P3KE total of a desa")
    counts = apportion(int(round(scale * rest.sum())), rest)
    frames = []
    for d, count in enumerate(counts):
        sizes = _family_sizes(rng, int(count), BACKGROUND_SIZE_PROBS)
        frames.append(pd.DataFrame({"desa": np.full(len(sizes), d), "size": sizes}))
    return pd.concat(frames, ignore_index=True)


@dataclass
class Population:
    """The P3KE individuals and families (sorted as written) plus the SK persons."""

    individuals: pd.DataFrame
    families: pd.DataFrame
    sk: pd.DataFrame  # one row per SK person: ``ind`` (row in individuals), ``masih``
    kecamatan: pd.DataFrame
    desa: pd.DataFrame


def _expand(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Family index and position within the family of every individual."""
    fam = np.repeat(np.arange(len(sizes)), sizes)
    starts = np.cumsum(sizes) - sizes
    return fam, np.arange(len(fam)) - starts[fam]


def _choose(rng: np.random.Generator, values: tuple, probs: tuple, n: int) -> np.ndarray:
    return np.asarray(values, dtype=object)[rng.choice(len(values), size=n, p=probs)]


def _roles_and_sex(rng, sizes, pos, fam, core: bool) -> tuple[np.ndarray, np.ndarray]:
    n_fam = len(sizes)
    head_female = rng.random(n_fam) < (0.35 if core else 0.18)
    spouse = (sizes >= 2) & (rng.random(n_fam) < np.where(head_female, 0.12, 0.85))
    role = np.full(len(fam), "Kepala Keluarga", dtype=object)
    is_spouse = (pos == 1) & spouse[fam]
    role[is_spouse] = np.where(head_female[fam[is_spouse]], "Suami", "Istri")
    others = (pos > 0) & ~is_spouse
    role[others] = _choose(rng, OTHER_ROLES, OTHER_ROLE_PROBS, int(others.sum()))
    female = rng.random(len(fam)) < 0.5
    female[pos == 0] = head_female[fam[pos == 0]]
    female[role == "Istri"] = True
    female[role == "Suami"] = False
    elders = (role == "Orang Tua") | (role == "Mertua")
    female[elders] = rng.random(int(elders.sum())) < 0.65
    return role, female


def _ages(rng, role, fam, head_female, core: bool) -> np.ndarray:
    n_fam = int(fam.max()) + 1 if len(fam) else 0
    mean, sd, low, high = (60, 13, 22, 98) if core else (47, 13, 19, 92)
    head_age = np.clip(rng.normal(mean, sd, n_fam) + 6 * head_female, low, high)
    base = head_age[fam]
    n = len(fam)
    age = base.copy()
    spouse = (role == "Istri") | (role == "Suami")
    age[spouse] = np.clip(base[spouse] - rng.normal(4, 4, int(spouse.sum())), 17, 98)
    rules = {
        "Anak": lambda b, k: np.maximum(0, b - rng.uniform(19, 40, k)),
        "Cucu": lambda b, k: np.maximum(0, b - rng.uniform(38, 55, k)),
        "Orang Tua": lambda b, k: np.minimum(99, b + rng.uniform(20, 32, k)),
        "Mertua": lambda b, k: np.minimum(99, b + rng.uniform(20, 32, k)),
        "Menantu": lambda b, k: np.maximum(17, b - rng.uniform(20, 35, k)),
        "Famili Lain": lambda b, k: rng.uniform(5, 85, k),
    }
    for name, rule in rules.items():
        mask = role == name
        age[mask] = rule(base[mask], int(mask.sum()))
    assert len(age) == n
    return age


def _birth_dates(rng, age: np.ndarray) -> np.ndarray:
    days = np.round(age * 365.25).astype(np.int64) + rng.integers(0, 365, len(age))
    birth = REFERENCE_DATE - days.astype("timedelta64[D]")
    return np.clip(birth, OLDEST_BIRTH, REFERENCE_DATE - np.timedelta64(1, "D"))


def _age_years(birth: np.ndarray) -> np.ndarray:
    return (REFERENCE_DATE - birth).astype(np.int64) / 365.25


def _status_kawin(rng, role, age, spouse_of_head) -> np.ndarray:
    n = len(role)
    out = np.full(n, "Belum Kawin", dtype=object)
    adult = age >= 18
    out[(role == "Istri") | (role == "Suami") | (role == "Menantu")] = "Kawin"
    head = role == "Kepala Keluarga"
    out[head & spouse_of_head] = "Kawin"
    alone = head & ~spouse_of_head
    out[alone] = _choose(rng, ("Cerai Mati", "Cerai Hidup", "Belum Kawin"), (0.6, 0.25, 0.15), int(alone.sum()))
    elders = (role == "Orang Tua") | (role == "Mertua")
    out[elders] = _choose(rng, ("Cerai Mati", "Kawin"), (0.7, 0.3), int(elders.sum()))
    young_adults = adult & ((role == "Anak") | (role == "Cucu") | (role == "Famili Lain"))
    out[young_adults] = _choose(
        rng, ("Belum Kawin", "Kawin", "Cerai Hidup"), (0.7, 0.27, 0.03), int(young_adults.sum())
    )
    return out


_EDUCATION = (
    "Tidak/Belum Sekolah", "Belum Tamat SD/Sederajat", "Tamat SD/Sederajat", "SLTP/Sederajat", "SLTA/Sederajat",
    "Diploma I/II", "Diploma IV/Strata I",
)  # fmt: skip
_EDU_PROBS = {
    "old": (0.25, 0.25, 0.38, 0.08, 0.04, 0.0, 0.0),
    "middle": (0.05, 0.12, 0.38, 0.25, 0.18, 0.01, 0.01),
    "young": (0.01, 0.03, 0.15, 0.30, 0.45, 0.02, 0.04),
}


def _pendidikan(rng, age) -> np.ndarray:
    out = np.empty(len(age), dtype=object)
    bands = [
        (age < 7, ("Tidak/Belum Sekolah",), (1.0,)),
        ((age >= 7) & (age < 13), ("Belum Tamat SD/Sederajat",), (1.0,)),
        ((age >= 13) & (age < 16), ("Tamat SD/Sederajat", "Belum Tamat SD/Sederajat"), (0.9, 0.1)),
        ((age >= 16) & (age < 19), ("SLTP/Sederajat", "Tamat SD/Sederajat"), (0.85, 0.15)),
        ((age >= 19) & (age < 35), _EDUCATION, _EDU_PROBS["young"]),
        ((age >= 35) & (age < 55), _EDUCATION, _EDU_PROBS["middle"]),
        (age >= 55, _EDUCATION, _EDU_PROBS["old"]),
    ]
    for mask, values, probs in bands:
        out[mask] = _choose(rng, values, probs, int(mask.sum()))
    return out


_JOBS_MALE = (
    ("Petani/Pekebun", "Buruh Tani/Perkebunan", "Buruh Harian Lepas", "Wiraswasta", "Pedagang", "Karyawan Swasta",
     "Belum/Tidak Bekerja"),
    (0.2, 0.25, 0.25, 0.1, 0.05, 0.08, 0.07),
)  # fmt: skip
_JOBS_FEMALE = (
    ("Mengurus Rumah Tangga", "Buruh Tani/Perkebunan", "Buruh Harian Lepas", "Pedagang", "Wiraswasta",
     "Karyawan Swasta", "Belum/Tidak Bekerja"),
    (0.45, 0.15, 0.1, 0.1, 0.05, 0.05, 0.1),
)  # fmt: skip


def _pekerjaan(rng, age, female) -> np.ndarray:
    out = np.full(len(age), "Belum/Tidak Bekerja", dtype=object)
    pupils = (age >= 6) & (age < 19)
    out[pupils] = _choose(rng, ("Pelajar/Mahasiswa", "Belum/Tidak Bekerja"), (0.9, 0.1), int(pupils.sum()))
    for mask, (values, probs) in ((~female, _JOBS_MALE), (female, _JOBS_FEMALE)):
        adults = mask & (age >= 19)
        out[adults] = _choose(rng, values, probs, int(adults.sum()))
    very_old = (age >= 70) & (rng.random(len(age)) < 0.7)
    out[very_old] = "Belum/Tidak Bekerja"
    return out


def make_individuals(rng: np.random.Generator, sizes: np.ndarray, core: bool) -> pd.DataFrame:
    """Members of families with the given sizes: role, sex, birth date, civil status, education, work."""
    fam, pos = _expand(sizes)
    role, female = _roles_and_sex(rng, sizes, pos, fam, core)
    head_female = female[pos == 0]
    age = _ages(rng, role, fam, head_female, core)
    birth = _birth_dates(rng, age)
    age = _age_years(birth)
    has_spouse = np.zeros(len(sizes), dtype=bool)
    has_spouse[fam[(role == "Istri") | (role == "Suami")]] = True
    return pd.DataFrame(
        {
            "fam": fam,
            "pos": pos,
            "hubungan": role,
            "female": female,
            "birth": birth,
            "nama": person_names(rng, female, birth.astype("datetime64[Y]").astype(int) + 1970),
            "status_kawin": _status_kawin(rng, role, age, has_spouse[fam]),
            "pendidikan": _pendidikan(rng, age),
            "pekerjaan": _pekerjaan(rng, age, female),
            "padan": _choose(rng, ("Ya", "Tidak"), (0.97, 0.03), len(fam)),
        }
    )


def choose_sk_member(rng: np.random.Generator, ind: pd.DataFrame, n_fam: int) -> np.ndarray:
    """Row (in ``ind``) of the SK person of each core family: the head, or another adult member."""
    age = _age_years(ind["birth"].to_numpy())
    eligible = (
        (ind["pos"].to_numpy() > 0)
        & (age >= 18)
        & ind["hubungan"].isin(["Istri", "Suami", "Orang Tua", "Mertua", "Famili Lain"]).to_numpy()
    )
    heads = np.flatnonzero(ind["pos"].to_numpy() == 0)
    chosen = heads.copy()
    fam = ind["fam"].to_numpy()
    candidates = pd.Series(np.flatnonzero(eligible)).groupby(fam[eligible]).agg(list)
    switch = rng.random(n_fam) < 0.28
    for f, rows in candidates.items():
        if switch[f]:
            chosen[f] = rows[int(rng.integers(0, len(rows)))]
    return chosen


# --- identity numbers -----------------------------------------------------------------------------------


def nik_numbers(rng: np.random.Generator, kec2: np.ndarray, birth: np.ndarray, female: np.ndarray,
                kabupaten: int = 3517) -> np.ndarray:
    """Unique NIKs (int64): 35 17 kk dd(+40) mm yy ssss, serial per (region, birth date, sex) from 0001;
    ``kabupaten``: the four digits of the kabupaten/kota (Jombang by default)."""
    days = birth.astype("datetime64[D]")
    year = days.astype("datetime64[Y]").astype(int) + 1970
    month = days.astype("datetime64[M]").astype(int) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(int) + 1
    dd = day + 40 * female.astype(int)
    prefix = ((kabupaten * 100 + kec2) * 100 + dd) * 10_000 + month * 100 + (year % 100)
    order = np.lexsort((rng.random(len(prefix)), prefix))
    sorted_prefix = prefix[order]
    new_group = np.r_[True, sorted_prefix[1:] != sorted_prefix[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(len(prefix)), 0))
    rank = np.arange(len(prefix)) - group_start
    offset = rng.integers(1, 40, int(new_group.sum()))[np.cumsum(new_group) - 1]
    serial = np.empty(len(prefix), dtype=np.int64)
    serial[order] = offset + rank
    assert serial.max() <= 9999
    return prefix.astype(np.int64) * 10_000 + serial


def registration_kecamatan(rng: np.random.Generator, own_kec2: np.ndarray) -> np.ndarray:
    """Kecamatan code (2 digits) of first registration: mostly where one lives, sometimes another one."""
    moved = rng.random(len(own_kec2)) < 0.12
    out = own_kec2.copy()
    out[moved] = rng.integers(1, 22, int(moved.sum()))
    return out


def kk_numbers(rng: np.random.Generator, kec2: np.ndarray, taken: set[int]) -> np.ndarray:
    """Unique family card (KK) numbers: 35 17 kk + issue date ddmmyy + serial (``taken`` is updated)."""
    out = _kk_batch(rng, kec2)
    while True:
        clash = pd.Series(out).duplicated().to_numpy() | np.fromiter((v in taken for v in out.tolist()), bool, len(out))
        if not clash.any():
            break
        out[clash] = _kk_batch(rng, kec2[clash])
    taken.update(out.tolist())
    return out


def _kk_batch(rng: np.random.Generator, kec2: np.ndarray) -> np.ndarray:
    k = len(kec2)
    issue = np.datetime64("2005-01-01") + rng.integers(0, 6900, k).astype("timedelta64[D]")
    day = (issue - issue.astype("datetime64[M]")).astype(int) + 1
    month = issue.astype("datetime64[M]").astype(int) % 12 + 1
    year = issue.astype("datetime64[Y]").astype(int) + 1970
    prefix = ((3517 * 100 + kec2.astype(np.int64)) * 100 + day) * 10_000 + month * 100 + year % 100
    return prefix * 10_000 + rng.integers(1, 400, k)


# --- family conditions (P3KE keluarga) ------------------------------------------------------------------

#: column -> (categories, probabilities for desil 1, 2, 3, 4): poorer families live in worse houses.
CONDITIONS = {
    "jenis_lantai": (("Tanah", "Semen", "Keramik"),
                     ((0.34, 0.46, 0.20), (0.20, 0.50, 0.30), (0.10, 0.45, 0.45), (0.05, 0.35, 0.60))),
    "jenis_dinding": (("Bambu", "Kayu", "Tembok"),
                      ((0.22, 0.23, 0.55), (0.12, 0.18, 0.70), (0.06, 0.12, 0.82), (0.03, 0.07, 0.90))),
    "jenis_atap": (("Genteng", "Asbes", "Seng", "Jerami/Ijuk/Rumbia"),
                   ((0.70, 0.17, 0.10, 0.03), (0.80, 0.12, 0.07, 0.01), (0.87, 0.09, 0.04, 0.0),
                    (0.92, 0.06, 0.02, 0.0))),
    "sumber_penerangan": (("PLN 450 VA", "PLN 900 VA", "PLN 1300 VA", "Bukan PLN", "Tidak Ada Listrik"),
                          ((0.62, 0.18, 0.02, 0.15, 0.03), (0.55, 0.30, 0.05, 0.09, 0.01),
                           (0.42, 0.42, 0.10, 0.06, 0.0), (0.30, 0.50, 0.17, 0.03, 0.0))),
    "bahan_bakar_memasak": (("Kayu Bakar", "LPG 3 kg", "LPG 5,5 kg/12 kg", "Minyak Tanah"),
                            ((0.45, 0.52, 0.01, 0.02), (0.28, 0.69, 0.02, 0.01), (0.15, 0.80, 0.05, 0.0),
                             (0.08, 0.82, 0.10, 0.0))),
    "sumber_air_minum": (("Sumur Tidak Terlindung", "Sumur Terlindung", "Sumur Bor", "PDAM",
                          "Air Kemasan/Isi Ulang", "Mata Air"),
                         ((0.22, 0.28, 0.30, 0.08, 0.07, 0.05), (0.12, 0.28, 0.37, 0.11, 0.09, 0.03),
                          (0.06, 0.25, 0.42, 0.14, 0.11, 0.02), (0.03, 0.20, 0.45, 0.17, 0.14, 0.01))),
    "fasilitas_bab": (("Tidak Ada", "Jamban Sendiri", "Jamban Bersama", "Jamban Umum"),
                      ((0.18, 0.55, 0.20, 0.07), (0.10, 0.68, 0.17, 0.05), (0.05, 0.80, 0.12, 0.03),
                       (0.02, 0.88, 0.08, 0.02))),
    "kepemilikan_rumah": (("Milik Sendiri", "Kontrak/Sewa", "Bebas Sewa", "Menumpang"),
                          ((0.72, 0.05, 0.08, 0.15), (0.78, 0.06, 0.06, 0.10), (0.82, 0.07, 0.04, 0.07),
                           (0.85, 0.08, 0.03, 0.04))),
}  # fmt: skip
#: programme flag -> probability of "Ya" for desil 1, 2, 3, 4.
PROGRAMME_FLAGS = {
    "penerima_pkh": (0.45, 0.30, 0.15, 0.08),
    "penerima_bpnt": (0.55, 0.40, 0.22, 0.10),
    "penerima_bpum": (0.10, 0.08, 0.06, 0.04),
    "penerima_bst": (0.20, 0.15, 0.10, 0.05),
    "penerima_sembako": (0.50, 0.35, 0.20, 0.10),
}
STUNTING_RISK = (0.40, 0.30, 0.20, 0.12)  # among families with a child under five


def family_conditions(rng: np.random.Generator, desil: np.ndarray, has_toddler: np.ndarray) -> pd.DataFrame:
    """Housing, energy, water and sanitation categories and programme flags of each family."""
    out = {}
    for column, (values, table) in CONDITIONS.items():
        col = np.empty(len(desil), dtype=object)
        for d in range(4):
            mask = desil == d + 1
            col[mask] = _choose(rng, values, table[d], int(mask.sum()))
        out[column] = col
    u = rng.random((len(PROGRAMME_FLAGS) + 1, len(desil)))
    for i, (column, probs) in enumerate(PROGRAMME_FLAGS.items()):
        out[column] = np.where(u[i] < np.asarray(probs)[desil - 1], "Ya", "Tidak").astype(object)
    risk = has_toddler & (u[-1] < np.asarray(STUNTING_RISK)[desil - 1])
    out["resiko_stunting"] = np.where(risk, "Ya", "Tidak").astype(object)
    return pd.DataFrame(out)


# --- assembly -------------------------------------------------------------------------------------------


def _core(seed: int, sk: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """SK families (one per SK person): families, individuals, and the SK person's row in individuals."""
    rng = rng_for(seed, "core")
    sizes = rng.choice(np.arange(1, 8), size=len(sk), p=CORE_SIZE_PROBS)
    ind = make_individuals(rng, sizes, core=True)
    sk_rows = choose_sk_member(rng, ind, len(sizes))
    desil = np.where(sk["masih"].to_numpy(), 1, rng.choice([2, 3, 4], size=len(sk), p=SK_DESIL_KELUAR_PROBS))
    fam = pd.DataFrame({"desa": sk["desa"].to_numpy(), "size": sizes, "desil": desil, "core": True})
    return fam, ind, sk_rows


def _background(seed: int, kec: pd.DataFrame, desa: pd.DataFrame, core_per_desa, scale):
    fam = background_families(seed, desa, core_per_desa, scale)
    rng = rng_for(seed, "background")
    ind = make_individuals(rng, fam["size"].to_numpy(), core=False)
    kec_of_desa = desa["kode_kecamatan"].map(dict(zip(kec["kode"], range(len(kec))))).to_numpy()
    probs = kec[["desil1", "desil2", "desil3", "desil4"]].to_numpy()[kec_of_desa[fam["desa"].to_numpy()]]
    u = rng.random(len(fam))[:, None]
    fam["desil"] = 1 + (u > np.cumsum(probs, axis=1)).sum(axis=1)
    fam["core"] = False
    return fam, ind


def _assign_niks(seed: int, ind: pd.DataFrame, kec2: np.ndarray) -> np.ndarray:
    """NIKs: the core first (identical at every scale), then the background, shifted away from the core."""
    core = ind["core"].to_numpy()
    nik = np.zeros(len(ind), dtype=np.int64)
    for stream, mask in (("nik-core", core), ("nik-background", ~core)):
        rng = rng_for(seed, stream)
        reg = registration_kecamatan(rng, kec2[mask])
        nik[mask] = nik_numbers(rng, reg, ind["birth"].to_numpy()[mask], ind["female"].to_numpy()[mask])
    clash = ~core & np.isin(nik, nik[core])
    nik[clash] += 5000  # core serials stay far below 5000
    assert not pd.Series(nik).duplicated().any()
    return nik


def _addresses(rng: np.random.Generator, fam: pd.DataFrame, desa: pd.DataFrame) -> np.ndarray:
    dusun_lists = desa["dusun"].to_numpy()
    d = fam["desa"].to_numpy()
    n_dusun = np.array([len(x) for x in dusun_lists])[d]
    rw = (rng.random(len(fam)) * n_dusun).astype(int)
    rt = rng.integers(1, 9, len(fam))
    names = [dusun_lists[di][w] for di, w in zip(d.tolist(), rw.tolist())]
    return np.array(
        [f"Dusun {n}, RT {t:03d}/RW {w + 1:03d}" for n, t, w in zip(names, rt.tolist(), rw.tolist())], dtype=object
    )


def build_population(seed: int, scale: float) -> Population:
    """The whole synthetic P3KE 2024 (individuals and families) and the SK persons within it."""
    kec = kecamatan_profile()
    desa = desa_profile(seed, kec)
    sk = allocate_sk(seed, kec, desa)
    core_fam, core_ind, sk_rows = _core(seed, sk)
    core_per_desa = np.bincount(core_fam["desa"], weights=core_fam["size"], minlength=len(desa)).astype(int)
    bg_fam, bg_ind = _background(seed, kec, desa, core_per_desa, scale)

    families = pd.concat([core_fam, bg_fam], ignore_index=True)
    bg_ind = bg_ind.assign(fam=bg_ind["fam"] + len(core_fam))
    individuals = pd.concat([core_ind, bg_ind], ignore_index=True)
    individuals["core"] = individuals["fam"] < len(core_fam)
    is_sk = np.zeros(len(individuals), dtype=bool)
    is_sk[sk_rows] = True
    individuals["sk_order"] = -1
    individuals.loc[sk_rows, "sk_order"] = np.arange(len(sk))

    # Order families as in an export: by desa, shuffled within the desa.
    rng = rng_for(seed, "order")
    fam_order = np.lexsort((rng.random(len(families)), families["desa"].to_numpy()))
    new_index = np.empty(len(families), dtype=np.int64)
    new_index[fam_order] = np.arange(len(families))
    families = families.iloc[fam_order].reset_index(drop=True)
    individuals["fam"] = new_index[individuals["fam"].to_numpy()]
    individuals = individuals.sort_values(["fam", "pos"], kind="stable", ignore_index=True)

    kec_code = desa["kode_kecamatan"].to_numpy()[families["desa"].to_numpy()]
    families["kode_kecamatan"] = kec_code
    families["kode_desa"] = desa["kode"].to_numpy()[families["desa"].to_numpy()]
    kec6 = np.char.replace(kec_code.astype(str), ".", "")
    serial = families.groupby("kode_kecamatan", sort=False).cumcount().to_numpy() + 1
    families["id_keluarga"] = np.char.add(np.char.add("P", kec6), np.char.zfill(serial.astype(str), 7)).astype(object)
    fam_idx = individuals["fam"].to_numpy()
    for column in ("desa", "kode_kecamatan", "kode_desa", "desil", "id_keluarga"):
        individuals[column] = families[column].to_numpy()[fam_idx]
    ind_serial = individuals.groupby("kode_kecamatan", sort=False).cumcount().to_numpy() + 1
    ind_kec6 = kec6[fam_idx]
    individuals["id_individu"] = np.char.add(
        np.char.add("I", ind_kec6), np.char.zfill(ind_serial.astype(str), 8)
    ).astype(object)
    kec2 = np.char.replace(individuals["kode_kecamatan"].to_numpy().astype(str), ".", "").astype(int) % 100
    individuals["nik"] = _assign_niks(seed, individuals, kec2)

    heads = individuals.index[individuals["pos"] == 0].to_numpy()
    families["head"] = heads
    toddler = (REFERENCE_DATE - individuals["birth"].to_numpy()).astype(np.int64) < 5 * 365
    has_toddler = np.bincount(fam_idx, weights=toddler, minlength=len(families)) > 0
    rng_fam = rng_for(seed, "family-conditions")
    families["alamat"] = _addresses(rng_fam, families, desa)
    conditions = family_conditions(rng_fam, families["desil"].to_numpy(), has_toddler)
    families = pd.concat([families, conditions], axis=1)

    sk = sk.copy()
    sk_ind = individuals.index[individuals["sk_order"] >= 0].to_numpy()
    sk_order = individuals.loc[sk_ind, "sk_order"].to_numpy()
    sk["ind"] = 0
    sk.loc[sk_order, "ind"] = sk_ind
    return Population(individuals=individuals, families=families, sk=sk, kecamatan=kec, desa=desa)
