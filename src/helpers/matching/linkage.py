"""Padu padan as probabilistic record linkage (Fellegi–Sunter with Splink on DuckDB, or scored on Spark).

Each SK person is compared with the P3KE individuals that share a block with them; every blocked pair is scored
on four comparisons, NIK matches included:

- ``nik``: exact; Excel truncation (first 15 digits equal, the SK NIK ends in 0); one-digit typo or transposition
  in the serial (region+date part equal); one-digit typo in the region+date part (serial equal); any two-digit
  difference; region+date part equal with another serial (a stranger born the same day); different.
- ``nama`` (normalised with :mod:`.names`): exact with term-frequency adjustment (SITI, SRI, MUHAMMAD… weigh
  little), Jaro–Winkler >= 0.92 / 0.85, all tokens of one name in the other, Jaro–Winkler >= 0.70, different.
- ``tanggal_lahir`` (the column, else the date in the NIK): exact, day/month swapped, one-character typo,
  within a year, different.
- ``wilayah``: same desa, same kecamatan, elsewhere (where the person lives; the NIK's region is where it was
  first issued);
- ``jenis_kelamin`` (the column, else the NIK): same or different.

Blocks: the NIK; the NIK's region+date part (finds a damaged serial, an Excel-truncated NIK, a moved person);
the NIK's date part within the desa; and within the desa the first two letters of the first or of the last
name token, or the birth date (names are compared within the desa only, never across the kabupaten).

Training (seeded): u by random sampling; the prior from exact NIK agreement; m by EM in two sessions, blocked
on the NIK (trains name, date, sex) and on desa + exact normalised name (trains the NIK). Both blocks give mostly
true matches without tying the trained comparison to the block (a session blocked on the birth date would, because
the NIK contains the birth date). The learned m values are then checked (:func:`check_model`).

Outcome per SK person (``metode_padan``), after a one-to-one assignment (:func:`assign`):

- ``nik`` / ``probabilistik``: the assigned pair has ``bobot_padan >= ambang_padan`` and passes the guards of
  :func:`guard_failures`; ``nik`` when the NIKs are equal. An equal NIK is no proof when it ends in 0 and a
  register person shares its first 15 digits with a name at least as close (:func:`excel_twins`): Excel keeps
  15 significant digits, so the SK NIK may be that person's with its last digit lost;
- ``tinjau_manual``: the best candidate has ``bobot_padan >= ambang_tinjau`` but the person is not matched
  automatically (``alasan`` says why);
- ``tidak_padan``: no candidate reaches ``ambang_tinjau``;
- ``keputusan_manual``: fixed by a reviewer's decision (:func:`apply_decisions`), before the model runs.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from helpers.cleaning.nik import mask_series, nik_birth_info
from helpers.errors import InputError
from helpers.matching.names import normalise_names
from helpers.params import DEFAULTS
from helpers.vocabulary import (
    KEPUTUSAN_MANUAL,
    MESIN_PADAN,
    METODE_PADAN,
    NIK,
    PROBABILISTIK,
    TIDAK_PADAN,
    TINJAU_MANUAL,
)

#: Thresholds on the match weight (log2 Bayes factor including the prior), chosen on the hard-case benchmark.
AMBANG_PADAN: float = DEFAULTS["ambang_padan"]  # declared in helpers.params
AMBANG_TINJAU: float = DEFAULTS["ambang_tinjau"]
#: An automatic match needs its weight to beat the SK person's next candidate by this many bits.
SELISIH_MINIMUM = 3.0
SEED = 9
# Engines that score the model (vocabulary.MESIN_PADAN): DuckDB in this process (the default), or Spark through
# Splink's Spark backend (:mod:`helpers.matching.spark`; training stays on DuckDB). Same pairs, weights, outcomes.
#: Random pairs for the u probabilities: enough to see every level that random pairs reach (a same name ~1e-4),
#: while the rarest levels (NIK agreements) are never seen by random pairs and get a fixed small u.
U_PAIRS = 5e5
#: Fewer SK people than this (after decisions) cannot train the model reliably: the shipped model is used.
MIN_SK_TRAINING = 100
#: The shipped model: trained the same way on the hard-case benchmark (seed 1; helpers.demo.hard_cases).
DEFAULT_MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "model_padan_bawaan.json"
#: Cap on the m value of a "disagree" level (see :func:`check_model`).
MAX_M_DISAGREE = {"nama": {"beda": 0.01, "agak_mirip": 0.02}, "tanggal_lahir": {"beda": 0.02},
                  "jenis_kelamin": {"beda": 0.05}}  # fmt: skip
#: Smallest m of a level (prior share of true matches; see :func:`check_model`).
M_FLOOR = 0.001
M_MIN = {"nik.salah_ketik_seri": 0.01, "nik.salah_ketik_wilayah_tanggal": 0.01, "nik.beda_2_digit": 0.005,
         "nik.beda": 0.01, "nama.sangat_mirip": 0.03, "nama.mirip": 0.01, "nama.sebagian_nama": 0.01,
         "tanggal_lahir.hari_bulan_tertukar": 0.01, "tanggal_lahir.salah_ketik": 0.005,
         "wilayah.kecamatan_sama": 0.01, "wilayah.beda": 0.02, "jenis_kelamin.beda": 0.005}  # fmt: skip
#: m and u of the Excel-truncation level, fixed by hand (too rare for EM to learn): log2(m/u) = 4.3 bits, a weak
#: hint that never matches alone, since the ten NIKs that differ only in their 16th digit all agree at this level.
M_U_TERPOTONG = (0.01, 0.0005)
NAME_LEVELS_AUTO = ("sama", "sangat_mirip", "mirip", "sebagian_nama")
#: ``alasan`` of an equal NIK ending in 0 whose 15-digit twin has a name at least as close (:func:`excel_twins`).
ALASAN_NIK_EXCEL = "nik_mungkin_terpotong_excel"
#: Name levels from the closest to the farthest (to compare two candidates' names).
NAME_LEVELS_ORDER = ("sama", "sangat_mirip", "mirip", "sebagian_nama", "agak_mirip", "beda", "kosong")
NIK_LEVELS_AGREE = ("sama", "terpotong_excel", "salah_ketik_seri", "salah_ketik_wilayah_tanggal")
DATE_LEVELS_AGREE = ("sama", "hari_bulan_tertukar", "salah_ketik")
TIDAK_ADA = "tidak ada di p3ke"
LEVEL_COLUMNS = {"nik": "tingkat_nik", "nama": "tingkat_nama", "tanggal_lahir": "tingkat_tanggal_lahir",
                 "wilayah": "tingkat_wilayah", "jenis_kelamin": "tingkat_jenis_kelamin"}  # fmt: skip
logger = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------------------------------
# Input records
# ------------------------------------------------------------------------------------------------------------


def nik_birth(nik: pd.Series) -> pd.DataFrame:
    """Sex (``L``/``P``) and birth date (``YYYY-MM-DD``; two-digit years > 25 read as 19xx) coded in each NIK."""
    info = nik_birth_info(nik)
    day, month, year2 = (info[c].astype(float) for c in ("hari", "bulan", "tahun2"))
    year = year2 + np.where(year2 > 25, 1900, 2000)
    date = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce")
    return pd.DataFrame({"jenis_kelamin": info["jenis_kelamin"], "tanggal": date.dt.strftime("%Y-%m-%d").astype("string")})


def _records(frame: pd.DataFrame, unique_id: np.ndarray) -> pd.DataFrame:
    nik = frame["nik"].astype("string").where(frame["nik"].astype("string").str.fullmatch(r"\d{16}").fillna(False))
    coded = nik_birth(nik)
    column_date = pd.to_datetime(frame["tanggal_lahir"], errors="coerce").dt.strftime("%Y-%m-%d").astype("string")
    sex = frame["jenis_kelamin"] if "jenis_kelamin" in frame else pd.Series(pd.NA, index=frame.index)
    sex = sex.astype("string")
    name_source = frame["nama"].astype("string").fillna(frame.get("nama_kunci", frame["nama"]).astype("string"))
    nama = normalise_names(name_source)
    records = pd.DataFrame(
        {
            "unique_id": unique_id,
            "nik": nik,
            "nik12": nik.str[:12],
            "nik_tanggal": nik.str[6:12],
            "nama_norm": nama,
            # the first two letters of the first and of the last name token (Arrow regex, no Python lists)
            "blok_awal": nama.str.extract(r"^([^ ]{0,2})", expand=False),
            "blok_akhir": nama.str.extract(r"(?:^| )([^ ]{0,2})[^ ]*$", expand=False),
            "tanggal": column_date.fillna(coded["tanggal"]),
            "jenis_kelamin": sex.where(sex.isin(["L", "P"])).fillna(coded["jenis_kelamin"]),
            # "1" where the value above is only the NIK's own (the column was empty)
            "tanggal_dari_nik": np.where(column_date.isna() & coded["tanggal"].notna(), "1", "0"),
            "jk_dari_nik": np.where(~sex.isin(["L", "P"]).fillna(False) & coded["jenis_kelamin"].notna(), "1", "0"),
            "kode_desa": frame["kode_desa"].astype("string"),
        }
    )
    return records.astype({c: "string" for c in records.columns if c != "unique_id"}).reset_index(drop=True)


def prepare(sk: pd.DataFrame, p3ke: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Model input: SK records (``unique_id`` = row position in ``sk``) and the P3KE records that can share a
    block with an SK person (``unique_id`` = P3KE index label): all people of the SK desa, plus anyone whose NIK
    region+date part equals an SK NIK's (people who moved)."""
    left = _records(sk, np.arange(len(sk), dtype=np.int64))
    nik12 = p3ke["nik"].astype("string").str[:12]
    keep = p3ke["kode_desa"].isin(set(left["kode_desa"].dropna())) | nik12.isin(set(left["nik12"].dropna()))
    kept = p3ke[keep.fillna(False).to_numpy()]
    right = _records(kept, kept.index.to_numpy(dtype=np.int64))
    return left, right


