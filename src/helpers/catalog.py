"""The catalog of processed files (``data/processed/``): every file named once, with the step that writes it, its
schema and an Indonesian description.

Code names a processed file only through an :class:`Entry` of this module (``catalog.STATUS_SASARAN.at(folder)``,
:func:`read_parquet`, :func:`read_json`, :func:`write`); ``tests/test_catalog.py`` fails when a file name is typed
anywhere else, and keeps ``data/processed/README.md`` documenting exactly these files and the columns of their
schemas. Tables are validated with pandera where they are computed (``helpers.cleaning.schemas``); JSON files are
validated here, with JSON Schema, before they are written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import outputs
from helpers.errors import InputError

CLEAN, MATCH = "01_clean", "02_match"


@dataclass(frozen=True)
class Entry:
    """One processed file (or folder, when ``path`` ends with ``/``). ``path`` is relative to the processed folder
    and may hold ``{input}`` (one file per raw input). ``schema``: the pandera schema's name in
    ``helpers.cleaning.schemas.SCHEMAS`` (tables) or in :data:`JSON_SCHEMAS` (JSON files)."""

    path: str
    step: str
    description: str
    schema: str | None = None
    optional: bool = False

    @property
    def name(self) -> str:
        """The file name alone (``padan.csv`` for ``tinjau/padan.csv``)."""
        return Path(self.path).name

    def at(self, processed_dir: str | Path, **fields: str) -> Path:
        """The file's path in ``processed_dir`` (``fields`` fill ``{input}``)."""
        return Path(processed_dir) / self.path.format(**fields)


# 01_clean: cleaned inputs, quarantine, cleaning summary
P3KE_INDIVIDU = Entry("p3ke_individu.parquet", CLEAN, "P3KE 2024, satu baris per individu", "p3ke_individu")
P3KE_KELUARGA = Entry("p3ke_keluarga.parquet", CLEAN, "P3KE 2024, satu baris per keluarga", "p3ke_keluarga")
DTSEN_INDIVIDU = Entry("dtsen_individu.parquet", CLEAN, "DTSEN, satu baris per individu (bila `data/raw/dtsen/` ada)",
                       "dtsen_individu", optional=True)  # fmt: skip
SK = Entry("sk.parquet", CLEAN, "daftar SK Bupati/Wali Kota (penduduk miskin ekstrem)", "sk")
INTERVENSI = Entry("intervensi.parquet", CLEAN, "intervensi program per OPD", "intervensi")
VERIFIKASI = Entry("verifikasi.parquet", CLEAN, "hasil verifikasi (penyisiran) camat", "verifikasi")
KEPUTUSAN_PADAN = Entry("keputusan_padan.parquet", CLEAN, "keputusan analis atas kasus padu padan", "keputusan_padan")
KARANTINA = Entry("karantina/{input}.csv", CLEAN, "baris yang tidak dipakai, dengan alasannya")
RINGKASAN = Entry("ringkasan_pembersihan.json", CLEAN, "ringkasan pembersihan per input", "ringkasan_pembersihan")
PADAN_NAIF = Entry("padan_naif.json", CLEAN, "hasil pencocokan NIK apa adanya, sebagai pembanding")
INTERVENSI_GANDA = Entry("tinjau/intervensi_ganda.csv", CLEAN, "catatan intervensi yang berulang, dihitung sekali")
ID_BENTROK = Entry("tinjau/id_sasaran_bentrok.csv", CLEAN, "id_sasaran yang sama untuk dua baris SK")
READ_CACHE = Entry("_cache/", CLEAN, "hasil pembacaan setiap file mentah, dikunci dengan isinya")
MANIFEST = Entry("run.json", CLEAN, "run id dan file setiap langkah (01_clean, 02_match)")
# 02_match: matching, statuses, summary, review lists
STATUS_SASARAN = Entry("status_sasaran.parquet", MATCH, "satu baris per orang dalam SK, pada tanggal laporan",
                       "status_sasaran")  # fmt: skip
STATUS_PUTARAN = Entry("status_putaran.parquet", MATCH, "status setiap sasaran pada setiap putaran verifikasi",
                       "status_putaran")  # fmt: skip
