"""Scoring the linkage model on Spark (Splink's Spark backend) instead of DuckDB, with the same results.

The model is the same: the Splink settings JSON that :func:`helpers.matching.linkage.train` writes (or the shipped
one), with the same m and u values. Only its SQL is DuckDB SQL, so :func:`spark_model` translates every comparison
level and blocking rule to Spark SQL with sqlglot (in Spark SQL a double-quoted name is a string literal, not a
column). The DuckDB functions that Spark SQL lacks:

- ``damerau_levenshtein(a, b)``: the Scala UDF of that name in the jar shipped with Splink (registered by
  ``SparkAPI``); it gives DuckDB's distances (checked by ``tests/test_spark.py``).
- ``jaro_winkler_similarity(a, b)`` -> ``jaro_winkler_duckdb(a, b)``, a Python UDF: :func:`jaro_winkler_similarity`
  is DuckDB's function written in Python, bit for bit. Neither Spark's own function of the same name (Spark 4.1+;
  TUMIRAH / TUINI: 0.741 there, 0.676 in DuckDB) nor the jar's ``jaro_winkler`` (it does not round half the
  transpositions down: RATUN / MUWATI 0.533 there, 0.589 in DuckDB) gives DuckDB's values: on the small demo 140 of
  2,985 name pairs differ with the jar, and some change level. A temporary function cannot shadow Spark's built-in
  one, hence the other name.
- ``list_has_all(x, y)`` (every element of ``y`` is in ``x``) -> ``size(array_except(y, x)) = 0``.
- ``date_diff('day', a, b)`` -> ``datediff(b, a)``.

Any other function is refused (:class:`ValueError`), so a new comparison cannot silently change meaning on Spark.
:func:`local_session` is a Spark session in local mode (two cores, few shuffle partitions, quiet logs, a temporary
checkpoint folder). This path needs pyspark and a Java runtime (Debian ``openjdk-17-jre-headless``); on a cluster,
the executors need this package installed for the Python UDF.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile
from fractions import Fraction
from typing import Any

import sqlglot
from sqlglot import exp

#: Spark SQL functions the translated model may call: the same meaning as their DuckDB source (checked).
_SPARK_FUNCTIONS = {"damerau_levenshtein", "jaro_winkler_duckdb", "size", "array_except", "split", "datediff"}
_SAME_MEANING_NODES = (exp.Substring, exp.Coalesce, exp.Abs, exp.Cast, exp.Connector)


def jaro_winkler_similarity(a: str | None, b: str | None) -> float | None:
    """DuckDB's ``jaro_winkler_similarity(a, b)`` bit for bit: code points, matching window
    ``max(len) // 2 - 1`` scanning ``b`` against ``a``, half the transpositions rounded down, the prefix bonus
    (0.1 per character, at most 4) only above 0.7 and computed as one fused multiply-add, 0 for an empty string."""
    if a is None or b is None:
        return None
    p_len, t_len = len(a), len(b)
    if not p_len or not t_len:
        return 0.0
    prefix = 0
    for x, y in zip(a[:4], b[:4]):
        if x != y:
            break
        prefix += 1
    if p_len == 1 and t_len == 1:
        sim = float(a == b)
    else:
        bound = max(p_len, t_len) // 2 - 1
        used = [False] * p_len
        matched_b = []
        for j, ch in enumerate(b):
            for i in range(max(0, j - bound), min(p_len, j + bound + 1)):
                if not used[i] and a[i] == ch:
                    used[i] = True
                    matched_b.append(ch)
                    break
        common = len(matched_b)
        if not common:
            return 0.0
        matched_a = [a[i] for i in range(p_len) if used[i]]
        transpositions = sum(x != y for x, y in zip(matched_a, matched_b)) // 2
        sim = 0.0
        sim += common / p_len
        sim += common / t_len
        sim += (common - transpositions) / common
        sim = sim / 3.0
    if sim > 0.7 and prefix:
        sim = float(Fraction(prefix * 0.1) * Fraction(1.0 - sim) + Fraction(sim))  # fma: one rounding
    return sim


def _translate_node(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.JarowinklerSimilarity):
        return exp.Anonymous(this="jaro_winkler_duckdb", expressions=[node.this, node.expression])
    if isinstance(node, exp.Split):
        return exp.Anonymous(this="split", expressions=[node.this, node.expression])
    if isinstance(node, exp.DateDiff):
        unit = node.args.get("unit")
        if unit is None or unit.name.upper() != "DAY":
            raise ValueError(f"date_diff dengan satuan selain hari belum didukung di Spark: {node.sql('duckdb')}")
        # DuckDB date_diff('day', a, b) = b - a; sqlglot keeps b as ``this``; Spark datediff(end, start)
        return exp.Anonymous(this="datediff", expressions=[node.this, node.expression])
    if isinstance(node, exp.Anonymous) and node.name.lower() == "list_has_all":
        outer, inner = node.expressions
        rest = exp.Anonymous(this="array_except", expressions=[inner, outer])
        return exp.EQ(this=exp.Anonymous(this="size", expressions=[rest]), expression=exp.Literal.number(0))
    return node


def to_spark_sql(sql: str) -> str:
    """One DuckDB condition of the model (a comparison level or a blocking rule) as Spark SQL."""
    if sql.strip().upper() == "ELSE":
        return sql
    tree = sqlglot.parse_one(sql, read="duckdb")
    for _ in range(2):  # a replaced node's children are not visited in the same pass
        tree = tree.transform(_translate_node)
    for func in tree.find_all(exp.Func):
        known = isinstance(func, _SAME_MEANING_NODES) or (
            isinstance(func, exp.Anonymous) and func.name.lower() in _SPARK_FUNCTIONS
        )
        if not known:
            raise ValueError(f"Fungsi SQL tanpa padanan Spark yang diperiksa: {func.sql('duckdb')} (dalam: {sql})")
    return tree.sql(dialect="spark")


def spark_model(model: dict[str, Any]) -> dict[str, Any]:
    """The same model (m, u, prior, term-frequency settings) with its SQL in Spark SQL."""
    out = json.loads(json.dumps(model))
    if out.get("sql_dialect", "duckdb") != "duckdb":
        raise ValueError(f"Model padan ditulis untuk {out.get('sql_dialect')}, bukan DuckDB.")
    for comparison in out["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = to_spark_sql(level["sql_condition"])
    for rule in out["blocking_rules_to_generate_predictions"]:
        rule["blocking_rule"] = to_spark_sql(rule["blocking_rule"])
        rule["sql_dialect"] = "spark"
    out["sql_dialect"] = "spark"
    return out


def local_session(cores: int = 2):
    """A Spark session in local mode (``local[cores]``) with Splink's jar of UDFs; reuses a running session."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers run the UDF with this package
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("padu_padan")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", str(2 * cores))
        .config("spark.default.parallelism", str(2 * cores))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    if spark.sparkContext._jsc.sc().getCheckpointDir().isEmpty():
        folder = tempfile.mkdtemp(prefix="padan_spark_")  # Splink's intermediate tables (parquet)
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        spark.sparkContext.setCheckpointDir(folder)
    return spark


def database_api(spark=None, inputs: tuple[str, ...] = ()):
    """Splink's ``SparkAPI`` on ``spark`` (default: :func:`local_session`), with the UDFs the model needs.
    The temporary views of an earlier run in the same session (Splink's, and the ``inputs`` about to be
    registered again) are dropped first: Splink refuses to register a name that exists."""
    from pyspark.sql.types import DoubleType
    from splink import SparkAPI

    spark = spark or local_session()
    for table in spark.catalog.listTables():
        if table.isTemporary and (table.name.startswith("__splink") or table.name in inputs):
            spark.catalog.dropTempView(table.name)
    api = SparkAPI(spark_session=spark, num_partitions_on_repartition=spark.sparkContext.defaultParallelism)
    spark.udf.register("jaro_winkler_duckdb", jaro_winkler_similarity, DoubleType())
    return api
