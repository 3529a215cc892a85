"""The exploration API (helpers.jelajah) on a small synthetic processed folder, and notebook 05_jelajah run on it."""

from __future__ import annotations

import json
import time

import pandas as pd
import pytest

from helpers import jelajah, params
from helpers.config import NOTEBOOKS_DIR
from helpers.errors import InputError
from helpers.vocabulary import perlu_tindakan

MOJOWARNO, KARANGLO, LATSARI, MENGANTO = "35.17.07", "35.17.07.2002", "35.17.07.2003", "35.17.07.2012"
DIWEK, DIWEK_DESA = "35.17.08", "35.17.08.2001"
REPORT_DATE = "2024-11-06"

# status_desil, status_intervensi, status_keberadaan, desa, nik
PEOPLE = [
    ("masih_desil1", "belum_optimal", "ada", KARANGLO, "3517070101800001"),  # perlu tindakan
    ("masih_desil1", "belum_intervensi", "belum_diverifikasi", KARANGLO, "3517070101800002"),  # perlu tindakan
    ("masih_desil1", "belum_optimal", "meninggal", KARANGLO, "3517070101800003"),
    ("masih_desil1", "optimal", "ada", LATSARI, "3517070101800004"),
    ("masih_desil1", "belum_optimal", "ada", LATSARI, "3517070101800005"),  # perlu tindakan
    ("keluar_desil1", "belum_optimal", "ada", LATSARI, "3517070101800006"),
    ("masih_desil1", "belum_optimal", "ada", DIWEK_DESA, "3517080101800007"),  # perlu tindakan, another kecamatan
    ("tidak_padan", "belum_intervensi", "belum_diverifikasi", MENGANTO, "3517070101800008"),
]
# nik, opd, program, date
INTERVENTIONS = [
    ("3517070101800001", "Dinas Sosial", "PKH", "2024-10-01"),
    ("3517070101800001", "Dinas Perkim", "Rehab RTLH", "2024-10-02"),
    ("3517070101800003", "Dinas Sosial", "BPNT", "2024-09-01"),
    ("3517070101800004", "Dinas Sosial", "PKH", "2024-09-01"),
    ("3517070101800004", "Dinas Kesehatan", "PBI-JK", "2024-09-01"),
    ("3517070101800005", "Dinas Perkim", "Rehab RTLH", "2024-12-01"),  # after the report date: not counted
    ("3517070101800006", "Dinas Koperasi dan UMKM", "KUR", "2024-09-01"),  # left desil 1: not counted
    ("3517080101800007", "Dinas Sosial", "PKH", "2024-09-01"),  # another kecamatan: not counted
]


def write_processed(folder):
    """A processed folder as 01_clean and 02_match leave it, on eight synthetic people."""
    folder.mkdir(parents=True, exist_ok=True)
    status = pd.DataFrame(PEOPLE, columns=["status_desil", "status_intervensi", "status_keberadaan", "kode_desa", "nik"])
    status = status.astype("string")
    status["kode_kecamatan"] = status["kode_desa"].str[:8]
    status["nama_kecamatan"] = status["kode_kecamatan"].map({MOJOWARNO: "Mojowarno", DIWEK: "Diwek"})
    status["nama_desa"] = status["kode_desa"].map(
        {KARANGLO: "Karanglo", LATSARI: "Latsari", MENGANTO: "Menganto", DIWEK_DESA: "Kayangan"})  # fmt: skip
    status["id_sasaran"] = [f"SK-{i:010d}" for i in range(len(status))]
    status["nama"] = [f"Warga Uji {i}" for i in range(len(status))]
    status["program_diterima"] = pd.array([None] * len(status), dtype="string")
    status["perlu_tindakan"] = perlu_tindakan(status["status_desil"], status["status_intervensi"], status["status_keberadaan"])
    status.to_parquet(folder / "status_sasaran.parquet")
    pd.DataFrame({"putaran": [1], "id_sasaran": ["SK-0000000000"]}).to_parquet(folder / "status_putaran.parquet")
    interventions = pd.DataFrame(INTERVENTIONS, columns=["nik", "opd", "program", "tanggal_intervensi"]).astype("string")
    interventions["tanggal_intervensi"] = pd.to_datetime(interventions["tanggal_intervensi"])
    interventions.to_parquet(folder / "intervensi.parquet")
    pd.DataFrame({"id_keluarga": ["K1"]}).to_parquet(folder / "p3ke_keluarga.parquet")
    (folder / "summary.json").write_text(json.dumps({"tanggal_laporan": REPORT_DATE, "sasaran_sk": len(status)}))
    (folder / "parameter_run.json").write_text(json.dumps({"report_date": REPORT_DATE, "register": "p3ke",
                                                           "register_label": "P3KE 2024"}))  # fmt: skip
    return folder


