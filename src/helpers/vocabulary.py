"""The domain vocabulary, defined once: status values, their Indonesian labels, the three national
strategies, and the rule for ``perlu_tindakan``. Every other module imports these names."""

from __future__ import annotations

import pandas as pd

#: The three national strategies (Inpres 4/2022) of an intervention.
STRATEGI = (
    "Pengurangan Beban Pengeluaran",
    "Peningkatan Pendapatan",
    "Penurunan Kantong Kemiskinan",
)

# --- metode_padan: how an SK person was matched to the register (helpers.matching) -------------------------
NIK = "nik"
PROBABILISTIK = "probabilistik"
KEPUTUSAN_MANUAL = "keputusan_manual"
TINJAU_MANUAL = "tinjau_manual"
TIDAK_PADAN = "tidak_padan"
METODE_PADAN = (NIK, PROBABILISTIK, KEPUTUSAN_MANUAL, TINJAU_MANUAL, TIDAK_PADAN)
#: Methods the model decides alone (a ``keputusan_manual`` is a reviewer's: a match or "not in the register").
METODE_OTOMATIS = (NIK, PROBABILISTIK)
METODE_LABELS = {
    NIK: "NIK sama dan nama serta tanggal lahir cocok (model probabilistik)",
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
