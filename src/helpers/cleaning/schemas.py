"""Pandera schemas of the processed tables (``data/processed/``), as documented in docs/architecture.md.

Each cleaned table is validated before it is written; a failure here is a bug in the cleaning code (bad
input is quarantined before), so the error lists every failing check at once.
"""

from __future__ import annotations

import warnings

import pandas as pd

from helpers.cleaning import ids
from helpers.cleaning.nik import NIK_DIPERBAIKI, NIK_KOSONG, NIK_TIDAK_DAPAT_DIPULIHKAN, NIK_TIDAK_VALID, NIK_VALID
from helpers.vocabulary import (
    METODE_PADAN,
    STATUS_DESIL,
    STATUS_INTERVENSI,
    STATUS_KEBERADAAN,
    STATUS_KEBERADAAN_SASARAN,
    STATUS_OPD,
    STRATEGI,
)

# pandera imports pyspark.pandas when pyspark is installed (the Spark linkage path, helpers.matching.spark), on
# import and again when it first validates; pyspark then warns about pandas 3, which pandera's checks don't use.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
import pandera.pandas as pa  # noqa: E402

DATE = "datetime64[us]"
TEXT = "string"
NIK_PATTERN = r"^\d{16}$"
KODE_KECAMATAN_PATTERN = r"^\d{2}\.\d{2}\.\d{2}$"
KODE_DESA_PATTERN = r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"
NIK_STATUSES = (NIK_VALID, NIK_DIPERBAIKI, NIK_TIDAK_DAPAT_DIPULIHKAN, NIK_TIDAK_VALID, NIK_KOSONG)


def _text(nullable: bool = True, **kwargs) -> pa.Column:
    return pa.Column(TEXT, nullable=nullable, **kwargs)


def _nik(nullable: bool = True) -> pa.Column:
    return pa.Column(TEXT, pa.Check.str_matches(NIK_PATTERN), nullable=nullable)


def _isin(values: tuple[str, ...], nullable: bool = False) -> pa.Column:
    return pa.Column(TEXT, pa.Check.isin(list(values)), nullable=nullable)


def _date(nullable: bool = True) -> pa.Column:
    return pa.Column(DATE, nullable=nullable)


def _desil(nullable: bool = False) -> pa.Column:
    return pa.Column("Int64", pa.Check.in_range(1, 10), nullable=nullable)


def _regions(nullable: bool = False) -> dict[str, pa.Column]:
    return {
        "kode_kecamatan": pa.Column(TEXT, pa.Check.str_matches(KODE_KECAMATAN_PATTERN), nullable=nullable),
        "nama_kecamatan": _text(nullable),
        "kode_desa": pa.Column(TEXT, pa.Check.str_matches(KODE_DESA_PATTERN), nullable=nullable),
        "nama_desa": _text(nullable),
    }


def _source() -> dict[str, pa.Column]:
    return {"sumber_file": _text(False), "baris_sumber": pa.Column("Int64", pa.Check.ge(1), nullable=False)}


def _person() -> dict[str, pa.Column]:
    """The person columns a register shares (P3KE and DTSEN individu)."""
    return {
        "nik": _nik(),
        "nik_status": _isin(NIK_STATUSES),
        "nama": _text(),
        "nama_kunci": _text(),
        "jenis_kelamin": _isin(("L", "P"), nullable=True),
        "tanggal_lahir": _date(),
        "hubungan_kk": _text(),
        **_regions(),
    }


def _desa_in_kecamatan(frame: pd.DataFrame) -> pd.Series:
    both = frame["kode_desa"].notna() & frame["kode_kecamatan"].notna()
    inside = (frame["kode_desa"].str[:8] == frame["kode_kecamatan"]).fillna(False).astype(bool)
    return ~both | inside


DESA_IN_KECAMATAN = pa.Check(_desa_in_kecamatan, error="kode_desa tidak berada di kode_kecamatan")


def _schema(name: str, columns: dict[str, pa.Column], checks: list[pa.Check] | None = None) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, checks=checks or [], strict=True, ordered=True, name=name, coerce=False)


P3KE_INDIVIDU = _schema(
    "p3ke_individu",
    {
        "id_keluarga": _text(),
        "id_individu": _text(),
        **_person(),
        "desil": _desil(),
        "kode_kemendagri": _text(),
        "provinsi": _text(),
        "kabupaten": _text(),
        "padan_dukcapil": _text(),
        "status_kawin": _text(),
        "pekerjaan": _text(),
        "pendidikan": _text(),
        **_source(),
    },
    [DESA_IN_KECAMATAN],
)

