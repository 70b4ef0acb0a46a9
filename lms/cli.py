"""`flask lms ...` commands: thin wrappers that call services and commit once."""

from __future__ import annotations

import sqlite3
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import make_url

from lms.certificates.cli import certificates_cli
from lms.classes.room.cli import room_cli
from lms.classes.roster.cli import classes_cli
from lms.db import get_session, utcnow
from lms.quizzes.cli import quizzes_cli
from lms.zoom.cli import zoom_cli

lms_cli = AppGroup("lms", help="ISO training platform commands.")
db_cli = AppGroup("db", help="Database schema (Alembic).")
content_cli = AppGroup("content", help="Course content from content/.")
lms_cli.add_command(db_cli)
lms_cli.add_command(quizzes_cli)
lms_cli.add_command(content_cli)
lms_cli.add_command(certificates_cli)
lms_cli.add_command(zoom_cli)
lms_cli.add_command(classes_cli)
lms_cli.add_command(room_cli)


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration (alembic upgrade head)."""
    from lms.migrate import upgrade

    upgrade(current_app.config["DATABASE_URL"])
    click.echo("database is up to date")


@content_cli.command("sync")
def content_sync() -> None:
    """Load or update courses from content/; on any error nothing is loaded."""
    from lms.content_sync import ContentSyncError, sync_content

    session = get_session()
    try:
        report = sync_content(session, current_app.config["CONTENT_DIR"], now=utcnow())
    except ContentSyncError as error:
        session.rollback()
        click.echo(str(error), err=True)
        click.echo("content sync failed: nothing was loaded", err=True)
        sys.exit(1)
    session.commit()
    for line in report:
        click.echo(line)


@lms_cli.command("seed-demo")
def seed_demo_command() -> None:
    """Create the demo organising body, people and class (only once)."""
    from lms.demo import seed_demo

    session = get_session()
    logins = seed_demo(session)
    session.commit()
    _print_logins(logins)


def _print_logins(logins) -> None:
    if not logins:
        click.echo("demo data already present (nothing changed)")
        return
    click.echo("Demo logins (change them before real use):")
    width = max(len(login.username) for login in logins)
    for login in logins:
        click.echo(f"  {login.role:<10} {login.username:<{width}}  password: {login.password}")


@lms_cli.command("setup")
@click.option("--demo/--no-demo", default=True, help="Create demo data on the first run.")
def setup(demo: bool) -> None:
    """Migrate, load content/ and (first run only) create demo data: what `make run` does."""
    from lms.migrate import upgrade

    upgrade(current_app.config["DATABASE_URL"])
    ctx = click.get_current_context()
    ctx.invoke(content_sync)
    if demo:
        ctx.invoke(seed_demo_command)


@lms_cli.command("create-admin")
@click.option("--username", required=True)
@click.option("--full-name", required=True)
@click.password_option()
def create_admin(username: str, full_name: str, password: str) -> None:
    """Create an administrator account."""
    from lms.audit.services import record
    from lms.auth.models import Role
    from lms.auth.services import AccountInput, create_user
    from lms.errors import DomainError

    session = get_session()
    try:
        user = create_user(session, AccountInput(username=username, full_name=full_name, role=Role.ADMIN,
                                                 password=password))
    except DomainError as error:
        raise click.ClickException(error.message) from error
    record(session, "user.create", actor_id=None, body_id=None, target_type="user", target_id=user.id,
           target_label=user.full_name, after={"username": user.username, "role": user.role})
    session.commit()
    click.echo(f"administrator {username} created")


@lms_cli.command("backup")
@click.option("--output", type=click.Path(dir_okay=False), help="Where to write the copy.")
def backup(output: str | None) -> None:
    """Consistent copy of the SQLite database while the app serves (SQLite's online backup API)."""
    url = make_url(current_app.config["DATABASE_URL"])
    if not url.drivername.startswith("sqlite") or not url.database or url.database == ":memory:":
        raise click.ClickException("backup works on a SQLite file; for PostgreSQL use pg_dump (see README)")
    target = Path(output or f"{url.database}.backup-{datetime.now():%Y%m%d-%H%M%S}")
    click.echo(f"backed up to {copy_sqlite(Path(url.database), target)}")


def copy_sqlite(source: Path, target: Path) -> Path:
    """Copy page by page; writers may go on meanwhile, the copy is one consistent snapshot."""
    if not source.is_file():
        raise click.ClickException(f"no database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=1024)
    return target
