"""Cleaning: every raw input -> a processed table, quarantine with reasons, row conservation (``tables``);
NIK normalisation (``nik``); the pandera schemas of the processed tables (``schemas``)."""

from helpers.cleaning.tables import clean_all, read_ringkasan, read_tables

__all__ = ["clean_all", "read_ringkasan", "read_tables"]
