"""`flask lms classes import-roster FILE --class CODE [--dry-run]`: the roster import from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from lms.classes.models import TrainingClass
from lms.classes.roster.importing import import_roster
from lms.classes.roster.preview import build_preview
from lms.classes.roster.reading import RosterFileError, read_roster
from lms.db import get_session, utcnow

classes_cli = AppGroup("classes", help="Classes: rosters.")


@classes_cli.command("import-roster")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--class", "class_code", required=True, help="The class code shown on the class page.")
@click.option("--dry-run", is_flag=True, help="Check every row and print the problems; write nothing.")
def import_roster_command(file: Path, class_code: str, dry_run: bool) -> None:
    """Import trainees from an .xlsx or .csv file; prints `row N: …` per problem and writes nothing if any."""
    from lms.classes.roster.views import local_today

    session = get_session()
    training_class = session.scalar(select(TrainingClass).where(func.upper(TrainingClass.code) == class_code.upper()))
    if training_class is None:
        click.echo(f"no class with the code {class_code!r}", err=True)
        sys.exit(2)
    if file.stat().st_size > current_app.config["MAX_CONTENT_LENGTH"]:
        click.echo(f"{file}: larger than MAX_CONTENT_LENGTH ({current_app.config['MAX_CONTENT_LENGTH']} bytes)", err=True)
        sys.exit(1)
    try:
        rows = read_roster(file.read_bytes(), file.name)
    except RosterFileError as error:
        click.echo(f"{file}: {error}", err=True)
        sys.exit(1)
    now = utcnow()
    preview = build_preview(session, training_class, rows, today=local_today(now))
    for row in preview.rows:
        for problem in row.problems:
            click.echo(f"row {row.number}: {problem}")
        for note in row.notes:
            click.echo(f"row {row.number}: note: {note}")
    if not preview.ok:
        click.echo(f"{len(preview.problem_rows)} of {len(preview.rows)} rows have problems: nothing was written",
                   err=True)
        sys.exit(1)
    if dry_run:
        click.echo(f"dry run: all {len(preview.rows)} rows are good; nothing was written")
        return
    result = import_roster(session, training_class, preview, actor_id=None, filename=file.name, now=now)
    session.commit()
    click.echo(f"{result.enrolled} trainees enrolled in {training_class.code}, {len(result.created)} accounts created "
               f"({result.reused} existing); print their login slips from the class page")
