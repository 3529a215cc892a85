"""Choropleth maps of the SK Bupati (or SK Wali Kota) target people, by kecamatan and by desa, as small PNG files.

:func:`map_metrics` counts ``status_sasaran`` per area (every area of the level present, zeros included);
:func:`plot_map` draws one metric; :func:`render_maps` writes every kabupaten map and the desa maps of each
kecamatan. Figures are built with :class:`matplotlib.figure.Figure` (no pyplot, no global backend state), so the
module is safe in notebooks, scripts and worker processes alike.

Cartographic choices: UTM 49S; classes by Fisher-Jenks (deterministic, unlike NaturalBreaks) or one class per
value when there are few distinct values, with a separate "0" class for counts; ColorBrewer sequential palettes
(colour-blind safe); areas without a value drawn hatched (``missing_kwds``); names at ``representative_point()``
with a white halo; scale bar, north arrow ("U" = utara), locator inset, units and source note in Indonesian.
"""

from __future__ import annotations

import os
import re
import tempfile
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib import colormaps, patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap, to_hex
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrow, Patch
from matplotlib_scalebar.scalebar import ScaleBar
from PIL import Image
from shapely.ops import polylabel

from helpers import catalog, execution
from helpers import vocabulary as v
from helpers.config import KODE_KABUPATEN
from helpers.errors import InputError
from helpers.publishing import fmt
from helpers.publishing.boundaries import SCHEMATIC_NOTE, describe_source, schematic_kecamatan
from helpers.reference import wilayah
from helpers.vocabulary import P3KE_LABEL, STATUS_DESIL, STATUS_INTERVENSI
from helpers.vocabulary import STATUS_KEBERADAAN_SASARAN as STATUS_KEBERADAAN

DPI = 120
FIGSIZE = (8.4, 7.2)
REQUIRED_COLUMNS = ("kode_kecamatan", "kode_desa", "status_desil", "status_intervensi", "status_keberadaan")
COUNT_COLUMNS = (
    "jumlah_sk",
    "keluar_desil1",
    "masih_desil1",
    "tinjau_manual",
    "tidak_padan",
    "optimal",
    "belum_optimal",
    "belum_intervensi",
    "perlu_tindakan",
    "terverifikasi",
)
SOURCE_DATA = "P3KE 2024 (Kemenko PMK), SK {kepala} tentang sasaran kemiskinan ekstrem; diolah Bappeda"
#: Who publishes each register (for the source line of a map).
PUBLISHER = {"P3KE": "Kemenko PMK", "DTSEN": "BPS"}
SOURCE_POPULATION = "penduduk: BPS, proyeksi 2022"
#: The rate map that needs population figures (skipped for a kabupaten without any).
RATE_MAP = "masih_desil1_per_1000"
DEFINITION_NOTE = "Desil 1 P3KE 2024 dipakai sebagai ukuran operasional kemiskinan ekstrem."
VERIFIED_NOTE = "Terverifikasi = status keberadaan sudah dilaporkan camat (ada, meninggal, pindah, tidak ditemukan)."
INK = "#222222"
MUTED = "#666666"
HALO = [patheffects.withStroke(linewidth=2.2, foreground="white")]


def for_register(text: str, register: str) -> str:
    """A map text written for P3KE 2024 (:data:`SOURCE_DATA`, :data:`DEFINITION_NOTE`, a title) for the register
    ``register`` ("DTSEN 2025"): unchanged for P3KE 2024."""
    if register == P3KE_LABEL:
        return text
    publisher = PUBLISHER.get(register.split()[0], "")
    text = text.replace(f"{P3KE_LABEL} (Kemenko PMK)", f"{register} ({publisher})" if publisher else register)
    return text.replace(P3KE_LABEL, register)


def source_data(kode_kabupaten: str = KODE_KABUPATEN, register: str = P3KE_LABEL) -> str:
    """The data source line of a map: the register (:func:`for_register`) and the SK of the kabupaten's head."""
    return for_register(SOURCE_DATA.format(kepala=wilayah.kepala_daerah(kode_kabupaten)), register)


@dataclass(frozen=True)
class MapSpec:
    """One mapped metric: what it counts, how it is titled, coloured and formatted."""

    kolom: str
    judul: str
    satuan: str
    cmap: str
    desimal: int = 0
    pembilang: str = ""
    penyebut: str = ""
    skala: float = 1.0
    label_kosong: str = "Tidak ada data"
    tingkat: tuple[str, ...] = ("kecamatan", "desa")

    @property
    def is_count(self) -> bool:
        return not self.penyebut

    def format(self, value: object) -> str:
        return fmt.angka(value, self.desimal)


