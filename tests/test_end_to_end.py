"""The whole pipeline at a small scale: demo data → notebooks → summary → 22 offline HTML reports, then the
field-verification round trip (forms written, filled the way a camat would, returned, pipeline rerun).

Checks the figures against the demo's ground truth (read here only, never by the pipeline), that no report
carries a full NIK or a request to another host, and opens two reports in headless Chromium.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers import keys, params, pipeline, protect
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


def test_interventions_filed_under_the_sk_nik_count(run):
    """ACCEPTANCE (issue 17): records an OPD filed under the SK's mistyped NIK (copied from the SK list) count for the
    matched person: each such person's status_intervensi is the truth's, and nobody whose records carry only the SK
    NIK is left "belum diintervensi"."""
    copied = run["truth"]["intervensi_nik_sk"]
    processed = Path(run["params"]["processed_dir"])
    number = pd.read_parquet(processed / "sk.parquet", columns=["id_sasaran", "no"]).set_index("id_sasaran")["no"]
    status = pd.read_parquet(processed / "status_sasaran.parquet", columns=["id_sasaran", "status_intervensi"])
    got = dict(zip(status["id_sasaran"].map(number).astype(str), status["status_intervensi"]))
    assert copied["hanya_nik_sk"] and {no: got[no] for no in copied["status_intervensi"]} == copied["status_intervensi"]
    assert all(got[str(no)] != "belum_intervensi" for no in copied["hanya_nik_sk"])


def test_rounds_are_the_field_sweeps(run):
    """The demo's camat report on different days of each sweep: the rounds are the three sweeps (ISO weeks)."""
    summary = json.loads((run["out"] / "summary.json").read_text())
    assert [r["nama_putaran"] for r in summary["per_putaran"]] == ["Minggu 40", "Minggu 42", "Minggu 44"]
    assert [(r["nama_putaran"], r["tanggal"]) for r in summary["per_putaran"]] == [
        (r["nama_putaran"], r["tanggal"]) for r in run["truth"]["putaran"]]  # fmt: skip
    assert summary["putaran_berikutnya"] == 4
    text = (run["out"] / "laporan_kabupaten.html").read_text(encoding="utf-8")
    assert "Minggu 42 (14–20 Okt 2024)" in text


def test_executed_notebooks_are_kept(run):
    names = {p.name for p in (run["out"] / "notebook").glob("*.ipynb")}
    assert {"01_clean.ipynb", "02_match.ipynb", "03_map.ipynb"} <= names
    for name in ("01_clean.ipynb", "02_match.ipynb", "03_map.ipynb"):  # executed in the runner's process, one by one
        cells = [c for c in json.loads((run["out"] / "notebook" / name).read_text())["cells"] if c["cell_type"] == "code"]
        assert [c["execution_count"] for c in cells] == list(range(1, len(cells) + 1)), name  # each from 1, as a kernel


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


def _fill(path: Path, answers: dict[str, tuple[str, dt.date]], password: str) -> int:
    """Fill a returned form the way a camat would in Excel: opened with its password, only the input cells,
    layout kept, saved with the same password (as Excel does)."""
    book = openpyxl.load_workbook(io.BytesIO(protect.open_workbook_bytes(path, [password])))
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
    plain = io.BytesIO()
    book.save(plain)
    protect.write_encrypted(plain.getvalue(), path, password)
    return filled


def test_forms_round_trip_moves_the_figures_exactly(run, tmp_path):
    status = pd.read_parquet(Path(run["params"]["processed_dir"]) / "status_sasaran.parquet")
    putaran = forms.next_form_round(run["params"]["processed_dir"])
    kunci = run["params"]["kunci_dir"]  # the forms leave encrypted and come back encrypted
    written = forms.write_forms(status, tmp_path / "formulir", REPORT_DATE, progress=False, putaran=putaran,
                                kunci_dir=kunci)  # fmt: skip
    passwords = keys.read_passwords(kunci, REPORT_DATE)
    assert len(written) == 21 and all(protect.is_encrypted(p) for p in written)
    still = status[status["status_desil"] == "masih_desil1"].sort_values("id_sasaran")
    alive_not_optimal = still[(still["status_intervensi"] == "belum_optimal") & (still["status_keberadaan"] == "ada")]
    optimal = still[(still["status_intervensi"] == "optimal") & ~still["status_keberadaan"].isin(["meninggal", "pindah"])]
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
        filled += _fill(copy, answers, passwords[path.name])
    assert filled == 3
    returned = readers.read_input(raw, contract.VERIFIKASI, kunci_dir=kunci)
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
    assert after["per_putaran"][-1]["nama_putaran"] == f"Putaran {putaran}"  # the form's number, not the week
    assert len(after["per_putaran"]) == len(before["per_putaran"]) + 1
    assert after["putaran_berikutnya"] == putaran + 1
    assert after["baris_masuk"]["verifikasi"] == before["baris_masuk"]["verifikasi"] + len(still)


