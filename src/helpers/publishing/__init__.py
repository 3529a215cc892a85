"""Publishing: boundaries and maps, Indonesian formatting, report content and rendering, verification forms.

``boundaries``, ``maps``, ``fmt``, ``content`` (the report's building blocks), ``render`` (HTML reports),
``forms`` (BNBA workbooks for camat)."""
