"""Refuse what cannot be right before anything is written, and say what was left out.

:func:`check_cleaning` runs at the end of the cleaning step (:func:`helpers.cleaning.step.clean_all`), *before* it
writes a single processed file or read-cache entry, so that a refused run leaves the last good outputs exactly as
they were. It refuses (an :class:`~helpers.errors.InputError` listing every problem at once, exit code 2):

- an input that must hold people but holds none after cleaning: the SK list, P3KE individu, and the DTSEN register
  when ``register = dtsen`` (an empty P3KE keluarga only warns: matching does not need it, the housing profile and
  the recommendations by housing condition do);
- SK rows naming a person whose kecamatan or desa cannot be resolved (every such row with its file, sheet, row, the
  value and the closest known names; the fix: the spelling in the file, or ``<raw_dir>/alias_wilayah.csv``);
- an SK list that lost more than :data:`SK_BERKURANG_MAKS` of its people against the previous run in the same
  processed folder (``ringkasan_pembersihan.json``), unless the parameter ``terima_sk_berkurang`` says the decrease
  is meant (an amended SK). Registers are not held to this: a new P3KE or DTSEN export (or another demo scale) may
  be smaller for good reasons, and a register file that went missing shows in the matching figures.

:func:`report_date_warning` and :func:`closing_lines` are what the runner prints at the end of a run.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import catalog
from helpers.errors import InputError
from helpers.reading.contract import INPUTS
from helpers.vocabulary import DTSEN

#: An SK list that lost more than this share of its clean rows against the previous run stops the run (parameter
#: ``terima_sk_berkurang`` accepts it).
SK_BERKURANG_MAKS = 0.10
#: A report date later than the newest dated record (intervention, verification) by more than this gets a warning.
JARAK_TANGGAL_LAPORAN_MAKS = dt.timedelta(days=365)
#: Inputs that must hold at least one person; the register of the run is added (DTSEN when ``register = dtsen``).
WAJIB_BERISI = ("sk", "p3ke")
_SEBUTAN = {"sk": "Daftar SK", "p3ke": "P3KE individu", "p3ke_keluarga": "P3KE keluarga", "dtsen": "DTSEN individu"}


def _where(name: str, raw_dir: str | Path) -> str:
    """Where input ``name`` lives in ``raw_dir``, for messages."""
    spec = INPUTS[name]
    return f"{Path(raw_dir) / spec.path}/" if spec.is_folder else f"{Path(raw_dir) / spec.path}.xlsx (atau .csv/.parquet)"


def _angka(n: int) -> str:
    return f"{int(n):,}".replace(",", ".")


def _empty(name: str, c: Any, raw_dir: str | Path) -> str:
    """Why an input holds nobody, with its most common quarantine reasons."""
    files = ", ".join(c.per_sumber) or "tidak ada baris data"
    text = (f"{_SEBUTAN[name]} tidak memuat satu orang pun yang dapat dipakai: {_angka(c.baris_masuk)} baris dibaca "
            f"({files}), {_angka(c.baris_karantina)} dikarantina, {_angka(c.baris_duplikat)} duplikat.")  # fmt: skip
    if c.baris_karantina:
        reasons = c.karantina["alasan"].astype(str).value_counts().head(3)
        text += " Alasan terbanyak: " + "; ".join(f"{r} ({_angka(n)} baris)" for r, n in reasons.items()) + "."
    return text + f" Periksa apakah file yang benar (bukan templat kosong) ada di {_where(name, raw_dir)}."


def _desa_hint(desa: object, kode_kabupaten: str) -> str:
    """' (desa "X" ada di Kecamatan Y (code))' when the desa name exists in the kabupaten, else ''."""
    from helpers.reference import wilayah

    if pd.isna(desa):
        return ""
    table = wilayah.desa_table(kode_kabupaten)
    holding = table[table["nama"].map(wilayah.normalise_name) == wilayah.normalise_name(desa)]
    places = " dan ".join(f"Kecamatan {k} ({c})" for k, c in zip(holding["nama_kecamatan"], holding["kode_kecamatan"]))
    return f' (desa "{desa}" ada di {places})' if places else ""


def _suggestions(row: pd.Series, kode_kabupaten: str) -> tuple[str, str | None]:
    """(what is wrong with an unplaced row and the closest names, one alias line for the best guess)."""
    from helpers.reference import wilayah

    kecamatan, desa = row["kecamatan"], row["desa"]
    if pd.isna(kecamatan):
        return "kolom Kecamatan kosong" + _desa_hint(desa, kode_kabupaten), None
    kode_kec = wilayah.resolve_kecamatan(pd.Series([kecamatan], dtype="string"), kode_kabupaten).iloc[0]
    if pd.isna(kode_kec):
        close = wilayah.closest_kecamatan(kecamatan, kode_kabupaten)
        what, value = f'Kecamatan "{kecamatan}" tidak dikenal{_desa_hint(desa, kode_kabupaten)}', kecamatan
    elif pd.isna(desa):
        return f"kolom Desa/Kelurahan kosong (Kecamatan {wilayah.kecamatan_name(kode_kec, kode_kabupaten)})", None
    else:
        close = wilayah.closest_desa(kode_kec, desa, kode_kabupaten)
        what = f'Desa "{desa}" tidak dikenal di Kecamatan {wilayah.kecamatan_name(kode_kec, kode_kabupaten)}'
        value = desa
    if not close:
        return what, None
    names = ", ".join(f"{nama} ({kode})" for nama, kode in close)
    return f"{what}; nama terdekat: {names}", f"{value},{close[0][1]}"


def unplaced_message(unplaced: pd.DataFrame, raw_dir: str | Path, kode_kabupaten: str) -> str:
    """Every SK row that names a person but has no resolvable kecamatan/desa, and how to fix it."""
    from helpers.reference import wilayah

    lines, examples = [], {}
    for _, row in unplaced.iterrows():
        what, alias = _suggestions(row, kode_kabupaten)
        lines.append(f"  - {row['sumber_file']} baris {row['baris_sumber']}: {what}")
        if alias:
            examples.setdefault(alias, None)
    text = (f"Daftar SK: {_angka(len(unplaced))} orang tidak dapat ditempatkan di kecamatan/desa "
            f"{wilayah.kabupaten_name(kode_kabupaten)}, sehingga tidak akan terhitung:\n" + "\n".join(lines))  # fmt: skip
    text += ("\nPerbaiki ejaannya di file SK, atau — bila ejaan itu memang dipakai dan nama terdekat itu benar — "
             f"tambahkan barisnya ke {Path(raw_dir) / 'alias_wilayah.csv'} (kolom varian dan kode; lihat "
             "data/raw/README.md bagian 2, alias nama wilayah), lalu jalankan ulang.")  # fmt: skip
    if examples:
        text += " Misalnya:\n    varian,kode\n" + "\n".join(f"    {line}" for line in examples)
    return text


def _previous(processed_dir: Path) -> dict[str, Any]:
    path = catalog.RINGKASAN.at(processed_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _decrease(name: str, now: int, before: int, raw_dir: str | Path) -> str:
    share = 1 - now / before
    return (
        f"{_SEBUTAN[name]} sekarang berisi {_angka(now)} orang, run sebelumnya di folder data olahan ini "
        f"{_angka(before)} ({round(100 * share)} % berkurang; batas {round(100 * SK_BERKURANG_MAKS)} %). Bila "
        "memang berkurang (mis. SK perubahan), jalankan ulang dengan -p terima_sk_berkurang true. Bila tidak, "
        f"periksa apakah file di {_where(name, raw_dir)} terpotong, ada lembar atau file yang hilang, atau judul kolomnya "
        "berubah (lihat peringatan lembar yang tidak dibaca)."
    )


def check_cleaning(
    result: Any, raw_dir: str | Path, register: str = "p3ke", terima_sk_berkurang: bool = False,
    kode_kabupaten: str | None = None,
) -> None:  # fmt: skip
    """Raise :class:`InputError` listing every reason to refuse the cleaned ``result`` (a
    :class:`helpers.cleaning.step.CleaningResult`), before it is written. See the module notes."""
    from helpers.config import KODE_KABUPATEN

    kode_kabupaten = kode_kabupaten or KODE_KABUPATEN
    inputs = result.inputs
    problems = []
    no_dtsen = register == DTSEN and (DTSEN not in inputs or inputs[DTSEN].baris_masuk == 0)
    checked = WAJIB_BERISI + ((DTSEN,) if register == DTSEN and not no_dtsen else ())
    problems += [_empty(name, inputs[name], raw_dir) for name in checked
                 if name in inputs and inputs[name].baris_bersih == 0]  # fmt: skip
    if "p3ke_keluarga" in inputs and inputs["p3ke_keluarga"].baris_bersih == 0:
        warnings.warn(_empty("p3ke_keluarga", inputs["p3ke_keluarga"], raw_dir) + " Profil rumah tangga dan "
                      "rekomendasi menurut kondisi rumah tidak dapat dibuat.", UserWarning, stacklevel=2)  # fmt: skip
    if no_dtsen:
        problems.append(
            "Parameter register = dtsen, tetapi tidak ada data DTSEN: letakkan ekspor DTSEN (CSV dengan pemisah |, "
            f"xlsx atau parquet) di {_where(DTSEN, raw_dir)} (lihat data/raw/README.md), atau pakai register = p3ke."
        )
    unplaced = inputs["sk"].tidak_tertempatkan if "sk" in inputs else pd.DataFrame()
    if len(unplaced):
        problems.append(unplaced_message(unplaced, raw_dir, kode_kabupaten))
    if not terima_sk_berkurang:
        previous = _previous(Path(result.processed_dir))
        before = int((previous.get("sk") or {}).get("baris_bersih", 0) or 0)
        now = inputs["sk"].baris_bersih if "sk" in inputs else 0
        if before > 0 and 0 < now < before * (1 - SK_BERKURANG_MAKS):
            problems.append(_decrease("sk", now, before, raw_dir))
    if problems:
        raise InputError(
            f"Pipeline berhenti sebelum menulis apa pun: data olahan terakhir di {result.processed_dir} tidak diubah.\n\n"
            + "\n\n".join(problems)
        )


def report_date_warning(report_date: object, newest: object) -> str | None:
    """A warning when the report date is more than :data:`JARAK_TANGGAL_LAPORAN_MAKS` after ``newest``, the date of
    the newest intervention or verification record (None: no warning, or no dated record)."""
    if newest is None or pd.isna(newest):
        return None
    report, last = pd.Timestamp(report_date).normalize(), pd.Timestamp(newest).normalize()
    if report - last <= pd.Timedelta(JARAK_TANGGAL_LAPORAN_MAKS):
        return None
    return (
        f"Tanggal laporan {report:%d/%m/%Y} lebih dari setahun sesudah catatan intervensi/verifikasi terbaru "
        f"({last:%d/%m/%Y}). Periksa parameter report_date (salah ketik tahun?) dan apakah data terbaru sudah "
        "diletakkan di data/raw."
    )


#: Kinds of ``summary.json``'s ``diabaikan`` block, as the console and the reports name them.
JENIS_DIABAIKAN = {
    "tanggal_sesudah_laporan": "bertanggal sesudah tanggal laporan",
    "tanggal_kosong": "tanpa tanggal",
    "status_kosong": "tanpa status",
    "status_opd_bertentangan": "status OPD Optimal kalah oleh Belum Optimal pada tanggal yang sama",
    "nik_bukan_sasaran": "baris formulir OPD dengan NIK bukan sasaran SK",
    "nik_tidak_dikenal": "NIK tidak ada di daftar sasaran",
    "kontradiksi": "status keberadaan bertentangan pada tanggal yang sama",
    "sesudah_meninggal": "dilaporkan sesudah Meninggal",
    "duplikat": "verifikasi yang sama dikirim lagi",
}


def ignored_total(kinds: dict[str, int]) -> int:
    return int(sum(kinds.values()))


def closing_lines(summary: dict[str, Any], processed_dir: str | Path | None = None) -> list[str]:
    """The console's last lines of a run, from its ``summary.json``: per input, rows read, quarantined, duplicated
    (records repeated in another file included) and ignored; where the lists are; the warnings."""
    diabaikan = summary.get("diabaikan", {})
    ganda = summary.get("catatan_ganda", {})
    lines = ["Ringkasan per masukan (baris dibaca, dikarantina, duplikat, diabaikan):"]
    names = sorted(summary["baris_masuk"], key=lambda n: list(INPUTS).index(n) if n in INPUTS else len(INPUTS))
    width = max(len(name) for name in names)
    for name in names:
        read = summary["baris_masuk"][name]
        if not read:
            lines.append(f"  {name:<{width}}  tidak ada baris")
            continue
        duplicates = f"{_angka(summary['baris_duplikat'].get(name, 0))} duplikat"
        repeated = int(ganda.get(name, 0) or 0)
        if repeated:
            duplicates += f" (termasuk {_angka(repeated)} catatan sama dari file/penulisan lain)"
        kinds = {k: n for k, n in (diabaikan.get(name) or {}).items() if n}
        ignored = f"{_angka(ignored_total(kinds))} diabaikan"
        if kinds:
            ignored += " (" + ", ".join(f"{_angka(n)} {JENIS_DIABAIKAN.get(k, k)}" for k, n in kinds.items()) + ")"
        lines.append(f"  {name:<{width}}  {_angka(read)} dibaca, {_angka(summary['baris_karantina'].get(name, 0))} "
                     f"dikarantina, {duplicates}, {ignored}")  # fmt: skip
    if processed_dir is not None:
        folder = Path(processed_dir)
        if any(summary["baris_karantina"].values()):
            lines.append(f"Baris yang dikarantina beserta alasannya: {catalog.KARANTINA.at(folder, input='x').parent}/")
        if any(ignored_total(k) for k in diabaikan.values()) or any(ganda.values()):
            lines.append(f"Baris yang diabaikan dan catatan ganda, dengan file dan barisnya: {catalog.TINJAU_PADAN.at(folder).parent}/")
    lines += [f"PERINGATAN: {text}" for text in summary.get("peringatan", [])]
    return lines
