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
    from lms.quizzes.taking.attempts import sweep_overdue

    session = get_session()
    closed = sweep_overdue(session, now=utcnow(), grace_seconds=current_app.config["QUIZ_SAVE_GRACE_SECONDS"])
    session.commit()
    click.echo(f"closed {closed} overdue attempts")


@quizzes_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--bank", "bank_ref", required=True, help="COURSE_SLUG/BANK_SLUG of a web question bank.")
@click.option("--format", "kind", type=click.Choice(["gift", "aiken", "excel"]), default=None,
              help="File format (default: recognised from the file).")
@click.option("--create", is_flag=True, help="Create the bank if the course has none with this slug.")
@click.option("--body", "body_id", type=int, default=None,
              help="With --create: the id of the organising body that owns the new bank (default: none, "
                   "an administrator's bank).")
def import_file(file: str, bank_ref: str, kind: str | None, create: bool, body_id: int | None) -> None:
    """Import every question of FILE into a bank, or none: problems are printed as `line N: ...`."""
    from pathlib import Path

    from lms.courses.services import get_course
    from lms.errors import DomainError
    from lms.organisations.models import OrganisingBody
    from lms.quizzes.authoring import banks, transfer

    course_slug, _, bank_slug = bank_ref.partition("/")
    session = get_session()
    try:
        course = get_course(session, course_slug)
        bank = banks.find_bank(session, course, bank_slug)
        if body_id is not None and session.get(OrganisingBody, body_id) is None:
            raise click.ClickException(f"no organising body with id {body_id}")
        if bank is None and not create:
            raise click.ClickException(f"no bank '{bank_slug}' in course '{course_slug}' (add --create)")
        bank = bank or banks.create_bank(session, course, slug=bank_slug, title=bank_slug, body_id=body_id)
        preview = transfer.preview_import(Path(file).read_bytes(), Path(file).name, kind)
        count = transfer.commit_import(session, bank, preview, now=utcnow())
    except banks.ProblemsFound as error:
        session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None
    except DomainError as error:
        session.rollback()
        raise click.ClickException(error.message or f"course '{course_slug}' not found") from None
    session.commit()
    for warning in preview.problems:
        click.echo(f"{warning} (warning)", err=True)
    click.echo(f"imported {count} questions into {course_slug}/{bank_slug}")
