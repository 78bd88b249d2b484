"""Endpoint scanner benchmark: many loopback TLS endpoints scanned in one run (``python -m bench.endpoint``)."""