SUMMARY = Entry("summary.json", MATCH, "angka ringkas untuk laporan", "summary")
PARAMETER_RUN = Entry("parameter_run.json", MATCH, "parameter padu padan dan status yang dipakai", "parameter_run")
PERBANDINGAN_JSON = Entry("perbandingan_register.json", MATCH, "jumlah perpindahan desil P3KE 2024 → DTSEN",
                          optional=True)  # fmt: skip
REKOMENDASI = Entry("rekomendasi_program.parquet", MATCH, "program yang direkomendasikan bagi setiap sasaran yang "
                    "perlu tindakan, dengan OPD-nya", "rekomendasi_program")  # fmt: skip
INTERVENSI_SASARAN = Entry("intervensi_sasaran.parquet", MATCH, "catatan intervensi setiap sasaran SK sampai tanggal "
                           "laporan, di bawah NIK mana pun miliknya", "intervensi_sasaran")  # fmt: skip
PROGRAM_OPD = Entry("program_opd.csv", MATCH, "tabel program → strategi → OPD yang dipakai run ini")
MODEL_PADAN = Entry("model_padan.json", MATCH, "model padu padan yang dilatih pada run ini")
KANDIDAT_PADAN = Entry("kandidat_padan.parquet", MATCH, "kandidat register setiap kasus tinjau (NIK lengkap)")
GRAFIK_PADAN = Entry("grafik_padan/", MATCH, "grafik model padu padan (PNG, tanpa data pribadi)")
TINJAU_PADAN = Entry("tinjau/padan.csv", MATCH, "kasus padu padan yang perlu ditinjau, tiga kandidat teratas")
TINJAU_TIDAK_PADAN = Entry("tinjau/padan_tidak_padan.csv", MATCH, "sasaran tanpa kandidat di register")
NIK_GANDA_SK = Entry("tinjau/nik_ganda_sk.csv", MATCH, "NIK yang muncul lebih dari sekali di SK")
KEPUTUSAN_USANG = Entry("tinjau/keputusan_usang.csv", MATCH, "keputusan padan yang tidak lagi cocok")
KEBERADAAN_MASALAH = Entry("tinjau/keberadaan_masalah.csv", MATCH, "baris verifikasi yang bermasalah")
INTERVENSI_MASALAH = Entry("tinjau/intervensi_masalah.csv", MATCH, "catatan intervensi yang tidak dipakai apa adanya")
TEMUAN_LAPANGAN = Entry("tinjau/temuan_lapangan.csv", MATCH, "NIK temuan lapangan camat (tersamar)")
TEMUAN_LAPANGAN_NIK = Entry("temuan_lapangan.parquet", MATCH, "NIK temuan lapangan camat, lengkap (RAHASIA)")
PERBANDINGAN_CSV = Entry("tinjau/perbandingan_register.csv", MATCH, "perpindahan desil setiap sasaran P3KE → DTSEN",
                         optional=True)  # fmt: skip

ENTRIES: tuple[Entry, ...] = tuple(value for value in list(globals().values()) if isinstance(value, Entry))
#: The cleaned table of each processed table name (``"sk"`` -> :data:`SK`).
TABLES: dict[str, Entry] = {e.path.removesuffix(".parquet"): e for e in ENTRIES if e.path.endswith(".parquet")}

_COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
_COUNT = {"type": "integer", "minimum": 0}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_FUNNEL = ("sasaran_sk", "keluar_desil1", "masih_desil1", "intervensi_optimal", "intervensi_belum_optimal",
           "belum_intervensi")  # fmt: skip
