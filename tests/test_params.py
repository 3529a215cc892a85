import pytest

from helpers import params
from helpers.config import ROOT
from helpers.errors import InputError


def test_defaults_and_overrides(tmp_path):
    yaml_file = tmp_path / "p.yaml"
    yaml_file.write_text('report_date: "2024-11-20"\nambang_padan: 6\n')
    got = params.resolve(yaml_file, [("min_strategi", "3"), ("kecamatan", "0012")])
    assert got["report_date"] == "2024-11-20" and got["ambang_padan"] == 6.0
    assert got["min_strategi"] == 3 and got["kecamatan"] == "0012"


@pytest.mark.parametrize("bad", ["06-11-2024", "2024/11/06", "2024-13-01", "kemarin", "20241106"])
def test_report_date_in_wrong_format_is_a_clear_error(bad):
    with pytest.raises(InputError, match="TTTT-BB-HH"):
        params.resolve(overrides={"report_date": bad})


def test_unknown_parameter_and_bad_values():
    with pytest.raises(InputError, match="tidak dikenal"):
        params.resolve(overrides={"tanggal": "2024-11-06"})
    with pytest.raises(InputError, match="min_strategi"):
        params.resolve(overrides={"min_strategi": "4"})
    with pytest.raises(InputError, match="ambang_padan"):
        params.resolve(overrides={"ambang_padan": "tinggi"})
    with pytest.raises(InputError, match="ambang_tinjau.*lebih kecil"):
        params.resolve(overrides={"ambang_tinjau": "5", "ambang_padan": "4"})


def test_for_notebook_takes_the_known_parameters_of_the_namespace(capsys):
    namespace = {"report_date": "2024-11-20", "processed_dir": "data/processed", "x": 1, "__name__": "nb"}
    resolved = params.for_notebook("02_match", namespace)
    assert resolved["report_date"] == "2024-11-20" and resolved["min_strategi"] == params.DEFAULTS["min_strategi"]
    assert resolved["processed_dir"] == str(ROOT / "data" / "processed")
    assert "Tanggal laporan: 2024-11-20" in capsys.readouterr().out


def test_for_notebook_reads_only_the_step_s_parameters_and_empty_means_default():
    # notebook 03 sets a variable "register" (a label); it is not one of 03's parameters, so it is never read
    namespace = {"register": "P3KE 2024", "raw_dir": "", "processed_dir": None, "kecamatan": "",
                 "report_date": "2024-11-06"}
    resolved = params.for_notebook("03_map", namespace, quiet=True)
    assert resolved["register"] == params.DEFAULTS["register"]
    assert resolved["raw_dir"] == str(ROOT / "data" / "raw") and resolved["processed_dir"] == str(ROOT / "data" / "processed")
    with pytest.raises(InputError, match="register"):
        params.for_notebook("02_match", namespace, quiet=True)  # 02 does take register: a label is refused


def test_every_step_takes_known_parameters_and_the_readme_table_is_generated():
    for step in params.STEP_NAMES:
        assert set(params.for_step(step)) <= set(params.DEFAULTS)
    with pytest.raises(InputError, match="tidak dikenal"):
        params.for_step("05_tidak_ada")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- parameter:mulai -->\n", "\n<!-- parameter:selesai -->"
    table = readme[readme.index(start) + len(start) : readme.index(end)]
    assert table == params.markdown_table(), "run: .venv/bin/python scripts/update_readme_parameters.py"


@pytest.mark.parametrize("step", params.STEP_NAMES)
def test_notebook_parameters_cell_equals_the_declaration(step):
    """Each notebook's parameters cell: exactly the step's parameters, in declaration order, with their defaults."""
    import ast

    import papermill as pm

    from helpers.config import NOTEBOOKS_DIR

    declared = pm.inspect_notebook(str(NOTEBOOKS_DIR / f"{step}.ipynb"))
    assert list(declared) == list(params.for_step(step))
    for name, info in declared.items():
        assert ast.literal_eval(info["default"]) == params.BY_NAME[name].default, name
