"""A recommended programme per person needing action, and the OPD that runs it.

For everyone with ``perlu_tindakan`` (still in desil 1, intervention belum optimal or none, not dead or moved):

1. The strategies the household calls for: each deprivation of its family in the register (the editable rules of
   ``data/deprivasi.csv``: floor, walls, roof, water, sanitation, cooking fuel, electricity → a strategy and an
   example programme); *Peningkatan Pendapatan* when a member of the household is of working age
   (:data:`WORKING_AGE`) on the report date; *Pengurangan Beban Pengeluaran* always (basic protection).
2. The strategies the person has not received yet (interventions up to the report date) among those; when the
   received and the missing together are fewer than ``min_strategi``, the other strategies in the order of
   :data:`helpers.vocabulary.STRATEGI` until they are enough.
3. One programme per missing strategy: the deprivation's example programme when the programme table names it, else
   the first programme of that strategy in the table; its OPD from the table (``data/program_strategi.csv``,
   editable, one row per programme).
4. A person who already has every strategy called for but whom an OPD declared *belum optimal*: that OPD, to
   optimise its programme.

So every person needing action gets at least one recommendation, each with an OPD.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from helpers.cleaning import schemas
from helpers.config import DATA_PACKAGE_DIR
from helpers.dates import to_timestamp
from helpers.reference.figures import PROGRAMME_FILE
from helpers.vocabulary import BELUM_OPTIMAL, STRATEGI

DEPRIVATION_FILE = DATA_PACKAGE_DIR / "deprivasi.csv"
PENGELUARAN, PENDAPATAN, KANTONG = STRATEGI
#: Ages counted as working age (BPS: 15–64 years).
WORKING_AGE = (15, 64)
COLUMNS = ["id_sasaran", "kode_kecamatan", "kode_desa", "strategi", "program", "opd", "alasan"]
ALASAN_USIA_KERJA = "anggota keluarga usia kerja (15–64 tahun)"
ALASAN_DASAR = "perlindungan dasar"
ALASAN_MELENGKAPI = "melengkapi jumlah strategi minimum"
ALASAN_OPTIMALKAN = "OPD menyatakan intervensinya belum optimal"


@cache
def deprivation_rules() -> pd.DataFrame:
    """The editable deprivation rules (``data/deprivasi.csv``): column, label, pattern, strategy, example."""
    return pd.read_csv(DEPRIVATION_FILE, dtype=str)


@cache
def programme_table() -> pd.DataFrame:
    """``data/program_strategi.csv``: ``program``, ``strategi``, ``opd`` (the table TKPK edits)."""
    return pd.read_csv(PROGRAMME_FILE, dtype=str)


def programme_opd(intervensi: pd.DataFrame | None = None) -> pd.DataFrame:
    """Programme → strategy → OPD: the table, plus a row for every programme of the intervention records that the
    table lacks (its strategy and its most frequent OPD from the records), marked ``sumber`` = ``data intervensi``."""
    table = programme_table().assign(sumber="tabel program")
    if intervensi is None or intervensi.empty:
        return table
    known = set(table["program"].str.casefold())
    extra = intervensi[~intervensi["program"].astype("string").str.casefold().isin(known)].dropna(subset=["program"])
    if extra.empty:
        return table
    rows = (extra.groupby(["program", "strategi", "opd"], dropna=False).size().rename("n").reset_index()
            .sort_values(["program", "n", "opd"], ascending=[True, False, True]).drop_duplicates("program"))  # fmt: skip
    return pd.concat([table, rows[["program", "strategi", "opd"]].assign(sumber="data intervensi")], ignore_index=True)


def _pick_programme(example: str | None, strategy: str, table: pd.DataFrame, received: set[str]) -> pd.Series:
    """The deprivation's example programme when the table names it, else the first of the strategy not received."""
    by_name = {p.casefold(): row for p, row in zip(table["program"], table.itertuples(index=False))}
    for name in re.split(r"\s*/\s*", example if isinstance(example, str) else ""):
        if name.casefold() in by_name and name.casefold() not in received:
            return pd.Series(by_name[name.casefold()]._asdict())
    candidates = table[(table["strategi"] == strategy) & ~table["program"].str.casefold().isin(received)]
    chosen = candidates if len(candidates) else table[table["strategi"] == strategy]
    return chosen.iloc[0]


