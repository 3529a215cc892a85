"""The province view for the TKPK of Jawa Timur: one table and one choropleth of the 38 kabupaten/kota, built
from the ``summary.json`` of each kabupaten's own run, in a small offline HTML page linking to each report.

:func:`province_table` puts the summaries on the province's list of kabupaten/kota (the ones without a run are
kept, marked ``ada_data`` False); :func:`province_map` draws people still in desil 1 per kabupaten/kota, the ones
without data hatched as "Tidak ada data"; :func:`write_province_report` writes ``laporan_provinsi.html`` and its
map ``peta_provinsi.png`` (embedded in the page, which loads nothing from other hosts).
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import pandas as pd

from helpers import catalog, outputs
from helpers.config import KODE_PROVINSI, NAMA_PROVINSI
from helpers.publishing import fmt, maps
from helpers.publishing.boundaries import describe_source, load_province
from helpers.reference import wilayah

REPORT_NAME = "laporan_provinsi.html"
MAP_NAME = "peta_provinsi.png"
NO_DATA = "Tidak ada data"
SPEC = maps.MapSpec(
    "masih_desil1",
    "Sasaran yang masih di desil 1 P3KE 2024 menurut kabupaten/kota",
    "Jumlah (jiwa)",
    "YlOrRd",
    label_kosong=NO_DATA,
)
COLUMNS = ("sasaran_sk", "keluar_desil1", "masih_desil1", "intervensi_optimal", "intervensi_belum_optimal",
           "belum_intervensi")  # fmt: skip


def read_summaries(paths: dict[str, str | Path]) -> dict[str, dict]:
    """``{kode_kabupaten: summary}`` from ``{kode_kabupaten: path of summary.json or of its processed folder}``."""
    summaries = {}
    for kode, path in paths.items():
        path = Path(path)
        path = catalog.SUMMARY.at(path) if path.is_dir() else path
        summaries[wilayah.normalise_code(kode)] = json.loads(path.read_text(encoding="utf-8"))
    return summaries


def _population(summary: dict) -> int | None:
    """The kabupaten's population: the sum over its kecamatan, when every kecamatan has a figure."""
    values = [row.get("penduduk") for row in summary.get("per_kecamatan", [])]
    return int(sum(values)) if values and all(v is not None for v in values) else None


def province_table(summaries: dict[str, dict], kode_provinsi: str = KODE_PROVINSI) -> pd.DataFrame:
    """One row per kabupaten/kota of the province: ``kode``, ``nama``, ``ada_data``, the counts of
    :data:`COLUMNS` (missing without data), ``penduduk`` and ``masih_desil1_per_1000`` (missing without a
    population figure for every kecamatan)."""
    table = wilayah.kabupaten_table(kode_provinsi).copy()
    unknown = sorted(set(summaries) - set(table["kode"]))
    if unknown:
        raise ValueError(f"not kabupaten/kota of province {kode_provinsi}: {unknown}")
    table["ada_data"] = table["kode"].isin(summaries)
    for column in COLUMNS:
        table[column] = pd.array([summaries[k].get(column) if k in summaries else None for k in table["kode"]],
                                 dtype="Int64")  # fmt: skip
    table["penduduk"] = pd.array([_population(summaries[k]) if k in summaries else None for k in table["kode"]],
                                 dtype="Int64")  # fmt: skip
    rate = table["masih_desil1"].astype("Float64") / table["penduduk"].astype("Float64") * 1000
    table["masih_desil1_per_1000"] = rate.astype("float64")
    return table


def province_map(table: pd.DataFrame, report_date: str | None = None):
    """The choropleth of people still in desil 1 per kabupaten/kota (a matplotlib Figure)."""
    areas = load_province()
    if areas is None:
        raise FileNotFoundError("jatim_kabupaten.geojson is missing")
    labels = table.assign(nama=table["nama"].str.removeprefix("Kabupaten "))  # "Malang", "Kota Malang": room on the map
    areas = areas.drop(columns="nama").merge(labels[["kode", "nama"]], on="kode")
    metrics = table[["kode", SPEC.kolom]].assign(**{SPEC.kolom: table[SPEC.kolom].astype("float64")})
    with_data = int(table["ada_data"].sum())
    when = f" · keadaan {fmt.tanggal(report_date)}" if report_date else ""
    text = maps.MapText(
        judul=SPEC.judul,
        subjudul=f"Provinsi {NAMA_PROVINSI}: {with_data} dari {len(table)} kabupaten/kota dengan data{when}",
        sumber=f"ringkasan (summary.json) hasil olahan tiap kabupaten/kota; batas wilayah: {describe_source(areas)}.",
        catatan=(maps.DEFINITION_NOTE, f"{NO_DATA}: kabupaten/kota yang ringkasannya belum diterima."),
        inset_judul="",
        ringkasan=f"Kabupaten/kota dengan data: {fmt.jiwa(table[SPEC.kolom].sum())}",
    )
    return maps.plot_map(areas, metrics, SPEC, text, k=5, label_size=5.5)


