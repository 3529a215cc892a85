"""Building blocks of the narrative report (``notebooks/04_report.ipynb``): charts, tables and sentences.

Every function takes processed data (``status_sasaran``, ``summary.json``, P3KE tables) and returns a
matplotlib figure or an HTML fragment in Bahasa Indonesia with Indonesian number formatting. Personal data:
with ``mask_pii`` the NIK is always masked; names appear only in kecamatan case lists. Every value that comes from
data (names, programmes, the population source of the user's ``penduduk_kecamatan.csv``, region and register
names) is HTML-escaped (:func:`html_table`, :func:`esc`), in the Markdown paragraphs too (nbconvert passes raw
HTML in Markdown through).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from functools import cache, lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

from helpers import catalog, guards  # noqa: E402
from helpers import vocabulary as v  # noqa: E402
from helpers.cleaning.nik import mask_series  # noqa: E402
from helpers.config import DATA_PACKAGE_DIR, KODE_KABUPATEN, PACKAGE_DIR  # noqa: E402
from helpers.dates import to_date  # noqa: E402
from helpers.publishing import maps
from helpers.publishing.fmt import angka, per_seribu, persen, rentang_tanggal, tanggal  # noqa: E402
from helpers.reading.contract import INPUTS  # noqa: E402
from helpers.reference.figures import population_note, poverty_context  # noqa: E402
from helpers.reference.wilayah import kabupaten_name, kecamatan_table, sk_name  # noqa: E402
from helpers.statuses import perbandingan  # noqa: E402
from helpers.statuses import register as register_mod  # noqa: E402
from helpers.statuses.classify import headline, per_putaran, round_figures  # noqa: E402
from helpers.statuses.verifikasi import ATURAN_FINAL  # noqa: E402
from helpers.vocabulary import (  # noqa: E402
    ALASAN_LABELS,
    INTERVENSI_LABELS,
    KEBERADAAN_LABELS,
    METODE_LABELS,
    alasan_didatangi,
)

DEPRIVATION_FILE = DATA_PACKAGE_DIR / "deprivasi.csv"
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


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- headline figures


def field_work(status: pd.DataFrame) -> dict[str, int]:
    """People on the camat's verification form per reason (:data:`helpers.vocabulary.ALASAN_DIDATANGI`)."""
    alasan = alasan_didatangi(status["status_desil"], status["perlu_tindakan"]).value_counts()
    return {code: int(alasan.get(code, 0)) for code in v.ALASAN_DIDATANGI}


def figures(status: pd.DataFrame) -> dict:
    """Headline counts of a set of SK people (the kabupaten or one kecamatan): the ``summary.json`` keys plus
    action, matching, verification and field-work counts. ``belum_optimal_lainnya``: the not-optimal who are
    neither "ada" nor "meninggal" (moved, not found, not yet verified), so that the funnel adds up."""
    fig = headline(status)
    work = field_work(status)
    return {
        **fig,
        "belum_optimal_lainnya": fig["intervensi_belum_optimal"] - fig["belum_optimal_masih_ada"]
        - fig["belum_optimal_meninggal"],
        "perlu_tindakan": int(status["perlu_tindakan"].sum()),
        "tidak_padan": int((status["status_desil"] == v.TIDAK_PADAN).sum()),
        "tinjau_manual": int((status["status_desil"] == v.TINJAU_MANUAL).sum()),
        "diverifikasi": round_figures(status)["diverifikasi"],
        "formulir": sum(work.values()),
        **{f"formulir_{code}": n for code, n in work.items()},
    }


def esc(value: object) -> str:
    """``value`` as inert HTML text (``<``, ``>``, ``&`` and quotes escaped)."""
    return html.escape(str(value))


def cards(items: list[tuple[str, str]]) -> str:
    """Headline cards: [(value, label)] -> HTML."""
    parts = [
        f'<div class="kartu"><div class="nilai">{html.escape(v)}</div><div class="label">{html.escape(k)}</div></div>'
        for v, k in items
    ]
    return "<div>" + "".join(parts) + "</div>"


#: The styles of the headline cards and notes, shared with the report template (``{% include 'kartu.css' %}``).
CARD_STYLES = PACKAGE_DIR / "templates" / "laporan" / "kartu.css"


def notebook_styles() -> str:
    """A ``<style>`` block that gives the cards and notes in JupyterLab the look they have in the report (the
    report gets the same rules from its template)."""
    return f"<style>{CARD_STYLES.read_text(encoding='utf-8')}</style>"


def headline_cards(fig: dict, kode_kabupaten: str = KODE_KABUPATEN) -> str:
    return cards(
        [
            (angka(fig["sasaran_sk"]), f"jiwa dalam {sk_name(kode_kabupaten)}"),
            (angka(fig["keluar_desil1"]), "sudah keluar dari desil 1"),
            (angka(fig["masih_desil1"]), "masih di desil 1"),
            (angka(fig["intervensi_optimal"]), "diintervensi optimal"),
            (angka(fig["intervensi_belum_optimal"]), "diintervensi belum optimal"),
            (angka(fig["belum_intervensi"]), "belum diintervensi"),
            (angka(fig["perlu_tindakan"]), "perlu tindakan segera"),
        ]
    )


def days_left(report_date: str, target_date: str) -> int:
    return (to_date(target_date) - to_date(report_date)).days