def test_in_process_reports_equal_a_jupyter_kernel_s(run, tmp_path):
    """The 22 reports run notebooks/04_report through papermill in the rendering process (helpers.execution);
    papermill on a Jupyter kernel gives the same bytes."""
    import papermill as pm

    from helpers.config import NOTEBOOKS_DIR
    from helpers.publishing import render

    for kode in ("", "35.17.06"):
        notebook_params = {k: run["params"][k] for k in render.REPORT_PARAMETERS} | {"kecamatan": kode}
        executed = pm.execute_notebook(str(NOTEBOOKS_DIR / render.REPORT_NOTEBOOK), str(tmp_path / f"{kode or 'kab'}.ipynb"),
                                       parameters=notebook_params, kernel_name="python3", progress_bar=False,
                                       cwd=str(NOTEBOOKS_DIR))  # fmt: skip
        via_kernel = render.export_html(executed, render._metadata(run["params"], kode))
        assert via_kernel == render.report_path(run["params"], kode).read_text(encoding="utf-8"), kode or "kabupaten"


# --------------------------------------------------------------------------- one step at a time

#: A threshold that changes the matching of the small demo (more pairs to review than with the default).
AMBANG_PADAN = "12"


@pytest.fixture(scope="module")
def run_ambang(demo_small, tmp_path_factory):
    """A full run with ambang_padan 12."""
    base = tmp_path_factory.mktemp("e2e_ambang")
    parameters = _parameters(base, demo_small["raw"], "penuh", ambang_padan=AMBANG_PADAN)
    return {"out": pipeline.run(parameters), "params": parameters}


def _outputs(out_dir: Path) -> dict[str, bytes]:
    """summary.json, the maps and the 22 reports of a run's report folder, by relative path."""
    files = [out_dir / "summary.json", *out_dir.glob("*.html"), *out_dir.glob("kecamatan/*.html"), *out_dir.rglob("peta/**/*.png")]
    return {str(p.relative_to(out_dir)): p.read_bytes() for p in sorted(files)}


def test_one_step_at_a_time_after_a_full_run_equals_a_full_run(run, run_ambang, tmp_path):
    """ACCEPTANCE (issues 20 and 21): after a full run with the defaults, `--langkah 02_match -p ambang_padan 12`,
    then 03_map and 04_report one at a time, give the summary.json, maps and reports of a full run with
    ambang_padan 12, byte for byte; the steps refuse to run on outputs of the other threshold on the way."""
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    shutil.copytree(run["params"]["processed_dir"], processed)  # the module's other tests keep the original
    shutil.copytree(run["params"]["reports_dir"], reports)
    args = ["-p", "raw_dir", str(run["raw"]), "-p", "processed_dir", str(processed), "-p", "reports_dir", str(reports),
            "-p", "report_date", REPORT_DATE]  # fmt: skip
    ambang = ["-p", "ambang_padan", AMBANG_PADAN]
    assert pipeline.main(["--langkah", "04_report", *args, *ambang]) == 2  # matched with the default threshold
    assert pipeline.main(["--langkah", "02_match", *args, *ambang]) == 0
    assert pipeline.main(["--langkah", "04_report", *args]) == 2  # the maps show the old matching
    assert pipeline.main(["--langkah", "03_map.ipynb", *args]) == 0
    assert pipeline.main(["--langkah", "04_report", *args]) == 0
    one_by_one, full = _outputs(reports / REPORT_DATE), _outputs(run_ambang["out"])
    assert len(full) > 60 and one_by_one.keys() == full.keys()
    assert [name for name in full if one_by_one[name] != full[name]] == []
    assert _summary(run_ambang["params"]) != _summary(run["params"])  # the threshold changed the figures
    assert json.loads((processed / "summary.json").read_text()) == _summary(run_ambang["params"])


