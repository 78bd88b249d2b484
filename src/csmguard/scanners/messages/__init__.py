"""The message scanner (CSM-16.2): sensitive data left unmasked in SMS / push templates and logs."""
