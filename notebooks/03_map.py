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

# %% [markdown]
# # 03 · Peta sebaran sasaran kemiskinan ekstrem
#
# Notebook ini memetakan keadaan sasaran SK Bupati/Wali Kota menurut **kecamatan**, dan menurut **desa/kelurahan** di setiap kecamatan bila batas desa tersedia:
#
# - sasaran yang **masih di desil 1** register sasaran (P3KE 2024, atau DTSEN bila `02_match` memakai `register = dtsen`; jumlah, dan per 1.000 penduduk);
# - persentase sasaran SK yang **sudah keluar dari desil 1**;
# - sasaran desil 1 yang **belum diintervensi optimal**;
# - **cakupan verifikasi lapangan** oleh camat (persentase sasaran desil 1 yang sudah dilaporkan keberadaannya).
#
# Desil 1 register itu dipakai sebagai ukuran operasional kemiskinan ekstrem (bukan garis pengeluaran BPS); judul, sumber dan catatan peta menyebut registernya.
#
# **Masukan:** `status_sasaran.parquet` dari `02_match`. **Batas wilayah:** file pada parameter `boundary_path`, atau file peta (GeoPackage, Shapefile, GeoJSON) di `data/raw/batas_wilayah/`. Tanpa file batas, dibuat *peta skematis* dari titik pusat kecamatan yang diberi keterangan jelas.
# **Keluaran:** gambar PNG di `reports/<tanggal>/peta/`. Semua perhitungan ada di `helpers.publishing.maps` dan `helpers.publishing.boundaries`; notebook ini hanya menjalankan dan menampilkan.
#
# **Satu kecamatan saja:** isi parameter `kecamatan` di sel berikut (nama atau kode, mis. `kecamatan = "Mojowarno"`), lalu *Run All*. Hanya peta kabupaten dan peta desa kecamatan itu yang dibuat, dan peta desanya tampil di akhir notebook — jauh lebih cepat daripada peta desa semua kecamatan (parameter kosong). Untuk melihat-lihat satu kecamatan tanpa menulis file, pakai notebook `05_jelajah`.

# %% tags=["parameters"]
raw_dir = "data/raw"  # relatif terhadap folder utama repositori
processed_dir = "data/processed"
reports_dir = "reports"
report_date = ""
kecamatan = ""  # nama atau kode; kosong: peta desa semua kecamatan
boundary_path = ""  # file/folder batas wilayah; kosong: <raw_dir>/batas_wilayah/
kode_kabupaten = "35.17"

# %%
from helpers import execution

execution.warm_up(execution.MAPS_PRELOAD)  # the drawing processes start while this notebook loads its data

from IPython.display import Image, Markdown, display  # noqa: E402

from helpers import params, runs  # noqa: E402
from helpers.publishing import boundaries, fmt, maps
from helpers.reference import figures
from helpers.statuses.register import read_run_label

p = params.for_notebook("03_map", globals())  # the parameters above, checked; relative paths from the repository root
runs.check_inputs("03_map", p)  # the statuses of 02_match: one run, made with this report_date and kabupaten/kota
folder_peta = params.report_dir(p) / "peta"
display(Markdown(f"Keadaan **{fmt.tanggal(p['report_date'])}** · peta ditulis ke `{folder_peta}`"))

# %% [markdown]
# ## Data sasaran dan batas wilayah

# %%
status = maps.load_status(p["processed_dir"])
register = read_run_label(p["processed_dir"])  # "P3KE 2024" or "DTSEN <year>", as 02_match recorded it
batas = boundaries.load_boundary_set(p["boundary_path"], p["raw_dir"], p["kode_kabupaten"])
provinsi = boundaries.load_province(kode_kabupaten=p["kode_kabupaten"])

display(
    Markdown(
        f"- Sasaran SK: **{fmt.jiwa(len(status))}** · register: **{register}**\n"
        f"- Batas kecamatan: {boundaries.describe_source(batas.kecamatan)}\n"
        f"- Batas desa: {boundaries.describe_source(batas.desa) if batas.desa is not None else 'tidak tersedia (peta desa tidak dibuat)'}"
    )
)
if batas.skematis:
    display(Markdown(f"**{boundaries.SCHEMATIC_NOTE}.** Letakkan file batas wilayah di `data/raw/batas_wilayah/` untuk peta resmi."))

# %% [markdown]
# ## Membuat peta

# %%
with runs.recording_maps(p, folder_peta):  # run.json: which run and parameters these maps were drawn from
    peta = maps.render_maps(
        status,
        batas.kecamatan,
        batas.desa,
        folder_peta,
        province=provinsi,
        schematic=batas.skematis,
        report_date=p["report_date"],
        kecamatan=p["kecamatan"],
        kode_kabupaten=p["kode_kabupaten"],
        raw_dir=p["raw_dir"],
        register=register,
    )
jumlah_desa = sum(name.startswith("desa_") for name in peta)
display(Markdown(f"{fmt.angka(len(peta))} peta ditulis: {fmt.angka(len(peta) - jumlah_desa)} peta kabupaten, "
                 f"{fmt.angka(jumlah_desa)} peta desa."))

# %% [markdown]
# ## Ringkasan menurut kecamatan

# %%
ringkasan = maps.map_metrics(status, "kecamatan", kode_kabupaten=p["kode_kabupaten"], raw_dir=p["raw_dir"])
if ringkasan.attrs.get("tanpa_wilayah"):
    display(Markdown(f"{fmt.jiwa(ringkasan.attrs['tanpa_wilayah'])} sasaran tanpa kode kecamatan yang valid tidak dipetakan."))
maps.styled_table(ringkasan)

# %% [markdown]
# ## Peta kabupaten menurut kecamatan

# %%
for nama in maps.KABUPATEN_MAPS:
    if f"kabupaten_{nama}" in peta:
        display(Image(filename=str(peta[f"kabupaten_{nama}"])))
if not maps.has_population(ringkasan):
    display(Markdown(figures.population_note(p["kode_kabupaten"], p["raw_dir"])))

# %% [markdown]
# ## Peta desa
#
# Ditampilkan bila parameter `kecamatan` diisi (hanya peta desa kecamatan itu yang dibuat). Dengan parameter kosong, peta desa semua kecamatan ditulis ke folder `peta/desa/` tanpa ditampilkan di sini.

# %%
desa_terpilih = [n for n in peta if n.startswith("desa_")] if p["kecamatan"] else []
for nama in desa_terpilih:
    display(Image(filename=str(peta[nama])))
if not desa_terpilih:
    display(Markdown("Isi parameter `kecamatan` (sel parameter di atas) untuk membuat dan menampilkan peta desa satu kecamatan di sini."))