DTSEN_INDIVIDU = _schema(
    "dtsen_individu",
    {
        "no_kk": _nik(),
        **_person(),
        "desil_nasional": _desil(nullable=True),
        "desil_provinsi": _desil(nullable=True),
        "desil_kabupaten": _desil(nullable=True),
        "kode_kemendagri": _text(),
        "provinsi": _text(),
        "kabupaten": _text(),
        "alamat": _text(),
        "tahun_data": pa.Column("Int64", pa.Check.in_range(2020, 2100), nullable=True),
        **_source(),
    },
    [
        DESA_IN_KECAMATAN,
        pa.Check(
            lambda f: f[["desil_nasional", "desil_provinsi", "desil_kabupaten"]].notna().any(axis=1),
            error="tanpa desil",
        ),
    ],
)

KELUARGA_DETAIL = (
    "jenis_atap", "jenis_dinding", "jenis_lantai", "sumber_penerangan", "bahan_bakar_memasak", "sumber_air_minum",
    "fasilitas_bab", "kepemilikan_rumah", "penerima_pkh", "penerima_bpnt", "penerima_bpum", "penerima_bst",
    "penerima_sembako", "resiko_stunting",
)  # fmt: skip

P3KE_KELUARGA = _schema(
    "p3ke_keluarga",
    {
        "id_keluarga": _text(False),
        **_regions(),
        "desil": _desil(),
        "kepala_keluarga": _text(),
        "nik_kepala_keluarga": _nik(),
        "alamat": _text(),
        **{c: _text() for c in KELUARGA_DETAIL},
        **_source(),
    },
    [DESA_IN_KECAMATAN],
)

SK = _schema(
    "sk",
    {
        "id_sasaran": pa.Column(TEXT, [pa.Check.str_matches(ids.PATTERN)], unique=True, nullable=False),
        "no": _text(),
        "nik": _nik(),
        "nik_status": _isin(NIK_STATUSES),
        "nama": _text(),
        "nama_kunci": _text(),
        **_regions(),
        "alamat": _text(),
        "tanggal_lahir": _date(),
        "no_kk": _nik(),
        **_source(),
    },
    [DESA_IN_KECAMATAN, pa.Check(lambda f: f["nik"].notna() | f["nama"].notna(), error="tanpa NIK dan nama")],
)

def _record_or_empty_form_row(frame: pd.DataFrame) -> pd.Series:
    """A record has a date and a strategy; only a row of an OPD's workbook left empty (``id_sasaran_formulir`` set,
    no programme, date, strategy or status) has none."""
    record = frame["tanggal_intervensi"].notna() & frame["strategi"].notna()
    empty = (frame["id_sasaran_formulir"].notna() & frame["program"].isna() & frame["tanggal_intervensi"].isna()
             & frame["strategi"].isna() & frame["status_opd"].isna())  # fmt: skip
    return record | empty


INTERVENSI = _schema(
    "intervensi",
    {
        "nik": _nik(False),
        "nik_status": _isin((NIK_VALID, NIK_DIPERBAIKI)),
        "nama": _text(),
        "opd": _text(),
        "program": _text(),
        "tanggal_intervensi": _date(),
        "strategi": _isin(STRATEGI, nullable=True),
        "status_opd": _isin(STATUS_OPD, nullable=True),
        "id_sasaran_formulir": _text(),
        **_source(),
    },
    [pa.Check(_record_or_empty_form_row, error="catatan tanpa tanggal atau strategi (selain baris formulir kosong)")],
)

VERIFIKASI = _schema(
    "verifikasi",
    {
        "nik": _nik(False),
        "nik_status": _isin((NIK_VALID, NIK_DIPERBAIKI)),
        "status_keberadaan": _isin(STATUS_KEBERADAAN, nullable=True),
        "kondisi": _text(),
        "tanggal_verifikasi": _date(),
        "nama": _text(),
        "kode_kecamatan": pa.Column(TEXT, pa.Check.str_matches(KODE_KECAMATAN_PATTERN), nullable=True),
        "kode_desa": pa.Column(TEXT, pa.Check.str_matches(KODE_DESA_PATTERN), nullable=True),
        "keterangan": _text(),
        "petugas": _text(),
        "putaran": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "nik_temuan": _nik(),
        **_source(),
    },
    [
        pa.Check(
            lambda f: f["status_keberadaan"].isna() == f["tanggal_verifikasi"].isna(),
            error="status keberadaan dan tanggal verifikasi harus sama-sama terisi atau sama-sama kosong",
        )
    ],
)

