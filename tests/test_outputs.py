"""CSV outputs are opened in Excel: text that a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import csv

import pandas as pd

from helpers import outputs


def test_write_csv_writes_formula_like_text_with_an_apostrophe_and_keeps_numbers(tmp_path):
    hostile = ['=HYPERLINK("http://contoh.invalid","klik")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    kept = ["-6.5", "-3", "+62", "1,5", "Siti Aminah", "a=b", "", None]
    frame = pd.DataFrame({"teks": hostile + kept, "angka": [-1.5] * len(hostile + kept)})
    frame["string"] = pd.array(frame["teks"], dtype="string")
    path = outputs.write_csv(frame, tmp_path / "daftar.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for column in ("teks", "string"):
        got = [r[column] for r in rows]
        assert got[: len(hostile)] == ["'" + h for h in hostile]
        assert got[len(hostile):] == ["-6.5", "-3", "+62", "1,5", "Siti Aminah", "a=b", "", ""]
    assert {r["angka"] for r in rows} == {"-1.5"}  # a negative number stored as a number stays a number
    assert frame["teks"][0].startswith("=")  # the frame itself is not changed
