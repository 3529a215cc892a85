"""The report's charts (matplotlib, Agg): the padu padan funnel, verification rounds, BPS poverty rates and the
deprivation profile, with :func:`png` and :func:`show` to embed any of them as a PNG.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

from helpers import vocabulary as v  # noqa: E402
from helpers.config import KODE_KABUPATEN  # noqa: E402
from helpers.dates import to_date  # noqa: E402
from helpers.publishing.fmt import angka, persen, tanggal  # noqa: E402
from helpers.publishing.report_figures import funnel_levels  # noqa: E402
from helpers.reference.figures import poverty_context  # noqa: E402
from helpers.reference.wilayah import kabupaten_name, sk_name  # noqa: E402

ACCENT = "#7a1f1f"


def png(figure: plt.Figure) -> bytes:
    """``figure`` as PNG bytes (no software tag: same figure, same bytes); the figure is closed."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def show(figure: plt.Figure | bytes) -> None:
    """Embed a figure (or its :func:`png`) in the report as a PNG, whatever the notebook's matplotlib backend."""
    from IPython.display import Image, display

    display(Image(data=figure if isinstance(figure, bytes) else png(figure), format="png"))


# --------------------------------------------------------------------------- funnel


def _box(ax, x: float, y: float, value: int, label: str, colour: str) -> None:
    ax.add_patch(
        FancyBboxPatch((x - 1.15, y - 0.32), 2.3, 0.64, boxstyle="round,pad=0.02", fc=colour, ec="none", alpha=0.95)
    )
    ax.text(x, y + 0.08, angka(value), ha="center", va="center", fontsize=15, fontweight="bold", color="white")
    ax.text(x, y - 0.17, label, ha="center", va="center", fontsize=8.5, color="white")


