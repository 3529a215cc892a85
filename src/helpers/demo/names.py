"""Synthetic Javanese/Indonesian names for the demo data, built from syllable and name pools.

Nothing here is a real person: names are random combinations, drawn independently of the (equally
synthetic) NIK, birth date and address. Also holds :func:`name_key`, the demo's own name normaliser used to
check that fuzzy-matchable SK names stay unambiguous (independent of the pipeline's cleaning code).
"""

from __future__ import annotations

import re

import numpy as np

# Old-style Javanese single names: a head syllable + a tail ("Su" + "pardi" -> "Supardi").
_M_HEAD = ["Su", "Ka", "Pa", "Sa", "Wa", "Ma", "Tu", "Ja", "Ra", "Ha", "Mu", "Sla", "Pu", "Ki", "Ru", "Da", "Mi", "Ti"]
_M_TAIL = [
    "pardi", "kirman", "warno", "yono", "tomo", "rip", "man", "mari", "nardi", "yanto", "jadi", "parto", "wito",
    "kun", "min", "dji", "ran", "lan", "ratno", "giyo", "rijo", "tarji", "kimin", "sidi", "ngadi", "dimun",
]  # fmt: skip
_F_HEAD = ["Sa", "Su", "Ka", "Pai", "Tu", "Mu", "Ju", "Ra", "Wa", "Mi", "Ti", "Pa", "Ngati", "Si", "Le"]
_F_TAIL = [
    "rmi", "minah", "rtini", "yem", "tinah", "kinem", "rsih", "ini", "lami", "yati", "rni", "tumi", "wati",
    "pinah", "jinah", "rsini", "tun", "mirah", "lastri", "siyah", "katun",
]  # fmt: skip
# Two-part names common in East Java (older and middle generations).
_M_FIRST = [
    "Ahmad", "Muhammad", "Moch.", "Abdul", "Imam", "Ali", "Agus", "Budi", "Eko", "Dwi", "Joko", "Slamet",
    "Bambang", "Hadi", "Nur", "Rudi", "Teguh", "Heri", "Yusuf", "Syaiful", "Mashudi", "Kholil", "Arif", "Rizal",
    "Sutrisno", "Wahyu", "Sugeng", "Didik", "Anang", "Mulyono", "Suwarno", "Achmad", "Moh.",
]  # fmt: skip
_M_SECOND = [
    "Hasan", "Fauzi", "Rohim", "Santoso", "Prasetyo", "Wibowo", "Setiawan", "Hidayat", "Kurniawan", "Mustofa",
    "Ansori", "Arifin", "Huda", "Ilham", "Wahyudi", "Sholeh", "Rohman", "Ma'ruf", "Effendi", "Susanto",
    "Riyadi", "Haryono", "Basuki", "Purnomo", "Sujarwo", "Zainuri", "Mahfud", "Syafi'i", "Junaedi", "Kasim",
]  # fmt: skip
_F_FIRST = [
    "Siti", "Sri", "Nur", "Dewi", "Endang", "Tri", "Sumi", "Lilik", "Yuli", "Anik", "Umi", "Ika", "Rina",
    "Ning", "Suci", "Eni", "Dian", "Ririn", "Yayuk", "Titik", "Ani", "Mudrikah",
]  # fmt: skip
_F_SECOND = [
    "Aminah", "Fatimah", "Khotijah", "Maryam", "Rahayu", "Wahyuni", "Lestari", "Suryani", "Sulastri",
    "Handayani", "Astuti", "Ningsih", "Rohmah", "Musyarofah", "Zulaikha", "Kasiyati", "Sumarni", "Winarti",
    "Juwariyah", "Mujiati", "Solikhah", "Kustini", "Mahmudah", "Rukmini", "Nurhayati", "Masruroh", "Umroh",
]  # fmt: skip
# Younger generation (born after about 1995).
_M_YOUNG_FIRST = [
    "Dimas", "Rizky", "Bagus", "Fajar", "Aditya", "Reza", "Fikri", "Galang", "Rafi", "Aldi", "Daffa", "Naufal",
    "Bima", "Yoga", "Alfian", "Ilham", "Farhan", "Rendi", "Wildan", "Zidan",
]  # fmt: skip
_M_YOUNG_SECOND = [
    "Adi Saputra", "Pratama", "Maulana", "Firmansyah", "Ramadhan", "Setiawan", "Nugroho", "Wijaya", "Syahputra",
    "Hidayatullah", "Akbar", "Prakoso", "Kurniawan", "Alfarizi", "Mahendra",
]  # fmt: skip
_F_YOUNG_FIRST = [
    "Putri", "Nur", "Dinda", "Aulia", "Salsabila", "Nabila", "Anisa", "Rahma", "Dwi", "Intan", "Ayu", "Citra",
    "Fitri", "Laila", "Siska", "Zahra", "Vina", "Novita", "Amelia", "Khoirun",
]  # fmt: skip
_F_YOUNG_SECOND = [
    "Aini", "Lestari", "Ramadhani", "Safitri", "Anggraini", "Wulandari", "Kurniasari", "Puspita", "Azzahra",
    "Maharani", "Nisa", "Oktaviani", "Rahmawati", "Fadhilah", "Permatasari",
]  # fmt: skip

