"""A run without ``report_date`` takes the latest date of the intervention and verification data (never a date
after today), a step that presents a run takes that run's date, and each says so in its first line."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import write_world

from helpers import params, pipeline, report_date
from helpers.errors import InputError


def _parameters(raw, tmp_path, **extra) -> dict:
    return params.resolve(overrides={"raw_dir": str(raw), "processed_dir": str(tmp_path / "processed"),
                                     "reports_dir": str(tmp_path / "reports"), **extra})  # fmt: skip


def test_the_latest_date_not_after_today_of_interventions_and_verifications(tmp_path, world):
    # a camat typed 2030 for 2024 (a mistyped year) and an OPD wrote an Excel serial: neither may become the date
    world["verifikasi"].append({"NIK": world["sk"][0]["NIK"], "Status Keberadaan": "Ada", "Tanggal Verifikasi": "06/11/2030"})
    world["intervensi"].append(dict(world["intervensi"][0], **{"Tanggal Intervensi": "45603"}))  # 2024-11-07
    raw = write_world(tmp_path / "raw", world)
    assert report_date.latest_record_date(raw, today=dt.date(2026, 12, 4)) == dt.date(2024, 11, 7)
    assert report_date.latest_record_date(raw, today=dt.date(2024, 11, 6)) == dt.date(2024, 11, 5)  # verification
    assert report_date.latest_record_date(raw, today=dt.date(2024, 1, 1)) is None


def test_a_given_date_is_kept_and_no_date_anywhere_is_refused(tmp_path, world):
    raw = write_world(tmp_path / "raw", world)
    given = _parameters(raw, tmp_path, report_date="2024-10-20")
    assert report_date.settle(given) == (given, None)
    with pytest.raises(InputError, match="tidak memuat satu tanggal pun"):
        report_date.settle(_parameters(raw, tmp_path), today=dt.date(2024, 1, 1))
    with pytest.raises(InputError, match="tidak mencatat langkah 01_clean"):  # a report of no run: say what to run
        report_date.settle(_parameters(raw, tmp_path), params.REPORT)


def test_a_run_without_a_date_says_which_date_it_took_in_its_first_line(tmp_path, world, capsys):
    raw = write_world(tmp_path / "raw", world)
    base = ["-p", "raw_dir", str(raw), "-p", "processed_dir", str(tmp_path / "processed"),
            "-p", "reports_dir", str(tmp_path / "reports")]  # fmt: skip
    for step in (params.CLEAN, params.MATCH):
        assert pipeline.main(["--langkah", step, *base]) == 0, capsys.readouterr().err[-2000:]
        first = capsys.readouterr().out.splitlines()[0]
        assert first.startswith("Tanggal laporan: 2024-11-05 (tidak diberikan; tanggal terakhir di data intervensi")
        assert (tmp_path / "reports" / "2024-11-05" / "notebook" / f"{step}.ipynb").is_file()
    # the maps, reports and forms continue the run in the processed folder: its date, said so
    settled, line = report_date.settle(_parameters(raw, tmp_path), params.MAP)
    assert settled["report_date"] == "2024-11-05"
    assert line.startswith(f"Tanggal laporan: 2024-11-05 (tidak diberikan; tanggal run terakhir di {tmp_path / 'processed'})")
