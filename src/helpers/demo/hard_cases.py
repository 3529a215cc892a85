"""Hard-case benchmark for padu padan: a small synthetic register, an SK list built from how real files and
people break, and a per-person answer key.

``generate_hard_cases(seed)`` returns both frames in the cleaned shape (``sk.parquet`` /
``p3ke_individu.parquet`` columns the matcher needs) and ``kunci`` (``id_sasaran``, ``p3ke_index``: the true
P3KE row label or missing when the person is not in P3KE, ``kasus``: the case type). It knows nothing of the
matcher: the damage is written the way clerks, Excel and old identity cards produce it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from helpers.demo.damage import name_typo as _typo
from helpers.demo.damage import neighbour_name as _neighbour_name
from helpers.demo.damage import nik_typo as _nik_typo
from helpers.demo.damage import old_spelling as _old_spelling

KODE_KABUPATEN = "3517"
MALE = """SUPARDI JUMADI CIPTO SLAMET SUKARDI SUPRIADI SUTRISNO SUGENG KASMADI PAIMAN SUWARNO SUYONO SUJONO
SUMARNO SUNARDI RUSLAN SAMSUL YUSUF KHOLIL SUROSO WAGIMAN SUBANDI TUKIMAN SALIMAN KARJO MUJIONO SUYITNO
SUPARNO HARIYANTO BAMBANG JOKO SISWANTO MASRUKIN MUNIR ROHMAN SUNARTO TARMUJI YAHYA KASIMAN SUKIRNO""".split()
FEMALE = """SUPARMI SUMINI SUMIATI PARTINI KASIATI JUMINAH SUNARTI SUPINAH TUMINI WARSINI SULASTRI KATMI
SUPIATI SUKINAH JUWARIYAH MUNAWAROH SALAMAH ROFIAH SUTIAH PAINI SUKARTI MARIYAM SITI ASIYAH KHOLIFAH
SUWARNI TARMI SRI WAHYUNI ROMLAH SUYATI MUSRIPAH NGATINI""".split()
MALE_PREFIX = ["MUHAMMAD", "AHMAD", "ABDUL", "NUR"]
FEMALE_PREFIX = ["SITI", "SRI", "NUR"]
SECOND = "ARIFIN ROHMAN HIDAYAT FATIMAH AMINAH KHOIRIYAH MUSLIMAH HASAN SHOLEH ROHIM YULIANTI WAHYUNI".split()
#: Case types and their share of the SK list (the rest is ``bersih``).
CASES = {
    "nik_salah_ketik": 0.06, "nik_milik_kerabat": 0.03, "nik_excel": 0.04, "tidak_ada_tetangga_mirip": 0.06,
    "tidak_ada": 0.03, "duplikat_sk": 0.02, "ejaan_lama": 0.08, "tanggal_tertukar": 0.03,
    "tanggal_kosong": 0.04, "nik_kosong": 0.04, "nama_salah_ketik": 0.04, "pindah_desa": 0.03,
}  # fmt: skip
#: Excel-damaged NIKs that collide with a real NIK, and genuine NIKs ending in 0 (:func:`excel_collisions`), as a
#: share of the SK list, rows appended after the cases above:
#: - ``excel_kembar_nama_mirip``: the SK NIK lost its last digit (now 0) and is the NIK of a twin in the same
#:   family, named one letter apart; the true person is registered;
#: - ``excel_kembar_nama_sama``: idem, held by someone of another family in the same desa born the same day with
#:   the same name;
#: - ``excel_pemegang_tanpa_asli``: idem, held by someone born the same day in the same desa with another name;
#:   the true person is not in the register;
#: - ``nik_0_kembar_nama_mirip`` / ``nik_0_kembar_nama_lain``: a genuine NIK ending in 0; a twin holds the next
#:   serial (named one letter apart / another name);
#: - ``nik_0_tanpa_kembar``: a genuine NIK ending in 0; nobody shares its first 15 digits.
EXCEL_CASES = {
    "excel_kembar_nama_mirip": 0.01, "excel_kembar_nama_sama": 0.01, "excel_pemegang_tanpa_asli": 0.01,
    "nik_0_kembar_nama_mirip": 0.01, "nik_0_kembar_nama_lain": 0.01, "nik_0_tanpa_kembar": 0.01,
}  # fmt: skip


@dataclass
class HardCases:
    sk: pd.DataFrame
    p3ke: pd.DataFrame
    kunci: pd.DataFrame


def _title(name: str) -> str:
    return name.title()


def _name(rng: np.random.Generator, sex: str) -> str:
    if sex == "L":
        if rng.random() < 0.3:
            return f"{rng.choice(MALE_PREFIX)} {rng.choice(SECOND + MALE)}"
        return str(rng.choice(MALE))
    if rng.random() < 0.35:
        return f"{rng.choice(FEMALE_PREFIX)} {rng.choice(SECOND + FEMALE)}"
    return str(rng.choice(FEMALE))


class _Register:
    """Builds the P3KE register family by family; NIK serials are unique per region+birth date."""

    def __init__(self, rng: np.random.Generator, n_desa: int):
        self.rng = rng
        self.rows: list[dict] = []
        self.serials: dict[str, int] = {}
        self.desa = [(f"35.17.{k:02d}", f"35.17.{k:02d}.{2000 + d:04d}") for k in range(1, 1 + max(1, n_desa // 3))
                     for d in range(1, 4)][:n_desa]  # fmt: skip

    def nik(self, kecamatan: str, born: pd.Timestamp, sex: str) -> str:
        day = born.day + (40 if sex == "P" else 0)
        head = f"{KODE_KABUPATEN}{kecamatan[-2:]}{day:02d}{born.month:02d}{born.year % 100:02d}"
        serial = self.serials.get(head, int(self.rng.integers(1, 40)))
        self.serials[head] = serial + int(self.rng.integers(1, 4))
        return f"{head}{serial:04d}"

    def name(self, sex: str) -> str:
        return _name(self.rng, sex)

    def born(self, first: int, last: int) -> pd.Timestamp:
        return pd.Timestamp(int(self.rng.integers(first, last + 1)), int(self.rng.integers(1, 13)),
                            int(self.rng.integers(1, 29)))  # fmt: skip

    def person(self, family: str, desa: tuple[str, str], sex: str, born: pd.Timestamp, role: str, desil: int) -> None:
        kecamatan = desa[0]
        if self.rng.random() < 0.1:  # first registered in another kecamatan
            kecamatan = self.desa[int(self.rng.integers(len(self.desa)))][0]
        self.rows.append(
            {
                "id_keluarga": family, "id_individu": f"{family}-{len(self.rows):06d}",
                "nik": self.nik(kecamatan, born, sex), "nama": _title(self.name(sex)), "jenis_kelamin": sex,
                "tanggal_lahir": born, "hubungan_kk": role, "kode_kecamatan": desa[0], "kode_desa": desa[1],
                "desil": desil,
            }
        )  # fmt: skip

    def family(self, desa: tuple[str, str]) -> None:
        rng = self.rng
        family = f"P{desa[1].replace('.', '')}{len(self.rows):06d}"
        desil = int(rng.choice([1, 1, 2, 2, 3, 4, 5, 6]))
        head_sex = "L" if rng.random() < 0.8 else "P"
        head_born = self.born(1935, 1995)
        self.person(family, desa, head_sex, head_born, "Kepala Keluarga", desil)
        if rng.random() < 0.7:
            spouse_born = head_born + pd.Timedelta(days=int(rng.integers(-2000, 3000)))
            self.person(family, desa, "P" if head_sex == "L" else "L", spouse_born.normalize(), "Istri/Suami", desil)
        for _ in range(int(rng.integers(0, 4))):
            child_year = min(head_born.year + int(rng.integers(20, 40)), 2023)
            self.person(family, desa, str(rng.choice(["L", "P"])), self.born(child_year, child_year), "Anak", desil)


def _name_key(name: pd.Series) -> pd.Series:
    """Rough stand-in for the cleaning stage's ``nama_kunci`` (upper case, punctuation and titles removed)."""
    titles = r"\b(?:H|HJ|BPK|IBU|NY|ALM|ALMH)\b"
    key = name.str.upper().str.replace(r"[^A-Z ]", " ", regex=True).str.replace(titles, " ", regex=True)
    return key.str.split().str.join(" ")


