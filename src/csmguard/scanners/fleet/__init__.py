"""The device fleet scanner (``csmguard scan fleet``, rules DEV-…): MDM exports → Device facts → verdicts
on articles 14 and 15, per device and for the fleet."""
