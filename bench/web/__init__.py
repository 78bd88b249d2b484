"""Benchmark of the web app: dashboard and requirement pages under 50 concurrent clients."""
