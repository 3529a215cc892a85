"""The catalog of processed files: every file named once (helpers.catalog), documented in data/processed/README.md,
with schemas for the tables and the JSON files the reports read."""

import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import catalog
from helpers.cleaning import schemas
from helpers.config import ROOT

README = ROOT / "data" / "processed" / "README.md"


def _pattern() -> re.Pattern:
    """A processed file's name in quotes (``"summary.json"``, ``'tinjau/padan.csv'``), or one of the catalog's
    folders used as a path part (``/ "tinjau"``, ``"tinjau/``)."""
    files = {e.name for e in catalog.ENTRIES if not e.path.endswith("/")}
    folders = {p.split("/")[0] for p in (e.path for e in catalog.ENTRIES) if "/" in p}
    file_names = "|".join(re.escape(n) for n in sorted(files))
    folder_names = "|".join(re.escape(n) for n in sorted(folders))
    return re.compile(
        rf"""["'](?:[\w{{}}./-]*/)?({file_names})["']"""
        rf"""|["'][\w{{}}./-]*/({folder_names})["'/]|/\s*["']({folder_names})["']|["']({folder_names})/"""
    )


def _sources() -> list[Path]:
    files = [*(ROOT / "src" / "helpers").rglob("*.py"), *(ROOT / "notebooks").glob("*.py")]
    return [f for f in files if f.name != "catalog.py" and "demo" not in f.relative_to(ROOT).parts]


def test_no_processed_file_name_is_typed_outside_the_catalog():
    pattern = _pattern()
    found = [
        f"{source.relative_to(ROOT)}:{number}: {line.strip()}"
        for source in _sources()
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, "processed file names typed outside helpers/catalog.py:\n" + "\n".join(found)


def test_the_grep_finds_a_typed_name(tmp_path):
    """The check above is not vacuous: a literal name in a line is found by its pattern."""
    pattern = _pattern()
    assert pattern.search('path = processed / "summary.json"')
    assert pattern.search("read('tinjau/padan.csv')") and pattern.search('processed / "tinjau" / name')
    assert pattern.search("shutil.rmtree('{processed}/_cache')")
    assert not pattern.search("catalog.SUMMARY.at(processed)") and not pattern.search('frame["tinjau"] = 1')


def test_readme_documents_exactly_the_catalog():
    text = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"^### `([^`]+)`", text, flags=re.M))
    assert documented == {e.path for e in catalog.ENTRIES}
    for entry in catalog.ENTRIES:
        if entry.schema in schemas.SCHEMAS:  # every column of the schema is named in its section
            section = text.split(f"### `{entry.path}`", 1)[1].split("\n### ", 1)[0]
            missing = [c for c in schemas.SCHEMAS[entry.schema].columns if f"`{c}`" not in section]
            assert not missing, f"{entry.path}: columns not documented: {missing}"


def test_every_schema_named_by_the_catalog_exists_and_json_is_checked():
    for entry in catalog.ENTRIES:
        if entry.schema:
            assert entry.schema in schemas.SCHEMAS or entry.schema in catalog.JSON_SCHEMAS, entry.path
    assert catalog.SUMMARY.schema in catalog.JSON_SCHEMAS and catalog.STATUS_PUTARAN.schema in schemas.SCHEMAS
    with pytest.raises(RuntimeError, match="summary.json.*required"):
        catalog.check_json(catalog.SUMMARY, {"tanggal_laporan": "2024-11-06", "masih_desil1": 3})


def test_write_and_read_through_the_catalog(tmp_path):
    frame = pd.DataFrame({"a": [1, 2]})
    path = catalog.write(catalog.KARANTINA, frame, tmp_path, input="sk")
    assert path == tmp_path / "karantina" / "sk.csv" and path.is_file()
    with pytest.raises(Exception, match="01_clean"):
        catalog.read_parquet(catalog.SK, tmp_path)


def test_status_putaran_schema_refuses_a_second_row_for_one_person_in_a_round():
    row = {"putaran": 1, "nama_putaran": "Putaran 1", "periode_awal": "2024-10-01", "periode_akhir": "2024-10-07",
           "tanggal": "2024-10-05", "id_sasaran": "SK-0123456789", "kode_kecamatan": "35.17.06",
           "kode_desa": "35.17.06.2001", "status_desil": "masih_desil1", "status_intervensi": "optimal",
           "status_keberadaan": "ada", "perlu_tindakan": False}  # fmt: skip
    frame = pd.DataFrame([row, row]).astype({c: "string" for c in row if c not in ("putaran", "perlu_tindakan")})
    schemas.validate("status_putaran", frame.iloc[:1])
    with pytest.raises(Exception, match="satu baris per sasaran per putaran"):
        schemas.validate("status_putaran", frame)