# --------------------------------------------------------------------------- charts


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


def register_name(data: dict) -> str:
    """The register the report's statuses come from, as reports name it ("P3KE 2024", "DTSEN 2025")."""
    return register_mod.run_label(data.get("run", {}))


def _short(label: str) -> str:
    """"P3KE 2024" -> "P3KE": the register without its year, where a sentence names the source of a record."""
    return label.split()[0]


def funnel_levels(fig: dict, label: str = v.P3KE_LABEL, kode_kabupaten: str = KODE_KABUPATEN
                  ) -> list[tuple[str, str, int, str]]:  # fmt: skip
    """The funnel's boxes (key, label, value, parent key), level by level. The children of a box add up to it:
    SK = keluar + masih (+ belum padan); masih = optimal + belum optimal + belum diintervensi; belum optimal =
    masih ada + meninggal (+ status lain). Boxes in brackets are shown only when they are not zero. ``label``:
    the register (:func:`register_name`)."""
    unmatched = fig["sasaran_sk"] - fig["keluar_desil1"] - fig["masih_desil1"]
    boxes = [
        ("sasaran_sk", f"Sasaran {sk_name(kode_kabupaten)}", fig["sasaran_sk"], ""),
        ("keluar_desil1", "Keluar dari desil 1", fig["keluar_desil1"], "sasaran_sk"),
        ("masih_desil1", "Masih di desil 1", fig["masih_desil1"], "sasaran_sk"),
        *([("belum_padan", f"Belum padan {_short(label)}", unmatched, "sasaran_sk")] if unmatched else []),
        ("intervensi_optimal", "Intervensi optimal", fig["intervensi_optimal"], "masih_desil1"),
        ("intervensi_belum_optimal", "Intervensi belum optimal", fig["intervensi_belum_optimal"], "masih_desil1"),
        ("belum_intervensi", "Belum diintervensi", fig["belum_intervensi"], "masih_desil1"),
        ("belum_optimal_masih_ada", "Masih ada", fig["belum_optimal_masih_ada"], "intervensi_belum_optimal"),
        ("belum_optimal_meninggal", "Meninggal", fig["belum_optimal_meninggal"], "intervensi_belum_optimal"),
    ]
    other = fig["intervensi_belum_optimal"] - fig["belum_optimal_masih_ada"] - fig["belum_optimal_meninggal"]
    if other:
        boxes.append(("belum_optimal_lainnya", "Status lain*", other, "intervensi_belum_optimal"))
    return boxes


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


def round_label(entry: dict) -> str:
    """A round as the field knows it: ``"Minggu 41 (7–13 Okt 2024)"`` or ``"Putaran 4 (1–5 Nov 2024)"``."""
    name = entry.get("nama_putaran") or f"Putaran {entry['putaran']}"
    start, end = entry.get("periode_awal", entry["tanggal"]), entry.get("periode_akhir", entry["tanggal"])
    return f"{name} ({rentang_tanggal(start, end)})"


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


# --------------------------------------------------------------------------- tables


def html_table(frame: pd.DataFrame, right: tuple[str, ...] = ()) -> str:
    """A small HTML table of already formatted text; numeric columns named in ``right`` align right."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record):
            style = ' style="text-align:right"' if column in right else ""
            cells.append(f"<td{style}>{html.escape('' if pd.isna(value) else str(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def ranking(data: dict) -> pd.DataFrame:
    """Kecamatan ranked by people still in desil 1 per 1,000 inhabitants, or the desa of one kecamatan ranked
    by people still in desil 1 (zeros included)."""
    kode_kabupaten = data.get("kode_kabupaten", KODE_KABUPATEN)
    if data["kode"]:
        metrics = maps.map_metrics(data["status_all"], "desa", data["kode"], kode_kabupaten)
        order = ["masih_desil1", "perlu_tindakan", "kode"]
    else:
        metrics = maps.map_metrics(data["status_all"], "kecamatan", None, kode_kabupaten, data.get("raw_dir"))
        order = ["masih_desil1_per_1000", "masih_desil1", "kode"]
    ranked = metrics.sort_values(order, ascending=[False, False, True], ignore_index=True)
    ranked.insert(0, "peringkat", range(1, len(ranked) + 1))
    return ranked


def ranking_section(data: dict) -> str:
    table = ranking(data)
    shown = {
        "No": table["peringkat"],
        "Desa/Kelurahan" if data["kode"] else "Kecamatan": table["nama"],
        "Sasaran SK": table["jumlah_sk"].map(angka),
        "Keluar desil 1": table["keluar_desil1"].map(angka),
        "Masih desil 1": table["masih_desil1"].map(angka),
    }
    rates = not data["kode"] and maps.has_population(table)
    if rates:
        shown["per 1.000 penduduk"] = table["masih_desil1_per_1000"].map(per_seribu)
    shown["Optimal"] = table["optimal"].map(angka)
    shown["Belum optimal"] = table["belum_optimal"].map(angka)
    shown["Belum diintervensi"] = table["belum_intervensi"].map(angka)
    shown["Perlu tindakan"] = table["perlu_tindakan"].map(angka)
    shown["% terverifikasi"] = table["persen_terverifikasi"].map(lambda v: persen(v, 1))
    frame = pd.DataFrame(shown)
    note = (
        '<p class="catatan">Diurutkan menurut jumlah sasaran yang masih di desil 1'
        + (f" per 1.000 penduduk ({esc(table.attrs['sumber_penduduk'])})" if rates else "")
        + ". Masih desil 1 = Optimal + Belum optimal + Belum diintervensi. \"Belum optimal\": sudah diintervensi "
        "tetapi belum optimal (termasuk yang meninggal atau pindah); \"Belum diintervensi\": belum tercatat "
        "menerima intervensi apa pun."
        + ("" if data["kode"] or not _population_note(data) else f" {esc(_population_note(data))}")
        + "</p>"
    )
    return html_table(frame, right=tuple(frame.columns[2:])) + note


def _population_note(data: dict) -> str:
    return population_note(data.get("kode_kabupaten", KODE_KABUPATEN), data.get("raw_dir"))


@cache
def deprivation_rules() -> pd.DataFrame:
    """The editable deprivation rules (``data/deprivasi.csv``): column, label, pattern, strategy."""
    return pd.read_csv(DEPRIVATION_FILE)


def deprivation_profile(keluarga: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Share of the families of SK people still in desil 1 with each deprivation, and the strategy it calls for."""
    rules = deprivation_rules()
    families = status.loc[status["status_desil"] == "masih_desil1", "id_keluarga"].dropna().unique()
    chosen = keluarga[keluarga["id_keluarga"].isin(families)]
    rows = []
    for rule in rules.itertuples():
        if rule.kolom not in chosen.columns:
            continue
        values = chosen[rule.kolom].astype("string").str.lower()
        bad = values.str.contains(rule.pola_buruk, regex=True, na=False)
        known = values.notna().sum()
        rows.append(
            {
                "indikator": rule.indikator,
                "keluarga": int(bad.sum()),
                "persen": float(bad.sum() / known * 100) if known else 0.0,
                "strategi": rule.strategi,
                "program_contoh": rule.program_contoh,
            }
        )
    return pd.DataFrame(rows, columns=["indikator", "keluarga", "persen", "strategi", "program_contoh"])


