"""Verification records: status labels and the latest status per NIK (synthetic frames only)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.statuses import verifikasi as v

REPORT = "2024-11-06"
NIK_A = "3517061203850001"
NIK_B = "3517065507900002"
NIK_C = "3517180101600003"


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Cleaned verification rows: (nik, status code, date, file, row[, kondisi])."""
    records = []
    for row in rows:
        nik, status, date, file, line, *rest = row
        records.append(
            {
                "nik": nik,
                "status_keberadaan": status,
                "tanggal_verifikasi": pd.Timestamp(date) if date else pd.NaT,
                "kondisi": rest[0] if rest else pd.NA,
                "keterangan": pd.NA,
                "petugas": "Budi",
                "sumber_file": file,
                "baris_sumber": line,
            }
        )
    out = pd.DataFrame(records)
    return out.astype({"nik": "string", "status_keberadaan": "string", "sumber_file": "string", "baris_sumber": "Int64"})


def status_of(per_nik: pd.DataFrame) -> dict[str, str]:
    return dict(zip(per_nik["nik"], per_nik["status_keberadaan"]))


# --- labels ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, code",
    [
        ("Ada", "ada"),
        (" ada ", "ada"),
        ("MENINGGAL", "meninggal"),
        ("Meninggal Dunia", "meninggal"),
        ("Pindah", "pindah"),
        ("pindah  domisili", "pindah"),
        ("Tidak Ditemukan", "tidak_ditemukan"),
        ("Tdk. Ditemukan", "tidak_ditemukan"),
        ("tidak_ditemukan", "tidak_ditemukan"),
        ("TidakDitemukan", "tidak_ditemukan"),
    ],
)
def test_normalise_status_known(raw, code):
    assert v.normalise_status(pd.Series([raw]))[0] == code


def test_normalise_status_unknown_and_empty_are_missing():
    raw = pd.Series(["Sakit", "", None, pd.NA, "  ", "Ada?"], dtype="object")
    out = v.normalise_status(raw)
    assert out.isna().tolist() == [True, True, True, True, True, False]
    assert v.unknown_status(raw).tolist() == [True, False, False, False, False, False]


def test_unknown_status_message_lists_allowed_values():
    text = v.unknown_status_message("Sakit")
    for label in ("Ada", "Meninggal", "Pindah", "Tidak Ditemukan"):
        assert label in text


def test_every_form_label_is_mapped():
    for code, label in v.STATUS_LABELS.items():
        assert v.normalise_status(pd.Series([label]))[0] == code


# --- resolve_keberadaan -----------------------------------------------------------------------------------------


def test_latest_dated_record_wins():
    rows = frame(
        [
            (NIK_A, "ada", "2024-10-01", "a.xlsx", 8),
            (NIK_A, "meninggal", "2024-11-01", "b.xlsx", 8),
            (NIK_B, "pindah", "2024-10-15", "a.xlsx", 9),
        ]
    )
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT)
    assert status_of(per_nik) == {NIK_A: "meninggal", NIK_B: "pindah"}
    assert per_nik.columns.tolist() == v.PER_NIK_COLUMNS
    assert per_nik.loc[per_nik["nik"] == NIK_A, "sumber_file"].item() == "b.xlsx"
    assert masalah.empty
    assert masalah.columns.tolist() == v.MASALAH_COLUMNS


def test_empty_rows_mean_not_verified_without_message():
    rows = frame([(NIK_A, None, None, "a.xlsx", 8), (NIK_B, "ada", "2024-11-01", "a.xlsx", 9)])
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT, known_nik=[NIK_A, NIK_B])
    assert status_of(per_nik) == {NIK_B: "ada"}
    assert masalah.empty


def test_status_without_date_and_date_without_status_are_ignored():
    rows = frame(
        [
            (NIK_A, "ada", None, "a.xlsx", 8),
            (NIK_B, None, "2024-11-01", "a.xlsx", 9),
        ]
    )
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT)
    assert per_nik.empty
    assert masalah["jenis"].tolist() == [v.JENIS_TANGGAL_KOSONG, v.JENIS_STATUS_KOSONG]
    assert masalah["baris_sumber"].tolist() == [8, 9]


def test_date_after_report_date_is_ignored():
    rows = frame(
        [
            (NIK_A, "ada", "2024-10-01", "a.xlsx", 8),
            (NIK_A, "meninggal", "2024-12-01", "b.xlsx", 8),
            (NIK_B, "ada", REPORT, "a.xlsx", 9),  # on the report date itself: used
        ]
    )
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT)
    assert status_of(per_nik) == {NIK_A: "ada", NIK_B: "ada"}
    assert masalah["jenis"].tolist() == [v.JENIS_TANGGAL_SESUDAH_LAPORAN]
    assert "01/12/2024" in masalah["pesan"][0] and "06/11/2024" in masalah["pesan"][0]


