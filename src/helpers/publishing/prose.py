"""The report's words: headline cards, the opening paragraph, the paragraphs introducing each section, the BPS
context, notes on rows left out and the definitions, in Bahasa Indonesia with Indonesian number formatting.

Every value that comes from data (names, region and register names) is HTML-escaped (:func:`esc`), in the
Markdown paragraphs too (nbconvert passes raw HTML in Markdown through).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from helpers import catalog, guards
from helpers import vocabulary as v
from helpers.config import KODE_KABUPATEN, PACKAGE_DIR
from helpers.publishing.fmt import angka, persen, rentang_tanggal, tanggal
from helpers.publishing.report_figures import days_left, register_name, short_name
from helpers.reference.figures import poverty_context
from helpers.reference.wilayah import kabupaten_name, sk_name
from helpers.statuses.verifikasi import ATURAN_FINAL

if TYPE_CHECKING:
    from helpers.publishing.report_data import ReportData


def esc(value: object) -> str:
    """``value`` as inert HTML text (``<``, ``>``, ``&`` and quotes escaped)."""
    return html.escape(str(value))


def cards(items: list[tuple[str, str]]) -> str:
    """Headline cards: [(value, label)] -> HTML."""
    parts = [
        f'<div class="kartu"><div class="nilai">{html.escape(v)}</div><div class="label">{html.escape(k)}</div></div>'
        for v, k in items
    ]
    return "<div>" + "".join(parts) + "</div>"


#: The styles of the headline cards and notes, shared with the report template (``{% include 'kartu.css' %}``).
CARD_STYLES = PACKAGE_DIR / "templates" / "laporan" / "kartu.css"


def notebook_styles() -> str:
    """A ``<style>`` block that gives the cards and notes in JupyterLab the look they have in the report (the
    report gets the same rules from its template)."""
    return f"<style>{CARD_STYLES.read_text(encoding='utf-8')}</style>"


def headline_cards(fig: dict, kode_kabupaten: str = KODE_KABUPATEN) -> str:
    return cards(
        [
            (angka(fig["sasaran_sk"]), f"jiwa dalam {sk_name(kode_kabupaten)}"),
            (angka(fig["keluar_desil1"]), "sudah keluar dari desil 1"),
            (angka(fig["masih_desil1"]), "masih di desil 1"),
            (angka(fig["intervensi_optimal"]), "diintervensi optimal"),
            (angka(fig["intervensi_belum_optimal"]), "diintervensi belum optimal"),
            (angka(fig["belum_intervensi"]), "belum diintervensi"),
            (angka(fig["perlu_tindakan"]), "perlu tindakan segera"),
        ]
    )


# --------------------------------------------------------------------------- paragraphs


def sk_title(data: ReportData) -> str:
    """"SK Bupati" / "SK Wali Kota" for the report's kabupaten/kota."""
    return sk_name(data.kode_kabupaten)


def _share(part: int, whole: int) -> str:
    return persen(100 * part / whole, 2) if whole else "–"


#: How ``belum_intervensi`` relates to "belum optimal" (one sentence, in the intro and definitions).
BELUM_INTERVENSI_SENTENCE = (
    "\"Belum optimal\" berarti sudah menerima intervensi tetapi belum optimal, sedangkan \"belum diintervensi\" "
    "berarti masih di desil 1 tanpa satu pun intervensi tercatat sampai tanggal laporan; keduanya tidak tumpang "
    "tindih."
)


def belum_intervensi_sentence(fig: dict | None = None) -> str:
    """:data:`BELUM_INTERVENSI_SENTENCE`, followed, when the figures ``fig`` show that everyone still in desil 1
    has received an intervention, by a sentence saying so (said only where the data says it)."""
    if fig and fig.get("masih_desil1") and fig.get("belum_intervensi") == 0:
        return (
            BELUM_INTERVENSI_SENTENCE + f" Sampai tanggal laporan, seluruh {angka(fig['masih_desil1'])} jiwa yang "
            "masih di desil 1 sudah menerima intervensi."
        )
    return BELUM_INTERVENSI_SENTENCE


