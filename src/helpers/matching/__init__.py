"""Matching ("padu padan") of the SK list to the register (``padan``)."""

from helpers.matching.padan import CHARTS_DIR, corrections_table, match_sk, method_table

__all__ = ["CHARTS_DIR", "corrections_table", "match_sk", "method_table"]
