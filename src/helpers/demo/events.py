"""The demo's event model: who is on the SK list in which situation, which interventions they receive and when,
what the camat's field sweeps find, and the ground truth computed from these events.

The truth is computed here, from the generator's own clean records, with code written for the demo (it does
not import the pipeline's cleaning, matching or status modules). The situation of 6 November 2024 is built in
by construction and checked by :func:`check_report_date`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import vocabulary as v
from helpers.config import TANGGAL_LAPORAN_DEMO
from helpers.demo.names import officer_names, person_names
from helpers.demo.population import Population, nik_numbers, rng_for
from helpers.reference.figures import PROGRAMME_FILE
from helpers.vocabulary import STRATEGI

S1, S2, S3 = STRATEGI
REPORT_DATE = np.datetime64(TANGGAL_LAPORAN_DEMO)
#: Field-sweep rounds of the camat (one file per kecamatan per round): the last day of each sweep, a Thursday; the
#: camat report from Monday to Thursday of that week, so each sweep is one ISO week.
ROUNDS = tuple(np.datetime64(d) for d in ("2024-10-03", "2024-10-17", "2024-10-31", "2024-11-21", "2024-11-28"))
TRUTH_DATES = tuple(sorted({"2024-10-15", TANGGAL_LAPORAN_DEMO, "2024-11-20", "2024-11-30"} | {str(d) for d in ROUNDS}))
#: What Bappeda reported on 6 November 2024.
TARGETS = {
    "sasaran_sk": 7408,
    "keluar_desil1": 5567,
    "masih_desil1": 1841,
    "intervensi_optimal": 1752,
    "intervensi_belum_optimal": 89,
    "belum_optimal_masih_ada": 78,
    "belum_optimal_meninggal": 11,
}
#: Situation types of the 1,841 still in desil 1 (counts are fixed; who gets which type is random):
#: A optimal by >= 2 strategies; B optimal by an explicit OPD "Optimal" with one strategy;
#: C belum optimal with one strategy; D belum optimal by a later explicit "Belum Optimal" despite 2 strategies.
PLAN = {
    "B": 192,
    "C": 77,
    "D": 12,
    "C_meninggal": 9,
    "D_meninggal": 2,
    "C_susulan_awal": 45,  # of the living C: missing strategy by 2024-11-20 (the rest by 2024-11-30)
    "D_susulan_awal": 7,
    "A_lambat": 0.30,  # share of A whose second strategy arrives in October/early November
    "B_lambat": 0.35,  # share of B whose explicit "Optimal" arrives in October/early November
    "C_tidak_ditemukan_dulu": 8,  # living belum-optimal people first found "Tidak Ditemukan", then "Ada"
}
#: Hard cases (``--kasus-sulit``, off by default): people of type A who receive no intervention at all (type E,
#: ``belum_intervensi``), deaths later reported "Tidak Ditemukan" / "Ada" (not applied), and forms that carry a
#: round number from this round index on.
KASUS_SULIT = {
    "E": 14,
    "meninggal_lalu_tidak_ditemukan": 1,
    "meninggal_lalu_ada": 1,
    "putaran_dari": 1,
}

OPD_PROGRAMMES = {
    "Dinas Sosial": ("PKH", "BPNT", "Sembako", "PBI-JK", "Bantuan Permakanan Lansia", "ASPD", "KUBE"),
    "Dinas Kesehatan": ("KIS/JKN", "Pemeriksaan Kesehatan Gratis", "Pendampingan Stunting"),
    "Dinas Pendidikan": ("PIP/KIP",),
    "DPMD": ("BLT Dana Desa",),
    "Disnaker": ("Pelatihan Keterampilan Kerja", "Prakerja", "Padat Karya"),
    "Dinas Koperasi dan UMKM": ("KUR Mikro", "Bantuan Modal Usaha Mikro", "Pendampingan UMKM", "Bantuan Alat Usaha"),
    "Dinas Perkim": ("Rehab RTLH", "BSPS", "Jamban Sehat", "Sambungan Listrik"),
    "Dinas PUPR": ("Sambungan Air Minum",),
}
#: OPD whose files carry a "Status" column (explicit Optimal / Belum Optimal judgements).
STATUS_OPD = ("Dinas Sosial", "Dinas Kesehatan", "Dinas Koperasi dan UMKM")
PROGRAMME_WEIGHTS = {
    "PKH": 25, "BPNT": 25, "Sembako": 5, "PBI-JK": 15, "KIS/JKN": 10, "PIP/KIP": 5, "BLT Dana Desa": 10,
    "Bantuan Permakanan Lansia": 3, "ASPD": 2, "Pelatihan Keterampilan Kerja": 15, "Prakerja": 5, "Padat Karya": 20,
    "KUR Mikro": 10, "Bantuan Modal Usaha Mikro": 20, "Pendampingan UMKM": 10, "Bantuan Alat Usaha": 10, "KUBE": 10,
    "Rehab RTLH": 25, "BSPS": 10, "Jamban Sehat": 20, "Sambungan Listrik": 10, "Sambungan Air Minum": 15,
    "Pemeriksaan Kesehatan Gratis": 15, "Pendampingan Stunting": 5,
}  # fmt: skip
EXPLICIT_OPTIMAL_PROGRAMMES = ("Bantuan Permakanan Lansia", "ASPD", "KIS/JKN")  # one-strategy "Optimal" (type B)

YEAR_START = np.datetime64("2024-01-08")
YEAR_END = np.datetime64("2024-11-29")


def programme_catalogue() -> pd.DataFrame:
    """``program``, ``strategi``, ``opd``, ``bobot``, ``status_opd`` from program_strategi.csv and the OPD table."""
    table = pd.read_csv(PROGRAMME_FILE, dtype=str)
    opd = {p: o for o, programmes in OPD_PROGRAMMES.items() for p in programmes}
    missing = sorted(set(table["program"]) ^ set(opd))
    if missing:
        raise ValueError(f"program_strategi.csv and the demo's OPD table differ: {missing}")
    table["opd"] = table["program"].map(opd)
    table["bobot"] = table["program"].map(PROGRAMME_WEIGHTS).astype(float)
    table["status_opd"] = table["opd"].isin(STATUS_OPD)
    return table


# --- SK situation types ---------------------------------------------------------------------------------


def assign_types(seed: int, sk: pd.DataFrame) -> pd.DataFrame:
    """Add ``tipe`` (keluar/A/B/C/D), ``meninggal`` and ``susulan`` (awal/akhir: when the missing part comes)."""
    rng = rng_for(seed, "sk-types")
    sk = sk.copy()
    sk["tipe"] = "keluar"
    sk["meninggal"] = False
    sk["susulan"] = ""
    masih = rng.permutation(np.flatnonzero(sk["masih"].to_numpy()))
    c_end = PLAN["C"]
    d_end = c_end + PLAN["D"]
    b_end = d_end + PLAN["B"]
    groups = {"C": masih[:c_end], "D": masih[c_end:d_end], "B": masih[d_end:b_end], "A": masih[b_end:]}
    tipe = sk["tipe"].to_numpy().copy()
    meninggal = np.zeros(len(sk), dtype=bool)
    susulan = np.full(len(sk), "", dtype=object)
    for name, rows in groups.items():
        tipe[rows] = name
    for name in ("C", "D"):
        rows = groups[name]
        dead = PLAN[f"{name}_meninggal"]
        meninggal[rows[:dead]] = True
        alive = rows[dead:]
        early = PLAN[f"{name}_susulan_awal"]
        susulan[alive[:early]] = "awal"
        susulan[alive[early:]] = "akhir"
    sk["tipe"], sk["meninggal"], sk["susulan"] = tipe, meninggal, susulan
    return sk


def add_hard_types(seed: int, sk: pd.DataFrame) -> pd.DataFrame:
    """``--kasus-sulit``: turn :data:`KASUS_SULIT` ``["E"]`` people of type A into type E (still in desil 1, no
    intervention recorded). Their random draws are made as for type A, so nobody else's records change."""
    rng = rng_for(seed, "sk-types-hard")
    sk = sk.copy()
    a_rows = np.flatnonzero((sk["tipe"] == "A").to_numpy())
    chosen = np.sort(rng.choice(a_rows, KASUS_SULIT["E"], replace=False))
    tipe = sk["tipe"].to_numpy().copy()
    tipe[chosen] = "E"
    sk["tipe"] = tipe
    return sk


