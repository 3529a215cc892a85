"""Stable identities: ``id_sasaran`` derives from the person, so an amended SK (a row removed, a row added, rows
reordered) leaves every other person's id, status and verification-form row unchanged."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ID_KEY, make_nik, raw_frame, write_world
from test_statuses import status_world

from helpers import cleaning
from helpers.cleaning import ids
from helpers.cleaning.inputs import clean_frame
from helpers.publishing import forms
from helpers.reading import contract, readers
from helpers.statuses import classify

REPORT = "2024-11-06"
NEW_PERSON = {"No": "99", "NIK": make_nik(serial=99), "Nama": "Hana Baru", "Kecamatan": "Mojoagung",
              "Desa/Kelurahan": "Mancilan"}  # fmt: skip
BY_NAME = {"No": "9", "NIK": "3.51706E+15", "Nama": "Hadi Sunarto", "Kecamatan": "Mojoagung",
           "Desa/Kelurahan": "Mancilan", "Tanggal Lahir": "1960-01-02"}  # fmt: skip


def _run(tmp_path, name: str, sk_rows: list[dict]) -> dict:
    world = status_world()
    world["sk"] = sk_rows
    processed = tmp_path / name / "processed"
    cleaning.clean_all(write_world(tmp_path / name / "raw", world), processed)
    classify.run_status(processed, REPORT)
    status = pd.read_parquet(processed / "status_sasaran.parquet")
    written = forms.write_forms(status, tmp_path / name / "formulir", REPORT, progress=False)
    rows = pd.concat([readers.read_file(p, contract.VERIFIKASI) for p in written], ignore_index=True)
    rows = rows.rename(columns=contract.COLUMN_NAMES)
    return {"sk": pd.read_parquet(processed / "sk.parquet"), "status": status.set_index("id_sasaran"), "forms": rows}


def test_amended_sk_keeps_every_other_persons_id_status_and_form_row(tmp_path):
    original = [*status_world()["sk"], BY_NAME]
    before = _run(tmp_path, "sebelum", original)
    after = _run(tmp_path, "sesudah", [*original[1:], NEW_PERSON])
    removed_nik, new_nik = original[0]["NIK"], NEW_PERSON["NIK"]

    old_ids = dict(zip(before["sk"]["no"], before["sk"]["id_sasaran"]))
    new_ids = dict(zip(after["sk"]["no"], after["sk"]["id_sasaran"]))
    assert {no: new_ids[no] for no in old_ids if no != "1"} == {no: i for no, i in old_ids.items() if no != "1"}
    assert old_ids["9"] == new_ids["9"]  # the person identified by name, desa and birth date (NIK unusable)

    kept = [i for i in before["status"].index if i != old_ids["1"]]
    pd.testing.assert_frame_equal(after["status"].loc[kept], before["status"].loc[kept])
    assert set(after["status"].index) - set(kept) == {new_ids["99"]}

    columns = [c for c in before["forms"].columns if c != "baris_sumber"]
    old_rows = before["forms"].loc[before["forms"]["nik"].ne(removed_nik).fillna(True), columns]  # no NIK: kept
    new_rows = after["forms"].loc[after["forms"]["nik"].ne(new_nik).fillna(True), columns]
    assert len(old_rows) == len(before["forms"]) - 1  # the removed person was on a form
    pd.testing.assert_frame_equal(
        old_rows.sort_values("nik", ignore_index=True), new_rows.sort_values("nik", ignore_index=True)
    )


def test_ids_do_not_depend_on_row_order_file_or_sheet():
    rows = status_world()["sk"]
    first = clean_frame(raw_frame("sk", rows), contract.SK, key=ID_KEY).data
    shuffled = clean_frame(raw_frame("sk", rows[::-1], sumber_file="lain.xlsx [Perak]"), contract.SK, key=ID_KEY).data
    assert dict(zip(first["no"], first["id_sasaran"])) == dict(zip(shuffled["no"], shuffled["id_sasaran"]))
    assert first["id_sasaran"].str.fullmatch(ids.PATTERN).all()
    assert not any(str(n) in i for n in first["nik"].dropna() for i in first["id_sasaran"])


def test_collisions_are_suffixed_in_reading_order_and_listed_masked(tmp_path):
    nik = make_nik(serial=7)
    rows = [
        {"No": "1", "NIK": nik, "Nama": "Siti", "Kecamatan": "Mojoagung", "Desa/Kelurahan": "Mancilan"},
        {"No": "2", "NIK": nik, "Nama": "Siti Aminah", "Kecamatan": "Mojoagung", "Desa/Kelurahan": "Mancilan"},
        {"No": "1", "NIK": nik, "Nama": "Siti", "Kecamatan": "Mojoagung", "Desa/Kelurahan": "Mancilan"},  # exact dup
    ]
    result = clean_frame(raw_frame("sk", rows), contract.SK, key=ID_KEY)
    assert result.baris_duplikat == 1 and result.baris_bersih == 2  # exact duplicates: dropped and counted, as before
    first, second = result.data["id_sasaran"]
    assert second == first + "-2"
    listed = ids.collisions(result.data)
    assert listed["id_sasaran"].tolist() == [first, second] and set(listed["id_dasar"]) == {first}
    assert listed["kunci"].tolist() == [ids.KEY_NIK] * 2
    assert not listed["nik_tersamar"].str.contains(nik).any()


@pytest.mark.parametrize("missing_birth", [True, False])
def test_name_route_uses_desa_and_birth_date(missing_birth):
    row = {**BY_NAME, "Tanggal Lahir": None if missing_birth else BY_NAME["Tanggal Lahir"]}
    other_desa = {**row, "Kecamatan": "Jogoroto", "Desa/Kelurahan": "Sumbermulyo"}
    data = clean_frame(raw_frame("sk", [row, other_desa]), contract.SK, key=ID_KEY).data
    assert data["id_sasaran"].nunique() == 2 and data["id_sasaran"].str.fullmatch(r"SK-[0-9a-f]{10}").all()
