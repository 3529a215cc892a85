"""The OPD channel (issue 17): figures per OPD, one BNBA workbook per OPD, and the answers back in.

A returned workbook is filled the way an OPD would in Excel (opened with its password, only the yellow cells, saved
with the same password) and saved as it is into data/raw/intervensi/: each filled row becomes a record of that OPD,
rows left empty change nothing, bad rows are listed with the file and row, the same file twice counts once.
All people are synthetic.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import make_nik, small_world, write_world

from helpers import catalog, cleaning, keys, protect
from helpers import vocabulary as v
from helpers.publishing import brief, forms, forms_opd, opd
from helpers.statuses import classify

REPORT = "2024-11-06"
HEADER = forms.HEADER_ROW + 1  # 1-based Excel row of the header
#: People added to the small world: (serial, name, OPD, programme) of an intervention the OPD judged "Belum
#: Optimal"; the camat found them all ("Ada"). The last has no intervention: recommended, not served.
ADDED = ((30, "Sumarni", "Dinsos", "PKH"), (31, "Paidi", "Dinsos", "PKH"), (32, "Karsiyem", "Perkim", "Rehab RTLH"),
         (33, "Tukimin", None, None))  # fmt: skip


# --------------------------------------------------------------------------- names and figures by hand


def test_one_opd_per_name_whatever_its_spelling():
    table = pd.DataFrame({"opd": ["Dinas Sosial", "Dinas Perkim"]})
    named = pd.Series(["DINAS  SOSIAL", "Dinsos", "dinsos", "Dinsos", "Dinas P&K", "Dinas P-K", None])
    agencies = opd.agency_list(table, named)
    assert agencies["opd"].tolist() == ["Dinas P&K", "Dinas P-K", "Dinas Perkim", "Dinas Sosial", "Dinsos"]
    assert agencies["file"].tolist() == ["OPD_Dinas_P_K", "OPD_Dinas_P_K_2", "OPD_Dinas_Perkim", "OPD_Dinas_Sosial",
                                         "OPD_Dinsos"]  # fmt: skip
    assert opd.opd_key(" Dinas   SOSIAL ") == opd.opd_key("dinas sosial") and pd.isna(opd.opd_key(None))


def _synthetic() -> opd.OpdData:
    """A: still in desil 1, optimal; B: belum optimal, there (needs action); C: not intervened (needs action);
    D: left desil 1; E: belum optimal, deceased. Kecamatan: all 35.17.06 but E (35.17.01)."""
    status = pd.DataFrame({
        "id_sasaran": list("ABCDE"), "nik": [make_nik(serial=i) for i in range(1, 6)],
        "nama": [f"Warga {c}" for c in "ABCDE"], "alamat": "Dusun Krajan",
        "kode_kecamatan": ["35.17.06"] * 4 + ["35.17.01"], "nama_kecamatan": ["Mojoagung"] * 4 + ["Perak"],
        "kode_desa": None, "nama_desa": "Mancilan",
        "status_desil": ["masih_desil1", "masih_desil1", "masih_desil1", "keluar_desil1", "masih_desil1"],
        "status_intervensi": ["optimal", "belum_optimal", "belum_intervensi", "optimal", "belum_optimal"],
        "status_keberadaan": ["ada", "ada", "belum_diverifikasi", "belum_diverifikasi", "meninggal"],
        "tanggal_verifikasi": pd.to_datetime(["2024-10-01", "2024-10-02", None, None, "2024-10-03"]),
        "perlu_tindakan": [False, True, True, False, False],
    })  # fmt: skip
    records = pd.DataFrame({
        "id_sasaran": ["A", "A", "B", "B", "D", "E"],
        "opd": ["Dinas Sosial", "Dinas Perkim", "Dinas Sosial", "DINAS SOSIAL", "Dinas Sosial", "Dinas Sosial"],
        "program": ["PKH", "Rehab RTLH", "PKH", "BPNT", "PKH", "PKH"],
        "tanggal_intervensi": pd.to_datetime(["2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01", "2024-03-01",
                                              "2024-03-01"]),
    })  # fmt: skip
    advice = pd.DataFrame({"id_sasaran": ["B", "C", "C"], "opd": ["Dinas Perkim", "Dinas Sosial", "Disnaker"],
                           "program": ["Rehab RTLH", "PKH", "Prakerja"],
                           "alasan": ["Lantai tanah", "perlindungan dasar", "usia kerja"]})  # fmt: skip
    table = pd.DataFrame({"program": ["PKH", "BPNT", "Rehab RTLH", "Prakerja"],
                          "opd": ["Dinas Sosial", "Dinas Sosial", "Dinas Perkim", "Disnaker"]})  # fmt: skip
    return opd.OpdData(status, opd._keyed(records), opd._keyed(advice), opd.agency_list(table, records["opd"]),
                       opd._keyed(table), REPORT, 2, "35.17")  # fmt: skip


def test_figures_per_opd_counted_by_hand():
    data = _synthetic()
    fig = opd.figures(data).set_index("opd")
    columns = ["penerima_sk", "masih_desil1", "optimal", "belum_optimal", "penerima_perlu_tindakan",
               "direkomendasikan", "belum_dilayani", "menunggu"]  # fmt: skip
    assert fig.loc["Dinas Sosial", columns].tolist() == [4, 3, 1, 2, 1, 1, 1, 2]  # B's two records: once
    assert fig.loc["Dinas Perkim", columns].tolist() == [1, 1, 1, 0, 0, 1, 1, 1]
    assert fig.loc["Disnaker", columns].tolist() == [0, 0, 0, 0, 0, 1, 1, 1]
    assert (fig["masih_desil1"] == fig["optimal"] + fig["belum_optimal"]).all()
    # a kecamatan: only the OPD active there, its people only
    perak = opd.figures(data, "35.17.01").set_index("opd")
    assert perak.index.tolist() == ["Dinas Sosial"] and perak.loc["Dinas Sosial", "belum_optimal"] == 1
    # per programme and per kecamatan of one OPD
    programmes = opd.programme_figures(data, "dinas sosial").set_index("program")
    assert programmes.loc["PKH", ["penerima_sk", "masih_desil1", "direkomendasikan", "belum_dilayani"]].tolist() == [
        4, 3, 1, 1]  # fmt: skip
    assert programmes.loc["BPNT", ["penerima_sk", "belum_optimal", "direkomendasikan"]].tolist() == [1, 1, 0]
    per_kecamatan = opd.kecamatan_figures(data, "dinas sosial").set_index("nama")
    assert per_kecamatan.loc["Mojoagung", "penerima_sk"] == 3 and per_kecamatan.loc["Perak", "belum_optimal"] == 1
    # the brief's OPD furthest behind: most people waiting, then most not yet served, then by name
    headers, rows = opd.behind_table(opd.figures(data))
    assert headers[0] == "OPD" and [r[0] for r in rows] == ["Dinas Sosial", "Dinas Perkim", "Disnaker"]
    assert rows[0][1:] == ["1", "1", "2"]


def test_report_texts_follow_the_figures_and_escape_names():
    data = _synthetic()
    data.agencies.loc[data.agencies["opd"] == "Disnaker", "opd"] = "Disnaker <b>"
    text = opd.section_text(data)
    assert "3 OPD tercatat" in text and "**2 OPD** melayani" in text and "Dari 2 jiwa yang perlu tindakan" in text
    assert "Dinas Sosial (2 jiwa: 1 penerimanya yang belum optimal dan perlu tindakan, 1 rekomendasi" in text
    assert "<b>" not in opd.figures_html(opd.figures(data)) and "&lt;b&gt;" in opd.figures_html(opd.figures(data))
    rule = opd.rule_text(2)
    assert "2 strategi" in rule and "15–64 tahun" in rule and "lantai tanah" in rule
    assert "**" not in opd.rule_text(3, markdown=False) and "3 strategi" in opd.rule_text(3, markdown=False)


def test_opd_page_masks_niks_and_names_nobody():
    data = _synthetic()
    fig = opd.figures(data).set_index("kunci")
    agency = data.agencies[data.agencies["opd"] == "Dinas Sosial"].iloc[0]
    page = opd.page_html(data, agency, fig.loc[agency["kunci"]], "sumber uji")
    assert "Sasaran miskin ekstrem untuk Dinas Sosial" in page and "<script" not in page
    for person in data.status.itertuples():
        assert person.nik not in page and person.nama not in page
    assert data.status.loc[1, "nik"][:4] + "*" * 10 + data.status.loc[1, "nik"][-2:] in page  # B waits: masked
    assert "Menunggu tindakan OPD ini (2 jiwa)" in page or "(2 jiwa)" in page


# --------------------------------------------------------------------------- a small world through the pipeline


def _world() -> dict[str, list[dict]]:
    world = small_world()
    for serial, name, agency, programme in ADDED:
        nik = make_nik(serial=serial)
        person = {**world["p3ke"][0], "ID Keluarga P3KE": f"K{serial}", "ID Individu": f"I{serial}", "NIK": nik,
                  "Nama": name}  # fmt: skip
        world["p3ke"].append(person)
        world["p3ke_keluarga"].append({**world["p3ke_keluarga"][0], "ID Keluarga P3KE": f"K{serial}",
                                       "Kepala Keluarga": name, "NIK Kepala Keluarga": nik})  # fmt: skip
        world["sk"].append({"No": str(len(world["sk"]) + 1), "NIK": nik, "Nama": name.upper(), "Kecamatan": "Mojoagung",
                            "Desa/Kelurahan": "Mancilan"})  # fmt: skip
        if agency:
            world["intervensi"].append({"NIK": nik, "Nama": name, "OPD": agency, "Program": programme,
                                        "Tanggal Intervensi": "2024-06-15", "Status": "Belum Optimal"})  # fmt: skip
        world["verifikasi"].append({"NIK": nik, "Status Keberadaan": "Ada", "Tanggal Verifikasi": "2024-11-01"})
    return world


def _pipeline(raw: Path, processed: Path, kunci: Path) -> classify.StatusRun:
    cleaning.clean_all(raw, processed, kunci_dir=kunci)
    return classify.run_status(processed, REPORT)


@pytest.fixture(scope="module")
def channel(tmp_path_factory):
    base = tmp_path_factory.mktemp("opd")
    raw = write_world(base / "raw", _world())
    kunci = base / "kunci"
    run = _pipeline(raw, base / "processed", kunci)
    data = opd.load(base / "processed", "35.17")
    written = forms_opd.write_opd_forms(data, base / forms_opd.FOLDER, REPORT, progress=False, kunci_dir=kunci)
    return {"base": base, "raw": raw, "kunci": kunci, "run": run, "data": data, "written": written}


def _book(path: Path, password: str | None = None) -> openpyxl.Workbook:
    raw = protect.open_workbook_bytes(path, [password]) if password else path.read_bytes()
    return openpyxl.load_workbook(io.BytesIO(raw))


def _header(sheet) -> dict[str, int]:
    return {sheet.cell(HEADER, c).value: c for c in range(1, sheet.max_column + 1) if sheet.cell(HEADER, c).value}


def _rows(sheet) -> list[dict[str, object]]:
    header = _header(sheet)
    return [{h: sheet.cell(r, c).value for h, c in header.items()} for r in range(HEADER + 1, sheet.max_row + 1)]


def test_one_encrypted_workbook_per_opd_and_a_readme(channel):
    data, written = channel["data"], channel["written"]
    assert [p.name for p in written] == [f"{f}.xlsx" for f in data.agencies["file"]]
    assert {"Dinsos", "Perkim", "Dinas Sosial", "Disnaker"} <= set(data.agencies["opd"])  # records' and table's OPD
    assert all(protect.is_encrypted(p) for p in written)
    passwords = keys.read_passwords(channel["kunci"], REPORT)
    assert {p.name for p in written} <= set(passwords)  # the camat forms' list: one password per file
    readme = (written[0].parent / forms.README_NAME).read_text(encoding="utf-8")
    for text in ("RAHASIA", "UU No. 27 Tahun 2022", "data/raw/intervensi/", "saluran lain", "OPD_Dinsos.xlsx",
                 "Setiap OPD hanya menerima kata sandi filenya sendiri"):  # fmt: skip
        assert text in readme, text


def test_workbook_layout_inputs_and_validations(channel):
    path = next(p for p in channel["written"] if p.name == "OPD_Dinsos.xlsx")
    book = _book(path, keys.read_passwords(channel["kunci"], REPORT)[path.name])
    assert book.sheetnames[0] == forms.SHEET_FORM and forms.SHEET_HELP in book.sheetnames
    sheet = book[forms.SHEET_FORM]
    assert sheet["A1"].value == forms.NOTICE  # the camat forms' personal-data notice
    assert [sheet.cell(HEADER, c).value for c in range(1, len(forms_opd.HEADERS) + 1)] == forms_opd.HEADERS
    for header in ("NIK", "Nama", "Status Intervensi", "Tanggal Intervensi", "Program", "Keterangan", "OPD"):
        assert header in forms_opd.HEADERS
    rows = _rows(sheet)
    assert rows and all(r["OPD"] == "Dinsos" for r in rows)
    assert all(r[h] is None for r in rows for h in forms_opd.INPUT_HEADERS)
    assert all(len(r["NIK"]) == 16 and r["ID Sasaran"].startswith("SK-") for r in rows)
    first = HEADER + 1
    unlocked = {h for h, c in _header(sheet).items() if not sheet.cell(first, c).protection.locked}
    assert unlocked == set(forms_opd.INPUT_HEADERS) and sheet.protection.sheet
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}

    def rule(header: str):
        letter = openpyxl.utils.get_column_letter(forms_opd.col(header) + 1)
        return next(dv for ref, dv in rules.items() if ref.startswith(letter))

    assert rule("Status Intervensi").type == "list" and rule("Status Intervensi").formula1 == '"Optimal,Belum Optimal"'
    assert rule("Tanggal Intervensi").type == "date"
    assert rule("Program").type == "list" and "PKH" in rule("Program").formula1
    assert rule("Program").errorStyle == "warning"
    help_text = " ".join(str(c.value) for row in book[forms.SHEET_HELP].iter_rows() for c in row if c.value)
    assert "Petunjuk pengisian formulir OPD" in help_text and "UU No. 27 Tahun 2022" in help_text


def test_everyone_needing_action_is_on_an_opd_workbook_with_a_recommended_programme(channel):
    status = channel["run"].status
    needing = set(status.loc[status["perlu_tindakan"], "id_sasaran"])
    assert len(needing) == 5  # Sri Wahyuni, the three OPD judged belum optimal, Tukimin (no intervention)
    passwords = keys.read_passwords(channel["kunci"], REPORT)
    advised: dict[str, list[str]] = {}
    for path in channel["written"]:
        for row in _rows(_book(path, passwords[path.name])[forms.SHEET_FORM]):
            if row["Rekomendasi Program"]:
                advised.setdefault(row["ID Sasaran"], []).append(row["Rekomendasi Program"])
    assert needing <= set(advised)


def _fill(path: Path, password: str, answers: dict[str, tuple[str | None, object, str | None]],
          target: Path, nik: dict[str, str] | None = None) -> int:  # fmt: skip
    """Fill an OPD's workbook as the OPD would: opened with its password, answers per NIK (status, date,
    programme) in the yellow cells, saved encrypted with the same password at ``target``. ``nik``: NIK cells
    overwritten (someone unprotected the sheet)."""
    book = _book(path, password)
    sheet = book[forms.SHEET_FORM]
    header = _header(sheet)
    filled = 0
    for row in range(HEADER + 1, sheet.max_row + 1):
        cell = sheet.cell(row, header["NIK"])
        if cell.value in answers:
            status, date, programme = answers[cell.value]
            sheet.cell(row, header["Status Intervensi"]).value = status
            sheet.cell(row, header["Tanggal Intervensi"]).value = date
            sheet.cell(row, header["Program"]).value = programme
            filled += 1
        if nik and cell.value in nik:
            cell.value = nik[cell.value]
    plain = io.BytesIO()
    book.save(plain)
    target.parent.mkdir(parents=True, exist_ok=True)
    protect.write_encrypted(plain.getvalue(), target, password)
    return filled


def _returned(channel, tmp_path, fills) -> tuple[Path, classify.StatusRun]:
    """The raw folder plus the returned workbooks (``fills``: [(workbook name, answers, saved as, nik)]), run again."""
    raw = tmp_path / "raw"
    shutil.copytree(channel["raw"], raw)
    passwords = keys.read_passwords(channel["kunci"], REPORT)
    for name, answers, saved_as, nik in fills:
        path = channel["base"] / forms_opd.FOLDER / name
        _fill(path, passwords[name], answers, raw / "intervensi" / (saved_as or name), nik)
    return raw, _pipeline(raw, tmp_path / "processed", channel["kunci"])


def _summary(processed: Path) -> dict:
    return json.loads(catalog.SUMMARY.at(processed).read_text(encoding="utf-8"))


def test_returned_workbooks_raise_optimal_by_exactly_n(channel, tmp_path):
    """ACCEPTANCE: n people belum optimal and still there, marked Optimal with a date on or before the report date in
    the workbooks of the OPD that served them, raise intervensi_optimal by exactly n and lower
    belum_optimal_masih_ada by exactly n; every other row left empty changes nothing and is no error."""
    before = channel["run"].summary
    status = channel["run"].status
    targets = status[(status["status_desil"] == v.MASIH_DESIL1) & (status["status_intervensi"] == v.BELUM_OPTIMAL)
                     & (status["status_keberadaan"] == v.ADA)]  # fmt: skip
    nik = {name: make_nik(serial=serial) for serial, name, *_ in ADDED}
    marked = {"OPD_Dinsos.xlsx": {nik["Sumarni"]: ("Optimal", dt.datetime(2024, 11, 6), "PKH"),
                                  nik["Paidi"]: ("Optimal", dt.datetime(2024, 11, 2), "PKH")},
              "OPD_Perkim.xlsx": {nik["Karsiyem"]: ("Optimal", dt.datetime(2024, 10, 30), "Rehab RTLH")}}  # fmt: skip
    n = sum(len(a) for a in marked.values())
    assert n == 3 and {k for a in marked.values() for k in a} <= set(targets["nik"])
    raw, after_run = _returned(channel, tmp_path, [(name, answers, None, None) for name, answers in marked.items()])
    after = after_run.summary
    assert after["intervensi_optimal"] == before["intervensi_optimal"] + n
    assert after["belum_optimal_masih_ada"] == before["belum_optimal_masih_ada"] - n
    assert after["perlu_tindakan"] == before["perlu_tindakan"] - n
    for key in ("sasaran_sk", "masih_desil1", "belum_intervensi"):
        assert after[key] == before[key], key
    ringkasan = json.loads(catalog.RINGKASAN.at(tmp_path / "processed").read_text(encoding="utf-8"))["intervensi"]
    rows = sum(len(_rows(_book(raw / "intervensi" / name, keys.read_passwords(channel["kunci"], REPORT)[name])
                         [forms.SHEET_FORM])) for name in marked)  # fmt: skip
    assert ringkasan["perbaikan"]["belum_diisi"] == rows - n  # the rows left empty: kept, counted, never records
    assert ringkasan["baris_karantina"] == json.loads(catalog.RINGKASAN.at(channel["base"] / "processed").read_text(
        encoding="utf-8"))["intervensi"]["baris_karantina"]  # fmt: skip
    kept = pd.read_parquet(catalog.INTERVENSI.at(tmp_path / "processed"))
    from_forms = kept[kept["sumber_file"].str.startswith("intervensi/OPD_")]
    assert from_forms["tanggal_intervensi"].notna().sum() == n
    assert set(from_forms.dropna(subset=["tanggal_intervensi"])["opd"]) == {"Dinsos", "Perkim"}  # the workbook's OPD
    assert from_forms["id_sasaran_formulir"].notna().all()

    # the same workbook placed twice (saved again under another name): counted once
    again = [(name, answers, None, None) for name, answers in marked.items()]
    again.append(("OPD_Dinsos.xlsx", marked["OPD_Dinsos.xlsx"], "OPD_Dinsos_diterima_2024-11-07.xlsx", None))
    _, twice = _returned(channel, tmp_path / "dua_kali", again)
    for key in ("intervensi_optimal", "belum_optimal_masih_ada", "perlu_tindakan"):
        assert twice.summary[key] == after[key], key
    copy = json.loads(catalog.RINGKASAN.at(tmp_path / "dua_kali" / "processed").read_text(encoding="utf-8"))
    per_file = copy["intervensi"]["per_sumber"]["intervensi/OPD_Dinsos_diterima_2024-11-07.xlsx [Formulir]"]
    assert per_file["baris_duplikat"] == per_file["baris_masuk"] > 0  # every row of the copy: a duplicate
    assert (
        twice.summary["baris_duplikat"]["intervensi"] == after["baris_duplikat"]["intervensi"] + per_file["baris_masuk"]
    )


def test_bad_returned_rows_are_listed_with_the_file_and_row_and_not_used(channel, tmp_path):
    nik = {name: make_nik(serial=serial) for serial, name, *_ in ADDED}
    stranger = make_nik(serial=77)  # nobody on the SK
    answers = {
        nik["Sumarni"]: ("Lumayan", dt.datetime(2024, 11, 1), "PKH"),  # a status outside the list
        nik["Paidi"]: ("Optimal", dt.datetime(2024, 12, 1), "PKH"),  # after the report date
        make_nik(serial=1): ("Optimal", dt.datetime(2024, 11, 1), "PKH"),
    }  # and its NIK typed over:
    _, run = _returned(channel, tmp_path, [("OPD_Dinsos.xlsx", answers, None, {make_nik(serial=1): stranger})])
    before = channel["run"].summary
    for key in ("intervensi_optimal", "belum_optimal_masih_ada", "perlu_tindakan"):
        assert run.summary[key] == before[key], key  # nothing used
    processed = tmp_path / "processed"
    karantina = pd.read_csv(catalog.KARANTINA.at(processed, input="intervensi"), dtype=str)
    bad = karantina[karantina["sumber_file"] == "intervensi/OPD_Dinsos.xlsx [Formulir]"]
    assert len(bad) == 1 and 'Status Intervensi "Lumayan" tidak dikenal' in bad["alasan"].iloc[0]
    assert int(bad["baris_sumber"].iloc[0]) > HEADER
    listed = pd.read_csv(catalog.INTERVENSI_MASALAH.at(processed), dtype=str)
    mine = listed[listed["sumber_file"] == "intervensi/OPD_Dinsos.xlsx [Formulir]"].set_index("jenis")
    assert set(mine.index) == {classify.JENIS_TANGGAL_SESUDAH_LAPORAN, classify.JENIS_NIK_BUKAN_SASARAN}
    assert (mine["dipakai"] == "tidak").all() and mine["baris_sumber"].astype(int).gt(HEADER).all()
    assert mine.loc[classify.JENIS_NIK_BUKAN_SASARAN, "nik_tersamar"] == stranger[:4] + "*" * 10 + stranger[-2:]
    assert run.summary["diabaikan"]["intervensi"][classify.JENIS_NIK_BUKAN_SASARAN] == 1


def test_brief_names_the_opd_furthest_behind(channel):
    data = channel["data"]
    table = opd.behind_table(opd.figures(data))
    page = brief.brief_html(channel["run"].summary, "35.17", opd_table=table)
    assert "OPD paling tertinggal" in page and table[1] and f"<td>{table[1][0][0]}</td>" in page
    assert "OPD paling tertinggal" not in brief.brief_html(channel["run"].summary, "35.17")
