"""The Alembic migrations build exactly the schema the models describe (no change left without a migration)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import lms.models  # noqa: F401 - every feature's models, registered on Base.metadata
from lms.db import Base


def test_migrations_match_the_models(db_session):
    context = MigrationContext.configure(db_session.connection(), opts={"compare_type": True})
    assert compare_metadata(context, Base.metadata) == []
