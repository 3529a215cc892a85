"""Exit codes and messages of every command (helpers.cli.guarded): 0 success, 2 bad input or a bad parameter (also
raised inside a notebook), 1 a fault of the machine (no permission, disk full) or a failed notebook; an Indonesian
message naming the file and what to do, never a traceback."""

from __future__ import annotations

import errno

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers import cli
from helpers.errors import InputError, NotebookFailed, NotebookInputError, describe_fault_text
from helpers.execution import run_notebook


def _exit(capsys, error: BaseException) -> tuple[int, str]:
    def action():
        raise error

    code = cli.guarded(action)
    return code, capsys.readouterr().err


def test_success_and_bad_input(capsys):
    assert cli.guarded(lambda: "Selesai.") == 0
    assert _exit(capsys, InputError("Kolom NIK tidak ada di file x.xlsx"))[0] == 2
    assert _exit(capsys, NotebookInputError("Notebook 01_clean.ipynb berhenti di sel ke-4:\nSK kosong"))[0] == 2
    assert _exit(capsys, NotebookFailed("Notebook 02_match.ipynb gagal di sel ke-3: ValueError: x"))[0] == 1


def test_disk_full_names_the_file_and_what_to_do(capsys):
    code, err = _exit(capsys, OSError(errno.ENOSPC, "No space left on device", "/data/processed/sk.parquet"))
    assert code == 1 and "Traceback" not in err
    assert "Disk penuh saat menulis file /data/processed/sk.parquet" in err and "Kosongkan ruang disk" in err


def test_no_permission_names_the_file_and_what_to_do(capsys):
    code, err = _exit(capsys, PermissionError(errno.EACCES, "Permission denied", "/data/processed/summary.json"))
    assert code == 1
    assert "Tidak ada izin untuk membaca atau menulis file /data/processed/summary.json" in err
    assert "Periksa hak akses folder itu" in err and "PermissionError" not in err


def test_a_fault_without_a_file_name_still_says_what_happened(capsys):
    code, err = _exit(capsys, OSError("[Errno 28] Error writing bytes to file. Detail: [errno 28] No space left"))
    assert code == 1 and "Disk penuh" in err


def test_a_fault_reported_by_a_notebook_is_described_in_indonesian():
    text = describe_fault_text("OSError", "[Errno 28] No space left on device: '/x/processed/intervensi.parquet'")
    assert text.startswith("Disk penuh saat menulis file /x/processed/intervensi.parquet")
    text = describe_fault_text("PermissionError", "[Errno 13] Permission denied: '/x/processed/run.json'")
    assert "Tidak ada izin" in text and "/x/processed/run.json" in text


def test_an_input_error_in_a_notebook_run_in_process_is_bad_input(tmp_path):
    """Every step runs in process (helpers.execution): an InputError in a cell is bad input (exit 2), a fault of the
    machine names its file (exit 1)."""
    _notebook(tmp_path, "masukan.ipynb", "from helpers.errors import InputError\nraise InputError('Tabel tidak ada')")
    with pytest.raises(InputError, match="Tabel tidak ada") as failure:
        run_notebook("masukan.ipynb", {"x": 2}, notebooks_dir=tmp_path)
    assert isinstance(failure.value, NotebookFailed)
    _notebook(tmp_path, "izin.ipynb", "import errno\nraise PermissionError(errno.EACCES, 'Permission denied', '/r/x.html')")
    with pytest.raises(NotebookFailed) as failure:
        run_notebook("izin.ipynb", {"x": 2}, notebooks_dir=tmp_path)
    assert not isinstance(failure.value, InputError) and "Tidak ada izin" in str(failure.value)
    assert "/r/x.html" in str(failure.value)


def _notebook(folder, name, code):
    nb = new_notebook(cells=[new_code_cell("x = 1", metadata={"tags": ["parameters"]}), new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / name)


@pytest.mark.parametrize(
    "code, expected, shown",
    [
        ("from helpers.errors import InputError\nraise InputError('Daftar SK kosong')", 2, "Daftar SK kosong"),
        ("raise PermissionError(13, 'Permission denied', '/data/processed/sk.parquet')", 1,
         "Tidak ada izin untuk membaca atau menulis file /data/processed/sk.parquet"),
        ("raise ValueError('angka salah')", 1, "ValueError: angka salah"),
    ],
)  # fmt: skip
def test_a_notebook_cell_error_gives_the_exit_code_of_its_kind(tmp_path, capsys, code, expected, shown):
    _notebook(tmp_path, "uji.ipynb", code)
    status = cli.guarded(lambda: run_notebook("uji.ipynb", {"x": 2}, tmp_path / "out.ipynb", notebooks_dir=tmp_path))
    err = capsys.readouterr().err
    assert status == expected and shown in err and "Traceback" not in err
