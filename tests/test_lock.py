"""One run at a time per processed folder (helpers.lock): a second run refuses at once naming the folder and the run
holding it; a run killed with SIGKILL leaves a lock the next run takes over; reports and forms respect the lock."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import pipeline_args, run_cli, start_cli

from helpers import lock
from helpers.errors import InputError
from helpers.publishing import forms, render

#: Holds the lock of a folder until killed (prints once it holds it).
HOLDER = (
    "import sys, time\nfrom helpers import lock\n"
    "with lock.hold(sys.argv[1]):\n    print('pegang', flush=True)\n    time.sleep(600)\n"
)


def _holder(folder: Path) -> subprocess.Popen:
    from helpers.config import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout.readline().strip() == "pegang"
    return process


def _kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def test_the_lock_is_reentrant_in_one_process_and_leaves_no_holder_file(tmp_path):
    with lock.hold(tmp_path / "olahan") as folder:
        info = json.loads((folder / lock.HOLDER_FILE).read_text())
        assert info["pid"] == os.getpid() and info["mulai"] and info["perintah"]
        with lock.hold(folder):  # a pipeline run renders its reports under the lock it holds
            pass
        assert (folder / lock.HOLDER_FILE).is_file()  # still held by the outer block
    assert not (folder / lock.HOLDER_FILE).exists() and (folder / lock.LOCK_FILE).is_file()


def test_a_second_process_is_refused_at_once_naming_the_folder_and_the_holder(tmp_path):
    folder = tmp_path / "olahan"
    holder = _holder(folder)
    try:
        started = time.monotonic()
        with pytest.raises(InputError) as error:
            with lock.hold(folder):
                pass
        assert time.monotonic() - started < 2  # no waiting
    finally:
        _kill(holder)
    message = str(error.value)
    assert f"Folder data olahan {folder} sedang dipakai oleh run lain" in message
    assert f"proses {holder.pid}" in message and "-c" in message  # the holder's command line


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path):
    folder = tmp_path / "olahan"
    holder = _holder(folder)
    _kill(holder)  # SIGKILL: no clean-up ran, the holder file is still there
    assert lock.holder(folder)["pid"] == holder.pid
    with lock.hold(folder):
        assert lock.holder(folder)["pid"] == os.getpid()


def test_reports_and_forms_refuse_while_a_run_holds_the_folder(tmp_path, capsys):
    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / "status_sasaran.parquet").write_bytes(b"")  # present: the commands get as far as the lock
    args = ["-p", "processed_dir", str(processed), "-p", "reports_dir", str(tmp_path / "reports")]
    holder = _holder(processed)
    try:
        assert render.main(args) == 2
        assert f"Folder data olahan {processed} sedang dipakai" in capsys.readouterr().err
        assert forms.main(args) == 2
        assert f"Folder data olahan {processed} sedang dipakai" in capsys.readouterr().err
    finally:
        _kill(holder)
    assert not (tmp_path / "reports").exists()


def _wait_for(path: Path, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.is_file():
        assert process.poll() is None, process.communicate()[1][-3000:]
        assert time.monotonic() < deadline, f"{path} tidak muncul"
        time.sleep(0.2)


def _summary(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_two_runs_five_seconds_apart_the_second_refuses_and_the_first_equals_a_run_alone(demo_alone, tmp_path):
    args = pipeline_args(demo_alone["raw"], tmp_path)
    first = start_cli(*args)
    started = time.monotonic()
    try:
        _wait_for(tmp_path / "processed" / lock.HOLDER_FILE, first)  # the first run holds the folder
        time.sleep(max(0.0, 5 - (time.monotonic() - started)))
        began = time.monotonic()
        second = run_cli(*args, timeout=60)
        took = time.monotonic() - began
        _, err = first.communicate(timeout=1800)
    finally:
        if first.poll() is None:
            _kill(first)
    assert second.returncode == 2 and took < 30, (second.returncode, took, second.stderr[-2000:])
    assert f"Folder data olahan {tmp_path / 'processed'} sedang dipakai" in second.stderr
    assert f"proses {first.pid}" in second.stderr and "Traceback" not in second.stderr
    assert first.returncode == 0, err[-3000:]
    summary = _summary(tmp_path / "processed" / "summary.json")
    assert summary == demo_alone["summary"]
    assert _summary(tmp_path / "reports" / "2024-11-06" / "summary.json") == demo_alone["summary"]
    assert not (tmp_path / "processed" / lock.HOLDER_FILE).exists()


@pytest.mark.slow
def test_a_run_killed_with_sigkill_leaves_a_lock_the_next_run_takes_over(demo_alone, tmp_path):
    shutil.copytree(demo_alone["processed"], tmp_path / "processed")  # a folder with a good run, then a killed one
    args = pipeline_args(demo_alone["raw"], tmp_path)
    killed = start_cli(*args)
    _wait_for(tmp_path / "processed" / lock.HOLDER_FILE, killed)
    time.sleep(3)  # inside the cleaning
    _kill(killed)
    assert lock.holder(tmp_path / "processed")["pid"] == killed.pid  # left behind
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr[-3000:]
    assert _summary(tmp_path / "processed" / "summary.json") == demo_alone["summary"]
    assert not (tmp_path / "processed" / lock.HOLDER_FILE).exists()