@pytest.fixture
def run(tmp_path):
    return jelajah.load_run(write_processed(tmp_path / "processed"))


def test_load_run_reads_every_table_once_and_says_when_files_are_not_one_run(run, tmp_path):
    assert len(run.status_sasaran) == len(PEOPLE) and len(run.intervensi) == len(INTERVENTIONS)
    assert run.kode_kabupaten == "35.17" and run.report_date == REPORT_DATE and run.register == "P3KE 2024"
    assert run.summary["sasaran_sk"] == len(PEOPLE) and len(run.status_putaran) == 1 and len(run.keluarga) == 1
    assert run.run_id is None and "run.json" in run.warning  # no run manifest: loaded, with a warning
    assert len(run.table("intervensi")) == len(INTERVENTIONS)
    with pytest.raises(InputError, match="verifikasi tidak ada"):
        run.table("verifikasi")
    with pytest.raises(InputError, match="jalankan dulu pipeline"):
        jelajah.load_run(tmp_path / "kosong")


def test_load_run_takes_relative_paths_from_the_repository_root(tmp_path, monkeypatch):
    """As the notebooks: `data/processed` means the same folder from notebooks/ and from the root."""
    write_processed(tmp_path / "data" / "processed")
    monkeypatch.setattr(params, "ROOT", tmp_path)
    (tmp_path / "notebooks").mkdir()
    for cwd in (tmp_path, tmp_path / "notebooks"):
        monkeypatch.chdir(cwd)
        assert jelajah.load_run().processed_dir == (tmp_path / "data" / "processed").resolve()
        assert jelajah.load_run("data/processed").summary["sasaran_sk"] == len(PEOPLE)


@pytest.mark.parametrize("typed", ["Mojowarno", "mojowarno", "MOJO WARNO", "Kec. Mojowarno", "Mojowarna", "35.17.07", "351707"])
def test_a_kecamatan_by_name_in_any_case_with_a_small_typo_or_by_code(typed):
    assert jelajah.find_kecamatan(typed) == (MOJOWARNO, "Mojowarno")


def test_an_unknown_kecamatan_or_desa_is_a_clear_error():
    with pytest.raises(InputError, match="Mungkin maksudnya: Mojowarno"):
        jelajah.find_kecamatan("Mojowaru Kidul")
    with pytest.raises(InputError, match="Kode kecamatan \"35.17.99\" tidak ada"):
        jelajah.find_kecamatan("35.17.99")
    with pytest.raises(InputError, match="ada di beberapa kecamatan \\(Megaluh, Perak, Peterongan\\)"):
        jelajah.find_desa("sumberagung")
    assert jelajah.find_desa("sumberagung", kecamatan="perak")[0] == "35.17.01.2003"
    assert jelajah.find_desa("karanglo")[:2] == (KARANGLO, "Karanglo")  # one desa of that name in the kabupaten
    assert jelajah.find_desa(KARANGLO, kecamatan=MOJOWARNO)[0] == KARANGLO


def test_filter_by_kecamatan_or_desa(run):
    assert set(run.sasaran("mojowarno")["kode_desa"]) == {KARANGLO, LATSARI, MENGANTO}
    assert list(run.sasaran("Mojowarno", desa="Latsari")["nik"]) == ["3517070101800004", "3517070101800005", "3517070101800006"]
    assert len(run.sasaran()) == len(PEOPLE)
    assert run.area("mojowarno", "karanglo").label == "Desa/Kelurahan Karanglo, Kecamatan Mojowarno"


def test_which_desa_has_the_most_people_needing_action(run):
    ranking = jelajah.desa_ranking(run, "Mojowarno")
    assert ranking["Wilayah"].iloc[0] == "Karanglo" and ranking["Perlu tindakan"].iloc[0] == 2
    assert ranking["Perlu tindakan"].sum() == 3  # Diwek's person is not in Mojowarno
    assert len(ranking) == 19  # every desa of the kecamatan, with zeros
    kecamatan = jelajah.kecamatan_ranking(run)
    assert list(kecamatan["Wilayah"].iloc[:2]) == ["Mojowarno", "Diwek"] and len(kecamatan) == 21