def _nik_date(nik: str) -> pd.Timestamp:
    day, month, year = int(nik[6:8]) % 40, int(nik[8:10]), int(nik[10:12])
    return pd.Timestamp(1900 + year if year > 25 else 2000 + year, month, day)


def generate_hard_cases(seed: int = 1, n_desa: int = 24, n_families: int = 3300, n_sk: int = 450) -> HardCases:
    """The register (about 3 people per family), the SK list with its damage, and the answer key."""
    rng = np.random.default_rng(seed)
    register = _Register(rng, n_desa)
    for i in range(n_families):
        register.family(register.desa[i % len(register.desa)])
    p3ke = pd.DataFrame(register.rows)
    adults = p3ke.index[(p3ke["tanggal_lahir"].dt.year <= 2000)].to_numpy()
    chosen = list(rng.choice(adults, size=n_sk, replace=False))
    kinds = list(rng.choice(list(CASES) + ["bersih"], size=n_sk, p=[*CASES.values(), 1 - sum(CASES.values())]))
    extra_p3ke: list[dict] = []
    sk_rows, key_rows = [], []
    by_family = p3ke.groupby("id_keluarga").groups
    niks = set(p3ke["nik"])
    for index, kind in zip(chosen, kinds):
        person = p3ke.loc[index]
        row = {"nik": person["nik"], "nik_status": "valid", "nama": person["nama"], "kode_desa": person["kode_desa"],
               "kode_kecamatan": person["kode_kecamatan"], "tanggal_lahir": person["tanggal_lahir"]}  # fmt: skip
        truth: int | None = int(index)
        relatives = [r for r in by_family[person["id_keluarga"]] if r != index]
        if kind == "nik_milik_kerabat" and not relatives:
            kind = "nik_salah_ketik"
        if kind == "nik_salah_ketik":
            row["nik"] = _nik_typo(person["nik"], rng)
        elif kind == "nik_milik_kerabat":
            row["nik"] = p3ke.loc[int(rng.choice(relatives)), "nik"]
        elif kind == "nik_excel":
            row["nik"] = person["nik"][:15] + "0"
            if row["nik"] != person["nik"] and rng.random() < 0.6 and row["nik"] not in niks:
                holder = p3ke.loc[int(rng.choice(adults))].to_dict()
                sex = "P" if int(row["nik"][6:8]) > 40 else "L"
                name = person["nama"]
                while name.split()[-1] == person["nama"].split()[-1]:  # someone else, not a namesake
                    name = _title(register.name(sex))
                holder.update(nik=row["nik"], jenis_kelamin=sex, tanggal_lahir=_nik_date(row["nik"]), nama=name,
                              id_individu=f"{holder['id_individu']}X")  # fmt: skip
                extra_p3ke.append(holder)
                niks.add(row["nik"])
        elif kind in ("tidak_ada_tetangga_mirip", "tidak_ada"):
            truth = None
            name = _neighbour_name(person["nama"], rng) if kind == "tidak_ada_tetangga_mirip" else None
            sex = person["jenis_kelamin"]
            row["nama"] = name or _title(register.name(sex))
            born = register.born(1940, 1990)
            row["nik"] = register.nik(person["kode_kecamatan"], born, sex) if rng.random() < 0.5 else pd.NA
            row["nik_status"] = "valid" if pd.notna(row["nik"]) else "kosong"
            row["tanggal_lahir"] = pd.NaT if kind == "tidak_ada_tetangga_mirip" else born
        elif kind == "ejaan_lama":
            row["nama"] = _old_spelling(person["nama"], person["jenis_kelamin"], rng)
        elif kind == "tanggal_tertukar":
            born = person["tanggal_lahir"]
            row["tanggal_lahir"] = pd.Timestamp(born.year, born.day, born.month) if born.day <= 12 else born
            kind = kind if born.day <= 12 and born.day != born.month else "bersih"
        elif kind == "tanggal_kosong":
            row["tanggal_lahir"] = pd.NaT
        elif kind == "nik_kosong":
            row["nik"], row["nik_status"] = pd.NA, str(rng.choice(["kosong", "tidak_dapat_dipulihkan"]))
        elif kind == "nama_salah_ketik":
            row["nama"] = _typo(person["nama"], rng)
        elif kind == "pindah_desa":
            others = [d for d in register.desa if d[1] != person["kode_desa"]]
            row["kode_kecamatan"], row["kode_desa"] = others[int(rng.integers(len(others)))]
        sk_rows.append(row)
        key_rows.append({"p3ke_index": truth, "kasus": kind})
        if kind == "duplikat_sk":
            sk_rows.append({**row, "nama": _old_spelling(person["nama"], person["jenis_kelamin"], rng)})
            key_rows.append({"p3ke_index": truth, "kasus": kind})
    p3ke = pd.concat([p3ke, pd.DataFrame(extra_p3ke)], ignore_index=True)
    sk = pd.DataFrame(sk_rows)
    order = rng.permutation(len(sk))
    sk, key = sk.iloc[order].reset_index(drop=True), pd.DataFrame(key_rows).iloc[order].reset_index(drop=True)
    # drawn from a stream of their own, so that the cases above stay the same with or without them
    added, excel_sk, excel_key = excel_collisions(np.random.default_rng([seed, 15]), p3ke, sk, n_sk)
    p3ke = pd.concat([p3ke, added], ignore_index=True)
    sk, key = pd.concat([sk, excel_sk], ignore_index=True), pd.concat([key, excel_key], ignore_index=True)
    p3ke["nik_status"] = "valid"
    p3ke["nama_kunci"] = _name_key(p3ke["nama"]).astype("string")
    ids = pd.Series([f"SK-{i + 1:05d}" for i in range(len(sk))], dtype="string")
    sk.insert(0, "id_sasaran", ids)
    sk["nama_kunci"] = _name_key(sk["nama"]).astype("string")
    sk["tanggal_lahir"] = pd.to_datetime(sk["tanggal_lahir"])
    for frame in (sk, p3ke):
        for column in ("nik", "nik_status", "nama", "kode_desa", "kode_kecamatan"):
            frame[column] = frame[column].astype("string")
    kunci = pd.DataFrame({"id_sasaran": ids, "p3ke_index": key["p3ke_index"].astype("Int64"),
                          "kasus": key["kasus"].astype("string")})  # fmt: skip
    return HardCases(sk, p3ke, kunci)


