"""Mapping files of the foreign tools' rule IDs to the guideline's clauses (data)."""