# --------------------------------------------------------------------------- hard cases: nothing lost, nothing double-counted

FUNNEL_CARDS = {
    "masih_desil1": "masih di desil 1",
    "intervensi_optimal": "diintervensi optimal",
    "intervensi_belum_optimal": "diintervensi belum optimal",
    "belum_intervensi": "belum diintervensi",
}


def _number(text: str) -> int:
    return int(text.strip().replace(".", ""))


def report_figures(html: str) -> dict:
    """The figures a rendered report shows: its cards, the count in its opening sentence, its ranking rows."""
    cards = {label: _number(value) for value, label in
             re.findall(r'<div class="nilai">([\d.]+)</div><div class="label">([^<]+)</div>', html)}  # fmt: skip
    shown = {key: cards[label] for key, label in FUNNEL_CARDS.items()}
    sentence = re.search(r"(?:<strong>|\*\*)([\d.]+) jiwa(?:</strong>|\*\*) belum diintervensi sama sekali", html)
    table = next(t for t in re.findall(r"<table>.*?</table>", html, re.S) if "<th>Belum diintervensi</th>" in t)
    header = re.findall(r"<th>(.*?)</th>", table)
    rows = [dict(zip(header, re.findall(r"<td[^>]*>(.*?)</td>", row))) for row in re.findall(r"<tr>(.*?)</tr>", table)]
    return {"kartu": shown, "kalimat_belum_intervensi": _number(sentence.group(1)), "peringkat": [r for r in rows if r]}


