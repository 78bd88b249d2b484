"""The database engine, the one declarative base, sessions and programmatic Alembic migrations."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session

from csmguard.domain.errors import InputError

# How long a SQLite writer waits for another process's write transaction before giving up.
BUSY_TIMEOUT_SECONDS = 10

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative base of every table of CSM Guard (core, registers and web): one metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling is off (isolation_level=None); SQLAlchemy's "begin" event
    # below emits BEGIN, so DDL and DML alike are transactional.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def make_engine(url: str, *, connection_info: Mapping[str, Any] | None = None) -> Engine:
    """An engine for ``url``: SQLite files get WAL and foreign keys on every connection;
    PostgreSQL (``postgresql+psycopg://…``) works through the same call. ``connection_info`` is put in
    every connection's ``info`` (e.g. the workspace's audit seal, read by the audit service)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        engine = create_engine(url, pool_pre_ping=True)
    if connection_info:
        info = dict(connection_info)

        def _info(_dbapi_connection: Any, record: Any) -> None:
            record.info.update(info)

        event.listen(engine, "connect", _info)
    return engine


class WorkspaceBusy(InputError):
    """The database stayed locked by another process's write for longer than the busy timeout."""

    def __init__(self, database: str | None) -> None:
        super().__init__(database, f"workspace is busy: another process has been writing to its database for "
                                   f"more than {BUSY_TIMEOUT_SECONDS} s; nothing was changed, try again when "
                                   "it has finished / 工作區忙碌中：另一個程序正在寫入資料庫，"
                                   "本次未變更任何資料，請稍後再試")


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` is SQLite's "database is locked/busy" (the busy timeout ran out)."""
    if not isinstance(error, OperationalError):
        return False
    text = str(error.orig if error.orig is not None else error).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back when it raises. SQLite's
    "database is locked" (another process kept writing past the busy timeout) becomes :class:`WorkspaceBusy`,
    an input error (exit 2), instead of a traceback."""
    session = Session(bind=engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException as error:
        session.rollback()
        if is_busy(error):
            raise WorkspaceBusy(engine.url.database) from error
        raise
    finally:
        session.close()


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic configuration whose scripts are the migrations shipped inside the package."""
    config = Config()
    location = resources.files("csmguard.store").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def _as_engine(engine_or_url: Engine | str) -> tuple[Engine, bool]:
    if isinstance(engine_or_url, Engine):
        return engine_or_url, False
    return make_engine(engine_or_url), True


def migrate(engine_or_url: Engine | str) -> None:
    """Upgrade the database to every head (the ``core`` branch and any other, e.g. ``web``)."""
    engine, owned = _as_engine(engine_or_url)
    try:
        config = alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
    finally:
        if owned:
            engine.dispose()


def needs_migration(engine: Engine) -> bool:
    """Whether the database is behind the heads of the shipped migrations."""
    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current != set(script.get_heads())