def _arrow(ax, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": "#777", "lw": 1.2})


#: Colours of the funnel boxes.
_FUNNEL_COLOURS = {
    "sasaran_sk": "#4d4d4d", "keluar_desil1": "#2c7a4b", "masih_desil1": ACCENT, "intervensi_optimal": "#2c6a9a",
    "intervensi_belum_optimal": "#c0392b", "belum_intervensi": "#8e44ad", "belum_optimal_masih_ada": "#d35400",
    "belum_optimal_meninggal": "#7f8c8d", "belum_optimal_lainnya": "#95a5a6", "belum_padan": "#b7950b",
}  # fmt: skip


def funnel_chart(fig: dict, register: str = v.P3KE_LABEL, kode_kabupaten: str = KODE_KABUPATEN) -> plt.Figure:
    """The padu padan funnel (:func:`funnel_levels`): SK → keluar / masih desil 1 → optimal / belum optimal /
    belum diintervensi → masih ada / meninggal (/ status lain); ``register``: the register's name."""
    boxes = funnel_levels(fig, register, kode_kabupaten)
    figure, ax = plt.subplots(figsize=(10.5, 4.6), dpi=110)
    ax.set_xlim(-3.8, 6.6)
    ax.set_ylim(-0.6, 3.6)
    ax.axis("off")
    children: dict[str, list[tuple[str, str, int]]] = {}
    for key, label, value, parent in boxes:
        children.setdefault(parent, []).append((key, label, value))
    place = {"sasaran_sk": (0.0, 3.2)}
    spread = {2: (-1.9, 1.9), 3: (-2.5, 0.0, 2.5)}
    for parent in ("sasaran_sk", "masih_desil1", "intervensi_belum_optimal"):
        px, py = place[parent]
        kids = children.get(parent, [])
        centre = px if parent == "sasaran_sk" else min(px + 0.8, 6.6 - 1.2 - spread[len(kids)][-1])
        for (key, _, _), dx in zip(kids, spread[len(kids)]):
            place[key] = (centre + dx, py - 1.0)
    for key, label, value, parent in boxes:
        x, y = place[key]
        if parent:
            px, py = place[parent]
            _arrow(ax, (px, py - 0.33), (x, y + 0.33))
        _box(ax, x, y, value, label, _FUNNEL_COLOURS[key])
    if any(key == "belum_optimal_lainnya" for key, *_ in boxes):
        ax.text(6.6, -0.55, "* pindah, tidak ditemukan atau belum diverifikasi", ha="right", fontsize=8, color="#555")
    ax.set_title(f"Hasil padu padan {sk_name(kode_kabupaten)} dengan {register}", fontsize=12, loc="left")
    figure.tight_layout()
    return figure


# --------------------------------------------------------------------------- rounds, poverty, deprivation


def _place_labels(ax, labels: list) -> None:
    """Keep point labels from overlapping: a label that touches an earlier one moves below its point, and is
    dropped if it still touches one (the round table below the chart has every value)."""
    renderer = ax.figure.canvas.get_renderer()
    kept: list = []
    for label in labels:
        box = label.get_window_extent(renderer)
        if any(box.overlaps(k) for k in kept):
            label.set_position((0, -14))
            box = label.get_window_extent(renderer)
            if any(box.overlaps(k) for k in kept):
                label.remove()
                continue
        kept.append(box)


def progress_chart(per_putaran: list[dict], report_date: str, target_date: str, total: int) -> plt.Figure:
    """Verification rounds (sweep windows, shaded): people verified and people still needing action at the end of
    each round, against the target date."""
    figure, ax = plt.subplots(figsize=(9, 3.8), dpi=110)
    target = to_date(target_date)
    labels = []
    if per_putaran:
        rounds = pd.DataFrame(per_putaran)
        dates = pd.to_datetime(rounds["tanggal"])
        starts = pd.to_datetime(rounds["periode_awal"]) if "periode_awal" in rounds else dates
        ends = pd.to_datetime(rounds["periode_akhir"]) if "periode_akhir" in rounds else dates
        for start, end in zip(starts, ends):
            ax.axvspan(start, end + pd.Timedelta(days=1), color="#2c6a9a", alpha=0.07, lw=0)
        ax.plot(dates, rounds["diverifikasi"], marker="o", color="#2c6a9a", label="Sudah diverifikasi (kumulatif)")
        ax.plot(dates, rounds["perlu_tindakan"], marker="s", color="#c0392b", label="Masih perlu tindakan")
        for x, y in zip(dates, rounds["perlu_tindakan"]):
            labels.append(ax.annotate(angka(y), (x, y), textcoords="offset points", xytext=(0, 7), ha="center",
                                      fontsize=8))  # fmt: skip
        start = min(starts.min().date(), target) - dt.timedelta(days=3)
    else:
        ax.text(0.5, 0.5, "Belum ada putaran verifikasi", transform=ax.transAxes, ha="center", color="#777")
        start = to_date(report_date) - dt.timedelta(days=30)
    ax.axhline(total, color="#999", lw=0.8, ls=":")
    ax.text(pd.Timestamp(start), total, f" {angka(total)} jiwa masih di desil 1", va="bottom", fontsize=8, color="#555")
    ax.axvline(pd.Timestamp(target), color=ACCENT, ls="--", lw=1.2)
    ax.set_xlim(pd.Timestamp(start), pd.Timestamp(target + dt.timedelta(days=3)))
    ax.set_ylim(0, max(total, 1) * 1.12)
    ax.text(pd.Timestamp(target), ax.get_ylim()[1] * 0.5, f"Target\n{tanggal(target)}", color=ACCENT, fontsize=8,
            ha="right", va="center")
    ax.axvline(pd.Timestamp(report_date), color="#555", lw=0.8)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m"))
    ax.yaxis.set_major_formatter(lambda v, _: angka(float(v)))
    ax.set_ylabel("jiwa")
    if per_putaran:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title("Kemajuan verifikasi lapangan per putaran (arsiran: masa penyisiran)", fontsize=11, loc="left")
    figure.tight_layout()
    _place_labels(ax, labels)
    return figure


def poverty_chart(kode_kabupaten: str = KODE_KABUPATEN) -> plt.Figure:
    """BPS poverty rate of the kabupaten (March; the years of ``kemiskinan_bps.csv``, none when it has no rows)
    against Jawa Timur and Indonesia."""
    table = poverty_context()
    rates = table[table["indikator"] == "persentase_penduduk_miskin"]
    figure, ax = plt.subplots(figsize=(8, 3.4), dpi=110)
    styles = {kabupaten_name(kode_kabupaten): ("#7a1f1f", "o"), "Provinsi Jawa Timur": ("#2c6a9a", "s"), "Indonesia": ("#555", "^")}
    for name, (colour, marker) in styles.items():
        rows = rates[rates["wilayah"] == name].sort_values("tahun")
        if rows.empty:
            continue
        ax.plot(rows["tahun"], rows["nilai"], marker=marker, color=colour, label=name)
        for x, y in zip(rows["tahun"], rows["nilai"]):
            ax.annotate(persen(y), (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7, color=colour)
    ax.yaxis.set_major_formatter(lambda v, _: persen(float(v), 1))
    ax.set_ylabel("persen penduduk miskin")
    ax.legend(fontsize=8, frameon=False, loc="lower left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title("Persentase penduduk miskin (BPS, Maret)", fontsize=11, loc="left")
    figure.tight_layout()
    return figure


@cache
def poverty_png(kode_kabupaten: str = KODE_KABUPATEN) -> bytes:
    """:func:`poverty_chart` as PNG: the same in every report of a kabupaten, so drawn once per process."""
    return png(poverty_chart(kode_kabupaten))


def deprivation_chart(profile: pd.DataFrame) -> plt.Figure:
    figure, ax = plt.subplots(figsize=(8.5, 0.45 * max(len(profile), 3) + 1), dpi=110)
    ordered = profile.sort_values("persen")
    colours = ["#2c6a9a" if s.startswith("Pengurangan") else ACCENT for s in ordered["strategi"]]
    ax.barh(ordered["indikator"], ordered["persen"], color=colours)
    for y, (value, count) in enumerate(zip(ordered["persen"], ordered["keluarga"])):
        ax.text(value + 0.5, y, f"{persen(value, 1)} % ({angka(count)} KK)", va="center", fontsize=8)
    ax.set_xlim(0, max(100, ordered["persen"].max() + 15) if len(ordered) else 100)
    ax.xaxis.set_major_formatter(lambda v, _: persen(float(v), 0))
    ax.set_xlabel("persen keluarga desil 1 dalam SK")
    ax.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure
