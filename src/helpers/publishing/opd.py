"""The OPD channel in figures: whom each agency (OPD) serves among the SK people, how many of them are still in
desil 1, intervened optimally or not, and who needs action, was recommended a programme of that OPD and has not been
served by it yet. For the report's OPD section (the kabupaten: every OPD; a kecamatan: the OPD active there), one
page per OPD (``reports/<date>/opd/OPD_<name>.html``, :func:`write_pages`), the brief's "OPD paling tertinggal"
(:func:`behind`) and the OPD's BNBA workbooks (:mod:`helpers.publishing.forms_opd`).

Everything comes from the processed tables of 02_match: ``status_sasaran``, ``intervensi_sasaran`` (each person's
records up to the report date, filed under any of their NIKs), ``rekomendasi_program``, and the OPD list: the
programme table in force (``program_opd.csv``) and the OPD named in the intervention files (``intervensi``). OPD
names are compared ignoring case and spacing (:func:`opd_key`): "DINAS SOSIAL" and "Dinas  Sosial" are one OPD, named
as the programme table writes it (else as most records do).

Pages carry no names and mask every NIK (UU 27/2022); each value from data is HTML-escaped (jinja2 autoescape).
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from helpers import catalog, outputs  # noqa: E402
from helpers import params as params_mod  # noqa: E402
from helpers import vocabulary as v  # noqa: E402
from helpers.cleaning.nik import mask_series  # noqa: E402
from helpers.cleaning.normalise import map_unique  # noqa: E402
from helpers.config import PACKAGE_DIR  # noqa: E402
from helpers.dates import dmy  # noqa: E402
from helpers.publishing import charts, report_data, sections  # noqa: E402
from helpers.publishing.fmt import angka, tanggal  # noqa: E402
from helpers.reference.wilayah import kabupaten_name, kepala_daerah  # noqa: E402
from helpers.statuses import rekomendasi  # noqa: E402

#: Folder of the OPD pages under ``reports/<date>/`` (listed by :mod:`helpers.publishing.index`).
PAGES_DIR = "opd"
#: Every OPD file (page and workbook) is ``OPD_<name>``: the index shows the part after the first "_".
FILE_PREFIX = "OPD_"
TEMPLATES = PACKAGE_DIR / "templates" / "opd"
PAGE_TEMPLATE = "halaman_opd.html.j2"
#: The figures per OPD (:func:`figures`), in the order of :data:`FIGURE_LABELS`.
FIGURE_LABELS = {
    "opd": "OPD",
    "penerima_sk": "Penerima dalam SK",
    "masih_desil1": "Masih desil 1",
    "optimal": "Optimal",
    "belum_optimal": "Belum optimal",
    "direkomendasikan": "Perlu tindakan, direkomendasikan",
    "belum_dilayani": "Belum dilayani",
}
COUNTS = [k for k in FIGURE_LABELS if k != "opd"]
#: Colours of the chart, as the report's funnel colours them.
_COLOURS = {"optimal": "#2c6a9a", "belum_optimal": "#c0392b", "belum_dilayani": "#8e44ad"}
_BARS = {"optimal": "Masih desil 1, optimal", "belum_optimal": "Masih desil 1, belum optimal",
         "belum_dilayani": "Perlu tindakan, direkomendasikan, belum dilayani"}  # fmt: skip
#: The brief's table of the OPD furthest behind: (column, label); at most :data:`BEHIND_ROWS` OPD.
BEHIND_COLUMNS = {"opd": "OPD", "penerima_perlu_tindakan": "Penerima belum optimal", "belum_dilayani": "Belum dilayani",
                  "menunggu": "Menunggu"}  # fmt: skip
BEHIND_ROWS = 3


def opd_key(name: object) -> object:
    """The comparison key of an OPD name: case, repeated and surrounding spaces ignored (missing stays missing)."""
    if name is None or pd.isna(name):
        return pd.NA
    key = re.sub(r"\s+", " ", str(name)).strip().casefold()
    return key or pd.NA


def file_stem(name: str) -> str:
    """``OPD_Dinas_Koperasi_dan_UMKM`` for "Dinas Koperasi dan UMKM" (letters and digits only)."""
    return FILE_PREFIX + (re.sub(r"[^0-9A-Za-z]+", "_", str(name)).strip("_") or "tanpa_nama")


def agency_list(table: pd.DataFrame, named: pd.Series) -> pd.DataFrame:
    """Every OPD of the programme table in force (``table``: ``opd`` column) or named in the intervention records
    (``named``), once: ``kunci`` (:func:`opd_key`), ``opd`` (the table's spelling, else the most frequent one in the
    records) and ``file`` (:func:`file_stem`, made unique), sorted by name."""
    from_table = pd.DataFrame({"opd": table["opd"].astype("string"), "urut": 0})
    from_records = pd.DataFrame({"opd": pd.Series(named, dtype="string"), "urut": 1})
    spellings = pd.concat([from_table, from_records], ignore_index=True)
    spellings["opd"] = spellings["opd"].str.strip().str.replace(r"\s+", " ", regex=True)
    spellings = spellings.dropna(subset=["opd"])
    spellings = spellings[spellings["opd"] != ""]
    spellings["kunci"] = map_unique(spellings["opd"], opd_key, "string")
    counts = spellings.groupby(["kunci", "opd", "urut"]).size().rename("n").reset_index()
    chosen = counts.sort_values(["kunci", "urut", "n", "opd"], ascending=[True, True, False, True])
    agencies = chosen.drop_duplicates("kunci")[["kunci", "opd"]]
    agencies = agencies.iloc[agencies["opd"].str.casefold().argsort(kind="stable")].reset_index(drop=True)
    stems = agencies["opd"].map(file_stem)
    repeat = stems.groupby(stems).cumcount()
    agencies["file"] = stems.where(repeat == 0, stems + "_" + (repeat + 1).astype(str))
    return agencies.astype("string")


@dataclass
class OpdData:
    """What the OPD figures, pages and workbooks read (one run's processed tables)."""

    status: pd.DataFrame
    records: pd.DataFrame  # intervensi_sasaran + kunci
    rekomendasi: pd.DataFrame  # rekomendasi_program + kunci
    agencies: pd.DataFrame  # agency_list
    programmes: pd.DataFrame  # program_opd.csv + kunci
    report_date: str
    min_strategi: int
    kode_kabupaten: str = ""
    #: :func:`served` and :func:`recommended` per kecamatan code, computed once.
    cache: dict = field(default_factory=dict, repr=False)


def available(processed_dir: str | Path) -> bool:
    """Whether the processed folder holds what the OPD channel reads (a run of 02_match since it exists)."""
    entries = (catalog.STATUS_SASARAN, catalog.INTERVENSI_SASARAN, catalog.REKOMENDASI, catalog.PROGRAM_OPD,
               catalog.INTERVENSI, catalog.PARAMETER_RUN)  # fmt: skip
    return all(e.at(processed_dir).is_file() for e in entries)


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(kunci=map_unique(frame["opd"], opd_key, "string"))


def load(processed_dir: str | Path, kode_kabupaten: str = "") -> OpdData:
    """The OPD channel's data of ``processed_dir`` (each table read once per process while unchanged);
    :class:`~helpers.errors.InputError` naming the step to run when a table is missing."""
    processed = Path(processed_dir)
    for entry in (catalog.INTERVENSI_SASARAN, catalog.REKOMENDASI, catalog.STATUS_SASARAN, catalog.INTERVENSI):
        if not entry.at(processed).is_file():
            catalog.read_parquet(entry, processed)  # raises the catalog's message
    run = catalog.read_json(catalog.PARAMETER_RUN, processed)
    table = pd.read_csv(catalog.PROGRAM_OPD.at(processed), dtype="string") if catalog.PROGRAM_OPD.at(
        processed).is_file() else rekomendasi.programme_table().astype("string")  # fmt: skip
    named = report_data.read_columns(catalog.INTERVENSI.at(processed), ["opd"])["opd"]
    return OpdData(
        status=report_data.read_columns(catalog.STATUS_SASARAN.at(processed)),
        records=_keyed(report_data.read_columns(catalog.INTERVENSI_SASARAN.at(processed))),
        rekomendasi=_keyed(report_data.read_columns(catalog.REKOMENDASI.at(processed))),
        agencies=agency_list(table, named),
        programmes=_keyed(table),
        report_date=run["report_date"],
        min_strategi=int(run["min_strategi"]),
        kode_kabupaten=kode_kabupaten,
    )


# --------------------------------------------------------------------------- figures


def _people(data: OpdData, kode: str = "") -> pd.DataFrame:
    status = data.status
    return status[status["kode_kecamatan"] == kode] if kode else status


def _among(values: pd.Series, wanted: pd.Series) -> pd.Series:
    """``values.isin(wanted)`` through Python sets (fast for Arrow-backed text)."""
    allowed = set(wanted.dropna().astype(str))
    return pd.Series([x in allowed for x in values.astype(object)], index=values.index, dtype=bool)


def served(data: OpdData, kode: str = "") -> pd.DataFrame:
    """One row per OPD (``kunci``) and SK person it served (``id_sasaran``; people of kecamatan ``kode`` only when
    given), with the person's statuses."""
    if ("served", kode) not in data.cache:
        people = _people(data, kode).set_index("id_sasaran")
        pairs = data.records[["kunci", "id_sasaran"]].dropna().drop_duplicates()
        pairs = pairs[_among(pairs["id_sasaran"], people.index.to_series())]
        columns = ["status_desil", "status_intervensi", "status_keberadaan", "perlu_tindakan", "kode_kecamatan"]
        data.cache[("served", kode)] = pairs.join(people[columns], on="id_sasaran").reset_index(drop=True)
    return data.cache[("served", kode)]


def recommended(data: OpdData, kode: str = "") -> pd.DataFrame:
    """One row per OPD (``kunci``) and person needing action recommended one of its programmes, with ``dilayani``
    (the OPD already served the person: it is asked to optimise, not to start)."""
    if ("recommended", kode) not in data.cache:
        data.cache[("recommended", kode)] = _recommended(data, kode)
    return data.cache[("recommended", kode)]


def _recommended(data: OpdData, kode: str) -> pd.DataFrame:
    people = _people(data, kode)
    pairs = data.rekomendasi[["kunci", "id_sasaran"]].dropna().drop_duplicates()
    pairs = pairs[_among(pairs["id_sasaran"], people["id_sasaran"])]
    done = served(data, kode)[["kunci", "id_sasaran"]].assign(dilayani=True)
    pairs = pairs.merge(done, on=["kunci", "id_sasaran"], how="left")
    pairs["dilayani"] = pairs["dilayani"].astype("boolean").fillna(False).astype(bool)
    kecamatan = people.set_index("id_sasaran")["kode_kecamatan"]
    return pairs.assign(kode_kecamatan=pairs["id_sasaran"].map(kecamatan)).reset_index(drop=True)


def _count(frame: pd.DataFrame, by: str, mask: pd.Series | None = None) -> pd.Series:
    part = frame if mask is None else frame[mask.to_numpy(bool)]
    return part.groupby(by)["id_sasaran"].nunique()


def tally(serve: pd.DataFrame, recommend: pd.DataFrame, by: str = "kunci") -> pd.DataFrame:
    """The counts of :data:`COUNTS` (and ``penerima_perlu_tindakan``, ``menunggu``) per value of ``by``."""
    still = serve["status_desil"].eq(v.MASIH_DESIL1)
    counts = {
        "penerima_sk": _count(serve, by),
        "masih_desil1": _count(serve, by, still),
        "optimal": _count(serve, by, still & serve["status_intervensi"].eq(v.OPTIMAL)),
        "belum_optimal": _count(serve, by, still & serve["status_intervensi"].eq(v.BELUM_OPTIMAL)),
        "penerima_perlu_tindakan": _count(serve, by, serve["perlu_tindakan"].astype(bool)),
        "direkomendasikan": _count(recommend, by),
        "belum_dilayani": _count(recommend, by, ~recommend["dilayani"]),
    }
    frame = pd.DataFrame(counts).fillna(0).astype(int)
    # the OPD's share of the work left: its recipients still needing action (not optimal, not dead or moved) and the
    # people recommended to it that it has not served; the two never overlap
    frame["menunggu"] = frame["penerima_perlu_tindakan"] + frame["belum_dilayani"]
    return frame


def figures(data: OpdData, kode: str = "") -> pd.DataFrame:
    """Per OPD of :attr:`OpdData.agencies` (all of them for the kabupaten; for kecamatan ``kode`` only those with a
    recipient or a recommendation there): ``kunci``, ``opd``, ``file`` and the counts of :func:`tally`.

    Recipients are counted once per OPD however many records; ``masih_desil1 = optimal + belum_optimal`` (a
    recipient has a record, so never "belum diintervensi")."""
    counts = tally(served(data, kode), recommended(data, kode))
    frame = data.agencies.join(counts, on="kunci").fillna({c: 0 for c in counts.columns})
    frame = frame.astype({c: int for c in counts.columns})
    if kode:
        frame = frame[(frame["penerima_sk"] > 0) | (frame["direkomendasikan"] > 0)]
    return frame.reset_index(drop=True)


def behind(fig: pd.DataFrame, rows: int = BEHIND_ROWS) -> pd.DataFrame:
    """The OPD furthest behind: most people waiting for them (:func:`tally` ``menunggu``), at most ``rows``, none
    with nothing waiting."""
    waiting = fig[fig["menunggu"] > 0].sort_values(
        ["menunggu", "belum_dilayani", "opd"], ascending=[False, False, True]
    )
    return waiting.head(rows).reset_index(drop=True)


def behind_table(fig: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """The brief's "OPD paling tertinggal": (headers, rows of formatted text)."""
    rows = behind(fig)
    return list(BEHIND_COLUMNS.values()), [[r["opd"], *(angka(r[c]) for c in list(BEHIND_COLUMNS)[1:])]
                                           for _, r in rows.iterrows()]  # fmt: skip


def figures_table(fig: pd.DataFrame) -> pd.DataFrame:
    """:func:`figures` as formatted text with Indonesian labels (no total row: one person may count for several OPD)."""
    shown = fig[list(FIGURE_LABELS)].copy()
    for column in COUNTS:
        shown[column] = shown[column].map(angka)
    return shown.rename(columns=FIGURE_LABELS)


def figures_html(fig: pd.DataFrame) -> str:
    return sections.html_table(figures_table(fig), right=tuple(FIGURE_LABELS[c] for c in COUNTS))


def chart(fig: pd.DataFrame, label: str = "opd", title: str = "") -> plt.Figure | None:
    """Horizontal bars per row of ``fig`` (rows labelled by column ``label``): recipients still in desil 1 split
    optimal / belum optimal, then the people recommended but not yet served. None when everything is zero."""
    shown = fig[(fig["masih_desil1"] + fig["belum_dilayani"]) > 0].copy()
    if shown.empty:
        return None
    shown["_total"] = shown["masih_desil1"] + shown["belum_dilayani"]
    shown = shown.sort_values(["_total", label], ascending=[True, False])
    figure, ax = plt.subplots(figsize=(9, 0.42 * max(len(shown), 3) + 1.3), dpi=110)
    left = pd.Series(0, index=shown.index)
    for column, name in _BARS.items():
        ax.barh(shown[label], shown[column], left=left, color=_COLOURS[column], label=name)
        left = left + shown[column]
    for y, total in enumerate(shown["_total"]):
        ax.text(total, y, f" {angka(total)}", va="center", fontsize=8)
    ax.set_xlim(0, shown["_total"].max() * 1.12 + 1)
    ax.xaxis.set_major_formatter(lambda value, _: angka(value))
    ax.set_xlabel("jiwa")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    if title:
        ax.set_title(title, fontsize=11, loc="left")
    figure.tight_layout()
    return figure


# --------------------------------------------------------------------------- text


def rule_text(min_strategi: int, markdown: bool = True) -> str:
    """How a programme is recommended (:mod:`helpers.statuses.rekomendasi`), in one Indonesian paragraph built from
    its rules: the deprivation table, working age, ``min_strategi``. ``markdown``: for a report cell (emphasis, and
    the table's texts HTML-escaped as nbconvert passes HTML through); else plain text (a template escapes it)."""
    rules = rekomendasi.deprivation_rules()
    escape = html.escape if markdown else str
    conditions = "; ".join(f"{escape(r.indikator.lower())} → {escape(r.strategi)}" for r in rules.itertuples())
    low, high = rekomendasi.WORKING_AGE
    order = ", ".join(v.STRATEGI)
    text = (
        "**Aturan rekomendasi program.** Untuk setiap sasaran yang perlu tindakan (masih desil 1, intervensi belum "
        "optimal atau belum ada, tidak meninggal atau pindah), strategi yang dibutuhkan rumah tangganya ditentukan "
        f"dari kondisi keluarganya di register ({conditions}), *{v.STRATEGI[1]}* bila ada anggota keluarga usia kerja "
        f"({low}–{high} tahun) pada tanggal laporan, dan *{v.STRATEGI[0]}* selalu (perlindungan dasar). Strategi "
        "yang sudah diterima (intervensi sampai tanggal laporan, di bawah NIK mana pun milik sasaran) tidak "
        f"direkomendasikan lagi; bila yang diterima dan yang direkomendasikan belum mencapai {int(min_strategi)} "
        f"strategi (batas optimal), strategi lain ditambahkan menurut urutan {order}. Setiap strategi menjadi satu "
        "program: program contoh kondisi itu bila ada di tabel program, selain itu program pertama strategi itu yang "
        "belum diterima; OPD-nya menurut tabel program → OPD (`src/helpers/data/program_strategi.csv`, dapat diubah "
        "TKPK; program yang hanya ada di file intervensi mendapat OPD yang paling sering mencatatnya). Sasaran yang "
        "sudah menerima semua strategi yang dibutuhkan tetapi dinyatakan belum optimal oleh OPD direkomendasikan "
        "kepada OPD itu untuk mengoptimalkan programnya. Setiap sasaran yang perlu tindakan mendapat paling sedikit "
        "satu program dan OPD."
    )
    return text if markdown else text.replace("**", "").replace("*", "").replace("`", "")


def _names(rows: pd.DataFrame) -> str:
    names = [html.escape(n) for n in rows["opd"]]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " dan " + names[-1]


def section_text(data: OpdData, kode: str = "", nama: str = "") -> str:
    """The report's opening sentences of its OPD section, from the figures (the kabupaten, or kecamatan ``kode``
    named ``nama``)."""
    fig = figures(data, kode)
    serve, recommend = served(data, kode), recommended(data, kode)
    people = serve["id_sasaran"].nunique()
    still = serve.loc[serve["status_desil"].eq(v.MASIH_DESIL1), "id_sasaran"].nunique()
    waiting = recommend.loc[~recommend["dilayani"], "id_sasaran"].nunique()
    needing = int(_people(data, kode)["perlu_tindakan"].sum())
    when = tanggal(data.report_date)
    if kode:
        active = fig[fig["penerima_sk"] > 0]
        if fig.empty:
            return (f"Belum ada OPD yang mencatat intervensi bagi sasaran SK di Kecamatan {html.escape(nama)} sampai "
                    f"{when}, dan tidak ada sasaran di sini yang perlu tindakan.")  # fmt: skip
        text = (f"Sampai {when}, **{angka(len(active))} OPD** tercatat melayani sasaran SK di Kecamatan "
                f"{html.escape(nama)}" + (f" ({_names(active)})" if len(active) else "") + f": {angka(people)} jiwa "
                f"menerima program dari sedikitnya satu OPD, {angka(still)} di antaranya masih di desil 1.")  # fmt: skip
    else:
        active = fig[fig["penerima_sk"] > 0]
        text = (f"{angka(len(fig))} OPD tercatat di tabel program atau di file intervensi; **{angka(len(active))} "
                f"OPD** melayani sasaran SK sampai {when}. {angka(people)} jiwa sasaran SK menerima program dari "
                f"sedikitnya satu OPD, {angka(still)} di antaranya masih di desil 1.")  # fmt: skip
    if needing:
        text += (f" Dari {angka(needing)} jiwa yang perlu tindakan, **{angka(waiting)} jiwa** direkomendasikan program "
                 "dari OPD yang belum melayaninya.")  # fmt: skip
        first = behind(fig, 1)
        if len(first) and first["menunggu"].iloc[0]:
            row = first.iloc[0]
            text += (f" Yang paling banyak menunggu: {html.escape(row['opd'])} ({angka(row['menunggu'])} jiwa: "
                     f"{angka(row['penerima_perlu_tindakan'])} penerimanya yang belum optimal dan perlu tindakan, "
                     f"{angka(row['belum_dilayani'])} rekomendasi yang belum dilayani).")  # fmt: skip
    else:
        text += " Tidak ada sasaran yang perlu tindakan."
    return text


#: The report section's note under its table.
TABLE_NOTE = (
    "Penerima dalam SK: sasaran SK yang menerima sedikitnya satu program OPD itu sampai tanggal laporan (dicatat di "
    "bawah NIK mana pun miliknya), termasuk yang sudah keluar dari desil 1; masih desil 1 = optimal + belum optimal "
    "(status intervensi orang itu dari semua OPD). Perlu tindakan, direkomendasikan: sasaran yang perlu tindakan dan "
    "mendapat rekomendasi program OPD itu; belum dilayani: yang belum menerima program apa pun dari OPD itu. Satu "
    "orang dapat dihitung di beberapa OPD."
)


@dataclass
class Section:
    """The report's OPD section: opening text (Markdown), chart (or None), table (HTML), note and rule."""

    teks: str
    grafik: plt.Figure | None
    tabel: str
    catatan: str
    aturan: str


def report_section(processed_dir: str | Path, kode: str = "", kode_kabupaten: str = "", nama: str = "") -> Section:
    """The OPD section of a report (the kabupaten, or kecamatan ``kode`` named ``nama``: the OPD active there)."""
    if not available(processed_dir):
        text = (f"Data OPD belum ada di {processed_dir} ({catalog.INTERVENSI_SASARAN.path} atau "
                f"{catalog.REKOMENDASI.path}): jalankan ulang pipeline.")  # fmt: skip
        return Section(text, None, "", "", "")
    data = load(processed_dir, kode_kabupaten)
    fig = figures(data, kode)
    where = f"Kecamatan {nama}" if kode else kabupaten_name(kode_kabupaten) if kode_kabupaten else "kabupaten"
    title = f"Sasaran masih desil 1 dan rekomendasi per OPD — {where}"
    table = figures_html(fig) if len(fig) else ""
    note = f'<p class="catatan">{html.escape(TABLE_NOTE)}</p>' if len(fig) else ""
    return Section(section_text(data, kode, nama), chart(fig, title=title), table, note, rule_text(data.min_strategi))


# --------------------------------------------------------------------------- pages


@cache
def environment() -> jinja2.Environment:
    """The OPD page template; every value is escaped (``autoescape``)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)


def programmes_with_dates(records: pd.DataFrame, by: list[str]) -> pd.Series:
    """Per group of ``by`` (e.g. a person, or an OPD and a person): the programmes of ``records`` with the date of
    the last record of each, oldest first, ``"PKH (12/03/2024); BPNT (01/05/2024)"``."""
    last = records.dropna(subset=["program"]).groupby([*by, "program"])["tanggal_intervensi"].max().reset_index()
    if last.empty:
        return pd.Series(dtype=object)
    last = last.sort_values([*by, "tanggal_intervensi", "program"])
    last["teks"] = [f"{p} ({dmy(d)})" for p, d in zip(last["program"], last["tanggal_intervensi"])]
    return last.groupby(by)["teks"].agg("; ".join)


def _recommended_of(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per person: the recommended programmes, and their reasons (``"; "``-joined, each once, in order)."""

    def join(values: pd.Series) -> str:
        return "; ".join(dict.fromkeys(str(x) for x in values if pd.notna(x)))

    grouped = rows.groupby("id_sasaran", sort=False)
    return grouped["program"].agg(join), grouped["alasan"].agg(join)


def _presence(status: pd.DataFrame) -> list[str]:
    """ "Ada (01/11/2024)", "Belum diverifikasi" per person (:func:`helpers.publishing.forms.last_verification`)."""
    from helpers.publishing.forms import last_verification

    return [last_verification(s, d) for s, d in zip(status["status_keberadaan"], status["tanggal_verifikasi"])]


def waiting_people(data: OpdData, kunci: str) -> pd.DataFrame:
    """The people waiting for OPD ``kunci`` (its recipients needing action, and the people needing action
    recommended to it and not served by it), masked: NIK tersamar, kecamatan, desa, statuses, its programmes, the
    recommendation. No names."""
    serve = served(data)
    recommend = recommended(data)
    mine = set(serve.loc[(serve["kunci"] == kunci) & serve["perlu_tindakan"].astype(bool), "id_sasaran"])
    mine |= set(recommend.loc[(recommend["kunci"] == kunci) & ~recommend["dilayani"], "id_sasaran"])
    people = data.status[_among(data.status["id_sasaran"], pd.Series(list(mine), dtype=object))].copy()
    records = data.records[data.records["kunci"] == kunci]
    programmes = programmes_with_dates(records, ["id_sasaran"])
    advice, why = _recommended_of(data.rekomendasi[data.rekomendasi["kunci"] == kunci])
    people = people.sort_values(["nama_kecamatan", "nama_desa", "nik"], kind="stable")
    return pd.DataFrame({
        "NIK (tersamar)": mask_series(people["nik"].astype("string")).to_numpy(),
        "Kecamatan": people["nama_kecamatan"].to_numpy(),
        "Desa/Kelurahan": people["nama_desa"].to_numpy(),
        "Status intervensi": people["status_intervensi"].map(v.INTERVENSI_LABELS).to_numpy(),
        "Keberadaan": _presence(people),
        "Program dari OPD ini": [programmes.get(i, "–") for i in people["id_sasaran"]],
        "Rekomendasi program": [advice.get(i, "–") for i in people["id_sasaran"]],
        "Alasan rekomendasi": [why.get(i, "–") for i in people["id_sasaran"]],
    })  # fmt: skip


def kecamatan_figures(data: OpdData, kunci: str) -> pd.DataFrame:
    """The figures of OPD ``kunci`` per kecamatan where it serves or is recommended (``nama`` column)."""
    serve, recommend = served(data), recommended(data)
    counts = tally(serve[serve["kunci"] == kunci], recommend[recommend["kunci"] == kunci], by="kode_kecamatan")
    names = data.status.drop_duplicates("kode_kecamatan").set_index("kode_kecamatan")["nama_kecamatan"]
    counts = counts.assign(nama=counts.index.map(names)).reset_index(names="kode_kecamatan")
    return counts.sort_values("kode_kecamatan", ignore_index=True)


def programme_figures(data: OpdData, kunci: str) -> pd.DataFrame:
    """Per programme of OPD ``kunci``: SK recipients, still in desil 1, optimal, belum optimal; and people needing
    action recommended it, and of them those the OPD has not served yet (with any of its programmes)."""
    records = data.records[data.records["kunci"] == kunci]
    serve = (
        records[["program", "id_sasaran"]]
        .drop_duplicates()
        .join(
            data.status.set_index("id_sasaran")[["status_desil", "status_intervensi", "perlu_tindakan"]],
            on="id_sasaran",
        )
    )
    advice = data.rekomendasi[(data.rekomendasi["kunci"] == kunci).to_numpy(bool)][["program", "id_sasaran"]]
    advice = advice.drop_duplicates().assign(dilayani=_among(advice["id_sasaran"], records["id_sasaran"]).to_numpy())
    counts = tally(serve, advice, by="program")
    listed = data.programmes.loc[data.programmes["kunci"] == kunci, "program"]
    counts = counts.reindex(list(dict.fromkeys([*listed, *counts.index])), fill_value=0)
    return counts.rename_axis("program").reset_index()


#: The OPD page's cards: (figure, label).
CARDS = (
    ("penerima_sk", "penerima dalam SK"),
    ("masih_desil1", "masih di desil 1"),
    ("optimal", "masih desil 1, intervensi optimal"),
    ("belum_optimal", "masih desil 1, intervensi belum optimal"),
    ("direkomendasikan", "perlu tindakan, direkomendasikan program OPD ini"),
    ("belum_dilayani", "direkomendasikan, belum dilayani OPD ini"),
    ("menunggu", "menunggu tindakan OPD ini"),
)


def _cards(fig: pd.Series) -> list[dict]:
    return [{"nilai": angka(fig[key]), "label": label} for key, label in CARDS]


def _figure_png(figure: plt.Figure | None) -> str:
    return base64.b64encode(charts.png(figure)).decode("ascii") if figure is not None else ""


def _table(frame: pd.DataFrame, right: tuple[str, ...] = ()) -> dict:
    """A table for the template: headers, rows of text, and which columns align right."""
    return {"kolom": list(frame.columns), "kanan": [c in right for c in frame.columns],
            "baris": [["" if pd.isna(x) else str(x) for x in row] for row in frame.itertuples(index=False)]}  # fmt: skip


def page_html(data: OpdData, agency: pd.Series, fig: pd.Series, sources: str = "") -> str:
    """One OPD's page: its figures, per kecamatan (chart and table), per programme, the people waiting for it
    (masked, no names) and the recommendation rule."""
    kunci = agency["kunci"]
    kabupaten = kabupaten_name(data.kode_kabupaten) if data.kode_kabupaten else ""
    per_kecamatan = kecamatan_figures(data, kunci)
    shown = per_kecamatan.rename(columns={"nama": "Kecamatan", **{c: FIGURE_LABELS[c] for c in COUNTS}})
    shown = shown[["Kecamatan", *(FIGURE_LABELS[c] for c in COUNTS)]]
    for column in shown.columns[1:]:
        shown[column] = shown[column].map(angka)
    programmes = programme_figures(data, kunci)
    prog = programmes.rename(columns={"program": "Program", **{c: FIGURE_LABELS[c] for c in COUNTS}})
    prog = prog[["Program", *(FIGURE_LABELS[c] for c in COUNTS)]]
    for column in prog.columns[1:]:
        prog[column] = prog[column].map(angka)
    people = waiting_people(data, kunci)
    right = tuple(FIGURE_LABELS[c] for c in COUNTS)
    kepala = kepala_daerah(data.kode_kabupaten) if data.kode_kabupaten else "Bupati/Wali Kota"
    return (
        environment()
        .get_template(PAGE_TEMPLATE)
        .render(
            instansi=f"Bappeda {kabupaten} · Sekretariat TKPK" if kabupaten else "Bappeda · Sekretariat TKPK",
            judul=f"Sasaran miskin ekstrem untuk {agency['opd']}",
            wilayah=kabupaten,
            tanggal=tanggal(data.report_date),
            sumber=sources,
            pengantar=(
                f"Halaman ini untuk {agency['opd']}: sasaran SK {kepala} yang menerima programnya sampai "
                f"{tanggal(data.report_date)}, berapa yang masih di desil 1 dan apakah intervensinya sudah optimal, "
                "serta sasaran yang perlu tindakan dan direkomendasikan program OPD ini. Daftar lengkap dengan nama "
                "dan NIK (BNBA) ada di formulir OPD yang dikunci kata sandi."
            ),  # fmt: skip
            kartu_kartu=_cards(fig),
            grafik=_figure_png(chart(per_kecamatan, label="nama", title=f"{agency['opd']} per kecamatan")),
            per_kecamatan=_table(shown, right),
            per_program=_table(prog, right),
            menunggu=_table(people),
            jumlah_menunggu=angka(len(people)),
            catatan=TABLE_NOTE,
            aturan=rule_text(data.min_strategi, markdown=False),
            kaki=(
                "Dokumen ini tidak memuat nama; NIK disamarkan sesuai UU 27/2022 tentang Pelindungan Data Pribadi. "
                "Dihasilkan otomatis dari data olahan oleh Sekretariat TKPK (Bappeda)."
            ),  # fmt: skip
        )
    )


def pages_dir(parameters: dict) -> Path:
    """``<reports_dir>/<report_date>/opd``."""
    return params_mod.report_dir(parameters) / PAGES_DIR


def write_pages(parameters: dict) -> list[Path]:
    """One page per OPD in ``reports/<date>/opd/`` (pages of OPD no longer listed are removed); nothing when the
    processed folder lacks the OPD tables."""
    if not available(parameters["processed_dir"]):
        return []
    from helpers.publishing.render import sources

    data = load(parameters["processed_dir"], parameters["kode_kabupaten"])
    fig = figures(data).set_index("kunci")
    folder = pages_dir(parameters)
    folder.mkdir(parents=True, exist_ok=True)
    text = sources(parameters)
    written = [
        outputs.write_text(page_html(data, agency, fig.loc[agency["kunci"]], text), folder / f"{agency['file']}.html")
        for _, agency in data.agencies.iterrows()
    ]
    for old in folder.glob("*.html"):
        if old not in written:
            old.unlink()
    return written
