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
# # 01 — Pembersihan data
#
# Notebook ini membaca semua data mentah sesuai kontrak di `data/raw/README.md` (P3KE individu dan keluarga, daftar SK Bupati/Wali Kota, intervensi OPD, hasil verifikasi camat), lalu:
#
# - menormalkan NIK (apostrof, spasi, angka Excel) dan menandai NIK yang rusak dan tidak dapat dipulihkan;
# - merapikan nama, tanggal (termasuk nomor seri tanggal Excel), desil, jenis kelamin;
# - mencocokkan nama kecamatan dan desa ke kode Kemendagri;
# - membuang baris duplikat persis dan **mengarantina** baris yang tidak dapat dipakai, masing-masing dengan alasannya, di `data/processed/karantina/`.
#
# Tidak ada baris yang hilang diam-diam: untuk setiap input, *baris masuk = baris bersih + duplikat + karantina* (diperiksa oleh program). NIK selalu ditampilkan tersamar.

# %% [markdown]
# ## Parameter
#
# Sel berikut bertanda `parameters`; pipeline (`python -m helpers pipeline`) mengganti nilainya.

# %% tags=["parameters"]
raw_dir = "data/raw"
processed_dir = "data/processed"
reports_dir = "reports"
report_date = ""
kode_kabupaten = "35.17"
kunci_dir = "data/kunci"
register = "p3ke"  # register padu padan (02_match): p3ke atau dtsen; dengan dtsen, data DTSEN wajib ada
terima_sk_berkurang = False  # True: terima daftar SK yang berkurang > 10 % dibanding run sebelumnya (SK perubahan)

# %%
from pathlib import Path

from helpers import params, runs

p = params.for_notebook("01_clean", globals())  # the parameters above, checked; relative paths from the repository root
runs.check_inputs("01_clean", p)  # the first step: it reads only the raw data
RAW, PROCESSED = Path(p["raw_dir"]), Path(p["processed_dir"])

# %% [markdown]
# ## Membaca dan membersihkan semua input
#
# P3KE (±650 ribu baris dalam 21 file) dibaca dengan dua proses paralel. Sebelum satu file pun ditulis, seluruh run diperiksa: SK atau register tanpa satu orang pun, orang SK yang kecamatan/desanya tidak dikenal, atau SK/register yang berkurang lebih dari 10 % dibanding run sebelumnya menghentikan run dengan pesan yang menyebut file, baris dan perbaikannya; data olahan terakhir tetap utuh (aturannya di `data/raw/README.md`).
#
# `id_sasaran` adalah nama samaran berkunci (HMAC) dari NIK: kuncinya ada di folder kunci (`kunci_dir`, bawaan `data/kunci/`, tidak pernah masuk git). Pada run pertama kunci dibuat dan lokasinya dicetak di bawah: **simpan cadangannya**. Bila data olahan dibuat dengan kunci lain, atau kuncinya hilang, pembersihan berhenti dengan pesan yang jelas, bukan mengganti semua id diam-diam (lihat `docs/data_protection.md`).

# %%
import pandas as pd

from helpers import cleaning

pd.set_option("display.max_colwidth", 200)
hasil = cleaning.clean_all(RAW, PROCESSED, p["kode_kabupaten"], workers=2, kunci_dir=p["kunci_dir"],
                           register=p["register"], terima_sk_berkurang=p["terima_sk_berkurang"])

# %% [markdown]
# ## Keseimbangan baris per input
#
# `seimbang` harus `True` untuk semua input.

# %%
hasil.conservation_table()

# %% [markdown]
# ## Lembar (sheet) yang tidak dibaca dan jumlah yang tidak cocok
#
# Setiap lembar workbook yang memuat kolom wajib dibaca (mis. lampiran SK dengan satu lembar per kecamatan; `sumber_file` menyebut lembarnya: `sk_miskin_ekstrem.xlsx [Mojoagung]`). Tabel berikut menyebut lembar yang **tidak** dibaca: `tidak_terbaca` = berisi data tetapi judul kolom wajibnya tidak ada atau salah ketik (orang di lembar itu belum masuk hitungan: perbaiki judul kolomnya lalu jalankan ulang); `dilewati` = kosong atau hanya teks (mis. lembar petunjuk). `selisih_jumlah` = baris JUMLAH di file menyebut jumlah orang yang berbeda dari baris yang terbaca di lembar itu. Baris JUMLAH dan blok tanda tangan sendiri dikarantina dengan alasannya.

# %%
hasil.sheets_table()

# %% [markdown]
# Keseimbangan baris per file dan lembar daftar SK:

# %%
hasil.sources_table("sk")

# %% [markdown]
# ## Contoh NIK yang diperbaiki atau tidak dapat dipulihkan
#
# NIK yang rusak oleh Excel (misalnya `3.51706E+15`) tidak ditebak: minta ekspor ulang dengan kolom NIK sebagai teks. Baris P3KE dan SK dengan NIK seperti itu tetap dipakai dan dipadankan lewat nama.

# %%
hasil.nik_examples()

# %% [markdown]
# ## Contoh baris yang dikarantina
#
# Daftar lengkap: `karantina/<input>.csv` di folder data olahan, berisi nilai mentah, file dan nomor baris sumber, dan alasannya.

# %%
hasil.quarantine_examples()

# %% [markdown]
# ## Perbaikan dan peringatan lain
#
# Termasuk nama wilayah yang ditulis berbeda dari nama resmi (`varian`) dan NIK yang tanggal lahir/jenis kelaminnya tidak sesuai data (peringatan saja).

# %%
hasil.fixes_table()

# %% [markdown]
# ## Hasil
#
# Tabel olahan (Parquet) dan ringkasan pembersihan ada di folder data olahan; kamus datanya di `data/processed/README.md`.

# %%
sorted(f.name for f in PROCESSED.iterdir() if f.is_file() and not f.name.startswith("."))
