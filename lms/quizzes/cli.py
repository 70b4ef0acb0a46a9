"""`flask lms quizzes ...` commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from lms.db import get_session, utcnow

quizzes_cli = AppGroup("quizzes", help="Tests and question banks.")


@quizzes_cli.command("sweep")
def sweep() -> None:
    """Close and grade every attempt past its deadline (run every minute from cron or a systemd timer)."""
    from lms.quizzes.attempts import sweep_overdue

    session = get_session()
    closed = sweep_overdue(session, now=utcnow(), grace_seconds=current_app.config["QUIZ_SAVE_GRACE_SECONDS"])
    session.commit()
    click.echo(f"closed {closed} overdue attempts")
