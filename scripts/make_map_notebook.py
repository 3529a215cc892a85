"""Writes notebooks/03_map.ipynb (no outputs, no execution counts)."""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell(
        "# 03 · Peta sebaran sasaran kemiskinan ekstrem\n"
        "\n"
        "Notebook ini memetakan keadaan 7.408 sasaran SK Bupati menurut **kecamatan**, dan menurut **desa/kelurahan** "
        "di setiap kecamatan bila batas desa tersedia:\n"
        "\n"
        "- sasaran yang **masih di desil 1** P3KE 2024 (jumlah, dan per 1.000 penduduk);\n"
        "- persentase sasaran SK yang **sudah keluar dari desil 1**;\n"
        "- sasaran desil 1 yang **belum diintervensi optimal**;\n"
        "- **cakupan verifikasi lapangan** oleh camat (persentase sasaran desil 1 yang sudah dilaporkan keberadaannya).\n"
        "\n"
        "Desil 1 P3KE 2024 dipakai sebagai ukuran operasional kemiskinan ekstrem (bukan garis pengeluaran BPS).\n"
        "\n"
        "**Masukan:** `status_sasaran.parquet` dari `02_match`. **Batas wilayah:** file pada parameter `boundary_path`, "
        "atau file peta (GeoPackage, Shapefile, GeoJSON) di `data/raw/batas_wilayah/`. Tanpa file batas, dibuat "
        "*peta skematis* dari titik pusat kecamatan yang diberi keterangan jelas.\n"
        "**Keluaran:** gambar PNG di `reports/<tanggal>/peta/`. Semua perhitungan ada di `helpers.maps` dan "
        "`helpers.boundaries`; notebook ini hanya menjalankan dan menampilkan."
    ),
    new_code_cell(
        'processed_dir = ""  # kosong: data/processed proyek\n'
        'reports_dir = ""  # kosong: reports/ proyek\n'
        'report_date = "2024-11-06"\n'
        'boundary_path = ""  # file/folder batas wilayah; kosong: <raw_dir>/batas_wilayah/\n'
        'raw_dir = ""  # kosong: data/raw proyek\n'
        'kecamatan = ""  # nama atau kode; kosong: peta desa semua kecamatan\n'
        'kode_kabupaten = "35.17"',
        metadata={"tags": ["parameters"]},
    ),
    new_code_cell(
        "from IPython.display import Image, Markdown, display\n"
        "\n"
        "from helpers import boundaries, fmt, maps, params\n"
        "\n"
        "diberikan = {\n"
        '    "processed_dir": processed_dir,\n'
        '    "reports_dir": reports_dir,\n'
        '    "report_date": report_date,\n'
        '    "boundary_path": boundary_path,\n'
        '    "raw_dir": raw_dir,\n'
        '    "kecamatan": kecamatan,\n'
        '    "kode_kabupaten": kode_kabupaten,\n'
        "}\n"
        'p = params.resolve(overrides={k: v for k, v in diberikan.items() if v not in ("", None)})\n'
        'folder_peta = params.report_dir(p) / "peta"\n'
        'display(Markdown(f"Keadaan **{fmt.tanggal(p[\'report_date\'])}** · peta ditulis ke `{folder_peta}`"))'
    ),
    new_markdown_cell("## Data sasaran dan batas wilayah"),
    new_code_cell(
        'status = maps.load_status(p["processed_dir"])\n'
        'batas = boundaries.load_boundary_set(p["boundary_path"], p["raw_dir"], p["kode_kabupaten"])\n'
        'provinsi = boundaries.load_province(kode_kabupaten=p["kode_kabupaten"])\n'
        "\n"
        "display(\n"
        "    Markdown(\n"
        '        f"- Sasaran SK: **{fmt.jiwa(len(status))}**\\n"\n'
        '        f"- Batas kecamatan: {boundaries.describe_source(batas.kecamatan)}\\n"\n'
        '        f"- Batas desa: {boundaries.describe_source(batas.desa) if batas.desa is not None else \'tidak tersedia (peta desa tidak dibuat)\'}"\n'
        "    )\n"
        ")\n"
        "if batas.skematis:\n"
        '    display(Markdown(f"**{boundaries.SCHEMATIC_NOTE}.** Letakkan file batas wilayah di `data/raw/batas_wilayah/` untuk peta resmi."))'
    ),
    new_markdown_cell("## Membuat peta"),
    new_code_cell(
        "peta = maps.render_maps(\n"
        "    status,\n"
        "    batas.kecamatan,\n"
        "    batas.desa,\n"
        "    folder_peta,\n"
        "    province=provinsi,\n"
        "    schematic=batas.skematis,\n"
        '    report_date=p["report_date"],\n'
        '    kecamatan=p["kecamatan"],\n'
        '    kode_kabupaten=p["kode_kabupaten"],\n'
        ")\n"
        'jumlah_desa = sum(name.startswith("desa_") for name in peta)\n'
        'display(Markdown(f"{fmt.angka(len(peta))} peta ditulis: {fmt.angka(len(peta) - jumlah_desa)} peta kabupaten, "\n'
        '                 f"{fmt.angka(jumlah_desa)} peta desa."))'
    ),
    new_markdown_cell("## Ringkasan menurut kecamatan"),
    new_code_cell(
        'ringkasan = maps.map_metrics(status, "kecamatan", kode_kabupaten=p["kode_kabupaten"])\n'
        "if ringkasan.attrs.get(\"tanpa_wilayah\"):\n"
        '    display(Markdown(f"{fmt.jiwa(ringkasan.attrs[\'tanpa_wilayah\'])} sasaran tanpa kode kecamatan yang valid tidak dipetakan."))\n'
        "maps.styled_table(ringkasan)"
    ),
    new_markdown_cell("## Peta kabupaten menurut kecamatan"),
    new_code_cell(
        "for nama in maps.KABUPATEN_MAPS:\n"
        '    display(Image(filename=str(peta[f"kabupaten_{nama}"])))'
    ),
    new_markdown_cell(
        "## Peta desa\n"
        "\n"
        "Ditampilkan bila parameter `kecamatan` diisi; peta desa semua kecamatan tetap ditulis ke folder `peta/desa/`."
    ),
    new_code_cell(
        'desa_terpilih = [n for n in peta if n.startswith("desa_")] if p["kecamatan"] else []\n'
        "for nama in desa_terpilih:\n"
        "    display(Image(filename=str(peta[nama])))\n"
        "if not desa_terpilih:\n"
        '    display(Markdown("Isi parameter `kecamatan` untuk menampilkan peta desa satu kecamatan di sini."))'
    ),
]

nb = new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (jombang)", "language": "python"}
nb.metadata["language_info"] = {"name": "python"}
nb.metadata["title"] = "03 · Peta sebaran sasaran kemiskinan ekstrem"
for number, cell in enumerate(nb.cells, start=1):
    cell.id = f"peta-{number:02d}"  # stable ids: regenerating gives the same file
nbformat.validate(nb)
nbformat.write(nb, Path(__file__).resolve().parent.parent / "notebooks" / "03_map.ipynb")
