"""Alembic environment, packaged inside duban so an installed copy can migrate.

`duban.db.upgrade()` passes an open connection in `config.attributes`; the
`alembic` command line (for writing new migrations) falls back to the URL.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from duban.db import metadata

config = context.config
target_metadata = metadata()  # every domain's models, not only the ledger's


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    engine = engine_from_config(config.get_section(config.config_ini_section, {}),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.begin() as conn:
        _configure(conn)


def run_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
