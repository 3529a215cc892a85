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
# # 02 — Padu padan SK Bupati/Wali Kota × register sasaran dan status sasaran
#
# Register sasaran dipilih dengan parameter `register`: `p3ke` (P3KE 2024, bawaan) atau `dtsen` (DTSEN, dengan desil menurut `desil_dtsen`: `kabupaten` — peringkat di antara penduduk kabupaten, bawaan —, `provinsi` atau `nasional`). Di bawah ini "P3KE" berarti register yang dipilih. Dengan `dtsen`, SK yang sama juga dipadankan dengan P3KE 2024 bila P3KE ada, dan perpindahan setiap sasaran (keluar dari / masuk ke desil 1) ditulis ke `tinjau/perbandingan_register.csv`.
#
# Setiap orang dalam SK Bupati/Wali Kota dicari di register yang dipilih dengan **model padu padan probabilistik** (Fellegi–Sunter, Splink di DuckDB, dilatih pada data itu sendiri):
#
# 1. Kandidat dicari per blok: NIK yang sama, bagian wilayah+tanggal lahir NIK (menemukan NIK yang salah ketik atau terpotong Excel), dan nama di desa yang sama.
# 2. Setiap pasangan — juga yang NIK-nya sama — dinilai atas bagian-bagian NIK, nama yang dinormalkan (ejaan lama *oe/dj/tj*, singkatan *Moch./St./Abd.*, gelar), tanggal lahir (atau tanggal dari NIK), desa dan jenis kelamin. Hasilnya **bobot padan** (bit).
# 3. Satu orang P3KE hanya untuk satu sasaran. Padan otomatis (`nik` atau `probabilistik`) bila bobot ≥ `ambang_padan`, nama mirip, NIK atau tanggal lahir cocok, dan kandidat berikutnya jauh lebih lemah. Di antara `ambang_tinjau` dan `ambang_padan`, atau bila bukti bertentangan (NIK sama tetapi nama lain; NIK sama yang berakhir 0 sementara orang lain dengan 15 digit pertama yang sama bernama sama atau lebih mirip — Excel hanya menyimpan 15 digit, sehingga digit ke-16 menjadi 0): **tinjau manual** (`tinjau/padan.csv`). Di bawah `ambang_tinjau`: **tidak padan**.
# 4. Keputusan analis di `data/raw/keputusan_padan.xlsx` (dibuat `make forms`) diterapkan lebih dulu; keputusan yang tidak lagi cocok dicatat di `tinjau/keputusan_usang.csv`.
#
# Lalu untuk tanggal laporan dihitung: status desil (keluar/masih desil 1), status intervensi OPD, status keberadaan hasil verifikasi camat, dan siapa yang **perlu tindakan**. "Masih desil 1" dipakai sebagai ukuran operasional "masih miskin ekstrem" (desil adalah peringkat kesejahteraan P3KE, bukan pengeluaran yang diukur).

# %% [markdown]
# ## Parameter

# %% tags=["parameters"]
raw_dir = "data/raw"
processed_dir = "data/processed"
reports_dir = "reports"
report_date = ""
tanggal_target = "2024-11-30"
ambang_padan = 4.0
ambang_tinjau = -6.0
min_strategi = 2
kode_kabupaten = "35.17"
register = "p3ke"  # p3ke (P3KE 2024) atau dtsen
desil_dtsen = "kabupaten"  # untuk register dtsen: kabupaten, provinsi atau nasional
mesin_padan = "duckdb"  # mesin penilai model padu padan: duckdb (bawaan) atau spark (hasil sama)

# %%
from pathlib import Path

from helpers import params, runs

p = params.for_notebook("02_match", globals())  # the parameters above, checked; relative paths from the repository root
runs.check_inputs("02_match", p)  # the cleaned tables: finished, from this raw_dir and kabupaten/kota
RAW, PROCESSED = Path(p["raw_dir"]), Path(p["processed_dir"])

# %% [markdown]
# ## Padu padan dan status pada tanggal laporan

# %%
from helpers import catalog, matching, statuses

hasil = statuses.run_status(PROCESSED, p["report_date"], p["ambang_padan"], p["ambang_tinjau"], p["min_strategi"],
                            p["kode_kabupaten"], raw_dir=RAW, register=p["register"], desil_dtsen=p["desil_dtsen"],
                            mesin_padan=p["mesin_padan"], reports_dir=p["reports_dir"],
                            tanggal_target=p["tanggal_target"])
print("Register:", hasil.parameters["register_label"])
print(hasil.parameters["definisi_optimal"])

# %% [markdown]
# ## Metode padan
#
# Kelima angka menjumlah ke seluruh sasaran SK.

# %%
matching.method_table(hasil.match)

# %% [markdown]
# ## Model padu padan
#
# Grafik Splink dari model run ini (disimpan sebagai gambar di `grafik_padan/`, tanpa data pribadi): parameter m dan u setiap tingkat perbandingan, sebaran bobot padan kandidat terbaik tiap sasaran dengan kedua ambang, dan rincian bobot (*waterfall*) satu kasus tinjau manual. Tabel sesudahnya: nilai m dan u hasil pelatihan yang dikoreksi, dan alasannya (m = peluang suatu tingkat pada pasangan yang benar-benar padan, u = pada pasangan acak).

# %%
from IPython.display import Image, Markdown, display

for gambar in sorted(catalog.GRAFIK_PADAN.at(PROCESSED).glob("*.png")):
    display(Image(filename=str(gambar)))
koreksi = matching.corrections_table(hasil.match.model)
display(koreksi.style.hide(axis="index").set_properties(**{"text-align": "left"}) if len(koreksi)
        else Markdown("Tidak ada nilai m atau u yang dikoreksi."))

# %% [markdown]
# ## Mengapa tidak cukup menggabungkan NIK apa adanya
#
# Kolom kiri: hasil bila NIK mentah SK disamakan begitu saja dengan NIK mentah P3KE (tanpa membersihkan apostrof, spasi, angka Excel, tanpa membuang baris duplikat, dan tanpa pencocokan nama). Kolom kanan: padu padan notebook ini.

# %%
statuses.naive_comparison(PROCESSED, hasil.summary)

# %% [markdown]
# ## Angka utama

# %%
statuses.headline_table(hasil.summary, p["kode_kabupaten"])

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
# ## Perbandingan register (hanya dengan `register = dtsen` dan P3KE tersedia)
#
# Jumlah sasaran SK menurut perubahannya dari P3KE 2024 ke DTSEN; daftar per orang (NIK tersamar) di `tinjau/perbandingan_register.csv`.

# %%
from helpers.statuses import perbandingan

perbandingan.counts_table(hasil.perbandingan)

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
