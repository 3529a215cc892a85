"""Exploring the latest run in a notebook (``notebooks/05_jelajah``): its tables in one call, a kecamatan or desa
by name, interactive tables and a map of one kecamatan.

    from helpers import jelajah

    run = jelajah.load_run()                        # data/processed, from notebooks/ or from the root
    run.sasaran("mojowarno")                        # SK people of a kecamatan (name or code, any case, small typos)
    jelajah.desa_ranking(run, "Mojowarno")          # which desa has the most people needing action
    jelajah.opd_serving(run, "Mojowarno")           # which OPD serves the people still in desil 1 there
    jelajah.show(table)                             # an interactive table (itables, offline: no CDN)
    jelajah.show_figure(jelajah.kecamatan_map(run, "Mojowarno"))  # one kecamatan by desa, in a few seconds

Only reads what the pipeline wrote (``data/processed/``); nothing here writes or changes a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from helpers import catalog, runs
from helpers.cleaning.inputs import TABLE_NAMES
from helpers.cleaning.nik import mask_series
from helpers.dates import to_timestamp
from helpers.errors import InputError
from helpers.params import DEFAULTS, resolve_path
from helpers.reference import wilayah
from helpers.statuses.classify import HEADLINE_LABELS
from helpers.statuses.register import run_label
from helpers.vocabulary import (
    INTERVENSI_LABELS,
    KEBERADAAN_LABELS,
    KELUAR_DESIL1,
    MASIH_DESIL1,
    METODE_LABELS,
    TIDAK_PADAN,
    TINJAU_MANUAL,
)

#: A misspelt name is taken for the closest official name when it is at least this similar (rapidfuzz ratio of
#: the normalised names, 0–100): "Mojowarna" is taken for Mojowarno (89).
MIN_SIMILARITY = 85
#: Indonesian labels of ``status_desil``, from the labels the notebooks and reports already use (the vocabulary
#: has none of its own for this column).
DESIL_LABELS = {
    KELUAR_DESIL1: HEADLINE_LABELS[KELUAR_DESIL1],
    MASIH_DESIL1: HEADLINE_LABELS[MASIH_DESIL1],
    TINJAU_MANUAL: METODE_LABELS[TINJAU_MANUAL],
    TIDAK_PADAN: METODE_LABELS[TIDAK_PADAN],
}
#: The words of an interactive table (DataTables' ``language`` option), so that no translation file is fetched.
BAHASA_TABEL = {
    "search": "Cari:",
    "lengthMenu": "Tampilkan _MENU_ baris",
    "info": "Baris _START_–_END_ dari _TOTAL_",
    "infoEmpty": "Tidak ada baris",
    "infoFiltered": "(disaring dari _MAX_ baris)",
    "zeroRecords": "Tidak ada baris yang cocok",
    "emptyTable": "Tabel kosong",
    "thousands": ".",
    "decimal": ",",
}


@dataclass(frozen=True)
class Area:
    """A kecamatan, or a desa within its kecamatan (Kemendagri codes and official names)."""

    kode_kecamatan: str
    nama_kecamatan: str
    kode_desa: str | None = None
    nama_desa: str | None = None

    @property
    def label(self) -> str:
        kecamatan = f"Kecamatan {self.nama_kecamatan}"
        return f"Desa/Kelurahan {self.nama_desa}, {kecamatan}" if self.kode_desa else kecamatan


@dataclass
class Run:
    """The tables of the latest run in ``processed_dir`` (see :func:`load_run`)."""

    processed_dir: Path
    kode_kabupaten: str
    status_sasaran: pd.DataFrame
    status_putaran: pd.DataFrame
    summary: dict
    parameter: dict
    intervensi: pd.DataFrame
    keluarga: pd.DataFrame
    #: The run id shared by every processed file, or None when they come from different runs (see ``warning``).
    run_id: str | None = None
    #: Empty, or why the processed files do not form one run (:func:`helpers.runs.check_consistent`).
    warning: str = ""
    _areas: dict = field(default_factory=dict, repr=False)

    @property
    def report_date(self) -> str:
        return str(self.parameter.get("report_date") or self.summary.get("tanggal_laporan") or "")

    @property
    def register(self) -> str:
        """The register's name as the run recorded it ("P3KE 2024", "DTSEN 2025")."""
        return run_label(self.parameter)

    def table(self, name: str) -> pd.DataFrame:
        """Any other processed table by name (``sk``, ``verifikasi``, ``p3ke_individu``…)."""
        entry = catalog.TABLES.get(name)
        path = entry.at(self.processed_dir) if entry else None
        if path is None or not path.is_file():
            present = sorted(t for t, e in catalog.TABLES.items() if e.at(self.processed_dir).is_file())
            raise InputError(f"Tabel olahan {name} tidak ada di {self.processed_dir}. Yang ada: {', '.join(present)}.")
        return pd.read_parquet(path)

    def area(self, kecamatan: str | None = None, desa: str | None = None) -> Area | None:
        """The kecamatan and/or desa named (None for the whole kabupaten); see :func:`find_area`."""
        key = (kecamatan or "", desa or "")
        if key not in self._areas:
            self._areas[key] = find_area(kecamatan, desa, self.kode_kabupaten)
        return self._areas[key]

    def sasaran(self, kecamatan: str | None = None, desa: str | None = None) -> pd.DataFrame:
        """``status_sasaran`` of one kecamatan or desa (every SK person when both are empty)."""
        return in_area(self.status_sasaran, self.area(kecamatan, desa))


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _kabupaten_of(status: pd.DataFrame) -> str:
    """The kabupaten/kota code most SK people carry (``35.17`` from ``35.17.06``); the default without any."""
    codes = status.get("kode_kecamatan", pd.Series(dtype="string")).dropna().astype(str).str[:5]
    return str(codes.mode().iloc[0]) if len(codes) else DEFAULTS["kode_kabupaten"]


