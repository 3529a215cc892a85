"""Matching ("padu padan") of the SK list to the register (``padan``)."""

from helpers.matching.padan import match_sk, method_table

__all__ = ["match_sk", "method_table"]
