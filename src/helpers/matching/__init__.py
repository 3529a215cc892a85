"""Matching ("padu padan") of the SK list to the register (``padan``)."""

from helpers.matching.padan import corrections_table, match_sk, method_table

__all__ = ["corrections_table", "match_sk", "method_table"]
