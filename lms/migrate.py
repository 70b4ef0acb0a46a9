"""Alembic, called from Python so `flask lms db upgrade`, `make run` and the tests share one path."""

from __future__ import annotations

from alembic import command
from alembic.config import Config as AlembicConfig

from lms.config import ROOT


def alembic_config(database_url: str) -> AlembicConfig:
    config = AlembicConfig(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
