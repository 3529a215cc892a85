"""How people's identities get damaged on their way into a list: old spellings and titles, typing slips,
one-letter namesakes, mistyped NIKs. Shared by the hard-case benchmark (:mod:`helpers.demo.hard_cases`) and the
demo's ``--kasus-sulit`` SK list (:mod:`helpers.demo.sk_hard`). Written from how clerks, old identity cards and
keyboards produce the damage; nothing here knows the matcher.
"""

from __future__ import annotations

import numpy as np

_KEYBOARD = {"A": "S", "S": "A", "D": "F", "R": "T", "T": "R", "I": "U", "U": "I", "O": "P", "N": "M", "M": "N",
             "K": "L", "L": "K", "E": "W", "H": "J", "Y": "U", "P": "O", "W": "E", "J": "H", "B": "V", "G": "H"}  # fmt: skip
#: One-letter substitutions that turn a name into another real-looking name (SUPARMI -> SUPARNI).
_NEIGHBOUR = {"M": "N", "N": "M", "R": "L", "L": "R", "T": "K", "K": "T", "P": "B"}


def _title(name: str) -> str:
    return name.title()


def old_spelling(name: str, sex: str, rng: np.random.Generator) -> str:
    """Write a modern name as an old identity card or a clerk would (one or more changes)."""
    text = name.upper()
    words = []
    for word in text.split():
        if word == "MUHAMMAD":
            word = str(rng.choice(["MOCH.", "MOH.", "M.", "MOCHAMMAD", "MUCHAMMAD"]))
        elif word == "SITI":
            word = str(rng.choice(["ST.", "SITI"]))
        elif word == "ABDUL":
            word = "ABD."
        else:
            had_j = "J" in word
            for new, old in (("U", "OE"), ("C", "TJ"), ("SY", "SJ"), ("KH", "CH"), ("J", "DJ")):
                word = word.replace(new, old)
            word = word if had_j else word.replace("Y", "J")
        words.append(word)
    prefix = str(rng.choice(["", "", "H. ", "Bpk. "] if sex == "L" else ["", "", "Hj. ", "Ibu "]))
    if " ".join(words) == text and not prefix:  # nothing old in the name: the card still carries a title
        prefix = "H. " if sex == "L" else "Hj. "
    return _title(prefix + " ".join(words))


def name_typo(name: str, rng: np.random.Generator) -> str:
    letters = list(name.upper())
    positions = [i for i, c in enumerate(letters) if c.isalpha() and 0 < i < len(letters) - 1]
    i = int(rng.choice(positions))
    if rng.random() < 0.5 and letters[i] in _KEYBOARD:
        letters[i] = _KEYBOARD[letters[i]]
    else:
        del letters[i]
    return _title("".join(letters))


def neighbour_name(name: str, rng: np.random.Generator) -> str | None:
    letters = list(name.upper())
    positions = [i for i, c in enumerate(letters) if c in _NEIGHBOUR and 2 < i < len(letters) - 1]
    if not positions:
        return None
    i = int(rng.choice(positions))
    letters[i] = _NEIGHBOUR[letters[i]]
    return _title("".join(letters))


def nik_typo(nik: str, rng: np.random.Generator) -> str:
    digits = list(nik)
    for _ in range(20):
        changed = digits.copy()
        i = int(rng.integers(4, 15))
        if rng.random() < 0.5 and changed[i] != changed[i + 1]:
            changed[i], changed[i + 1] = changed[i + 1], changed[i]
        else:
            changed[i] = str((int(changed[i]) + int(rng.integers(1, 10))) % 10)
        if "".join(changed) != nik:
            return "".join(changed)
    return nik
