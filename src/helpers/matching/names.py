"""Indonesian name normaliser for record linkage (a matching key, not a display name).

Steps, in order, on each name:

1. accents removed, upper case; anything after the first comma that is only titles/degrees is dropped;
2. tokens split on spaces and punctuation; a token is compared without its dots (``S.Pd.`` -> ``SPD``);
3. titles removed: honorifics (``BPK``, ``BAPAK``, ``IBU``, ``NY``, ``ALM``, ``ALMH``, ``SDR`` …), academic
   titles and degrees (``DR``, ``DRS``, ``IR``, ``SPD``, ``SAG`` …); the hajj titles ``H``/``HJ`` and ``KH`` only
   when first or written with a dot (elsewhere a bare ``H`` may be an initial);
4. doubled letters collapsed, then short forms expanded: ``MOCH``/``MOH``/``M``/``MUH``/``MOCHAMMAD``/``MOHAMAD``/``MUCHAMMAD``… ->
   ``MUHAMMAD``, ``ST`` (first token) -> ``SITI``, ``ABD`` -> ``ABDUL``, ``NURUL`` -> ``NUR``,
   ``ACHMAD``/``AKHMAD`` -> ``AHMAD``;
5. pre-1972 spelling per token: ``OE``->``U``, ``DJ``->``J``, ``TJ``->``C``, ``SJ``->``SY``, ``NJ``->``NY``,
   ``CH``->``KH``; an old ``J`` (= new ``Y``) becomes ``Y`` only in a token that shows another old-spelling
   mark (``SOEJONO`` -> ``SUYONO``) or is a known old-spelling name (``JUSUF`` -> ``YUSUF``), so ``JUMADI``
   stays ``JUMADI``;
6. doubled letters collapsed (``MUHAMMAD`` -> ``MUHAMAD``, ``ABDULLAH`` -> ``ABDULAH``).
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

HONORIFICS = frozenset("BPK BAPAK IBU NY NYONYA SDR SDRI TN ALM ALMH ALMARHUM ALMARHUMAH MBAH".split())
ACADEMIC = frozenset(
    """DR DRS DRA IR PROF
    SPD SPDI SAG SE SH SHI ST SKOM SSOS SIP SKM SKEP SSI SPSI SFARM SKED SSTP STP SPT SHUT SPDSD SSIT
    MPD MPDI MSI MM MAG MH MT MKES MKOM MHUM AMD AMDKEP AMDKEB AMAPD AMK AMKEB""".split()
)
#: Removed only when first in the name or written with a dot.
HAJJ = frozenset({"H", "HJ", "KH"})
MUHAMMAD_FORMS = frozenset(
    """M MOCH MOH MOHD MUH MUCH MOCHAMMAD MOCHAMAD MOCHAMED MOHAMMAD MOHAMAD MOHAMED MOHAMMED MUHAMAD MUHAMMAD
    MUCHAMMAD MUCHAMAD MUHAMMED MUCHAMMED MUHAMMAT MUHAMAT""".split()
)
SHORT_FORMS = {"ABD": "ABDUL", "NURUL": "NUR", "ACHMAD": "AHMAD", "AKHMAD": "AHMAD", "ACHMAT": "AHMAD"}
#: Old-spelling names whose ``J`` is a new ``Y`` although the token has no other old-spelling mark.
OLD_J_NAMES = frozenset("JUSUF JAHJA JAKUB JUNUS JAHYA JASIN JUDI".split())
_OLD_MARKS = ("OE", "DJ", "TJ", "SJ", "CH")
_SPELLING = (("OE", "U"), ("DJ", "J"), ("TJ", "C"), ("SJ", "SY"), ("NJ", "NY"), ("CH", "KH"))
_SPLIT = re.compile(r"[^A-Z0-9.]+")
_DOUBLE = re.compile(r"([A-Z])\1+")
_APOSTROPHES = re.compile(r"['`\u2018\u2019]")


def _is_title(bare: str, dotted: bool, first: bool) -> bool:
    if bare in HONORIFICS or bare in ACADEMIC and not (bare == "ST" and first):
        return True
    return bare in HAJJ and (first or dotted)


def _old_spelling_token(token: str) -> str:
    """Old spelling of one token; the J of DJ, TJ, SJ, NJ belongs to the digraph, a bare old J becomes Y."""
    old_y = token in OLD_J_NAMES or any(mark in token for mark in _OLD_MARKS)
    if old_y:
        token = re.sub(r"(?<![DTSN])J", "Y", token)
    for old, new in _SPELLING:
        token = token.replace(old, new)
    return token


def _expand(token: str, first: bool) -> str:
    if token in MUHAMMAD_FORMS:
        return "MUHAMMAD"
    if token == "ST" and first:
        return "SITI"
    return SHORT_FORMS.get(token, token)


def normalise_name(value: object) -> str | None:
    """Matching key of one name, or None when nothing is left (see the module docstring)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).upper()
    text = _APOSTROPHES.sub("", text)
    head, _, tail = text.partition(",")
    tail_tokens = [t for t in _SPLIT.split(tail) if t.replace(".", "")]
    if any(t.replace(".", "") not in ACADEMIC | HONORIFICS | HAJJ for t in tail_tokens):
        head = f"{head} {tail}"  # a comma inside the name itself: keep what follows
    kept: list[str] = []
    for raw in _SPLIT.split(head):
        whole = raw.replace(".", "")
        parts = [raw] if _is_title(whole, "." in raw, not kept) else raw.split(".")
        for part in parts:
            bare = part.replace(".", "")
            first = not kept
            if not bare or _is_title(bare, part != raw or "." in raw, first):
                continue
            expanded = _expand(_DOUBLE.sub(r"\1", bare), first)
            kept.append(_DOUBLE.sub(r"\1", _old_spelling_token(expanded)))
    return " ".join(kept) if kept else None


def normalise_names(values: pd.Series) -> pd.Series:
    """:func:`normalise_name` over a Series (each distinct value computed once); missing stays missing."""
    text = values.astype("string")
    uniques = {v: normalise_name(v) for v in text.dropna().unique()}
    return text.map(uniques).astype("string")
