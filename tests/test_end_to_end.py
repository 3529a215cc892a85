"""The whole pipeline at a small scale: demo data → notebooks → summary → 22 offline HTML reports.

Checks the figures against the demo's ground truth (read here only, never by the pipeline), that no report
carries a full NIK or a request to another host, and opens two reports in headless Chromium.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import demo, params, pipeline
from helpers.config import ROOT, SHARED_GEO_DIR

pytestmark = pytest.mark.slow

SCALE = 0.02
REPORT_DATE = "2024-11-06"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e")
    raw = base / "raw"
    demo.main(["--seed", "7", "--scale", str(SCALE), "--out", str(raw)])
    truth = json.loads((raw / "demo_truth.json").read_text())
    parameters = params.resolve(
        overrides={
            "raw_dir": str(raw),
            "processed_dir": str(base / "processed"),
            "reports_dir": str(base / "reports"),
            "report_date": REPORT_DATE,
            "boundary_path": str(SHARED_GEO_DIR / "jombang_desa.geojson"),
        }
    )
    out_dir = pipeline.run(parameters)
    return {"base": base, "truth": truth, "out": out_dir, "params": parameters}


def test_summary_matches_truth(run):
    summary = json.loads((run["out"] / "summary.json").read_text())
    expected = run["truth"]["expected"][REPORT_DATE]
    for key in ("sasaran_sk", "keluar_desil1", "masih_desil1", "intervensi_optimal", "intervensi_belum_optimal",
                "belum_optimal_masih_ada", "belum_optimal_meninggal"):
        assert summary[key] == expected[key], key
    assert (summary["sasaran_sk"], summary["keluar_desil1"], summary["masih_desil1"]) == (7408, 5567, 1841)
    assert (summary["intervensi_optimal"], summary["intervensi_belum_optimal"]) == (1752, 89)
    assert (summary["belum_optimal_masih_ada"], summary["belum_optimal_meninggal"]) == (78, 11)
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


def test_reports_leak_no_nik_and_load_nothing_from_other_hosts(run):
    for path in _reports(run):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<!\d)\d{16}(?!\d)", text), f"16-digit number in {path.name}"
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), f"external resource in {path.name}"
        assert '<html lang="id"' in text


def test_kabupaten_report_shows_the_funnel_in_indonesian_format(run):
    text = (run["out"] / "laporan_kabupaten.html").read_text(encoding="utf-8")
    for figure in ("7.408", "5.567", "1.841", "1.752"):
        assert figure in text
    assert "6 November 2024" in text


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
        )
        try:
            for path in pages:
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                errors, requests = [], []
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
                page.goto(path.as_uri(), wait_until="load")
                broken = page.evaluate(
                    "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length"
                )
                images = page.evaluate("document.images.length")
                page.screenshot(path=str(ARTIFACTS / f"{path.stem}.png"), full_page=False)
                assert not errors, errors
                assert not requests, requests
                assert images >= 3 and broken == 0
                page.close()
        finally:
            browser.close()
