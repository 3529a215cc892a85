# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (jombang)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["sembunyikan"]
# # 04 · Laporan percepatan penghapusan kemiskinan ekstrem
#
# Notebook ini adalah sumber semua laporan HTML: `python -m helpers pipeline` (atau `python -m helpers reports`) menjalankannya sekali untuk kabupaten dan sekali untuk setiap kecamatan, lalu menulis laporannya ke `reports/<tanggal>/`.
#
# Di JupyterLab, *Run All* menampilkan laporan kabupaten dari data olahan terakhir. Untuk laporan satu kecamatan, isi parameter `kecamatan` (nama atau kode, mis. `kecamatan = "Mojowarno"`). Sel bertanda `sembunyikan` (judul ini, impor dan gaya tampilan) tidak ikut ke laporan; laporan mendapat judulnya dari templat.

# %% tags=["parameters"]
raw_dir = "data/raw"  # relatif terhadap folder utama repositori
processed_dir = "data/processed"
reports_dir = "reports"
report_date = ""
tanggal_target = "2024-11-30"
kecamatan = ""  # kosong: seluruh kabupaten; atau nama/kode kecamatan
mask_pii = True
kode_kabupaten = "35.17"

# %% tags=["sembunyikan"]
from IPython.display import HTML, Image, Markdown, display

from helpers import params, runs
from helpers.publishing import charts, prose, report_figures, sections
from helpers.publishing.render import resolve_kecamatan_parameter
from helpers.publishing.report_data import load_report_data, map_files

p = params.for_notebook("04_report", globals(), quiet=True)  # the parameters above, checked
runs.check_inputs("04_report", p)  # processed data and maps of one run, made with this report_date
kode = resolve_kecamatan_parameter(p["kecamatan"], p["kode_kabupaten"])
data = load_report_data(p["processed_dir"], kode, p["kode_kabupaten"], p["raw_dir"])
peta = params.report_dir(p) / "peta"

# %% tags=["sembunyikan"]
display(HTML(prose.notebook_styles()))  # the cards' look in JupyterLab (the report has it from its template)

# %% [markdown]
# ## Ringkasan

# %%
display(Markdown(prose.intro(data, p["report_date"], p["tanggal_target"])))
display(HTML(prose.headline_cards(data.angka, kode_kabupaten)))

# %% [markdown]
# ## Perubahan sejak laporan sebelumnya
#
# Angka laporan ini dibandingkan dengan laporan tanggal sebelumnya di folder laporan yang sama. Laju menuju nol diukur dari beberapa laporan terakhir, atau dari putaran verifikasi bila baru ada satu laporan; garis putus-putus adalah proyeksi pada laju itu sampai tanggal target.

# %%
from helpers.publishing import progress

display(Markdown(progress.changes_text(data.summary, kode)))
perubahan = progress.changes_table(data.summary, kode)
if len(perubahan):
    display(HTML(sections.html_table(perubahan, right=tuple(perubahan.columns[1:]))))
if progress.has_chart(data.summary, report_figures.rounds_for(data), kode):
    charts.show(progress.burndown_chart(data.summary, report_figures.rounds_for(data), kode))
display(Markdown(progress.projection_text(data.summary, kode)))
if not kode:
    laju = progress.pace_table(data.summary)
    display(Markdown("**Laju per kecamatan** (yang tertinggal lebih dulu):"))
    display(HTML(sections.html_table(laju, right=("Perlu tindakan", "Laju (jiwa/minggu)"))))

# %% [markdown]
# ## Alur padu padan

# %%
display(Markdown(prose.matching_text(data)))
charts.show(charts.funnel_chart(data.angka, report_figures.register_name(data), kode_kabupaten))
if perbandingan := sections.comparison_section(data):
    display(HTML(perbandingan))

# %% [markdown]
# ## Peta sebaran
#
# Peta menurut wilayah: sasaran yang masih di desil 1 (jumlah dan per 1.000 penduduk), persentase sasaran yang sudah keluar dari desil 1, sasaran desil 1 yang diintervensi belum optimal (angka yang sama dengan ringkasan; yang belum diintervensi sama sekali disebut terpisah di catatan peta dan tabel peringkat), dan cakupan verifikasi lapangan oleh camat.

# %%
for path in map_files(peta, kode):
    display(Image(filename=str(path)))

# %% [markdown]
# ## Peringkat wilayah

# %%
display(HTML(sections.ranking_section(data)))

# %% [markdown]
# ## Kemajuan verifikasi lapangan
#
# Camat menyisir wilayahnya dan melaporkan keberadaan setiap sasaran yang masih di desil 1. Satu putaran adalah satu masa penyisiran, bukan satu tanggal: baris formulir yang mencantumkan nomor putaran dikelompokkan menurut nomor itu, baris lain menurut minggu kalender (Senin–Minggu) tanggal verifikasinya. Angka setiap putaran bersifat kumulatif sampai tanggal verifikasi terakhir dalam putaran itu.

# %%
rounds = report_figures.rounds_for(data)
charts.show(charts.progress_chart(rounds, p["report_date"], p["tanggal_target"], data.angka['masih_desil1']))
display(HTML(sections.html_table(sections.round_table(rounds))))

# %% [markdown]
# ## Intervensi per OPD
#
# Siapa yang dilayani setiap OPD di antara sasaran SK, berapa yang masih di desil 1 dan apakah intervensinya sudah optimal, dan siapa yang perlu tindakan dan direkomendasikan program OPD itu tetapi belum dilayaninya. Laporan kecamatan menampilkan OPD yang aktif di kecamatan itu. Setiap OPD mendapat halamannya sendiri (tanpa nama, NIK tersamar) dan formulir BNBA yang dikunci kata sandi.

# %%
from helpers.publishing import opd

bagian = opd.report_section(p["processed_dir"], kode, kode_kabupaten, data.nama)
display(Markdown(bagian.teks))
if bagian.grafik is not None:
    charts.show(bagian.grafik)
if bagian.tabel:
    display(HTML(bagian.tabel + bagian.catatan))
display(Markdown(bagian.aturan))

# %% [markdown]
# ## Profil deprivasi rumah tangga yang masih di desil 1

# %%
display(Markdown(prose.deprivation_text(data)))
profil = report_figures.deprivation_profile(data.keluarga, data.status)
charts.show(charts.deprivation_chart(profil))
display(HTML(sections.format_deprivation(profil)))

# %% [markdown]
# ## Kemungkinan kesalahan eksklusi

# %%
display(Markdown(prose.exclusion_text(data)))
display(HTML(sections.exclusion_section(data)))

# %% [markdown]
# ## Konteks kemiskinan (BPS)

# %%
display(Markdown(prose.context_text(p["kode_kabupaten"], report_figures.register_name(data))))
charts.show(charts.poverty_png(p["kode_kabupaten"]))

# %% [markdown]
# ## Sasaran yang didatangi di lapangan

# %%
display(HTML(sections.field_work_section(data, p["mask_pii"])))
display(HTML(sections.cases_section(data, p["mask_pii"])))

# %% [markdown]
# ## Kualitas data dan definisi

# %%
display(HTML(sections.quality_section(data)))
display(Markdown(prose.definitions(data)))