# ------------------------------------------------------------------------------------------------------------
# Model
# ------------------------------------------------------------------------------------------------------------


def _level(label: str, sql: str, **extra) -> dict:
    return {"sql_condition": sql, "label_for_charts": label, **extra}


def _null(column: str) -> dict:
    return _level("kosong", f'"{column}_l" IS NULL OR "{column}_r" IS NULL', is_null_level=True)


#: The two NIKs are close (same region+date part, or at most two digit edits).
_NIK_CLOSE = 'substr("nik_l", 1, 12) = substr("nik_r", 1, 12) OR damerau_levenshtein("nik_l", "nik_r") <= 2'


def _null_unless_own(column: str, flag: str) -> dict:
    """Missing, or only the NIK's own value while the two NIKs differ: the NIK comparison already counts that
    disagreement (a relative's NIK would otherwise be counted three times: NIK, birth date and sex)."""
    from_nik = f'("{flag}_l" = \'1\' OR "{flag}_r" = \'1\') AND NOT COALESCE({_NIK_CLOSE}, FALSE)'
    return _level(
        "kosong", f'"{column}_l" IS NULL OR "{column}_r" IS NULL OR ({from_nik})', is_null_level=True
    )


def _comparisons() -> list[dict]:
    def nik(a: int, n: int, side: str) -> str:
        return f'substr("nik_{side}", {a}, {n})'

    dl = "damerau_levenshtein"
    jw = 'jaro_winkler_similarity("nama_norm_l", "nama_norm_r")'
    tok_l, tok_r = "str_split(\"nama_norm_l\", ' ')", "str_split(\"nama_norm_r\", ' ')"
    d_l, d_r = '"tanggal_l"', '"tanggal_r"'
    m_terpotong, u_terpotong = M_U_TERPOTONG
    return [
        {
            "output_column_name": "nik",
            "comparison_description": "NIK: bagian wilayah (1-6), tanggal (7-12), nomor urut (13-16)",
            "comparison_levels": [
                _null("nik"),
                _level("sama", '"nik_l" = "nik_r"'),
                _level(
                    "terpotong_excel",
                    f"{nik(1, 15, 'l')} = {nik(1, 15, 'r')} AND {nik(16, 1, 'l')} = '0'",
                    m_probability=m_terpotong,
                    u_probability=u_terpotong,
                    fix_m_probability=True,
                    fix_u_probability=True,
                ),  # fmt: skip
                _level(
                    "salah_ketik_seri",
                    f"{nik(1, 12, 'l')} = {nik(1, 12, 'r')} AND {dl}({nik(13, 4, 'l')}, {nik(13, 4, 'r')}) <= 1",
                ),
                _level(
                    "salah_ketik_wilayah_tanggal",
                    f"{nik(13, 4, 'l')} = {nik(13, 4, 'r')} AND {dl}({nik(1, 12, 'l')}, {nik(1, 12, 'r')}) <= 1",
                ),
                _level("beda_2_digit", f'{dl}("nik_l", "nik_r") <= 2'),
                _level("wilayah_tanggal_sama", f"{nik(1, 12, 'l')} = {nik(1, 12, 'r')}"),
                _level("beda", "ELSE"),
            ],
        },  # fmt: skip
        {
            "output_column_name": "nama",
            "comparison_description": "Nama dinormalkan (ejaan lama, singkatan, gelar)",
            "comparison_levels": [
                _null("nama_norm"),
                _level(
                    "sama", '"nama_norm_l" = "nama_norm_r"', tf_adjustment_column="nama_norm", tf_adjustment_weight=1.0
                ),  # fmt: skip
                _level("sangat_mirip", f"{jw} >= 0.92"),
                _level("mirip", f"{jw} >= 0.85"),
                _level("sebagian_nama", f"list_has_all({tok_l}, {tok_r}) OR list_has_all({tok_r}, {tok_l})"),
                _level("agak_mirip", f"{jw} >= 0.70"),
                _level("beda", "ELSE"),
            ],
        },
        {
            "output_column_name": "tanggal_lahir",
            "comparison_description": "Tanggal lahir (kolom, atau dari NIK bila kosong)",
            "comparison_levels": [
                _null_unless_own("tanggal", "tanggal_dari_nik"),
                _level("sama", f"{d_l} = {d_r}"),
                _level(
                    "hari_bulan_tertukar",
                    f"substr({d_l}, 1, 4) = substr({d_r}, 1, 4) AND "
                    f"substr({d_l}, 6, 2) = substr({d_r}, 9, 2) AND substr({d_l}, 9, 2) = substr({d_r}, 6, 2)",
                ),
                _level("salah_ketik", f"{dl}({d_l}, {d_r}) <= 1"),
                _level("selisih_1_tahun", f"abs(date_diff('day', CAST({d_l} AS DATE), CAST({d_r} AS DATE))) <= 366"),
                _level("beda", "ELSE"),
            ],
        },  # fmt: skip
        {
            "output_column_name": "wilayah",
            "comparison_description": "Desa / kecamatan tempat tinggal (bukan wilayah NIK)",
            "comparison_levels": [
                _null("kode_desa"),
                _level("desa_sama", '"kode_desa_l" = "kode_desa_r"'),
                _level("kecamatan_sama", 'substr("kode_desa_l", 1, 8) = substr("kode_desa_r", 1, 8)'),
                _level("beda", "ELSE"),
            ],
        },
        {
            "output_column_name": "jenis_kelamin",
            "comparison_description": "Jenis kelamin (kolom, atau dari NIK)",
            "comparison_levels": [
                _null_unless_own("jenis_kelamin", "jk_dari_nik"),
                _level("sama", '"jenis_kelamin_l" = "jenis_kelamin_r"'),
                _level("beda", "ELSE"),
            ],
        },
    ]


