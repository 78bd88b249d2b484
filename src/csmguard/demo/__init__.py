"""The demonstration: a fictional securities firm, used by ``csmguard demo`` and ``make demo``."""