def _other_presence(f: dict) -> str:
    other = f["intervensi_belum_optimal"] - f["belum_optimal_masih_ada"] - f["belum_optimal_meninggal"]
    return f", {angka(other)} jiwa pindah, tidak ditemukan atau belum diverifikasi" if other else ""


def intro(data: ReportData, report_date: str, target_date: str) -> str:
    """The opening paragraph of a report, in Indonesian with Indonesian formatting."""
    f = data.angka
    kode_kabupaten = data.kode_kabupaten
    where = esc(f"Kecamatan {data.nama}" if data.kode else kabupaten_name(kode_kabupaten))
    left = days_left(report_date, target_date)
    deadline = (
        f"Sisa waktu menuju target nol kemiskinan ekstrem ({tanggal(target_date)}): **{angka(left)} hari**."
        if left >= 0
        else f"Target {tanggal(target_date)} telah lewat {angka(-left)} hari."
    )
    return (
        f"Keadaan per **{tanggal(report_date)}** untuk **{where}**. Dari **{angka(f['sasaran_sk'])} jiwa** sasaran "
        f"{sk_title(data)}, **{angka(f['keluar_desil1'])} jiwa** ({_share(f['keluar_desil1'], f['sasaran_sk'])} persen) "
        f"sudah tidak lagi berada di desil 1 {esc(register_name(data))} dan **{angka(f['masih_desil1'])} jiwa** masih di "
        "desil 1. "
        f"Dari yang masih di desil 1, **{angka(f['intervensi_optimal'])} jiwa** sudah diintervensi optimal oleh OPD, "
        f"**{angka(f['intervensi_belum_optimal'])} jiwa** diintervensi belum optimal — "
        f"{angka(f['belum_optimal_masih_ada'])} jiwa masih ada dan {angka(f['belum_optimal_meninggal'])} jiwa "
        f"meninggal dunia{_other_presence(f)} — dan **{angka(f['belum_intervensi'])} jiwa** belum diintervensi "
        f"sama sekali. {belum_intervensi_sentence(f)} {deadline}\n\n"
        f"**Perlu tindakan segera: {angka(f['perlu_tindakan'])} jiwa** (masih di desil 1, intervensi belum optimal "
        "atau belum ada, dan tidak meninggal atau pindah)."
    )


def matching_text(data: ReportData) -> str:
    """The paragraph introducing the padu padan funnel."""
    return (
        f"Setiap jiwa dalam {sk_title(data)} dipadankan dengan data {register_name(data)}: pertama menurut NIK (setelah NIK "
        "dibersihkan), lalu — bila NIK rusak atau salah ketik — menurut kemiripan nama di desa yang sama dan tanggal "
        "lahir. Bagan berikut menunjukkan ke mana setiap sasaran berakhir; di setiap tingkat, kotak-kotak di bawah "
        "menjumlah tepat ke kotak di atasnya (masih di desil 1 = intervensi optimal + belum optimal + belum "
        "diintervensi)."
    )


def deprivation_text(data: ReportData) -> str:
    """The paragraph introducing the deprivation profile (housing conditions are P3KE's, whatever the register:
    for DTSEN, the P3KE family of the same people)."""
    dtsen = data.run.get("register") == v.DTSEN
    source = f"{v.P3KE_LABEL} (keluarga P3KE dari orang yang sama)" if dtsen else v.P3KE_LABEL
    return (
        f"Kondisi rumah keluarga sasaran yang masih di desil 1 menurut {source}, dan strategi nasional yang "
        "ditunjuk oleh setiap kondisi (aturan di `src/helpers/data/deprivasi.csv`, dapat diubah TKPK)."
    )


def exclusion_text(data: ReportData) -> str:
    """The paragraph introducing the possible exclusion errors."""
    return (
        f"Penduduk desil 1 {register_name(data)} yang **tidak** tercantum dalam {sk_title(data)}. Mereka bukan sasaran SK, "
        "tetapi perlu dicermati: sebagian mungkin seharusnya masuk daftar sasaran."
    )


def context_text(kode_kabupaten: str = KODE_KABUPATEN, label: str = v.P3KE_LABEL) -> str:
    """BPS poverty context of the kabupaten from ``kemiskinan_bps.csv``; when the table has no figures for it, one
    sentence saying so, with the province and national rates. ``label``: the register whose desil 1 is the
    operational measure (:func:`register_name`)."""
    table = poverty_context()
    name = kabupaten_name(kode_kabupaten)
    rate = table[table["indikator"] == "persentase_penduduk_miskin"].set_index(["wilayah", "tahun"])["nilai"]
    own = table[table["wilayah"] == name]
    poor = own[own["indikator"] == "jumlah_penduduk_miskin"].set_index("tahun")["nilai"]
    line = own[own["indikator"] == "garis_kemiskinan"]["nilai"]
    needed = [(name, 2023), (name, 2024), (name, 2025)]
    note = (
        "*Catatan definisi:* kemiskinan ekstrem diukur BPS dengan garis pengeluaran (USD 1,9 PPP per hari hingga "
        f"2024); dalam laporan ini \"masih di desil 1 {label}\" dipakai sebagai ukuran operasional, sesuai "
        f"praktik TKPK {name}."
    )
    if not (all(k in rate.index for k in needed) and {2023, 2024} <= set(poor.index) and len(line)):
        return (
            f"Angka kemiskinan BPS untuk {name} belum dimuat dalam tabel rujukan "
            f"(src/helpers/data/kemiskinan_bps.csv); sebagai pembanding, persentase penduduk miskin Jawa Timur "
            f"{persen(rate['Provinsi Jawa Timur', 2024])} persen dan Indonesia {persen(rate['Indonesia', 2024])} "
            "persen (Maret 2024).\n\n" + note
        )
    short = name.removeprefix("Kabupaten ").removeprefix("Kota ")
    change = "turun" if rate[name, 2024] < rate[name, 2023] else "naik"
    others = [rate["Provinsi Jawa Timur", 2024], rate["Indonesia", 2024]]
    position = "di bawah" if rate[name, 2024] < min(others) else "di atas" if rate[name, 2024] > max(others) else "dibandingkan"
    return (
        f"Menurut BPS (Susenas Maret), persentase penduduk miskin {name} {change} dari "
        f"{persen(rate[name, 2023])} persen (2023) menjadi {persen(rate[name, 2024])} "
        f"persen (2024), {position} Jawa Timur ({persen(rate['Provinsi Jawa Timur', 2024])} persen) dan Indonesia "
        f"({persen(rate['Indonesia', 2024])} persen). Jumlah penduduk miskin {short} {persen(poor[2023])} ribu jiwa "
        f"(2023) dan {persen(poor[2024])} ribu jiwa (2024); garis kemiskinan 2024 Rp{angka(line.iloc[0])} per kapita per "
        f"bulan. Pada 2025 angkanya {persen(rate[name, 2025])} persen.\n\n" + note
    )


def round_label(entry: dict) -> str:
    """A round as the field knows it: ``"Minggu 41 (7–13 Okt 2024)"`` or ``"Putaran 4 (1–5 Nov 2024)"``."""
    name = entry.get("nama_putaran") or f"Putaran {entry['putaran']}"
    start, end = entry.get("periode_awal", entry["tanggal"]), entry.get("periode_akhir", entry["tanggal"])
    return f"{name} ({rentang_tanggal(start, end)})"


def ignored_notes(summary: dict) -> list[str]:
    """One sentence per input with rows left out of this report (ignored, or records repeated in another file and
    counted once), each naming its review list. Empty when nothing was left out."""
    lists = {"intervensi": catalog.INTERVENSI_MASALAH.path, "verifikasi": catalog.KEBERADAAN_MASALAH.path}
    notes = []
    for name, kinds in summary.get("diabaikan", {}).items():
        parts = [f"{angka(n)} {guards.JENIS_DIABAIKAN.get(k, k)}" for k, n in kinds.items() if n]
        if parts:
            notes.append(f"Data {name}: {', '.join(parts)} — tidak dipakai untuk laporan ini (daftar dengan file dan "
                         f"barisnya: data/processed/{lists.get(name, '')}).")  # fmt: skip
    for name, n in summary.get("catatan_ganda", {}).items():
        if n:
            notes.append(f"Data {name}: {angka(n)} catatan sama yang tertulis lagi di file lain (atau ditulis berbeda) "
                         f"dihitung satu kali (data/processed/{catalog.INTERVENSI_GANDA.path}).")  # fmt: skip
    return notes


def _dtsen_decile(run: dict) -> str:
    """For DTSEN: which of its three deciles the report uses (empty for P3KE)."""
    if run.get("register") != v.DTSEN:
        return ""
    level = {"kabupaten": "kabupaten/kota", "provinsi": "provinsi", "nasional": "nasional"}[run["desil_dtsen"]]
    return (
        f" Desil DTSEN yang dipakai: desil {level} (peringkat kesejahteraan di antara penduduk {level}; DTSEN "
        "memuat desil nasional, provinsi dan kabupaten/kota)."
    )


def definitions(data: ReportData) -> str:
    run = {k: esc(value) if isinstance(value, str) else value for k, value in data.run.items()}
    label = esc(register_name(data))
    short = short_name(label)
    return (
        "**Definisi yang berlaku dalam laporan ini**\n\n"
        f"- *Keluar dari desil 1*: sasaran SK yang padan dengan {label} dan berada di desil 2 atau lebih."
        f"{_dtsen_decile(run)}\n"
        f"- *Masih di desil 1*: sasaran SK yang padan dengan {label} dan berada di desil 1.\n"
        f"- *Intervensi optimal*: {run['definisi_optimal']}\n"
        f"- *Padu padan*: setiap pasangan sasaran SK–{short} dinilai dengan model probabilistik (Fellegi–Sunter) atas "
        "bagian-bagian NIK, nama yang dinormalkan (ejaan lama, singkatan, gelar), tanggal lahir, desa dan jenis "
        f"kelamin. Padan otomatis bila bobot padan minimal {angka(run['ambang_padan'], 1)} bit, nama mirip, NIK "
        "atau tanggal lahir cocok, dan kandidat berikutnya jauh lebih lemah; NIK sama tetapi nama berbeda tidak "
        f"pernah dipadankan otomatis. Bobot antara {angka(run['ambang_tinjau'], 1)} dan "
        f"{angka(run['ambang_padan'], 1)} bit: tinjau manual; di bawahnya: tidak padan. Satu orang {short} hanya "
        "untuk satu sasaran.\n"
        "- *Perlu tindakan*: masih di desil 1, intervensi belum optimal atau belum ada, dan tidak meninggal atau "
        "pindah menurut verifikasi camat terakhir.\n"
        "- *Masih di desil 1* = *intervensi optimal* + *intervensi belum optimal* + *belum diintervensi*. "
        f"{BELUM_INTERVENSI_SENTENCE}\n"
        f"- *Keberadaan*: status verifikasi camat terakhir sampai tanggal laporan. {ATURAN_FINAL}\n"
        "- *Putaran verifikasi*: satu masa penyisiran, bukan satu tanggal. Baris formulir yang mencantumkan nomor "
        "putaran dikelompokkan menurut nomor itu; baris tanpa nomor dikelompokkan menurut minggu kalender (ISO, "
        "Senin–Minggu) tanggal verifikasinya. Angka setiap putaran adalah keadaan kumulatif pada tanggal verifikasi "
        "terakhir dalam putaran tersebut.\n"
        "- *Formulir verifikasi*: memuat semua sasaran yang masih di desil 1 (yang perlu tindakan lebih dulu "
        f"disebut), semua sasaran yang belum ditemukan di {short}, dan semua sasaran yang padanannya perlu ditinjau.\n"
        f"- Data intervensi dan verifikasi dihitung sampai tanggal laporan ({tanggal(run['report_date'])})."
    )