def _other_name(rng: np.random.Generator, sex: str, name: str, taken: set[str]) -> str:
    """A name of the same sex that is plainly another name (not a spelling of ``name``), unused in ``taken``."""
    while True:
        other = _title(_name(rng, sex))
        if fuzz.ratio(other.upper(), name.upper()) < 60 and other.upper() not in taken:
            return other


def excel_collisions(
    rng: np.random.Generator, p3ke: pd.DataFrame, sk: pd.DataFrame, n_sk: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The :data:`EXCEL_CASES`: register people added (twins, namesakes), SK rows appended at the end of the list
    (as an amendment appends them) and their answer key (``p3ke_index``, ``kasus``).

    Excel keeps 15 significant digits: a NIK typed or pasted into a General cell becomes a number whose 16th digit
    is 0. Serials are given in order per kecamatan of registration and birth date (0010, 0011, …), so the damaged
    NIK can be the real NIK of someone born the same day: a twin in the same family (twins often get names one
    letter apart, Suparmi and Suparni), or another family's child of the same name. People are drawn among
    registered adults who are not on the SK list and whose first 15 NIK digits no SK row shares."""
    niks = set(p3ke["nik"])
    prefixes = p3ke["nik"].str[:15].value_counts().to_dict()
    names_by_desa = p3ke.groupby("kode_desa")["nama"].agg(lambda names: set(names.str.upper())).to_dict()
    busy = set(sk["nik"].dropna().str[:15])
    adults = p3ke[(p3ke["tanggal_lahir"].dt.year <= 2000) & ~p3ke["nik"].str[:15].isin(busy)].index
    pool = [int(i) for i in rng.permutation(adults.to_numpy())]
    added: list[dict] = []
    sk_rows: list[dict] = []
    key_rows: list[dict] = []

    def register(person: pd.Series, nik: str, nama: str, suffix: str, **changes) -> None:
        row = person.to_dict() | {"nik": nik, "nama": nama, "id_individu": f"{person['id_individu']}{suffix}"}
        added.append(row | changes)
        niks.add(nik)
        prefixes[nik[:15]] = prefixes.get(nik[:15], 0) + 1
        names_by_desa[person["kode_desa"]].add(nama.upper())

    for kind, rate in EXCEL_CASES.items():
        wanted = max(1, int(round(rate * n_sk)))
        for index in list(pool):
            if wanted == 0:
                break
            person = p3ke.loc[index]
            nik, desa, sex = person["nik"], person["kode_desa"], person["jenis_kelamin"]
            cut, genuine_zero = nik[:15] + "0", nik[-1] == "0"
            damaged_ok = not genuine_zero and cut not in niks and cut[12:] != "0000"  # serial 0000: no one's NIK
            alone = prefixes.get(nik[:15], 0) == 1
            near = _neighbour_name(person["nama"], rng)
            near_ok = near is not None and near.upper() not in names_by_desa[desa]
            twin_role = {"hubungan_kk": "Famili Lain"} if person["hubungan_kk"] != "Anak" else {}
            row = {"nik": nik, "nik_status": "valid", "nama": person["nama"], "kode_desa": desa,
                   "kode_kecamatan": person["kode_kecamatan"], "tanggal_lahir": person["tanggal_lahir"]}  # fmt: skip
            truth: int | None = index
            if kind == "excel_kembar_nama_mirip" and damaged_ok and near_ok:
                register(person, cut, near, "K", **twin_role)
                row |= {"nik": cut, "nik_status": "diperbaiki"}
            elif kind == "excel_kembar_nama_sama" and damaged_ok:
                family = f"{person['id_keluarga']}L"
                register(person, cut, person["nama"], "L", id_keluarga=family, hubungan_kk="Kepala Keluarga")
                row |= {"nik": cut, "nik_status": "diperbaiki"}
            elif kind == "excel_pemegang_tanpa_asli" and genuine_zero:
                name = _other_name(rng, sex, person["nama"], names_by_desa[desa])
                row |= {"nik_status": "diperbaiki", "nama": name}
                truth = None
            elif kind == "nik_0_kembar_nama_mirip" and genuine_zero and alone and near_ok:
                register(person, nik[:15] + "1", near, "K", **twin_role)
            elif kind == "nik_0_kembar_nama_lain" and genuine_zero and alone:
                register(person, nik[:15] + "1", _other_name(rng, sex, person["nama"], names_by_desa[desa]), "K",
                         **twin_role)  # fmt: skip
            elif kind == "nik_0_tanpa_kembar" and genuine_zero and alone:
                pass
            else:
                continue
            pool.remove(index)
            wanted -= 1
            sk_rows.append(row)
            key_rows.append({"p3ke_index": truth, "kasus": kind})
    untouched = [r for r, k in zip(sk_rows, key_rows) if k["kasus"] == "nik_0_tanpa_kembar"]
    if any(prefixes[r["nik"][:15]] != 1 for r in untouched):
        raise AssertionError("a NIK without a 15-digit twin got one")
    return pd.DataFrame(added), pd.DataFrame(sk_rows), pd.DataFrame(key_rows, columns=["p3ke_index", "kasus"])


def write_default_model(path: str | Path | None = None) -> dict:
    """Train the shipped model (``helpers/data/model_padan_bawaan.json``) on the hard cases of seed 1, the way the
    pipeline trains on real data; the pipeline uses it only for inputs too small to train on."""
    from helpers.matching import linkage

    cases = generate_hard_cases(1)
    model = linkage.train(*linkage.prepare(cases.sk, cases.p3ke))
    model["sumber_model"] = "bawaan: dilatih pada kasus sulit sintetis (helpers.demo.hard_cases, seed 1)"
    target = Path(path) if path is not None else linkage.DEFAULT_MODEL_FILE
    target.write_text(json.dumps(model, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return model
