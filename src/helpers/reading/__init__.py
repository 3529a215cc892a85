"""Reading raw inputs: the raw-data contract (``contract``) and the readers of xlsx/csv/parquet (``readers``)."""
