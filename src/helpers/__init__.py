"""Helpers for the extreme-poverty monitoring of Kabupaten Jombang (SK Bupati x P3KE 2024).

Each module does one job: reading inputs (``readers``, ``contract``), regions and names
(``wilayah``), NIK (``nik``), cleaning, matching, statuses, maps, reports, forms, demo data and
the pipeline runner. Notebooks only call into these modules.
"""

__version__ = "0.1.0"