def load_run(processed_dir: str | Path | None = None, kode_kabupaten: str | None = None) -> Run:
    """The latest run's tables, read once: ``status_sasaran``, ``status_putaran``, ``summary`` (summary.json),
    ``parameter`` (parameter_run.json), ``intervensi`` and ``keluarga`` (P3KE families).

    ``processed_dir``: the ``processed_dir`` parameter (default ``data/processed``; a relative path is taken from
    the repository root, so the same call works from ``notebooks/`` and from the root). ``kode_kabupaten``: taken
    from the SK people's codes when not given. Files from different runs are loaded with ``warning`` saying so.
    """
    folder = resolve_path(processed_dir or DEFAULTS["processed_dir"])
    status_path = catalog.STATUS_SASARAN.at(folder)
    if not status_path.is_file():
        raise InputError(
            f"{status_path} belum ada: jalankan dulu pipeline (python -m helpers pipeline) atau notebook 01_clean "
            "dan 02_match."
        )
    status = pd.read_parquet(status_path)
    rounds = catalog.STATUS_PUTARAN.at(folder)
    try:
        run_id, warning = runs.check_consistent(folder), ""
    except InputError as exc:
        run_id, warning = None, str(exc)

    def optional(table: str) -> pd.DataFrame:
        path = catalog.TABLES[TABLE_NAMES[table]].at(folder)
        return pd.read_parquet(path) if path.is_file() else pd.DataFrame()

    return Run(
        processed_dir=folder,
        kode_kabupaten=kode_kabupaten or _kabupaten_of(status),
        status_sasaran=status,
        status_putaran=pd.read_parquet(rounds) if rounds.is_file() else pd.DataFrame(),
        summary=_read_json(catalog.SUMMARY.at(folder)),
        parameter=_read_json(catalog.PARAMETER_RUN.at(folder)),
        intervensi=optional("intervensi"),
        keluarga=optional("p3ke_keluarga"),
        run_id=run_id,
        warning=warning,
    )


# ------------------------------------------------------------------------------------------------ areas by name


def _closest(name: str, choices: dict[str, str]) -> tuple[str, float] | None:
    """The key of ``choices`` (code -> official name) whose normalised name is closest to ``name``."""
    keys = {code: wilayah.normalise_name(official) for code, official in choices.items()}
    best = process.extractOne(wilayah.normalise_name(name), keys, scorer=fuzz.ratio)
    return (best[2], best[1]) if best else None


