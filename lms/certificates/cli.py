"""`flask lms certificates ...`: key rotation and export, offline QR checks, listing and issuing a class."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.db import get_session, utcnow

certificates_cli = AppGroup("certificates", help="Certificates: keys, offline checks, listing and issuing.")


@certificates_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Retire the current signing key and create a new one (old keys stay published)."""
    from lms.certificates.keys import rotate_key

    session = get_session()
    key = rotate_key(session, current_app.config["SECRET_KEY"], utcnow())
    session.commit()
    click.echo(f"new signing key {key.key_id}; earlier keys stay in the published key set")


@certificates_cli.command("export-keys")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the JWK set to this file (default: print it).")
def export_keys(output: str | None) -> None:
    """Print or save the public JWK set, as /.well-known/lms-certificate-keys.json serves it."""
    from lms.certificates.keys import public_jwks

    text = json.dumps(public_jwks(get_session()), ensure_ascii=False, indent=2) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)


@certificates_cli.command("verify-offline")
@click.argument("qr_text")
@click.option("--keys", "keys_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A JWK set file (from export-keys or the site); without it the keys are read from the database.")
def verify_offline(qr_text: str, keys_file: str | None) -> None:
    """Check a scanned QR text's signature; prints the signed fields. Exit 0 when valid, 1 otherwise."""
    from lms.certificates.keys import verify_signature
    from lms.certificates.payload import PayloadError, parse_qr_text

    try:
        parsed = parse_qr_text(qr_text)
        message = parsed.message
    except PayloadError as error:
        click.echo(f"INVALID: {error}")
        sys.exit(1)
    if keys_file:
        try:
            keys = json.loads(Path(keys_file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            click.echo(f"cannot read the key file: {error}", err=True)
            sys.exit(1)
    else:
        from lms.certificates.keys import public_jwks

        keys = public_jwks(get_session())
    fields = parsed.fields
    for label, value in (("code", parsed.code), ("number", fields.number), ("holder", fields.holder_name),
                         ("year of birth", fields.birth_year or ""), ("course", fields.course_title),
                         ("issued on", fields.issued_on.isoformat()), ("issuing body", fields.body_name),
                         ("key", parsed.kid)):
        click.echo(f"{label}: {value}")
    if verify_signature(keys, parsed.kid, message, parsed.signature):
        click.echo("VALID: the signature matches these fields (online status, e.g. revocation, not checked)")
        return
    click.echo("INVALID: the signature does not match these fields or the key is unknown")
    sys.exit(1)


@certificates_cli.command("list")
@click.option("--class", "class_code", default=None, help="Only this class (its code).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
def list_command(class_code: str | None, as_json: bool) -> None:
    """List certificates (newest first) with their status today."""
    from sqlalchemy import select

    from lms.certificates.models import Certificate
    from lms.certificates.records import local_date
    from lms.classes.models import TrainingClass

    session = get_session()
    query = select(Certificate, TrainingClass.code).join(TrainingClass, TrainingClass.id == Certificate.class_id)
    if class_code:
        if session.scalar(select(TrainingClass.id).where(TrainingClass.code == class_code)) is None:
            raise click.ClickException(f"no class with code {class_code}")
        query = query.where(TrainingClass.code == class_code)
    today = local_date(utcnow())
    rows = session.execute(query.order_by(Certificate.issued_at.desc(), Certificate.id.desc())).all()
    for certificate, code in rows:
        record = {"number": certificate.number, "register_no": certificate.register_no, "class": code,
                  "holder_name": certificate.holder_name, "issued_on": certificate.issued_on.isoformat(),
                  "status": str(certificate.status_on(today)), "verification_code": certificate.verification_code}
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(f"{record['number']}\t{record['status']}\t{record['issued_on']}\t{code}\t{record['holder_name']}")
    if not as_json:
        click.echo(f"{len(rows)} certificate(s)")


@certificates_cli.command("issue")
@click.option("--class", "class_code", required=True, help="The class code.")
def issue_command(class_code: str) -> None:
    """Issue a certificate to every eligible trainee of the class, all or nothing; prints a summary."""
    from sqlalchemy import select

    from lms.certificates.eligibility import class_eligibility
    from lms.certificates.models import IssueMode
    from lms.certificates.records import current_certificate, issue_certificate
    from lms.classes.models import TrainingClass
    from lms.db import write_intent
    from lms.errors import DomainError

    write_intent.set(True)  # SQLite: take the write lock at BEGIN, as a POST does
    session = get_session()
    training_class = session.scalar(select(TrainingClass).where(TrainingClass.code == class_code))
    if training_class is None:
        raise click.ClickException(f"no class with code {class_code}")
    now = utcnow()
    issued, existing, refused = [], [], []
    try:
        for row in class_eligibility(session, training_class, now):
            if current_certificate(session, training_class.id, row.user.id) is not None:
                existing.append(row.user.full_name)
            elif not row.eligible:
                refused.append(f"{row.user.full_name}: {'; '.join(row.reasons)}")
            else:
                certificate = issue_certificate(session, training_class=training_class, trainee=row.user,
                                                actor_id=None, mode=IssueMode.BULK, now=now,
                                                secret=current_app.config["SECRET_KEY"],
                                                base_url=current_app.config["PUBLIC_BASE_URL"], eligibility=row)
                issued.append(f"{certificate.number}\t{certificate.holder_name}")
    except DomainError as error:
        session.rollback()
        raise click.ClickException(f"nothing was issued: {error.message}") from None
    session.commit()
    for line in issued:
        click.echo(f"issued {line}")
    for line in refused:
        click.echo(f"not eligible: {line}")
    click.echo(f"class {class_code}: {len(issued)} issued, {len(existing)} already had one, "
               f"{len(refused)} not eligible")


@certificates_cli.command("pdf")
@click.argument("number")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True, help="The PDF file to write.")
@click.option("--unsigned", is_flag=True, help="Leave out the body's PAdES signature even when it has a certificate.")
def pdf_command(number: str, output: str, unsigned: bool) -> None:
    """Write the PDF of the certificate NUMBER, identical to its download (signed when its body has a PKCS#12)."""
    from sqlalchemy import select

    from lms.certificates.documents import DocumentMismatch, certificate_pdf
    from lms.certificates.models import Certificate
    from lms.certificates.settings.signing import signer_for
    from lms.db import write_intent

    token = write_intent.set(True)  # the first rendering stores the PDF's hash
    try:
        session = get_session()
        certificate = session.scalar(select(Certificate).where(Certificate.number == number.strip()))
        if certificate is None:
            raise click.ClickException(f"no certificate numbered {number}")
        try:
            data = certificate_pdf(session, certificate, base_url=current_app.config["PUBLIC_BASE_URL"])
        except DocumentMismatch as error:
            raise click.ClickException(error.message) from None
        session.commit()
    finally:
        write_intent.reset(token)
    sign = None if unsigned else signer_for(session, certificate.organising_body_id, current_app.config["SECRET_KEY"])
    if sign is not None:
        data = sign(data, reason=f"Giấy chứng nhận số {certificate.number}", location=certificate.issue_place)
    Path(output).write_bytes(data)
    status = certificate.status_on(utcnow().date())
    click.echo(f"wrote {output} ({len(data)} bytes, {'signed' if sign else 'unsigned'}); certificate {certificate.number} "
               f"is {status}")
