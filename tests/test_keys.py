"""The pseudonym key: created once (mode 600, folder 700), the same key gives the same ids, another key other ids,
and a run never renumbers silently (another key, a lost key, outputs that do not say which key made them)."""

from __future__ import annotations

import hashlib
import json
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from conftest import ID_KEY, make_nik, raw_frame, small_world, write_world

from helpers import catalog, cleaning, keys, runs
from helpers.cleaning import ids
from helpers.cleaning.inputs import clean_frame
from helpers.errors import InputError
from helpers.reading import contract


def _clean(tmp_path, raw, name: str, kunci) -> pd.Series:
    """Clean ``raw`` into ``tmp_path/name`` under the key folder ``kunci``; the SK ids by row number."""
    processed = tmp_path / name
    cleaning.clean_all(raw, processed, kunci_dir=kunci)
    sk = pd.read_parquet(catalog.SK.at(processed))
    return sk.set_index("no")["id_sasaran"]


def test_first_run_creates_a_private_key_and_says_where_and_to_back_it_up(tmp_path, capsys):
    kunci = tmp_path / "kunci"
    raw = write_world(tmp_path / "raw", small_world())
    cleaning.clean_all(raw, tmp_path / "olahan", kunci_dir=kunci)
    path = kunci / keys.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(kunci.stat().st_mode) == 0o700
    out = capsys.readouterr().out
    assert str(path) in out and "SIMPAN CADANGANNYA" in out
    key = keys.read_key(kunci)
    assert len(key) == keys.KEY_BYTES
    # the fingerprint is recorded with the outputs, and reveals nothing of the key
    entry = runs.read_manifest(tmp_path / "olahan")["langkah"][runs.CLEAN_STEP]
    assert entry[keys.FINGERPRINT_FIELD] == keys.fingerprint(key) and key.hex() not in json.dumps(entry)
    # a second run finds the key and says nothing
    cleaning.clean_all(raw, tmp_path / "olahan", kunci_dir=kunci)
    assert "Kunci id_sasaran baru" not in capsys.readouterr().out


def test_same_key_same_ids_another_key_changes_every_id(tmp_path):
    raw = write_world(tmp_path / "raw", small_world())
    first = _clean(tmp_path, raw, "satu", tmp_path / "kunci_a")
    again = _clean(tmp_path, raw, "dua", tmp_path / "kunci_a")
    other = _clean(tmp_path, raw, "tiga", tmp_path / "kunci_b")
    pd.testing.assert_series_equal(first, again)
    assert len(first) == 6 and (first != other.reindex(first.index)).all()  # every SK row is placed
    assert other.str.fullmatch(ids.PATTERN).all()


def test_ids_are_keyed_not_a_plain_digest_of_the_nik():
    rows = small_world()["sk"][:2]
    sk = clean_frame(raw_frame("sk", rows), contract.SK, key=ID_KEY).data
    plain = ["SK-" + hashlib.sha256(f"id_sasaran|nik:{n}".encode()).hexdigest()[:10] for n in sk["nik"]]
    assert not set(plain) & set(sk["id_sasaran"])  # the old, reversible id
    other = clean_frame(raw_frame("sk", rows), contract.SK, key=bytes(32)).data
    assert not set(other["id_sasaran"]) & set(sk["id_sasaran"])


def test_another_key_stops_before_anything_is_renumbered(tmp_path):
    raw = write_world(tmp_path / "raw", small_world())
    processed = tmp_path / "olahan"
    _clean(tmp_path, raw, "olahan", tmp_path / "kunci_a")
    before = (processed / runs.MANIFEST_FILE).read_bytes(), catalog.SK.at(processed).read_bytes()
    keys.create_key(tmp_path / "kunci_b")
    with pytest.raises(InputError) as error:
        cleaning.clean_all(raw, processed, kunci_dir=tmp_path / "kunci_b")
    message = str(error.value)
    assert "bukan kunci yang membuat data olahan" in message
    assert keys.fingerprint(keys.read_key(tmp_path / "kunci_a")) in message
    assert keys.fingerprint(keys.read_key(tmp_path / "kunci_b")) in message
    assert ((processed / runs.MANIFEST_FILE).read_bytes(), catalog.SK.at(processed).read_bytes()) == before


def test_a_lost_key_where_outputs_exist_stops_and_creates_no_key(tmp_path):
    raw = write_world(tmp_path / "raw", small_world())
    kunci = tmp_path / "kunci"
    _clean(tmp_path, raw, "olahan", kunci)
    (kunci / keys.KEY_FILE).unlink()
    with pytest.raises(InputError, match="tidak ditemukan.*cadangan"):
        cleaning.clean_all(raw, tmp_path / "olahan", kunci_dir=kunci)
    assert not (kunci / keys.KEY_FILE).exists()