def settings(probability_two_random_records_match: float = 1e-4) -> dict:
    """The Splink settings (untrained)."""
    blocks = [
        ["nik"], ["nik12"], ["nik_tanggal", "kode_desa"], ["kode_desa", "blok_awal"], ["kode_desa", "blok_akhir"],
        ["kode_desa", "tanggal"],
    ]  # fmt: skip
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": probability_two_random_records_match,
        "comparisons": _comparisons(),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": " AND ".join(f'l."{c}" = r."{c}"' for c in block)} for block in blocks
        ],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
    }


def check_mesin_padan(mesin_padan: str) -> str:
    """``mesin_padan`` if it is one of :data:`MESIN_PADAN`, else :class:`InputError`."""
    if mesin_padan not in MESIN_PADAN:
        raise InputError(f'Parameter mesin_padan = "{mesin_padan}" harus salah satu dari: {", ".join(MESIN_PADAN)}.')
    return mesin_padan


def _linker(left: pd.DataFrame, right: pd.DataFrame, model: dict, mesin_padan: str = "duckdb"):
    from splink import DuckDBAPI, Linker

    if mesin_padan == "spark":
        from helpers.matching import spark

        db = spark.database_api(inputs=("a_sk", "b_p3ke"))
        model = spark.spark_model(model)
    else:
        db = DuckDBAPI()
        db._execute_sql_against_backend("SET threads TO 2")
    tables = [db.register(left, dataset_display_name="a_sk"), db.register(right, dataset_display_name="b_p3ke")]
    logging.getLogger("splink").setLevel(logging.ERROR)  # untrainable levels are listed in koreksi_m instead
    return Linker(tables, model, log_level=logging.ERROR)


