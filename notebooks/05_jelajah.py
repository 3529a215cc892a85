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
# # 05 · Jelajah hasil run terakhir
#
# Notebook ini untuk menjawab pertanyaan sendiri dari data olahan run terakhir (`data/processed/`), tanpa menulis atau mengubah file apa pun. Notebook ini bukan langkah pipeline: jalankan dulu pipeline (`python -m helpers pipeline`) atau notebook 01–02.
#
# Semua fungsinya ada di `helpers.jelajah` (penjelasan lengkap: `help(jelajah)`):
#
# - `run = jelajah.load_run()` — semua tabel run terakhir dalam satu panggilan: `run.status_sasaran`, `run.status_putaran`, `run.summary`, `run.intervensi`, `run.keluarga`, `run.parameter`; tabel olahan lain dengan `run.table("verifikasi")`;
# - `run.sasaran("mojowarno")`, `run.sasaran("Mojowarno", desa="Karanglo")` — sasaran SK satu kecamatan atau desa; nama boleh huruf kecil, berspasi, atau salah ketik kecil ("Mojowarna"), atau kode Kemendagri;
# - `jelajah.desa_ranking(run, kecamatan)`, `jelajah.kecamatan_ranking(run)` — jumlah per desa atau kecamatan, terurut;
# - `jelajah.opd_serving(run, kecamatan)` — OPD yang menjangkau sasaran yang masih di desil 1;
# - `jelajah.people_table(baris)` — daftar orang yang mudah dibaca (NIK tersamar);
# - `jelajah.show(tabel)` — tabel interaktif (urutkan, cari, halaman), tanpa internet;
# - `jelajah.show_figure(jelajah.kecamatan_map(run, kecamatan, "masih_desil1"))` — peta satu kecamatan menurut desa, dalam beberapa detik (juga `persen_keluar`, `belum_optimal`, `persen_terverifikasi`).
#
# Isi parameter `kecamatan` di sel berikut (nama atau kode), atau biarkan kosong: dipilih kecamatan dengan sasaran *perlu tindakan* terbanyak.

# %% tags=["parameters"]
raw_dir = "data/raw"  # relatif terhadap folder utama repositori
processed_dir = "data/processed"
kecamatan = ""  # nama atau kode; kosong: kecamatan dengan sasaran perlu tindakan terbanyak

# %%
from IPython.display import Markdown, display

from helpers import jelajah, params
from helpers.publishing import fmt

p = params.resolve(overrides={"raw_dir": raw_dir, "processed_dir": processed_dir, "kecamatan": kecamatan})
run = jelajah.load_run(p["processed_dir"])
jelajah.init_tables()
if run.warning:
    display(Markdown(f"**Perhatian:** {run.warning}"))
display(Markdown(f"Data olahan `{run.processed_dir}` · keadaan **{fmt.tanggal(run.report_date)}** · register "
                 f"**{run.register}** · **{fmt.jiwa(len(run.status_sasaran))}** sasaran SK"))

# %% [markdown]
# ## Kecamatan menurut sasaran perlu tindakan

# %%
per_kecamatan = jelajah.kecamatan_ranking(run, raw_dir=p["raw_dir"])
wilayah = run.area(p["kecamatan"] or per_kecamatan["Kode"].iloc[0])
pilihan = "dipilih pada parameter" if p["kecamatan"] else "sasaran perlu tindakan terbanyak"
display(Markdown(f"Kecamatan yang dijelajahi di bawah: **{wilayah.nama_kecamatan}** ({pilihan})."))
jelajah.show(per_kecamatan)

# %% [markdown]
# ## Desa mana yang paling banyak sasaran perlu tindakan?
#
# *Perlu tindakan*: masih di desil 1, intervensi belum optimal atau belum ada, dan tidak meninggal atau pindah.

# %%
per_desa = jelajah.desa_ranking(run, wilayah.kode_kecamatan)
teratas = per_desa.iloc[0]
if teratas["Perlu tindakan"]:
    display(Markdown(
        f"Di Kecamatan {wilayah.nama_kecamatan}, sasaran perlu tindakan terbanyak ada di **{teratas['Wilayah']}**: "
        f"{fmt.jiwa(teratas['Perlu tindakan'])} dari {fmt.jiwa(per_desa['Perlu tindakan'].sum())} di kecamatan ini."
    ))
else:
    display(Markdown(f"Tidak ada sasaran perlu tindakan di Kecamatan {wilayah.nama_kecamatan}."))
jelajah.show(per_desa)

# %% [markdown]
# Sasaran perlu tindakan di desa itu (NIK tersamar; daftar lengkap ada pada formulir verifikasi camat):

# %%
di_desa = run.sasaran(wilayah.kode_kecamatan, desa=teratas["Kode"])
jelajah.show(jelajah.people_table(di_desa[di_desa["perlu_tindakan"]]))

# %% [markdown]
# ## OPD mana yang melayani sasaran yang masih di desil 1 di kecamatan ini?
#
# Per OPD: jumlah sasaran masih desil 1 yang menerima programnya sampai tanggal laporan, dan program apa saja.

# %%
per_opd = jelajah.opd_serving(run, wilayah.kode_kecamatan)
kalimat = f"{fmt.jiwa(per_opd.attrs['masih_desil1'])} sasaran masih di desil 1 di Kecamatan {wilayah.nama_kecamatan}"
if len(per_opd):
    kalimat += (f"; paling banyak dijangkau **{per_opd['OPD'].iloc[0]}** ({fmt.jiwa(per_opd['Jiwa'].iloc[0])}). "
                f"{fmt.jiwa(per_opd.attrs['tanpa_intervensi'])} belum menerima program OPD mana pun sampai tanggal laporan.")
else:
    kalimat += ", dan tidak satu pun tercatat menerima program OPD sampai tanggal laporan."
display(Markdown(kalimat))
jelajah.show(per_opd)

# %% [markdown]
# ## Peta kecamatan menurut desa
#
# Ganti `"masih_desil1"` dengan `"persen_keluar"`, `"belum_optimal"` atau `"persen_terverifikasi"` untuk peta lain.

# %%
jelajah.show_figure(jelajah.kecamatan_map(run, wilayah.kode_kecamatan, "masih_desil1", raw_dir=p["raw_dir"]))

# %% [markdown]
# ## Jelajah sendiri
#
# Tambahkan sel di bawah ini. Contoh: `run.table("verifikasi")` (hasil verifikasi camat), `run.status_putaran` (status per putaran verifikasi), `jelajah.show(run.sasaran(wilayah.kode_kecamatan))` (semua sasaran kecamatan ini; data pribadi: jangan dibagikan).
