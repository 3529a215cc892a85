"""Helpers for the extreme-poverty monitoring of Kabupaten Jombang (SK Bupati x P3KE 2024).

One subpackage per pipeline stage: ``reading`` (the raw-data contract and readers), ``reference`` (gazetteer,
region names, reference figures), ``cleaning``, ``matching`` (probabilistic padu padan), ``statuses``,
``publishing`` (maps, report content and rendering, forms) and ``demo`` (synthetic data; never imported by the
pipeline). The domain vocabulary lives in ``vocabulary``; ``python -m helpers`` is the command line.
Notebooks only call into these modules.
"""

__version__ = "0.2.0"