KEPUTUSAN_PADAN = _schema(
    "keputusan_padan",
    {
        "id_sasaran": _text(False),
        "keputusan": pa.Column(TEXT, pa.Check.str_matches(r"^(\d{16}|tidak ada di P3KE)$"), nullable=True),
        "diputuskan_oleh": _text(),
        "tanggal": _date(),
        "keterangan": _text(),
        **_source(),
    },
)

#: Evidence of the match, one readable level per compared field (see helpers.matching.linkage).
TINGKAT_COLUMNS = ("tingkat_nik", "tingkat_nama", "tingkat_tanggal_lahir", "tingkat_wilayah", "tingkat_jenis_kelamin")

STATUS_SASARAN = _schema(
    "status_sasaran",
    {
        "id_sasaran": pa.Column(TEXT, unique=True, nullable=False),
        "nik_sk": _nik(),
        "nik": _nik(),
        "nama": _text(),
        **_regions(),
        "alamat": _text(),
        "id_keluarga": _text(),
        "id_individu": _text(),
        "metode_padan": _isin(METODE_PADAN),
        "probabilitas_padan": pa.Column("Float64", pa.Check.in_range(0, 1), nullable=True),
        "bobot_padan": pa.Column("Float64", nullable=True),
        **{column: _text() for column in TINGKAT_COLUMNS},
        "alasan_padan": _text(),
        "desil": _desil(nullable=True),
        "status_desil": _isin(STATUS_DESIL),
        "status_intervensi": _isin(STATUS_INTERVENSI),
        "jumlah_strategi": pa.Column("Int64", pa.Check.in_range(0, len(STRATEGI)), nullable=False),
        "program_diterima": _text(),
        "status_keberadaan": _isin(STATUS_KEBERADAAN_SASARAN),
        "tanggal_verifikasi": _date(),
        "perlu_tindakan": pa.Column(bool, nullable=False),
    },
    [DESA_IN_KECAMATAN],
)

ISO_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def _iso_date() -> pa.Column:
    return pa.Column(TEXT, pa.Check.str_matches(ISO_DATE_PATTERN), nullable=False)


STATUS_PUTARAN = _schema(
    "status_putaran",
    {
        "putaran": pa.Column("int64", pa.Check.ge(1), nullable=False),
        "nama_putaran": _text(False),
        "periode_awal": _iso_date(),
        "periode_akhir": _iso_date(),
        "tanggal": _iso_date(),
        "id_sasaran": _text(False),
        "kode_kecamatan": STATUS_SASARAN.columns["kode_kecamatan"],
        "kode_desa": STATUS_SASARAN.columns["kode_desa"],
        **{c: STATUS_SASARAN.columns[c] for c in ("status_desil", "status_intervensi", "status_keberadaan")},
        "perlu_tindakan": pa.Column(bool, nullable=False),
    },
    [pa.Check(lambda f: ~f.duplicated(["putaran", "id_sasaran"]), error="satu baris per sasaran per putaran")],
)

REKOMENDASI_PROGRAM = _schema(
    "rekomendasi_program",
    {
        "id_sasaran": _text(False),
        "kode_kecamatan": STATUS_SASARAN.columns["kode_kecamatan"],
        "kode_desa": STATUS_SASARAN.columns["kode_desa"],
        "strategi": _isin(STRATEGI),
        "program": _text(False),
        "opd": _text(False),
        "alasan": _text(False),
    },
)

INTERVENSI_SASARAN = _schema(
    "intervensi_sasaran",
    {
        "id_sasaran": _text(False),
        "opd": _text(),
        "program": _text(),
        "strategi": _isin(STRATEGI),
        "tanggal_intervensi": _date(False),
        "status_opd": _isin(STATUS_OPD, nullable=True),
    },
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    s.name: s
    for s in (P3KE_INDIVIDU, P3KE_KELUARGA, SK, INTERVENSI, VERIFIKASI, KEPUTUSAN_PADAN, DTSEN_INDIVIDU, STATUS_SASARAN,
              STATUS_PUTARAN, REKOMENDASI_PROGRAM, INTERVENSI_SASARAN)
}  # fmt: skip


def columns(table: str) -> list[str]:
    """The columns of a processed table, in order."""
    return list(SCHEMAS[table].columns)


def validate(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate ``frame`` against the schema of ``table`` (every failing check reported at once)."""
    return SCHEMAS[table].validate(frame, lazy=True)