#: JSON Schemas of the JSON files the reports and the province page read.
JSON_SCHEMAS: dict[str, dict[str, Any]] = {
    "summary": {
        "type": "object",
        "required": ["tanggal_laporan", *_FUNNEL, "belum_optimal_masih_ada", "belum_optimal_meninggal",
                     "perlu_tindakan", "padan", "per_kecamatan", "per_putaran", "putaran_berikutnya",
                     "baris_masuk", "baris_karantina", "baris_duplikat"],  # fmt: skip
        "properties": {
            "tanggal_laporan": _DATE,
            **{key: _COUNT for key in (*_FUNNEL, "belum_optimal_masih_ada", "belum_optimal_meninggal", "perlu_tindakan",
                                       "diverifikasi", "meninggal")},
            "riwayat": {"type": "array", "items": {"type": "object", "required": ["tanggal_laporan", "perlu_tindakan"],
                                                   "properties": {"tanggal_laporan": _DATE}}},
            "proyeksi": {
                "type": "object",
                "required": ["laju_per_minggu", "tanggal_nol", "tercapai_sebelum_target", "tanggal_target"],
                "properties": {"laju_per_minggu": {"type": ["number", "null"]},
                               "tanggal_nol": {"anyOf": [_DATE, {"type": "null"}]}, "tanggal_target": _DATE,
                               "tercapai_sebelum_target": {"type": "boolean"}},
            },
            "padan": _COUNTS,
            "baris_masuk": _COUNTS,
            "baris_karantina": _COUNTS,
            "baris_duplikat": _COUNTS,
            "putaran_berikutnya": {"type": "integer", "minimum": 1},
            "per_kecamatan": {
                "type": "array",
                "items": {"type": "object", "required": ["kode", "nama", *_FUNNEL],
                          "properties": {"kode": {"type": "string"}, "nama": {"type": "string"}}},
            },  # fmt: skip
            "per_putaran": {
                "type": "array",
                "items": {"type": "object", "required": ["putaran", "nama_putaran", "tanggal"],
                          "properties": {"putaran": {"type": "integer"}, "tanggal": _DATE}},
            },  # fmt: skip
        },
    },
    "parameter_run": {
        "type": "object",
        "required": ["report_date", "ambang_padan", "ambang_tinjau", "min_strategi", "register", "register_label"],
        "properties": {"report_date": _DATE, "ambang_padan": {"type": "number"}, "ambang_tinjau": {"type": "number"},
                       "min_strategi": {"type": "integer", "minimum": 1, "maximum": 3}},
    },  # fmt: skip
    "ringkasan_pembersihan": {
        "type": "object",
        "additionalProperties": {"type": "object", "required": ["baris_masuk", "baris_bersih", "baris_karantina"]},
    },
}


def check_json(entry: Entry, data: Any) -> None:
    """Validate ``data`` against ``entry``'s JSON Schema (a failure is a bug: it names the file and the field)."""
    if entry.schema not in JSON_SCHEMAS:
        return
    import jsonschema

    try:
        jsonschema.validate(data, JSON_SCHEMAS[entry.schema])
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(akar)"
        raise RuntimeError(f"{entry.path} tidak sesuai skemanya di {where}: {exc.message} (kesalahan program).") from None


def write(entry: Entry, data: Any, processed_dir: str | Path, run_id: str | None = None, **fields: str) -> Path:
    """Write ``data`` to ``entry``'s file in ``processed_dir``, atomically (:mod:`helpers.outputs`): a frame as
    Parquet (stamped with ``run_id``) or CSV, anything else as JSON (validated first)."""
    path = entry.at(processed_dir, **fields)
    if path.suffix == ".parquet":
        return outputs.write_parquet(data, path, run_id)
    if path.suffix == ".csv":
        return outputs.write_csv(data, path)
    check_json(entry, data)
    return outputs.write_json(data, path)


def _missing(entry: Entry, path: Path) -> InputError:
    return InputError(f"{path} belum ada: jalankan dulu langkah {entry.step} (python -m helpers pipeline).")


def read_parquet(entry: Entry, processed_dir: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """``entry``'s table; :class:`InputError` naming the step to run when it is missing."""
    path = entry.at(processed_dir)
    if not path.is_file():
        raise _missing(entry, path)
    return pd.read_parquet(path, columns=columns)


def read_json(entry: Entry, processed_dir: str | Path) -> Any:
    """``entry``'s JSON; :class:`InputError` naming the step to run when it is missing."""
    path = entry.at(processed_dir)
    if not path.is_file():
        raise _missing(entry, path)
    return json.loads(path.read_text(encoding="utf-8"))