def splink_settings(model: dict) -> dict:
    """The model without this project's own keys (hand corrections, where the model came from)."""
    return {k: v for k, v in model.items() if k not in ("koreksi_m", "sumber_model")}


def check_model(model: dict) -> dict:
    """Fix implausible learned m values (returns a corrected copy; each change is listed in ``koreksi_m``).

    - Floor: no level gets m below :data:`M_MIN` (default :data:`M_FLOOR`). EM cannot learn a level it (almost)
      never sees among the matches of its blocks, e.g. spelling variants on a clean file; m = 0 there would
      turn a near-agreement into a veto. The floors are small prior shares of true matches.
    - Cap: a "disagree" level may not carry more than :data:`MAX_M_DISAGREE` of the true matches: EM can take
      relatives or namesakes blocked together for matches (the known trap).
    - The first (exact) level takes what is left, so the m values still add up to 1.
    - A level random sampling never saw gets u = 1e-6.
    """
    model = json.loads(json.dumps(model))
    changes = []
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        caps = MAX_M_DISAGREE.get(name, {})
        for level in levels[1:]:
            label = level["label_for_charts"]
            m = level.get("m_probability")
            fixed = min(max(m or 0.0, M_MIN.get(f"{name}.{label}", M_FLOOR)), caps.get(label, 1.0))
            if m is None or abs(fixed - m) > 1e-12:
                changes.append(f"{name}.{label}: m {'tidak terlatih' if m is None else f'{m:.3g}'} -> {fixed:.3g}")
                level["m_probability"] = fixed
        levels[0]["m_probability"] = 1.0 - sum(lv["m_probability"] for lv in levels[1:])
        for level in levels:  # parallel sums differ in the last bits from run to run
            level["m_probability"] = float(f"{level['m_probability']:.10g}")
            if level.get("u_probability") is not None:
                level["u_probability"] = float(f"{level['u_probability']:.10g}")
            if level.get("u_probability") is None:
                level["u_probability"] = 1e-6
                changes.append(f"{name}.{level['label_for_charts']}: u tidak terlatih -> 1e-06")
    model["probability_two_random_records_match"] = float(f"{model['probability_two_random_records_match']:.10g}")
    model["linker_uid"] = "padu_padan"
    model["koreksi_m"] = changes
    model["sumber_model"] = "dilatih pada data run ini"
    return model


#: One line of ``koreksi_m`` as :func:`check_model` writes it (``nama.mirip: m tidak terlatih -> 0.01``).
CORRECTION = re.compile(
    r"^(?P<bidang>\w+)\.(?P<tingkat>\w+): (?P<parameter>[mu]) (?P<dilatih>tidak terlatih|\S+) -> (?P<dipakai>\S+)$"
)


def corrections(model: dict) -> list[dict]:
    """The hand corrections of ``model`` (its ``koreksi_m``) as records: ``bidang``, ``tingkat``, ``parameter``
    (``m``/``u``), ``dilatih`` (the trained value, None when the level was never seen) and ``dipakai``."""
    records = []
    for line in model.get("koreksi_m", []):
        found = CORRECTION.match(line)
        if found is None:
            raise ValueError(f"unexpected koreksi_m line: {line!r}")
        record = found.groupdict()
        record["dilatih"] = None if record["dilatih"] == "tidak terlatih" else float(record["dilatih"])
        record["dipakai"] = float(record["dipakai"])
        records.append(record)
    return records


def train(left: pd.DataFrame, right: pd.DataFrame, seed: int = SEED) -> dict:
    """Train the model on the data itself; returns the checked model (Splink settings JSON)."""
    from splink import block_on

    linker = _linker(left, right, settings())
    linker.training.estimate_probability_two_random_records_match([block_on("nik")], recall=0.9)
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("nik"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("kode_desa", "nama_norm"))
    model = linker.misc.save_model_to_json()
    return check_model(model)


def default_model() -> dict:
    """The shipped model (see :data:`DEFAULT_MODEL_FILE`), for inputs too small to train on."""
    model = json.loads(DEFAULT_MODEL_FILE.read_text(encoding="utf-8"))
    model["sumber_model"] = f"bawaan ({DEFAULT_MODEL_FILE.name}): kurang dari {MIN_SK_TRAINING} sasaran untuk dilatih"
    return model


def _labels(model: dict) -> dict[str, dict[int, str]]:
    out = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        non_null = [lv for lv in levels if not lv.get("is_null_level")]
        mapping = {-1: "kosong"}
        mapping.update({len(non_null) - 1 - i: lv["label_for_charts"] for i, lv in enumerate(non_null)})
        out[comparison["output_column_name"]] = mapping
    return out


