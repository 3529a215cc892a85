"""The linkage model scored on Spark (Splink's Spark backend, local mode) gives DuckDB's results exactly.

Fast checks: the model's DuckDB SQL translates to Spark SQL, an unknown function is refused, and the Python
Jaro–Winkler used on Spark equals DuckDB's bit for bit. Slow check: the demo with its hard cases at small scale,
matched and classified once on DuckDB and once on Spark: the same ``summary.json``, statuses, matches, candidates
and every scored pair with its weight. Needs pyspark (``.[spark]``) and Java (``scripts/install_system_deps.sh``).
"""

from __future__ import annotations

import json
import random
import shutil

import duckdb
import pandas as pd
import pytest

from helpers import params
from helpers.errors import InputError
from helpers.matching import linkage
from helpers.matching import spark as spark_mod

REPORT_DATE = "2024-11-06"


# --------------------------------------------------------------------------- fast: translation, Jaro–Winkler


def test_every_condition_of_the_model_translates_to_spark_sql():
    model = spark_mod.spark_model(linkage.default_model())
    conditions = [lv["sql_condition"] for c in model["comparisons"] for lv in c["comparison_levels"]]
    conditions += [r["blocking_rule"] for r in model["blocking_rules_to_generate_predictions"]]
    text = "\n".join(conditions)
    assert model["sql_dialect"] == "spark"
    assert '"' not in text, "a double-quoted name is a string literal in Spark SQL"
    for duckdb_only in ("jaro_winkler_similarity", "list_has_all", "str_split", "date_diff"):
        assert duckdb_only not in text.lower()
    assert "JARO_WINKLER_DUCKDB(`nama_norm_l`, `nama_norm_r`) >= 0.92" in text
    assert "SIZE(ARRAY_EXCEPT(SPLIT(`nama_norm_r`, ' '), SPLIT(`nama_norm_l`, ' '))) = 0" in text
    assert "ABS(DATEDIFF(CAST(`tanggal_r` AS DATE), CAST(`tanggal_l` AS DATE))) <= 366" in text
    # the m and u values are the model's own
    original = linkage.default_model()["comparisons"]
    assert [[lv.get("m_probability") for lv in c["comparison_levels"]] for c in model["comparisons"]] == [
        [lv.get("m_probability") for lv in c["comparison_levels"]] for c in original
    ]


def test_an_unchecked_function_is_refused():
    with pytest.raises(ValueError, match="tanpa padanan Spark"):
        spark_mod.to_spark_sql('levenshtein("nama_norm_l", "nama_norm_r") <= 2')


def test_unknown_engine_is_an_input_error():
    with pytest.raises(InputError, match="mesin_padan"):
        linkage.link(pd.DataFrame(), pd.DataFrame(), mesin_padan="polars")
    assert params.resolve()["mesin_padan"] == "duckdb"
    assert params.resolve(overrides={"mesin_padan": "Spark"})["mesin_padan"] == "spark"
    with pytest.raises(InputError, match="mesin_padan"):
        params.resolve(overrides={"mesin_padan": "polars"})


def _close_variant(rng: random.Random, name: str) -> str:
    chars = list(name)
    for _ in range(rng.randint(0, 3)):
        i = rng.randrange(len(chars) + 1)
        op = rng.choice("sit")
        if op == "s" and i < len(chars):
            chars[i] = rng.choice("ABDEGHIKMNRSTUWY ")
        elif op == "i":
            chars.insert(i, rng.choice("AEIHOU"))
        elif i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def test_jaro_winkler_equals_duckdb_bit_for_bit():
    rng = random.Random(5)
    words = ["SITI", "SRI", "MUHAMMAD", "AMINAH", "RAHAYU", "TUMIRAH", "TUINI", "RATUN", "MUWATI", "MASRUROH",
             "KASIYEM", "SUPARMI", "SUPARNI", "NUR", "HIDAYAH", "ABDUL", "ROHMAN", "É", "DWI", "LESTARI"]  # fmt: skip
    names = [" ".join(rng.choices(words, k=rng.randint(1, 3))) for _ in range(3000)]
    pairs = [(a, _close_variant(rng, a)) for a in names] + [(a, rng.choice(names)) for a in names]
    pairs += [("", ""), ("A", ""), ("A", "A"), ("0", "00"), ("CRATE", "TRACE"), ("X" * 70, "X" * 69 + "Y")]
    con = duckdb.connect()
    con.register("pairs", pd.DataFrame(pairs, columns=["a", "b"]))
    expected = con.sql("SELECT jaro_winkler_similarity(a, b) AS jw FROM pairs").df()["jw"].tolist()
    got = [spark_mod.jaro_winkler_similarity(a, b) for a, b in pairs]
    wrong = [(p, e, g) for p, e, g in zip(pairs, expected, got) if e != g]
    assert not wrong, f"{len(wrong)} pairs differ from DuckDB, e.g. {wrong[:3]}"


# --------------------------------------------------------------------------- slow: the demo on both engines


@pytest.fixture(scope="module")
def both_engines(demo_hard, tmp_path_factory, monkeypatch_module):
    """Clean the hard demo once, then run matching + statuses on DuckDB and on Spark (local mode), keeping the
    scored pairs of each."""
    from helpers import cleaning
    from helpers.statuses import classify

    base = tmp_path_factory.mktemp("spark")
    cleaning.clean_all(demo_hard["raw"], base / "bersih")
    pairs: dict[str, pd.DataFrame] = {}
    score = linkage.score

    def recording_score(left, right, model, min_weight, mesin_padan="duckdb"):
        pairs[mesin_padan] = score(left, right, model, min_weight, mesin_padan)
        return pairs[mesin_padan]

    monkeypatch_module.setattr(linkage, "score", recording_score)
    runs = {}
    for mesin in linkage.MESIN_PADAN:
        shutil.copytree(base / "bersih", base / mesin)
        runs[mesin] = classify.run_status(base / mesin, REPORT_DATE, raw_dir=demo_hard["raw"], mesin_padan=mesin)
    yield {"base": base, "runs": runs, "pairs": pairs}
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.slow
def test_spark_gives_the_same_summary_json(both_engines):
    base = both_engines["base"]
    duck, spark = ((base / m / "summary.json").read_text(encoding="utf-8") for m in ("duckdb", "spark"))
    assert spark == duck
    counts = both_engines["runs"]["duckdb"].match.counts()
    assert counts["tinjau_manual"] > 0 and counts["probabilistik"] > 0, counts  # the hard cases are in play
    assert json.loads(duck)["sasaran_sk"] == len(both_engines["runs"]["duckdb"].status)


@pytest.mark.slow
def test_spark_gives_the_same_matches_statuses_and_review_lists(both_engines):
    duck, spark = (both_engines["runs"][m] for m in ("duckdb", "spark"))
    pd.testing.assert_frame_equal(spark.match.padan, duck.match.padan)
    pd.testing.assert_frame_equal(spark.match.kandidat, duck.match.kandidat)
    pd.testing.assert_frame_equal(spark.status, duck.status)
    base = both_engines["base"]
    for name in ("tinjau/padan.csv", "tinjau/padan_tidak_padan.csv"):
        assert (base / "spark" / name).read_bytes() == (base / "duckdb" / name).read_bytes(), name


@pytest.mark.slow
def test_spark_scores_every_pair_with_the_same_weight_and_levels(both_engines):
    duck, spark = (both_engines["pairs"][m] for m in ("duckdb", "spark"))
    assert len(duck) > 1000
    pd.testing.assert_frame_equal(spark, duck, check_exact=True)