# --- interventions --------------------------------------------------------------------------------------


def _day(rng: np.random.Generator, start: str | np.datetime64, end: str | np.datetime64) -> np.datetime64:
    start, end = np.datetime64(start), np.datetime64(end)
    return start + np.timedelta64(int(rng.integers(0, (end - start).astype(int) + 1)), "D")


class _Picker:
    """Weighted choice of programmes within a strategy, avoiding programmes a person already has."""

    def __init__(self, catalogue: pd.DataFrame):
        groups = {s: g for s, g in catalogue.groupby("strategi", sort=True)}
        self.by_strategy = {s: (list(g["program"]), np.cumsum(g["bobot"].to_numpy())) for s, g in groups.items()}
        self.all = (list(catalogue["program"]), np.cumsum(catalogue["bobot"].to_numpy()))

    def pick(self, rng: np.random.Generator, strategy: str | None, exclude: set[str]) -> str:
        names, cumulative = self.by_strategy[strategy] if strategy else self.all
        if len(exclude.intersection(names)) >= len(names):
            raise ValueError(f"no programme left for strategy {strategy}")
        while True:  # rejection sampling: the weights of the remaining programmes keep their proportions
            name = names[int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))]
            if name not in exclude:
                return name


def _records_keluar(rng, picker, catalogue_status) -> list[tuple[str, np.datetime64, str | None]]:
    k = int(rng.choice([1, 2, 3], p=[0.3, 0.5, 0.2]))
    if k == 1:
        strategies = [S1 if rng.random() < 0.8 else (S2 if rng.random() < 0.5 else S3)]
    elif k == 2:
        strategies = [[S1, S2], [S1, S3], [S2, S3]][int(rng.choice(3, p=[0.45, 0.45, 0.10]))]
    else:
        strategies = [S1, S2, S3]
    records, used = [], set()
    for strategy in strategies:
        for _ in range(2 if strategy == S1 and rng.random() < 0.3 else 1):
            programme = picker.pick(rng, strategy, used)
            used.add(programme)
            date = _day(rng, YEAR_START, "2024-09-30") if not records else _day(rng, YEAR_START, "2024-10-31")
            records.append((programme, date, None))
    if rng.random() < 0.06:
        programme = picker.pick(rng, None, used)
        records.append((programme, _day(rng, "2024-11-07", YEAR_END), None))
    return _explicit_at_random(rng, records, catalogue_status, 0.10)


