# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 — Padu padan SK Bupati × P3KE 2024 dan status sasaran
#
# Setiap orang dalam SK Bupati dicari di P3KE 2024:
#
# 1. **NIK** yang sudah dinormalkan, sama persis;
# 2. bila tidak ada: **nama** yang mirip (skor `token_sort_ratio` ≥ `ambang_fuzzy`) di **desa yang sama**, dengan tanggal lahir yang cocok bila keduanya ada. Bila ada beberapa kandidat dengan skor tertinggi yang sama, orang itu masuk daftar **tinjau manual** (`tinjau/padan_tinjau_manual.csv`).
#
# Lalu untuk tanggal laporan dihitung: status desil (keluar/masih desil 1), status intervensi OPD, status keberadaan hasil verifikasi camat, dan siapa yang **perlu tindakan**. "Masih desil 1" dipakai sebagai ukuran operasional "masih miskin ekstrem" (desil adalah peringkat kesejahteraan P3KE, bukan pengeluaran yang diukur).

# %% [markdown]
# ## Parameter

# %% tags=["parameters"]
raw_dir = "data/raw"
processed_dir = "data/processed"
reports_dir = "reports"
report_date = "2024-11-06"
ambang_fuzzy = 85.0
min_strategi = 2
kode_kabupaten = "35.17"

# %%
from helpers import params
from helpers.config import ROOT

p = params.resolve(overrides=dict(raw_dir=raw_dir, processed_dir=processed_dir, reports_dir=reports_dir,
                                  report_date=report_date, ambang_fuzzy=ambang_fuzzy, min_strategi=min_strategi,
                                  kode_kabupaten=kode_kabupaten))
RAW, PROCESSED = ROOT / p["raw_dir"], ROOT / p["processed_dir"]  # relative paths are taken from the repository root
print(f"Data mentah: {RAW}\nData olahan: {PROCESSED}\nTanggal laporan: {p['report_date']}")

# %% [markdown]
# ## Padu padan dan status pada tanggal laporan

# %%
from helpers import matching, statuses

hasil = statuses.run_status(PROCESSED, p["report_date"], p["ambang_fuzzy"], p["min_strategi"],
                            p["kode_kabupaten"])
print(hasil.parameters["definisi_optimal"])

# %% [markdown]
# ## Metode padan
#
# Keempat angka menjumlah ke seluruh sasaran SK.

# %%
matching.method_table(hasil.match)

# %% [markdown]
# ## Mengapa tidak cukup menggabungkan NIK apa adanya
#
# Kolom kiri: hasil bila NIK mentah SK disamakan begitu saja dengan NIK mentah P3KE (tanpa membersihkan apostrof, spasi, angka Excel, tanpa membuang baris duplikat, dan tanpa pencocokan nama). Kolom kanan: padu padan notebook ini.

# %%
statuses.naive_comparison(PROCESSED, hasil.summary)

# %% [markdown]
# ## Angka utama

# %%
statuses.headline_table(hasil.summary)

# %% [markdown]
# ## Jumlah per status

# %%
statuses.status_counts(hasil.status)

# %% [markdown]
# ## Perkembangan per putaran verifikasi
#
# Satu putaran adalah satu masa penyisiran: nomor putaran pada formulir bila ada, selain itu minggu kalender (ISO) tanggal verifikasi. Angka dihitung di antara sasaran yang masih di desil 1, kumulatif sampai tanggal verifikasi terakhir dalam putaran itu. Formulir berikutnya memakai nomor putaran `putaran_berikutnya`.

# %%
import pandas as pd

print("Putaran berikutnya:", hasil.summary["putaran_berikutnya"])
pd.DataFrame(hasil.summary["per_putaran"])

# %% [markdown]
# ## Per kecamatan

# %%
pd.DataFrame(hasil.summary["per_kecamatan"])

# %% [markdown]
# ## File yang ditulis
#
# Daftar tinjau (`tinjau/`) hanya untuk petugas yang menindaklanjuti; NIK di dalamnya tersamar, kecuali NIK temuan lapangan di `tinjau/temuan_lapangan.csv` (kunci keputusan padan).

# %%
[str(path.relative_to(PROCESSED)) for path in hasil.paths]