def score(
    left: pd.DataFrame, right: pd.DataFrame, model: dict, min_weight: float, mesin_padan: str = "duckdb"
) -> pd.DataFrame:
    """All blocked pairs scored; those with ``bobot_padan >= min_weight`` returned (``sk_pos``, ``p3ke_index``,
    ``bobot_padan``, ``probabilitas_padan``, the readable level per comparison). ``mesin_padan``: the engine that
    scores (:data:`MESIN_PADAN`; the same figures on both)."""
    check_mesin_padan(mesin_padan)
    linker = _linker(left, right, splink_settings(model), mesin_padan)
    pairs = linker.inference.predict(threshold_match_weight=min_weight).as_pandas_dataframe()
    flipped = pairs["source_dataset_l"] != "a_sk"
    sk_pos = np.where(flipped, pairs["unique_id_r"], pairs["unique_id_l"]).astype(np.int64)
    p3ke_index = np.where(flipped, pairs["unique_id_l"], pairs["unique_id_r"]).astype(np.int64)
    out = pd.DataFrame(
        {
            "sk_pos": sk_pos,
            "p3ke_index": p3ke_index,
            "bobot_padan": pairs["match_weight"].astype(float).round(6),
            "probabilitas_padan": pairs["match_probability"].astype(float).round(6),
        }
    )
    for comparison, labels in _labels(model).items():
        out[LEVEL_COLUMNS[comparison]] = pairs[f"gamma_{comparison}"].map(labels).astype("string")
    return out.sort_values(["sk_pos", "bobot_padan", "p3ke_index"], ascending=[True, False, True], ignore_index=True)


# ------------------------------------------------------------------------------------------------------------
# One-to-one assignment, guards, outcome
# ------------------------------------------------------------------------------------------------------------


def assign(pairs: pd.DataFrame) -> pd.DataFrame:
    """One-to-one: per connected block of SK and P3KE people, the assignment with the largest total weight
    (``linear_sum_assignment`` on weights shifted to be positive). Returns the chosen rows of ``pairs``."""
    if pairs.empty:
        return pairs.iloc[:0]
    sk_codes, sk_ids = pd.factorize(pairs["sk_pos"], sort=True)
    p_codes, p_ids = pd.factorize(pairs["p3ke_index"], sort=True)
    n_sk = len(sk_ids)
    graph = coo_matrix((np.ones(len(pairs)), (sk_codes, n_sk + p_codes)), shape=(n_sk + len(p_ids),) * 2)
    _, component = connected_components(graph, directed=False)
    gain = pairs["bobot_padan"].to_numpy() - pairs["bobot_padan"].min() + 1.0
    chosen = []
    frame = pd.DataFrame({"row": np.arange(len(pairs)), "s": sk_codes, "p": p_codes, "c": component[sk_codes]})
    for _, block in frame.groupby("c", sort=True):
        if len(block) == 1:
            chosen.append(int(block["row"].iloc[0]))
            continue
        s_local, s_uniq = pd.factorize(block["s"], sort=True)
        p_local, p_uniq = pd.factorize(block["p"], sort=True)
        matrix = np.zeros((len(s_uniq), len(p_uniq)))
        matrix[s_local, p_local] = gain[block["row"].to_numpy()]
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        lookup = dict(zip(zip(s_local, p_local), block["row"]))
        chosen.extend(lookup[(r, c)] for r, c in zip(rows, cols) if matrix[r, c] > 0)
    return pairs.iloc[sorted(chosen)]


def guard_failures(pairs: pd.DataFrame) -> pd.Series:
    """Deterministic guards on top of the score; the reason why a pair may not be matched automatically:

    - ``nama_berbeda``: the names are not close (level ``agak_mirip``, ``beda`` or missing), whatever the NIK
      says (a NIK copied from a relative, an Excel-damaged NIK held by someone else);
    - ``tanpa_nik_dan_tanggal``: neither the NIK nor the birth date agrees: a name alone is not enough (a
      one-letter neighbour such as SUPARMI / SUPARNI in the same desa).
    Empty text when the pair passes. :func:`_outcome` adds ``nik_mungkin_terpotong_excel``: the NIKs are equal
    but end in 0 and another register person shares the first 15 digits with a name at least as close
    (:func:`excel_twins`); and ``selisih_kandidat_kecil``: another candidate that passes these guards too is
    within ``selisih_minimum`` bits (a mother and daughter of the same name, one NIK copied); a candidate with
    another name is no competitor."""
    name_ok = pairs["tingkat_nama"].isin(NAME_LEVELS_AUTO)
    id_ok = pairs["tingkat_nik"].isin(NIK_LEVELS_AGREE) | pairs["tingkat_tanggal_lahir"].isin(DATE_LEVELS_AGREE)
    reason = np.where(~name_ok, "nama_berbeda", np.where(~id_ok, "tanpa_nik_dan_tanggal", ""))
    return pd.Series(reason, index=pairs.index, dtype="string")


def _name_rank(levels: pd.Series) -> pd.Series:
    """0 for ``sama`` up to the farthest name level (missing counts as ``kosong``)."""
    rank = {level: i for i, level in enumerate(NAME_LEVELS_ORDER)}
    return levels.fillna("kosong").map(rank).fillna(len(NAME_LEVELS_ORDER)).astype(int)