def format_deprivation(profile: pd.DataFrame) -> str:
    shown = pd.DataFrame(
        {
            "Kondisi rumah tangga": profile["indikator"],
            "Keluarga": profile["keluarga"].map(angka),
            "Persen": profile["persen"].map(lambda v: persen(v, 1)),
            "Strategi yang ditunjuk": profile["strategi"],
            "Contoh program": profile["program_contoh"],
        }
    )
    return html_table(shown, right=("Keluarga", "Persen"))


def exclusion_candidates(individu: pd.DataFrame, status: pd.DataFrame, kode_kecamatan: str = "") -> pd.DataFrame:
    """P3KE desil-1 people not on the SK list, by kecamatan or by desa (possible exclusion errors).

    An individual is on the SK list when it was matched to an SK person (by ``id_individu`` when the P3KE
    export has it, else by NIK)."""
    key = "id_individu" if "id_individu" in individu.columns and individu["id_individu"].notna().all() else "nik"
    matched = set(status[key].dropna())
    desil1 = individu[(individu["desil"] == 1) & ~individu[key].isin(matched)]
    by = "kode_desa" if kode_kecamatan else "kode_kecamatan"
    if kode_kecamatan:
        desil1 = desil1[desil1["kode_kecamatan"] == kode_kecamatan]
    names = "nama_desa" if kode_kecamatan else "nama_kecamatan"
    table = desil1.groupby([by, names]).size().rename("jumlah").reset_index().sort_values("jumlah", ascending=False)
    return table.rename(columns={by: "kode", names: "nama"})


def cases_needing_action(status: pd.DataFrame, mask_pii: bool = True) -> pd.DataFrame:
    """People still in desil 1 that need action (not optimal, not deceased/moved), masked for sharing."""
    cases = status[status["perlu_tindakan"]].sort_values(["nama_desa", "nama"])
    nik = mask_series(cases["nik"]) if mask_pii else cases["nik"]
    return pd.DataFrame(
        {
            "NIK": nik.to_numpy(),
            "Nama": cases["nama"].to_numpy(),
            "Desa/Kelurahan": cases["nama_desa"].to_numpy(),
            "Status intervensi": cases["status_intervensi"].map(INTERVENSI_LABELS).to_numpy(),
            "Keberadaan": cases["status_keberadaan"].map(KEBERADAAN_LABELS).to_numpy(),
            "Program diterima": cases["program_diterima"].fillna("–").to_numpy(),
        }
    )


def data_quality(summary: dict) -> pd.DataFrame:
    """Rows read, dropped as duplicates and quarantined per input, in the contract's order and by their
    Indonesian names; an optional input without any row is left out (:func:`inputs_without_rows` names it)."""
    read = summary["baris_masuk"]
    inputs = [name for name, spec in INPUTS.items() if name in read and (read[name] or not spec.may_be_absent)]
    inputs += [name for name in read if name not in INPUTS]
    ignored = summary.get("diabaikan", {})
    return pd.DataFrame(
        {
            "Data": [INPUTS[i].label if i in INPUTS else i for i in inputs],
            "Baris dibaca": [angka(summary["baris_masuk"][i]) for i in inputs],
            "Duplikat dibuang": [angka(summary["baris_duplikat"].get(i, 0)) for i in inputs],
            "Dikarantina": [angka(summary["baris_karantina"].get(i, 0)) for i in inputs],
            "Diabaikan": [angka(guards.ignored_total(ignored.get(i, {}))) for i in inputs],
        }
    )


