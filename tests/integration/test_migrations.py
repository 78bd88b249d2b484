"""The migrations of every branch (core, web, social) create exactly the tables the models declare."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from csmguard.store import models, models_social, models_web
from csmguard.store.db import Base, make_engine, migrate


def test_migrating_to_heads_matches_every_model(tmp_path: Path) -> None:
    assert models and models_social and models_web  # every table module is imported into Base.metadata
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []
