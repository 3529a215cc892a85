"""A crash never leaves a mix: outputs are written atomically, stamped with one run id per pipeline run, and
reports and forms refuse to render from outputs of different runs."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import small_world, write_world

from helpers import catalog, outputs, runs
from helpers.cleaning import tables as cleaning
from helpers.errors import InputError
from helpers.publishing import forms, render
from helpers.statuses import classify

REPORT = "2024-11-06"


@pytest.fixture
def base(tmp_path):
    raw = write_world(tmp_path / "raw", small_world())
    cleaning.clean_all(raw, tmp_path / "processed")
    classify.run_status(tmp_path / "processed", REPORT)
    return tmp_path


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

    classify.run_status(processed, REPORT)  # the rest of a full rerun
    assert runs.check_consistent(processed) == new
    assert render.main(_cli_args(base)) == 0
    assert [p.name for p in base.glob("reports/**/*.html")] == ["35.17.06_Mojoagung.html"]


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
