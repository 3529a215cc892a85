"""The report's progress section: what changed since the last report, the burn-down towards zero and the pace per
kecamatan, from ``summary.json``'s ``riwayat``, ``proyeksi`` and ``proyeksi_kecamatan``
(:mod:`helpers.statuses.history`). Rules come from the summary; this module only words, tabulates and draws them.
"""

from __future__ import annotations

import datetime as dt

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from helpers.dates import to_date  # noqa: E402
from helpers.publishing.fmt import angka, tanggal  # noqa: E402
from helpers.statuses.history import BASIS_REPORTS, HISTORY_KEYS  # noqa: E402

ACCENT = "#7a1f1f"
#: Row labels of the change table, in the order shown.
LABELS = {
    "masih_desil1": "Masih di desil 1",
    "intervensi_optimal": "Diintervensi optimal",
    "intervensi_belum_optimal": "Diintervensi belum optimal",
    "belum_intervensi": "Belum diintervensi",
    "perlu_tindakan": "Perlu tindakan segera",
    "diverifikasi": "Sudah diverifikasi camat",
    "meninggal": "Meninggal dunia (diverifikasi)",
}
#: For each figure, whether a fall is progress (True) or a rise is (False); deaths are neither.
FALL_IS_PROGRESS = {"masih_desil1": True, "intervensi_belum_optimal": True, "belum_intervensi": True,
                    "perlu_tindakan": True, "intervensi_optimal": False, "diverifikasi": False}  # fmt: skip


def _of(entry: dict, kode: str) -> dict:
    """The figures of the kabupaten (``kode`` = '') or of one kecamatan in a summary or a ``riwayat`` entry."""
    if not kode:
        return {k: entry.get(k) for k in HISTORY_KEYS}
    rows = entry.get("per_kecamatan", {})
    row = rows.get(kode, {}) if isinstance(rows, dict) else next((r for r in rows if r["kode"] == kode), {})
    return {k: row.get(k) for k in HISTORY_KEYS}


def series(summary: dict, kode: str = "") -> list[tuple[str, dict]]:
    """``[(report date, figures)]``: the earlier report dates of ``riwayat`` and this one, oldest first."""
    return [(e["tanggal_laporan"], _of(e, kode)) for e in summary.get("riwayat", [])] + [
        (summary["tanggal_laporan"], _of(summary, kode))
    ]


def projection_of(summary: dict, kode: str = "") -> dict | None:
    if not kode:
        return summary.get("proyeksi")
    return next((p for p in summary.get("proyeksi_kecamatan", []) if p["kode"] == kode), None)


def _change_words(key: str, before: int, now: int) -> str:
    diff = now - before
    if diff == 0:
        return f"{LABELS[key].lower()} tetap {angka(now)} jiwa"
    direction = "turun" if diff < 0 else "naik"
    return f"{LABELS[key].lower()} {direction} {angka(abs(diff))} jiwa menjadi {angka(now)} jiwa"


def changes_text(summary: dict, kode: str = "") -> str:
    """The change since the previous report date in words, or why there is none to show."""
    points = series(summary, kode)
    if len(points) < 2:
        return (
            f"Laporan per {tanggal(summary['tanggal_laporan'])} adalah laporan pertama di folder laporan ini, "
            "sehingga belum ada perubahan yang dapat dibandingkan. Perubahan tampil mulai laporan berikutnya; laju "
            "di bawah diukur dari putaran verifikasi bila ada."
        )
    (before_date, before), (_, now) = points[-2], points[-1]
    keys = [k for k in LABELS if before.get(k) is not None and now.get(k) is not None]
    parts = [_change_words(k, before[k], now[k]) for k in keys]
    return (
        f"Dibandingkan laporan per **{tanggal(before_date)}**: " + "; ".join(parts) + "."
        if parts
        else f"Laporan per {tanggal(before_date)} tidak memuat angka yang dapat dibandingkan."
    )


def changes_table(summary: dict, kode: str = "") -> pd.DataFrame:
    """Figures of the previous report date and of this one, with the change (formatted text)."""
    points = series(summary, kode)
    if len(points) < 2:
        return pd.DataFrame()
    (before_date, before), (now_date, now) = points[-2], points[-1]
    rows = []
    for key, label in LABELS.items():
        if before.get(key) is None or now.get(key) is None:
            continue
        diff = now[key] - before[key]
        rows.append({"Angka": label, tanggal(before_date): angka(before[key]), tanggal(now_date): angka(now[key]),
                     "Perubahan": ("+" if diff > 0 else "") + angka(diff) if diff else "tetap"})  # fmt: skip
    return pd.DataFrame(rows)


def projection_text(summary: dict, kode: str = "") -> str:
    """The pace towards zero and whether the target is reached at that pace, in words."""
    p = projection_of(summary, kode)
    if not p:
        return ""
    target = tanggal(p["tanggal_target"])
    if p["perlu_tindakan"] == 0:
        return f"Tidak ada lagi sasaran yang perlu tindakan segera; target {target} tercapai."
    if p["laju_per_minggu"] is None:
        return (
            f"Laju menuju nol belum dapat diukur (kurang dari dua titik waktu: laporan atau putaran verifikasi); "
            f"{angka(p['perlu_tindakan'])} jiwa masih perlu tindakan segera menjelang target {target}."
        )
    basis = (
        f"{p['titik']} laporan terakhir" if p["dasar"] == BASIS_REPORTS else f"{p['titik']} titik terakhir (putaran "
        "verifikasi sampai tanggal laporan)"
    )
    pace = angka(p["laju_per_minggu"], 1)
    if p["laju_per_minggu"] <= 0:
        return (
            f"Dalam {basis}, jumlah yang perlu tindakan tidak berkurang (laju {pace} jiwa per minggu). Pada laju ini "
            f"nol tidak tercapai; target {target} tidak akan terpenuhi tanpa percepatan."
        )
    verdict = "sebelum atau tepat pada" if p["tercapai_sebelum_target"] else "**sesudah**"
    return (
        f"Dalam {basis}, rata-rata **{pace} jiwa per minggu** keluar dari status perlu tindakan. Pada laju ini, "
        f"{angka(p['perlu_tindakan'])} jiwa yang tersisa selesai sekitar **{tanggal(p['tanggal_nol'])}**, "
        f"{verdict} target {target}."
    )


