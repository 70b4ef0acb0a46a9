"""Plain helpers that create test data through the services (CTFd's gen_*, Indico's create_user)."""

from __future__ import annotations

import io
import itertools
import zipfile
from datetime import date

from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.auth.services import AccountInput, create_user
from lms.classes.models import Enrolment, TrainingClass
from lms.classes.services import new_class_code
from lms.content_sync import sync_content
from lms.courses.models import Course
from lms.db import utcnow
from lms.organisations.models import OrganisingBody, WorkUnit
from lms.organisations.services import create_body, create_unit

PASSWORD = "mat-khau-dung-1"
_counter = itertools.count(1)


def _in_app(session: Session):
    return session.info["app"].app_context()


def make_body(session: Session, name: str | None = None) -> OrganisingBody:
    with _in_app(session):
        return create_body(session, name=name or f"Sở Khoa học và Công nghệ số {next(_counter)}")


def make_unit(session: Session, name: str = "UBND xã An Phú", kind: str = "commune", **kwargs) -> WorkUnit:
    with _in_app(session):
        return create_unit(session, name=name, kind=kind, **kwargs)


def make_user(session: Session, role: str = Role.TRAINEE, *, body: OrganisingBody | None = None,
              full_name: str = "Nguyễn Thị Hương", username: str | None = None, **kwargs) -> User:
    number = next(_counter)
    data = AccountInput(username=username or f"{role}{number}", full_name=full_name, role=role, password=PASSWORD,
                        organising_body_id=body.id if body else None, **kwargs)
    with _in_app(session):
        return create_user(session, data)


def load_fixture_content(session: Session) -> Course:
    app = session.info["app"]
    with app.app_context():
        sync_content(session, app.config["CONTENT_DIR"], now=utcnow())
    from sqlalchemy import select

    return session.scalar(select(Course).where(Course.slug == "khoa-mau"))


def make_class(session: Session, *, body: OrganisingBody, course: Course, trainers: list[User] = (),
               trainees: list[User] = ()) -> TrainingClass:
    training_class = TrainingClass(name=f"Lớp {next(_counter)}", code=new_class_code(), organising_body_id=body.id,
                                   course_id=course.id, starts_on=date(2026, 11, 2), trainers=list(trainers))
    session.add(training_class)
    session.flush()
    for trainee in trainees:
        session.add(Enrolment(class_id=training_class.id, user_id=trainee.id))
    session.flush()
    return training_class


def rewrite_xlsx_part(data: bytes, name: str, change) -> bytes:
    """The same .xlsx with one part rewritten by ``change`` (bytes -> bytes): hostile files made small."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


def replace_in_xlsx(data: bytes, marker: bytes, text: bytes) -> bytes:
    """The same .xlsx with ``marker`` replaced by ``text`` in the part holding it (the sheet's inline strings
    or the shared strings, as the openpyxl version writes them)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = next(n for n in archive.namelist() if marker in archive.read(n))
    return rewrite_xlsx_part(data, name, lambda xml: xml.replace(marker, text))
