"""Splink's own charts of a run's model, saved as static PNG images (vl-convert) so that the notebooks and
reports stay offline: the m/u parameters, the match-weight histogram with the two thresholds, and the waterfall
of one review case (weights only, no personal data)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import vl_convert as vlc
from splink.internals.charts import MatchWeightsHistogramChart

from helpers.matching import linkage

MU_FILE = "model_m_u.png"
HISTOGRAM_FILE = "bobot_padan_histogram.png"
WATERFALL_FILE = "waterfall_tinjau.png"


#: Numbers in the charts written the Indonesian way (d3-format locale: 4.000; 0,5).
FORMAT_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]}
#: Names Splink gives the first and last bars of a waterfall (data values and the expressions that test them).
WATERFALL_NAMES = {"Final score": "Bobot akhir", "Prior": "Awal (prior)"}


def _png(spec: dict, path: Path) -> Path:
    path.write_bytes(vlc.vegalite_to_png(json.dumps(spec), scale=1.5, format_locale=FORMAT_LOCALE))
    return path


def m_u_spec(chart: dict) -> dict:
    """Splink's m/u parameters chart with Indonesian titles and axes."""
    spec = json.loads(json.dumps(chart))
    spec["title"] = {"text": "Sebaran tingkat perbandingan pada pasangan padan dan tidak padan",
                     "subtitle": "parameter m dan u model padu padan run ini"}  # fmt: skip
    titles = ("Di antara pasangan yang padan (m)", "Di antara pasangan yang tidak padan (u)")
    for panel, title in zip(spec["hconcat"], titles):
        panel["title"]["text"] = title
        panel["encoding"]["x"]["axis"]["title"] = "Proporsi pasangan"
    return spec


def waterfall_spec(chart: dict) -> dict:
    """Splink's waterfall chart of one pair with Indonesian titles, axes and names of the first and last bars."""
    text = json.dumps(chart)
    for english, indonesian in WATERFALL_NAMES.items():
        text = text.replace(f'"{english}"', f'"{indonesian}"').replace(f"'{english}'", f"'{indonesian}'")
        text = text.replace(f'\\"{english}\\"', f'\\"{indonesian}\\"')
    spec = json.loads(text)
    spec["title"] = {"text": "Rincian bobot padan satu kasus tinjau manual",
                     "subtitle": "sumbangan setiap perbandingan terhadap bobot akhir (bit); nilai tidak ditampilkan"}  # fmt: skip
    axes = {"x": "Perbandingan", "y": "Bobot padan (bit)"}
    for i, layer in enumerate(spec["layer"]):
        for sub in layer.get("layer", [layer]):
            for channel, title in axes.items():
                axis = sub.get("encoding", {}).get(channel, {}).get("axis")
                if axis and "title" in axis:
                    axis["title"] = "Probabilitas padan" if (i == 1 and channel == "y") else title
    return spec


def _model_linker(model: dict, left: pd.DataFrame, right: pd.DataFrame):
    splink_model = linkage.splink_settings(model) | {"retain_intermediate_calculation_columns": True}
    return linkage._linker(left, right, splink_model)


def histogram_spec(weights: pd.Series, ambang_padan: float, ambang_tinjau: float, bins: int = 40) -> dict:
    """Splink's match-weight histogram of each SK person's best candidate, with the thresholds drawn in."""
    values = weights.dropna().astype(float).to_numpy()
    edges = np.histogram_bin_edges(values, bins=bins) if len(values) else np.array([0.0, 1.0])
    counts, _ = np.histogram(values, bins=edges)
    records = [
        {"splink_score_bin_low": float(lo), "splink_score_bin_high": float(hi), "count_rows": int(n)}
        for lo, hi, n in zip(edges[:-1], edges[1:], counts)
    ]
    chart = MatchWeightsHistogramChart(records).chart_dict
    chart.pop("params", None)  # zooming means nothing in a PNG
    chart["title"] = {"text": "Bobot padan kandidat terbaik tiap sasaran SK",
                      "subtitle": f"garis: ambang tinjau {ambang_tinjau:g} dan ambang padan {ambang_padan:g} bit"}
    chart["encoding"]["x"]["axis"]["title"] = "Bobot padan (bit)"
    chart["encoding"]["y"]["axis"]["title"] = "Jumlah sasaran"
    rules = {
        "data": {"values": [{"ambang": ambang_tinjau}, {"ambang": ambang_padan}]},
        "mark": {"type": "rule", "color": "#7a1f1f", "strokeWidth": 2, "strokeDash": [4, 3]},
        "encoding": {"x": {"field": "ambang", "type": "quantitative"}},
    }
    schema = chart.pop("$schema")
    config = chart.pop("config", {})
    title = chart.pop("title")
    return {"$schema": schema, "config": config, "title": title, "width": 520, "height": 240,
            "layer": [chart, rules]}  # fmt: skip


def _record(row: pd.Series) -> dict:
    return {k: (None if pd.isna(v) else (int(v) if k == "unique_id" else str(v))) for k, v in row.items()}


def save_charts(result: linkage.LinkageResult, out_dir: str | Path) -> list[Path]:
    """Write the three charts of a run to ``out_dir``; the waterfall only when there is a review case."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    left, right, sk_ids = result.records
    linker = _model_linker(result.model, left, right)  # the whole input: term frequencies as in the run
    paths = [_png(m_u_spec(linker.visualisations.m_u_parameters_chart().chart_dict), out / MU_FILE)]
    paths.append(_png(histogram_spec(result.padan["bobot_padan"], result.ambang_padan, result.ambang_tinjau),
                      out / HISTOGRAM_FILE))  # fmt: skip
    if not result.kandidat.empty:
        first = result.kandidat.iloc[0]
        record_l = _record(left.iloc[int(np.flatnonzero(sk_ids.to_numpy() == first["id_sasaran"])[0])])
        record_r = _record(right[right["unique_id"] == int(first["p3ke_index"])].iloc[0])
        compared = linker.inference.score_pair(record_l, record_r).as_record_list()
        waterfall = linker.visualisations.waterfall_chart(compared, remove_sensitive_data=True)
        paths.append(_png(waterfall_spec(waterfall.chart_dict), out / WATERFALL_FILE))
    return paths
