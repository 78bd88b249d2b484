"""The firm's policy: the settings the guideline leaves to the firm (with their shipped defaults) and the
good-practice rules the firm adopts."""
