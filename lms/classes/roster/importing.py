"""Committing a checked roster (all or nothing): new accounts with readable user names, enrolments, an audit entry."""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.audit.services import record
from lms.auth.models import Role, User
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.classes.roster.preview import PreviewRow, RosterPreview
from lms.classes.roster.reading import TEMPLATE_HEADERS
from lms.errors import RuleViolation
from lms.text import fold, set_xlsx_text

# Marks an account whose first password has not been handed out yet: no password verifies against it
# (argon2 refuses the hash); printing the login slips gives the account its first password.
UNUSABLE_PASSWORD_PREFIX = "!unset:"


@dataclass
class ImportResult:
    created: list[User]
    reused: int
    enrolled: int
    unchanged: int


def unusable_password_hash() -> str:
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(16)


class UsernameMaker:
    """Readable unique user names from a full name: given name + initials, accents removed ('annv', 'annv2')."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.taken: set[str] = set()

    def base(self, full_name: str) -> str:
        words = [re.sub(r"[^a-z0-9]", "", word) for word in fold(full_name).split(" ")]
        words = [word for word in words if word]
        if not words:
            return "hocvien"
        base = (words[-1] + "".join(word[0] for word in words[:-1]))[:56]
        return base if len(base) >= 3 else base + "hv"

    def make(self, full_name: str) -> str:
        base = self.base(full_name)
        like = base.replace("_", "\\_") + "%"
        self.taken.update(self.session.scalars(select(User.username).where(User.username.like(like, escape="\\"))))
        candidate, number = base, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base}{number}"
        self.taken.add(candidate)
        return candidate


def import_roster(session: Session, training_class: TrainingClass, preview: RosterPreview, *, actor_id: int | None,
                  filename: str, now: datetime) -> ImportResult:
    """Create the new accounts and enrol every row; refused (nothing written) while any row has a problem.
    The caller has checked the actor may manage the class (actor_id None: the command line)."""
    if not preview.ok:
        raise RuleViolation(_("%(count)d rows have problems: nothing was imported.", count=len(preview.problem_rows)))
    usernames = UsernameMaker(session)
    created: list[User] = []
    enrolled = unchanged = reused = 0
    for row in preview.rows:
        if row.use_existing and row.existing is not None:
            user, reused = row.existing, reused + 1
            user.active = True  # only a pending join request of this class reaches here inactive (preview rule)
        else:
            user = _new_trainee(row, usernames.make(row.full_name), training_class.organising_body_id, now)
            session.add(user)
            created.append(user)
        session.flush()
        changed = _enrol(session, training_class, user, row, now)
        enrolled, unchanged = enrolled + changed, unchanged + (not changed)
    record(session, "roster.import", actor_id=actor_id, body_id=training_class.organising_body_id,
           target_type="class", target_id=training_class.id, target_label=training_class.name, now=now,
           after={"file": filename[:200], "rows": len(preview.rows), "accounts_created": len(created),
                  "existing_accounts": reused, "enrolled": enrolled})
    session.flush()
    session.expire(training_class, ["enrolments"])
    return ImportResult(created, reused, enrolled, unchanged)


def _new_trainee(row: PreviewRow, username: str, body_id: int, now: datetime) -> User:
    return User(username=username, email=row.email, phone=row.phone, role=Role.TRAINEE, full_name=row.full_name,
                full_name_folded=fold(row.full_name), date_of_birth=row.date_of_birth, gender=row.gender,
                position=row.position, work_unit_id=row.unit.id if row.unit else None, organising_body_id=body_id,
                password_hash=unusable_password_hash(), must_change_password=True, created_at=now)


def _enrol(session: Session, training_class: TrainingClass, user: User, row: PreviewRow, now: datetime) -> bool:
    """Enrol (or enrol again) the user; False when already an active member of the class."""
    enrolment = session.scalar(select(Enrolment).where(Enrolment.class_id == training_class.id,
                                                       Enrolment.user_id == user.id))
    if enrolment is None:
        session.add(Enrolment(class_id=training_class.id, user_id=user.id, enrolled_at=now, zoom_email=row.zoom_email,
                              status=EnrolmentStatus.ACTIVE))
        return True
    if row.zoom_email:
        enrolment.zoom_email = row.zoom_email
    if enrolment.status == EnrolmentStatus.ACTIVE:
        return False
    enrolment.status, enrolment.withdrawn_at, enrolment.enrolled_at = EnrolmentStatus.ACTIVE, None, now
    return True


TEMPLATE_EXAMPLE = ("Nguyễn Văn An", "02/11/1985", "Nam", "UBND xã An Phú", "Chuyên viên", "0912345678",
                    "an.nv@example.gov.vn", "an.nv@example.gov.vn")


def template_xlsx() -> bytes:
    """The roster template: Vietnamese headers, one example row, dates and phone numbers as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách học viên"
    for column, (header, example) in enumerate(zip(TEMPLATE_HEADERS, TEMPLATE_EXAMPLE, strict=True), start=1):
        set_xlsx_text(sheet.cell(row=1, column=column), header)
        cell = sheet.cell(row=2, column=column)
        set_xlsx_text(cell, example)
        cell.number_format = "@"
        sheet.column_dimensions[cell.column_letter].width = max(14, len(header) + 4)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    lines = [",".join(TEMPLATE_HEADERS), ",".join(TEMPLATE_EXAMPLE)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
