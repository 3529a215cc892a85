"""Rewrite the README's parameter table from helpers.params (tests/test_params.py checks they are equal)."""

from pathlib import Path

from helpers import params
from helpers.config import ROOT

START, END = "<!-- parameter:mulai -->", "<!-- parameter:selesai -->"
readme = Path(ROOT / "README.md")
text = readme.read_text(encoding="utf-8")
head, rest = text.split(START, 1)
readme.write_text(f"{head}{START}\n{params.markdown_table()}\n{END}{rest.split(END, 1)[1]}", encoding="utf-8")