SPECS: dict[str, MapSpec] = {
    spec.kolom: spec
    for spec in (
        MapSpec("masih_desil1", "Sasaran SK Bupati yang masih di desil 1 P3KE 2024", "Jumlah (jiwa)", "YlOrRd"),
        MapSpec(
            "masih_desil1_per_1000",
            "Sasaran masih desil 1 per 1.000 penduduk",
            "Orang per 1.000 penduduk",
            "YlOrRd",
            desimal=2,
            pembilang="masih_desil1",
            penyebut="penduduk",
            skala=1000.0,
            label_kosong="Data penduduk tidak tersedia",
            tingkat=("kecamatan",),
        ),
        MapSpec(
            "persen_keluar",
            "Sasaran SK Bupati yang sudah keluar dari desil 1",
            "% dari sasaran SK",
            "YlGn",
            desimal=1,
            pembilang="keluar_desil1",
            penyebut="jumlah_sk",
            skala=100.0,
            label_kosong="Tidak ada sasaran SK",
        ),
        MapSpec("belum_optimal", "Sasaran desil 1 yang diintervensi belum optimal", "Jumlah (jiwa)", "OrRd"),
        MapSpec(
            "persen_terverifikasi",
            "Cakupan verifikasi lapangan sasaran desil 1",
            "% sasaran desil 1 sudah diverifikasi",
            "Blues",
            desimal=1,
            pembilang="terverifikasi",
            penyebut="masih_desil1",
            skala=100.0,
            label_kosong="Tidak ada sasaran desil 1",
        ),
    )
}
KABUPATEN_MAPS = tuple(SPECS)
DESA_MAPS = tuple(name for name, spec in SPECS.items() if "desa" in spec.tingkat)


# --------------------------------------------------------------------------------------------------- metrics


def _check_status(status: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in status.columns]
    if missing:
        raise InputError(f"Tabel status_sasaran tidak memiliki kolom {', '.join(missing)}.")
    allowed = {
        "status_desil": STATUS_DESIL,
        "status_intervensi": STATUS_INTERVENSI,
        "status_keberadaan": STATUS_KEBERADAAN,
    }
    for column, values in allowed.items():
        present = status[column].dropna() if column == "status_keberadaan" else status[column]
        unknown = sorted({str(v) for v in present.unique()} - set(values))
        if unknown:
            raise InputError(
                f"Kolom {column} di status_sasaran berisi nilai tidak dikenal: {', '.join(unknown)} "
                f"(yang valid: {', '.join(values)})."
            )


def _indicators(status: pd.DataFrame) -> pd.DataFrame:
    """One 0/1 column per counted category, one row per SK person."""
    desil = status["status_desil"].astype(str)
    still = desil.eq(v.MASIH_DESIL1)
    intervensi = status["status_intervensi"].astype(str)
    presence = status["status_keberadaan"].astype("string").fillna(v.BELUM_DIVERIFIKASI)
    return pd.DataFrame(
        {
            "jumlah_sk": 1,
            "keluar_desil1": desil.eq("keluar_desil1"),
            "masih_desil1": still,
            "tinjau_manual": desil.eq("tinjau_manual"),
            "tidak_padan": desil.eq("tidak_padan"),
            "optimal": still & intervensi.eq(v.OPTIMAL),
            "belum_optimal": still & intervensi.eq(v.BELUM_OPTIMAL),
            "belum_intervensi": still & intervensi.eq(v.BELUM_INTERVENSI),
            "perlu_tindakan": v.perlu_tindakan(desil, status["status_intervensi"], presence),
            "terverifikasi": still & presence.ne(v.BELUM_DIVERIFIKASI),
        },
        index=status.index,
    ).astype("int64")


def add_rates(metrics: pd.DataFrame) -> pd.DataFrame:
    """Rate columns of :data:`SPECS` (NaN where the denominator is zero or missing)."""
    metrics = metrics.copy()
    for spec in SPECS.values():
        if spec.is_count or spec.penyebut not in metrics.columns:
            continue
        denominator = pd.to_numeric(metrics[spec.penyebut], errors="coerce").astype("float64")
        numerator = metrics[spec.pembilang].astype("float64")
        metrics[spec.kolom] = (numerator / denominator.where(denominator > 0) * spec.skala).astype("float64")
    return metrics