def _explicit_at_random(rng, records, catalogue_status, rate):
    """Some records of OPD with a Status column get a judgement (distinct dates per person)."""
    out, dates = [], set()
    for programme, date, status in records:
        if status is None and catalogue_status[programme] and date not in dates and rng.random() < rate:
            status = "Optimal" if rng.random() < 0.8 else "Belum Optimal"
            dates.add(date)
        out.append((programme, date, status))
    return out


def _records_a(rng, picker):
    """Optimal by strategies: two or three strategies, no explicit judgement."""
    strategies = [S1, S2, S3] if rng.random() < 0.4 else ([S1, S2] if rng.random() < 0.5 else [S1, S3])
    if rng.random() < 0.1:
        strategies = [S2, S3]
    late = rng.random() < PLAN["A_lambat"]
    done = _day(rng, "2024-10-01", "2024-11-05") if late else _day(rng, "2024-02-01", "2024-09-30")
    records, used = [], set()
    first = picker.pick(rng, strategies[0], used)
    used.add(first)
    records.append((first, _day(rng, YEAR_START, min(done - 1, np.datetime64("2024-09-30"))), None))
    second = picker.pick(rng, strategies[1], used)
    used.add(second)
    records.append((second, done, None))
    for strategy in strategies[2:]:
        programme = picker.pick(rng, strategy, used)
        used.add(programme)
        records.append((programme, _day(rng, done, YEAR_END), None))
    return records


def _records_b(rng, picker):
    """Optimal by an explicit OPD judgement while covering only the first strategy."""
    explicit = EXPLICIT_OPTIMAL_PROGRAMMES[int(rng.integers(0, len(EXPLICIT_OPTIMAL_PROGRAMMES)))]
    used = {explicit}
    records = []
    for _ in range(1 if rng.random() < 0.6 else 2):
        programme = picker.pick(rng, S1, used)
        used.add(programme)
        records.append((programme, _day(rng, YEAR_START, "2024-09-30"), None))
    late = rng.random() < PLAN["B_lambat"]
    date = _day(rng, "2024-10-01", "2024-11-05") if late else _day(rng, "2024-02-01", "2024-09-30")
    records.append((explicit, date, "Optimal"))
    return records