def _row(record, links: dict[str, str]) -> str:
    name = html.escape(record.nama)
    if record.kode in links:
        name = f'<a href="{html.escape(links[record.kode])}">{name}</a>'
    if not record.ada_data:
        return f'<tr><td>{html.escape(record.kode)}</td><td>{name}</td><td colspan="5">{html.escape(NO_DATA)}</td></tr>'
    cells = [fmt.angka(getattr(record, c)) for c in ("sasaran_sk", "keluar_desil1", "masih_desil1", "belum_intervensi")]
    rate = record.masih_desil1_per_1000
    cells.append("–" if pd.isna(rate) else fmt.per_seribu(rate))
    right = "".join(f'<td style="text-align:right">{html.escape(c)}</td>' for c in cells)
    return f"<tr><td>{html.escape(record.kode)}</td><td>{name}</td>{right}</tr>"


def province_html(table: pd.DataFrame, png: bytes, links: dict[str, str], report_date: str | None = None) -> str:
    """The offline page: title, the map (embedded PNG), a sentence on coverage and the table with links."""
    when = fmt.tanggal(report_date) if report_date else ""
    missing_rate = int((table["ada_data"] & table["masih_desil1_per_1000"].isna()).sum())
    notes = [
        f"{int(table['ada_data'].sum())} dari {len(table)} kabupaten/kota sudah mengirim ringkasan hasil olahan; "
        f"yang lain ditandai \"{NO_DATA}\"."
    ]
    if missing_rate:
        notes.append(f"Angka per 1.000 penduduk tidak tersedia untuk {missing_rate} kabupaten/kota karena data "
                     "penduduk per kecamatannya belum lengkap; yang ditampilkan jumlah jiwa.")  # fmt: skip
    head = ("<tr><th>Kode</th><th>Kabupaten/Kota</th><th>Sasaran SK</th><th>Keluar desil 1</th>"
            "<th>Masih desil 1</th><th>Belum diintervensi</th><th>Masih desil 1 per 1.000 penduduk</th></tr>")  # fmt: skip
    rows = "".join(_row(r, links) for r in table.itertuples(index=False))
    image = base64.b64encode(png).decode("ascii")
    title = f"Pemantauan Kemiskinan Ekstrem — Provinsi {NAMA_PROVINSI}" + (f" — {when}" if when else "")
    return (
        '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#222}"
        "table{border-collapse:collapse;font-size:0.9rem}td,th{border:1px solid #ccc;padding:0.2rem 0.5rem}"
        "img{max-width:100%}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n"
        f'<img alt="Peta sasaran yang masih di desil 1 menurut kabupaten/kota" src="data:image/png;base64,{image}">\n'
        + "".join(f"<p>{html.escape(n)}</p>\n" for n in notes)
        + f"<table><thead>{head}</thead><tbody>{rows}</tbody></table>\n</body>\n</html>\n"
    )


def write_province_report(
    summaries: dict[str, dict],
    out_dir: str | Path,
    links: dict[str, str] | None = None,
    report_date: str | None = None,
) -> Path:
    """Write ``<out_dir>/laporan_provinsi.html`` (and ``peta_provinsi.png``); ``links``: kabupaten code -> the
    address of its report, relative to ``out_dir`` (e.g. ``35.07/2024-11-06/laporan_kabupaten.html``)."""
    out = Path(out_dir)
    table = province_table(summaries)
    png = maps.save_figure(province_map(table, report_date), out / MAP_NAME).read_bytes()
    page = province_html(table, png, links or {}, report_date)
    return outputs.write_text(page, out / REPORT_NAME)
