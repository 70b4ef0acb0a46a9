"""`flask lms zoom ...`: set a body's secret token (prints the webhook address last) and replay stored events."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from lms.db import get_session, utcnow
from lms.errors import DomainError
from lms.zoom import services

zoom_cli = AppGroup("zoom", help="Zoom webhook: tokens and stored events.")


@zoom_cli.command("set-token")
@click.argument("body")
@click.argument("token")
def set_token_command(body: str, token: str) -> None:
    """Set the Zoom secret token of BODY (its id or short name); the last line is the webhook address."""
    db = get_session()
    try:
        found = services.find_body(db, body)
        hook = services.set_token(db, None, found, token, secret_key=current_app.secret_key, now=utcnow())
    except DomainError as error:
        db.rollback()
        click.echo(error.message, err=True)
        sys.exit(1)
    db.commit()
    click.echo(f"Zoom secret token saved for {found.name}. Paste this address into the Zoom app:")
    click.echo(services.webhook_url(hook, current_app.config["PUBLIC_BASE_URL"]))


@zoom_cli.command("replay")
@click.option("--failed", is_flag=True, help="Only the events whose processing failed.")
def replay_command(failed: bool) -> None:
    """Process stored Zoom events again, in the order received; repeated events change nothing."""
    db = get_session()
    report = services.replay(db, failed_only=failed, now=utcnow())
    db.commit()
    click.echo(f"processed {report.processed}, ignored {report.ignored}, failed {report.failed}")
    if report.failed:
        sys.exit(1)
