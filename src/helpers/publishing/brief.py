"""The one-page brief for the Bupati: ``reports/<date>/ringkasan_bupati.html``.

Self-contained like the reports (no script, the chart embedded), printable on one A4 page: the headline figures with
their change since the last report, the projection against the target date, the kecamatan furthest behind and what
is asked of whom. Every figure and sentence comes from ``summary.json`` (:mod:`helpers.statuses.history`); no names,
no NIKs.
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

import jinja2

from helpers import catalog, outputs
from helpers import params as params_mod
from helpers.config import PACKAGE_DIR
from helpers.publishing import charts, opd, progress
from helpers.publishing.fmt import angka, tanggal
from helpers.reference.wilayah import jabatan_kepala_daerah, kabupaten_name, kepala_daerah

FILE_NAME = "ringkasan_bupati.html"
TEMPLATES = PACKAGE_DIR / "templates" / "ringkasan"
#: The headline cards: (summary key, label); the last is the one the brief is about.
CARDS = (
    ("sasaran_sk", "jiwa dalam SK {kepala}"),
    ("keluar_desil1", "sudah keluar dari desil 1"),
    ("masih_desil1", "masih di desil 1"),
    ("intervensi_optimal", "diintervensi optimal"),
    ("intervensi_belum_optimal", "diintervensi belum optimal"),
    ("belum_intervensi", "belum diintervensi"),
    ("diverifikasi", "sudah diverifikasi camat"),
    ("perlu_tindakan", "perlu tindakan segera"),
)


@cache
def environment() -> jinja2.Environment:
    """The templates of the brief and the index; every value is escaped (``autoescape``)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)


def _change(summary: dict, key: str) -> str:
    points = progress.series(summary)
    if len(points) < 2 or points[-2][1].get(key) is None or summary.get(key) is None:
        return ""
    diff = summary[key] - points[-2][1][key]
    return f"{'+' if diff > 0 else ''}{angka(diff)} sejak {tanggal(points[-2][0])}" if diff else "tetap"


def requests(summary: dict, opd_behind: list[str] | None = None, jabatan: str = "Bupati") -> list[tuple[str, str]]:
    """What is asked of whom, from the figures (a request only where there is something to do); ``opd_behind``: the
    OPD with most people waiting for them, first."""
    asked = []
    if summary["perlu_tindakan"]:
        focus = summary.get("belum_optimal_masih_ada", 0)
        extra = (f", terutama {angka(focus)} jiwa yang sudah diintervensi tetapi belum optimal dan masih ada"
                 if focus else "")  # fmt: skip
        first = f" (dahulukan {', '.join(opd_behind[:3])})" if opd_behind else ""
        asked.append(("Kepala OPD", f"mengoptimalkan intervensi bagi {angka(summary['perlu_tindakan'])} jiwa yang "
                                    f"perlu tindakan segera{extra}{first}."))  # fmt: skip
    unverified = summary["masih_desil1"] - summary["diverifikasi"]
    if unverified > 0:
        behind = ", ".join(p["nama"] for p in progress.behind(summary))
        where = f" (dahulukan Kecamatan {behind})" if behind else ""
        asked.append(("Camat", f"menyisir dan melaporkan keberadaan {angka(unverified)} jiwa yang masih di desil 1 "
                               f"dan belum diverifikasi{where}."))  # fmt: skip
    asked.append(("Sekretariat TKPK", f"mengirim daftar BNBA putaran {summary['putaran_berikutnya']} kepada camat dan "
                                      f"OPD, lalu melaporkan kemajuan berikutnya kepada {jabatan}."))  # fmt: skip
    return asked


