"""Attendance writes: roll-call confirmations, trainer marks with history, the class rule, assigning a participant."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lms.audit.services import record
from lms.auth.models import Role, User
from lms.classes.attendance.models import (
    DEFAULT_MIN_PERCENT,
    AttendanceMark,
    AttendanceMarkChange,
    AttendanceRule,
    MarkStatus,
    ParticipantEvent,
    RollCallConfirmation,
)
from lms.classes.models import Enrolment, TrainingClass
from lms.classes.sessions.models import ClassSession
from lms.classes.sessions.services import can_manage_sessions
from lms.errors import Forbidden, NotFound, RuleViolation
from lms.text import clean_line


def is_enrolled(db: Session, training_class_id: int, user_id: int) -> bool:
    return db.scalar(select(Enrolment.id).where(Enrolment.class_id == training_class_id,
                                                Enrolment.user_id == user_id)) is not None


def confirm_roll_call(db: Session, *, class_session: ClassSession, user: User, now: datetime) -> RollCallConfirmation:
    """Record that an enrolled trainee answered the roll call of this session; a second tap keeps the first time.

    Called by the live room (lms/classes/events.py); the caller commits, then emits. A confirmation counts the
    session as attended unless the trainer marked the trainee absent or excused (see summary.py).
    """
    if user.role != Role.TRAINEE or not is_enrolled(db, class_session.class_id, user.id):
        raise Forbidden()
    existing = db.scalar(select(RollCallConfirmation).where(
        RollCallConfirmation.class_session_id == class_session.id, RollCallConfirmation.user_id == user.id))
    if existing is not None:
        return existing
    confirmation = RollCallConfirmation(class_session_id=class_session.id, user_id=user.id, confirmed_at=now)
    db.add(confirmation)
    db.flush()
    return confirmation


def roll_call_count(db: Session, class_session: ClassSession) -> int:
    return len(db.scalars(select(RollCallConfirmation.id).where(
        RollCallConfirmation.class_session_id == class_session.id)).all())


def set_mark(db: Session, actor: User, *, class_session: ClassSession, user_id: int, status: str | None,
             note: str = "", now: datetime) -> AttendanceMark | None:
    """Set (or with status None, clear) the trainer's mark of one trainee at one session, with a history line
    and an audit entry. Only those who manage the class's sessions may mark; only enrolled trainees are marked."""
    training_class = class_session.training_class
    if not can_manage_sessions(actor, training_class):
        raise Forbidden()
    if status is not None and status not in set(MarkStatus):
        raise RuleViolation(_("Choose present, late, excused or absent."))
    if not is_enrolled(db, training_class.id, user_id):
        raise NotFound()
    note = clean_line(note)[:255]
    mark = db.scalar(select(AttendanceMark).where(AttendanceMark.class_session_id == class_session.id,
                                                  AttendanceMark.user_id == user_id))
    old_status = mark.status if mark else ""
    if old_status == (status or "") and (mark is None or mark.note == note):
        return mark
    db.add(AttendanceMarkChange(class_session_id=class_session.id, user_id=user_id, old_status=old_status,
                                new_status=status or "", note=note, changed_by_id=actor.id, changed_at=now))
    record(db, "attendance.mark", actor_id=actor.id, body_id=training_class.organising_body_id,
           target_type="class_session", target_id=class_session.id, target_label=training_class.name,
           before={"user_id": user_id, "status": old_status}, after={"user_id": user_id, "status": status or ""},
           now=now)
    if status is None:
        if mark is not None:
            db.delete(mark)
        db.flush()
        return None
    if mark is None:
        mark = AttendanceMark(class_session_id=class_session.id, user_id=user_id)
        db.add(mark)
    mark.status, mark.note, mark.set_by_id, mark.set_at = status, note, actor.id, now
    db.flush()
    return mark


def mark_history(db: Session, training_class: TrainingClass) -> list[AttendanceMarkChange]:
    """Every change of a mark in the class, newest first."""
    return list(db.scalars(select(AttendanceMarkChange).join(
        ClassSession, ClassSession.id == AttendanceMarkChange.class_session_id).where(
        ClassSession.class_id == training_class.id).order_by(AttendanceMarkChange.changed_at.desc(),
                                                             AttendanceMarkChange.id.desc())))


def rule_for(db: Session, training_class: TrainingClass) -> AttendanceRule:
    """The class's rule, or an unsaved default one (DEFAULT_MIN_PERCENT)."""
    found = db.get(AttendanceRule, training_class.id)
    return found or AttendanceRule(class_id=training_class.id, min_percent=DEFAULT_MIN_PERCENT)


def set_rule(db: Session, actor: User, training_class: TrainingClass, *, min_percent: int,
             now: datetime) -> AttendanceRule:
    """Set the minimum share of session time (0–100 %); organisers of the class's body and administrators."""
    if actor.role not in (Role.ADMIN, Role.ORGANISER) or (
            actor.role == Role.ORGANISER and actor.organising_body_id != training_class.organising_body_id):
        raise Forbidden()
    if not isinstance(min_percent, int) or not 0 <= min_percent <= 100:
        raise RuleViolation(_("The minimum attendance is a whole percentage from 0 to 100."))
    rule = db.get(AttendanceRule, training_class.id)
    before = rule.min_percent if rule else DEFAULT_MIN_PERCENT
    if rule is None:
        rule = AttendanceRule(class_id=training_class.id)
        db.add(rule)
    rule.min_percent, rule.updated_by_id, rule.updated_at = min_percent, actor.id, now
    record(db, "attendance.rule", actor_id=actor.id, body_id=training_class.organising_body_id,
           target_type="class", target_id=training_class.id, target_label=training_class.name,
           before={"min_percent": before}, after={"min_percent": min_percent}, now=now)
    db.flush()
    return rule


def assign_participant(db: Session, actor: User, *, class_session: ClassSession, participant_key: str,
                       user_id: int, now: datetime) -> int:
    """Count an unmatched Zoom participant's events in this session for an enrolled trainee; returns how many."""
    training_class = class_session.training_class
    if not can_manage_sessions(actor, training_class):
        raise Forbidden()
    if not is_enrolled(db, training_class.id, user_id):
        raise RuleViolation(_("Only a trainee enrolled in the class can be chosen."))
    changed = db.execute(update(ParticipantEvent).where(
        ParticipantEvent.class_session_id == class_session.id, ParticipantEvent.participant_key == participant_key,
        ParticipantEvent.user_id.is_(None)).values(user_id=user_id)).rowcount
    if not changed:
        raise NotFound()
    record(db, "attendance.assign_participant", actor_id=actor.id, body_id=training_class.organising_body_id,
           target_type="class_session", target_id=class_session.id, target_label=training_class.name,
           after={"participant_key": participant_key[:160], "user_id": user_id}, now=now)
    db.flush()
    return changed
