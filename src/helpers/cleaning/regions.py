"""Regions of the cleaning step: kecamatan and desa resolved against the Kemendagri gazetteer, with a reason
for each row that cannot be placed (:func:`resolve_regions`), the spellings that differ from the gazetteer
(:func:`region_variants`), and the refusal of a file of another kabupaten (:func:`check_kabupaten`, an
:class:`~helpers.errors.InputError`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import pandas as pd

from helpers.cleaning.normalise import map_unique, tidy_value
from helpers.cleaning.quarantine import Reasons
from helpers.config import KODE_KABUPATEN
from helpers.errors import InputError
from helpers.reading.contract import InputSpec
from helpers.reading.readers import SOURCE_FILE
from helpers.reference import wilayah


def _quoted(value: object) -> str:
    return "" if value is None or value is pd.NA else str(value).strip()


def resolve_regions(
    kecamatan: pd.Series,
    desa: pd.Series,
    kode_kemendagri: pd.Series | None = None,
    kode_kabupaten: str = KODE_KABUPATEN,
) -> pd.DataFrame:
    """Kecamatan and desa codes and gazetteer names, plus a reason for each row that cannot be placed.

    The desa code comes from ``kode_kemendagri`` when it is a valid desa code of the resolved kecamatan,
    otherwise from the kecamatan and the desa name (a desa name alone is ambiguous in Jombang).
    Returns ``kode_kecamatan``, ``nama_kecamatan``, ``kode_desa``, ``nama_desa``, ``alasan_wilayah``,
    ``desa_dari_kode`` (bool).
    """
    kec_table = wilayah.kecamatan_table(kode_kabupaten)
    desa_table = wilayah.desa_table(kode_kabupaten)
    kab_name = wilayah.kabupaten_name(kode_kabupaten)
    kode_kec = wilayah.resolve_kecamatan(kecamatan.astype("string"), kode_kabupaten)
    by_name = wilayah.resolve_desa(kode_kec, desa.astype("string"), kode_kabupaten)
    from_code = pd.Series(False, index=desa.index)
    if kode_kemendagri is not None and kode_kemendagri.notna().any():
        code = map_unique(kode_kemendagri, wilayah.normalise_code, "string")
        valid = set(desa_table["kode"])
        from_code = (code.isin(valid) & (code.str[:8] == kode_kec)).fillna(False).astype(bool)
        kode_desa = code.where(from_code, by_name)
    else:
        kode_desa = by_name
    kec_names = dict(zip(kec_table["kode"], kec_table["nama"]))
    desa_names = dict(zip(desa_table["kode"], desa_table["nama"]))
    out = pd.DataFrame(
        {
            "kode_kecamatan": kode_kec,
            "nama_kecamatan": kode_kec.map(kec_names).astype("string"),
            "kode_desa": kode_desa.astype("string"),
            "nama_desa": kode_desa.map(desa_names).astype("string"),
        },
        index=desa.index,
    )
    reasons = Reasons(desa.index)
    kec_text = kecamatan.astype("string")
    reasons.add(kec_text.isna(), "Kecamatan kosong")
    unknown_kec = kec_text.notna() & kode_kec.isna()
    if unknown_kec.any():
        messages = {
            v: f'Kecamatan "{_quoted(v)}" tidak dikenal di {kab_name}; nama terdekat: '
            f'"{wilayah.suggest_kecamatan(v, kode_kabupaten) or "-"}"'
            for v in kec_text[unknown_kec].unique()
        }
        reasons.add(unknown_kec, kec_text.map(messages))
    desa_text = desa.astype("string")
    known_kec = kode_kec.notna()
    reasons.add(known_kec & desa_text.isna() & ~from_code, "Desa/Kelurahan kosong")
    unknown_desa = known_kec & desa_text.notna() & kode_desa.isna()
    if unknown_desa.any():
        pairs = pd.DataFrame({"kec": kode_kec[unknown_desa], "desa": desa_text[unknown_desa]}).drop_duplicates()
        messages = {
            (k, d): f'Desa "{_quoted(d)}" tidak dikenal di Kecamatan {kec_names[k]}; nama terdekat: '
            f'"{wilayah.suggest_desa(k, d, kode_kabupaten) or "-"}"'
            for k, d in zip(pairs["kec"], pairs["desa"])
        }
        keys = pd.Series(list(zip(kode_kec[unknown_desa], desa_text[unknown_desa])), index=desa.index[unknown_desa])
        reasons.add(unknown_desa, keys.map(messages).reindex(desa.index))
    out["alasan_wilayah"] = reasons.result()
    out["desa_dari_kode"] = from_code
    return out


def region_variants(raw: pd.Series, official: pd.Series) -> dict[str, int]:
    """``{"raw → official": rows}`` for names written differently from the gazetteer name (case ignored)."""
    frame = pd.DataFrame({"raw": raw.astype("string"), "official": official.astype("string")}).dropna()
    counts = frame.value_counts(["raw", "official"], sort=False)
    out: dict[str, int] = {}
    for (name, gazetteer), n in counts.items():
        shown = tidy_value(name)
        if re.fullmatch(r"[\d.\s]+", shown) or shown.casefold() == gazetteer.casefold():
            continue
        key = f"{shown} → {gazetteer}"
        out[key] = out.get(key, 0) + int(n)
    return dict(sorted(out.items()))


#: A file is refused when more than this share of its non-empty region values point outside the kabupaten.
SHARE_OUTSIDE_MAX = 0.5


@cache
def _foreign_kecamatan(kode_kabupaten: str) -> dict[str, str]:
    """Normalised kecamatan name -> kabupaten name, for the other kabupaten/kota of the same province."""
    from lokal import wilayah as gazetteer

    province = kode_kabupaten.split(".")[0]
    names: dict[str, str] = {}
    for kab in gazetteer.list_wilayah(province):
        if kab.code == kode_kabupaten:
            continue
        for kec in gazetteer.list_wilayah(kab.code):
            names.setdefault(wilayah.normalise_name(kec.name), kab.name)
    return names


def _outside_share(values: pd.Series, outside: Callable[[pd.Series], pd.Series]) -> tuple[float, str] | None:
    """(share of non-empty values flagged outside, the most common such value), or None without values."""
    present = values.dropna()
    if present.empty:
        return None
    flags = outside(present)
    common = present[flags].value_counts()
    return float(flags.mean()), (str(common.index[0]) if not common.empty else "")


def check_kabupaten(raw: pd.DataFrame, spec: InputSpec, kode_kabupaten: str = KODE_KABUPATEN) -> None:
    """Raise :class:`InputError` naming the file when a file points mostly outside the kabupaten.

    Each file is looked at separately: its ``Kabupaten/Kota`` values (another name or code), its
    ``Kode Kemdagri`` values (another prefix) and its ``Kecamatan`` names (names of kecamatan of another
    kabupaten of the province that are not kecamatan of this one; a mere typo is not counted, it is
    quarantined row by row).
    """
    kab_name = wilayah.kabupaten_name(kode_kabupaten)
    kab_key = wilayah.normalise_name(kab_name)
    kab_digits = kode_kabupaten.replace(".", "")
    foreign = _foreign_kecamatan(kode_kabupaten)

    def kab_outside(values: pd.Series) -> pd.Series:
        def one(value: str) -> bool:
            return not (wilayah.normalise_name(value) == kab_key or re.sub(r"\D", "", value) == kab_digits)

        return map_unique(values, one, "boolean").fillna(False).astype(bool)

    def code_outside(values: pd.Series) -> pd.Series:
        def one(value: str) -> bool:
            digits = re.sub(r"\D", "", value)
            return len(digits) >= 4 and not digits.startswith(kab_digits)

        return map_unique(values, one, "boolean").fillna(False).astype(bool)

    def kec_outside(values: pd.Series) -> pd.Series:
        inside = wilayah.resolve_kecamatan(values, kode_kabupaten).notna()
        elsewhere = map_unique(values, lambda v: wilayah.normalise_name(v) in foreign, "boolean").fillna(False)
        return ~inside & elsewhere.astype(bool)

    checks = (("kabupaten", "Kabupaten/Kota", kab_outside), ("kode_kemendagri", "Kode Kemdagri", code_outside),
              ("kecamatan", "Kecamatan", kec_outside))  # fmt: skip
    for source, part in raw.groupby(SOURCE_FILE, sort=True):
        for column, header, outside in checks:
            if column not in part.columns:
                continue
            found = _outside_share(part[column].astype("string"), outside)
            if found is None or found[0] <= SHARE_OUTSIDE_MAX:
                continue
            example = found[1]
            if column == "kecamatan":
                example += f'", kecamatan di {foreign[wilayah.normalise_name(example)]}'
            else:
                example += '"'
            raise InputError(
                f"File {source} ({spec.description}) tampaknya bukan data {kab_name}: kolom \"{header}\" "
                f"menunjuk ke luar {kab_name} pada {round(100 * found[0])}% baris (misalnya \"{example}). "
                f"Keluarkan file ini dari folder data/raw atau ganti dengan file {kab_name} yang benar."
            )