def find_kecamatan(name: str, kode_kabupaten: str = DEFAULTS["kode_kabupaten"]) -> tuple[str, str]:
    """(code, official name) of a kecamatan given by name or code, in any case and spacing ("mojo warno"), with
    the gazetteer's aliases, or with a small typo ("Mojowarna", at least :data:`MIN_SIMILARITY` similar);
    :class:`InputError` naming the closest kecamatan otherwise."""
    table = wilayah.kecamatan_table(kode_kabupaten)
    names = dict(zip(table["kode"], table["nama"]))
    code = wilayah.resolve_kecamatan(pd.Series([str(name)]), kode_kabupaten).iloc[0]
    if pd.isna(code) and str(name).replace(".", "").strip().isdigit():
        raise InputError(f'Kode kecamatan "{name}" tidak ada di {wilayah.kabupaten_name(kode_kabupaten)} '
                         f'(kode kecamatan berbentuk {next(iter(names))}).')  # fmt: skip
    if pd.isna(code):
        best = _closest(str(name), names)
        if best is None or best[1] < MIN_SIMILARITY:
            hint = f" Mungkin maksudnya: {names[best[0]]}." if best else ""
            raise InputError(f'Kecamatan "{name}" tidak dikenal di {wilayah.kabupaten_name(kode_kabupaten)}.{hint}')
        code = best[0]
    return str(code), names[str(code)]


def find_desa(
    name: str, kecamatan: str | None = None, kode_kabupaten: str = DEFAULTS["kode_kabupaten"]
) -> tuple[str, str, str]:
    """(desa code, desa name, kecamatan code) of a desa/kelurahan by name or code, tolerant as
    :func:`find_kecamatan`. Without ``kecamatan`` the whole kabupaten is searched; a name found in several
    kecamatan is an :class:`InputError` listing them."""
    table = wilayah.desa_table(kode_kabupaten)
    if kecamatan:
        table = table[table["kode_kecamatan"] == find_kecamatan(kecamatan, kode_kabupaten)[0]]
    text = str(name).strip()
    if text.replace(".", "").isdigit():
        code = wilayah.normalise_code(text)
        found = table[table["kode"] == code]
    else:
        key = wilayah.normalise_name(text)
        found = table[table["nama"].map(wilayah.normalise_name) == key]
        if found.empty:
            best = _closest(text, dict(zip(table["kode"], table["nama"])))
            if best is not None and best[1] >= MIN_SIMILARITY:
                found = table[table["nama"].map(wilayah.normalise_name) == wilayah.normalise_name(
                    table.loc[table["kode"] == best[0], "nama"].iloc[0])]  # fmt: skip
    if found.empty:
        where = f"Kecamatan {find_kecamatan(kecamatan, kode_kabupaten)[1]}" if kecamatan else wilayah.kabupaten_name(
            kode_kabupaten)  # fmt: skip
        guess = _closest(text, dict(zip(table["kode"], table["nama"])))
        hint = f" Mungkin maksudnya: {table.loc[table['kode'] == guess[0], 'nama'].iloc[0]}." if guess else ""
        raise InputError(f'Desa/kelurahan "{name}" tidak dikenal di {where}.{hint}')
    if len(found) > 1:
        names = dict(zip(wilayah.kecamatan_table(kode_kabupaten)["kode"], wilayah.kecamatan_table(kode_kabupaten)["nama"]))
        places = ", ".join(sorted(names.get(k, k) for k in found["kode_kecamatan"]))
        raise InputError(
            f'Desa/kelurahan "{name}" ada di beberapa kecamatan ({places}): sebutkan juga kecamatannya, '
            f'mis. kecamatan="{places.split(", ")[0]}".'
        )
    row = found.iloc[0]
    return str(row["kode"]), str(row["nama"]), str(row["kode_kecamatan"])


def find_area(
    kecamatan: str | None = None, desa: str | None = None, kode_kabupaten: str = DEFAULTS["kode_kabupaten"]
) -> Area | None:
    """The :class:`Area` named by ``kecamatan`` and/or ``desa`` (None when both are empty: the whole kabupaten)."""
    if desa:
        kode_desa, nama_desa, kode_kec = find_desa(desa, kecamatan, kode_kabupaten)
        return Area(kode_kec, wilayah.kecamatan_name(kode_kec, kode_kabupaten), kode_desa, nama_desa)
    if kecamatan:
        return Area(*find_kecamatan(kecamatan, kode_kabupaten))
    return None


