"""The web application for compliance teams: ``csmguard serve`` (FastAPI, server-rendered, HTMX)."""