DUSUN_POOL = [
    "Krajan", "Sumberejo", "Ngampel", "Kedungrejo", "Sidomulyo", "Tegalrejo", "Karangan", "Ngrandu", "Pucang",
    "Wates", "Gondang", "Kepuh", "Jati", "Sukorejo", "Mojosari", "Banaran", "Sawahan", "Kedungpring",
    "Tambakrejo", "Ngelo", "Kalangan", "Pandean", "Plosorejo", "Bendungan", "Jeruk", "Dukuh", "Balong",
    "Tanggungan", "Ngemplak", "Genengan", "Babatan", "Sumbersari", "Kebonagung", "Ngrambut", "Kedunglo",
    "Tempuran", "Sidowayah", "Kalipang", "Ngepeh", "Gedangan", "Brangkal", "Pundung", "Ketanen", "Gempol",
]  # fmt: skip


def _pick(rng: np.random.Generator, pool: list[str], n: int) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), n)]


def _javanese(rng: np.random.Generator, heads: list[str], tails: list[str], n: int) -> np.ndarray:
    return _pick(rng, heads, n) + _pick(rng, tails, n)


def _two_part(rng: np.random.Generator, first: list[str], second: list[str], n: int) -> np.ndarray:
    return _pick(rng, first, n) + " " + _pick(rng, second, n)


def person_names(rng: np.random.Generator, female: np.ndarray, birth_year: np.ndarray) -> np.ndarray:
    """Upper-case names, styled by sex and generation (vectorised; object array of str)."""
    n = len(female)
    style = rng.random(n)
    young = birth_year >= 1995
    middle = (birth_year >= 1970) & ~young
    out = np.empty(n, dtype=object)
    variants = {
        # (female, generation) -> list of (cumulative probability, generator)
        (False, "old"): [(0.55, lambda k: _javanese(rng, _M_HEAD, _M_TAIL, k)),
                         (1.0, lambda k: _two_part(rng, _M_FIRST, _M_SECOND, k))],
        (True, "old"): [(0.55, lambda k: _javanese(rng, _F_HEAD, _F_TAIL, k)),
                        (1.0, lambda k: _two_part(rng, _F_FIRST, _F_SECOND, k))],
        (False, "middle"): [(0.25, lambda k: _javanese(rng, _M_HEAD, _M_TAIL, k)),
                            (1.0, lambda k: _two_part(rng, _M_FIRST, _M_SECOND, k))],
        (True, "middle"): [(0.2, lambda k: _javanese(rng, _F_HEAD, _F_TAIL, k)),
                           (1.0, lambda k: _two_part(rng, _F_FIRST, _F_SECOND, k))],
        (False, "young"): [(0.15, lambda k: _two_part(rng, _M_FIRST, _M_SECOND, k)),
                           (1.0, lambda k: _two_part(rng, _M_YOUNG_FIRST, _M_YOUNG_SECOND, k))],
        (True, "young"): [(0.15, lambda k: _two_part(rng, _F_FIRST, _F_SECOND, k)),
                          (1.0, lambda k: _two_part(rng, _F_YOUNG_FIRST, _F_YOUNG_SECOND, k))],
    }  # fmt: skip
    generations = {"old": ~young & ~middle, "middle": middle, "young": young}
    for (is_female, generation), options in variants.items():
        group = generations[generation] & (female == is_female)
        lower = 0.0
        for upper, make in options:
            mask = group & (style >= lower) & (style < upper)
            k = int(mask.sum())
            if k:
                out[mask] = make(k)
            lower = upper
    return np.char.upper(out.astype(str)).astype(object)


def officer_names(rng: np.random.Generator, n: int) -> list[str]:
    """Names of field officers (petugas), title case."""
    female = rng.random(n) < 0.4
    years = rng.integers(1970, 1995, n)
    return [str(s).title() for s in person_names(rng, female, years)]


def dusun_names(rng: np.random.Generator, k: int) -> list[str]:
    """``k`` distinct hamlet names."""
    return [DUSUN_POOL[i] for i in sorted(rng.choice(len(DUSUN_POOL), size=k, replace=False))]


_TITLE_TOKENS = {"H", "HJ", "DRS", "DR", "IR", "KH", "SPD", "SAG", "SE", "SH", "SKOM", "AMD", "MPD", "SSOS"}
_TITLE_PATTERN = re.compile(
    r"\b(?:HJ|H|DRS|DR|IR|KH)\.\s*|,?\s*\b(?:S\.PD|S\.AG|S\.E|S\.H|S\.KOM|A\.MD|M\.PD|S\.SOS)\.?"
)
_NON_WORD = re.compile(r"[^\w\s]")


def name_key(name: str, strip_titles: bool = True) -> str:
    """Comparison key of a person's name: upper case, titles removed, punctuation removed, spaces collapsed."""
    text = " ".join(str(name).upper().split())
    if strip_titles:
        text = _TITLE_PATTERN.sub(" ", text)
    text = _NON_WORD.sub("", text)
    tokens = text.split()
    if strip_titles:
        tokens = [t for t in tokens if t not in _TITLE_TOKENS] or tokens
    return " ".join(tokens)