def _records_c(rng, picker, susulan: str):
    """One strategy only (social assistance); the living get a second strategy after 6 November."""
    used, records = set(), []
    for _ in range(1 if rng.random() < 0.5 else 2):
        programme = picker.pick(rng, S1, used)
        used.add(programme)
        records.append((programme, _day(rng, YEAR_START, "2024-09-30"), None))
    if susulan:
        window = ("2024-11-07", "2024-11-20") if susulan == "awal" else ("2024-11-21", "2024-11-29")
        strategy = S2 if rng.random() < 0.5 else S3
        records.append((picker.pick(rng, strategy, used), _day(rng, *window), None))
    return records


def _records_d(rng, picker, susulan: str):
    """Two strategies, then an explicit "Belum Optimal"; the living later get an explicit "Optimal"."""
    first = picker.pick(rng, S1, {"Bantuan Modal Usaha Mikro", "Pendampingan UMKM"})
    third = picker.pick(rng, S3, set())
    records = [
        (first, _day(rng, YEAR_START, "2024-08-31"), None),
        (third, _day(rng, "2024-02-01", "2024-09-30"), None),
        ("Bantuan Modal Usaha Mikro", _day(rng, "2024-10-16", "2024-11-05"), "Belum Optimal"),
    ]
    if susulan:
        window = ("2024-11-07", "2024-11-20") if susulan == "awal" else ("2024-11-21", "2024-11-29")
        records.append(("Pendampingan UMKM", _day(rng, *window), "Optimal"))
    return records


