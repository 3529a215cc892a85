"""The review loop: a decision in keputusan_padan.xlsx changes exactly that person's status on the next run;
a decision that no longer fits is listed and not applied; `make forms` writes the workbook pre-filled."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from conftest import make_nik, write_world

from helpers import cleaning
from helpers.publishing import keputusan
from helpers.statuses import classify as statuses

REPORT_DATE = "2024-11-06"
SUKARDI = make_nik(day=5, month=4, year=58, serial=11)
SUPARMI = make_nik(day=9, month=2, year=61, serial=12, female=True)
OTHERS = {i: make_nik(day=i, month=6, year=70 + i, serial=20 + i) for i in range(1, 6)}


def _p(nik, nama, sex, born, keluarga="K1", desil="1"):
    return {"ID Keluarga P3KE": keluarga, "ID Individu": f"I{nik[-4:]}", "NIK": nik, "Nama": nama,
            "Jenis Kelamin": sex, "Tanggal Lahir": born, "Hubungan dengan Kepala Keluarga": "Anggota",
            "Kecamatan": "Mojoagung", "Desa/Kelurahan": "Mancilan", "Desil Kesejahteraan": desil}  # fmt: skip


def _world() -> dict:
    p3ke = [_p(SUKARDI, "Sukardi", "L", "1958-04-05"), _p(SUPARMI, "Suparmi", "P", "1961-02-09")]
    p3ke += [_p(n, f"Warga {i}", "L", f"19{70 + i}-06-{i:02d}", f"K{i + 1}", "2") for i, n in OTHERS.items()]
    sk = [{"No": "1", "NIK": SUKARDI, "Nama": "Suparmi", "Kecamatan": "Mojoagung", "Desa/Kelurahan": "Mancilan"}]
    sk += [{"No": str(i + 1), "NIK": n, "Nama": f"Warga {i}", "Kecamatan": "Mojoagung", "Desa/Kelurahan": "Mancilan"}
           for i, n in OTHERS.items()]  # fmt: skip
    return {"p3ke": p3ke, "p3ke_keluarga": [], "sk": sk, "intervensi": [], "verifikasi": []}


def _run(raw, processed):
    cleaning.clean_all(raw, processed)
    return statuses.run_status(processed, REPORT_DATE)


def _fill(form, raw, choose, by="Analis TKPK"):
    """Fill the workbook the way an analyst would (openpyxl keeps the protection) and put it in data/raw/."""
    book = openpyxl.load_workbook(form)
    sheet = book[keputusan.SHEET]
    header = [c.value for c in sheet[keputusan.HEADER_ROW + 1]]
    for row in sheet.iter_rows(min_row=keputusan.HEADER_ROW + 2):
        values = dict(zip(header, (c.value for c in row)))
        decision = choose(values)
        if decision:
            row[header.index("Keputusan")].value = decision[0]
            row[header.index("NIK P3KE")].value = decision[1]
            row[header.index("Diputuskan Oleh")].value = by
            row[header.index("Tanggal Keputusan")].value = pd.Timestamp("2024-11-08").to_pydatetime()
    book.save(raw / "keputusan_padan.xlsx")


@pytest.fixture
def first_run(tmp_path):
    raw = write_world(tmp_path / "raw", _world())
    run = _run(raw, tmp_path / "processed")
    return raw, tmp_path / "processed", run


def test_relatives_nik_goes_to_review_and_the_decision_applies_to_that_person_only(first_run, tmp_path):
    raw, processed, run = first_run
    before = run.status.set_index("id_sasaran")
    suparmi = before.index[before["nama"] == "Suparmi"][0]
    assert before.at[suparmi, "metode_padan"] == "tinjau_manual"  # the NIK is her husband's
    form = keputusan.write_decisions_form(processed, tmp_path / "formulir", pd.Timestamp(REPORT_DATE).date())
    rows = keputusan.decision_rows(processed)
    assert rows["ID Sasaran"].tolist() == [suparmi]
    rank = next(k for k in (1, 2, 3) if rows.at[0, f"NIK Kandidat {k}"] == SUPARMI)
    _fill(form, raw, lambda v: (f"Kandidat {rank}", None) if v["ID Sasaran"] == suparmi else None)
    after = _run(raw, processed).status.set_index("id_sasaran")
    assert after.at[suparmi, "metode_padan"] == "keputusan_manual" and after.at[suparmi, "nik"] == SUPARMI
    assert after.at[suparmi, "status_desil"] == "masih_desil1"
    others = before.index.drop(suparmi)
    columns = ["metode_padan", "nik", "status_desil", "status_intervensi", "status_keberadaan", "perlu_tindakan"]
    pd.testing.assert_frame_equal(after.loc[others, columns], before.loc[others, columns])
    assert after.pipe(lambda s: s["metode_padan"].eq("keputusan_manual").sum()) == 1
    summary = statuses.read_summary(processed)
    assert summary["padan"]["keputusan_manual"] == 1
    again = keputusan.decision_rows(processed)  # the next workbook keeps the decision in force
    assert again.loc[again["ID Sasaran"] == suparmi, "NIK P3KE"].tolist() == [SUPARMI]


def test_a_stale_decision_is_listed_and_not_applied(first_run, tmp_path):
    raw, processed, run = first_run
    before = run.status.set_index("id_sasaran")
    suparmi = before.index[before["nama"] == "Suparmi"][0]
    form = keputusan.write_decisions_form(processed, tmp_path / "formulir", pd.Timestamp(REPORT_DATE).date())
    gone = make_nik(day=1, month=1, year=50, serial=99)  # a P3KE NIK that is not (or no longer) in P3KE
    _fill(form, raw, lambda v: ("NIK P3KE lain", gone) if v["ID Sasaran"] == suparmi else None)
    after = _run(raw, processed).status.set_index("id_sasaran")
    assert after.at[suparmi, "metode_padan"] == "tinjau_manual"
    stale = pd.read_csv(processed / "tinjau" / "keputusan_usang.csv", dtype=str)
    assert stale["id_sasaran"].tolist() == [suparmi] and stale["alasan_basi"].tolist() == ["nik_p3ke_tidak_ada"]
    assert gone not in (processed / "tinjau" / "keputusan_usang.csv").read_text()  # masked


def test_a_decision_for_a_person_no_longer_on_the_sk_is_stale(first_run, tmp_path):
    raw, processed, run = first_run
    form = keputusan.write_decisions_form(processed, tmp_path / "formulir", pd.Timestamp(REPORT_DATE).date())
    _fill(form, raw, lambda v: ("Tidak ada di P3KE", None))
    book = openpyxl.load_workbook(raw / "keputusan_padan.xlsx")
    sheet = book[keputusan.SHEET]
    sheet.cell(row=keputusan.HEADER_ROW + 2, column=1).value = "SK-TIDAKADA"
    book.save(raw / "keputusan_padan.xlsx")
    _run(raw, processed)
    stale = pd.read_csv(processed / "tinjau" / "keputusan_usang.csv", dtype=str)
    assert stale["alasan_basi"].tolist() == ["sasaran_tidak_ada"]


def test_unknown_choice_is_quarantined_with_a_reason(first_run, tmp_path):
    raw, processed, _ = first_run
    form = keputusan.write_decisions_form(processed, tmp_path / "formulir", pd.Timestamp(REPORT_DATE).date())
    _fill(form, raw, lambda v: ("Mungkin", None))
    cleaning.clean_all(raw, processed)
    karantina = pd.read_csv(processed / "karantina" / "keputusan_padan.csv", dtype=str)
    assert karantina["alasan"].str.contains("tidak dikenal").all()


def test_a_person_found_in_the_field_is_proposed_and_the_confirmed_decision_applies(tmp_path):
    karsini_p3ke = make_nik(kec="10", day=47, month=8, year=52, serial=31)
    karsini_sk = make_nik(kec="01", day=1, month=1, year=99, serial=32)  # a wrong NIK: nobody like it in P3KE
    world = _world()
    world["p3ke"].append(_p(karsini_p3ke, "Karsini", "P", "1952-08-07", "K9"))
    world["p3ke"][-1].update({"Kecamatan": "Peterongan", "Desa/Kelurahan": "Kebontemu"})
    world["sk"].append({"No": "9", "NIK": karsini_sk, "Nama": "Karsinah", "Kecamatan": "Mojoagung",
                        "Desa/Kelurahan": "Mancilan"})  # fmt: skip
    world["verifikasi"] = [{"NIK": karsini_sk, "Status Keberadaan": "Ada", "Tanggal Verifikasi": "2024-11-04",
                            "Petugas": "Kasi Kesra", "NIK Temuan Lapangan": karsini_p3ke}]  # fmt: skip
    raw = write_world(tmp_path / "raw", world)
    processed = tmp_path / "processed"
    before = _run(raw, processed).status.set_index("nik_sk")
    assert before.at[karsini_sk, "metode_padan"] == "tidak_padan"
    rows = keputusan.decision_rows(processed).set_index("NIK SK")
    assert rows.at[karsini_sk, "NIK P3KE"] == karsini_p3ke and pd.isna(rows.at[karsini_sk, "Keputusan"])
    form = keputusan.write_decisions_form(processed, tmp_path / "formulir", pd.Timestamp(REPORT_DATE).date())
    _fill(form, raw, lambda v: ("NIK P3KE lain", v["NIK P3KE"]) if v["NIK SK"] == karsini_sk else None)
    after = _run(raw, processed).status.set_index("nik_sk")
    assert after.at[karsini_sk, "metode_padan"] == "keputusan_manual" and after.at[karsini_sk, "nik"] == karsini_p3ke
