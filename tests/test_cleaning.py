"""Cleaning: value normalisers, NIK handling, regions, quarantine reasons and row conservation."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest
from conftest import ID_KEY, make_nik, raw_frame, small_world, write_world

from helpers import cleaning
from helpers.cleaning import schemas
from helpers.cleaning.inputs import TABLE_NAMES, ConservationError, clean_frame
from helpers.cleaning.normalise import (
    mask_raw_nik,
    name_key,
    parse_dates,
    parse_desil,
    parse_sex,
    parse_status_opd,
    tidy_name,
)
from helpers.reading.contract import INPUTS

# --------------------------------------------------------------------------- normalisers


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("  siti   AMINAH ", "Siti Aminah"),
        ("ahmad\u00a0sholeh", "Ahmad Sholeh"),
        ("   ", None),
        (None, None),
    ],
)
def test_tidy_name(raw, expected):
    out = tidy_name(pd.Series([raw], dtype="string")).iloc[0]
    assert (pd.isna(out) and expected is None) or out == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Hj. Siti Aminah, S.Pd", "SITI AMINAH"),
        ("H.MUHAMMAD  ALI", "MUHAMMAD ALI"),
        ("H Muhammad Ali", "MUHAMMAD ALI"),
        ("HJ SITI AMINAH", "SITI AMINAH"),
        ("Drs. Abd. Rohman", "ABD ROHMAN"),
        ("Ir. Budi Santoso", "BUDI SANTOSO"),
        ("Siti Romlah, S.Ag", "SITI ROMLAH"),
        ("Dwi Lestari AMd", "DWI LESTARI"),
        ("Nur'aini", "NURAINI"),
        ("siti-aminah", "SITI AMINAH"),
        ("Ahmad H Salim", "AHMAD H SALIM"),  # a bare H inside the name may be an initial: kept
        ("S.Pd", None),
    ],
)
def test_name_key(raw, expected):
    out = name_key(pd.Series([raw], dtype="string")).iloc[0]
    assert (pd.isna(out) and expected is None) or out == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2024-11-06", dt.date(2024, 11, 6)),
        ("2024-11-06 00:00:00", dt.date(2024, 11, 6)),
        ("2024-11-06T00:00:00", dt.date(2024, 11, 6)),
        ("06/11/2024", dt.date(2024, 11, 6)),
        ("6/11/2024", dt.date(2024, 11, 6)),
        ("06-11-2024", dt.date(2024, 11, 6)),
        ("45602", dt.date(2024, 11, 6)),  # Excel serial number
        ("45602.0", dt.date(2024, 11, 6)),
        ("31119", dt.date(1985, 3, 13)),
        ("6 November 2024", dt.date(2024, 11, 6)),
        ("06-Nov-2024", dt.date(2024, 11, 6)),
        ("31/02/2024", None),
        ("2024-13-01", None),
        ("kemarin", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_dates(raw, expected):
    out = parse_dates(pd.Series([raw], dtype="string"))
    assert out.dtype == schemas.DATE
    value = out.iloc[0]
    assert (pd.isna(value) and expected is None) or value.date() == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("1", 1), (" 1 ", 1), ("Desil 1", 1), ("DESIL 1", 1), ("desil 4", 4), ("10", 10), ("4.0", 4), ("11", None),
     ("0", None), ("satu", None), (None, None)],
)  # fmt: skip
def test_parse_desil(raw, expected):
    out = parse_desil(pd.Series([raw], dtype="string"))
    assert out.dtype == "Int64"
    assert (pd.isna(out.iloc[0]) and expected is None) or out.iloc[0] == expected


def test_parse_desil_accepts_numbers():
    assert parse_desil(pd.Series([1, 3])).tolist() == [1, 3]


@pytest.mark.parametrize(
    "raw, expected",
    [("Laki-laki", "L"), ("LAKI-LAKI", "L"), ("L", "L"), ("Perempuan", "P"), ("p", "P"), ("X", None)],
)
def test_parse_sex(raw, expected):
    out = parse_sex(pd.Series([raw], dtype="string")).iloc[0]
    assert (pd.isna(out) and expected is None) or out == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("Optimal", "optimal"), ("Belum Optimal", "belum_optimal"), ("TIDAK OPTIMAL", "belum_optimal"),
     ("belum_optimal", "belum_optimal"), ("", None), ("mungkin", None)],
)  # fmt: skip
def test_parse_status_opd(raw, expected):
    out = parse_status_opd(pd.Series([raw], dtype="string")).iloc[0]
    assert (pd.isna(out) and expected is None) or out == expected


def test_mask_raw_nik_hides_birth_date_digits():
    assert mask_raw_nik("'3517061203850001") == "'3517**********01"
    assert "1203" not in mask_raw_nik("3517 0612 0385 0001")


# --------------------------------------------------------------------------- P3KE


def _p3ke_row(**overrides):
    row = {
        "ID Keluarga P3KE": "K1",
        "ID Individu": "I1",
        "NIK": make_nik(),
        "Nama": "Ahmad Sholeh",
        "Jenis Kelamin": "Laki-laki",
        "Tanggal Lahir": "1985-03-12",
        "Hubungan dengan Kepala Keluarga": "Kepala Keluarga",
        "Kecamatan": "Mojoagung",
        "Desa/Kelurahan": "Mancilan",
        "Desil Kesejahteraan": "1",
    }
    row.update(overrides)
    return row


def _clean(input_name, rows):
    return clean_frame(raw_frame(input_name, rows), INPUTS[input_name], key=ID_KEY)


def test_p3ke_nik_repaired_and_unrecoverable_kept():
    rows = [
        _p3ke_row(NIK="'" + make_nik(serial=1)),
        _p3ke_row(NIK=make_nik(serial=2) + ".0", Nama="Budi"),
        _p3ke_row(NIK="3.51706E+15", Nama="Sunarti"),
        _p3ke_row(NIK="35170612038500", Nama="Pendek"),
    ]
    result = _clean("p3ke", rows)
    data = result.data
    assert result.baris_karantina == 0
    assert data["nik"].tolist()[:2] == [make_nik(serial=1), make_nik(serial=2)]
    assert data["nik_status"].tolist() == ["diperbaiki", "diperbaiki", "tidak_dapat_dipulihkan", "tidak_valid"]
    assert data["nik"].iloc[2:].isna().all()
    assert result.perbaikan["nik_diperbaiki"] == 2
    assert result.perbaikan["nik_tidak_dapat_dipulihkan"] == 1


def test_p3ke_quarantine_reasons():
    rows = [
        _p3ke_row(),
        _p3ke_row(NIK=None, Nama=None, **{"ID Individu": "I2"}),
        _p3ke_row(**{"Desa/Kelurahan": "Sumbermulya", "Kecamatan": "Jogoroto", "ID Individu": "I3"}),
        _p3ke_row(**{"Kecamatan": "Mojoagungg", "ID Individu": "I4"}),
        _p3ke_row(**{"Desil Kesejahteraan": "sebelas", "ID Individu": "I5"}),
        _p3ke_row(**{"Desil Kesejahteraan": None, "ID Individu": "I6"}),
    ]
    result = _clean("p3ke", rows)
    assert result.baris_bersih == 1
    reasons = result.karantina.set_index("ID Individu")["alasan"]
    assert "kosong" in reasons["I2"]
    assert reasons["I3"] == 'Desa "Sumbermulya" tidak dikenal di Kecamatan Jogoroto; nama terdekat: "Sumbermulyo"'
    assert reasons["I4"].startswith('Kecamatan "Mojoagungg" tidak dikenal di Kabupaten Jombang; nama terdekat: "Mojoagung"')
    assert "sebelas" in reasons["I5"] and "desil" in reasons["I5"].lower()
    assert reasons["I6"] == "Desil kosong"
    # the raw values are kept, with the source row
    assert list(result.karantina.columns[-3:]) == ["sumber_file", "baris_sumber", "alasan"]
    assert result.karantina.set_index("ID Individu").loc["I5", "Desil Kesejahteraan"] == "sebelas"
    assert result.karantina["baris_sumber"].tolist() == [3, 4, 5, 6, 7]


def test_several_reasons_are_joined():
    rows = [_p3ke_row(**{"Kecamatan": "Atlantis", "Desil Kesejahteraan": "x"})]
    reason = _clean("p3ke", rows).karantina["alasan"].iloc[0]
    assert "Atlantis" in reason and '"x"' in reason and "; " in reason


def test_region_variants_resolved_and_counted():
    rows = [
        _p3ke_row(Kecamatan="Jombang Kota", **{"Desa/Kelurahan": "Kaliwungu"}),
        _p3ke_row(Kecamatan="KEC. MOJO AGUNG", Nama="Budi"),
    ]
    result = _clean("p3ke", rows)
    assert result.data["kode_kecamatan"].tolist() == ["35.17.09", "35.17.06"]
    assert result.data["nama_kecamatan"].tolist() == ["Jombang", "Mojoagung"]
    assert result.perbaikan["kecamatan_varian"] == {"Jombang Kota → Jombang": 1, "KEC. MOJO AGUNG → Mojoagung": 1}


def test_desa_code_from_kode_kemendagri_when_consistent():
    rows = [
        # consistent code wins over a misspelt name
        _p3ke_row(**{"Kode Kemdagri": "3517062013", "Desa/Kelurahan": "Mancilann"}),
        # a code of another kecamatan is ignored: the name decides
        _p3ke_row(**{"Kode Kemdagri": "35.17.19.2007", "Nama": "Budi"}),
    ]
    result = _clean("p3ke", rows)
    assert result.data["kode_desa"].tolist() == ["35.17.06.2013", "35.17.06.2013"]
    assert result.perbaikan["desa_dari_kode_kemdagri"] == 1
    assert result.perbaikan["kode_kemdagri_tidak_konsisten"] == 1


def test_same_desa_name_in_two_kecamatan_is_told_apart():
    rows = [
        _p3ke_row(Kecamatan="Perak", **{"Desa/Kelurahan": "Sumberagung"}),
        _p3ke_row(Kecamatan="Peterongan", **{"Desa/Kelurahan": "Sumberagung"}, Nama="Budi"),
    ]
    codes = _clean("p3ke", rows).data["kode_desa"]
    assert codes.str[:8].tolist() == ["35.17.01", "35.17.10"]


def test_exact_duplicates_dropped_ignoring_source_columns():
    rows = [_p3ke_row(), _p3ke_row(), _p3ke_row(Nama="Budi")]
    raw = raw_frame("p3ke", rows)
    raw.loc[1, "sumber_file"] = "lain.csv"
    result = clean_frame(raw, INPUTS["p3ke"])
    assert (result.baris_masuk, result.baris_bersih, result.baris_duplikat) == (3, 2, 1)
    assert result.data["baris_sumber"].tolist() == [2, 4]  # the first copy is kept


def test_cleaned_tables_follow_schema_columns():
    result = clean_frame(raw_frame("p3ke", [_p3ke_row()]), INPUTS["p3ke"])
    assert list(result.data.columns) == schemas.columns("p3ke_individu")
    assert result.data["tanggal_lahir"].dtype == schemas.DATE
    assert result.data["desil"].dtype == "Int64"


def test_schema_rejects_bad_table():
    frame = clean_frame(raw_frame("p3ke", [_p3ke_row()]), INPUTS["p3ke"]).data
    frame.loc[0, "desil"] = 11
    with pytest.raises(Exception, match="in_range"):
        schemas.validate("p3ke_individu", frame)


# --------------------------------------------------------------------------- SK


def _sk_row(**overrides):
    row = {"No": "1", "NIK": make_nik(), "Nama": "Ahmad Sholeh", "Kecamatan": "Mojoagung", "Desa/Kelurahan": "Mancilan"}
    row.update(overrides)
    return row


def test_sk_kept_with_bad_nik_and_ids_from_the_person():
    rows = [
        _sk_row(No="1"),
        _sk_row(No="2", NIK="3.51706E+15", Nama="Kasiyem"),
        _sk_row(No="3", NIK="12345", Nama="Salah Ketik"),
        _sk_row(No="4", NIK=None, Nama=None),
        _sk_row(No="5", Nama="Budi"),
    ]
    result = _clean("sk", rows)
    assert result.data["no"].tolist() == ["1", "2", "3", "5"]
    ids = result.data["id_sasaran"].tolist()
    assert all(re.fullmatch(r"SK-[0-9a-f]{10}(-\d+)?", i) for i in ids) and len(set(ids)) == 4
    assert ids[3] == ids[0] + "-2"  # rows 1 and 5 share a NIK: the later one is suffixed, nothing is lost
    assert not any(make_nik() in i for i in ids)
    assert result.perbaikan["id_sasaran_bentrok"] == 1
    assert result.data["nik_status"].tolist() == ["valid", "tidak_dapat_dipulihkan", "tidak_valid", "valid"]
    assert result.karantina["No"].tolist() == ["4"]


def test_sk_unknown_region_quarantined():
    result = _clean("sk", [_sk_row(Kecamatan="Jogoroto", **{"Desa/Kelurahan": "Sumbermulya"})])
    assert result.baris_karantina == 1
    assert 'nama terdekat: "Sumbermulyo"' in result.karantina["alasan"].iloc[0]


# --------------------------------------------------------------------------- interventions


def _int_row(**overrides):
    row = {"NIK": make_nik(), "Nama": "Ahmad", "OPD": "Dinsos", "Program": "PKH", "Tanggal Intervensi": "2024-05-01"}
    row.update(overrides)
    return row


def test_intervensi_strategy_rules():
    rows = [
        _int_row(Strategi="peningkatan  pendapatan"),  # given, valid (spacing and case ignored)
        _int_row(Program="Rehab RTLH"),  # from the programme table
        _int_row(Program="PKH", Strategi="Bansos"),  # invalid strategy, known programme: derived
        _int_row(Program="Program Baru", Strategi=None),  # unknown both: quarantined
    ]
    result = _clean("intervensi", rows)
    assert result.data["strategi"].tolist() == [
        "Peningkatan Pendapatan",
        "Penurunan Kantong Kemiskinan",
        "Pengurangan Beban Pengeluaran",
    ]
    reason = result.karantina["alasan"].iloc[0]
    assert '"Program Baru"' in reason and "src/helpers/data/program_strategi.csv" in reason


def test_intervensi_needs_nik_and_date():
    rows = [
        _int_row(),
        _int_row(NIK=None),
        _int_row(NIK="3.51706E+15"),
        _int_row(**{"Tanggal Intervensi": None}),
        _int_row(**{"Tanggal Intervensi": "besok"}),
        _int_row(**{"Tanggal Intervensi": "45500"}),
    ]
    result = _clean("intervensi", rows)
    assert result.baris_bersih == 2
    reasons = result.karantina["alasan"].tolist()
    assert reasons[0] == "NIK kosong"
    assert "tidak dapat dipulihkan" in reasons[1] and "E+15" in reasons[1]
    assert reasons[2] == "Tanggal intervensi kosong"
    assert '"besok"' in reasons[3]
    assert result.data["tanggal_intervensi"].iloc[1] == pd.Timestamp("2024-07-27")


def test_intervensi_status_opd():
    rows = [_int_row(Status="Optimal"), _int_row(Status="Belum Optimal", OPD="Perkim"), _int_row(Status="??", OPD="X")]
    result = _clean("intervensi", rows)
    assert result.data["status_opd"].tolist()[:2] == ["optimal", "belum_optimal"]
    assert pd.isna(result.data["status_opd"].iloc[2])
    assert result.perbaikan["status_opd_tidak_dikenal"] == 1


# --------------------------------------------------------------------------- verification


def _ver_row(**overrides):
    row = {"NIK": make_nik(), "Status Keberadaan": "Ada", "Tanggal Verifikasi": "2024-11-01"}
    row.update(overrides)
    return row


def test_verifikasi_rules():
    rows = [
        _ver_row(),
        _ver_row(**{"Status Keberadaan": "Meninggal Dunia", "Tanggal Verifikasi": "05/11/2024"}),
        _ver_row(**{"Status Keberadaan": None, "Tanggal Verifikasi": None}),  # empty form row: kept
        _ver_row(**{"Tanggal Verifikasi": None}),  # status without date
        _ver_row(**{"Status Keberadaan": None}),  # date without status
        _ver_row(**{"Status Keberadaan": "Merantau"}),  # unknown status
        _ver_row(NIK=None),
    ]
    result = _clean("verifikasi", rows)
    data = result.data
    assert data["status_keberadaan"].tolist()[:2] == ["ada", "meninggal"]
    assert pd.isna(data["status_keberadaan"].iloc[2]) and pd.isna(data["tanggal_verifikasi"].iloc[2])
    assert result.perbaikan["belum_diisi"] == 1
    reasons = result.karantina["alasan"].tolist()
    assert reasons[0] == "Status keberadaan terisi tetapi tanggal verifikasi kosong"
    assert "status keberadaan kosong" in reasons[1]
    assert '"Merantau"' in reasons[2]
    assert reasons[3] == "NIK kosong"


# --------------------------------------------------------------------------- all inputs


def test_clean_all_conserves_rows_and_writes_outputs(tmp_path):
    raw = write_world(tmp_path / "raw", small_world())
    processed = tmp_path / "processed"
    result = cleaning.clean_all(raw, processed)
    table = result.conservation_table()
    assert table["seimbang"].all()
    assert (table["baris_masuk"] == table["baris_bersih"] + table["baris_duplikat"] + table["baris_karantina"]).all()
    ringkasan = json.loads((processed / "ringkasan_pembersihan.json").read_text())
    assert set(ringkasan) == set(INPUTS)
    for name, entry in ringkasan.items():
        assert {"baris_masuk", "baris_bersih", "baris_duplikat", "baris_karantina", "perbaikan"} <= set(entry)
        karantina = pd.read_csv(processed / "karantina" / f"{name}.csv", dtype=str)
        assert len(karantina) == entry["baris_karantina"]
        assert list(karantina.columns[-3:]) == ["sumber_file", "baris_sumber", "alasan"]
    for table_name in TABLE_NAMES.values():
        frame = pd.read_parquet(processed / f"{table_name}.parquet")
        assert list(frame.columns) == schemas.columns(table_name)
    assert ringkasan["p3ke"]["baris_duplikat"] == 1
    assert ringkasan["p3ke"]["perbaikan"]["kecamatan_varian"] == {"Jombang Kota → Jombang": 1}


def test_conservation_violation_raises():
    result = _clean("p3ke", [_p3ke_row()])
    result.baris_masuk += 1
    with pytest.raises(ConservationError, match="hilang"):
        result.check_conservation()


def test_absent_optional_inputs_give_empty_tables(tmp_path):
    world = small_world()
    del world["intervensi"], world["verifikasi"]
    result = cleaning.clean_all(write_world(tmp_path / "raw", world), tmp_path / "processed")
    assert result.inputs["intervensi"].baris_masuk == 0
    assert list(result.tables["verifikasi"].columns) == schemas.columns("verifikasi")


def test_naive_join_counts_only_identical_text(tmp_path):
    result = cleaning.clean_all(write_world(tmp_path / "raw", small_world()), tmp_path / "processed", write=False)
    naive = result.padan_naif
    # SK 1 and 2 have plain NIKs present in P3KE; SK 4's broken "3.51706E+15" equals a broken P3KE cell as
    # text (a false match the naive join cannot tell apart); SK 3 (NIK typo) and SK 5 (no NIK) are missed
    assert naive["padan"] == 3 and naive["sasaran_sk"] == 6
    assert naive["padan"] + naive["tidak_padan"] == naive["sasaran_sk"]


def test_examples_for_the_notebook_are_masked(tmp_path):
    result = cleaning.clean_all(write_world(tmp_path / "raw", small_world()), tmp_path / "processed", write=False)
    shown = pd.concat([result.nik_examples(), result.quarantine_examples()]).astype(str).to_string()
    assert not pd.Series([shown]).str.contains(r"\d{16}").any()


# --------------------------------------------------------------------------- demo data (slow)


@pytest.mark.slow
def test_demo_cleaning_conserves_rows_and_matches_fault_counts(demo_small, tmp_path):
    result = cleaning.clean_all(demo_small["raw"], tmp_path / "processed")
    assert result.conservation_table()["seimbang"].all()
    faults = demo_small["truth"].get("faults", {})
    ringkasan = result.ringkasan()
    for name, expected in faults.items():
        if name not in ringkasan or not isinstance(expected, dict):
            continue
        for key in ("baris_masuk", "baris_bersih", "baris_duplikat", "baris_karantina"):
            if key in expected:
                assert ringkasan[name][key] == expected[key], (name, key)
        if not any(key.startswith("nik_") for key in expected):
            continue  # an input without NIKs (keputusan_padan)
        # NIK repairs: apostrophe, spaces and dots are repaired; scientific notation cannot be recovered
        prefix = "nik_kepala_keluarga" if name == "p3ke_keluarga" else "nik"
        fixes = ringkasan[name]["perbaikan"]
        repaired = sum(expected.get(k, 0) for k in ("nik_apostrof", "nik_spasi", "nik_titik"))
        assert fixes[f"{prefix}_diperbaiki"] == repaired, name
        assert fixes[f"{prefix}_tidak_dapat_dipulihkan"] == expected.get("nik_notasi_ilmiah", 0), name
        assert fixes[f"{prefix}_kosong"] == expected.get("nik_kosong", 0), name


def test_nik_fast_path_agrees_with_per_value_path():
    """Text columns take a vectorised path in helpers.nik; object columns the per-value path."""
    from helpers.cleaning.nik import normalise_nik

    values = pd.Series(
        [make_nik(), " " + make_nik(), "'" + make_nik(), make_nik() + ".0", "3.51706E+15", "3517061303850000",
         "3517069913850001", "123", None, "", "-", "3517 0612 0385 0001", "3517061203850001\u00a0"],
        dtype="string",
    )  # fmt: skip
    ours = normalise_nik(values)
    theirs = normalise_nik(values.astype(object))
    assert ours["nik"].astype(object).where(ours["nik"].notna(), None).tolist() == theirs["nik"].astype(object).where(
        theirs["nik"].notna(), None
    ).tolist()
    statuses = ours["nik_status"].tolist()
    assert statuses[0] == "valid" and statuses[1:3] == ["diperbaiki", "diperbaiki"]
    assert [s for s in statuses if s != "valid"] == [s for s in theirs["nik_status"].tolist() if s != "valid"]


def test_fixes_table_sums_region_variants(tmp_path):
    result = cleaning.clean_all(write_world(tmp_path / "raw", small_world()), tmp_path / "processed", write=False)
    table = result.fixes_table()
    row = table[table["perbaikan"].str.startswith("kecamatan_varian")].iloc[0]
    assert row["input"] == "p3ke" and row["jumlah"] == 1 and "Jombang Kota → Jombang" in row["perbaikan"]
    assert (table["jumlah"] > 0).all()


@pytest.mark.slow
def test_cleaning_with_a_worker_process_gives_the_same_tables_and_summary(demo_small, tmp_path):
    one = cleaning.clean_all(demo_small["raw"], tmp_path / "satu", workers=1)
    two = cleaning.clean_all(demo_small["raw"], tmp_path / "dua", workers=2)
    assert list(two.inputs) == list(one.inputs)
    for name, cleaned in one.inputs.items():
        pd.testing.assert_frame_equal(two.inputs[name].data, cleaned.data)
        pd.testing.assert_frame_equal(two.inputs[name].karantina, cleaned.karantina)
    assert two.ringkasan() == one.ringkasan()
    assert two.padan_naif == one.padan_naif
