"""Benchmark of ``csmguard scan app`` against mobsfscan 1.1 and detect-secrets 1.5 (run: python -m bench.app)."""