def excel_twins(pairs: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """The 15-digit twin of each SK person whose evidence pair (index ``sk_pos``) has an equal NIK: the candidate
    with the closest name among those whose NIK agrees on the first 15 digits only while the SK NIK ends in 0
    (level ``terpotong_excel``), kept when its name is at least as close as the equal-NIK candidate's.

    Excel keeps 15 significant digits: a NIK typed into a General cell loses its 16th digit, which becomes 0.
    Such a NIK can be the real NIK of someone else whose serial ends in 0 (serials are given in order per
    region and birth date: a twin born the same day, a neighbour registered the same day). When a register
    person with the same first 15 digits has a name as close or closer, the equal NIK proves nothing.
    Returns the twin pairs (rows of ``pairs``), indexed by ``sk_pos``."""
    same = evidence.index[evidence["tingkat_nik"].eq("sama").fillna(False).to_numpy(bool)]
    twins = pairs[pairs["tingkat_nik"].eq("terpotong_excel").fillna(False).to_numpy(bool) & pairs["sk_pos"].isin(same)]
    twins = twins.assign(_rank=_name_rank(twins["tingkat_nama"]))
    twins = twins.sort_values(["sk_pos", "_rank", "bobot_padan"], ascending=[True, True, False], kind="stable")
    twins = twins.drop_duplicates("sk_pos").set_index("sk_pos")
    own = _name_rank(evidence["tingkat_nama"].reindex(twins.index))
    return twins[twins["_rank"] <= own].drop(columns="_rank")


def _outcome(
    n_sk: int, pairs: pd.DataFrame, ambang_padan: float, ambang_tinjau: float, selisih_minimum: float
) -> pd.DataFrame:
    """One row per SK position: method, matched P3KE row, evidence of the assigned (else best) pair, reason."""
    edges = pairs[pairs["bobot_padan"] >= ambang_tinjau]
    assigned = assign(edges).set_index("sk_pos")
    best = edges.drop_duplicates("sk_pos").set_index("sk_pos")
    # candidates that could be matched automatically themselves (close name, NIK or date agree); one with
    # another name is no competitor, however strong its NIK
    plausible = edges[guard_failures(edges.fillna({c: "kosong" for c in LEVEL_COLUMNS.values()})) == ""]
    evidence = assigned.combine_first(best).reindex(range(n_sk))
    has = evidence["p3ke_index"].notna()
    is_assigned = pd.Series(evidence.index.isin(assigned.index), index=evidence.index)
    best_plausible = plausible.groupby("sk_pos")["bobot_padan"].max().reindex(evidence.index)
    took_best = is_assigned & ~(best_plausible > evidence["bobot_padan"] + 1e-9)
    levels = evidence.fillna({c: "kosong" for c in LEVEL_COLUMNS.values()})
    # the strongest other plausible candidate
    others = plausible["p3ke_index"].to_numpy() != evidence["p3ke_index"].reindex(plausible["sk_pos"]).to_numpy()
    runner_up = plausible[others].groupby("sk_pos")["bobot_padan"].max()
    close = runner_up.reindex(evidence.index) > evidence["bobot_padan"] - selisih_minimum
    twin = pd.Series(evidence.index.isin(excel_twins(pairs, levels).index), index=evidence.index)
    guard = guard_failures(levels)
    guard = guard.mask(twin & (guard == ""), ALASAN_NIK_EXCEL)
    guard = guard.mask(close & (guard == ""), "selisih_kandidat_kecil")
    auto = is_assigned & took_best & (evidence["bobot_padan"] >= ambang_padan) & (guard == "")
    alasan = np.select(
        [auto, ~has, is_assigned & ~took_best | ~is_assigned & has, evidence["bobot_padan"] < ambang_padan],
        ["", "tidak_ada_kandidat", "kandidat_terbaik_dipakai_sasaran_lain", "bobot_di_antara_ambang"],
        guard.fillna(""),
    )
    metode = np.where(auto, np.where(levels["tingkat_nik"] == "sama", NIK, PROBABILISTIK),
                      np.where(has, TINJAU_MANUAL, TIDAK_PADAN))  # fmt: skip
    out = evidence.assign(metode_padan=metode, alasan=alasan)
    out["p3ke_index"] = out["p3ke_index"].where(auto).astype("Int64")
    return out


@dataclass
class LinkageResult:
    """``padan``: one row per SK person (``id_sasaran``, ``metode_padan``, ``p3ke_index``, ``probabilitas_padan``,
    ``bobot_padan``, ``tingkat_nik``, ``tingkat_nama``, ``tingkat_tanggal_lahir``, ``tingkat_jenis_kelamin``,
    ``alasan``). ``kandidat``: up to three candidates per ``tinjau_manual`` person. ``nik_ganda_sk``: SK rows
    sharing a NIK. ``keputusan_basi``: decisions not applied, with ``alasan_basi``. ``model``: the trained model."""

    padan: pd.DataFrame
    kandidat: pd.DataFrame
    nik_ganda_sk: pd.DataFrame
    keputusan_basi: pd.DataFrame
    model: dict = field(repr=False)
    ambang_padan: float = AMBANG_PADAN
    ambang_tinjau: float = AMBANG_TINJAU
    #: The model's input records (SK, register) and the SK ids in the order of the SK records, for the charts.
    records: tuple[pd.DataFrame, pd.DataFrame, pd.Series] | None = field(default=None, repr=False)

    def counts(self) -> dict[str, int]:
        counts = self.padan["metode_padan"].value_counts()
        return {m: int(counts.get(m, 0)) for m in METODE_PADAN}


def shared_niks(sk: pd.DataFrame) -> pd.DataFrame:
    """SK rows whose NIK occurs on more than one SK row (``id_sasaran``, ``nik``, ``nama``, ``jumlah_baris``)."""
    known = sk[sk["nik"].notna()]
    size = known.groupby("nik")["id_sasaran"].transform("size")
    rows = known.loc[size > 1, ["id_sasaran", "nik", "nama"]].assign(jumlah_baris=size[size > 1])
    return rows.sort_values(["nik", "id_sasaran"], ignore_index=True)


def _candidates(pairs: pd.DataFrame, padan: pd.DataFrame) -> pd.DataFrame:
    """Top three candidates of each review person. Persons in descending order of their best weight (the likeliest
    matches first, quick to confirm), candidates by descending weight. A person sent to review for a possible
    Excel-truncated NIK always has its 15-digit twin (:func:`excel_twins`) among the three."""
    review = padan.loc[padan["metode_padan"] == TINJAU_MANUAL, ["sk_pos", "id_sasaran", "alasan"]]
    taken = padan.loc[padan["p3ke_index"].notna()].set_index("p3ke_index")["id_sasaran"]
    cand = pairs[pairs["sk_pos"].isin(review["sk_pos"])]  # weak ones too: a reviewer sees the whole top three
    top = cand.groupby("sk_pos", sort=False).head(3)
    excel = review.loc[review["alasan"] == ALASAN_NIK_EXCEL, "sk_pos"]
    if len(excel):
        same = cand[cand["sk_pos"].isin(excel) & cand["tingkat_nik"].eq("sama").fillna(False)]
        evidence = same.drop_duplicates("sk_pos").set_index("sk_pos")
        twins = excel_twins(cand, evidence).reset_index()
        missing = twins.merge(top[["sk_pos", "p3ke_index"]], how="left", indicator=True)
        missing = missing.loc[missing["_merge"] == "left_only", ["sk_pos", "p3ke_index"]]
        # the twin takes the place of the third candidate
        third = top.groupby("sk_pos").cumcount() == 2
        top = top[~(third & top["sk_pos"].isin(missing["sk_pos"]))]
        extra = cand.merge(missing, on=["sk_pos", "p3ke_index"])
        top = pd.concat([top, extra]).sort_values(["sk_pos", "bobot_padan", "p3ke_index"],
                                                   ascending=[True, False, True], kind="stable")  # fmt: skip
    cand = top.merge(review, on="sk_pos")
    cand["dipakai_oleh"] = cand["p3ke_index"].map(taken).astype("string")
    cand["peringkat"] = cand.groupby("sk_pos").cumcount() + 1
    cand["bobot_terbaik"] = cand.groupby("sk_pos")["bobot_padan"].transform("max")
    cand = cand.sort_values(["bobot_terbaik", "sk_pos", "peringkat"], ascending=[False, True, True], ignore_index=True)
    columns = ["id_sasaran", "peringkat", "p3ke_index", "bobot_padan", "probabilitas_padan",
               *LEVEL_COLUMNS.values(), "dipakai_oleh", "alasan"]  # fmt: skip
    return cand[columns].astype({"p3ke_index": "Int64"})


# ------------------------------------------------------------------------------------------------------------
# Decisions
# ------------------------------------------------------------------------------------------------------------


def apply_decisions(
    sk: pd.DataFrame, p3ke: pd.DataFrame, decisions: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Reviewers' decisions -> (forced matches: ``id_sasaran``, ``p3ke_index``, ``diputuskan_oleh``, ``tanggal``;
    forced non-matches: ``id_sasaran``, ``diputuskan_oleh``, ``tanggal``; stale decisions: the rows with
    ``alasan_basi``).

    A decision row has ``id_sasaran`` (or ``nik_sk``), ``keputusan`` (a P3KE NIK or "tidak ada di P3KE"),
    ``diputuskan_oleh``, ``tanggal``. Per SK person the latest decision counts (older ones: ``digantikan``).
    Stale: ``sasaran_tidak_ada`` (SK person gone, or an SK NIK that is not on exactly one row),
    ``nik_p3ke_tidak_ada`` (not in P3KE), ``nik_p3ke_ganda`` (several P3KE rows, none single in the SK desa),
    ``p3ke_sudah_diputuskan`` (that P3KE person was decided earlier for another SK person)."""
    forced_cols = {"id_sasaran": "string", "p3ke_index": "Int64", "diputuskan_oleh": "string", "tanggal": "object"}
    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in forced_cols.items()})
    if decisions is None or decisions.empty:
        return empty, empty.drop(columns="p3ke_index"), pd.DataFrame(columns=["alasan_basi"])
    rows = decisions.copy().reset_index(drop=True)
    rows["tanggal"] = pd.to_datetime(rows.get("tanggal"), errors="coerce")
    ids = (
        rows["id_sasaran"].astype("string")
        if "id_sasaran" in rows
        else pd.Series(pd.NA, index=rows.index, dtype="string")
    )
    if "nik_sk" in rows:
        by_nik = (
            sk.dropna(subset=["nik"]).groupby("nik")["id_sasaran"].agg(lambda s: s.iloc[0] if len(s) == 1 else pd.NA)
        )
        ids = ids.fillna(rows["nik_sk"].astype("string").map(by_nik))
    rows["id_sasaran"] = ids.where(ids.isin(set(sk["id_sasaran"])))
    reason = pd.Series("", index=rows.index, dtype="string")
    reason[rows["id_sasaran"].isna()] = "sasaran_tidak_ada"
    order = rows.assign(_o=rows.index).sort_values(["tanggal", "_o"], na_position="first")
    latest = order[reason[order.index] == ""].groupby("id_sasaran").tail(1).index
    reason[(reason == "") & ~rows.index.isin(latest)] = "digantikan"
    keputusan = rows["keputusan"].astype("string").str.strip()
    no_match = keputusan.str.lower().str.replace(r"\s+", " ", regex=True) == TIDAK_ADA
    nik = keputusan.str.replace(r"\D", "", regex=True)
    desa = rows["id_sasaran"].map(sk.set_index("id_sasaran")["kode_desa"])
    p3ke_nik = p3ke[["nik", "kode_desa"]].assign(p3ke_index=p3ke.index)
    index = pd.Series(pd.NA, index=rows.index, dtype="Int64")
    taken: set = set()
    for i in order.index:
        if reason[i] != "" or no_match[i]:
            continue
        found = p3ke_nik[p3ke_nik["nik"] == nik[i]]
        if len(found) > 1:
            found = found[found["kode_desa"] == desa[i]]
            reason[i] = "nik_p3ke_ganda" if len(found) != 1 else ""
        elif found.empty:
            reason[i] = "nik_p3ke_tidak_ada"
        if reason[i] == "" and int(found["p3ke_index"].iloc[0]) in taken:
            reason[i] = "p3ke_sudah_diputuskan"
        if reason[i] == "":
            index[i] = int(found["p3ke_index"].iloc[0])
            taken.add(int(index[i]))
    applied = reason == ""
    keep = ["id_sasaran", "diputuskan_oleh", "tanggal"]
    forced = rows.loc[applied & ~no_match, keep].assign(p3ke_index=index[applied & ~no_match])
    forced_none = rows.loc[applied & no_match, keep]
    stale = decisions.reset_index(drop=True).loc[~applied].assign(alasan_basi=reason[~applied])
    return forced.reset_index(drop=True), forced_none.reset_index(drop=True), stale.reset_index(drop=True)


# ------------------------------------------------------------------------------------------------------------
# Entry points
# ------------------------------------------------------------------------------------------------------------


def link(
    sk: pd.DataFrame,
    p3ke: pd.DataFrame,
    decisions: pd.DataFrame | None = None,
    ambang_padan: float = AMBANG_PADAN,
    ambang_tinjau: float = AMBANG_TINJAU,
    selisih_minimum: float = SELISIH_MINIMUM,
    model_path: str | Path | None = None,
    seed: int = SEED,
    mesin_padan: str = "duckdb",
) -> LinkageResult:
    """Padu padan of the SK list against P3KE. Decisions are applied first; the decided SK and P3KE people
    leave the model's input and get ``metode_padan = keputusan_manual``. The trained model is returned in the
    result and written to ``model_path`` when given. The model is trained on DuckDB and scored on
    ``mesin_padan`` (``duckdb`` or ``spark``: Splink's Spark backend, :mod:`helpers.matching.spark`)."""
    check_mesin_padan(mesin_padan)
    forced, forced_none, stale = apply_decisions(sk, p3ke, decisions)
    decided_sk = set(forced["id_sasaran"]) | set(forced_none["id_sasaran"])
    rest_sk = sk[~sk["id_sasaran"].isin(decided_sk)].reset_index(drop=True)
    rest_p3ke = p3ke[~p3ke.index.isin(forced["p3ke_index"].astype("int64"))]
    left, right = prepare(rest_sk, rest_p3ke)
    model = train(left, right, seed) if len(rest_sk) >= MIN_SK_TRAINING else default_model()
    if model_path is not None:
        Path(model_path).write_text(json.dumps(model, indent=2, sort_keys=True), encoding="utf-8")
    pairs = score(left, right, model, min(ambang_tinjau, ambang_padan) - 10, mesin_padan)
    outcome = _outcome(len(rest_sk), pairs, ambang_padan, ambang_tinjau, selisih_minimum)
    outcome = outcome.assign(id_sasaran=rest_sk["id_sasaran"].to_numpy(), sk_pos=outcome.index)
    manual = pd.concat([forced, forced_none.assign(p3ke_index=pd.NA)], ignore_index=True).assign(
        metode_padan=KEPUTUSAN_MANUAL, alasan=KEPUTUSAN_MANUAL
    )
    columns = ["id_sasaran", "metode_padan", "p3ke_index", "probabilitas_padan", "bobot_padan",
               *LEVEL_COLUMNS.values(), "alasan"]  # fmt: skip
    padan = pd.concat([outcome, manual], ignore_index=True).reindex(columns=columns + ["sk_pos"])
    kandidat = _candidates(pairs, padan)
    padan = padan.set_index("id_sasaran").reindex(sk["id_sasaran"]).reset_index()[columns]
    padan = padan.astype({"metode_padan": "string", "p3ke_index": "Int64", "probabilitas_padan": "Float64",
                          "bobot_padan": "Float64", "alasan": "string"})  # fmt: skip
    records = (left, right, rest_sk["id_sasaran"].reset_index(drop=True))
    return LinkageResult(padan, kandidat, shared_niks(sk), stale, model, ambang_padan, ambang_tinjau, records)


def review_table(result: LinkageResult, sk: pd.DataFrame, p3ke: pd.DataFrame) -> pd.DataFrame:
    """The review list for people: candidates with names, desa, masked NIKs (digits 5-14 hidden) and evidence,
    in the order of ``result.kandidat``."""
    cand = result.kandidat.merge(sk[["id_sasaran", "nik", "nama", "kode_desa"]], on="id_sasaran", how="left")
    details = p3ke[["nik", "nama", "kode_desa", "id_keluarga", "id_individu"]].add_prefix("kandidat_")
    cand = cand.merge(details, left_on="p3ke_index", right_index=True, how="left")
    return pd.DataFrame(
        {
            "id_sasaran": cand["id_sasaran"], "nama_sk": cand["nama"], "nik_sk_tersamar": mask_series(cand["nik"]),
            "kode_desa_sk": cand["kode_desa"], "alasan_tinjau": cand["alasan"], "peringkat": cand["peringkat"],
            "kandidat_nama": cand["kandidat_nama"], "kandidat_nik_tersamar": mask_series(cand["kandidat_nik"]),
            "kandidat_kode_desa": cand["kandidat_kode_desa"], "kandidat_id_keluarga": cand["kandidat_id_keluarga"],
            "kandidat_id_individu": cand["kandidat_id_individu"], "bobot_padan": cand["bobot_padan"],
            "probabilitas_padan": cand["probabilitas_padan"], **{c: cand[c] for c in LEVEL_COLUMNS.values()},
            "dipakai_oleh": cand["dipakai_oleh"],
        }
    ).reset_index(drop=True)  # fmt: skip
