"""The SK Bupati list of the demo: numbering, KK numbers, and the NIK faults that force name matching.

Some SK rows carry a mistyped NIK, a NIK in scientific notation or no NIK at all, so that only name + desa
(+ birth date) can find the person in P3KE. For each of them the generator checks, with its own name key and
rapidfuzz, that the true P3KE record is the unique best candidate under the pipeline's stated rule.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from helpers.demo.names import name_key
from helpers.demo.population import Population, kk_numbers, rng_for
from helpers.demo.render import (
    NIK_APOSTROPHE,
    NIK_DOTS,
    NIK_EMPTY,
    NIK_NUMBER,
    NIK_SCIENTIFIC,
    NIK_SPACES,
    NIK_TEXT,
    NIK_TYPO,
    pick_rows,
)

#: fault -> share of the 7,408 SK rows
SK_NIK_RATES = {
    NIK_TYPO: 0.02,
    NIK_SCIENTIFIC: 0.01,
    NIK_EMPTY: 0.003,
    NIK_NUMBER: 0.08,
    NIK_APOSTROPHE: 0.04,
    NIK_SPACES: 0.02,
    NIK_DOTS: 0.005,
}
FUZZY_CODES = (NIK_TYPO, NIK_SCIENTIFIC, NIK_EMPTY)
MIN_RATIO_TRUE = 90  # SK name vs its own P3KE name (titles removed)
MIN_RATIO_TRUE_RAW = 85  # same, even if a pipeline kept the titles
MAX_RATIO_OTHERS = 70  # SK name vs any other candidate in the desa with the same (or no) birth date


def number_sk(pop: Population) -> pd.DataFrame:
    """SK rows ordered as the decree's annex (kecamatan, desa, family): ``no`` 1..7408."""
    sk = pop.sk.copy()
    ind = pop.individuals
    rows = sk["ind"].to_numpy()
    sk["kode_kecamatan"] = ind["kode_kecamatan"].to_numpy()[rows]
    sk["kode_desa"] = ind["kode_desa"].to_numpy()[rows]
    sk["id_keluarga"] = ind["id_keluarga"].to_numpy()[rows]
    sk["id_individu"] = ind["id_individu"].to_numpy()[rows]
    sk["nik"] = ind["nik"].to_numpy()[rows]
    sk["desil"] = ind["desil"].to_numpy()[rows]
    sk = sk.sort_values(["kode_kecamatan", "kode_desa", "id_keluarga"], kind="stable", ignore_index=True)
    sk["no"] = np.arange(1, len(sk) + 1)
    return sk


def add_kk(seed: int, sk: pd.DataFrame, taken: set[int]) -> pd.DataFrame:
    rng = rng_for(seed, "kk")
    kec2 = sk["kode_kecamatan"].str[-2:].astype(int).to_numpy()
    return sk.assign(no_kk=kk_numbers(rng, kec2, taken))


# --- name variants ---------------------------------------------------------------------------------------


def _title_prefix(name: str, female: bool) -> str:
    return ("HJ. " if female else "H. ") + name


def _one_letter(rng: np.random.Generator, name: str) -> str:
    """Drop or double one interior letter of the longest word (an indel of one character)."""
    words = name.split()
    w = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[w]
    if len(word) < 4:
        return name
    i = int(rng.integers(1, len(word) - 1))
    words[w] = word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[: i + 1] + word[i:]
    return " ".join(words)


def fuzzy_name_variant(rng: np.random.Generator, name: str, female: bool, age: float) -> str:
    """How the SK list spells a name it could only match by name: case, title, spaces or a one-letter typo."""
    kind = int(rng.integers(0, 4))
    if kind == 0:
        return name.title()
    if kind == 1 and age >= 40:
        return _title_prefix(name, female)
    if kind == 2:
        return "  ".join(name.split()) + (" " if len(name) % 2 else "")
    return _one_letter(rng, name)


def _ratio(a: str, b: str, strip_titles: bool = True) -> float:
    return fuzz.token_sort_ratio(name_key(a, strip_titles), name_key(b, strip_titles))


class _DesaIndex:
    """P3KE rows of each desa (for the uniqueness check), with birth dates and whether the name is present."""

    def __init__(self, pop: Population, birth_empty: np.ndarray, name_empty: np.ndarray):
        ind = pop.individuals
        self.names = ind["nama"].to_numpy()
        self.birth = ind["birth"].to_numpy().astype("datetime64[D]")
        self.birth_empty = birth_empty
        self.name_empty = name_empty
        desa = ind["kode_desa"].to_numpy()
        order = np.argsort(desa, kind="stable")
        bounds = np.flatnonzero(np.r_[True, desa[order][1:] != desa[order][:-1], True])
        self.rows = {desa[order[a]]: order[a:b] for a, b in zip(bounds[:-1], bounds[1:])}

    def rivals(self, row: int, desa: str) -> np.ndarray:
        """Other named rows of the desa that the birth-date rule would not exclude."""
        rows = self.rows[desa]
        same = (self.birth[rows] == self.birth[row]) | self.birth_empty[rows]
        keep = same & ~self.name_empty[rows] & (rows != row)
        return rows[keep]