def household_needs(keluarga: pd.DataFrame, members: pd.DataFrame, report_date: object) -> pd.DataFrame:
    """Per family (``id_keluarga``): the strategies its situation calls for, in order, with reason and example
    programme: ``id_keluarga``, ``strategi``, ``alasan``, ``program_contoh``."""
    rows = []
    rules = deprivation_rules()
    for rule in rules.itertuples():
        if rule.kolom not in keluarga.columns:
            continue
        bad = keluarga[rule.kolom].astype("string").str.lower().str.contains(rule.pola_buruk, regex=True, na=False)
        found = keluarga.loc[bad.to_numpy(bool), ["id_keluarga"]]
        rows.append(found.assign(strategi=rule.strategi, alasan=rule.indikator, program_contoh=rule.program_contoh))
    date = to_timestamp(report_date)
    born = pd.to_datetime(members["tanggal_lahir"])
    before_birthday = (born.dt.month > date.month) | ((born.dt.month == date.month) & (born.dt.day > date.day))
    age = date.year - born.dt.year - before_birthday.astype(int)
    working = members.loc[age.between(*WORKING_AGE).to_numpy(bool), ["id_keluarga"]].drop_duplicates()
    rows.append(working.assign(strategi=PENDAPATAN, alasan=ALASAN_USIA_KERJA, program_contoh=None))
    families = keluarga[["id_keluarga"]].drop_duplicates()
    rows.append(families.assign(strategi=PENGELUARAN, alasan=ALASAN_DASAR, program_contoh=None))
    needs = pd.concat(rows, ignore_index=True).dropna(subset=["id_keluarga"])
    return needs.drop_duplicates(["id_keluarga", "strategi"], keep="first").reset_index(drop=True)


def recommend(status: pd.DataFrame, received: pd.DataFrame, needs: pd.DataFrame, table: pd.DataFrame,
              min_strategi: int) -> pd.DataFrame:  # fmt: skip
    """The recommendations (:data:`COLUMNS`) for every person of ``status`` with ``perlu_tindakan``.

    ``received``: interventions up to the report date attributed to persons (``id_sasaran``, ``program``,
    ``strategi``, ``opd``, ``status_opd``, ``tanggal_intervensi``); ``needs``: :func:`household_needs`; ``table``:
    :func:`programme_opd`."""
    people = status[status["perlu_tindakan"].to_numpy(bool)]
    received = received[received["id_sasaran"].isin(people["id_sasaran"]).to_numpy(bool)]  # a few thousand of
    needs = needs[needs["id_keluarga"].isin(people["id_keluarga"]).to_numpy(bool)]  # hundreds of thousands
    by_person = {key: group for key, group in received.groupby("id_sasaran")}
    needs_of = {key: group for key, group in needs.groupby("id_keluarga")}
    rows = []
    for person in people.itertuples(index=False):
        got = by_person.get(person.id_sasaran, received.iloc[:0])
        have = set(got["strategi"].dropna())
        programmes = set(got["program"].dropna().str.casefold())
        wanted = needs_of.get(person.id_keluarga) if isinstance(person.id_keluarga, str) else None
        plan = [] if wanted is None else [r for r in wanted.itertuples(index=False) if r.strategi not in have]
        chosen = {r.strategi for r in plan}
        for strategy in STRATEGI:
            if len(have | chosen) >= int(min_strategi):
                break
            if strategy not in have | chosen:
                plan.append(pd.Series({"strategi": strategy, "alasan": ALASAN_MELENGKAPI, "program_contoh": None}))
                chosen.add(strategy)
        where = {"id_sasaran": person.id_sasaran, "kode_kecamatan": person.kode_kecamatan, "kode_desa": person.kode_desa}
        for need in plan:
            programme = _pick_programme(need.program_contoh, need.strategi, table, programmes)
            rows.append({**where, "strategi": need.strategi, "program": programme["program"], "opd": programme["opd"],
                         "alasan": need.alasan})  # fmt: skip
        if not plan:  # every strategy called for is there: the OPD that declared it not optimal optimises it
            declared = got[got["status_opd"] == BELUM_OPTIMAL].sort_values("tanggal_intervensi").tail(1)
            source = declared if len(declared) else got.sort_values("tanggal_intervensi").tail(1)
            for record in source.itertuples(index=False):
                # the record's OPD, else the programme's OPD in the table (an OPD cell left empty in the file)
                opd = record.opd if isinstance(record.opd, str) and record.opd.strip() else None
                opd = opd or _pick_programme(record.program, record.strategi, table, set())["opd"]
                rows.append({**where, "strategi": record.strategi, "program": record.program, "opd": opd,
                             "alasan": ALASAN_OPTIMALKAN})  # fmt: skip
    frame = pd.DataFrame(rows, columns=COLUMNS).astype({c: "string" for c in COLUMNS})
    return schemas.validate("rekomendasi_program", frame)