def map_metrics(
    status_sasaran: pd.DataFrame,
    level: str = "kecamatan",
    kode_kecamatan: str | None = None,
    kode_kabupaten: str = KODE_KABUPATEN,
    raw_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Counts and rates per area: every kecamatan of the kabupaten, or every desa of ``kode_kecamatan``.

    Columns: ``kode``, ``nama``, the counts of :data:`COUNT_COLUMNS`, ``penduduk`` (kecamatan only: the shipped
    table and the user's ``<raw_dir>/penduduk_kecamatan.csv``, see :func:`helpers.reference.wilayah.population_table`)
    and the rate columns of :data:`SPECS`. Areas without any SK person have zeros. People whose area code is
    missing or unknown are not mapped; their number is in ``attrs["tanpa_wilayah"]``. ``attrs["sumber_penduduk"]``
    names the population source of the map notes.
    """
    _check_status(status_sasaran)
    counts = _indicators(status_sasaran)
    population_source = ""
    if level == "kecamatan":
        table = wilayah.kecamatan_table(kode_kabupaten, raw_dir)
        areas = table[["kode", "nama", "penduduk"]]
        population_source = _population_source(table)
        key = status_sasaran["kode_kecamatan"].astype("string")
        in_scope = pd.Series(True, index=status_sasaran.index)
    elif level == "desa":
        if not kode_kecamatan:
            raise ValueError("kode_kecamatan is required for level='desa'")
        desa = wilayah.desa_table(kode_kabupaten)
        areas = desa.loc[desa["kode_kecamatan"] == kode_kecamatan, ["kode", "nama"]]
        key = status_sasaran["kode_desa"].astype("string")
        in_scope = status_sasaran["kode_kecamatan"].astype("string").eq(kode_kecamatan).fillna(False)
    else:
        raise ValueError(f"level must be 'kecamatan' or 'desa', not {level!r}")
    known = key.isin(areas["kode"]).fillna(False) & in_scope
    totals = counts[known].groupby(key[known].astype(str)).sum()
    totals = totals.reindex(areas["kode"], fill_value=0).reset_index(names="kode")
    metrics = areas.reset_index(drop=True).merge(totals, on="kode", how="left")
    metrics = add_rates(metrics)
    metrics.attrs["tanpa_wilayah"] = int((in_scope & ~known).sum())
    metrics.attrs["tingkat"] = level
    metrics.attrs["sumber_penduduk"] = population_source
    return metrics


def _population_source(table: pd.DataFrame) -> str:
    """The population note of a map: the shipped BPS figures keep their short note, other sources are named."""
    shipped = set(wilayah.population_table()["sumber"])
    sources = list(dict.fromkeys(s for s in table["sumber_penduduk"].dropna() if s not in shipped))
    if table["sumber_penduduk"].isin(shipped).any():
        sources.insert(0, SOURCE_POPULATION.removeprefix("penduduk: "))
    return "penduduk: " + ", ".join(sources) if sources else ""


def has_population(metrics: pd.DataFrame) -> bool:
    """Whether any kecamatan has a population figure (else the rate map is not drawn)."""
    return "penduduk" in metrics.columns and bool(pd.to_numeric(metrics["penduduk"], errors="coerce").notna().any())


def aggregate(metrics: pd.DataFrame, spec: MapSpec) -> float:
    """The metric for all areas together (a sum, or a ratio of sums)."""
    if spec.is_count:
        return float(metrics[spec.kolom].sum())
    numerator = metrics[spec.pembilang].sum()
    denominator = pd.to_numeric(metrics[spec.penyebut], errors="coerce").where(metrics[spec.pembilang].notna()).sum()
    return fmt.rasio(numerator, denominator, spec.skala)


# --------------------------------------------------------------------------------------------------- classes


@dataclass(frozen=True)
class Classes:
    """Class index per area (NA = no value), colour and label per class."""

    index: pd.Series
    colours: list[str]
    labels: list[str]
    metode: str


def _palette(cmap: str, n: int, start: float = 0.18, stop: float = 0.92) -> list[str]:
    colours = colormaps[cmap](np.linspace(start, stop, n) if n > 1 else [0.55])
    return [to_hex(c) for c in colours]


def classify(values: pd.Series, spec: MapSpec, k: int = 5) -> Classes:
    """Deterministic classes: one per distinct value when few, else Fisher-Jenks; counts get a "0" class."""
    values = pd.to_numeric(values, errors="coerce").astype("float64")
    valid = values.dropna()
    index = pd.Series(pd.NA, index=values.index, dtype="Int64")
    if valid.empty:
        return Classes(index, [], [], "tanpa data")
    zero_class = spec.is_count and (valid == 0).any() and (valid > 0).any()
    ranked = valid[valid > 0] if zero_class else valid
    n_classes = k - 1 if zero_class else k
    distinct = np.sort(ranked.unique())
    if len(distinct) <= n_classes:
        position = pd.Series(np.searchsorted(distinct, ranked.to_numpy()), index=ranked.index)
        method = "satu kelas per nilai"
    else:
        import mapclassify  # with scikit-learn and SciPy: imported by the drawing processes only, not the reports'

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Numba not installed": the pure-Python path is fast for a few areas
            fisher = mapclassify.FisherJenks(ranked.to_numpy(), k=n_classes)
        position = pd.Series(fisher.yb, index=ranked.index)
        method = "Fisher-Jenks"
    groups = [ranked[position == c] for c in sorted(position.unique())]
    labels = [fmt.rentang(g.min(), g.max(), spec.desimal) for g in groups]
    colours = _palette(spec.cmap, len(groups))
    for c, group in enumerate(groups):
        index[group.index] = c + (1 if zero_class else 0)
    if zero_class:
        index[valid.index[valid == 0]] = 0
        labels = ["0"] + labels
        colours = [to_hex(colormaps[spec.cmap](0.02))] + colours
    return Classes(index, colours, labels, method)


# --------------------------------------------------------------------------------------------------- drawing


def _display_geometry(frame: gpd.GeoDataFrame, max_vertices: int = 40_000) -> gpd.GeoDataFrame:
    """Light enough to draw: detailed files (BIG 1:25.000) are simplified; shared borders stay shared."""
    if int(shapely.get_num_coordinates(frame.geometry.values).sum()) <= max_vertices:
        return frame
    simplified = frame.copy()
    try:
        simplified["geometry"] = frame.geometry.simplify_coverage(15.0)
    except Exception:  # noqa: BLE001 - not a valid coverage: plain simplification is good enough for a figure
        simplified["geometry"] = frame.geometry.simplify(15.0)
    return simplified


def _label_artist(ax, text: str, size: float, colour: str = INK, italic: bool = False):
    return ax.text(
        0,
        0,
        text,
        ha="center",
        va="center",
        fontsize=size,
        color=colour,
        fontstyle="italic" if italic else "normal",
        linespacing=1.05,
        path_effects=HALO,
        zorder=6,
    )


def _candidate_points(geometry, grid: int = 9) -> list:
    """Where a label may go, best first: the representative point, the visual centre, then interior grid points."""
    parts = sorted(shapely.get_parts(geometry), key=lambda g: g.area, reverse=True)
    centre = polylabel(parts[0], tolerance=max(parts[0].length / 500, 1.0))
    minx, miny, maxx, maxy = geometry.bounds
    xs, ys = np.meshgrid(np.linspace(minx, maxx, grid + 2)[1:-1], np.linspace(miny, maxy, grid + 2)[1:-1])
    inside = shapely.contains_xy(geometry, xs.ravel(), ys.ravel())
    points = shapely.points(xs.ravel()[inside], ys.ravel()[inside])
    points = sorted(points, key=lambda p: p.distance(centre))
    return [geometry.representative_point(), centre, *points]


class LabelPlacer:
    """Greedy label placement: each label takes the first candidate point where it overlaps no earlier label."""

    def __init__(self, ax):
        self.ax = ax
        self.renderer = ax.figure.canvas.get_renderer()
        self.frame = ax.get_window_extent(self.renderer)
        self.placed: list = []

    def _fits(self, artist) -> object | None:
        box = artist.get_window_extent(self.renderer).expanded(1.04, 1.08)
        inside = self.frame.contains(box.x0, box.y0) and self.frame.contains(box.x1, box.y1)
        return box if inside and not any(box.overlaps(other) for other in self.placed) else None

    def place(self, artist, candidates: list, required: bool = True) -> bool:
        """Move ``artist`` to the first free candidate; if none, keep it at the first (``required``) or drop it."""
        for point in candidates:
            artist.set_position((point.x, point.y))
            box = self._fits(artist)
            if box is not None:
                self.placed.append(box)
                return True
        if not required:
            artist.remove()
            return False
        artist.set_position((candidates[0].x, candidates[0].y))
        self.placed.append(artist.get_window_extent(self.renderer))
        return True


def _north_arrow(fig: Figure, x: float, y: float) -> None:
    """A north arrow ("U" = utara) in figure coordinates (UTM grid north, within 0.3° of true north here)."""
    fig.text(x, y + 0.062, "U", ha="center", va="bottom", fontsize=9.5, fontweight="bold", color=INK)
    fig.patches.append(
        FancyArrow(x, y, 0, 0.055, width=0.006, head_width=0.02, head_length=0.022, length_includes_head=True,
                   transform=fig.transFigure, figure=fig, color=INK)
    )


def _scale_bar(ax, x: float, y: float) -> None:
    """Scale bar of the map axes, drawn in the side panel at figure coordinates (x, y)."""
    ax.add_artist(
        ScaleBar(
            1.0,
            units="m",
            location="lower left",
            length_fraction=0.25,
            width_fraction=0.012,
            box_alpha=0.0,
            color=INK,
            font_properties={"size": 7.5},
            scale_loc="top",
            bbox_to_anchor=(x, y),
            bbox_transform=ax.figure.transFigure,
        )
    )


def _inset(fig: Figure, context: gpd.GeoDataFrame, title: str, rect=(0.715, 0.645, 0.26, 0.225)) -> None:
    """Locator map: ``context`` polygons in grey, those with ``sorot`` True in red."""
    ax = fig.add_axes(rect)
    context.plot(ax=ax, color="#dddddd", edgecolor="white", linewidth=0.3)
    context[context["sorot"]].plot(ax=ax, color="#c0392b", edgecolor="#c0392b", linewidth=0.4)
    extent = context.attrs.get("extent")
    if extent is not None:
        ax.set_xlim(extent[0], extent[2])
        ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#999999")
        spine.set_linewidth(0.6)
    ax.set_title(title, fontsize=7.5, color=MUTED, pad=3)


def province_inset(province: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Province polygons for the inset, framed on mainland Jawa Timur and Madura (far islands left out)."""
    context = province.copy()
    if context["kode"].astype(str).str.startswith("35").all():
        lonlat = gpd.GeoSeries(
            [shapely.box(110.85, -8.85, 114.65, -6.75)], crs="EPSG:4326"
        ).to_crs(province.crs)
        context.attrs["extent"] = tuple(lonlat.total_bounds)
    return context


def kecamatan_inset(kecamatan: gpd.GeoDataFrame, kode: str) -> gpd.GeoDataFrame:
    """Kecamatan polygons for the inset of a desa map, the mapped kecamatan highlighted."""
    context = kecamatan[["kode", "nama", "geometry"]].copy()
    context["sorot"] = context["kode"].eq(kode)
    return context


@dataclass(frozen=True)
class MapText:
    """Everything written around a map."""

    judul: str
    subjudul: str
    sumber: str
    catatan: tuple[str, ...] = ()
    skematis: bool = False
    inset_judul: str = "Lokasi di Provinsi Jawa Timur"
    ringkasan: str = ""


def _legend(fig: Figure, classes: Classes, spec: MapSpec, has_missing: bool, summary: str) -> None:
    """Summary line, then the class legend, in the side panel under the inset."""
    if summary:
        fig.text(0.715, 0.605, textwrap.fill(summary, 34), fontsize=8.5, fontweight="bold", color=INK, va="top")
    handles = [Patch(facecolor=c, edgecolor="#888888", linewidth=0.4) for c in classes.colours]
    labels = list(classes.labels)
    if has_missing:
        handles.append(Patch(facecolor="white", edgecolor="#999999", hatch="////", linewidth=0.4))
        labels.append(spec.label_kosong)
    legend = fig.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0.708, 0.555),
        frameon=False,
        fontsize=8,
        title=textwrap.fill(spec.satuan, 28),
        title_fontsize=8.5,
        alignment="left",
        handlelength=1.6,
        handleheight=1.1,
    )
    legend.get_title().set_fontweight("bold")


