"""Statuses of every SK person at a report date, ``summary.json`` and rounds (``classify``); verification
records of the camat (``verifikasi``)."""

from helpers.statuses.classify import headline_table, naive_comparison, read_summary, run_status, status_counts

__all__ = ["headline_table", "naive_comparison", "read_summary", "run_status", "status_counts"]