def in_area(frame: pd.DataFrame, area: Area | None) -> pd.DataFrame:
    """Rows of ``frame`` (with ``kode_kecamatan`` / ``kode_desa`` columns) inside ``area`` (all for None)."""
    if area is None:
        return frame
    column, code = ("kode_desa", area.kode_desa) if area.kode_desa else ("kode_kecamatan", area.kode_kecamatan)
    return frame[frame[column].astype("string").eq(code).fillna(False).to_numpy(bool)]


# ------------------------------------------------------------------------------------------------ questions


def kecamatan_ranking(run: Run, by: str = "perlu_tindakan", raw_dir: str | Path | None = None) -> pd.DataFrame:
    """Every kecamatan of the kabupaten with its counts and rates (the map metrics; per 1,000 residents where
    population figures exist, ``raw_dir``: the user's ``penduduk_kecamatan.csv``), largest ``by`` first."""
    from helpers.publishing import maps

    raw = resolve_path(raw_dir) if raw_dir else None
    metrics = maps.map_metrics(run.status_sasaran, "kecamatan", kode_kabupaten=run.kode_kabupaten, raw_dir=raw)
    ordered = metrics.sort_values([by, "nama"], ascending=[False, True], kind="stable")
    return _rounded(maps.metrics_table(ordered).reset_index(drop=True))


def _rounded(table: pd.DataFrame) -> pd.DataFrame:
    """Rates to one decimal (the tables show them so; the counts stay whole numbers)."""
    rates = table.select_dtypes("float").columns
    return table.assign(**{c: table[c].round(1) for c in rates})


def desa_ranking(run: Run, kecamatan: str, by: str = "perlu_tindakan") -> pd.DataFrame:
    """Every desa of a kecamatan with its counts (the map metrics: SK people, left / still in desil 1, optimal,
    not optimal, not intervened, needing action…), largest ``by`` first; Indonesian headers."""
    from helpers.publishing import maps

    code, _ = find_kecamatan(kecamatan, run.kode_kabupaten)
    metrics = maps.map_metrics(run.status_sasaran, "desa", code, run.kode_kabupaten)
    ordered = metrics.sort_values([by, "nama"], ascending=[False, True], kind="stable")
    return _rounded(maps.metrics_table(ordered).reset_index(drop=True))


def opd_serving(run: Run, kecamatan: str | None = None, desa: str | None = None) -> pd.DataFrame:
    """Which OPD serve the SK people still in desil 1 of an area: per OPD the people it reached
    (``Jiwa``) and the programmes, counting interventions up to the report date, as the statuses do. Most people
    first. ``attrs["masih_desil1"]``: people still in desil 1 there; ``attrs["tanpa_intervensi"]``: those of them
    no OPD reached."""
    people = run.sasaran(kecamatan, desa)
    people = people[people["status_desil"].eq(MASIH_DESIL1).fillna(False).to_numpy(bool)]
    records = run.intervensi
    if len(records) and run.report_date:
        records = records[(records["tanggal_intervensi"] <= to_timestamp(run.report_date)).fillna(False).to_numpy(bool)]
    niks = set(people["nik"].dropna())
    records = records[records["nik"].isin(niks).fillna(False).to_numpy(bool)] if len(records) else records
    columns = ["OPD", "Jiwa", "Program", "Catatan intervensi"]
    if records.empty:
        table = pd.DataFrame(columns=columns)
    else:
        grouped = records.groupby("opd", dropna=False)
        table = pd.DataFrame(
            {
                "OPD": [str(k) if not pd.isna(k) else "(tanpa nama OPD)" for k in grouped.groups],
                "Jiwa": grouped["nik"].nunique().to_numpy(),
                "Program": grouped["program"].agg(lambda p: "; ".join(sorted(p.dropna().unique()))).to_numpy(),
                "Catatan intervensi": grouped.size().to_numpy(),
            }
        ).sort_values(["Jiwa", "OPD"], ascending=[False, True], kind="stable", ignore_index=True)
    table.attrs["masih_desil1"] = len(people)
    table.attrs["tanpa_intervensi"] = int((~people["nik"].isin(set(records["nik"]) if len(records) else set())).sum())
    return table


