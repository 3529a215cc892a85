"""The whole pipeline at a small scale: demo data → notebooks → summary → 22 offline HTML reports, then the
field-verification round trip (forms written, filled the way a camat would, returned, pipeline rerun).

Checks the figures against the demo's ground truth (read here only, never by the pipeline), that no report
carries a full NIK or a request to another host, and opens two reports in headless Chromium.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers import params, pipeline
from helpers.config import ROOT
from helpers.publishing import forms
from helpers.reading import contract, readers

pytestmark = pytest.mark.slow

REPORT_DATE = "2024-11-06"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HEADLINE = ("sasaran_sk", "keluar_desil1", "masih_desil1", "intervensi_optimal", "intervensi_belum_optimal",
            "belum_optimal_masih_ada", "belum_optimal_meninggal")  # fmt: skip


def _parameters(base: Path, raw: Path, name: str, **extra) -> dict:
    overrides = {
        "raw_dir": str(raw),
        "processed_dir": str(base / name / "processed"),
        "reports_dir": str(base / name / "reports"),
        "report_date": REPORT_DATE,
        **extra,
    }
    return params.resolve(overrides=overrides)


@pytest.fixture(scope="module")
def run(demo_small, tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e")
    parameters = _parameters(base, demo_small["raw"], "utama")
    out_dir = pipeline.run(parameters)
    return {"base": base, "raw": demo_small["raw"], "truth": demo_small["truth"], "out": out_dir, "params": parameters}


def _summary(parameters: dict) -> dict:
    return json.loads((Path(parameters["processed_dir"]) / "summary.json").read_text())


def test_summary_matches_truth(run):
    summary = json.loads((run["out"] / "summary.json").read_text())
    expected = run["truth"]["expected"][REPORT_DATE]
    for key in HEADLINE:
        assert summary[key] == expected[key], key
    assert [summary[k] for k in HEADLINE] == [7408, 5567, 1841, 1752, 89, 78, 11]
    assert sum(summary["padan"].values()) == summary["sasaran_sk"]


def test_executed_notebooks_are_kept(run):
    names = {p.name for p in (run["out"] / "notebook").glob("*.ipynb")}
    assert {"01_clean.ipynb", "02_match.ipynb", "03_map.ipynb"} <= names


def _reports(run) -> list[Path]:
    return [run["out"] / "laporan_kabupaten.html"] + sorted((run["out"] / "kecamatan").glob("*.html"))


def test_22_reports_exist(run):
    reports = _reports(run)
    assert len(reports) == 22
    assert all(p.stat().st_size > 50_000 for p in reports)
    assert not list(run["out"].rglob(".*.tmp"))


def test_reports_draw_the_shipped_real_boundaries(run):
    """No boundary parameter, nothing beside the clone: the maps use the boundaries in helpers/data/geo/."""
    assert run["params"]["boundary_path"] == ""
    for path in _reports(run):
        assert "skematis" not in path.read_text(encoding="utf-8").lower(), path.name
    assert len(list((run["out"] / "peta" / "desa").glob("*.png"))) > 0


def test_reports_leak_no_nik_and_load_nothing_from_other_hosts(run):
    sk_names = set(pd.read_parquet(Path(run["params"]["processed_dir"]) / "sk.parquet")["nama"].dropna())
    for path in _reports(run):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<!\d)\d{16}(?!\d)", text), f"16-digit number in {path.name}"
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), f"external resource in {path.name}"
        assert '<html lang="id"' in text
    kabupaten = (run["out"] / "laporan_kabupaten.html").read_text(encoding="utf-8")
    leaked = [n for n in sk_names if f">{n}<" in kabupaten]
    assert not leaked, f"names in the kabupaten report: {leaked[:3]}"


def test_kabupaten_report_shows_the_funnel_in_indonesian_format(run):
    text = (run["out"] / "laporan_kabupaten.html").read_text(encoding="utf-8")
    for figure in ("7.408", "5.567", "1.841", "1.752"):
        assert figure in text
    assert "6 November 2024" in text and "8,60 persen" in text


def test_reports_in_headless_chromium(run):
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium tidak terpasang: jalankan make system-deps")
    ARTIFACTS.mkdir(exist_ok=True)
    pages = [run["out"] / "laporan_kabupaten.html", sorted((run["out"] / "kecamatan").glob("*.html"))[0]]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )  # fmt: skip
        try:
            for path in pages:
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                errors, requests = [], []
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # noqa: B023 (page is per iteration)
                page.on("pageerror", lambda e: errors.append(str(e)))  # noqa: B023 (page is per iteration)
                page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)  # noqa: B023 (page is per iteration)
                page.goto(path.as_uri(), wait_until="load")
                broken = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length")
                images = page.evaluate("document.images.length")
                page.screenshot(path=str(ARTIFACTS / f"{path.stem}.png"), full_page=False)
                assert not errors, errors
                assert not requests, requests
                assert images >= 3 and broken == 0
                page.close()
        finally:
            browser.close()


# --------------------------------------------------------------------------- field-verification round trip


def _fill(path: Path, answers: dict[str, tuple[str, dt.date]]) -> int:
    """Fill a returned form the way a camat would in Excel: only the input cells, layout kept."""
    book = openpyxl.load_workbook(path)
    sheet = book[forms.SHEET_FORM]
    header_row = forms.HEADER_ROW + 1  # xlsxwriter counts rows from 0, openpyxl from 1
    header = {sheet.cell(header_row, c).value: c for c in range(1, sheet.max_column + 1)}
    filled = 0
    for row in range(header_row + 1, sheet.max_row + 1):
        nik = sheet.cell(row, header["NIK"]).value
        if nik in answers:
            status, date = answers[nik]
            sheet.cell(row, header["Status Keberadaan"]).value = status
            sheet.cell(row, header["Tanggal Verifikasi"]).value = dt.datetime.combine(date, dt.time())
            sheet.cell(row, header["Petugas"]).value = "Petugas Uji"
            filled += 1
    book.save(path)
    return filled


def test_forms_round_trip_moves_the_figures_exactly(run, tmp_path):
    status = pd.read_parquet(Path(run["params"]["processed_dir"]) / "status_sasaran.parquet")
    written = forms.write_forms(status, tmp_path / "formulir", REPORT_DATE, progress=False)
    assert len(written) == 21
    still = status[status["status_desil"] == "masih_desil1"].sort_values("id_sasaran")
    alive_not_optimal = still[(still["status_intervensi"] == "belum_optimal") & (still["status_keberadaan"] == "ada")]
    optimal = still[still["status_intervensi"] == "optimal"]
    day = dt.date(2024, 11, 5)  # after the demo's last round before the report date
    answers = {
        alive_not_optimal["nik"].iloc[0]: ("Meninggal", day),
        alive_not_optimal["nik"].iloc[1]: ("Pindah", day),
        optimal["nik"].iloc[0]: ("Tidak Ditemukan", day),
    }
    raw = tmp_path / "raw"
    shutil.copytree(run["raw"], raw, ignore=shutil.ignore_patterns("demo_truth.json"))
    filled = 0
    for path in written:
        copy = raw / "verifikasi" / path.name
        shutil.copyfile(path, copy)
        filled += _fill(copy, answers)
    assert filled == 3
    returned = readers.read_input(raw, contract.VERIFIKASI)
    from_forms = returned[returned["sumber_file"].str.startswith("verifikasi/35.17.")]
    assert len(from_forms) == len(still) and from_forms["nik"].str.fullmatch(r"\d{16}").all()
    assert from_forms["status_keberadaan"].notna().sum() == 3

    parameters = _parameters(tmp_path, raw, "ulang")
    pipeline.run(parameters, with_reports=False)
    before, after = _summary(run["params"]), _summary(parameters)
    assert after["belum_optimal_masih_ada"] == before["belum_optimal_masih_ada"] - 2
    assert after["belum_optimal_meninggal"] == before["belum_optimal_meninggal"] + 1
    for key in ("sasaran_sk", "keluar_desil1", "masih_desil1", "intervensi_optimal", "intervensi_belum_optimal"):
        assert after[key] == before[key], key
    new = pd.read_parquet(Path(parameters["processed_dir"]) / "status_sasaran.parquet").set_index("nik")
    for nik, (label, _) in answers.items():
        assert new.loc[nik, "status_keberadaan"] == label.lower().replace(" ", "_")
    assert int(new["perlu_tindakan"].sum()) == int(status["perlu_tindakan"].sum()) - 2
    assert after["per_putaran"][-1]["tanggal"] == day.isoformat()
    assert len(after["per_putaran"]) == len(before["per_putaran"]) + 1
    assert after["baris_masuk"]["verifikasi"] == before["baris_masuk"]["verifikasi"] + len(still)


def test_in_process_reports_equal_the_papermill_route(run, tmp_path):
    """The 22 reports run notebooks/04_report without a kernel per area; a kernel run gives the same bytes."""
    from helpers.notebooks import run_notebook
    from helpers.publishing import render

    for kode in ("", "35.17.06"):
        notebook_params = {k: run["params"][k] for k in render.REPORT_PARAMETERS} | {"kecamatan": kode}
        executed = run_notebook(render.REPORT_NOTEBOOK, notebook_params, tmp_path / f"{kode or 'kab'}.ipynb")
        via_kernel = render.export_html(executed, render._metadata(run["params"], kode))
        assert via_kernel == render.report_path(run["params"], kode).read_text(encoding="utf-8"), kode or "kabupaten"