def ignored_notes(summary: dict) -> list[str]:
    """One sentence per input with rows left out of this report (ignored, or records repeated in another file and
    counted once), each naming its review list. Empty when nothing was left out."""
    lists = {"intervensi": catalog.INTERVENSI_MASALAH.path, "verifikasi": catalog.KEBERADAAN_MASALAH.path}
    notes = []
    for name, kinds in summary.get("diabaikan", {}).items():
        parts = [f"{angka(n)} {guards.JENIS_DIABAIKAN.get(k, k)}" for k, n in kinds.items() if n]
        if parts:
            notes.append(f"Data {name}: {', '.join(parts)} — tidak dipakai untuk laporan ini (daftar dengan file dan "
                         f"barisnya: data/processed/{lists.get(name, '')}).")  # fmt: skip
    for name, n in summary.get("catatan_ganda", {}).items():
        if n:
            notes.append(f"Data {name}: {angka(n)} catatan sama yang tertulis lagi di file lain (atau ditulis berbeda) "
                         f"dihitung satu kali (data/processed/{catalog.INTERVENSI_GANDA.path}).")  # fmt: skip
    return notes


def match_methods(padan: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {"Metode padan": list(METODE_LABELS.values()), "Jiwa": [angka(padan.get(k, 0)) for k in METODE_LABELS]}
    )


def kecamatan_label(kode: str, kode_kabupaten: str = KODE_KABUPATEN) -> str:
    table = kecamatan_table(kode_kabupaten)
    return dict(zip(table["kode"], table["nama"])).get(kode, kode)


def safe_filename(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]+", "_", text)



# --------------------------------------------------------------------------- data and narrative

_INDIVIDU_COLUMNS = ["id_individu", "nik", "desil", "kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa"]


@lru_cache(maxsize=8)
def _read_cached(path: Path, modified: int, columns: tuple[str, ...] | None) -> pd.DataFrame:
    if columns is None:
        return pd.read_parquet(path)
    import pyarrow.parquet as pq

    present = set(pq.read_schema(path).names)
    return pd.read_parquet(path, columns=[c for c in columns if c in present])


def _read_columns(path: Path, wanted: list[str] | None = None) -> pd.DataFrame:
    """A processed table (only the ``wanted`` columns present), read once per process while the file is
    unchanged: one rendering process serves many reports. Callers get their own copy."""
    path = Path(path)
    return _read_cached(path, path.stat().st_mtime_ns, tuple(wanted) if wanted else None).copy()


def _register_individuals(processed: Path, run: dict) -> pd.DataFrame:
    """The individuals of the register the run matched against (``desil`` = the chosen DTSEN decile for DTSEN)."""
    if run.get("register") != v.DTSEN:
        return _read_columns(catalog.P3KE_INDIVIDU.at(processed), _INDIVIDU_COLUMNS)
    column = f"desil_{run['desil_dtsen']}"
    wanted = [c if c != "desil" else column for c in _INDIVIDU_COLUMNS]
    return _read_columns(catalog.DTSEN_INDIVIDU.at(processed), wanted).rename(columns={column: "desil"})


def _families(processed: Path, run: dict) -> pd.DataFrame:
    """The P3KE family conditions, keyed as ``status_sasaran.id_keluarga`` is: the P3KE family id, or for a DTSEN
    run the KK number (each KK gets the P3KE family of its members found in P3KE by NIK)."""
    keluarga = _read_columns(catalog.P3KE_KELUARGA.at(processed), ["id_keluarga", *deprivation_rules()["kolom"]])
    if run.get("register") != v.DTSEN:
        return keluarga
    members = _read_columns(catalog.DTSEN_INDIVIDU.at(processed), ["nik", "no_kk"]).dropna()
    p3ke = _read_columns(catalog.P3KE_INDIVIDU.at(processed), ["nik", "id_keluarga"]).dropna()
    kk = members.merge(p3ke, on="nik").sort_values(["no_kk", "id_keluarga"]).drop_duplicates("no_kk")
    return kk[["no_kk", "id_keluarga"]].merge(keluarga, on="id_keluarga").drop(columns="id_keluarga").rename(
        columns={"no_kk": "id_keluarga"}
    )


def _comparison(processed: Path, run: dict, kode: str) -> pd.DataFrame | None:
    """``tinjau/perbandingan_register.csv`` of a DTSEN run (only this kecamatan's rows for a kecamatan)."""
    path = catalog.PERBANDINGAN_CSV.at(processed)
    if run.get("register") != v.DTSEN or not path.is_file():
        return None
    frame = pd.read_csv(path, dtype=str)
    return frame[frame["kode_kecamatan"] == kode] if kode else frame


