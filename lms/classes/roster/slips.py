"""Login slips: a first password for every trainee of a class who has not changed theirs yet, given on printing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.audit.services import record
from lms.auth.models import Role, User, new_session_token
from lms.auth.passwords import hash_password, temporary_password
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.classes.roster.printing import Slip
from lms.text import name_sort_key


def slip_candidates(session: Session, training_class: TrainingClass) -> list[User]:
    """Active trainees of the class whose first password is still unchanged, sorted the Vietnamese way."""
    users = session.scalars(
        select(User).join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.class_id == training_class.id, Enrolment.status == EnrolmentStatus.ACTIVE,
               User.role == Role.TRAINEE, User.active, User.must_change_password)
    )
    return sorted(users, key=lambda user: name_sort_key(user.full_name))


def issue_first_passwords(session: Session, training_class: TrainingClass, *, actor_id: int,
                          now: datetime) -> list[Slip]:
    """A new first password for each candidate (earlier slips stop working), returned once for printing."""
    slips = []
    for user in slip_candidates(session, training_class):
        password = temporary_password()
        user.password_hash = hash_password(password)
        user.must_change_password = True
        user.session_token = new_session_token()
        slips.append(Slip(user.full_name, user.username, password, user.work_unit.name if user.work_unit else ""))
    record(session, "roster.login_slips", actor_id=actor_id, body_id=training_class.organising_body_id,
           target_type="class", target_id=training_class.id, target_label=training_class.name, now=now,
           after={"passwords_issued": len(slips)})
    session.flush()
    return slips