def test_nik_not_on_the_form_is_reported_and_not_used():
    rows = frame([(NIK_A, "ada", "2024-11-01", "a.xlsx", 8), (NIK_C, "ada", "2024-11-01", "a.xlsx", 9)])
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT, known_nik={NIK_A})
    assert status_of(per_nik) == {NIK_A: "ada"}
    assert masalah[["nik", "jenis"]].values.tolist() == [[NIK_C, v.JENIS_NIK_TIDAK_DIKENAL]]
    assert NIK_C not in masalah["pesan"][0] and f"NIK {NIK_C[:4]}{'*' * 10}{NIK_C[-2:]}" in masalah["pesan"][0]


def test_contradiction_falls_back_to_earlier_record():
    rows = frame(
        [
            (NIK_A, "ada", "2024-10-01", "lama.xlsx", 8),
            (NIK_A, "ada", "2024-11-01", "kirim1.xlsx", 8),
            (NIK_A, "meninggal", "2024-11-01", "kirim2.xlsx", 8),
        ]
    )
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT)
    row = per_nik.set_index("nik").loc[NIK_A]
    assert row["status_keberadaan"] == "ada"
    assert row["tanggal_verifikasi"] == pd.Timestamp("2024-10-01")
    assert row["sumber_file"] == "lama.xlsx"
    assert masalah["jenis"].tolist() == [v.JENIS_KONTRADIKSI] * 2
    assert set(masalah["sumber_file"]) == {"kirim1.xlsx", "kirim2.xlsx"}
    assert "Ada (kirim1.xlsx baris 8)" in masalah["pesan"][0]
    assert "Meninggal (kirim2.xlsx baris 8)" in masalah["pesan"][0]


def test_contradiction_without_earlier_record_leaves_nik_unverified():
    rows = frame([(NIK_A, "ada", "2024-11-01", "x.xlsx", 8), (NIK_A, "pindah", "2024-11-01", "x.xlsx", 30)])
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT)
    assert per_nik.empty
    assert masalah["jenis"].tolist() == [v.JENIS_KONTRADIKSI] * 2


def test_same_answer_twice_is_kept_once_with_info():
    rows = frame(
        [
            (NIK_A, "meninggal", "2024-11-01", "kirim2.xlsx", 8, "Sakit"),
            (NIK_A, "meninggal", "2024-11-01", "kirim1.xlsx", 8, "Sakit"),
        ]
    )
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT)
    assert len(per_nik) == 1
    assert per_nik["sumber_file"].item() == "kirim1.xlsx"  # first by file name, whatever the row order
    assert masalah[["sumber_file", "jenis"]].values.tolist() == [["kirim2.xlsx", v.JENIS_DUPLIKAT]]
    assert "kirim1.xlsx baris 8" in masalah["pesan"][0]


def test_three_rows_two_agree_one_differs_is_a_contradiction():
    rows = frame(
        [
            (NIK_A, "ada", "2024-11-01", "k1.xlsx", 8),
            (NIK_A, "ada", "2024-11-01", "k2.xlsx", 8),
            (NIK_A, "pindah", "2024-11-01", "k3.xlsx", 8),
        ]
    )
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT)
    assert per_nik.empty
    assert masalah["jenis"].tolist() == [v.JENIS_KONTRADIKSI] * 3


def test_contradiction_on_an_older_date_does_not_hide_a_newer_record():
    rows = frame(
        [
            (NIK_A, "ada", "2024-10-01", "k1.xlsx", 8),
            (NIK_A, "pindah", "2024-10-01", "k2.xlsx", 8),
            (NIK_A, "ada", "2024-11-01", "k3.xlsx", 8),
        ]
    )
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT)
    assert status_of(per_nik) == {NIK_A: "ada"}
    assert per_nik["sumber_file"].item() == "k3.xlsx"
    assert masalah["jenis"].tolist() == [v.JENIS_KONTRADIKSI] * 2


def test_result_does_not_depend_on_row_order():
    rows = frame(
        [
            (NIK_A, "ada", "2024-10-01", "lama.xlsx", 8),
            (NIK_A, "ada", "2024-11-01", "k1.xlsx", 8),
            (NIK_A, "meninggal", "2024-11-01", "k2.xlsx", 8),
            (NIK_B, "pindah", "2024-11-02", "k1.xlsx", 9),
            (NIK_B, "pindah", "2024-11-02", "k2.xlsx", 9),
            (NIK_C, "ada", None, "k1.xlsx", 10),
            (NIK_C, "ada", "2024-12-10", "k2.xlsx", 10),
        ]
    )
    first = v.resolve_keberadaan(rows, REPORT)
    for seed in range(5):
        shuffled = rows.sample(frac=1, random_state=seed)
        other = v.resolve_keberadaan(shuffled, REPORT)
        pd.testing.assert_frame_equal(first[0], other[0])
        pd.testing.assert_frame_equal(first[1], other[1])