def load_report_data(
    processed_dir: str | Path, kode: str, kode_kabupaten: str = KODE_KABUPATEN, raw_dir: str | Path | None = None
) -> dict:
    """Everything a report reads, for the kabupaten (``kode`` = '') or one kecamatan of ``kode_kabupaten``;
    ``raw_dir`` holds the user's population table, if any."""
    processed = Path(processed_dir)
    run = catalog.read_json(catalog.PARAMETER_RUN, processed)
    status_all = _read_columns(catalog.STATUS_SASARAN.at(processed))
    status = status_all[status_all["kode_kecamatan"] == kode] if kode else status_all
    rounds_file = catalog.STATUS_PUTARAN.at(processed)
    rounds = _read_columns(rounds_file) if rounds_file.is_file() else pd.DataFrame()
    return {
        "kode": kode,
        "nama": kecamatan_label(kode, kode_kabupaten) if kode else "",
        "kode_kabupaten": kode_kabupaten,
        "nama_kabupaten": kabupaten_name(kode_kabupaten),
        "raw_dir": raw_dir,
        "status_all": status_all,
        "status": status,
        "summary": catalog.read_json(catalog.SUMMARY, processed),
        "run": run,
        "keluarga": _families(processed, run),
        "individu": _register_individuals(processed, run),
        "perbandingan": _comparison(processed, run, kode),
        "rounds": rounds[rounds["kode_kecamatan"] == kode] if kode and len(rounds) else rounds,
        "angka": figures(status),
    }


def _sk(data: dict) -> str:
    """"SK Bupati" / "SK Wali Kota" for the report's kabupaten/kota."""
    return sk_name(data.get("kode_kabupaten", KODE_KABUPATEN))


def _share(part: int, whole: int) -> str:
    return persen(100 * part / whole, 2) if whole else "–"


#: How ``belum_intervensi`` relates to "belum optimal" (one sentence, in the intro and definitions).
BELUM_INTERVENSI_SENTENCE = (
    "\"Belum optimal\" berarti sudah menerima intervensi tetapi belum optimal, sedangkan \"belum diintervensi\" "
    "berarti masih di desil 1 tanpa satu pun intervensi tercatat sampai tanggal laporan; keduanya tidak tumpang "
    "tindih."
)


def belum_intervensi_sentence(fig: dict | None = None) -> str:
    """:data:`BELUM_INTERVENSI_SENTENCE`, followed, when the figures ``fig`` show that everyone still in desil 1
    has received an intervention, by a sentence saying so (said only where the data says it)."""
    if fig and fig.get("masih_desil1") and fig.get("belum_intervensi") == 0:
        return (
            BELUM_INTERVENSI_SENTENCE + f" Sampai tanggal laporan, seluruh {angka(fig['masih_desil1'])} jiwa yang "
            "masih di desil 1 sudah menerima intervensi."
        )
    return BELUM_INTERVENSI_SENTENCE


def _other_presence(f: dict) -> str:
    other = f["intervensi_belum_optimal"] - f["belum_optimal_masih_ada"] - f["belum_optimal_meninggal"]
    return f", {angka(other)} jiwa pindah, tidak ditemukan atau belum diverifikasi" if other else ""


def intro(data: dict, report_date: str, target_date: str) -> str:
    """The opening paragraph of a report, in Indonesian with Indonesian formatting."""
    f = data["angka"]
    kode_kabupaten = data.get("kode_kabupaten", KODE_KABUPATEN)
    where = esc(f"Kecamatan {data['nama']}" if data["kode"] else kabupaten_name(kode_kabupaten))
    left = days_left(report_date, target_date)
    deadline = (
        f"Sisa waktu menuju target nol kemiskinan ekstrem ({tanggal(target_date)}): **{angka(left)} hari**."
        if left >= 0
        else f"Target {tanggal(target_date)} telah lewat {angka(-left)} hari."
    )
    return (
        f"Keadaan per **{tanggal(report_date)}** untuk **{where}**. Dari **{angka(f['sasaran_sk'])} jiwa** sasaran "
        f"{_sk(data)}, **{angka(f['keluar_desil1'])} jiwa** ({_share(f['keluar_desil1'], f['sasaran_sk'])} persen) "
        f"sudah tidak lagi berada di desil 1 {esc(register_name(data))} dan **{angka(f['masih_desil1'])} jiwa** masih di "
        "desil 1. "
        f"Dari yang masih di desil 1, **{angka(f['intervensi_optimal'])} jiwa** sudah diintervensi optimal oleh OPD, "
        f"**{angka(f['intervensi_belum_optimal'])} jiwa** diintervensi belum optimal — "
        f"{angka(f['belum_optimal_masih_ada'])} jiwa masih ada dan {angka(f['belum_optimal_meninggal'])} jiwa "
        f"meninggal dunia{_other_presence(f)} — dan **{angka(f['belum_intervensi'])} jiwa** belum diintervensi "
        f"sama sekali. {belum_intervensi_sentence(f)} {deadline}\n\n"
        f"**Perlu tindakan segera: {angka(f['perlu_tindakan'])} jiwa** (masih di desil 1, intervensi belum optimal "
        "atau belum ada, dan tidak meninggal atau pindah)."
    )


def round_table(rounds: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rounds)
    if frame.empty:
        return frame
    return pd.DataFrame(
        {
            "No": frame["putaran"],
            "Putaran": [round_label(r) for r in rounds],
            "Keadaan per": frame["tanggal"].map(tanggal),
            "Diverifikasi": frame["diverifikasi"].map(angka),
            "Ada": frame["ada"].map(angka),
            "Meninggal": frame["meninggal"].map(angka),
            "Pindah": frame["pindah"].map(angka),
            "Tidak ditemukan": frame["tidak_ditemukan"].map(angka),
            "Perlu tindakan": frame["perlu_tindakan"].map(angka),
        }
    )