def _header_and_footer(fig: Figure, text: MapText, class_note: str = "") -> None:
    fig.text(0.02, 0.965, text.judul, fontsize=13, fontweight="bold", color=INK, va="center")
    fig.text(0.02, 0.930, text.subjudul, fontsize=9.5, color=MUTED, va="center")
    if text.skematis:
        fig.text(
            0.02,
            0.893,
            SCHEMATIC_NOTE,
            fontsize=9.5,
            fontweight="bold",
            color="#a93226",
            va="center",
            bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fdedec", "edgecolor": "#a93226", "linewidth": 0.8},
        )
    lines = [f"Sumber: {text.sumber}", *text.catatan, *([class_note] if class_note else [])]
    wrapped = "\n".join(textwrap.fill(line, 150, subsequent_indent="  ") for line in lines)
    # the notes name sources from data (a user's population file): shown as typed, never parsed as mathtext
    fig.text(0.02, 0.015, wrapped, fontsize=6.8, color=MUTED, va="bottom", linespacing=1.35, parse_math=False)


def plot_map(
    areas: gpd.GeoDataFrame,
    metrics: pd.DataFrame,
    spec: MapSpec,
    text: MapText,
    inset: gpd.GeoDataFrame | None = None,
    context: gpd.GeoDataFrame | None = None,
    k: int = 5,
    label_size: float = 6.8,
) -> Figure:
    """One choropleth: ``areas`` (``kode``, ``nama``, geometry) coloured by ``metrics[spec.kolom]``.

    ``context`` polygons (neighbouring kecamatan) are drawn in grey around the areas and named in grey italics;
    ``inset`` is a locator map (see :func:`province_inset`, :func:`kecamatan_inset`).
    """
    frame = areas[["kode", "nama", "geometry"]].merge(metrics[["kode", spec.kolom]], on="kode", how="left")
    frame = _display_geometry(frame)
    classes = classify(frame[spec.kolom], spec, k)
    frame["kelas"] = classes.index.astype("float64")
    # The Agg canvas is attached only after the geopandas layers: geopandas calls draw_idle() after each plot,
    # which on an Agg canvas redraws the whole figure every time (several times slower).
    fig = Figure(figsize=FIGSIZE, dpi=DPI, facecolor="white")
    top = 0.865 if not text.skematis else 0.855
    ax = fig.add_axes((0.015, 0.105, 0.675, top - 0.105))
    xmin, ymin, xmax, ymax = frame.total_bounds
    pad = 0.03 * max(xmax - xmin, ymax - ymin)
    view = (xmin - pad, ymin - pad, xmax + pad, ymax + pad)
    if context is not None:
        _draw_context(ax, context, frame, view)
    _draw_choropleth(ax, frame, classes, text.skematis)
    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    ax.set_aspect("equal")
    ax.set_axis_off()
    if inset is not None:
        _inset(fig, inset, text.inset_judul)
    FigureCanvasAgg(fig)
    ax.apply_aspect()
    _draw_labels(ax, frame, spec, label_size, context, view)
    _legend(fig, classes, spec, bool(frame["kelas"].isna().any()), text.ringkasan)
    _north_arrow(fig, 0.735, 0.125)
    _scale_bar(ax, 0.775, 0.118)
    _header_and_footer(fig, text, f"Pengelompokan kelas: {classes.metode}.")
    return fig


