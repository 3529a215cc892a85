"""What a per-input cleaner returns (:class:`Cleaned`: the cleaned columns, the quarantine reasons, the fixes
counted) and how it collects the reasons a row is quarantined (:class:`Reasons`), in plain Indonesian."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class Cleaned:
    """What a cleaner returns: the cleaned columns (same index as the input), quarantine reasons, fixes."""

    data: pd.DataFrame
    alasan: pd.Series
    perbaikan: dict[str, Any] = field(default_factory=dict)
    #: Rows naming a person that cannot be placed in a kecamatan/desa (SK: they stop the run, :mod:`helpers.guards`).
    tidak_tertempatkan: pd.Series | None = None


class Reasons:
    """Collects quarantine reasons per row; a row may have several, joined with ``"; "``."""

    def __init__(self, index: pd.Index):
        self.index = index
        self._parts: list[pd.Series] = []

    def add(self, mask: pd.Series, message: str | pd.Series) -> None:
        mask = pd.Series(mask, index=self.index).fillna(False).astype(bool)
        if not mask.any():
            return
        if isinstance(message, str):
            part = pd.Series(pd.NA, index=self.index, dtype="string")
            part[mask] = message
        else:  # a row flagged without a message is still quarantined
            part = message.astype("string").fillna("Baris tidak dapat dipakai").where(mask)
        self._parts.append(part)

    def result(self) -> pd.Series:
        if not self._parts:
            return pd.Series(pd.NA, index=self.index, dtype="string")
        stacked = pd.concat(self._parts, axis=1, ignore_index=True).stack().dropna()
        joined = stacked.groupby(level=0).agg("; ".join)
        return joined.reindex(self.index).astype("string")
