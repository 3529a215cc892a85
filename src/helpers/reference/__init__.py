"""Reference data: the Kemendagri gazetteer and region-name normaliser (``wilayah``), BPS figures,
population and the programme → strategy table (``figures``). Files live in ``helpers/data/``."""