def has_chart(summary: dict, per_putaran: list[dict], kode: str = "") -> bool:
    """Whether there is a line to draw: at least two report dates or one verification round."""
    return len(series(summary, kode)) >= 2 or bool(per_putaran)


def burndown_chart(summary: dict, per_putaran: list[dict], kode: str = "") -> plt.Figure:
    """"Perlu tindakan" and "masih desil 1" across report dates (large markers) and verification rounds (small),
    with the projection at the current pace drawn to the target date."""
    figure, ax = plt.subplots(figsize=(9, 3.8), dpi=110)
    points = series(summary, kode)
    dates = [pd.Timestamp(d) for d, _ in points]
    p = projection_of(summary, kode) or {}
    target = to_date(p.get("tanggal_target", summary["tanggal_laporan"]))
    if per_putaran:
        rounds = pd.DataFrame(per_putaran)
        when = pd.to_datetime(rounds["tanggal"])
        ax.plot(when, rounds["perlu_tindakan"], ls=":", marker=".", color="#c0392b", alpha=0.6,
                label="Perlu tindakan (putaran verifikasi)")  # fmt: skip
        if "masih_desil1" in rounds:
            ax.plot(when, rounds["masih_desil1"], ls=":", marker=".", color="#2c6a9a", alpha=0.6,
                    label="Masih desil 1 (putaran verifikasi)")  # fmt: skip
    perlu = [f["perlu_tindakan"] for _, f in points]
    masih = [f["masih_desil1"] for _, f in points]
    ax.plot(dates, masih, marker="o", color="#2c6a9a", label="Masih desil 1 (tanggal laporan)")
    ax.plot(dates, perlu, marker="s", color="#c0392b", label="Perlu tindakan (tanggal laporan)")
    for x, y in zip(dates, perlu):
        ax.annotate(angka(y), (x, y), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8)
    now = dates[-1]
    if p.get("laju_per_minggu") and p["laju_per_minggu"] > 0 and p["perlu_tindakan"] > 0:
        end = min(pd.Timestamp(p["tanggal_nol"]), pd.Timestamp(target))
        left = max(p["perlu_tindakan"] - p["laju_per_minggu"] * (end - now).days / 7, 0)
        ax.plot([now, end], [p["perlu_tindakan"], left], ls="--", color="#c0392b", lw=1.2,
                label=f"Proyeksi pada laju {angka(p['laju_per_minggu'], 1)} jiwa/minggu")  # fmt: skip
    ax.axvline(pd.Timestamp(target), color=ACCENT, ls="--", lw=1.2)
    top = max([*masih, *perlu, 1]) * 1.15
    ax.set_ylim(0, top)
    ax.text(pd.Timestamp(target), top * 0.5, f"Target\n{tanggal(target)}", color=ACCENT, fontsize=8, ha="right",
            va="center")  # fmt: skip
    first = min([*dates, *(pd.to_datetime(pd.DataFrame(per_putaran)["tanggal"]) if per_putaran else [])])
    ax.set_xlim(first - pd.Timedelta(days=3), pd.Timestamp(target + dt.timedelta(days=3)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m"))
    ax.yaxis.set_major_formatter(lambda value, _: angka(float(value)))
    ax.set_ylabel("jiwa")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title("Menuju nol: perlu tindakan dan masih desil 1 per tanggal laporan", fontsize=11, loc="left")
    figure.tight_layout()
    return figure


def pace_table(summary: dict) -> pd.DataFrame:
    """Kecamatan ranked so that those falling behind come first: people needing action, pace, projected date."""
    rows = []
    for p in summary.get("proyeksi_kecamatan", []):
        if p["perlu_tindakan"] == 0:
            verdict = "sudah nol"
        elif p["laju_per_minggu"] is None:
            verdict = "belum dapat diukur"
        else:
            verdict = "tercapai" if p["tercapai_sebelum_target"] else "tertinggal"
        rows.append({
            "Kecamatan": p["nama"],
            "Perlu tindakan": angka(p["perlu_tindakan"]),
            "Laju (jiwa/minggu)": "–" if p["laju_per_minggu"] is None else angka(p["laju_per_minggu"], 1),
            "Perkiraan nol": tanggal(p["tanggal_nol"]) if p["tanggal_nol"] else "tidak tercapai pada laju ini",
            "Target": verdict,
        })  # fmt: skip
    return pd.DataFrame(rows)


def behind(summary: dict, n: int = 3) -> list[dict]:
    """The ``n`` kecamatan furthest behind (still with people needing action), as ranked in the summary."""
    return [p for p in summary.get("proyeksi_kecamatan", []) if p["perlu_tindakan"] > 0][:n]