def test_outputs_without_a_recorded_key_stop_too(tmp_path):
    """Outputs of the unkeyed version (no fingerprint in run.json): the ids would all change, so the run stops."""
    raw = write_world(tmp_path / "raw", small_world())
    processed = tmp_path / "olahan"
    _clean(tmp_path, raw, "olahan", tmp_path / "kunci")
    manifest = runs.read_manifest(processed)
    del manifest["langkah"][runs.CLEAN_STEP][keys.FINGERPRINT_FIELD]
    (processed / runs.MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(InputError, match="tidak mencatat kunci"):
        cleaning.clean_all(raw, processed, kunci_dir=tmp_path / "kunci")
    # moving the old outputs away is the documented fresh start
    processed.rename(tmp_path / "olahan_lama")
    cleaning.clean_all(raw, processed, kunci_dir=tmp_path / "kunci")


def test_damaged_key_file_is_a_clear_error(tmp_path):
    (tmp_path / keys.KEY_FILE).write_text("bukan kunci\n")
    with pytest.raises(InputError, match="rusak"):
        keys.read_key(tmp_path)


def _create(folder: str) -> bytes:
    return keys.create_key(folder)


def test_two_processes_creating_the_key_at_once_get_the_same_key(tmp_path):
    """The province run cleans two kabupaten/kota at once: never two keys."""
    with ProcessPoolExecutor(max_workers=2) as pool:
        made = list(pool.map(_create, [str(tmp_path / "kunci")] * 4))
    assert len(set(made)) == 1 and made[0] == keys.read_key(tmp_path / "kunci")
    assert [p.name for p in (tmp_path / "kunci").iterdir()] == [keys.KEY_FILE]  # no temporary file left


def test_the_parameter_and_the_notebook_default(tmp_path):
    from helpers import params
    from helpers.config import KUNCI_DIR, ROOT

    assert params.resolve(overrides={"kunci_dir": "data/kunci"})["kunci_dir"] == str(KUNCI_DIR)
    assert params.resolve(overrides={"kunci_dir": str(tmp_path)})["kunci_dir"] == str(tmp_path)
    # empty means the default, as for every parameter (here the session's temporary key folder, never "")
    assert params.resolve(overrides={"kunci_dir": ""})["kunci_dir"] == str(Path(params.DEFAULTS["kunci_dir"]).resolve())
    assert "/data/kunci/" in (ROOT / ".gitignore").read_text().splitlines()


def test_cleaning_notebook_takes_the_key_folder_with_the_parameters_default():
    import papermill

    from helpers import params, pipeline
    from helpers.config import KUNCI_DIR, NOTEBOOKS_DIR

    declared = papermill.inspect_notebook(str(NOTEBOOKS_DIR / "01_clean.ipynb"))
    assert "kunci_dir" in dict(pipeline.STEPS)["01_clean.ipynb"] and "kunci_dir" in declared
    # the cell's default is the default of params (which this test session points at a temporary folder)
    assert params.resolve_path(declared["kunci_dir"]["default"].strip("\"'")) == KUNCI_DIR


# --------------------------------------------------------------------------- collisions


def _digit_only_rows(count: int) -> list[dict]:
    """SK rows with distinct NIKs whose id under ID_KEY is made of digits only (``SK-5303895419``)."""
    found = []
    for serial in range(1, 20000):
        nik = make_nik(serial=serial)
        frame = pd.DataFrame({"nik": [nik], "nik_status": ["valid"], "nama_kunci": ["X"], "kode_desa": ["x"],
                              "tanggal_lahir": pd.to_datetime([None])})  # fmt: skip
        if ids.base_ids(frame, ID_KEY).iloc[0][3:].isdigit():
            found.append({"No": str(serial), "NIK": nik, "Nama": f"Warga {serial}", "Kecamatan": "Mojoagung",
                          "Desa/Kelurahan": "Mancilan"})  # fmt: skip
            if len(found) == count:
                return found
    raise AssertionError("no digit-only ids found")


def test_base_of_keeps_a_digest_made_only_of_digits():
    given = pd.Series(["SK-5303895419", "SK-5303895419-2", "SK-0a1b2c3d4e-3", "SK-0a1b2c3d4e"], dtype="string")
    assert ids.base_of(given).tolist() == ["SK-5303895419", "SK-5303895419", "SK-0a1b2c3d4e", "SK-0a1b2c3d4e"]


def test_digit_only_ids_are_not_counted_as_collisions():
    rows = _digit_only_rows(2)
    result = clean_frame(raw_frame("sk", rows), contract.SK, key=ID_KEY)
    assert result.data["id_sasaran"].str.fullmatch(r"SK-\d{10}").all()
    assert result.perbaikan["id_sasaran_bentrok"] == 0
    assert ids.collisions(result.data).empty
    # a real collision next to them is still counted once and listed twice
    twice = [*rows, {**rows[0], "Nama": "Warga Lain"}]
    result = clean_frame(raw_frame("sk", twice), contract.SK, key=ID_KEY)
    assert result.perbaikan["id_sasaran_bentrok"] == 1 and len(ids.collisions(result.data)) == 2