def test_missing_optional_columns_and_empty_input():
    rows = frame([(NIK_A, "ada", "2024-11-01", "a.xlsx", 8)]).drop(columns=["kondisi", "keterangan", "petugas"])
    per_nik, _ = v.resolve_keberadaan(rows, REPORT)
    assert per_nik.columns.tolist() == v.PER_NIK_COLUMNS
    per_nik, masalah = v.resolve_keberadaan(rows.iloc[0:0], REPORT)
    assert per_nik.empty and masalah.empty
    assert masalah.columns.tolist() == v.MASALAH_COLUMNS


# --- deaths and moves are final unless contradicted on purpose ----------------------------------------------


def test_death_followed_by_not_found_stays_a_death_without_message():
    rows = frame([(NIK_A, "meninggal", "2024-10-03", "a.xlsx", 8), (NIK_A, "tidak_ditemukan", "2024-10-31", "b.xlsx", 8)])
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT)
    assert status_of(per_nik) == {NIK_A: "meninggal"}
    assert per_nik.iloc[0]["tanggal_verifikasi"] == pd.Timestamp("2024-10-03")
    assert masalah.empty


def test_death_followed_by_ada_is_listed_with_both_records_not_applied():
    rows = frame(
        [
            (NIK_A, "ada", "2024-09-20", "a.xlsx", 7),
            (NIK_A, "meninggal", "2024-10-03", "a.xlsx", 8),
            (NIK_A, "ada", "2024-10-31", "b.xlsx", 9),
            (NIK_B, "ada", "2024-10-31", "b.xlsx", 10),
        ]
    )
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT)
    assert status_of(per_nik) == {NIK_A: "meninggal", NIK_B: "ada"}
    listed = masalah[masalah["jenis"] == v.JENIS_SESUDAH_MENINGGAL]
    assert list(zip(listed["sumber_file"], listed["baris_sumber"])) == [("a.xlsx", 8), ("b.xlsx", 9)]
    assert listed["pesan"].str.contains("03/10/2024").all() and listed["pesan"].str.contains("31/10/2024").all()
    assert len(masalah) == 2


def test_pindah_after_death_is_listed_and_death_stays():
    rows = frame([(NIK_A, "meninggal", "2024-10-03", "a.xlsx", 8), (NIK_A, "pindah", "2024-10-31", "b.xlsx", 8)])
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT)
    assert status_of(per_nik) == {NIK_A: "meninggal"}
    assert set(masalah["jenis"]) == {v.JENIS_SESUDAH_MENINGGAL}


def test_move_is_final_against_not_found_but_not_against_ada():
    rows = frame(
        [
            (NIK_A, "pindah", "2024-10-03", "a.xlsx", 8),
            (NIK_A, "tidak_ditemukan", "2024-10-17", "b.xlsx", 8),
            (NIK_B, "pindah", "2024-10-03", "a.xlsx", 9),
            (NIK_B, "tidak_ditemukan", "2024-10-17", "b.xlsx", 9),
            (NIK_B, "ada", "2024-10-31", "c.xlsx", 9),
            (NIK_C, "ada", "2024-10-03", "a.xlsx", 10),
            (NIK_C, "tidak_ditemukan", "2024-10-17", "b.xlsx", 10),
        ]
    )
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT)
    assert status_of(per_nik) == {NIK_A: "pindah", NIK_B: "ada", NIK_C: "tidak_ditemukan"}
    assert masalah["jenis"].tolist() == [v.JENIS_KEMBALI_SESUDAH_PINDAH]
    assert masalah["nik"].tolist() == [NIK_B]


def test_a_later_death_applies_after_a_move():
    rows = frame([(NIK_A, "pindah", "2024-10-03", "a.xlsx", 8), (NIK_A, "meninggal", "2024-10-31", "b.xlsx", 8)])
    per_nik, masalah = v.resolve_keberadaan(rows, REPORT)
    assert status_of(per_nik) == {NIK_A: "meninggal"} and masalah.empty


def test_death_reported_after_the_report_date_is_not_final_yet():
    rows = frame([(NIK_A, "ada", "2024-10-03", "a.xlsx", 8), (NIK_A, "meninggal", "2024-11-20", "b.xlsx", 8)])
    per_nik, _ = v.resolve_keberadaan(rows, REPORT)
    assert status_of(per_nik) == {NIK_A: "ada"}