def sk_interventions(seed: int, pop: Population, sk: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Intervention records of the SK people (keyed by their P3KE NIK)."""
    rng = rng_for(seed, "sk-interventions")
    picker = _Picker(catalogue)
    status_capable = dict(zip(catalogue["program"], catalogue["status_opd"]))
    rows = []
    for no, tipe, susulan in zip(sk["no"].tolist(), sk["tipe"].tolist(), sk["susulan"].tolist()):
        if tipe in ("A", "E"):
            records = _records_a(rng, picker)
            if tipe == "E":  # hard case: drawn as type A, then none recorded
                records = []
        elif tipe == "B":
            records = _records_b(rng, picker)
        elif tipe == "C":
            records = _records_c(rng, picker, susulan)
        elif tipe == "D":
            records = _records_d(rng, picker, susulan)
        else:
            records = _records_keluar(rng, picker, status_capable)
        rows += [(no, p, d, s) for p, d, s in records]
    frame = pd.DataFrame(rows, columns=["sk_no", "program", "tanggal", "status"])
    ind = pop.individuals
    person = sk.set_index("no")["ind"]
    rows_ind = person.loc[frame["sk_no"]].to_numpy()
    frame["nik"] = ind["nik"].to_numpy()[rows_ind]
    frame["nama"] = ind["nama"].to_numpy()[rows_ind]
    frame["sasaran"] = "sk"
    return frame


def background_interventions(
    seed: int, pop: Population, scale: float, catalogue: pd.DataFrame, taken_niks: set[int]
) -> pd.DataFrame:
    """Records of P3KE people not on the SK list (scaled), and of a few people not in P3KE at all."""
    rng = rng_for(seed, "background-interventions")
    picker = _Picker(catalogue)
    status_capable = dict(zip(catalogue["program"], catalogue["status_opd"]))
    ind = pop.individuals
    pool = np.flatnonzero(ind["sk_order"].to_numpy() < 0)
    weights = np.array([4.0, 3.0, 2.0, 1.0])[ind["desil"].to_numpy()[pool] - 1]
    n_people = min(len(pool), int(round(20_000 * scale)))
    people = np.sort(rng.choice(pool, n_people, replace=False, p=weights / weights.sum()))
    rows = []
    for person in people.tolist():
        used: set[str] = set()
        records = []
        for _ in range(1 if rng.random() < 0.7 else 2):
            programme = picker.pick(rng, S1 if rng.random() < 0.6 else None, used)
            used.add(programme)
            records.append((programme, _day(rng, YEAR_START, YEAR_END), None))
        for programme, date, status in _explicit_at_random(rng, records, status_capable, 0.05):
            rows.append((person, programme, date, status))
    frame = pd.DataFrame(rows, columns=["ind", "program", "tanggal", "status"])
    frame["nik"] = ind["nik"].to_numpy()[frame["ind"].to_numpy()]
    frame["nama"] = ind["nama"].to_numpy()[frame["ind"].to_numpy()]
    frame["sasaran"] = "latar"
    outsiders = _outsider_records(rng, picker, max(5, int(round(600 * scale))), taken_niks)
    return pd.concat([frame.drop(columns="ind"), outsiders], ignore_index=True)


def _outsider_records(rng, picker, n: int, taken_niks: set[int]) -> pd.DataFrame:
    """People who are not in P3KE (e.g. newly registered residents): valid NIKs that match nobody."""
    female = rng.random(n) < 0.5
    birth = np.datetime64("1950-01-01") + rng.integers(0, 20000, n).astype("timedelta64[D]")
    nik = nik_numbers(rng, rng.integers(1, 22, n), birth, female) + 7000  # serials 7001+: never in P3KE
    fresh = np.fromiter((v not in taken_niks for v in nik.tolist()), bool, n)
    nik, female, birth = nik[fresh], female[fresh], birth[fresh]
    taken_niks.update(nik.tolist())
    names = person_names(rng, female, birth.astype("datetime64[Y]").astype(int) + 1970)
    programmes = [picker.pick(rng, None, set()) for _ in range(len(nik))]
    dates = [_day(rng, YEAR_START, YEAR_END) for _ in range(len(nik))]
    return pd.DataFrame(
        {"program": programmes, "tanggal": dates, "status": None, "nik": nik, "nama": names, "sasaran": "luar"}
    )


#: OPD that draw their recipients of SK people from the SK list and copy its NIK, typos included; the others take the
#: NIK from their own databases (DTKS, BPJS), matched with Dukcapil.
OPD_NIK_SK = ("DPMD", "Dinas Perkim", "Disnaker")


def file_under_sk_nik(interventions: pd.DataFrame, sk: pd.DataFrame, plan: pd.DataFrame, typo_code: int) -> pd.DataFrame:
    """Add ``nik_tulis``: the NIK the OPD wrote. For SK people whose SK NIK is mistyped (``nik_code == typo_code``),
    records of :data:`OPD_NIK_SK` carry the SK's NIK; every other record its person's NIK (``nik``, which the truth
    keeps using: only where a record is filed changes, not whose it is)."""
    written = pd.Series(plan["nik_tulis"].to_numpy(), index=sk["no"].to_numpy())
    mistyped = set(sk.loc[(plan["nik_code"] == typo_code).to_numpy(), "no"].tolist())
    copied = (interventions["sasaran"] == "sk").to_numpy() & interventions["opd"].isin(OPD_NIK_SK).to_numpy()
    copied &= interventions["sk_no"].isin(mistyped).to_numpy()
    nik_tulis = interventions["nik"].astype(str).to_numpy().astype(object)
    nik_tulis[copied] = written.loc[interventions.loc[copied, "sk_no"].astype(int)].astype(str).to_numpy()
    return interventions.assign(nik_tulis=nik_tulis)


def sk_nik_truth(interventions: pd.DataFrame, targets: pd.DataFrame, verifications: pd.DataFrame) -> dict:
    """The people with records under their SK NIK (:func:`file_under_sk_nik`): SK ``no`` of all of them, of those
    with no record under any other NIK, and the status of each at the report date (from their person's NIK)."""
    copied = interventions[interventions["nik_tulis"] != interventions["nik"].astype(str)]
    people = sorted(int(n) for n in copied["sk_no"].unique())
    filed_own = interventions[interventions["nik_tulis"] == interventions["nik"].astype(str)]
    elsewhere = {int(n) for n in filed_own["sk_no"].dropna()}
    table = status_table(str(REPORT_DATE), targets[targets["no"].isin(people)], interventions, verifications)
    return {
        "opd": list(OPD_NIK_SK),
        "baris": len(copied),
        "no": people,
        "hanya_nik_sk": [n for n in people if n not in elsewhere],
        "status_intervensi": {str(no): s for no, s in zip(table["no"], table["status_intervensi"])},
    }


def finish_interventions(frame: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Add OPD and strategy, check that records are unique per (NIK, programme, date), sort."""
    frame = frame.copy()
    frame["opd"] = frame["program"].map(dict(zip(catalogue["program"], catalogue["opd"])))
    frame["strategi"] = frame["program"].map(dict(zip(catalogue["program"], catalogue["strategi"])))
    frame["tanggal"] = pd.to_datetime(frame["tanggal"]).to_numpy().astype("datetime64[D]")
    frame["status"] = frame["status"].astype(object).where(frame["status"].notna(), None)
    if frame.duplicated(["nik", "program", "tanggal"]).any():
        raise AssertionError("duplicate intervention records in the event model")
    return frame.sort_values(["opd", "tanggal", "program", "nik"], kind="stable", ignore_index=True)


# --- field verification ---------------------------------------------------------------------------------

KONDISI = ("Sehat", "Sakit", "Lansia tunggal", "Disabilitas", "Lansia", "Sakit menahun")
KONDISI_PROBS = (0.42, 0.14, 0.2, 0.08, 0.11, 0.05)
KETERANGAN_ADA = ("", "Tinggal bersama anak", "Rumah belum layak huni", "Bekerja serabutan", "Hidup sendiri", "")
KETERANGAN_TD = ("Rumah kosong saat dikunjungi", "Tidak dikenal warga sekitar", "Sedang merantau")
KETERANGAN_PINDAH = ("Pindah ke Kab. Mojokerto", "Pindah ke Kab. Nganjuk", "Ikut anak ke Surabaya",
                     "Pindah ke Kab. Lamongan", "Pindah ke Kab. Kediri")  # fmt: skip
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober")


def _visits_belum(rng, tipe_rows: pd.DataFrame) -> list[tuple[int, int, str, bool]]:
    """(sk_no, round, status, redundant) for the 89 not optimal on 6 November: all verified by round 3."""
    visits = []
    alive = tipe_rows[~tipe_rows["meninggal"]]
    found_later = set(rng.choice(alive["no"].to_numpy(), PLAN["C_tidak_ditemukan_dulu"], replace=False).tolist())
    for no, dead, susulan in zip(tipe_rows["no"], tipe_rows["meninggal"], tipe_rows["susulan"]):
        if dead:
            visits.append((no, int(rng.choice(3, p=[0.5, 0.3, 0.2])), "Meninggal", False))
            continue
        if no in found_later:
            first = int(rng.integers(0, 2))
            visits += [(no, first, "Tidak Ditemukan", False), (no, first + 1, "Ada", False)]
            last = first + 1
        else:
            last = int(rng.choice(3, p=[0.5, 0.3, 0.2]))
            visits.append((no, last, "Ada", False))
        follow_up = 3 if susulan == "awal" else 4  # re-check after the missing intervention arrived
        visits.append((no, follow_up, "Ada", True))
    return visits


def _visits_optimal(rng, rows: pd.DataFrame) -> list[tuple[int, int, str, bool]]:
    visits = []
    statuses = ("Ada", "Tidak Ditemukan", "Pindah", "Meninggal")
    for no in rows["no"].tolist():
        first = int(rng.choice(4, p=[0.4, 0.3, 0.2, 0.1]))
        status = statuses[int(rng.choice(4, p=[0.9, 0.04, 0.025, 0.035]))]
        visits.append((no, first, status, False))
        last = first
        if status == "Tidak Ditemukan":
            status = "Ada" if rng.random() < 0.75 else "Pindah"
            last = first + 1
            visits.append((no, last, status, False))
        if status == "Ada" and last + 1 < len(ROUNDS) and rng.random() < 0.08:
            visits.append((no, int(rng.integers(last + 1, len(ROUNDS))), "Ada", True))
    return visits


def _text_for(rng, status: str, kondisi_pick: int) -> tuple[str | None, str]:
    if status == "Ada":
        kondisi = KONDISI[kondisi_pick] if rng.random() > 0.05 else None
        return kondisi, KETERANGAN_ADA[int(rng.integers(0, len(KETERANGAN_ADA)))]
    if status == "Meninggal":
        return None, f"Meninggal dunia bulan {BULAN[int(rng.integers(0, len(BULAN)))]} 2024"
    if status == "Pindah":
        return None, KETERANGAN_PINDAH[int(rng.integers(0, len(KETERANGAN_PINDAH)))]
    return None, KETERANGAN_TD[int(rng.integers(0, len(KETERANGAN_TD)))]


def _visits_after_death(seed: int, visits: list[tuple[int, int, str, bool]]) -> list[tuple[int, int, str, bool, bool]]:
    """``--kasus-sulit``: later visits of people reported "Meninggal" in an early round (both before the report
    date): "Tidak Ditemukan" for some, "Ada" for others. Neither changes the truth (deaths are final); the fifth
    field ``berlaku`` says whether a visit counts."""
    rng = rng_for(seed, "verification-hard")
    early = sorted({no for no, r, status, _ in visits if status == "Meninggal" and r <= 1})
    later = {no: r for no, r, status, _ in visits if status == "Meninggal"}
    n_td, n_ada = KASUS_SULIT["meninggal_lalu_tidak_ditemukan"], KASUS_SULIT["meninggal_lalu_ada"]
    chosen = rng.choice(early, n_td + n_ada, replace=False).tolist()
    extra = [(no, later[no] + 1, "Tidak Ditemukan", False, False) for no in chosen[:n_td]]
    return extra + [(no, later[no] + 1, "Ada", False, False) for no in chosen[n_td:]]


def verification_records(seed: int, pop: Population, sk: pd.DataFrame, kasus_sulit: bool = False) -> pd.DataFrame:
    """Field-sweep records of the people still in desil 1, one row per visit. ``berlaku``: whether the visit
    counts for the truth (False only for the hard cases' reports after a death); ``nomor_putaran``: the round
    number the form carries (hard cases only, from round index ``KASUS_SULIT["putaran_dari"]``), else missing."""
    rng = rng_for(seed, "verification")
    masih = sk[sk["masih"]]
    belum = masih[masih["tipe"].isin(["C", "D"])]
    visits = _visits_belum(rng, belum) + _visits_optimal(rng, masih[masih["tipe"].isin(["A", "B", "E"])])
    visits = [(*visit, True) for visit in visits]
    if kasus_sulit:
        visits += _visits_after_death(seed, [visit[:4] for visit in visits])
    frame = pd.DataFrame(visits, columns=["sk_no", "putaran", "status", "redundan", "berlaku"])
    frame = frame.sort_values(["sk_no", "putaran"], kind="stable", ignore_index=True)
    frame["tanggal"] = np.array(ROUNDS)[frame["putaran"].to_numpy()] - rng.integers(0, 4, len(frame)).astype(
        "timedelta64[D]"
    )
    person = sk.set_index("no")["ind"].loc[frame["sk_no"]].to_numpy()
    ind = pop.individuals
    frame["nik"] = ind["nik"].to_numpy()[person]
    frame["nama"] = ind["nama"].to_numpy()[person]
    frame["kode_kecamatan"] = ind["kode_kecamatan"].to_numpy()[person]
    frame["kode_desa"] = ind["kode_desa"].to_numpy()[person]
    # one stable "condition" per person, so that re-visits describe the same person
    condition = dict(zip(sk["no"], rng.choice(len(KONDISI), len(sk), p=KONDISI_PROBS)))
    texts = [_text_for(rng, s, int(condition[no])) for s, no in zip(frame["status"], frame["sk_no"])]
    frame["kondisi"] = [t[0] for t in texts]
    frame["keterangan"] = [t[1] or None for t in texts]
    officers = {k: officer_names(rng, 2) for k in sorted(pop.kecamatan["kode"])}
    pick = rng.integers(0, 2, len(frame))
    frame["petugas"] = [officers[k][p] for k, p in zip(frame["kode_kecamatan"], pick)]
    numbered = kasus_sulit & (frame["putaran"] >= KASUS_SULIT["putaran_dari"])
    frame["nomor_putaran"] = pd.array(np.where(numbered, frame["putaran"] + 1, 0), dtype="Int64")
    frame.loc[~numbered, "nomor_putaran"] = pd.NA
    if frame.duplicated(["nik", "tanggal"]).any():
        raise AssertionError("two visits of one person on one day in the event model")
    return frame


# --- ground truth ---------------------------------------------------------------------------------------


def _latest(frame: pd.DataFrame, date_column: str) -> pd.DataFrame:
    """The latest record per NIK (ties are impossible by construction and checked)."""
    ordered = frame.sort_values(["nik", date_column], kind="stable")
    if ordered.duplicated(["nik", date_column]).any():
        raise AssertionError(f"two records of one NIK on one {date_column}: the truth would be ambiguous")
    return ordered.drop_duplicates("nik", keep="last").set_index("nik")


def status_table(
    date: str, targets: pd.DataFrame, interventions: pd.DataFrame, verifications: pd.DataFrame, min_strategi: int = 2
) -> pd.DataFrame:
    """Per SK person at ``date``: status_intervensi and status_keberadaan (the pipeline's stated rules)."""
    day = np.datetime64(date)
    iv = interventions[(interventions["tanggal"] <= day) & interventions["nik"].isin(targets["nik"])]
    explicit = _latest(iv[iv["status"].notna()], "tanggal")["status"]
    n_strategies = iv.groupby("nik")["strategi"].nunique()
    out = targets[["no", "nik", "desil", "kode_kecamatan"]].copy()
    nik = out["nik"]
    by_strategy = np.where(nik.map(n_strategies).fillna(0) >= min_strategi, "optimal", "belum_optimal")
    by_strategy = np.where(nik.isin(n_strategies.index), by_strategy, "belum_intervensi")
    judged = nik.map(explicit).map({"Optimal": "optimal", "Belum Optimal": "belum_optimal"})
    out["status_intervensi"] = judged.where(judged.notna(), pd.Series(by_strategy, index=out.index))
    out["status_keberadaan"] = keberadaan_at(date, nik, verifications)
    return out


def keberadaan_at(date: str, nik: pd.Series, verifications: pd.DataFrame) -> pd.Series:
    """Status of presence per NIK at ``date``: the latest verification on or before it that counts (the plan
    marks the hard cases' reports after a death as not counting)."""
    counts = verifications["berlaku"] if "berlaku" in verifications.columns else True
    vf = verifications[(verifications["tanggal"] <= np.datetime64(date)) & counts]
    codes = {label: code for code, label in v.KEBERADAAN_LABELS.items()}
    latest = _latest(vf, "tanggal")["status"].map(codes)
    return nik.map(latest).fillna(v.BELUM_DIVERIFIKASI)


def summarise(table: pd.DataFrame, kecamatan: pd.DataFrame, padan: dict[str, int]) -> dict:
    """The summary figures of a :func:`status_table` (all SK people are matched)."""
    masih = table["desil"] == 1
    optimal = masih & (table["status_intervensi"] == "optimal")
    belum = masih & (table["status_intervensi"] == "belum_optimal")
    keberadaan = table["status_keberadaan"]
    desil = pd.Series(np.where(masih, v.MASIH_DESIL1, v.KELUAR_DESIL1), index=table.index)
    perlu = v.perlu_tindakan(desil, table["status_intervensi"], keberadaan)
    per_kec = []
    for kode, nama, penduduk in zip(kecamatan["kode"], kecamatan["nama"], kecamatan["penduduk"]):
        here = table["kode_kecamatan"] == kode
        per_kec.append(
            {
                "kode": kode,
                "nama": nama,
                "sasaran_sk": int(here.sum()),
                "keluar_desil1": int((here & ~masih).sum()),
                "masih_desil1": int((here & masih).sum()),
                "intervensi_optimal": int((here & optimal).sum()),
                "intervensi_belum_optimal": int((here & belum).sum()),
                "belum_intervensi": int((here & masih & (table["status_intervensi"] == "belum_intervensi")).sum()),
                # context columns, as summary.json carries them
                "penduduk": int(penduduk),
                "masih_desil1_per_1000": round(1000 * int((here & masih).sum()) / int(penduduk), 3),
            }
        )
    return {
        "sasaran_sk": len(table),
        "padan": dict(padan),
        "keluar_desil1": int((~masih).sum()),
        "masih_desil1": int(masih.sum()),
        "intervensi_optimal": int(optimal.sum()),
        "intervensi_belum_optimal": int(belum.sum()),
        "belum_intervensi": int((masih & (table["status_intervensi"] == "belum_intervensi")).sum()),
        "belum_optimal_masih_ada": int((belum & (keberadaan == "ada")).sum()),
        "belum_optimal_meninggal": int((belum & (keberadaan == "meninggal")).sum()),
        "perlu_tindakan": int(perlu.sum()),
        "per_kecamatan": per_kec,
    }


def check_report_date(summary: dict) -> None:
    """The figures of 6 November 2024 must be exactly those reported to the TKPK meeting."""
    wrong = {k: (summary[k], v) for k, v in TARGETS.items() if summary[k] != v}
    if wrong:
        raise AssertionError(f"demo truth at {TANGGAL_LAPORAN_DEMO} differs from the reported figures: {wrong}")