def rounds_for(data: dict) -> list[dict]:
    """Per-round figures: the summary's for the kabupaten, recounted from ``status_putaran`` for a kecamatan."""
    if not data["kode"]:
        return data["summary"].get("per_putaran", [])
    return per_putaran(data["rounds"]) if len(data["rounds"]) else []



def exclusion_section(data: dict) -> str:
    table = exclusion_candidates(data["individu"], data["status_all"], data["kode"])
    total = int(table["jumlah"].sum())
    level = "desa/kelurahan" if data["kode"] else "kecamatan"
    if data["kode"]:
        shown = table.head(15)
    else:
        areas = kecamatan_table(data.get("kode_kabupaten", KODE_KABUPATEN), data.get("raw_dir"))
        population = areas.set_index("kode")["penduduk"]
        shown = table.assign(per_1000=table["kode"].map(population).pipe(lambda p: table["jumlah"] / p * 1000))
        if shown["per_1000"].isna().all():
            shown = shown.drop(columns="per_1000")
    frame = pd.DataFrame({level.capitalize(): shown["nama"], "Jiwa desil 1 di luar SK": shown["jumlah"].map(angka)})
    if "per_1000" in shown:
        frame["per 1.000 penduduk"] = shown["per_1000"].map(per_seribu)
    intro_text = (
        f"<p>Sebanyak <b>{angka(total)} jiwa</b> berada di desil 1 {esc(register_name(data))} tetapi tidak tercantum dalam "
        f"{_sk(data)}. Sebaran menurut {level}"
        + (" (15 terbanyak)" if data["kode"] and len(table) > 15 else "")
        + ":</p>"
    )
    return intro_text + html_table(frame, right=tuple(frame.columns[1:]))


def matching_text(data: dict) -> str:
    """The paragraph introducing the padu padan funnel."""
    return (
        f"Setiap jiwa dalam {_sk(data)} dipadankan dengan data {register_name(data)}: pertama menurut NIK (setelah NIK "
        "dibersihkan), lalu — bila NIK rusak atau salah ketik — menurut kemiripan nama di desa yang sama dan tanggal "
        "lahir. Bagan berikut menunjukkan ke mana setiap sasaran berakhir; di setiap tingkat, kotak-kotak di bawah "
        "menjumlah tepat ke kotak di atasnya (masih di desil 1 = intervensi optimal + belum optimal + belum "
        "diintervensi)."
    )


def deprivation_text(data: dict) -> str:
    """The paragraph introducing the deprivation profile (housing conditions are P3KE's, whatever the register:
    for DTSEN, the P3KE family of the same people)."""
    dtsen = data.get("run", {}).get("register") == v.DTSEN
    source = f"{v.P3KE_LABEL} (keluarga P3KE dari orang yang sama)" if dtsen else v.P3KE_LABEL
    return (
        f"Kondisi rumah keluarga sasaran yang masih di desil 1 menurut {source}, dan strategi nasional yang "
        "ditunjuk oleh setiap kondisi (aturan di `src/helpers/data/deprivasi.csv`, dapat diubah TKPK)."
    )


def exclusion_text(data: dict) -> str:
    """The paragraph introducing the possible exclusion errors."""
    return (
        f"Penduduk desil 1 {register_name(data)} yang **tidak** tercantum dalam {_sk(data)}. Mereka bukan sasaran SK, "
        "tetapi perlu dicermati: sebagian mungkin seharusnya masuk daftar sasaran."
    )


def comparison_section(data: dict) -> str:
    """For a DTSEN run with P3KE cleaned too: how many SK people left and entered desil 1 between P3KE 2024 and
    DTSEN (counts only; the list, NIK masked, is ``tinjau/perbandingan_register.csv``). Empty otherwise."""
    frame = data.get("perbandingan")
    if frame is None:
        return ""
    found = perbandingan.counts(frame)
    where = esc(f"Kecamatan {data['nama']}" if data["kode"] else kabupaten_name(data.get("kode_kabupaten", KODE_KABUPATEN)))
    label = esc(register_name(data))
    rows = pd.DataFrame({"Perubahan": [v.PERUBAHAN_LABELS[c] for c in v.PERUBAHAN],
                         "Jiwa": [angka(found[c]) for c in v.PERUBAHAN]})  # fmt: skip
    return (
        f"<h2>Perbandingan {v.P3KE_LABEL} → {label}</h2>"
        f"<p>Sasaran {_sk(data)} di {where} menurut desil 1 di kedua register: <b>{angka(found[v.KELUAR])} "
        f"jiwa</b> masih di desil 1 {v.P3KE_LABEL} tetapi sudah di luar desil 1 {label}, dan "
        f"<b>{angka(found[v.MASUK])} jiwa</b> sebaliknya: sudah keluar dari desil 1 {v.P3KE_LABEL} "
        f"tetapi berada di desil 1 {label}.</p>"
        + html_table(rows, right=("Jiwa",))
        + '<p class="catatan">Daftar per orang (NIK tersamar) ada di data/processed/tinjau/perbandingan_register.csv, '
        "hanya untuk petugas yang menindaklanjuti.</p>"
    )