def brief_html(summary: dict, kode_kabupaten: str, rounds: list[dict] | None = None,
               opd_table: tuple[list[str], list[list[str]]] | None = None) -> str:  # fmt: skip
    """The brief for ``summary`` (the kabupaten's ``summary.json``) as HTML; ``opd_table``: the OPD furthest
    behind (:func:`helpers.publishing.opd.behind_table`: headers, rows), none without it."""
    kepala = kepala_daerah(kode_kabupaten)
    opd_columns, opd_rows = opd_table or ([], [])
    kabupaten = kabupaten_name(kode_kabupaten)
    target = (summary.get("proyeksi") or {}).get("tanggal_target", summary["tanggal_laporan"])
    rounds = summary.get("per_putaran", []) if rounds is None else rounds
    chart = ""
    if progress.has_chart(summary, rounds):
        figure = progress.burndown_chart(summary, rounds)
        figure.set_size_inches(9, 2.7)
        chart = base64.b64encode(charts.png(figure)).decode("ascii")
    cards = [{"nilai": angka(summary[key]), "label": label.format(kepala=kepala), "ubah": _change(summary, key),
              "utama": key == "perlu_tindakan"} for key, label in CARDS]  # fmt: skip
    behind = [{"nama": p["nama"], "perlu": angka(p["perlu_tindakan"]),
               "laju": "–" if p["laju_per_minggu"] is None else angka(p["laju_per_minggu"], 1),
               "nol": tanggal(p["tanggal_nol"]) if p["tanggal_nol"] else "tidak tercapai pada laju ini"}
              for p in progress.behind(summary)]  # fmt: skip
    return environment().get_template("ringkasan_bupati.html.j2").render(
        instansi=f"Bappeda {kabupaten} · Sekretariat TKPK",
        judul=f"Ringkasan untuk {jabatan_kepala_daerah(kode_kabupaten)}: penghapusan kemiskinan ekstrem",
        wilayah=kabupaten,
        tanggal=tanggal(summary["tanggal_laporan"]),
        tanggal_target=tanggal(target),
        kartu_kartu=cards,
        perubahan=progress.changes_text(summary).replace("**", ""),
        proyeksi=progress.projection_text(summary).replace("**", ""),
        grafik=chart,
        kecamatan=behind,
        kecamatan_judul="Kecamatan paling tertinggal" if any(not p["tercapai_sebelum_target"]
                                                             for p in progress.behind(summary))
        else "Kecamatan dengan sisa terbanyak (semua mencapai nol sebelum target pada laju ini)",
        opd=opd_rows,
        opd_kolom=opd_columns,
        permintaan=requests(summary, [row[0] for row in opd_rows], jabatan_kepala_daerah(kode_kabupaten)),
        kaki=(f"Sumber: SK {kepala} tentang penduduk miskin ekstrem, register sasaran, laporan intervensi OPD dan "
              "verifikasi camat, diolah Bappeda. Dokumen ini tidak memuat nama atau NIK."),  # fmt: skip
    )


def write_brief(parameters: dict) -> Path:
    """``reports/<report_date>/ringkasan_bupati.html`` from the processed ``summary.json`` (and the OPD figures,
    :mod:`helpers.publishing.opd`, when the run has them)."""
    summary = catalog.read_json(catalog.SUMMARY, parameters["processed_dir"])
    table = None
    if opd.available(parameters["processed_dir"]):
        table = opd.behind_table(opd.figures(opd.load(parameters["processed_dir"], parameters["kode_kabupaten"])))
    out = params_mod.report_dir(parameters) / FILE_NAME
    return outputs.write_text(brief_html(summary, parameters["kode_kabupaten"], opd_table=table), out)


def keep_summary(parameters: dict) -> Path:
    """The run's ``summary.json`` kept beside its reports (the history of later runs, and the index, read it)."""
    summary = catalog.read_json(catalog.SUMMARY, parameters["processed_dir"])
    return outputs.write_json(summary, params_mod.report_dir(parameters) / catalog.SUMMARY.name)


def write_pages(parameters: dict) -> list[Path]:
    """The brief and one page per OPD (``reports/<date>/opd/``, :func:`helpers.publishing.opd.write_pages`)."""
    return [write_brief(parameters), *opd.write_pages(parameters)]


def publish(parameters: dict) -> list[Path]:
    """After the reports of a run: :func:`keep_summary`, :func:`write_pages` and ``reports/index.html`` listing
    every report date. (:func:`helpers.publishing.render.render_all` with ``publish=True`` does the same, the
    pages in its report processes beside the reports.)"""
    from helpers.publishing.index import write_index

    kept = keep_summary(parameters)
    return [kept, *write_pages(parameters), write_index(parameters["reports_dir"], parameters["kode_kabupaten"])]
