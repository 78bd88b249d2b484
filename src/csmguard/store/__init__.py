"""Persistence: SQLAlchemy 2 models, the engine, sessions and Alembic migrations (SQLite or PostgreSQL)."""
