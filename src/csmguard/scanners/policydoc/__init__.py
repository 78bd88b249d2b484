"""The policy document scanner (CSM-10.1, 10.2, 14.1–14.5, 15.2): required elements present or missing."""
