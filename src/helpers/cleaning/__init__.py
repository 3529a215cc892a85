"""Cleaning: every raw input -> a processed table, quarantine with reasons, row conservation.

``normalise`` (value normalisers), ``nik`` (NIK normalisation and masking), ``regions`` (kecamatan/desa, wrong
kabupaten), ``quarantine`` (reasons, what a cleaner returns), ``registers`` and ``records`` (the cleaner of each
input), ``footers`` (totals and signature rows), ``ids`` (``id_sasaran``), ``inputs`` (one input, row
conservation), ``step`` (all inputs: ``clean_all``), ``processed`` (written and read back), ``schemas`` (the
pandera schemas of the processed tables)."""

from helpers.cleaning.processed import read_ringkasan, read_tables
from helpers.cleaning.step import clean_all

__all__ = ["clean_all", "read_ringkasan", "read_tables"]
