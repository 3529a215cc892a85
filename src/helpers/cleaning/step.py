"""The cleaning step: every input of the contract cleaned (:mod:`helpers.cleaning.inputs`; with workers, the
large P3KE register in this process and the other inputs in a worker process), then written
(:mod:`helpers.cleaning.processed`).

:func:`clean_all` checks the whole run (:mod:`helpers.guards`) before it writes anything: a run refused on bad
input leaves every processed file, and the read cache, as they were. :class:`CleaningResult` holds the cleaned
inputs and shows them to the notebook (sheets not read, counts per source, quarantine examples, fixes).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import catalog, execution, guards, keys, runs
from helpers.cleaning.inputs import CleanedInput, clean_input
from helpers.cleaning.normalise import mask_raw_nik, parse_desil
from helpers.cleaning.processed import write_outputs
from helpers.config import KODE_KABUPATEN
from helpers.errors import InputError
from helpers.reading.contract import INPUTS
from helpers.reading.readers import SOURCE_FILE, SOURCE_ROW, ReadCache
from helpers.reference import wilayah
from helpers.vocabulary import P3KE


@dataclass
class CleaningResult:
    """All inputs after cleaning, and where they were written."""

    inputs: dict[str, CleanedInput]
    processed_dir: Path
    padan_naif: dict[str, int] = field(default_factory=dict)
    run_id: str = field(default_factory=runs.new_run_id)
    #: Fingerprint of the pseudonym key the ids were made under (:func:`helpers.keys.fingerprint`).
    sidik_kunci: str = ""

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {c.table: c.data for c in self.inputs.values()}

    def ringkasan(self) -> dict[str, Any]:
        return {name: c.ringkasan() for name, c in self.inputs.items()}

    def sheets_table(self) -> pd.DataFrame:
        """Sheets not read (empty or text only: ``dilewati``; data without headers: ``tidak_terbaca``) and
        sheets whose total row disagrees with the rows read (``selisih_jumlah``), for the notebook."""
        rows = [
            (name, note.sumber_file, note.status, note.alasan) for name, c in self.inputs.items() for note in c.lembar
        ]
        rows += [(name, m["sumber_file"], "selisih_jumlah", m["pesan"]) for name, c in self.inputs.items()
                 for m in c.selisih_jumlah]  # fmt: skip
        return pd.DataFrame(rows, columns=["input", "sumber_file", "status", "alasan"])

    def sources_table(self, name: str) -> pd.DataFrame:
        """Rows read, kept, duplicated and quarantined per file and sheet of one input."""
        counts = self.inputs[name].per_sumber
        return pd.DataFrame([{"sumber_file": k, **v} for k, v in counts.items()])

    def conservation_table(self) -> pd.DataFrame:
        """One row per input: rows read, kept, duplicates, quarantined, and whether they add up."""
        rows = []
        for name, c in self.inputs.items():
            rows.append(
                {
                    "input": name,
                    "baris_masuk": c.baris_masuk,
                    "baris_bersih": c.baris_bersih,
                    "baris_duplikat": c.baris_duplikat,
                    "baris_karantina": c.baris_karantina,
                    "seimbang": c.baris_masuk == c.baris_bersih + c.baris_duplikat + c.baris_karantina,
                }
            )
        return pd.DataFrame(rows)

    def quarantine_examples(self, per_input: int = 3) -> pd.DataFrame:
        """A few quarantined rows per input with their reason; NIKs masked, for the notebook."""
        frames = []
        for name, c in self.inputs.items():
            part = c.karantina.head(per_input)
            if part.empty:
                continue
            frames.append(
                pd.DataFrame(
                    {
                        "input": name,
                        "sumber_file": part[SOURCE_FILE],
                        "baris_sumber": part[SOURCE_ROW],
                        "nik_tersamar": _first_nik_column(part).map(mask_raw_nik),
                        "alasan": part["alasan"],
                    }
                )
            )
        if not frames:
            return pd.DataFrame(columns=["input", "sumber_file", "baris_sumber", "nik_tersamar", "alasan"])
        return pd.concat(frames, ignore_index=True)

    def fixes_table(self) -> pd.DataFrame:
        """The non-zero counts of ``perbaikan`` (``input``, ``perbaikan``, ``jumlah``); region variants summed."""
        rows = []
        for name, c in self.inputs.items():
            for key, value in sorted(c.perbaikan.items()):
                if isinstance(value, dict) and value:
                    examples = ", ".join(list(value)[:3])
                    label = f"{key} ({len(value)} ejaan berbeda, misalnya {examples})"
                    rows.append((name, label, int(sum(value.values()))))
                elif isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value:
                    rows.append((name, key, int(value)))
        return pd.DataFrame(rows, columns=["input", "perbaikan", "jumlah"])

    def nik_examples(self) -> pd.DataFrame:
        frames = [c.contoh_nik.assign(input=name) for name, c in self.inputs.items() if not c.contoh_nik.empty]
        if not frames:
            return pd.DataFrame(columns=["input", "nik_mentah", "nik_bersih", "nik_status"])
        return pd.concat(frames, ignore_index=True)[["input", "nik_mentah", "nik_bersih", "nik_status"]]


def _first_nik_column(karantina: pd.DataFrame) -> pd.Series:
    for header in ("NIK", "NIK Kepala Keluarga"):
        if header in karantina.columns:
            return karantina[header]
    return pd.Series(pd.NA, index=karantina.index, dtype="string")


def naive_nik_join(sk_raw: pd.DataFrame, p3ke_raw: pd.DataFrame) -> dict[str, int]:
    """What a naive join gives: raw SK NIK text equal to raw P3KE NIK text, no normalisation, no names.

    Returns ``sasaran_sk``, ``padan``, ``tidak_padan``, ``keluar_desil1``, ``masih_desil1`` (desil of the
    first P3KE row with that text)."""
    p3ke = p3ke_raw[["nik", "desil"]].dropna(subset=["nik"]).drop_duplicates(subset="nik", keep="first")
    desil = pd.Series(parse_desil(p3ke["desil"]).to_numpy(), index=p3ke["nik"].to_numpy())
    found = sk_raw["nik"].map(desil)
    matched = pd.Series(desil.index.get_indexer(sk_raw["nik"]) >= 0, index=sk_raw.index)  # hash lookup, not isin
    return {
        "sasaran_sk": int(len(sk_raw)),
        "padan": int(matched.sum()),
        "tidak_padan": int((~matched).sum()),
        "keluar_desil1": int((matched & (found > 1)).fillna(False).sum()),
        "masih_desil1": int((matched & (found == 1)).fillna(False).sum()),
    }


def _clean_inputs(
    raw_dir: Path,
    names: list[str],
    kode_kabupaten: str,
    cache_dir: ReadCache | None,
    key: bytes,
    kunci_dir: Path,
    record: bool = True,
) -> tuple[dict[str, tuple[CleanedInput, pd.DataFrame]], list[str]]:
    """:func:`clean_input` for each named input, and (``record``) the text of the warnings raised meanwhile."""
    wilayah.use_user_aliases(raw_dir)  # in a worker process too
    with warnings.catch_warnings(record=record) as caught:
        if record:
            warnings.simplefilter("always", UserWarning)
        done = {
            name: clean_input(raw_dir, INPUTS[name], kode_kabupaten, cache_dir=cache_dir, key=key, kunci_dir=kunci_dir)
            for name in names
        }
    return done, [str(w.message) for w in caught or [] if issubclass(w.category, UserWarning)]


def clean_all(
    raw_dir: str | Path,
    processed_dir: str | Path,
    kode_kabupaten: str = KODE_KABUPATEN,
    workers: int = 1,
    progress: bool = False,
    write: bool = True,
    kunci_dir: str | Path | None = None,
    register: str = P3KE,
    terima_sk_berkurang: bool = False,
) -> CleaningResult:
    """Clean every input of the contract and write the processed tables, under a new run id
    (:mod:`helpers.runs`; ``result.run_id``) that the matching step carries forward. With ``write``, raw files
    whose content has not changed since the last run are taken from ``<processed_dir>/_cache/``. Region names are
    also resolved with the analyst's ``<raw_dir>/alias_wilayah.csv`` (:func:`helpers.reference.wilayah.use_user_aliases`).

    ``kunci_dir`` (default: the parameter's default, ``data/kunci/``): the key folder. ``id_sasaran`` is keyed by
    its secret key (created on the first run), whose fingerprint is recorded in ``run.json``; a verification
    form returned still encrypted is opened with its password from there (:mod:`helpers.keys`). Region names are
    also resolved with the analyst's ``<raw_dir>/alias_wilayah.csv`` (:func:`helpers.reference.wilayah.use_user_aliases`).

    Before anything is written, the run is checked as a whole (:func:`helpers.guards.check_cleaning`: an SK or a
    register without anyone, SK people without a kecamatan/desa, an SK much smaller than in the last run unless
    ``terima_sk_berkurang``; ``register``: the register the matching will use). A refused run changes
    nothing in ``processed_dir``, the read cache included.

    Raises :class:`InputError` (Indonesian message) for a missing raw folder, a missing required column or input,
    an unreadable or empty file, a file of another kabupaten, an encrypted workbook without a known password,
    processed outputs made under another key (or without a key where outputs exist), or a refused run;
    :class:`~helpers.cleaning.inputs.ConservationError` if rows were lost (a bug).
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError(
            f"Folder data mentah {raw_dir} tidak ada. Periksa parameter raw_dir (bawaan: data/raw) atau letakkan file "
            "mentah di sana sesuai data/raw/README.md. Tidak ada data olahan yang diubah."
        )
    wilayah.use_user_aliases(raw_dir)
    kunci_dir = Path(kunci_dir) if kunci_dir else keys.default_dir()
    key = keys.key_for_run(kunci_dir, processed_dir)  # before any work: never renumber silently
    cache = ReadCache.staged(catalog.READ_CACHE.at(processed_dir)) if write else None
    others = [name for name in INPUTS if name != "p3ke"]
    done: dict[str, tuple[CleanedInput, pd.DataFrame]] = {}
    try:
        if workers > 1:  # the other inputs in a worker process while this one cleans the large P3KE register
            with execution.pool(1, preload=[__name__]) as pool:
                later = pool.submit(_clean_inputs, raw_dir, others, kode_kabupaten, cache, key, kunci_dir)
                done["p3ke"] = clean_input(
                    raw_dir, INPUTS["p3ke"], kode_kabupaten, workers, progress, cache, kunci_dir=kunci_dir
                )
                cleaned, caught = later.result()
            done.update(cleaned)
            for message in caught:  # the worker's warnings (sheets not read), shown here
                warnings.warn(message, UserWarning, stacklevel=2)
        else:
            done["p3ke"] = clean_input(raw_dir, INPUTS["p3ke"], kode_kabupaten, workers, progress, cache,
                                       kunci_dir=kunci_dir)  # fmt: skip
            done.update(_clean_inputs(raw_dir, others, kode_kabupaten, cache, key, kunci_dir, record=False)[0])
        results = {name: done[name][0] for name in INPUTS}
        result = CleaningResult(results, Path(processed_dir), naive_nik_join(done["sk"][1], done["p3ke"][1]),
                                sidik_kunci=keys.fingerprint(key))  # fmt: skip
        guards.check_cleaning(result, raw_dir, register, terima_sk_berkurang, kode_kabupaten)
    except BaseException:
        if cache is not None:
            cache.discard()
        raise
    if write:
        cache.commit()
        write_outputs(result, {"raw_dir": str(raw_dir.resolve()), "kode_kabupaten": kode_kabupaten})
    return result
