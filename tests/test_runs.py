"""A crash never leaves a mix: outputs are written atomically, stamped with one run id per pipeline run, and
reports and forms refuse to render from outputs of different runs. A step run alone refuses inputs made with
other parameters or from an older execution of the step before (runs.check_inputs)."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import small_world, write_world

from helpers import catalog, cleaning, outputs, params, pipeline, runs
from helpers.errors import InputError
from helpers.publishing import forms, render
from helpers.statuses import classify

REPORT = "2024-11-06"


@pytest.fixture
def base(tmp_path):
    raw = write_world(tmp_path / "raw", small_world())
    cleaning.clean_all(raw, tmp_path / "processed")
    classify.run_status(tmp_path / "processed", REPORT, raw_dir=raw)
    _maps(tmp_path)
    return tmp_path


def _parameters(base, **changed) -> dict:
    overrides = {"raw_dir": str(base / "raw"), "processed_dir": str(base / "processed"),
                 "reports_dir": str(base / "reports"), "report_date": REPORT, **changed}  # fmt: skip
    return params.resolve(overrides=overrides)


def _maps(base, **changed) -> None:
    """The maps step recorded as notebook 03 records it (no map is drawn: these tests are about the records)."""
    parameters = _parameters(base, **changed)
    with runs.recording_maps(parameters, params.report_dir(parameters) / "peta"):
        pass


def _cli_args(base, kecamatan: str = "Mojoagung") -> list[str]:
    return ["-p", "raw_dir", str(base / "raw"), "-p", "processed_dir", str(base / "processed"),
            "-p", "reports_dir", str(base / "reports"), "-p", "report_date", REPORT, "-p", "kecamatan", kecamatan]  # fmt: skip


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "tabel.parquet"
    outputs.write_parquet(pd.DataFrame({"a": [1, 2]}), path, "run-lama")

    def half_then_crash(table, where):
        where.write_bytes(b"PAR1 setengah")
        raise KeyboardInterrupt  # the run is killed while writing

    monkeypatch.setattr(pq, "write_table", half_then_crash)
    with pytest.raises(KeyboardInterrupt):
        outputs.write_parquet(pd.DataFrame({"a": [3]}), path, "run-baru")
    monkeypatch.undo()
    assert pd.read_parquet(path)["a"].tolist() == [1, 2] and outputs.parquet_run_id(path) == "run-lama"
    assert [p.name for p in tmp_path.iterdir()] == ["tabel.parquet"]  # no temporary file left behind


def test_one_run_id_from_cleaning_through_matching(base):
    processed = base / "processed"
    run_id = runs.check_consistent(processed)
    manifest = json.loads((processed / runs.MANIFEST_FILE).read_text())
    clean, match = manifest["langkah"][runs.CLEAN_STEP], manifest["langkah"][runs.MATCH_STEP]
    assert clean["run_id"] == match["run_id"] == match["run_id_pembersihan"] == run_id
    assert {"sk.parquet", "ringkasan_pembersihan.json", "tinjau/id_sasaran_bentrok.csv"} <= set(clean["file"])
    assert {"status_sasaran.parquet", "summary.json", "tinjau/padan_tidak_padan.csv"} <= set(match["file"])
    for name in ("sk.parquet", "p3ke_individu.parquet", "status_sasaran.parquet", "status_putaran.parquet"):
        assert outputs.parquet_run_id(processed / name) == run_id, name


def test_reports_refuse_outputs_of_two_runs_then_a_full_rerun_succeeds(base, capsys):
    """Killed during matching: cleaning rewrote its tables (new run id), matching never wrote."""
    processed = base / "processed"
    old = runs.check_consistent(processed)
    new = cleaning.clean_all(base / "raw", processed).run_id
    assert render.main(_cli_args(base)) == 2
    message = capsys.readouterr().err
    assert "dua run berbeda" in message and "Traceback" not in message
    assert f"run {new} (01_clean)" in message and f"run {old} (02_match)" in message
    assert "Jalankan ulang mulai dari 02_match: python -m helpers pipeline -p report_date 2024-11-06" in message
    assert not list(base.glob("reports/**/*.html"))
    assert forms.main(_cli_args(base, "")) == 2 and "dua run berbeda" in capsys.readouterr().err

    classify.run_status(processed, REPORT, raw_dir=base / "raw")  # the rest of a full rerun
    _maps(base)
    assert runs.check_consistent(processed) == new
    assert render.main(_cli_args(base)) == 0
    assert [p.name for p in base.glob("reports/**/kecamatan/*.html")] == ["35.17.06_Mojoagung.html"]
    assert (base / "reports" / "index.html").is_file()  # the index of report dates, rewritten by every run


def test_matching_killed_while_writing_is_refused(base, monkeypatch):
    processed = base / "processed"
    cleaning.clean_all(base / "raw", processed)
    real = outputs.write_json

    def crash_on_summary(data, path):
        if path.name == catalog.SUMMARY.name:
            raise KeyboardInterrupt
        return real(data, path)

    monkeypatch.setattr(outputs, "write_json", crash_on_summary)
    with pytest.raises(KeyboardInterrupt):
        classify.run_status(processed, REPORT)
    monkeypatch.undo()
    with pytest.raises(InputError, match="Langkah 02_match .* tidak selesai"):
        runs.check_consistent(processed)


def test_matching_refuses_an_unfinished_cleaning(base, monkeypatch):
    processed = base / "processed"
    real = outputs.write_json

    def crash_on_ringkasan(data, path):  # killed while writing its outputs (after the tables)
        if path.name == catalog.RINGKASAN.name:
            raise KeyboardInterrupt
        return real(data, path)

    monkeypatch.setattr(outputs, "write_json", crash_on_ringkasan)
    with pytest.raises(KeyboardInterrupt):
        cleaning.clean_all(base / "raw", processed)
    monkeypatch.undo()
    with pytest.raises(InputError, match="Langkah 01_clean .* tidak selesai"):
        classify.run_status(processed, REPORT)


def test_a_table_replaced_by_hand_is_refused(base):
    processed = base / "processed"
    outputs.write_parquet(pd.read_parquet(processed / "status_sasaran.parquet"), processed / "status_sasaran.parquet")
    with pytest.raises(InputError, match="status_sasaran.parquet bukan dari run"):
        runs.check_consistent(processed)


def test_outputs_without_a_manifest_are_refused(tmp_path):
    with pytest.raises(InputError, match="tidak mencatat langkah 01_clean"):
        runs.check_consistent(tmp_path)


# --------------------------------------------------------------------------- one step at a time (runs.check_inputs)


def test_inputs_of_the_same_run_and_parameters_are_accepted(base):
    run_id = runs.check_consistent(base / "processed")
    for step in ("02_match", "03_map", "04_report.ipynb"):
        assert runs.check_inputs(step, _parameters(base)) == run_id
    assert runs.check_inputs("01_clean", _parameters(base)) is None
    manifest = json.loads((base / "processed" / runs.MANIFEST_FILE).read_text())["langkah"]
    assert manifest["02_match"]["parameter"] == {"report_date": REPORT, "ambang_padan": 4.0, "ambang_tinjau": -6.0,
                                                 "min_strategi": 2, "register": "p3ke", "desil_dtsen": None,
                                                 "kode_kabupaten": "35.17", "raw_dir": str((base / "raw").resolve()),
                                                 "tanggal_target": "2024-11-30"}  # fmt: skip
    assert manifest["03_map"]["masukan"] == {step: manifest[step]["eksekusi"] for step in ("01_clean", "02_match")}


def test_a_report_with_another_report_date_alone_is_refused_naming_it(base):
    """The issue's case: 04 with a new report_date alone rendered "Keadaan per 20 Oktober 2024" over the
    6 November figures."""
    with pytest.raises(InputError) as info:
        runs.check_inputs("04_report", _parameters(base, report_date="2024-10-20"))
    message = str(info.value)
    assert "- report_date: 02_match dan 03_map memakai 2024-11-06, sekarang 2024-10-20" in message
    assert "Jalankan ulang mulai dari 02_match dengan parameter ini: python -m helpers pipeline --langkah 02_match " \
           "-p report_date 2024-10-20" in message


def test_explicit_parameters_of_another_step_are_compared_and_each_difference_named(base):
    changed = _parameters(base, ambang_padan="5", min_strategi="3", register="dtsen")
    assert runs.check_inputs("04_report", changed) == runs.check_consistent(base / "processed")  # not 04's own
    with pytest.raises(InputError) as info:
        runs.check_inputs("04_report", changed, given=["ambang_padan", "min_strategi", "register"])
    lines = [line for line in str(info.value).splitlines() if line.startswith("- ")]
    assert lines == ["- ambang_padan: 02_match memakai 4.0, sekarang 5.0", "- min_strategi: 02_match memakai 2, sekarang 3",
                     "- register: 02_match memakai p3ke, sekarang dtsen"]  # fmt: skip


def test_matching_refuses_a_cleaning_of_other_raw_data_or_another_kabupaten(base, tmp_path_factory):
    other = write_world(tmp_path_factory.mktemp("lain") / "raw", small_world())
    with pytest.raises(InputError, match=r"- raw_dir: 01_clean memakai .*, sekarang .*lain"):
        runs.check_inputs("02_match", _parameters(base, raw_dir=str(other)))
    with pytest.raises(InputError, match="- kode_kabupaten: 01_clean dan 02_match memakai 35.17, sekarang 35.07"):
        runs.check_inputs("03_map", _parameters(base, kode_kabupaten="35.07"))


def test_maps_of_an_older_matching_are_refused(base):
    classify.run_status(base / "processed", REPORT, ambang_padan=6, raw_dir=base / "raw")  # --langkah 02_match
    assert runs.check_inputs("03_map", _parameters(base, ambang_padan="6"), given=["ambang_padan"])
    with pytest.raises(InputError, match="Hasil langkah 03_map \\(peta\\) dibuat dari hasil 02_match sebelumnya"):
        runs.check_inputs("04_report", _parameters(base))
    _maps(base)  # --langkah 03_map
    assert runs.check_inputs("04_report", _parameters(base))


def test_maps_of_one_kecamatan_serve_only_its_report(base):
    _maps(base, kecamatan="Mojo Agung")
    assert runs.check_inputs("04_report", _parameters(base, kecamatan="35.17.06"))
    with pytest.raises(InputError, match=r"- kecamatan: 03_map memakai 35.17.06, sekarang \(seluruh kabupaten/kota\)"):
        runs.check_inputs("04_report", _parameters(base))


def test_maps_drawn_for_another_report_folder_are_refused(base):
    with pytest.raises(InputError, match="Peta data olahan ini dibuat di .*reports/2024-11-06/peta, bukan di"):
        runs.check_inputs("04_report", _parameters(base, reports_dir=str(base / "laporan_lain")))


def test_outputs_recorded_before_parameters_were_recorded_are_refused(base):
    path = base / "processed" / runs.MANIFEST_FILE
    manifest = json.loads(path.read_text())
    del manifest["langkah"]["02_match"]["parameter"]
    path.write_text(json.dumps(manifest))
    with pytest.raises(InputError, match="Langkah 02_match tidak mencatat parameternya .* versi lama"):
        runs.check_inputs("03_map", _parameters(base))


def test_one_step_from_the_command_line_refuses_with_exit_code_2(base, capsys):
    args = ["--langkah", "04_report", "-p", "raw_dir", str(base / "raw"), "-p", "processed_dir", str(base / "processed"),
            "-p", "reports_dir", str(base / "reports"), "-p", "report_date", "2024-10-20"]  # fmt: skip
    assert pipeline.main(args) == 2
    err = capsys.readouterr().err
    assert "report_date: 02_match dan 03_map memakai 2024-11-06, sekarang 2024-10-20" in err and "Traceback" not in err
    assert render.main(args[2:]) == 2 and "sekarang 2024-10-20" in capsys.readouterr().err
    assert not list(base.glob("reports/**/*.html"))
