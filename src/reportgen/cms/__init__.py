"""The clerks' web forms: Decap CMS configured from the one schema (``schema/kinds.py``)."""
