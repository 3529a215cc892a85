"""DTSEN: the contract input, its cleaning, the register parameter, and the comparison of two registers."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import make_nik, raw_frame, small_world, write_world

from helpers import catalog, cleaning, params
from helpers import vocabulary as v
from helpers.cleaning.inputs import clean_frame
from helpers.errors import InputError
from helpers.reading.contract import INPUTS
from helpers.reading.readers import read_input


def _dtsen_row(nik, kk, nama, kec, desa, nas="1", prov="1", kab="1", **extra) -> dict:
    return {"NIK": nik, "No KK": kk, "Nama": nama, "Jenis Kelamin": "P", "Tanggal Lahir": "1985-03-12",
            "Kecamatan": kec, "Desa/Kelurahan": desa, "Desil Nasional": nas, "Desil Provinsi": prov,
            "Desil Kabupaten/Kota": kab, "Tahun Data": "2025", **extra}  # fmt: skip


def test_dtsen_cleaning_quarantines_with_indonesian_reasons_and_conserves_rows():
    kk = make_nik(serial=500)
    rows = [
        _dtsen_row(make_nik(serial=1), kk, "Siti Aminah", "Mojoagung", "Mancilan", "2", "1", "1"),
        _dtsen_row(make_nik(serial=2), kk, "Ahmad Sholeh", "Mojoagung", "Mancilan", kab="sebelas"),
        _dtsen_row(make_nik(serial=3), kk, "Budi", "Mojoagung", "Mancilan", None, None, None),
        _dtsen_row(make_nik(serial=4), kk, "Sri", "Mojoagung", "Desa Khayalan"),
        _dtsen_row(None, None, None, "Mojoagung", "Mancilan"),
    ]
    rows.append(dict(rows[0]))  # an exact duplicate
    result = clean_frame(raw_frame("dtsen", rows), INPUTS["dtsen"])
    assert result.table == "dtsen_individu"
    assert (result.baris_masuk, result.baris_bersih, result.baris_duplikat, result.baris_karantina) == (6, 1, 1, 4)
    kept = result.data.iloc[0]
    assert (kept["desil_nasional"], kept["desil_provinsi"], kept["desil_kabupaten"]) == (2, 1, 1)
    assert kept["no_kk"] == kk and kept["tahun_data"] == 2025 and kept["kode_desa"].startswith("35.17.")
    reasons = " | ".join(result.karantina["alasan"])
    assert '"sebelas" bukan desil kabupaten/kota yang sah' in reasons
    assert "desil nasional, provinsi dan kabupaten/kota semuanya kosong" in reasons
    assert 'Desa "Desa Khayalan" tidak dikenal' in reasons
    assert "NIK dan nama sama-sama kosong" in reasons


def test_dtsen_pipe_separated_export_with_header_aliases(tmp_path):
    header = ["NIK", "NOKK", "Nama Lengkap", "Tgl Lahir", "Jenis Kelamin", "Kec", "Desa/Kel", "Desil Nas",
              "Desil Prov", "Desil Kab/Kota", "Kode Desa Kemendagri"]  # fmt: skip
    folder = tmp_path / "raw" / "dtsen"
    folder.mkdir(parents=True)
    line = [make_nik(serial=7), make_nik(serial=900), "Siti", "12-03-1985", "P", "Mojoagung", "Mancilan", "3", "2",
            "1", "3517062001"]  # fmt: skip
    (folder / "dtsen_jombang.csv").write_text("|".join(header) + "\n" + "|".join(line) + "\n", encoding="utf-8")
    raw = read_input(tmp_path / "raw", INPUTS["dtsen"], progress=False)
    assert raw.loc[0, "desil_kabupaten"] == "1" and raw.loc[0, "no_kk"] == make_nik(serial=900)
    assert raw.loc[0, "desil_nasional"] == "3" and raw.loc[0, "kode_kemendagri"] == "3517062001"


def test_register_parameters_are_validated():
    resolved = params.resolve()
    assert (resolved["register"], resolved["desil_dtsen"]) == ("p3ke", "kabupaten")
    assert params.resolve(overrides={"register": "DTSEN", "desil_dtsen": "Nasional"})["register"] == "dtsen"
    with pytest.raises(InputError, match="register"):
        params.resolve(overrides={"register": "dtks"})
    with pytest.raises(InputError, match="desil_dtsen"):
        params.resolve(overrides={"desil_dtsen": "kota"})


def test_register_label():
    assert v.register_label() == "P3KE 2024"
    assert v.register_label("dtsen", 2025) == "DTSEN 2025"
    assert v.register_label("dtsen") == "DTSEN"


# --------------------------------------------------------------------------- register = dtsen in the matching step


def _dtsen_world() -> dict[str, list[dict]]:
    """The status world of test_statuses with a DTSEN export of the same people in which Ahmad (1) left desil 1,
    Budi (2) entered it (his national decile is empty), and a richer neighbour (desil 7) who is on no list."""
    from test_statuses import N, status_world

    world = status_world()
    kabupaten = {1: "3", 2: "1", 3: "1", 4: "1", 5: "1", 6: "1", 8: "1"}
    rows = []
    for person in world["p3ke"]:
        i = next(k for k, nik in N.items() if nik == person["NIK"])
        rows.append({"NIK": person["NIK"], "No KK": make_nik(serial=700 + i), "Nama": person["Nama"],
                     "Jenis Kelamin": "L", "Tanggal Lahir": "1985-03-12", "Kecamatan": person["Kecamatan"],
                     "Desa/Kelurahan": person["Desa/Kelurahan"], "Desil Nasional": None if i == 2 else "2",
                     "Desil Provinsi": "1", "Desil Kabupaten/Kota": kabupaten[i], "Tahun Data": "2025"})  # fmt: skip
    rows.append(_dtsen_row(make_nik(day=1, month=1, year=70, serial=9), make_nik(serial=799), "Orang Kaya",
                           "Mojoagung", "Mancilan", "8", "7", "7"))  # fmt: skip
    return {**world, "dtsen": rows}


@pytest.fixture
def processed_dtsen(tmp_path):
    cleaning.clean_all(write_world(tmp_path / "raw", _dtsen_world()), tmp_path / "processed")
    return tmp_path / "processed"


def test_run_status_with_dtsen_and_comparison(processed_dtsen):
    import json

    from helpers.statuses import classify
    from helpers.statuses import perbandingan as pb

    base = classify.run_status(processed_dtsen, "2024-11-06")
    assert base.perbandingan is None and base.parameters["register_label"] == "P3KE 2024"
    run = classify.run_status(processed_dtsen, "2024-11-06", register="dtsen", desil_dtsen="kabupaten")
    assert run.parameters["register"] == "dtsen" and run.parameters["register_label"] == "DTSEN 2025"
    assert run.summary["keluar_desil1"] == base.summary["keluar_desil1"]  # one left, one entered
    comparison = run.perbandingan.set_index("nama")
    assert comparison.loc["Ahmad", "perubahan"] == pb.KELUAR and comparison.loc["Budi", "perubahan"] == pb.MASUK
    assert comparison.loc["Zaki", "perubahan"] == pb.PADAN_BERUBAH
    assert comparison.loc["Ahmad", "nik_tersamar"].count("*") == 10
    counts = json.loads((catalog.PERBANDINGAN_JSON.at(processed_dtsen)).read_text())
    assert (counts[pb.KELUAR], counts[pb.MASUK], counts["register_sesudah"]) == (1, 1, "DTSEN 2025")
    written = pd.read_csv(catalog.PERBANDINGAN_CSV.at(processed_dtsen), dtype=str)
    assert set(written["perubahan"]) >= {pb.KELUAR, pb.MASUK} and "nik" not in written.columns
    provinsi = classify.run_status(processed_dtsen, "2024-11-06", register="dtsen", desil_dtsen="provinsi", write=False)
    assert provinsi.summary["keluar_desil1"] == 0  # every provincial decile is 1
    with pytest.raises(InputError, match="desil_dtsen"):
        classify.run_status(processed_dtsen, "2024-11-06", register="dtsen", desil_dtsen="nasional", write=False)


def test_dtsen_register_without_dtsen_data_is_refused(tmp_path):
    from helpers.statuses import classify

    cleaning.clean_all(write_world(tmp_path / "raw", small_world()), tmp_path / "processed")
    with pytest.raises(InputError, match="belum ada data DTSEN"):
        classify.run_status(tmp_path / "processed", "2024-11-06", register="dtsen", write=False)


# --------------------------------------------------------------------------- the demo's DTSEN register


def _files(root) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_demo_dtsen_is_off_by_default_and_changes_nothing_else(tmp_path):
    from helpers.demo import generate as demo

    plain = demo.generate(tmp_path / "plain", seed=5, scale=0.005, workers=1, progress=False)
    both = demo.generate(tmp_path / "both", seed=5, scale=0.005, workers=1, progress=False, dtsen=True)
    assert "dtsen" not in plain and not plain["inputs"]["dtsen"]["files"] and not (tmp_path / "plain" / "dtsen").exists()
    with_dtsen = _files(tmp_path / "both")
    dtsen_files = {k for k in with_dtsen if k.startswith("dtsen/")}
    assert len(dtsen_files) == 21 and all(k.endswith(".csv") for k in dtsen_files)
    unchanged = {k: b for k, b in with_dtsen.items() if k not in dtsen_files and k != "demo_truth.json"}
    assert unchanged == {k: b for k, b in _files(tmp_path / "plain").items() if k != "demo_truth.json"}
    register = both["dtsen"]
    assert register["individu"] == sum(both["inputs"]["dtsen"]["files"].values()) > register["individu_p3ke"]
    assert register["individu_p3ke"] == both["p3ke"]["individu"]
    assert set(register["desil_kabupaten"]) == {str(d) for d in range(1, 11)}
    assert register["keluar_desil1_no"] and register["masuk_desil1_no"]
    assert not set(register["keluar_desil1_no"]) & set(register["masuk_desil1_no"])
    first = next(iter(sorted(dtsen_files)))
    assert with_dtsen[first].decode().splitlines()[0].count("|") == 15  # pipe-separated, 16 columns


@pytest.mark.slow
def test_demo_dtsen_reproduces_its_truth_through_the_pipeline(demo_dtsen, tmp_path):
    """Acceptance: the pipeline (notebooks 01-03 and the reports) with register = dtsen gives the truth's summary,
    the comparison lists exactly the movers out of and into desil 1, and the reports name DTSEN and show the counts
    without a full NIK."""
    import json
    import re

    from helpers import pipeline
    from helpers.statuses import perbandingan as pb

    truth = demo_dtsen["truth"]
    overrides = {"raw_dir": str(demo_dtsen["raw"]), "processed_dir": str(tmp_path / "processed"),
                 "reports_dir": str(tmp_path / "reports"), "report_date": truth["tanggal_laporan"],
                 "register": "dtsen", "kecamatan": "Mojoagung"}  # fmt: skip
    out_dir = pipeline.run(params.resolve(overrides=overrides))
    processed = tmp_path / "processed"
    summary = json.loads((processed / "summary.json").read_text())
    expected = truth["dtsen"]["expected"]["kabupaten"]
    for key in ("sasaran_sk", "keluar_desil1", "masih_desil1", "intervensi_optimal", "intervensi_belum_optimal",
                "belum_intervensi", "belum_optimal_masih_ada", "belum_optimal_meninggal", "padan"):  # fmt: skip
        assert summary[key] == expected[key], key
    assert summary["baris_masuk"]["dtsen"] == truth["dtsen"]["individu"]
    for row, want in zip(summary["per_kecamatan"], expected["per_kecamatan"]):
        assert (row["kode"], row["keluar_desil1"], row["masih_desil1"]) == (
            want["kode"], want["keluar_desil1"], want["masih_desil1"]
        )  # fmt: skip
    run = json.loads((processed / "parameter_run.json").read_text())
    assert (run["register"], run["desil_dtsen"], run["register_label"]) == ("dtsen", "kabupaten", "DTSEN 2025")
    no = pd.read_parquet(processed / "sk.parquet").set_index("id_sasaran")["no"].astype(int)
    written = pd.read_csv(catalog.PERBANDINGAN_CSV.at(processed), dtype=str)
    movers = written.assign(no=written["id_sasaran"].map(no))
    assert sorted(movers.loc[movers["perubahan"] == pb.KELUAR, "no"]) == truth["dtsen"]["keluar_desil1_no"]
    assert sorted(movers.loc[movers["perubahan"] == pb.MASUK, "no"]) == truth["dtsen"]["masuk_desil1_no"]
    shown = written["nik_tersamar"].dropna()
    assert len(shown) > 0.9 * len(written) and shown.str.fullmatch(r"\d{4}\*{10}\d{2}").all()
    report = (out_dir / "kecamatan" / "35.17.06_Mojoagung.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", report).split())
    assert "desil 1 DTSEN 2025" in text and "Perbandingan P3KE 2024 → DTSEN 2025" in text
    here = movers[movers["kode_kecamatan"] == "35.17.06"]
    keluar, masuk = int((here["perubahan"] == pb.KELUAR).sum()), int((here["perubahan"] == pb.MASUK).sum())
    assert keluar and masuk
    assert f"{keluar} jiwa masih di desil 1 P3KE 2024 tetapi sudah di luar desil 1 DTSEN 2025, dan {masuk} jiwa" in text
    assert not re.search(r"(?<!\d)3517\d{12}(?!\d)", report)  # no full NIK in a shared report
    assert (out_dir / "peta" / "kabupaten_masih_desil1.png").is_file()


# --------------------------------------------------------------------------- reports name the register


def test_report_texts_name_the_register():
    import dataclasses

    from helpers.publishing import charts, prose, report_figures, sections
    from helpers.publishing.report_data import ReportData

    p3ke = ReportData(run={"register": "p3ke", "register_label": "P3KE 2024"})
    dtsen = ReportData(run={"register": "dtsen", "register_label": "DTSEN 2025", "desil_dtsen": "provinsi"})
    assert report_figures.register_name(ReportData(run={})) == "P3KE 2024"  # a parameter_run.json written before the parameter
    assert prose.matching_text(p3ke).startswith("Setiap jiwa dalam SK Bupati dipadankan dengan data P3KE 2024: ")
    assert "desil 1 DTSEN 2025 yang **tidak**" in prose.exclusion_text(dtsen)
    assert '"masih di desil 1 DTSEN 2025"' in prose.context_text(label="DTSEN 2025")
    assert "Desil DTSEN yang dipakai: desil provinsi" in prose.definitions(
        dataclasses.replace(dtsen, run={**dtsen.run, "definisi_optimal": "x", "ambang_padan": 4, "ambang_tinjau": -6,
                                        "report_date": "2024-11-06"}))  # fmt: skip
    fig = {"sasaran_sk": 10, "keluar_desil1": 5, "masih_desil1": 4, "intervensi_optimal": 2,
           "intervensi_belum_optimal": 1, "belum_intervensi": 1, "belum_optimal_masih_ada": 1,
           "belum_optimal_meninggal": 0}  # fmt: skip
    chart = charts.funnel_chart(fig, "DTSEN 2025")
    assert chart.axes[0].get_title(loc="left") == "Hasil padu padan SK Bupati dengan DTSEN 2025"
    assert ("belum_padan", "Belum padan DTSEN", 1, "sasaran_sk") in report_figures.funnel_levels(fig, "DTSEN 2025")
    assert sections.comparison_section(p3ke) == ""


def test_map_texts_name_the_register():
    from helpers.publishing import maps

    assert maps.for_register(maps.SOURCE_DATA, "P3KE 2024") == maps.SOURCE_DATA
    assert maps.source_data() == maps.SOURCE_DATA.format(kepala="Bupati Jombang")
    assert maps.source_data("35.17", "DTSEN 2025").startswith("DTSEN 2025 (BPS), SK Bupati Jombang tentang")
    assert maps.source_data("35.78", "DTSEN 2025").startswith("DTSEN 2025 (BPS), SK Wali Kota Surabaya tentang")
    assert maps.for_register(maps.DEFINITION_NOTE, "DTSEN 2025") == (
        "Desil 1 DTSEN 2025 dipakai sebagai ukuran operasional kemiskinan ekstrem."
    )
    assert maps.for_register(maps.SPECS["masih_desil1"].judul, "DTSEN 2025").endswith("desil 1 DTSEN 2025")


def test_texts_of_another_kabupaten_carry_its_name_and_the_register():
    """Both the kabupaten/kota (``kode_kabupaten``) and the register label, in the same sentence where both occur."""
    from helpers.publishing import prose, sections
    from helpers.publishing.report_data import ReportData
    from helpers.statuses import perbandingan as pb

    frame = pd.DataFrame({"perubahan": [pb.KELUAR, pb.KELUAR, pb.MASUK, pb.TETAP_DESIL1]})
    data = ReportData(run={"register": "dtsen", "register_label": "DTSEN 2025", "desil_dtsen": "kabupaten"},
                      kode_kabupaten="35.07", perbandingan=frame)
    section = sections.comparison_section(data)
    assert "<h2>Perbandingan P3KE 2024 → DTSEN 2025</h2>" in section
    assert "Sasaran SK Bupati di Kabupaten Malang menurut desil 1 di kedua register: <b>2 jiwa</b>" in section
    assert "Jombang" not in section
    context = prose.context_text("35.07", "DTSEN 2025")
    assert '"masih di desil 1 DTSEN 2025"' in context and "praktik TKPK Kabupaten Malang." in context
    assert "Jombang" not in context
    assert prose.context_text() == prose.context_text("35.17", "P3KE 2024")  # the default wording, unchanged