def test_which_opd_serves_the_people_still_in_desil_1_there(run):
    table = jelajah.opd_serving(run, "mojowarno")
    # still in desil 1 in Mojowarno: people 1–5; reached up to the report date: 1 (Sosial, Perkim), 3 (Sosial),
    # 4 (Sosial, Kesehatan); 5 only after the report date, 2 never
    assert list(table["OPD"]) == ["Dinas Sosial", "Dinas Kesehatan", "Dinas Perkim"]
    assert list(table["Jiwa"]) == [3, 1, 1]
    assert table.loc[table["OPD"] == "Dinas Sosial", "Program"].iloc[0] == "BPNT; PKH"
    assert table.attrs == {"masih_desil1": 5, "tanpa_intervensi": 2}
    desa = jelajah.opd_serving(run, "Mojowarno", desa="Latsari")
    assert list(desa["OPD"]) == ["Dinas Kesehatan", "Dinas Sosial"] and desa.attrs["tanpa_intervensi"] == 1


def test_people_table_masks_nik_and_speaks_indonesian(run):
    table = jelajah.people_table(run.sasaran("Mojowarno", desa="Karanglo"))
    assert not table["NIK"].str.fullmatch(r"\d{16}").any() and table["NIK"].str.startswith("3517").all()
    assert set(table["Status desil"]) == {"Masih di desil 1"} and "Belum diintervensi" in set(table["Intervensi"])
    assert jelajah.people_table(run.sasaran("Mojowarno"), mask_nik=False)["NIK"].str.fullmatch(r"\d{16}").all()


def test_interactive_tables_are_offline_and_in_indonesian(run):
    html = jelajah.table_html(jelajah.desa_ranking(run, "Mojowarno"))
    assert "Cari:" in html and "toLocaleString('id-ID'" in html
    assert "https://" not in html.replace("https://itables.org", "")  # no library or translation from a CDN


def test_a_map_of_one_kecamatan_in_a_few_seconds(run):
    start = time.perf_counter()
    figure = jelajah.kecamatan_map(run, "mojowarno")
    elapsed = time.perf_counter() - start
    texts = " ".join(t.get_text() for t in figure.texts)
    assert "Kecamatan Mojowarno menurut desa/kelurahan" in texts and "6 November 2024" in texts
    assert elapsed < 15, elapsed
    with pytest.raises(InputError, match="Pilihan"):
        jelajah.kecamatan_map(run, "mojowarno", "perlu_tindakan")


def test_notebook_05_declares_only_declared_parameters_with_their_defaults():
    import ast

    import papermill as pm

    declared = pm.inspect_notebook(str(NOTEBOOKS_DIR / "05_jelajah.ipynb"))
    assert declared and set(declared) <= set(params.DEFAULTS)
    for name, info in declared.items():
        assert ast.literal_eval(info["default"]) == params.DEFAULTS[name], name


@pytest.mark.slow
def test_notebook_05_answers_its_examples(tmp_path):
    import papermill as pm

    processed = write_processed(tmp_path / "processed")
    out = tmp_path / "05_jelajah.ipynb"
    pm.execute_notebook(str(NOTEBOOKS_DIR / "05_jelajah.ipynb"), str(out), kernel_name="python3", progress_bar=False,
                        parameters={"processed_dir": str(processed), "kecamatan": "mojo warno"}, cwd=str(NOTEBOOKS_DIR))  # fmt: skip
    outputs = [o for c in json.loads(out.read_text())["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    text = " ".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "Kecamatan yang dijelajahi di bawah: **Mojowarno** (dipilih pada parameter)" in text
    assert "sasaran perlu tindakan terbanyak ada di **Karanglo**: 2 jiwa dari 3 jiwa" in text
    assert "5 jiwa sasaran masih di desil 1 di Kecamatan Mojowarno; paling banyak dijangkau **Dinas Sosial** (3 jiwa)" in text
    assert "2 jiwa belum menerima program OPD" in text
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 1
    assert not [o for o in outputs if o["output_type"] == "error"]
