"""Write notebooks/01_clean.ipynb and 02_match.ipynb (no outputs) with nbformat."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent

PARAMETERS = '''raw_dir = "data/raw"
processed_dir = "data/processed"
reports_dir = "reports"
report_date = "2024-11-06"
ambang_fuzzy = 85.0
min_strategi = 2
kode_kabupaten = "35.17"'''

DERIVE = '''from helpers import params
from helpers.config import ROOT

p = params.resolve(overrides=dict(raw_dir=raw_dir, processed_dir=processed_dir, reports_dir=reports_dir,
                                  report_date=report_date, ambang_fuzzy=ambang_fuzzy, min_strategi=min_strategi,
                                  kode_kabupaten=kode_kabupaten))
RAW, PROCESSED = ROOT / p["raw_dir"], ROOT / p["processed_dir"]  # relative paths are taken from the repository root
print(f"Data mentah: {RAW}\\nData olahan: {PROCESSED}\\nTanggal laporan: {p['report_date']}")'''


def notebook(cells, title):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["title"] = title
    return nb


def parameters_cell():
    cell = new_code_cell(PARAMETERS)
    cell.metadata["tags"] = ["parameters"]
    return cell


clean = notebook(
    [
        new_markdown_cell(
            "# 01 — Pembersihan data\n\n"
            "Notebook ini membaca semua data mentah sesuai kontrak di `data/raw/README.md` (P3KE individu dan "
            "keluarga, daftar SK Bupati, intervensi OPD, hasil verifikasi camat), lalu:\n\n"
            "- menormalkan NIK (apostrof, spasi, angka Excel) dan menandai NIK yang rusak dan tidak dapat dipulihkan;\n"
            "- merapikan nama, tanggal (termasuk nomor seri tanggal Excel), desil, jenis kelamin;\n"
            "- mencocokkan nama kecamatan dan desa ke kode Kemendagri;\n"
            "- membuang baris duplikat persis dan **mengarantina** baris yang tidak dapat dipakai, masing-masing "
            "dengan alasannya, di `data/processed/karantina/`.\n\n"
            "Tidak ada baris yang hilang diam-diam: untuk setiap input, *baris masuk = baris bersih + duplikat + "
            "karantina* (diperiksa oleh program). NIK selalu ditampilkan tersamar."
        ),
        new_markdown_cell("## Parameter\n\nSel berikut bertanda `parameters`; pipeline (`python -m helpers.pipeline`) "
                          "mengganti nilainya."),
        parameters_cell(),
        new_code_cell(DERIVE),
        new_markdown_cell("## Membaca dan membersihkan semua input\n\nP3KE (±650 ribu baris dalam 21 file) dibaca "
                          "dengan dua proses paralel."),
        new_code_cell(
            "import pandas as pd\n\nfrom helpers import cleaning\n\n"
            "pd.set_option(\"display.max_colwidth\", 200)\n"
            "hasil = cleaning.clean_all(RAW, PROCESSED, p[\"kode_kabupaten\"], workers=2)"
        ),
        new_markdown_cell("## Keseimbangan baris per input\n\n`seimbang` harus `True` untuk semua input."),
        new_code_cell("hasil.conservation_table()"),
        new_markdown_cell(
            "## Contoh NIK yang diperbaiki atau tidak dapat dipulihkan\n\n"
            "NIK yang rusak oleh Excel (misalnya `3.51706E+15`) tidak ditebak: minta ekspor ulang dengan kolom NIK "
            "sebagai teks. Baris P3KE dan SK dengan NIK seperti itu tetap dipakai dan dipadankan lewat nama."
        ),
        new_code_cell("hasil.nik_examples()"),
        new_markdown_cell("## Contoh baris yang dikarantina\n\nDaftar lengkap: `karantina/<input>.csv` di folder data "
                          "olahan, berisi nilai mentah, file dan nomor baris sumber, dan alasannya."),
        new_code_cell("hasil.quarantine_examples()"),
        new_markdown_cell("## Perbaikan dan peringatan lain\n\nTermasuk nama wilayah yang ditulis berbeda dari nama "
                          "resmi (`varian`) dan NIK yang tanggal lahir/jenis kelaminnya tidak sesuai data (peringatan "
                          "saja)."),
        new_code_cell("hasil.fixes_table()"),
        new_markdown_cell("## Hasil\n\nTabel olahan (Parquet) dan ringkasan pembersihan ada di folder data olahan; "
                          "kamus datanya di `data/processed/README.md`."),
        new_code_cell("sorted(f.name for f in PROCESSED.iterdir() if f.is_file())"),
    ],
    "01 Pembersihan data",
)

match = notebook(
    [
        new_markdown_cell(
            "# 02 — Padu padan SK Bupati × P3KE 2024 dan status sasaran\n\n"
            "Setiap orang dalam SK Bupati dicari di P3KE 2024:\n\n"
            "1. **NIK** yang sudah dinormalkan, sama persis;\n"
            "2. bila tidak ada: **nama** yang mirip (skor `token_sort_ratio` ≥ `ambang_fuzzy`) di **desa yang sama**, "
            "dengan tanggal lahir yang cocok bila keduanya ada. Bila ada beberapa kandidat dengan skor tertinggi yang "
            "sama, orang itu masuk daftar **tinjau manual** (`tinjau/padan_tinjau_manual.csv`).\n\n"
            "Lalu untuk tanggal laporan dihitung: status desil (keluar/masih desil 1), status intervensi OPD, status "
            "keberadaan hasil verifikasi camat, dan siapa yang **perlu tindakan**. \"Masih desil 1\" dipakai sebagai "
            "ukuran operasional \"masih miskin ekstrem\" (desil adalah peringkat kesejahteraan P3KE, bukan "
            "pengeluaran yang diukur)."
        ),
        new_markdown_cell("## Parameter"),
        parameters_cell(),
        new_code_cell(DERIVE),
        new_markdown_cell("## Padu padan dan status pada tanggal laporan"),
        new_code_cell(
            "from helpers import matching, statuses\n\n"
            "hasil = statuses.run_status(PROCESSED, p[\"report_date\"], p[\"ambang_fuzzy\"], p[\"min_strategi\"],\n"
            "                            p[\"kode_kabupaten\"])\n"
            "print(hasil.parameters[\"definisi_optimal\"])"
        ),
        new_markdown_cell("## Metode padan\n\nKeempat angka menjumlah ke seluruh sasaran SK."),
        new_code_cell("matching.method_table(hasil.match)"),
        new_markdown_cell(
            "## Mengapa tidak cukup menggabungkan NIK apa adanya\n\n"
            "Kolom kiri: hasil bila NIK mentah SK disamakan begitu saja dengan NIK mentah P3KE (tanpa membersihkan "
            "apostrof, spasi, angka Excel, tanpa membuang baris duplikat, dan tanpa pencocokan nama). Kolom kanan: "
            "padu padan notebook ini."
        ),
        new_code_cell("statuses.naive_comparison(PROCESSED, hasil.summary)"),
        new_markdown_cell("## Angka utama"),
        new_code_cell("statuses.headline_table(hasil.summary)"),
        new_markdown_cell("## Jumlah per status"),
        new_code_cell("statuses.status_counts(hasil.status)"),
        new_markdown_cell("## Perkembangan per putaran verifikasi\n\nSetiap tanggal verifikasi adalah satu putaran; "
                          "angka dihitung di antara sasaran yang masih di desil 1, kumulatif sampai tanggal itu."),
        new_code_cell("import pandas as pd\n\npd.DataFrame(hasil.summary[\"per_putaran\"])"),
        new_markdown_cell("## Per kecamatan"),
        new_code_cell("pd.DataFrame(hasil.summary[\"per_kecamatan\"])"),
        new_markdown_cell("## File yang ditulis\n\nDaftar tinjau (`tinjau/`) hanya untuk petugas yang menindaklanjuti; "
                          "NIK di dalamnya tersamar."),
        new_code_cell("[str(path.relative_to(PROCESSED)) for path in hasil.paths]"),
    ],
    "02 Padu padan dan status",
)

for name, nb in (("01_clean.ipynb", clean), ("02_match.ipynb", match)):
    nbformat.validate(nb)
    nbformat.write(nb, ROOT / "notebooks" / name)
    print("wrote", name)