def context_text(kode_kabupaten: str = KODE_KABUPATEN, label: str = v.P3KE_LABEL) -> str:
    """BPS poverty context of the kabupaten from ``kemiskinan_bps.csv``; when the table has no figures for it, one
    sentence saying so, with the province and national rates. ``label``: the register whose desil 1 is the
    operational measure (:func:`register_name`)."""
    table = poverty_context()
    name = kabupaten_name(kode_kabupaten)
    rate = table[table["indikator"] == "persentase_penduduk_miskin"].set_index(["wilayah", "tahun"])["nilai"]
    own = table[table["wilayah"] == name]
    poor = own[own["indikator"] == "jumlah_penduduk_miskin"].set_index("tahun")["nilai"]
    line = own[own["indikator"] == "garis_kemiskinan"]["nilai"]
    needed = [(name, 2023), (name, 2024), (name, 2025)]
    note = (
        "*Catatan definisi:* kemiskinan ekstrem diukur BPS dengan garis pengeluaran (USD 1,9 PPP per hari hingga "
        f"2024); dalam laporan ini \"masih di desil 1 {label}\" dipakai sebagai ukuran operasional, sesuai "
        f"praktik TKPK {name}."
    )
    if not (all(k in rate.index for k in needed) and {2023, 2024} <= set(poor.index) and len(line)):
        return (
            f"Angka kemiskinan BPS untuk {name} belum dimuat dalam tabel rujukan "
            f"(src/helpers/data/kemiskinan_bps.csv); sebagai pembanding, persentase penduduk miskin Jawa Timur "
            f"{persen(rate['Provinsi Jawa Timur', 2024])} persen dan Indonesia {persen(rate['Indonesia', 2024])} "
            "persen (Maret 2024).\n\n" + note
        )
    short = name.removeprefix("Kabupaten ").removeprefix("Kota ")
    change = "turun" if rate[name, 2024] < rate[name, 2023] else "naik"
    others = [rate["Provinsi Jawa Timur", 2024], rate["Indonesia", 2024]]
    position = "di bawah" if rate[name, 2024] < min(others) else "di atas" if rate[name, 2024] > max(others) else "dibandingkan"
    return (
        f"Menurut BPS (Susenas Maret), persentase penduduk miskin {name} {change} dari "
        f"{persen(rate[name, 2023])} persen (2023) menjadi {persen(rate[name, 2024])} "
        f"persen (2024), {position} Jawa Timur ({persen(rate['Provinsi Jawa Timur', 2024])} persen) dan Indonesia "
        f"({persen(rate['Indonesia', 2024])} persen). Jumlah penduduk miskin {short} {persen(poor[2023])} ribu jiwa "
        f"(2023) dan {persen(poor[2024])} ribu jiwa (2024); garis kemiskinan 2024 Rp{angka(line.iloc[0])} per kapita per "
        f"bulan. Pada 2025 angkanya {persen(rate[name, 2025])} persen.\n\n" + note
    )


def field_work_section(data: dict, mask_pii: bool = True) -> str:
    """Who the camat's verification forms list and why (counts; for a kecamatan also the people without a
    P3KE record, NIK masked)."""
    f = data["angka"]
    where = esc(f"Kecamatan {data['nama']}" if data["kode"] else "seluruh kecamatan")
    parts = [
        f"{angka(f['formulir_' + code])} jiwa: {ALASAN_LABELS[code].lower()}" for code in v.ALASAN_DIDATANGI
    ]
    text = (
        f"<p>Formulir verifikasi lapangan {where} memuat <b>{angka(f['formulir'])} jiwa</b>: "
        + "; ".join(parts)
        + ". Kolom \"Alasan Didatangi\" pada formulir menyebut alasan setiap orang. Sasaran yang belum ditemukan "
        "di P3KE didatangi dengan data SK (nama, NIK SK, desa, alamat); bila ditemukan, petugas menulis NIK-nya "
        "di kolom \"NIK Temuan Lapangan\" dan temuan itu ditinjau Sekretariat TKPK sebelum dipadankan.</p>"
    )
    if not data["kode"]:
        return text
    status = data["status"]
    unmatched = status[status["status_desil"].isin((v.TIDAK_PADAN, v.TINJAU_MANUAL))].sort_values(["nama_desa", "nama"])
    if unmatched.empty:
        return text
    nik = mask_series(unmatched["nik"]) if mask_pii else unmatched["nik"]
    table = pd.DataFrame(
        {
            "NIK (SK)": nik.to_numpy(),
            "Nama": unmatched["nama"].to_numpy(),
            "Desa/Kelurahan": unmatched["nama_desa"].to_numpy(),
            "Alasan didatangi": unmatched["status_desil"].map(ALASAN_LABELS).to_numpy(),
            "Keberadaan": unmatched["status_keberadaan"].map(KEBERADAAN_LABELS).to_numpy(),
        }
    )
    return text + html_table(table)


def cases_section(data: dict, mask_pii: bool = True) -> str:
    """Kecamatan reports only: the list of cases needing action (NIK masked)."""
    if not data["kode"]:
        return ""
    cases = cases_needing_action(data["status"], mask_pii)
    head = "<h2>Daftar sasaran yang perlu tindakan</h2>"
    if cases.empty:
        return head + "<p>Tidak ada sasaran yang perlu tindakan pada tanggal laporan ini.</p>"
    return (
        head
        + f"<p>{angka(len(cases))} jiwa masih di desil 1 dengan intervensi belum optimal atau belum ada, dan "
        "tidak meninggal atau pindah. NIK disamarkan; daftar lengkap ada pada formulir verifikasi camat.</p>"
        + html_table(cases)
    )