@pytest.fixture(scope="module")
def run_hard(demo_hard, tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e_sulit")
    parameters = _parameters(base, demo_hard["raw"], "sulit")
    out_dir = pipeline.run(parameters)
    return {"truth": demo_hard["truth"], "out": out_dir, "params": parameters}


def test_acceptance_funnel_adds_up_in_summary_and_every_report(run_hard):
    """ACCEPTANCE: masih_desil1 = intervensi_optimal + intervensi_belum_optimal + belum_intervensi in summary.json,
    per kecamatan, and in every report (cards, opening sentence, ranking table), with people not intervened."""
    summary = _summary(run_hard["params"])
    expected = run_hard["truth"]["expected"][REPORT_DATE]
    parts = ("intervensi_optimal", "intervensi_belum_optimal", "belum_intervensi")
    assert summary["belum_intervensi"] == expected["belum_intervensi"] > 0
    assert summary["masih_desil1"] == sum(summary[k] for k in parts)
    by_code = {r["kode"]: r for r in summary["per_kecamatan"]}
    assert sum(r["belum_intervensi"] for r in by_code.values()) == summary["belum_intervensi"]
    for row in by_code.values():
        assert row["masih_desil1"] == sum(row[k] for k in parts), row["nama"]
    reports = _reports(run_hard)
    assert len(reports) == 22
    seen_belum = 0
    for path in reports:
        shown = report_figures(path.read_text(encoding="utf-8"))
        kode = path.stem.split("_")[0] if path.parent.name == "kecamatan" else ""
        source = by_code[kode] if kode else summary
        cards = shown["kartu"]
        assert cards["masih_desil1"] == sum(cards[k] for k in parts), path.name
        assert cards == {k: source[k] for k in FUNNEL_CARDS}, path.name  # the same numbers as summary.json
        assert shown["kalimat_belum_intervensi"] == source["belum_intervensi"], path.name
        for row in shown["peringkat"]:
            masih = _number(row["Masih desil 1"])
            assert masih == sum(_number(row[c]) for c in ("Optimal", "Belum optimal", "Belum diintervensi")), row
        if not kode:  # the kabupaten ranking lists every kecamatan with the summary's numbers
            ranked = {row["Kecamatan"]: row for row in shown["peringkat"]}
            for entry in by_code.values():
                assert _number(ranked[entry["nama"]]["Belum diintervensi"]) == entry["belum_intervensi"]
                assert _number(ranked[entry["nama"]]["Belum optimal"]) == entry["intervensi_belum_optimal"]
        seen_belum += cards["belum_intervensi"] if kode else 0
    assert seen_belum == summary["belum_intervensi"]


@pytest.mark.parametrize("which", ["run", "run_hard"])
def test_no_review_list_holds_a_full_nik(which, request):
    """Nothing in data/processed/tinjau/ holds a 16-digit NIK-like number (NIK or KK number), in any column."""
    processed = Path(request.getfixturevalue(which)["params"]["processed_dir"])
    listed = sorted((processed / "tinjau").glob("*.csv"))
    assert len(listed) >= 7
    for path in listed:
        found = re.findall(r"(?<!\d)\d{16}(?!\d)", path.read_text(encoding="utf-8-sig"))
        assert not found, f"{path.name}: {found[:3]}"


def test_hard_cases_deaths_stay_and_are_listed_rounds_follow_the_forms(run_hard):
    processed = Path(run_hard["params"]["processed_dir"])
    truth = run_hard["truth"]["kasus_sulit"]
    masalah = pd.read_csv(processed / "tinjau" / "keberadaan_masalah.csv", dtype=str)
    assert (masalah["jenis"] == "sesudah_meninggal").sum() == truth["baris_sesudah_meninggal"]
    summary = _summary(run_hard["params"])
    assert [r["nama_putaran"] for r in summary["per_putaran"]] == [r["nama_putaran"] for r in truth["putaran"]]
    assert (processed / "tinjau" / "temuan_lapangan.csv").is_file()
    text = (run_hard["out"] / "laporan_kabupaten.html").read_text(encoding="utf-8")
    assert "Putaran 2 (14–17 Okt 2024)" in text and "bersifat final" in text


# --------------------------------------------------------------------------- hard cases: padu padan against the answer key


def linkage_quality(processed: Path, truth: dict) -> tuple[dict, pd.DataFrame]:
    """quality.evaluate / per_case of status_sasaran against the demo's per-person key (SK ``no`` -> P3KE
    ``id_individu`` or none); SK rows are joined to their ``id_sasaran`` through sk.parquet."""
    from helpers.matching import quality

    key = truth["kasus_sulit"]["kunci_padan"]
    sk = pd.read_parquet(processed / "sk.parquet", columns=["id_sasaran", "no"]).astype("string")
    kunci = pd.DataFrame({
        "id_sasaran": sk["id_sasaran"],
        "p3ke_index": [key[no]["id_individu"] for no in sk["no"]],
        "kasus": [key[no]["kasus"] for no in sk["no"]],
    })  # fmt: skip
    status = pd.read_parquet(processed / "status_sasaran.parquet", columns=["id_sasaran", "metode_padan", "id_individu"])
    padan = pd.DataFrame({"id_sasaran": status["id_sasaran"], "metode_padan": status["metode_padan"],
                          "p3ke_index": status["id_individu"].astype(object).where(status["id_individu"].notna(), None)})  # fmt: skip
    return quality.evaluate(padan, kunci), quality.per_case(padan, kunci)


def test_hard_cases_linkage_from_the_raw_files_meets_the_targets(run_hard):
    """ACCEPTANCE (issue 9): from the raw files (cleaning included) the matcher makes no wrong automatic match,
    matches at least 95 % of the people who are in P3KE automatically, and sends at most 15 % of the list to
    review, against the generator's per-person answer key."""
    processed = Path(run_hard["params"]["processed_dir"])
    figures, cases = linkage_quality(processed, run_hard["truth"])
    print(figures, cases.to_string(), sep="\n")
    assert figures["jumlah_sk"] == len(run_hard["truth"]["kasus_sulit"]["kunci_padan"])
    assert figures["salah_otomatis"] == 0, cases[cases["salah_otomatis"] > 0].to_string()
    assert figures["recall"] >= 0.95, figures
    assert figures["beban_tinjau"] <= 0.15, figures


# --------------------------------------------------------------------------- the OPD channel (issue 17)


def _opd_rows(path: Path, password: str) -> tuple[openpyxl.Workbook, list[dict]]:
    book = openpyxl.load_workbook(io.BytesIO(protect.open_workbook_bytes(path, [password])))
    sheet = book[forms.SHEET_FORM]
    header_row = forms.HEADER_ROW + 1
    header = {sheet.cell(header_row, c).value: c for c in range(1, sheet.max_column + 1)}
    rows = [{h: sheet.cell(r, c).value for h, c in header.items()} | {"_baris": r}
            for r in range(header_row + 1, sheet.max_row + 1)]  # fmt: skip
    return book, rows


def test_opd_channel_on_the_hard_demo(run_hard, tmp_path):
    """ACCEPTANCE (issue 17) on the demo with --kasus-sulit: one workbook and one page per OPD; every person needing
    action on at least one OPD workbook with a recommended programme; no full NIK in any page; a returned workbook
    with n people belum optimal and still there, marked Optimal on or before the report date, raises
    intervensi_optimal by exactly n and lowers belum_optimal_masih_ada by exactly n."""
    from helpers.publishing import forms_opd, opd

    parameters = run_hard["params"]
    processed = Path(parameters["processed_dir"])
    data = opd.load(processed, parameters["kode_kabupaten"])
    kunci = parameters["kunci_dir"]
    written = forms_opd.write_opd_forms(data, tmp_path / forms_opd.FOLDER, REPORT_DATE, progress=False,
                                        kunci_dir=kunci)  # fmt: skip
    pages = sorted((run_hard["out"] / opd.PAGES_DIR).glob("*.html"))
    assert len(data.agencies) >= 8 and len(written) == len(pages) == len(data.agencies)
    assert {p.stem for p in pages} == {p.stem for p in written} == set(data.agencies["file"])
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w+/])\d{16}(?!\d)", re.sub(r"data:image/png;base64,[\w+/=]+", "", text)), page
    passwords = keys.read_passwords(kunci, REPORT_DATE)
    books = {p.name: _opd_rows(p, passwords[p.name]) for p in written}
    status = pd.read_parquet(processed / "status_sasaran.parquet")
    needing = set(status.loc[status["perlu_tindakan"], "id_sasaran"])
    advised = {r["ID Sasaran"] for _, rows in books.values() for r in rows if r["Rekomendasi Program"]}
    assert needing and needing <= advised

    # n people belum optimal and still there, marked Optimal by an OPD that served them, dated on the report date
    records = pd.read_parquet(processed / "intervensi_sasaran.parquet")
    latest = records.groupby("id_sasaran")["tanggal_intervensi"].max()
    targets = status[(status["status_desil"] == "masih_desil1") & (status["status_intervensi"] == "belum_optimal")
                     & (status["status_keberadaan"] == "ada")]  # fmt: skip
    targets = targets[targets["id_sasaran"].map(latest) < pd.Timestamp(REPORT_DATE)]
    chosen: dict[str, tuple[str, int]] = {}  # id_sasaran -> (workbook, row)
    for name, (_, rows) in books.items():
        for row in rows:
            if row["ID Sasaran"] in set(targets["id_sasaran"]) and row["Program dari OPD Ini"] and len(chosen) < 5:
                chosen.setdefault(row["ID Sasaran"], (name, row["_baris"]))
    n = len(chosen)
    assert n == 5
    raw = tmp_path / "raw"
    shutil.copytree(parameters["raw_dir"], raw, ignore=shutil.ignore_patterns("demo_truth.json"))
    for name in sorted({name for name, _ in chosen.values()}):
        book, rows = books[name]
        sheet = book[forms.SHEET_FORM]
        header = {sheet.cell(forms.HEADER_ROW + 1, c).value: c for c in range(1, sheet.max_column + 1)}
        kunci_opd = opd.opd_key(rows[0]["OPD"])
        for _, row in (x for x in chosen.values() if x[0] == name):
            sheet.cell(row, header["Status Intervensi"]).value = "Optimal"
            sheet.cell(row, header["Tanggal Intervensi"]).value = dt.datetime(2024, 11, 6)
            sheet.cell(row, header["Program"]).value = forms_opd.programme_choices(data, kunci_opd)[0]
        plain = io.BytesIO()
        book.save(plain)
        protect.write_encrypted(plain.getvalue(), raw / "intervensi" / name, passwords[name])
    again = _parameters(tmp_path, raw, "opd_kembali", kunci_dir=kunci)
    pipeline.run(again, with_reports=False)
    before, after = _summary(parameters), _summary(again)
    assert after["intervensi_optimal"] == before["intervensi_optimal"] + n
    assert after["belum_optimal_masih_ada"] == before["belum_optimal_masih_ada"] - n
    for key in ("sasaran_sk", "keluar_desil1", "masih_desil1", "belum_intervensi"):
        assert after[key] == before[key], key
