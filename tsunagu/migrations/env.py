"""Alembic environment: the URL comes from tsunagu.db.alembic_config."""

from alembic import context
from sqlalchemy import create_engine, pool

from tsunagu.db import make_engine
from tsunagu.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    # SQLite: our engine (WAL, BEGIN IMMEDIATE); PostgreSQL: a plain one without a pool.
    engine = (make_engine(url) if url.startswith("sqlite")
              else create_engine(url, poolclass=pool.NullPool))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
