"""The report's HTML tables and the sections built around them (ranking, exclusion, register comparison, field
work, cases needing action, data quality). Personal data: with ``mask_pii`` the NIK is always masked; names appear
only in kecamatan case lists. Every cell is HTML-escaped (:func:`html_table`).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from helpers import guards
from helpers import vocabulary as v
from helpers.cleaning.nik import mask_series
from helpers.publishing import maps
from helpers.publishing.fmt import angka, per_seribu, persen, tanggal
from helpers.publishing.prose import esc, ignored_notes, round_label, sk_title
from helpers.publishing.report_figures import (
    cases_needing_action,
    exclusion_candidates,
    inputs_without_rows,
    ranking,
    register_name,
)
from helpers.reading.contract import INPUTS
from helpers.reference.figures import population_note
from helpers.reference.wilayah import kabupaten_name, kecamatan_table
from helpers.statuses import perbandingan
from helpers.vocabulary import ALASAN_LABELS, KEBERADAAN_LABELS, METODE_LABELS

if TYPE_CHECKING:
    from helpers.publishing.report_data import ReportData


def html_table(frame: pd.DataFrame, right: tuple[str, ...] = ()) -> str:
    """A small HTML table of already formatted text; numeric columns named in ``right`` align right."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record):
            style = ' style="text-align:right"' if column in right else ""
            cells.append(f"<td{style}>{html.escape('' if pd.isna(value) else str(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def round_table(rounds: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rounds)
    if frame.empty:
        return frame
    return pd.DataFrame(
        {
            "No": frame["putaran"],
            "Putaran": [round_label(r) for r in rounds],
            "Keadaan per": frame["tanggal"].map(tanggal),
            "Diverifikasi": frame["diverifikasi"].map(angka),
            "Ada": frame["ada"].map(angka),
            "Meninggal": frame["meninggal"].map(angka),
            "Pindah": frame["pindah"].map(angka),
            "Tidak ditemukan": frame["tidak_ditemukan"].map(angka),
            "Perlu tindakan": frame["perlu_tindakan"].map(angka),
        }
    )


def match_methods(padan: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {"Metode padan": list(METODE_LABELS.values()), "Jiwa": [angka(padan.get(k, 0)) for k in METODE_LABELS]}
    )


def data_quality(summary: dict) -> pd.DataFrame:
    """Rows read, dropped as duplicates and quarantined per input, in the contract's order and by their
    Indonesian names; an optional input without any row is left out (:func:`inputs_without_rows` names it)."""
    read = summary["baris_masuk"]
    inputs = [name for name, spec in INPUTS.items() if name in read and (read[name] or not spec.may_be_absent)]
    inputs += [name for name in read if name not in INPUTS]
    ignored = summary.get("diabaikan", {})
    return pd.DataFrame(
        {
            "Data": [INPUTS[i].label if i in INPUTS else i for i in inputs],
            "Baris dibaca": [angka(summary["baris_masuk"][i]) for i in inputs],
            "Duplikat dibuang": [angka(summary["baris_duplikat"].get(i, 0)) for i in inputs],
            "Dikarantina": [angka(summary["baris_karantina"].get(i, 0)) for i in inputs],
            "Diabaikan": [angka(guards.ignored_total(ignored.get(i, {}))) for i in inputs],
        }
    )


def format_deprivation(profile: pd.DataFrame) -> str:
    shown = pd.DataFrame(
        {
            "Kondisi rumah tangga": profile["indikator"],
            "Keluarga": profile["keluarga"].map(angka),
            "Persen": profile["persen"].map(lambda v: persen(v, 1)),
            "Strategi yang ditunjuk": profile["strategi"],
            "Contoh program": profile["program_contoh"],
        }
    )
    return html_table(shown, right=("Keluarga", "Persen"))


# --------------------------------------------------------------------------- sections


def ranking_section(data: ReportData) -> str:
    table = ranking(data)
    shown = {
        "No": table["peringkat"],
        "Desa/Kelurahan" if data.kode else "Kecamatan": table["nama"],
        "Sasaran SK": table["jumlah_sk"].map(angka),
        "Keluar desil 1": table["keluar_desil1"].map(angka),
        "Masih desil 1": table["masih_desil1"].map(angka),
    }
    rates = not data.kode and maps.has_population(table)
    if rates:
        shown["per 1.000 penduduk"] = table["masih_desil1_per_1000"].map(per_seribu)
    shown["Optimal"] = table["optimal"].map(angka)
    shown["Belum optimal"] = table["belum_optimal"].map(angka)
    shown["Belum diintervensi"] = table["belum_intervensi"].map(angka)
    shown["Perlu tindakan"] = table["perlu_tindakan"].map(angka)
    shown["% terverifikasi"] = table["persen_terverifikasi"].map(lambda v: persen(v, 1))
    frame = pd.DataFrame(shown)
    note = (
        '<p class="catatan">Diurutkan menurut jumlah sasaran yang masih di desil 1'
        + (f" per 1.000 penduduk ({esc(table.attrs['sumber_penduduk'])})" if rates else "")
        + ". Masih desil 1 = Optimal + Belum optimal + Belum diintervensi. \"Belum optimal\": sudah diintervensi "
        "tetapi belum optimal (termasuk yang meninggal atau pindah); \"Belum diintervensi\": belum tercatat "
        "menerima intervensi apa pun."
        + ("" if data.kode or not _population_note(data) else f" {esc(_population_note(data))}")
        + "</p>"
    )
    return html_table(frame, right=tuple(frame.columns[2:])) + note


def _population_note(data: ReportData) -> str:
    return population_note(data.kode_kabupaten, data.raw_dir)


def exclusion_section(data: ReportData) -> str:
    table = exclusion_candidates(data.individu, data.status_all, data.kode)
    total = int(table["jumlah"].sum())
    level = "desa/kelurahan" if data.kode else "kecamatan"
    if data.kode:
        shown = table.head(15)
    else:
        areas = kecamatan_table(data.kode_kabupaten, data.raw_dir)
        population = areas.set_index("kode")["penduduk"]
        shown = table.assign(per_1000=table["kode"].map(population).pipe(lambda p: table["jumlah"] / p * 1000))
        if shown["per_1000"].isna().all():
            shown = shown.drop(columns="per_1000")
    frame = pd.DataFrame({level.capitalize(): shown["nama"], "Jiwa desil 1 di luar SK": shown["jumlah"].map(angka)})
    if "per_1000" in shown:
        frame["per 1.000 penduduk"] = shown["per_1000"].map(per_seribu)
    intro_text = (
        f"<p>Sebanyak <b>{angka(total)} jiwa</b> berada di desil 1 {esc(register_name(data))} tetapi tidak tercantum dalam "
        f"{sk_title(data)}. Sebaran menurut {level}"
        + (" (15 terbanyak)" if data.kode and len(table) > 15 else "")
        + ":</p>"
    )
    return intro_text + html_table(frame, right=tuple(frame.columns[1:]))


def comparison_section(data: ReportData) -> str:
    """For a DTSEN run with P3KE cleaned too: how many SK people left and entered desil 1 between P3KE 2024 and
    DTSEN (counts only; the list, NIK masked, is ``tinjau/perbandingan_register.csv``). Empty otherwise."""
    frame = data.perbandingan
    if frame is None:
        return ""
    found = perbandingan.counts(frame)
    where = esc(f"Kecamatan {data.nama}" if data.kode else kabupaten_name(data.kode_kabupaten))
    label = esc(register_name(data))
    rows = pd.DataFrame({"Perubahan": [v.PERUBAHAN_LABELS[c] for c in v.PERUBAHAN],
                         "Jiwa": [angka(found[c]) for c in v.PERUBAHAN]})  # fmt: skip
    return (
        f"<h2>Perbandingan {v.P3KE_LABEL} → {label}</h2>"
        f"<p>Sasaran {sk_title(data)} di {where} menurut desil 1 di kedua register: <b>{angka(found[v.KELUAR])} "
        f"jiwa</b> masih di desil 1 {v.P3KE_LABEL} tetapi sudah di luar desil 1 {label}, dan "
        f"<b>{angka(found[v.MASUK])} jiwa</b> sebaliknya: sudah keluar dari desil 1 {v.P3KE_LABEL} "
        f"tetapi berada di desil 1 {label}.</p>"
        + html_table(rows, right=("Jiwa",))
        + '<p class="catatan">Daftar per orang (NIK tersamar) ada di data/processed/tinjau/perbandingan_register.csv, '
        "hanya untuk petugas yang menindaklanjuti.</p>"
    )


def field_work_section(data: ReportData, mask_pii: bool = True) -> str:
    """Who the camat's verification forms list and why (counts; for a kecamatan also the people without a
    P3KE record, NIK masked)."""
    f = data.angka
    where = esc(f"Kecamatan {data.nama}" if data.kode else "seluruh kecamatan")
    parts = [
        f"{angka(f['formulir_' + code])} jiwa: {ALASAN_LABELS[code].lower()}" for code in v.ALASAN_DIDATANGI
    ]
    text = (
        f"<p>Formulir verifikasi lapangan {where} memuat <b>{angka(f['formulir'])} jiwa</b>: "
        + "; ".join(parts)
        + ". Kolom \"Alasan Didatangi\" pada formulir menyebut alasan setiap orang. Sasaran yang belum ditemukan "
        "di P3KE didatangi dengan data SK (nama, NIK SK, desa, alamat); bila ditemukan, petugas menulis NIK-nya "
        "di kolom \"NIK Temuan Lapangan\" dan temuan itu ditinjau Sekretariat TKPK sebelum dipadankan.</p>"
    )
    if not data.kode:
        return text
    status = data.status
    unmatched = status[status["status_desil"].isin((v.TIDAK_PADAN, v.TINJAU_MANUAL))].sort_values(["nama_desa", "nama"])
    if unmatched.empty:
        return text
    nik = mask_series(unmatched["nik"]) if mask_pii else unmatched["nik"]
    table = pd.DataFrame(
        {
            "NIK (SK)": nik.to_numpy(),
            "Nama": unmatched["nama"].to_numpy(),
            "Desa/Kelurahan": unmatched["nama_desa"].to_numpy(),
            "Alasan didatangi": unmatched["status_desil"].map(ALASAN_LABELS).to_numpy(),
            "Keberadaan": unmatched["status_keberadaan"].map(KEBERADAAN_LABELS).to_numpy(),
        }
    )
    return text + html_table(table)


def cases_section(data: ReportData, mask_pii: bool = True) -> str:
    """Kecamatan reports only: the list of cases needing action (NIK masked)."""
    if not data.kode:
        return ""
    cases = cases_needing_action(data.status, mask_pii)
    head = "<h2>Daftar sasaran yang perlu tindakan</h2>"
    if cases.empty:
        return head + "<p>Tidak ada sasaran yang perlu tindakan pada tanggal laporan ini.</p>"
    return (
        head
        + f"<p>{angka(len(cases))} jiwa masih di desil 1 dengan intervensi belum optimal atau belum ada, dan "
        "tidak meninggal atau pindah. NIK disamarkan; daftar lengkap ada pada formulir verifikasi camat.</p>"
        + html_table(cases)
    )


def quality_section(data: ReportData) -> str:
    summary = data.summary
    notes = "".join(f'<p class="catatan">{html.escape(n)}</p>' for n in ignored_notes(summary))
    warnings = "".join(f'<p class="catatan"><strong>Peringatan:</strong> {html.escape(w)}</p>'
                       for w in summary.get("peringatan", []))  # fmt: skip
    absent = inputs_without_rows(summary)
    return (
        "<h3>Baris data yang dibaca</h3>"
        + html_table(data_quality(summary), right=("Baris dibaca", "Duplikat dibuang", "Dikarantina", "Diabaikan"))
        + '<p class="catatan">Baris yang dikarantina tercatat beserta alasannya di data/processed/karantina/.'
        + (f" Tidak ada data: {', '.join(html.escape(a) for a in absent)}." if absent else "")
        + "</p>"
        + notes
        + warnings
        + "<h3>Metode padu padan (seluruh kabupaten)</h3>"
        + html_table(match_methods(summary["padan"]), right=("Jiwa",))
    )
