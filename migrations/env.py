"""Alembic environment: the URL comes from the caller (lms.migrate) or from lms.config."""

from alembic import context

import lms.models  # noqa: F401  (registers every table on Base.metadata)
from lms.config import Config
from lms.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def render_item(type_, obj, autogen_context):
    """Write our UTC type as a plain timezone-aware DateTime so revisions never import lms."""
    from lms.db import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def database_url() -> str:
    return config.attributes.get("database_url") or Config.DATABASE_URL


def run_migrations_offline() -> None:
    url = database_url()
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = database_url()
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=url.startswith("sqlite"), compare_type=True, render_item=render_item)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