def _draw_labels(ax, frame, spec: MapSpec, size: float, context, view: tuple) -> None:
    """Area names with their value (smallest areas placed first), then the names of neighbouring kecamatan."""
    placer = LabelPlacer(ax)
    order = frame.geometry.area.sort_values().index
    for i in order:
        artist = _label_artist(ax, f"{frame.at[i, 'nama']}\n{spec.format(frame.at[i, spec.kolom])}", size)
        placer.place(artist, _candidate_points(frame.geometry[i]))
    if context is None:
        return
    box = shapely.box(*view)
    mapped = shapely.union_all(frame.geometry.values).buffer(200)
    others = context[~context["kode"].isin(frame["kode"].str[:8]) & context.intersects(box)]
    for geometry, name in zip(others.geometry, others["nama"]):
        visible = geometry.intersection(box).difference(mapped)
        if visible.is_empty or visible.area < 0.01 * box.area:
            continue
        artist = _label_artist(ax, name, size - 0.3, colour="#888888", italic=True)
        placer.place(artist, _candidate_points(visible), required=False)


def _draw_choropleth(ax, frame: gpd.GeoDataFrame, classes: Classes, schematic: bool) -> None:
    """Class colours (hatched where there is no value), borders visible on light and dark fills alike."""
    cmap = ListedColormap(classes.colours or ["#ffffff"])
    frame.plot(
        ax=ax,
        column="kelas",
        cmap=cmap,
        vmin=-0.5,
        vmax=max(len(classes.colours), 1) - 0.5,
        edgecolor="white",
        linewidth=1.0,
        missing_kwds={"facecolor": "white", "edgecolor": "#999999", "hatch": "////", "linewidth": 0.4},
        zorder=2,
    )
    frame.boundary.plot(ax=ax, color="#5a5a5a", linewidth=0.45, linestyle="--" if schematic else "-", zorder=3)
    # Outline of the whole mapped area on top, so the unit stands out from its context.
    gpd.GeoSeries([shapely.union_all(frame.geometry.values)], crs=frame.crs).boundary.plot(
        ax=ax, color="#333333", linewidth=1.1, zorder=4
    )


def _draw_context(ax, context: gpd.GeoDataFrame, frame: gpd.GeoDataFrame, view: tuple) -> None:
    others = context[~context["kode"].isin(frame["kode"].str[:8]) & context.intersects(shapely.box(*view))]
    others.plot(ax=ax, color="#f0f0f0", edgecolor="#b0b0b0", linewidth=0.6, zorder=1)


# --------------------------------------------------------------------------------------------------- saving


def save_figure(fig: Figure, path: str | Path, dpi: int = DPI, colours: int = 256) -> Path:
    """Write ``fig`` as a compact PNG, atomically (a temp file in the same folder renamed into place).

    The image is reduced to a palette of ``colours`` by median cut (0 keeps full RGB): a choropleth has few
    colours, so the file shrinks to about a third with no visible change (white and the small red highlight of
    the inset stay exact at 256 colours). No timestamp or software tag is written: same figure, same bytes.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    fig.set_dpi(dpi)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
    if colours:
        image = image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".png.tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            image.save(stream, format="PNG", compress_level=6)  # level 9: 12x the time for 4 % less
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


# --------------------------------------------------------------------------------------------------- rendering


def slug(text: str) -> str:
    """File-name friendly lower-case text: "Bandar Kedung Mulyo" -> "bandar_kedung_mulyo"."""
    return re.sub(r"[^0-9a-z]+", "_", str(text).lower()).strip("_")


def map_path(out_dir: str | Path, metric: str, kode_kecamatan: str | None = None) -> Path:
    """Deterministic file name: ``kabupaten_<metric>.png`` or ``desa/<kode>_<nama>_<metric>.png``."""
    out_dir = Path(out_dir)
    if kode_kecamatan is None:
        return out_dir / f"kabupaten_{metric}.png"
    name = slug(wilayah.kecamatan_name(kode_kecamatan, kode_kecamatan[:5]))
    return out_dir / "desa" / f"{kode_kecamatan}_{name}_{metric}.png"


def _notes(spec: MapSpec, metrics: pd.DataFrame, level: str, register: str = P3KE_LABEL) -> tuple[str, ...]:
    notes = []
    if spec.kolom != "persen_terverifikasi":
        notes.append(for_register(DEFINITION_NOTE, register))
    else:
        notes.append(VERIFIED_NOTE)
    if spec.kolom == "belum_optimal":
        notes.append("Termasuk yang sudah meninggal atau pindah.")
        belum = int(metrics["belum_intervensi"].sum()) if "belum_intervensi" in metrics.columns else 0
        if belum:
            notes.append(f"Tidak termasuk {fmt.jiwa(belum)} sasaran desil 1 yang belum diintervensi sama sekali.")
    missing = metrics.attrs.get("tanpa_wilayah", 0)
    if missing:
        unit = "kecamatan" if level == "kecamatan" else "desa"
        notes.append(f"{fmt.jiwa(missing)} sasaran tanpa kode {unit} yang valid tidak dipetakan.")
    return tuple(notes)


def _summary(spec: MapSpec, metrics: pd.DataFrame, scope: str) -> str:
    value = aggregate(metrics, spec)
    unit = "\u00a0jiwa" if spec.is_count else ("%" if spec.skala == 100 else "\u00a0per\u00a01.000\u00a0penduduk")
    return f"{scope}: {spec.format(value)}{unit}" if not fmt.is_missing(value) else ""  # NBSP: value stays with unit


def render_kabupaten_map(
    metric: str,
    metrics: pd.DataFrame,
    kecamatan: gpd.GeoDataFrame,
    province: gpd.GeoDataFrame | None,
    report_date: str | None,
    kode_kabupaten: str = KODE_KABUPATEN,
    register: str = P3KE_LABEL,
) -> Figure:
    """One kabupaten map by kecamatan (``register``: the register's name, e.g. "DTSEN 2025")."""
    spec = SPECS[metric]
    schematic = bool(kecamatan.attrs.get("skematis"))
    sources = [source_data(kode_kabupaten, register)]
    if spec.penyebut == "penduduk" and metrics.attrs.get("sumber_penduduk"):
        sources.append(metrics.attrs["sumber_penduduk"])
    sources.append(f"batas wilayah: {describe_source(kecamatan)}")
    when = f" · keadaan {fmt.tanggal(report_date)}" if report_date else ""
    text = MapText(
        judul=wilayah.for_kabupaten(for_register(spec.judul, register), kode_kabupaten),
        subjudul=f"{wilayah.kabupaten_name(kode_kabupaten)} menurut kecamatan{when}",
        sumber="; ".join(sources) + ".",
        catatan=_notes(spec, metrics, "kecamatan", register),
        skematis=schematic,
        ringkasan=_summary(spec, metrics, "Seluruh kabupaten"),
    )
    inset = province_inset(province) if province is not None else None
    return plot_map(kecamatan, metrics, spec, text, inset=inset, k=5)


def render_desa_map(
    metric: str,
    metrics: pd.DataFrame,
    desa: gpd.GeoDataFrame,
    kecamatan: gpd.GeoDataFrame,
    kode_kecamatan: str,
    report_date: str | None,
    kode_kabupaten: str = KODE_KABUPATEN,
    register: str = P3KE_LABEL,
) -> Figure:
    """One kecamatan map by desa, neighbouring kecamatan in grey, located in the kabupaten inset."""
    spec = SPECS[metric]
    areas = desa[desa["kode"].str.startswith(kode_kecamatan + ".")]
    name = wilayah.kecamatan_name(kode_kecamatan, kode_kabupaten)
    when = f" · keadaan {fmt.tanggal(report_date)}" if report_date else ""
    text = MapText(
        judul=wilayah.for_kabupaten(for_register(spec.judul, register), kode_kabupaten),
        subjudul=f"Kecamatan {name} menurut desa/kelurahan{when}",
        sumber=f"{source_data(kode_kabupaten, register)}; batas wilayah: {describe_source(desa)}.",
        catatan=_notes(spec, metrics, "desa", register),
        inset_judul=f"Lokasi di {wilayah.kabupaten_name(kode_kabupaten)}",
        ringkasan=_summary(spec, metrics, f"Kecamatan {name}"),
    )
    inset = kecamatan_inset(kecamatan, kode_kecamatan)
    return plot_map(areas, metrics, spec, text, inset=inset, context=kecamatan, k=4, label_size=6.5)


def _selected_kecamatan(kecamatan: str | None, kode_kabupaten: str) -> list[str]:
    table = wilayah.kecamatan_table(kode_kabupaten)
    if kecamatan in (None, ""):
        return list(table["kode"])
    code = wilayah.resolve_kecamatan(pd.Series([kecamatan]), kode_kabupaten).iloc[0]
    if pd.isna(code):
        guess = wilayah.suggest_kecamatan(kecamatan, kode_kabupaten)
        hint = f" Mungkin maksudnya: {guess}." if guess else ""
        raise InputError(f'Parameter kecamatan = "{kecamatan}" tidak dikenal di {kode_kabupaten}.{hint}')
    return [str(code)]


def render_maps(
    status_sasaran: pd.DataFrame,
    boundaries_kec: gpd.GeoDataFrame | None,
    boundaries_desa: gpd.GeoDataFrame | None,
    out_dir: str | Path,
    province: gpd.GeoDataFrame | None = None,
    schematic: bool = False,
    *,
    report_date: str | None = None,
    kecamatan: str | None = None,
    kode_kabupaten: str = KODE_KABUPATEN,
    kabupaten_maps: tuple[str, ...] = KABUPATEN_MAPS,
    desa_maps: tuple[str, ...] = DESA_MAPS,
    workers: int = 2,
    raw_dir: str | Path | None = None,
    register: str = P3KE_LABEL,
) -> dict[str, Path]:
    """Write every kabupaten map and, when desa polygons exist, the desa maps of each kecamatan, drawn by
    ``workers`` processes.

    Names: ``kabupaten_<metric>`` and ``desa_<kode kecamatan>_<metric>`` (files: :func:`map_path`). Without
    kecamatan polygons (or with ``schematic=True``) the schematic stand-in is used and captioned; desa maps
    then are skipped. ``kecamatan`` (name or code) limits the desa maps to one kecamatan. Without any population
    figure for the kabupaten (``raw_dir``: the user's population table) the rate map is not drawn. ``register``: the
    name of the register the statuses come from (titles, sources and notes; :func:`for_register`).
    """
    selected = _selected_kecamatan(kecamatan, kode_kabupaten)  # a misspelt name fails before any drawing
    if boundaries_kec is None or schematic:
        boundaries_kec = schematic_kecamatan(kode_kabupaten) if boundaries_kec is None else boundaries_kec.copy()
        boundaries_kec.attrs["skematis"] = True
        boundaries_desa = None
    metrics = map_metrics(status_sasaran, "kecamatan", kode_kabupaten=kode_kabupaten, raw_dir=raw_dir)
    if not has_population(metrics):
        kabupaten_maps = tuple(m for m in kabupaten_maps if m != RATE_MAP)
    jobs: list[tuple[str, str, str]] = [(f"kabupaten_{m}", m, "") for m in kabupaten_maps]
    desa_metrics: dict[str, pd.DataFrame] = {}
    if boundaries_desa is not None:
        for kode in selected:
            if boundaries_desa["kode"].str.startswith(kode + ".").any():
                desa_metrics[kode] = map_metrics(status_sasaran, "desa", kode, kode_kabupaten)
                jobs += [(f"desa_{kode}_{m}", m, kode) for m in desa_maps]
    shared = dict(
        metrics=metrics, desa_metrics=desa_metrics, kec=boundaries_kec, desa=boundaries_desa, province=province,
        report_date=report_date, kode_kabupaten=kode_kabupaten, out_dir=out_dir, register=register,
    )
    try:
        if workers > 1 and len(jobs) > 1:
            with execution.pool(workers, _share, (shared,), preload=execution.MAPS_PRELOAD) as executor:
                paths = list(executor.map(_draw, jobs, chunksize=4))
        else:
            _share(shared)
            paths = [_draw(job) for job in jobs]
    finally:
        _SHARED.clear()
    return {name: path for (name, _, _), path in zip(jobs, paths)}


#: What every map of one :func:`render_maps` call needs (set once per process by :func:`_share`).
_SHARED: dict = {}


def _share(shared: dict) -> None:
    _SHARED.clear()
    _SHARED.update(shared)


def _draw(job: tuple[str, str, str]) -> Path:
    """Draw and save one map of :func:`render_maps` (``kode`` '' for a kabupaten map)."""
    _, metric, kode = job
    s = _SHARED
    if not kode:
        fig = render_kabupaten_map(metric, s["metrics"], s["kec"], s["province"], s["report_date"], s["kode_kabupaten"],
                                   s["register"])  # fmt: skip
    else:
        fig = render_desa_map(
            metric, s["desa_metrics"][kode], s["desa"], s["kec"], kode, s["report_date"], s["kode_kabupaten"],
            s["register"],
        )
    return save_figure(fig, map_path(s["out_dir"], metric, kode or None))


def load_status(processed_dir: str | Path) -> pd.DataFrame:
    """``status_sasaran.parquet`` from ``processed_dir`` (written by ``02_match``), checked for the map columns."""
    status = catalog.read_parquet(catalog.STATUS_SASARAN, processed_dir)
    _check_status(status)
    return status


TABLE_COLUMNS = {
    "kode": "Kode",
    "nama": "Wilayah",
    "jumlah_sk": "Sasaran SK",
    "keluar_desil1": "Keluar desil 1",
    "masih_desil1": "Masih desil 1",
    "optimal": "Optimal",
    "belum_optimal": "Belum optimal",
    "belum_intervensi": "Belum diintervensi",
    "perlu_tindakan": "Perlu tindakan",
    "persen_keluar": "% keluar",
    "masih_desil1_per_1000": "Desil 1 per 1.000 penduduk",
    "persen_terverifikasi": "% terverifikasi",
}


def metrics_table(metrics: pd.DataFrame) -> pd.DataFrame:
    """The map metrics with Indonesian column headers, for display (numbers left numeric)."""
    present = [c for c in TABLE_COLUMNS if c in metrics.columns]
    return metrics[present].rename(columns=TABLE_COLUMNS)


def styled_table(metrics: pd.DataFrame, sort_by: str = "masih_desil1"):
    """A pandas Styler of :func:`metrics_table`, largest ``sort_by`` first, numbers formatted the Indonesian way."""
    table = metrics_table(metrics.sort_values([sort_by, "kode"], ascending=[False, True]))
    rates = [TABLE_COLUMNS[c] for c in ("persen_keluar", "persen_terverifikasi") if c in metrics.columns]
    per_mille = [TABLE_COLUMNS["masih_desil1_per_1000"]] if "masih_desil1_per_1000" in metrics.columns else []
    counts = [c for c in table.columns if c not in rates + per_mille + ["Kode", "Wilayah"]]
    return (
        table.style.hide(axis="index")
        .format(fmt.angka, subset=counts)
        .format(lambda v: fmt.persen(v, 1), subset=rates)
        .format(fmt.per_seribu, subset=per_mille)
    )
