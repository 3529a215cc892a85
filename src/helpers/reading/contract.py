"""The raw-data contract: which inputs exist, where they live, and which columns each must have.

``data/raw/README.md`` describes the same contract for analysts; :mod:`helpers.reading.readers` enforces it.
Canonical headers are the ones in the contract ("Desa/Kelurahan"); processed columns are their
snake_case Indonesian names (``desa``). In a workbook every sheet holding an input's required headers is read
(see :mod:`helpers.reading.readers`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Accepted file types, in the order they are looked for.
EXTENSIONS = (".xlsx", ".xlsm", ".csv", ".parquet")


@dataclass(frozen=True)
class InputSpec:
    """One input of the contract."""

    name: str  # short name, also used for karantina/<name>.csv
    path: str  # relative to raw_dir: a folder, or a file stem (extension from EXTENSIONS)
    is_folder: bool
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    #: Columns always read as text (IDs, codes, NIK).
    text_columns: tuple[str, ...] = ()
    #: Whether the input may be absent (the pipeline then runs without it).
    may_be_absent: bool = False
    description: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    #: Short Indonesian name in tables (the report's "Baris data yang dibaca").
    label: str = ""

    @property
    def all_columns(self) -> tuple[str, ...]:
        return self.required + self.optional


#: Header -> processed column name (snake_case Indonesian). Shared by every input.
COLUMN_NAMES: dict[str, str] = {
    "ID Keluarga P3KE": "id_keluarga",
    "ID Individu": "id_individu",
    "NIK": "nik",
    "Nama": "nama",
    "Jenis Kelamin": "jenis_kelamin",
    "Tanggal Lahir": "tanggal_lahir",
    "Hubungan dengan Kepala Keluarga": "hubungan_kk",
    "Kecamatan": "kecamatan",
    "Desa/Kelurahan": "desa",
    "Desil Kesejahteraan": "desil",
    "Kode Kemdagri": "kode_kemendagri",
    "Provinsi": "provinsi",
    "Kabupaten/Kota": "kabupaten",
    "Padan Dukcapil": "padan_dukcapil",
    "Status Kawin": "status_kawin",
    "Pekerjaan": "pekerjaan",
    "Pendidikan": "pendidikan",
    "Kepala Keluarga": "kepala_keluarga",
    "NIK Kepala Keluarga": "nik_kepala_keluarga",
    "Alamat": "alamat",
    "Jenis Atap": "jenis_atap",
    "Jenis Dinding": "jenis_dinding",
    "Jenis Lantai": "jenis_lantai",
    "Sumber Penerangan": "sumber_penerangan",
    "Bahan Bakar Memasak": "bahan_bakar_memasak",
    "Sumber Air Minum": "sumber_air_minum",
    "Fasilitas BAB": "fasilitas_bab",
    "Kepemilikan Rumah": "kepemilikan_rumah",
    "Penerima PKH": "penerima_pkh",
    "Penerima BPNT": "penerima_bpnt",
    "Penerima BPUM": "penerima_bpum",
    "Penerima BST": "penerima_bst",
    "Penerima Sembako": "penerima_sembako",
    "Resiko Stunting": "resiko_stunting",
    "No": "no",
    "No KK": "no_kk",
    "OPD": "opd",
    "Program": "program",
    "Tanggal Intervensi": "tanggal_intervensi",
    "Strategi": "strategi",
    "Status": "status_opd",
    "Status Keberadaan": "status_keberadaan",
    "Kondisi": "kondisi",
    "Tanggal Verifikasi": "tanggal_verifikasi",
    "Keterangan": "keterangan",
    "Petugas": "petugas",
    "ID Sasaran": "id_sasaran",
    "Keputusan": "keputusan",
    "NIK P3KE": "nik_p3ke",
    "NIK Kandidat 1": "nik_kandidat_1",
    "NIK Kandidat 2": "nik_kandidat_2",
    "NIK Kandidat 3": "nik_kandidat_3",
    "Diputuskan Oleh": "diputuskan_oleh",
    "Tanggal Keputusan": "tanggal_keputusan",
    "Putaran": "putaran",
    "NIK Temuan Lapangan": "nik_temuan",
    "Desil Nasional": "desil_nasional",
    "Desil Provinsi": "desil_provinsi",
    "Desil Kabupaten/Kota": "desil_kabupaten",
    "Tahun Data": "tahun_data",
}

#: Header variants seen in real exports -> canonical header. Keys are compared after
#: :func:`helpers.reading.readers.header_key` (case, spaces and punctuation spacing ignored).
HEADER_ALIASES: dict[str, str] = {
    "Desa/Kel": "Desa/Kelurahan",
    "Desa / Kelurahan": "Desa/Kelurahan",
    "Desa": "Desa/Kelurahan",
    "Kelurahan/Desa": "Desa/Kelurahan",
    "Nama Desa": "Desa/Kelurahan",
    "Kec": "Kecamatan",
    "Nama Kecamatan": "Kecamatan",
    "Desil": "Desil Kesejahteraan",
    "Peringkat Kesejahteraan": "Desil Kesejahteraan",
    "ID Keluarga": "ID Keluarga P3KE",
    "Id Keluarga P3KE": "ID Keluarga P3KE",
    "Nama Lengkap": "Nama",
    "Nama Kepala Keluarga": "Kepala Keluarga",
    "NIK KK": "NIK Kepala Keluarga",
    "Nomor KK": "No KK",
    "No. KK": "No KK",
    "Hubungan Dengan KK": "Hubungan dengan Kepala Keluarga",
    "Hub. Kepala Keluarga": "Hubungan dengan Kepala Keluarga",
    "Tgl Lahir": "Tanggal Lahir",
    "Tgl Intervensi": "Tanggal Intervensi",
    "Tgl Verifikasi": "Tanggal Verifikasi",
    "Kabupaten": "Kabupaten/Kota",
    "Kab/Kota": "Kabupaten/Kota",
    "Kode Kemendagri": "Kode Kemdagri",
    "Kode Wilayah": "Kode Kemdagri",
    "Nama OPD": "OPD",
    "Nama Program": "Program",
    "Status Intervensi": "Status",
    "Keberadaan": "Status Keberadaan",
    "Kondisi Saat Ini": "Kondisi",
    "Nama Petugas": "Petugas",
    "Putaran Ke": "Putaran",
    "Putaran Verifikasi": "Putaran",
    "NIK Temuan": "NIK Temuan Lapangan",
    "NIK Lapangan": "NIK Temuan Lapangan",
    "Catatan": "Keterangan",
    "No.": "No",
    "Nomor": "No",
    "No Urut": "No",
    # DTSEN exports
    "No Kartu Keluarga": "No KK",
    "Nomor Kartu Keluarga": "No KK",
    "NOKK": "No KK",
    "No_KK": "No KK",
    "Desil Nas": "Desil Nasional",
    "Desil Kesejahteraan Nasional": "Desil Nasional",
    "Peringkat Desil Nasional": "Desil Nasional",
    "Desil_Nasional": "Desil Nasional",
    "Desil Prov": "Desil Provinsi",
    "Desil Kesejahteraan Provinsi": "Desil Provinsi",
    "Desil_Provinsi": "Desil Provinsi",
    "Desil Kabupaten": "Desil Kabupaten/Kota",
    "Desil Kab/Kota": "Desil Kabupaten/Kota",
    "Desil Kab": "Desil Kabupaten/Kota",
    "Desil Kesejahteraan Kabupaten/Kota": "Desil Kabupaten/Kota",
    "Desil_Kabupaten": "Desil Kabupaten/Kota",
    "Kode Desa Kemendagri": "Kode Kemdagri",
    "Kode Desa": "Kode Kemdagri",
    "Periode Data": "Tahun Data",
    "Tahun Pemutakhiran": "Tahun Data",
}

_ID_COLUMNS = (
    "ID Keluarga P3KE", "ID Individu", "NIK", "NIK Kepala Keluarga", "No KK", "Kode Kemdagri", "NIK Temuan Lapangan",
)  # fmt: skip

P3KE = InputSpec(
    name="p3ke",
    path="p3ke",
    is_folder=True,
    required=(
        "ID Keluarga P3KE",
        "NIK",
        "Nama",
        "Jenis Kelamin",
        "Tanggal Lahir",
        "Hubungan dengan Kepala Keluarga",
        "Kecamatan",
        "Desa/Kelurahan",
        "Desil Kesejahteraan",
    ),
    optional=(
        "ID Individu",
        "Kode Kemdagri",
        "Provinsi",
        "Kabupaten/Kota",
        "Padan Dukcapil",
        "Status Kawin",
        "Pekerjaan",
        "Pendidikan",
    ),
    text_columns=_ID_COLUMNS,
    description="P3KE 2024, individu (satu file per kecamatan)",
    label="P3KE 2024 individu",
)

P3KE_KELUARGA = InputSpec(
    name="p3ke_keluarga",
    path="p3ke_keluarga",
    is_folder=True,
    required=(
        "ID Keluarga P3KE",
        "Kecamatan",
        "Desa/Kelurahan",
        "Desil Kesejahteraan",
        "Kepala Keluarga",
        "NIK Kepala Keluarga",
        "Alamat",
    ),
    optional=(
        "Kode Kemdagri",
        "Provinsi",
        "Kabupaten/Kota",
        "Jenis Atap",
        "Jenis Dinding",
        "Jenis Lantai",
        "Sumber Penerangan",
        "Bahan Bakar Memasak",
        "Sumber Air Minum",
        "Fasilitas BAB",
        "Kepemilikan Rumah",
        "Penerima PKH",
        "Penerima BPNT",
        "Penerima BPUM",
        "Penerima BST",
        "Penerima Sembako",
        "Resiko Stunting",
    ),
    text_columns=_ID_COLUMNS,
    description="P3KE 2024, keluarga",
    label="P3KE 2024 keluarga",
)

SK = InputSpec(
    name="sk",
    path="sk_miskin_ekstrem",
    is_folder=False,
    required=("NIK", "Nama", "Desa/Kelurahan", "Kecamatan"),
    optional=("No", "Alamat", "Tanggal Lahir", "No KK"),
    text_columns=_ID_COLUMNS,
    description="Daftar SK Bupati/Wali Kota penduduk miskin ekstrem",
    label="Daftar sasaran SK",
)

INTERVENSI = InputSpec(
    name="intervensi",
    path="intervensi",
    is_folder=True,
    required=("NIK", "Nama", "OPD", "Program", "Tanggal Intervensi"),
    # ID Sasaran: only on a BNBA workbook of an OPD returned filled in (helpers.publishing.forms_opd)
    optional=("Strategi", "Status", "ID Sasaran"),
    text_columns=_ID_COLUMNS,
    may_be_absent=True,
    description="Intervensi program per OPD",
    label="Intervensi OPD",
)

VERIFIKASI = InputSpec(
    name="verifikasi",
    path="verifikasi",
    is_folder=True,
    required=("NIK", "Status Keberadaan", "Tanggal Verifikasi"),
    optional=("Nama", "Kecamatan", "Desa/Kelurahan", "Kondisi", "Keterangan", "Petugas", "Putaran",
              "NIK Temuan Lapangan"),  # fmt: skip
    text_columns=_ID_COLUMNS,
    may_be_absent=True,
    description="Hasil verifikasi lapangan (penyisiran) oleh camat",
    label="Verifikasi lapangan camat",
)

KEPUTUSAN_PADAN = InputSpec(
    name="keputusan_padan",
    path="keputusan_padan",
    is_folder=False,
    required=("ID Sasaran", "Keputusan"),
    optional=("NIK P3KE", "NIK Kandidat 1", "NIK Kandidat 2", "NIK Kandidat 3", "Nama", "Diputuskan Oleh",
              "Tanggal Keputusan", "Keterangan"),  # fmt: skip
    text_columns=("ID Sasaran", "NIK P3KE", "NIK Kandidat 1", "NIK Kandidat 2", "NIK Kandidat 3"),
    may_be_absent=True,
    description="Keputusan padu padan oleh analis (tinjau manual)",
    label="Keputusan padu padan analis",
)

#: The three DTSEN deciles, by the ``desil_dtsen`` parameter value (header of the export).
DESIL_DTSEN_HEADERS = {
    "nasional": "Desil Nasional",
    "provinsi": "Desil Provinsi",
    "kabupaten": "Desil Kabupaten/Kota",
}

DTSEN = InputSpec(
    name="dtsen",
    path="dtsen",
    is_folder=True,
    required=("NIK", "No KK", "Nama", "Kecamatan", "Desa/Kelurahan"),
    optional=(
        "Tanggal Lahir",
        "Jenis Kelamin",
        "Hubungan dengan Kepala Keluarga",
        *DESIL_DTSEN_HEADERS.values(),
        "Kode Kemdagri",
        "Provinsi",
        "Kabupaten/Kota",
        "Alamat",
        "Tahun Data",
    ),
    text_columns=_ID_COLUMNS,
    may_be_absent=True,
    description="DTSEN (Data Tunggal Sosial dan Ekonomi Nasional), individu",
    label="DTSEN individu",
)

INPUTS: dict[str, InputSpec] = {
    spec.name: spec for spec in (P3KE, P3KE_KELUARGA, SK, INTERVENSI, VERIFIKASI, KEPUTUSAN_PADAN, DTSEN)
}
