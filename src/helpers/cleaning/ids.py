"""``id_sasaran``: an identity derived from the person, not from the row's position in the SK file.

``SK-`` + the first 10 hex digits of an HMAC-SHA-256, under the secret key of the key folder
(:mod:`helpers.keys`), of the person's key material:

- the cleaned NIK when it is usable (``nik_status`` ``valid`` or ``diperbaiki``);
- otherwise the name key (``nama_kunci``), the desa code and the birth date.

So an id does not move when rows are added, removed, reordered or split over sheets, and every output keyed by
``id_sasaran`` survives an amended SK. The NIK itself never appears in the id. The id is a keyed pseudonym: an
unkeyed digest could be reversed by trying the few million NIKs that fit a masked NIK's known digits (seconds on
one core); without the key no candidate can be tested. The same key gives the same ids run after run; another key
gives other ids (a lost key renumbers everyone: see ``docs/data_protection.md``).

Two kept SK rows with the same key (the same NIK listed twice with other differences; exact duplicate rows
are dropped earlier) get the same digest: the first in reading order keeps it, the next get ``-2``, ``-3``…,
and :func:`collisions` lists them for review (``tinjau/id_sasaran_bentrok.csv``, NIKs masked).
"""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

from helpers.cleaning import nik as nikmod

PREFIX = "SK-"
DIGITS = 10
#: Pattern of an id, for the schema.
PATTERN = rf"^{PREFIX}[0-9a-f]{{{DIGITS}}}(?:-\d+)?$"
_USABLE = (nikmod.NIK_VALID, nikmod.NIK_DIPERBAIKI)
KEY_NIK = "NIK"
KEY_NAME = "nama + desa + tanggal lahir"


_SUFFIXED = rf"^({PREFIX}[0-9a-f]{{{DIGITS}}})-\d+$"


def _digest(material: str, key: bytes) -> str:
    return PREFIX + hmac.new(key, f"id_sasaran|{material}".encode(), hashlib.sha256).hexdigest()[:DIGITS]


def key_kind(sk: pd.DataFrame) -> pd.Series:
    """Which key each id derives from: :data:`KEY_NIK` or :data:`KEY_NAME`."""
    usable = sk["nik_status"].isin(_USABLE) & sk["nik"].notna()
    return pd.Series(KEY_NAME, index=sk.index, dtype="string").mask(usable, KEY_NIK)


def base_ids(sk: pd.DataFrame, key: bytes) -> pd.Series:
    """The id of each row before collisions are resolved (needs ``nik``, ``nik_status``, ``nama_kunci``,
    ``kode_desa``, ``tanggal_lahir``), under the pseudonym ``key`` (:func:`helpers.keys.key_for_run`)."""
    birth = sk["tanggal_lahir"].dt.strftime("%Y-%m-%d").astype("string").fillna("")
    by_name = "nama:" + sk["nama_kunci"].astype("string").fillna("") + "|" + sk["kode_desa"].astype("string").fillna("")
    keys = ("nik:" + sk["nik"].astype("string")).where(key_kind(sk) == KEY_NIK, by_name + "|" + birth)
    return pd.Series([_digest(k, key) for k in keys], index=sk.index, dtype="string")


def assign_ids(sk: pd.DataFrame, kept: pd.Series, key: bytes) -> pd.Series:
    """``id_sasaran`` of every row; among ``kept`` rows, in reading order, a repeated id gets ``-2``, ``-3``…"""
    ids = base_ids(sk, key)
    repeat = ids[kept].groupby(ids[kept], sort=False).cumcount() + 1
    suffix = repeat.map(lambda n: f"-{n}" if n > 1 else "").astype("string")
    ids.loc[suffix.index] = ids.loc[suffix.index] + suffix
    return ids


def base_of(ids: pd.Series) -> pd.Series:
    """The id without its collision suffix (only a suffix after the whole digest: a digest of digits only,
    ``SK-5303895419``, is its own base)."""
    return ids.astype("string").str.replace(_SUFFIXED, r"\1", regex=True)


def collisions(sk: pd.DataFrame) -> pd.DataFrame:
    """The cleaned SK rows whose id collided with another row's, NIKs masked, for review."""
    base = base_of(sk["id_sasaran"])
    rows = sk[base.duplicated(keep=False)]
    return pd.DataFrame(
        {
            "id_sasaran": rows["id_sasaran"],
            "id_dasar": base[rows.index],
            "kunci": key_kind(rows),
            "sumber_file": rows["sumber_file"],
            "baris_sumber": rows["baris_sumber"],
            "no": rows["no"],
            "nama": rows["nama"],
            "nik_tersamar": nikmod.mask_series(rows["nik"]),
            "nama_kecamatan": rows["nama_kecamatan"],
            "nama_desa": rows["nama_desa"],
        }
    ).reset_index(drop=True)
