import pandas as pd

from helpers.cleaning import nik


def _status(values):
    return nik.normalise_nik(pd.Series(values, dtype=object))


def test_recoverable_forms():
    out = _status(["'3517061203850001", 3517061203850001, 3517061203850001.0, "3517 0612 0385 0001",
                   "3517.0612.0385.0001", "3517061203850001.0", "\u00a03517061203850001 "])
    assert (out["nik"] == "3517061203850001").all()
    assert set(out["nik_status"]) == {"diperbaiki"}


def test_clean_text_is_valid():
    out = _status(["3517065203850001"])  # woman: day 12 + 40
    assert out.loc[0, "nik_status"] == "valid"


def test_unrecoverable_and_invalid():
    out = _status(["3.51706E+15", "3,51706E+15", "351706120385", "3517061213850001", "3517061203850000", None, "", "abc"])
    assert list(out["nik_status"]) == ["tidak_dapat_dipulihkan", "tidak_dapat_dipulihkan", "tidak_valid",
                                       "tidak_valid", "tidak_valid", "kosong", "kosong", "tidak_valid"]
    assert out["nik"].isna().all()


def test_birth_info_and_mask():
    info = nik.nik_birth_info(pd.Series(["3517065203850001", "3517061203850001"]))
    assert list(info["jenis_kelamin"]) == ["P", "L"]
    assert list(info["hari"]) == [12, 12]
    assert nik.mask_nik("3517061203850001") == "3517**********01"
    assert nik.mask_nik(None) == ""


def test_missing_nik_in_birth_info_and_text_dtype_fast_path():
    info = nik.nik_birth_info(pd.Series(["3517065203850001", None], dtype="string"))
    assert info["jenis_kelamin"].isna().iloc[1] and info["hari"].isna().iloc[1]
    out = nik.normalise_nik(pd.Series(["3517061203850001", "3517061213850001", "'3517061203850001", None], dtype="string"))
    assert list(out["nik_status"]) == ["valid", "tidak_valid", "diperbaiki", "kosong"]


def test_mask_frame_masks_nik_like_numbers_in_any_text_column():
    frame = pd.DataFrame(
        {
            "pesan": ["NIK 3517061203850001 tidak dikenal", "ditulis 3517 0612 0385 0002 oleh camat", None],
            "keterangan": pd.array(["KK 3517062011090112", "17 digit 35170612038500012 bukan NIK", "aman"],
                                   dtype="string"),
            "jumlah": [1, 2, 3],
        }
    )
    masked = nik.mask_frame(frame)
    assert masked["pesan"].tolist()[:2] == ["NIK 3517**********01 tidak dikenal", "ditulis 3517**********02 oleh camat"]
    assert pd.isna(masked["pesan"][2])
    assert masked["keterangan"].tolist() == ["KK 3517**********12", "17 digit 35170612038500012 bukan NIK", "aman"]
    assert masked["keterangan"].dtype == frame["keterangan"].dtype and masked["jumlah"].tolist() == [1, 2, 3]