def people_table(frame: pd.DataFrame, mask_nik: bool = True) -> pd.DataFrame:
    """SK people (rows of ``status_sasaran``) for reading: Indonesian headers and labels, NIK masked unless
    ``mask_nik=False`` (UU 27/2022: full NIKs only where the work needs them)."""
    nik = mask_series(frame["nik"]) if mask_nik else frame["nik"]
    return pd.DataFrame(
        {
            "NIK": nik.to_numpy(),
            "Nama": frame["nama"].to_numpy(),
            "Desa/Kelurahan": frame["nama_desa"].to_numpy(),
            "Status desil": frame["status_desil"].map(DESIL_LABELS).to_numpy(),
            "Intervensi": frame["status_intervensi"].map(INTERVENSI_LABELS).to_numpy(),
            "Program diterima": frame["program_diterima"].fillna("–").to_numpy(),
            "Keberadaan": frame["status_keberadaan"].map(KEBERADAAN_LABELS).to_numpy(),
            "Perlu tindakan": frame["perlu_tindakan"].map({True: "Ya", False: "Tidak"}).to_numpy(),
        }
    )


# ------------------------------------------------------------------------------------------------ display


#: Numbers in an interactive table written the Indonesian way (1.234,5) by the browser; sorting stays numeric.
_ANGKA_JS = (
    "function (data, type) { return type === 'display' && typeof data === 'number' ? "
    "data.toLocaleString('id-ID', {maximumFractionDigits: 1}) : data; }"
)


def init_tables() -> None:
    """Interactive tables in this notebook, offline: the DataTables library is embedded in the output (no CDN)."""
    import itables

    itables.init_notebook_mode(all_interactive=False, connected=False)


def table_html(frame: pd.DataFrame, caption: str | None = None, **options) -> str:
    """The HTML of :func:`show` (offline: the library comes from :func:`init_tables`)."""
    import itables

    options.setdefault("language", BAHASA_TABEL)
    options.setdefault("showIndex", False)
    options.setdefault("columnDefs", [{"targets": "_all", "render": itables.JavascriptFunction(_ANGKA_JS)}])
    return itables.to_html_datatable(frame, caption=caption, connected=False, **options)


def show(frame: pd.DataFrame, caption: str | None = None, **options) -> None:
    """``frame`` as an interactive table (sort, search, pages) in Indonesian: wording and numbers (1.234,5);
    ``options`` go to itables (e.g. ``pageLength=25``). Call :func:`init_tables` once first."""
    from IPython.display import HTML, display

    display(HTML(table_html(frame, caption, **options)))


def show_figure(figure) -> None:
    """Display a matplotlib figure (e.g. :func:`kecamatan_map`) as a PNG and close it."""
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    display(Image(data=buffer.getvalue()))


@cache
def _boundaries(boundary_path: str, raw_dir: str, kode_kabupaten: str):
    from helpers.publishing import boundaries

    return boundaries.load_boundary_set(boundary_path, raw_dir, kode_kabupaten)


def kecamatan_map(
    run: Run,
    kecamatan: str,
    metric: str = "masih_desil1",
    boundary_path: str | Path = DEFAULTS["boundary_path"],
    raw_dir: str | Path = DEFAULTS["raw_dir"],
):
    """One kecamatan by desa (the report's desa map of ``metric``: ``masih_desil1``, ``persen_keluar``,
    ``belum_optimal``, ``persen_terverifikasi``), a matplotlib Figure. Boundaries as notebook 03 finds them
    (``boundary_path``, else ``<raw_dir>/batas_wilayah/``, else the shipped ones), read once per session.
    Without desa boundaries, :class:`InputError`."""
    from helpers.publishing import maps

    if metric not in maps.DESA_MAPS:
        raise InputError(f'Peta desa "{metric}" tidak ada. Pilihan: {", ".join(maps.DESA_MAPS)}.')
    code, name = find_kecamatan(kecamatan, run.kode_kabupaten)
    batas = _boundaries(str(resolve_path(boundary_path)) if boundary_path else "", str(resolve_path(raw_dir)),
                        run.kode_kabupaten)  # fmt: skip
    if batas.desa is None or not batas.desa["kode"].str.startswith(code + ".").any():
        raise InputError(
            f"Batas desa Kecamatan {name} tidak tersedia: letakkan file batas desa di data/raw/batas_wilayah/ "
            "(lihat data/raw/README.md), atau lihat peta kecamatan dari notebook 03."
        )
    metrics = maps.map_metrics(run.status_sasaran, "desa", code, run.kode_kabupaten)
    return maps.render_desa_map(metric, metrics, batas.desa, batas.kecamatan, code, run.report_date or None,
                                run.kode_kabupaten, run.register)  # fmt: skip
