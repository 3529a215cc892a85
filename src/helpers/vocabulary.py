"""The domain vocabulary, defined once: status values, their Indonesian labels, the three national
strategies, and the rule for ``perlu_tindakan``. Every other module imports these names."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

#: The three national strategies (Inpres 4/2022) of an intervention.
STRATEGI = (
    "Pengurangan Beban Pengeluaran",
    "Peningkatan Pendapatan",
    "Penurunan Kantong Kemiskinan",
)

# --- register: the targeting register matched against the SK (parameter ``register``) -----------------------
P3KE = "p3ke"
DTSEN = "dtsen"
REGISTERS = (P3KE, DTSEN)
#: The DTSEN decile used as "desil" (parameter ``desil_dtsen``), the first the default: the kabupaten ranks
#: the targets of a kabupaten programme (the SK Bupati) among its own population.
DESIL_DTSEN = ("kabupaten", "provinsi", "nasional")
#: Engines that score the linkage model (parameter ``mesin_padan``): the same model and results on both.
MESIN_PADAN = ("duckdb", "spark")
#: P3KE is one handover (BAST 14 March 2024); DTSEN is updated, its year comes from the data.
P3KE_LABEL = "P3KE 2024"


def register_label(register: str = P3KE, tahun: int | None = None) -> str:
    """How reports name the register: ``"P3KE 2024"``, ``"DTSEN 2025"`` (``"DTSEN"`` when the year is unknown)."""
    if register == P3KE:
        return P3KE_LABEL
    if register == DTSEN:
        return "DTSEN" if tahun is None else f"DTSEN {int(tahun)}"
    raise ValueError(f"unknown register {register!r}")


# --- metode_padan: how an SK person was matched to the register (helpers.matching) -------------------------
NIK = "nik"
PROBABILISTIK = "probabilistik"
KEPUTUSAN_MANUAL = "keputusan_manual"
TINJAU_MANUAL = "tinjau_manual"
TIDAK_PADAN = "tidak_padan"
METODE_PADAN = (NIK, PROBABILISTIK, KEPUTUSAN_MANUAL, TINJAU_MANUAL, TIDAK_PADAN)
METODE_LABELS = {
    NIK: "NIK sama dan nama sama atau mirip (model probabilistik)",
    PROBABILISTIK: "Padan menurut model probabilistik (NIK rusak atau kosong; nama, tanggal lahir, desa)",
    KEPUTUSAN_MANUAL: "Keputusan analis (keputusan_padan.xlsx)",
    TINJAU_MANUAL: "Bukti belum cukup: tinjau manual",
    TIDAK_PADAN: "Tidak ditemukan di P3KE",
}

# --- status_desil ---------------------------------------------------------------------------------------
KELUAR_DESIL1 = "keluar_desil1"
MASIH_DESIL1 = "masih_desil1"
#: A person who is not matched keeps the match outcome as status_desil.
STATUS_DESIL = (KELUAR_DESIL1, MASIH_DESIL1, TINJAU_MANUAL, TIDAK_PADAN)

# --- status_intervensi (and an OPD's own judgement, status_opd) ------------------------------------------
OPTIMAL = "optimal"
BELUM_OPTIMAL = "belum_optimal"
BELUM_INTERVENSI = "belum_intervensi"
STATUS_OPD = (OPTIMAL, BELUM_OPTIMAL)
STATUS_INTERVENSI = (OPTIMAL, BELUM_OPTIMAL, BELUM_INTERVENSI)
INTERVENSI_LABELS = {
    OPTIMAL: "Optimal",
    BELUM_OPTIMAL: "Belum optimal",
    BELUM_INTERVENSI: "Belum diintervensi",
}
#: An OPD's own judgement as written in its files and in the dropdown of its BNBA workbook.
STATUS_OPD_LABELS = {OPTIMAL: "Optimal", BELUM_OPTIMAL: "Belum Optimal"}

# --- status_keberadaan: what a camat's sweep reports -----------------------------------------------------
ADA = "ada"
MENINGGAL = "meninggal"
PINDAH = "pindah"
TIDAK_DITEMUKAN = "tidak_ditemukan"
BELUM_DIVERIFIKASI = "belum_diverifikasi"
#: Values a verification record can carry, in the order of the form's dropdown.
STATUS_KEBERADAAN = (ADA, MENINGGAL, PINDAH, TIDAK_DITEMUKAN)
#: Values of an SK person's status (no usable record -> belum_diverifikasi).
STATUS_KEBERADAAN_SASARAN = (*STATUS_KEBERADAAN, BELUM_DIVERIFIKASI)
#: Labels as written on the forms and in reports.
KEBERADAAN_LABELS = {
    ADA: "Ada",
    MENINGGAL: "Meninggal",
    PINDAH: "Pindah",
    TIDAK_DITEMUKAN: "Tidak Ditemukan",
    BELUM_DIVERIFIKASI: "Belum diverifikasi",
}
#: Presence statuses that take a person out of the field work (no intervention can reach them here).
TIDAK_DAPAT_DIJANGKAU = (MENINGGAL, PINDAH)
#: Final presence statuses: a later "tidak_ditemukan" does not overwrite them (see
#: :func:`helpers.statuses.verifikasi.resolve_keberadaan`). A death is also not undone by a later "ada" or
#: "pindah" (listed for review instead); a move is undone by a later "ada" (the person came back).
STATUS_FINAL = (MENINGGAL, PINDAH)

# --- alasan_didatangi: why a person is on the camat's verification form --------------------------------
ALASAN_PERLU_TINDAKAN = "perlu_tindakan"
ALASAN_MASIH_DESIL1 = "masih_desil1"
ALASAN_TIDAK_PADAN = TIDAK_PADAN
ALASAN_TINJAU_MANUAL = TINJAU_MANUAL
#: In the order a form explains them.
ALASAN_DIDATANGI = (ALASAN_PERLU_TINDAKAN, ALASAN_MASIH_DESIL1, ALASAN_TIDAK_PADAN, ALASAN_TINJAU_MANUAL)
ALASAN_LABELS = {
    ALASAN_PERLU_TINDAKAN: "Masih desil 1, intervensi belum optimal atau belum ada",
    ALASAN_MASIH_DESIL1: "Masih desil 1: pastikan keberadaan dan kondisi",
    ALASAN_TIDAK_PADAN: "Belum ditemukan di P3KE: pastikan keberadaan dan NIK",
    ALASAN_TINJAU_MANUAL: "Padanan P3KE perlu ditinjau: pastikan identitas dan NIK",
}


# --- alasan_opd: why a person is on an OPD's BNBA workbook (helpers.publishing.forms_opd) -----------------
ALASAN_OPD_REKOMENDASI = "rekomendasi"  # needs action; a programme of this OPD is recommended
ALASAN_OPD_PENERIMA = "penerima"  # still in desil 1 and received a programme of this OPD
#: In the order a workbook explains them (and sorts its rows).
ALASAN_OPD = (ALASAN_OPD_REKOMENDASI, ALASAN_OPD_PENERIMA)
ALASAN_OPD_LABELS = {
    ALASAN_OPD_REKOMENDASI: "Perlu tindakan: program OPD ini direkomendasikan",
    ALASAN_OPD_PENERIMA: "Masih desil 1, penerima program OPD ini",
}


def perlu_tindakan(status_desil: pd.Series, status_intervensi: pd.Series, status_keberadaan: pd.Series) -> pd.Series:
    """The rule for ``perlu_tindakan``: still in desil 1, not optimally intervened, and neither deceased nor
    moved away (a person not yet verified still needs action)."""
    keberadaan = pd.Series(status_keberadaan, index=status_desil.index).astype("string")
    needs = (
        status_desil.eq(MASIH_DESIL1)
        & status_intervensi.ne(OPTIMAL)
        & ~keberadaan.isin(TIDAK_DAPAT_DIJANGKAU).fillna(False)
    )
    return needs.fillna(False).astype(bool)


def alasan_didatangi(status_desil: pd.Series, perlu: pd.Series) -> pd.Series:
    """Why each SK person is on the camat's verification form (an :data:`ALASAN_DIDATANGI` code), or missing
    when the field has nothing to check (the person left desil 1).

    Everyone still in desil 1 is on the form (the BNBA of the people still in desil 1), those who need action
    first; so is everyone without a P3KE record (``tidak_padan``) or with an undecided match (``tinjau_manual``):
    the field confirms that they exist and what their NIK is."""
    desil = pd.Series(status_desil, dtype="string")
    needs = pd.Series(perlu, index=desil.index).fillna(False).astype(bool)
    out = pd.Series(pd.NA, index=desil.index, dtype="string")
    out = out.mask(desil.eq(MASIH_DESIL1).fillna(False), ALASAN_MASIH_DESIL1)
    out = out.mask(desil.eq(MASIH_DESIL1).fillna(False) & needs, ALASAN_PERLU_TINDAKAN)
    out = out.mask(desil.eq(TIDAK_PADAN).fillna(False), ALASAN_TIDAK_PADAN)
    return out.mask(desil.eq(TINJAU_MANUAL).fillna(False), ALASAN_TINJAU_MANUAL)

#: How an SK person's desil 1 changed between two registers (P3KE 2024 -> DTSEN): statuses.perbandingan.
KELUAR = "keluar_desil1"  # desil 1 in the earlier register, desil 2+ in the later one
MASUK = "masuk_desil1"  # desil 2+ before, desil 1 now
TETAP_DESIL1 = "tetap_desil1"
TETAP_LUAR = "tetap_di_luar_desil1"
PADAN_BERUBAH = "padan_berubah"  # matched in one register only (or reviewed): no desil to compare
PERUBAHAN = (KELUAR, MASUK, TETAP_DESIL1, TETAP_LUAR, PADAN_BERUBAH)
PERUBAHAN_LABELS = {
    KELUAR: "Keluar dari desil 1",
    MASUK: "Masuk ke desil 1",
    TETAP_DESIL1: "Tetap di desil 1",
    TETAP_LUAR: "Tetap di luar desil 1",
    PADAN_BERUBAH: "Belum dapat dibandingkan (padan hanya di salah satu register)",
}


# --------------------------------------------------------------------------- how camat write the presence statuses

#: Code -> label shown on the form ("Ada", "Meninggal", "Pindah", "Tidak Ditemukan").
STATUS_LABELS: dict[str, str] = {code: KEBERADAAN_LABELS[code] for code in STATUS_KEBERADAAN}

#: Choices of the form's "Kondisi" dropdown (free text is still kept when a form bypasses the list).
KONDISI = ("Sehat", "Sakit", "Lansia Tunggal", "Disabilitas", "Lainnya")

#: Raw label -> status code. Compared ignoring case, spaces and punctuation (see :func:`status_key`).
STATUS_MAP: dict[str, str] = {
    **{label: code for code, label in STATUS_LABELS.items()},
    **{code: code for code in STATUS_KEBERADAAN},
    "Masih Ada": "ada",
    "Ada di Tempat": "ada",
    "Masih Tinggal": "ada",
    "Meninggal Dunia": "meninggal",
    "Sudah Meninggal": "meninggal",
    "Wafat": "meninggal",
    "Pindah Domisili": "pindah",
    "Pindah Alamat": "pindah",
    "Pindah Rumah": "pindah",
    "Sudah Pindah": "pindah",
    "Tdk Ditemukan": "tidak_ditemukan",
    "Tidak Di Temukan": "tidak_ditemukan",
    "Tdk Di Temukan": "tidak_ditemukan",
    "Tidak Ketemu": "tidak_ditemukan",
}


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def status_key(value: object) -> str:
    """Comparison key of a status label: lower case letters and digits only ("Tidak  ditemukan" -> "tidakditemukan")."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKC", str(value)).lower())


_STATUS_BY_KEY = {status_key(label): code for label, code in STATUS_MAP.items()}


def normalise_status(values: pd.Series) -> pd.Series:
    """Status codes for raw labels; empty or unknown labels become missing (see :func:`unknown_status`)."""
    return values.map(lambda v: _STATUS_BY_KEY.get(status_key(v), pd.NA)).astype("string")


def unknown_status(values: pd.Series) -> pd.Series:
    """True where a status is filled in but is not one of the known labels (the cleaner quarantines these)."""
    filled = values.map(status_key) != ""
    return (filled & normalise_status(values).isna()).astype(bool)


def unknown_status_message(value: object) -> str:
    """Quarantine reason for an unknown status label, listing the allowed values."""
    allowed = ", ".join(STATUS_LABELS.values())
    return f'Status Keberadaan "{value}" tidak dikenal. Pilih salah satu: {allowed}.'
