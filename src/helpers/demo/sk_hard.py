"""``--kasus-sulit``: the linkage hard cases of the raw SK list, and the per-person answer key.

For a few percent of the SK rows each, the list is damaged the way real files break (one case per person):

- ``nik_salah_ketik``: one digit changed or two neighbours swapped (the new NIK is nobody's);
- ``nik_milik_kerabat``: the NIK of a spouse, child or parent of the same P3KE family;
- ``nik_excel``: typed into Excel as a number, so the 16th digit became 0 (a genuine number cell); for some of
  them another registered person (same kecamatan, birth date and sex, as the NIK says) holds that NIK;
- ``nik_excel_kembar``: idem, and the NIK is held by someone of the same desa born the same day whose name is one
  letter away (Suparmi for Suparni: serials are given in order per birth date, so 0010 and 0011 both exist);
- ``ejaan_lama``: old spelling, short forms and titles (Soepardi, Djumadi, Tjipto, Moch., St., Abd., Hj.);
- ``tanggal_tertukar``: day and month swapped in the birth date;
- ``nik_kosong``: the NIK cell left empty; ``nama_salah_ketik``: one letter mistyped or dropped;

and rows are added at the end of the list (numbers after the last one, as an amendment appends them):

- ``tidak_ada``: a person who is not in P3KE (a NIK nobody has, or none);
- ``tidak_ada_tetangga_mirip``: idem, named one letter away from a registered person of the same desa (Suparmi
  for Suparni) and without a birth date;
- ``duplikat_sk``: a second row of an SK person, the name spelled the old way.

The default faults of :mod:`helpers.demo.sk` keep their own labels in the key (``nik_salah_ketik_serial``,
``nik_notasi_ilmiah``, ``nik_kosong``, ``tanggal_kosong``). The key comes from the plan only: which P3KE person
each row is (or none). People of the funnel's hard cases (no intervention, deaths reported again) are left
undamaged, so that each test checks one thing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.demo.damage import name_typo, neighbour_name, nik_typo, old_spelling
from helpers.demo.names import name_key, person_names
from helpers.demo.population import Population, rng_for
from helpers.demo.render import NIK_EMPTY, NIK_NUMBER, NIK_SCIENTIFIC, NIK_TEXT, NIK_TYPO

#: case -> share of the SK people (damaged in place, one case per person)
RATES = {
    "nik_salah_ketik": 0.02, "nik_milik_kerabat": 0.015, "nik_excel": 0.02, "ejaan_lama": 0.03,
    "tanggal_tertukar": 0.015, "nik_kosong": 0.01, "nama_salah_ketik": 0.02,
}  # fmt: skip
#: case -> rows added, as a share of the SK people
EXTRA_RATES = {"tidak_ada": 0.01, "tidak_ada_tetangga_mirip": 0.01, "duplikat_sk": 0.01}
#: share of the ``nik_excel`` people whose truncated NIK another registered person holds
EXCEL_HOLDER_SHARE = 0.4
#: ``nik_excel_kembar`` people, as a share of the SK people (drawn after all other cases, from their own stream)
EXCEL_TWIN_RATE = 0.004
DEFAULT_CASES = {NIK_TYPO: "nik_salah_ketik_serial", NIK_SCIENTIFIC: "nik_notasi_ilmiah", NIK_EMPTY: "nik_kosong"}


def _sex(female: bool) -> str:
    return "P" if female else "L"


def _fresh_nik(rng: np.random.Generator, kode_kecamatan: str, born: pd.Timestamp, female: bool, taken: set[int]) -> str:
    head = f"3517{kode_kecamatan[-2:]}{born.day + (40 if female else 0):02d}{born.month:02d}{born.year % 100:02d}"
    while True:
        nik = f"{head}{int(rng.integers(1, 5000)):04d}"
        if int(nik) not in taken:
            taken.add(int(nik))
            return nik


def plan_linkage_cases(
    seed: int, pop: Population, sk: pd.DataFrame, plan: pd.DataFrame, taken: set[int], keep_out: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, list[tuple[int, int, str | None]]]:
    """Damage ``plan`` (a copy, with ``lahir_tulis`` added) and plan the added rows.

    Returns (plan, extra rows, ``kasus`` per SK row, holders: (P3KE row, SK row, name or None) whose P3KE person
    must take the SK row's truncated NIK and birth date, and the name when one is given — see
    :func:`give_truncated_niks`)."""
    rng = rng_for(seed, "sk-linkage-hard")
    ind = pop.individuals
    n = len(sk)
    rows = sk["ind"].to_numpy()
    plan = plan.copy()
    birth = ind["birth"].to_numpy().astype("datetime64[D]")
    plan["lahir_tulis"] = birth[rows]
    kasus = np.full(n, "bersih", dtype=object)
    for code, label in DEFAULT_CASES.items():
        kasus[(plan["nik_code"] == code).to_numpy()] = label
    kasus[plan["lahir_kosong"].to_numpy()] = "tanggal_kosong"
    eligible = (kasus == "bersih") & ~keep_out
    queue = [int(i) for i in rng.permutation(np.flatnonzero(eligible))]
    families = ind.groupby("fam").indices
    fam_of = ind["fam"].to_numpy()
    female = ind["female"].to_numpy()
    niks = ind["nik"].to_numpy()
    nik_tulis = plan["nik_tulis"].to_numpy().copy()
    nik_code = plan["nik_code"].to_numpy().copy()
    nama = plan["nama_tulis"].to_numpy().copy()
    lahir = plan["lahir_tulis"].to_numpy().copy()
    holders: list[tuple[int, int, str | None]] = []
    background = np.flatnonzero(~ind["core"].to_numpy() & (ind["hubungan"].to_numpy() != "Kepala Keluarga"))
    used_holders: set[int] = set()

    def applies(kind: str, i: int) -> bool:
        r = int(rows[i])
        if kind == "nik_milik_kerabat":
            return len(families[fam_of[r]]) > 1
        if kind == "nik_excel":
            return niks[r] % 10 != 0
        if kind == "tanggal_tertukar":
            day = pd.Timestamp(birth[r])
            return day.day <= 12 and day.day != day.month
        return True

    for kind, rate in RATES.items():
        wanted = int(round(rate * n))
        for i in list(queue):
            if wanted == 0:
                break
            if not applies(kind, i):
                continue
            queue.remove(i)
            wanted -= 1
            kasus[i] = kind
            r = int(rows[i])
            own = str(niks[r])
            if kind == "nik_salah_ketik":
                new = nik_typo(own, rng)
                while int(new) in taken or new[12:] == "0000":
                    new = nik_typo(own, rng)
                taken.add(int(new))
                nik_tulis[i] = new
            elif kind == "nik_milik_kerabat":
                others = [x for x in families[fam_of[r]] if x != r]
                nik_tulis[i] = str(niks[int(rng.choice(others))])
            elif kind == "nik_excel":
                truncated = int(own[:15] + "0")
                nik_tulis[i], nik_code[i] = str(truncated), NIK_NUMBER
                if truncated not in taken and rng.random() < EXCEL_HOLDER_SHARE:
                    pool = background[(female[background] == female[r])]
                    holder = int(rng.choice(pool))
                    while holder in used_holders:
                        holder = int(rng.choice(pool))
                    used_holders.add(holder)
                    taken.add(truncated)
                    holders.append((holder, i, None))
            elif kind == "ejaan_lama":
                nama[i] = old_spelling(ind["nama"].iat[r], _sex(female[r]), rng)
            elif kind == "tanggal_tertukar":
                day = pd.Timestamp(birth[r])
                lahir[i] = np.datetime64(pd.Timestamp(day.year, day.day, day.month).date(), "D")
            elif kind == "nik_kosong":
                nik_code[i] = NIK_EMPTY
            elif kind == "nama_salah_ketik":
                nama[i] = name_typo(ind["nama"].iat[r], rng).upper()
    plan["nik_tulis"], plan["nik_code"], plan["nama_tulis"], plan["lahir_tulis"] = nik_tulis, nik_code, nama, lahir
    extra = _extra_rows(rng, pop, sk, plan, kasus, taken, queue)
    holders += _excel_twins(rng_for(seed, "sk-linkage-excel-twin"), pop, sk, plan, kasus, taken, queue, used_holders)
    return plan, extra, kasus, holders


def _excel_twins(rng: np.random.Generator, pop: Population, sk: pd.DataFrame, plan: pd.DataFrame, kasus: np.ndarray,
                 taken: set[int], queue: list[int], used: set[int]) -> list[tuple[int, int, str]]:  # fmt: skip
    """``nik_excel_kembar``: the SK NIK is written as a number (16th digit 0), and a registered person of the same
    desa and sex, not on the SK list, gets that NIK, the SK person's birth date and a name one letter away.
    Marks ``kasus`` and ``plan`` in place; returns the holders for :func:`give_truncated_niks`."""
    ind = pop.individuals
    rows = sk["ind"].to_numpy()
    niks = ind["nik"].to_numpy()
    candidates = ~ind["core"].to_numpy() & (ind["hubungan"].to_numpy() != "Kepala Keluarga")
    pool = pd.Series(np.flatnonzero(candidates)).groupby(
        [ind["kode_desa"].to_numpy()[candidates], ind["female"].to_numpy()[candidates]]
    ).agg(list)
    names_by_desa = {d: {name_key(x) for x in g} for d, g in ind.groupby("kode_desa")["nama"]}
    holders = []
    wanted = int(round(EXCEL_TWIN_RATE * len(sk)))
    for i in list(queue):
        if wanted == 0:
            break
        r = int(rows[i])
        own = str(niks[r])
        truncated = int(own[:15] + "0")
        desa, female = ind["kode_desa"].iat[r], bool(ind["female"].iat[r])
        near = neighbour_name(ind["nama"].iat[r], rng)
        free = [h for h in pool.get((desa, female), []) if h not in used]
        if own[-1] == "0" or own[12:15] == "000" or truncated in taken or not free:
            continue
        if near is None or name_key(near) in names_by_desa[desa]:
            continue
        queue.remove(i)
        wanted -= 1
        holder = int(rng.choice(free))
        used.add(holder)
        taken.add(truncated)
        names_by_desa[desa].add(name_key(near))
        kasus[i] = "nik_excel_kembar"
        plan.at[plan.index[i], "nik_tulis"] = str(truncated)
        plan.at[plan.index[i], "nik_code"] = NIK_NUMBER
        holders.append((holder, i, near.upper()))
    if wanted:
        raise AssertionError(f"{wanted} nik_excel_kembar cases could not be placed")
    return holders


def _extra_rows(rng, pop: Population, sk: pd.DataFrame, plan: pd.DataFrame, kasus: np.ndarray, taken: set[int],
                queue: list[int]) -> pd.DataFrame:  # fmt: skip
    ind = pop.individuals
    n = len(sk)
    rows = sk["ind"].to_numpy()
    names_by_desa = {d: {name_key(x) for x in g} for d, g in ind.groupby("kode_desa")["nama"]}
    out = []
    for planned, rate in EXTRA_RATES.items():
        for _ in range(int(round(rate * n))):
            kind = planned
            i = queue.pop(0)
            r = int(rows[i])
            female = bool(ind["female"].iat[r])
            desa, kec = sk["kode_desa"].iat[i], sk["kode_kecamatan"].iat[i]
            row = {"kasus": kind, "kode_desa": desa, "kode_kecamatan": kec, "nik_code": NIK_TEXT, "no_kk": None}
            if kind == "duplikat_sk":
                kasus[i] = "duplikat_sk"
                row |= {"id_individu": sk["id_individu"].iat[i], "nik_tulis": plan["nik_tulis"].iat[i],
                        "nama_tulis": old_spelling(ind["nama"].iat[r], _sex(female), rng),
                        "lahir_tulis": plan["lahir_tulis"].iat[i], "no_kk": sk["no_kk"].iat[i], "ind": r}  # fmt: skip
            else:
                if kind == "tidak_ada_tetangga_mirip":
                    name = neighbour_name(ind["nama"].iat[r], rng)
                    if name is None or name_key(name) in names_by_desa[desa]:
                        name = None
                else:
                    name = None
                if name is None:  # a new name nobody in the desa carries
                    name = ind["nama"].iat[r]
                    while name_key(name) in names_by_desa[desa]:
                        name = str(person_names(rng, np.array([female]), np.array([1960]))[0])
                    if kind == "tidak_ada_tetangga_mirip":
                        kind = row["kasus"] = "tidak_ada"
                born = pd.Timestamp(int(rng.integers(1940, 1991)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
                nik = _fresh_nik(rng, kec, born, female, taken) if rng.random() < 0.5 else None
                row |= {"id_individu": None, "nik_tulis": nik, "nik_code": NIK_TEXT if nik else NIK_EMPTY,
                        "nama_tulis": name.upper(), "ind": r,
                        "lahir_tulis": np.datetime64("NaT") if kind == "tidak_ada_tetangga_mirip"
                        else np.datetime64(born.date(), "D")}  # fmt: skip
            out.append(row)
    extra = pd.DataFrame(out)
    extra.insert(0, "no", np.arange(n + 1, n + 1 + len(extra)))
    return extra


def give_truncated_niks(pop: Population, sk: pd.DataFrame, plan: pd.DataFrame, holders: list) -> None:
    """The registered holders of truncated NIKs: their NIK and birth date become what the NIK says (and their name
    the one given, for the ``nik_excel_kembar`` cases)."""
    ind = pop.individuals
    nik = ind["nik"].to_numpy().copy()
    birth = ind["birth"].to_numpy().copy()
    names = ind["nama"].to_numpy().copy()
    rows = sk["ind"].to_numpy()
    for holder, i, name in holders:
        nik[holder] = int(plan["nik_tulis"].iat[i])
        birth[holder] = ind["birth"].to_numpy()[rows[i]]
        names[holder] = names[holder] if name is None else name
    ind["nik"], ind["birth"], ind["nama"] = nik, birth, names


def answer_key(sk: pd.DataFrame, kasus: np.ndarray, extra: pd.DataFrame) -> dict:
    """SK ``no`` -> {``id_individu``: the true P3KE person or None, ``kasus``}."""
    key = {str(no): {"id_individu": str(i), "kasus": str(k)} for no, i, k in zip(sk["no"], sk["id_individu"], kasus)}
    for no, i, k in zip(extra["no"], extra["id_individu"], extra["kasus"]):
        key[str(no)] = {"id_individu": None if pd.isna(i) else str(i), "kasus": str(k)}
    return key
