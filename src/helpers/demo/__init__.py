"""The synthetic demo dataset and its ground truth (``python -m helpers demo``).

Only tests and the benchmark use it: the pipeline never imports this package."""
