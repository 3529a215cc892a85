"""Writes notebooks/04_report.ipynb (no outputs, no execution counts, stable cell ids).

The report notebook is generated so that its cells stay short and reviewable; edit this script, run it,
and commit both. Logic belongs in helpers.report_content, not here.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook



def md(text: str):
    return new_markdown_cell(text)


def code(text: str, tags=()):
    return new_code_cell(text, metadata={"tags": list(tags)})


cells = [
    code(
        'raw_dir = "data/raw"  # relatif terhadap folder utama repositori\n'
        'processed_dir = "data/processed"\n'
        'reports_dir = "reports"\n'
        'report_date = "2024-11-06"\n'
        'tanggal_target = "2024-11-30"\n'
        'kecamatan = ""  # kosong: seluruh kabupaten; atau nama/kode kecamatan\n'
        "mask_pii = True\n"
        'boundary_path = ""\n'
        'kode_kabupaten = "35.17"',
        tags=["parameters"],
    ),
    code(
                "from IPython.display import HTML, Image, Markdown, display\n\n"
        "from helpers import report_content as rc\n"
        "from helpers.params import resolve_path\n"
        "from helpers.reports import resolve_kecamatan_parameter\n\n"
        "kode = resolve_kecamatan_parameter(kecamatan, kode_kabupaten)\n"
        "data = rc.load_report_data(resolve_path(processed_dir), kode)\n"
        'peta = resolve_path(reports_dir) / report_date / "peta"',
        tags=["sembunyikan"],
    ),
    md("## Ringkasan"),
    code("display(Markdown(rc.intro(data, report_date, tanggal_target)))\ndisplay(HTML(rc.headline_cards(data['angka'])))"),
    md(
        "## Alur padu padan\n\n"
        "Setiap jiwa dalam SK Bupati dipadankan dengan data P3KE 2024: pertama menurut NIK (setelah NIK "
        "dibersihkan), lalu — bila NIK rusak atau salah ketik — menurut kemiripan nama di desa yang sama dan "
        "tanggal lahir. Bagan berikut menunjukkan ke mana setiap sasaran berakhir."
    ),
    code("rc.show(rc.funnel_chart(data['angka']))"),
    md(
        "## Peta sebaran\n\n"
        "Peta menurut wilayah: sasaran yang masih di desil 1 (jumlah dan per 1.000 penduduk), persentase sasaran "
        "yang sudah keluar dari desil 1, sasaran desil 1 yang belum diintervensi optimal, dan cakupan verifikasi "
        "lapangan oleh camat."
    ),
    code("for path in rc.map_files(peta, kode):\n    display(Image(filename=str(path)))"),
    md("## Peringkat wilayah"),
    code("display(HTML(rc.ranking_section(data)))"),
    md(
        "## Kemajuan verifikasi lapangan\n\n"
        "Camat menyisir wilayahnya dan melaporkan keberadaan setiap sasaran yang masih di desil 1. Setiap tanggal "
        "laporan verifikasi dihitung sebagai satu putaran; angka bersifat kumulatif sampai tanggal tersebut."
    ),
    code(
        "rounds = rc.rounds_for(data)\n"
        "rc.show(rc.progress_chart(rounds, report_date, tanggal_target, data['angka']['masih_desil1']))\n"
        "display(HTML(rc.html_table(rc.round_table(rounds))))"
    ),
    md(
        "## Profil deprivasi rumah tangga yang masih di desil 1\n\n"
        "Kondisi rumah keluarga sasaran yang masih di desil 1 menurut P3KE 2024, dan strategi nasional yang "
        "ditunjuk oleh setiap kondisi (aturan di `src/helpers/data/deprivasi.csv`, dapat diubah TKPK)."
    ),
    code(
        "profil = rc.deprivation_profile(data['keluarga'], data['status'])\n"
        "rc.show(rc.deprivation_chart(profil))\n"
        "display(HTML(rc.format_deprivation(profil)))"
    ),
    md(
        "## Kemungkinan kesalahan eksklusi\n\n"
        "Penduduk desil 1 P3KE 2024 yang **tidak** tercantum dalam SK Bupati. Mereka bukan sasaran SK, tetapi "
        "perlu dicermati: sebagian mungkin seharusnya masuk daftar sasaran."
    ),
    code("display(HTML(rc.exclusion_section(data)))"),
    md("## Konteks kemiskinan (BPS)"),
    code("display(Markdown(rc.context_text()))\nrc.show(rc.poverty_chart())"),
    code("display(HTML(rc.cases_section(data, mask_pii)))"),
    md("## Kualitas data dan definisi"),
    code("display(HTML(rc.quality_section(data)))\ndisplay(Markdown(rc.definitions(data)))"),
]

nb = new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nb.metadata["language_info"] = {"name": "python"}
for index, cell in enumerate(nb.cells):
    cell["id"] = f"laporan-{index:02d}"
out = Path(__file__).resolve().parent.parent / "notebooks" / "04_report.ipynb"
nbformat.write(nb, out)
print(f"ditulis: {out}")