def inputs_without_rows(summary: dict) -> list[str]:
    """Indonesian names of the optional inputs that had no row at all (absent from the raw folder)."""
    read = summary["baris_masuk"]
    return [spec.label for name, spec in INPUTS.items() if spec.may_be_absent and name in read and not read[name]]


def quality_section(data: dict) -> str:
    summary = data["summary"]
    notes = "".join(f'<p class="catatan">{html.escape(n)}</p>' for n in ignored_notes(summary))
    warnings = "".join(f'<p class="catatan"><strong>Peringatan:</strong> {html.escape(w)}</p>'
                       for w in summary.get("peringatan", []))  # fmt: skip
    absent = inputs_without_rows(summary)
    return (
        "<h3>Baris data yang dibaca</h3>"
        + html_table(data_quality(summary), right=("Baris dibaca", "Duplikat dibuang", "Dikarantina", "Diabaikan"))
        + '<p class="catatan">Baris yang dikarantina tercatat beserta alasannya di data/processed/karantina/.'
        + (f" Tidak ada data: {', '.join(html.escape(a) for a in absent)}." if absent else "")
        + "</p>"
        + notes
        + warnings
        + "<h3>Metode padu padan (seluruh kabupaten)</h3>"
        + html_table(match_methods(summary["padan"]), right=("Jiwa",))
    )


def _dtsen_decile(run: dict) -> str:
    """For DTSEN: which of its three deciles the report uses (empty for P3KE)."""
    if run.get("register") != v.DTSEN:
        return ""
    level = {"kabupaten": "kabupaten/kota", "provinsi": "provinsi", "nasional": "nasional"}[run["desil_dtsen"]]
    return (
        f" Desil DTSEN yang dipakai: desil {level} (peringkat kesejahteraan di antara penduduk {level}; DTSEN "
        "memuat desil nasional, provinsi dan kabupaten/kota)."
    )


def definitions(data: dict) -> str:
    run = {k: esc(value) if isinstance(value, str) else value for k, value in data["run"].items()}
    label = esc(register_name(data))
    short = _short(label)
    return (
        "**Definisi yang berlaku dalam laporan ini**\n\n"
        f"- *Keluar dari desil 1*: sasaran SK yang padan dengan {label} dan berada di desil 2 atau lebih."
        f"{_dtsen_decile(run)}\n"
        f"- *Masih di desil 1*: sasaran SK yang padan dengan {label} dan berada di desil 1.\n"
        f"- *Intervensi optimal*: {run['definisi_optimal']}\n"
        f"- *Padu padan*: setiap pasangan sasaran SK–{short} dinilai dengan model probabilistik (Fellegi–Sunter) atas "
        "bagian-bagian NIK, nama yang dinormalkan (ejaan lama, singkatan, gelar), tanggal lahir, desa dan jenis "
        f"kelamin. Padan otomatis bila bobot padan minimal {angka(run['ambang_padan'], 1)} bit, nama mirip, NIK "
        "atau tanggal lahir cocok, dan kandidat berikutnya jauh lebih lemah; NIK sama tetapi nama berbeda tidak "
        f"pernah dipadankan otomatis. Bobot antara {angka(run['ambang_tinjau'], 1)} dan "
        f"{angka(run['ambang_padan'], 1)} bit: tinjau manual; di bawahnya: tidak padan. Satu orang {short} hanya "
        "untuk satu sasaran.\n"
        "- *Perlu tindakan*: masih di desil 1, intervensi belum optimal atau belum ada, dan tidak meninggal atau "
        "pindah menurut verifikasi camat terakhir.\n"
        "- *Masih di desil 1* = *intervensi optimal* + *intervensi belum optimal* + *belum diintervensi*. "
        f"{BELUM_INTERVENSI_SENTENCE}\n"
        f"- *Keberadaan*: status verifikasi camat terakhir sampai tanggal laporan. {ATURAN_FINAL}\n"
        "- *Putaran verifikasi*: satu masa penyisiran, bukan satu tanggal. Baris formulir yang mencantumkan nomor "
        "putaran dikelompokkan menurut nomor itu; baris tanpa nomor dikelompokkan menurut minggu kalender (ISO, "
        "Senin–Minggu) tanggal verifikasinya. Angka setiap putaran adalah keadaan kumulatif pada tanggal verifikasi "
        "terakhir dalam putaran tersebut.\n"
        "- *Formulir verifikasi*: memuat semua sasaran yang masih di desil 1 (yang perlu tindakan lebih dulu "
        f"disebut), semua sasaran yang belum ditemukan di {short}, dan semua sasaran yang padanannya perlu ditinjau.\n"
        f"- Data intervensi dan verifikasi dihitung sampai tanggal laporan ({tanggal(run['report_date'])})."
    )


def map_files(folder: Path, kode: str) -> list[Path]:
    """The maps of a report that exist: kabupaten maps, or the desa maps of one kecamatan."""
    kabupaten = [maps.map_path(folder, metric) for metric in maps.KABUPATEN_MAPS]
    desa = [maps.map_path(folder, metric, kode) for metric in maps.DESA_MAPS] if kode else []
    found = [p for p in desa if p.is_file()]
    # Without desa boundaries a kecamatan report shows the kabupaten map of people still in desil 1.
    return found or [p for p in (kabupaten[:1] if kode else kabupaten) if p.is_file()]