def _acceptable(index: _DesaIndex, row: int, desa: str, sk_name: str) -> bool:
    own = index.names[row]
    if _ratio(sk_name, own) < MIN_RATIO_TRUE or _ratio(sk_name, own, False) < MIN_RATIO_TRUE_RAW:
        return False
    return all(_ratio(sk_name, index.names[r]) < MAX_RATIO_OTHERS for r in index.rivals(row, desa))


def _typo_nik(rng: np.random.Generator, nik: str, taken: set[int]) -> str:
    """A valid-looking NIK one keystroke away from the true one (serial digit) that nobody has."""
    for _ in range(100):
        pos = int(rng.integers(12, 16))
        digit = str((int(nik[pos]) + int(rng.integers(1, 10))) % 10)
        candidate = nik[:pos] + digit + nik[pos + 1 :]
        if candidate[12:] != "0000" and int(candidate) not in taken:
            taken.add(int(candidate))
            return candidate
    raise AssertionError("no free typo NIK")


def sk_plan(
    seed: int, pop: Population, sk: pd.DataFrame, birth_empty: np.ndarray, name_empty: np.ndarray, taken: set[int]
) -> pd.DataFrame:
    """Per SK row: ``nik_code``, ``nik_tulis`` (the 16 digits written), ``nama_tulis``, ``fuzzy``, ``lahir_kosong``."""
    rng = rng_for(seed, "faults-sk")
    ind = pop.individuals
    rows = sk["ind"].to_numpy()
    names = ind["nama"].to_numpy()[rows]
    female = ind["female"].to_numpy()[rows]
    age = (np.datetime64("2024-03-14") - ind["birth"].to_numpy()[rows].astype("datetime64[D]")).astype(int) / 365.25
    written = _everyday_names(rng, names, female, age)
    codes = np.full(len(sk), NIK_TEXT, dtype=np.int8)
    index = _DesaIndex(pop, birth_empty, name_empty)
    wanted = {code: int(round(SK_NIK_RATES[code] * len(sk))) for code in FUZZY_CODES}
    for i in rng.permutation(len(sk)).tolist():
        code = next((c for c in FUZZY_CODES if wanted[c] > 0), None)
        if code is None:
            break
        variant = fuzzy_name_variant(rng, names[i], bool(female[i]), float(age[i]))
        if _acceptable(index, int(rows[i]), sk["kode_desa"].iat[i], variant):
            written[i] = variant
            codes[i] = code
            wanted[code] -= 1
    if any(wanted.values()):
        raise AssertionError(f"not enough SK people can be matched by name alone: {wanted}")
    fuzzy = np.isin(codes, FUZZY_CODES)
    taken_mask = fuzzy.copy()
    for code in (NIK_NUMBER, NIK_APOSTROPHE, NIK_SPACES, NIK_DOTS):
        codes[pick_rows(rng, np.ones(len(sk), bool), SK_NIK_RATES[code], 1, taken_mask)] = code
    nik_written = ind["nik"].to_numpy()[rows].astype(str).astype(object)
    for i in np.flatnonzero(codes == NIK_TYPO).tolist():
        nik_written[i] = _typo_nik(rng, nik_written[i], taken)
    birth_missing = pick_rows(rng, ~fuzzy, 0.05, 1)
    return pd.DataFrame(
        {
            "nik_code": codes,
            "nik_tulis": nik_written,
            "nama_tulis": written,
            "fuzzy": fuzzy,
            "lahir_kosong": birth_missing,
        }
    )


def _everyday_names(rng, names: np.ndarray, female: np.ndarray, age: np.ndarray) -> np.ndarray:
    """SK spellings of names matched by NIK: mostly upper case, some title case, a few with H./Hj."""
    out = names.astype(object).copy()
    u = rng.random(len(names))
    title_case = u < 0.35
    out[title_case] = [n.title() for n in names[title_case]]
    hajj = (u >= 0.35) & (u < 0.38) & (age >= 45)
    out[hajj] = [_title_prefix(n, f) for n, f in zip(names[hajj], female[hajj])]
    spaced = (u >= 0.38) & (u < 0.40)
    out[spaced] = [n + "  " for n in names[spaced]]
    return out
