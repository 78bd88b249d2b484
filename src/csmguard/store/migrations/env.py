"""Alembic environment: runs on the connection given by :func:`csmguard.store.db.migrate`, or on the URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from csmguard.store import (  # noqa: F401  (every table, for autogenerate)
    models,
    models_jobs,
    models_notify,
    models_policy,
    models_social,
    models_web,
    models_workflow,
)
from csmguard.store.db import Base, make_engine

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
