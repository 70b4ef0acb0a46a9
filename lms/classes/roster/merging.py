"""Merging two accounts of one person: every row pointing at the merged-away account moves to the kept one.

The columns are found from Base.metadata (every foreign key to users.id), so a table added later is covered;
a column inside a unique constraint needs a rule here for the rows both accounts hold (both enrolled in one
class, both with progress on one lesson...) or the merge is refused naming the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Column, PrimaryKeyConstraint, Table, UniqueConstraint, and_, delete, func, select, update
from sqlalchemy.orm import Session

from lms.audit.services import record
from lms.auth.models import Role, User
from lms.classes.models import EnrolmentStatus
from lms.db import Base
from lms.errors import RuleViolation

# The audit log is never rewritten: entries made by the merged-away account keep naming it.
UNTOUCHED_TABLES = {"audit_entries"}
_STATUS_RANK = {EnrolmentStatus.ACTIVE: 0, EnrolmentStatus.PENDING: 1, EnrolmentStatus.WITHDRAWN: 2}


@dataclass
class MergeSummary:
    """Rows that moved to the kept account, per table, and the shared rows resolved."""

    moved: dict[str, int]
    resolved: dict[str, int]


def user_columns() -> list[Column]:
    """Every column of the schema that references users.id."""
    import lms.models  # noqa: F401 - every table registered

    return [fk.parent for table in Base.metadata.sorted_tables for fk in table.foreign_keys
            if fk.column.table.name == "users" and fk.column.name == "id" and table.name not in UNTOUCHED_TABLES]


def holdings(session: Session, user: User) -> dict[str, int]:
    """How many rows of each table point at the account (shown before a merge)."""
    counts: dict[str, int] = {}
    for column in user_columns():
        found = session.scalar(select(func.count()).select_from(column.table).where(column == user.id)) or 0
        if found:
            counts[column.table.name] = counts.get(column.table.name, 0) + found
    return counts


def _unique_partners(column: Column) -> list[list[str]]:
    """For each unique constraint or index holding ``column``, the other columns in it."""
    table: Table = column.table
    groups = [[c.name for c in constraint.columns] for constraint in table.constraints
              if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint) and column.name in constraint.columns]
    groups += [[c.name for c in index.columns] for index in table.indexes
               if index.unique and column.name in index.columns]
    return [[name for name in group if name != column.name] for group in groups]


def _pairs(session: Session, table: Table, column: Column, partners: list[str], keep_id: int, away_id: int):
    """(kept row, away row) pairs that would collide once moved; rows as mappings."""
    kept, away = table.alias("kept"), table.alias("away")
    join = and_(*(kept.c[name] == away.c[name] for name in partners))
    query = select(kept, away).select_from(kept.join(away, join)).where(
        kept.c[column.name] == keep_id, away.c[column.name] == away_id)
    width = len(table.columns)
    for row in session.execute(query):
        yield dict(zip(table.columns.keys(), row[:width], strict=True)), \
            dict(zip(table.columns.keys(), row[width:], strict=True))


def _resolve_enrolments(session, table, kept, away):
    """Both in one class: the better status stays (active, then pending, then withdrawn), the Zoom email kept."""
    best = min((kept, away), key=lambda row: _STATUS_RANK.get(row["status"], 9))
    values = {"status": best["status"], "withdrawn_at": best["withdrawn_at"],
              "enrolled_at": min(kept["enrolled_at"], away["enrolled_at"]),
              "zoom_email": kept["zoom_email"] or away["zoom_email"]}
    session.execute(update(table).where(table.c.id == kept["id"]).values(**values))
    session.execute(delete(table).where(table.c.id == away["id"]))


def _resolve_progress(session, table, kept, away):
    """Both read one lesson: first view and completion the earliest, last view the latest."""
    completed = [moment for moment in (kept["completed_at"], away["completed_at"]) if moment]
    session.execute(update(table).where(table.c.id == kept["id"]).values(
        first_viewed_at=min(kept["first_viewed_at"], away["first_viewed_at"]),
        last_viewed_at=max(kept["last_viewed_at"], away["last_viewed_at"]),
        completed_at=min(completed) if completed else None))
    session.execute(delete(table).where(table.c.id == away["id"]))


def _resolve_overrides(session, table, kept, away):
    """Extra time or attempts on one test: the larger allowance stays."""
    session.execute(update(table).where(table.c.id == kept["id"]).values(
        extra_minutes=max(kept["extra_minutes"], away["extra_minutes"]),
        extra_attempts=max(kept["extra_attempts"], away["extra_attempts"])))
    session.execute(delete(table).where(table.c.id == away["id"]))


def _resolve_trainers(session, table, kept, away):
    session.execute(delete(table).where(table.c.class_id == away["class_id"], table.c.user_id == away["user_id"]))


def _renumber_attempts(session: Session, table: Table, keep_id: int, away_id: int) -> int:
    """The away account's attempts follow the kept one's on each test (numbers 1, 2 → 3, 4). Both holding an
    attempt in progress on one test is refused; an away attempt drawn in advance but never started is dropped
    where the kept account already has an attempt at that test."""
    def quizzes(user_id: int, states: tuple[str, ...] | None = None) -> set[int]:
        query = select(table.c.quiz_id).where(table.c.user_id == user_id)
        return set(session.scalars(query.where(table.c.state.in_(states)) if states else query))

    if quizzes(keep_id, ("open",)) & quizzes(away_id, ("open",)):
        raise RuleViolation(_("Both accounts have the same test in progress: wait until it is over, then merge."))
    session.execute(delete(table).where(table.c.user_id == away_id, table.c.state == "ready",
                                        table.c.quiz_id.in_(quizzes(keep_id))))
    highest = dict(session.execute(select(table.c.quiz_id, func.max(table.c.number))
                                   .where(table.c.user_id == keep_id).group_by(table.c.quiz_id)).all())
    moved = 0
    for attempt_id, quiz_id, number in session.execute(select(table.c.id, table.c.quiz_id, table.c.number)
                                                       .where(table.c.user_id == away_id)).all():
        session.execute(update(table).where(table.c.id == attempt_id).values(
            user_id=keep_id, number=number + highest.get(quiz_id, 0)))
        moved += 1
    return moved


def _resolve_roll_calls(session, table, kept, away):
    """Both confirmed one session's roll call: the earliest confirmation stays."""
    if away["confirmed_at"] < kept["confirmed_at"]:
        session.execute(update(table).where(table.c.id == kept["id"]).values(confirmed_at=away["confirmed_at"]))
    session.execute(delete(table).where(table.c.id == away["id"]))


def _resolve_marks(session, table, kept, away):
    """Both marked at one session: the mark set last stands (every change stays in the marks' history)."""
    if away["set_at"] > kept["set_at"]:
        session.execute(update(table).where(table.c.id == kept["id"]).values(
            status=away["status"], note=away["note"], set_by_id=away["set_by_id"], set_at=away["set_at"]))
    session.execute(delete(table).where(table.c.id == away["id"]))


RESOLVERS: dict[str, Callable] = {"enrolments": _resolve_enrolments, "lesson_progress": _resolve_progress,
                                  "quiz_overrides": _resolve_overrides, "class_trainers": _resolve_trainers,
                                  "roll_call_confirmations": _resolve_roll_calls, "attendance_marks": _resolve_marks,
                                  "class_roll_call_confirmations": _resolve_roll_calls}


def merge_accounts(session: Session, keep: User, away: User, *, actor_id: int | None, body_id: int | None,
                   now: datetime) -> MergeSummary:
    """Move everything of ``away`` (attempts, progress, enrolments, certificates, overrides...) to ``keep``,
    resolve what both hold, then deactivate ``away``; recorded in the audit log. All in the caller's transaction."""
    if keep.id == away.id:
        raise RuleViolation(_("Choose two different accounts."))
    if keep.role != Role.TRAINEE or away.role != Role.TRAINEE or keep.organising_body_id != away.organising_body_id:
        raise RuleViolation(_("Only two trainee accounts of the same organising body can be merged."))
    session.flush()
    moved: dict[str, int] = {}
    resolved: dict[str, int] = {}
    for column in user_columns():
        table = column.table
        if table.name == "attempts" and column.name == "user_id":
            moved["attempts"] = _renumber_attempts(session, table, keep.id, away.id)
            continue
        for partners in _unique_partners(column):
            if not partners:
                continue
            if table.name not in RESOLVERS:
                raise RuleViolation(_("The accounts cannot be merged: no rule for shared rows of %(table)s.",
                                      table=table.name))
            for kept_row, away_row in list(_pairs(session, table, column, partners, keep.id, away.id)):
                RESOLVERS[table.name](session, table, kept_row, away_row)
                resolved[table.name] = resolved.get(table.name, 0) + 1
        result = session.execute(update(table).where(column == away.id).values({column.name: keep.id}))
        if result.rowcount:
            moved[f"{table.name}.{column.name}"] = result.rowcount
    resolved.update(_current_certificates(session, keep.id, away.id, now))
    _merge_profile(session, keep, away)
    record(session, "account.merge", actor_id=actor_id, body_id=body_id, target_type="user", target_id=keep.id,
           target_label=keep.full_name, now=now,
           before={"kept": keep.username, "merged_away": away.username, "merged_away_id": away.id},
           after={"moved": moved, "resolved": resolved})
    session.flush()
    session.expire_all()
    return MergeSummary(moved, resolved)


def _current_certificates(session: Session, keep_id: int, away_id: int, now: datetime) -> dict[str, int]:
    """Certificates that moved keep one current certificate per class: a moved one becomes the kept account's
    current certificate, unless the kept account already holds one in that class; then the moved one is marked
    superseded by it, so a check of the older paper says where the standing certificate is."""
    from lms.certificates.models import Certificate, CertificateEvent

    superseded = 0
    moved = session.scalars(select(Certificate).where(Certificate.user_id == keep_id,
                                                      Certificate.current_key.like(f"%:{away_id}"))).all()
    for certificate in moved:
        key = f"{certificate.class_id}:{keep_id}"
        standing = session.scalar(select(Certificate).where(Certificate.current_key == key))
        certificate.current_key = None
        session.flush()
        if standing is None:
            certificate.current_key = key
            continue
        certificate.superseded_by_id = standing.id
        session.add(CertificateEvent(certificate_id=certificate.id, action="superseded", at=now,
                                     reason=_("Two accounts of one person were merged."),
                                     details={"by": standing.number}))
        superseded += 1
    session.flush()
    return {"certificates": superseded} if superseded else {}


def _merge_profile(session: Session, keep: User, away: User) -> None:
    """The kept account takes the details it lacks; the merged-away one is deactivated and logged out."""
    from lms.auth.models import new_session_token

    email, phone = away.email, away.phone
    away.email, away.phone, away.active, away.session_token = None, None, False, new_session_token()
    session.flush()
    keep.email = keep.email or email
    keep.phone = keep.phone or phone
    keep.date_of_birth = keep.date_of_birth or away.date_of_birth
    keep.work_unit_id = keep.work_unit_id or away.work_unit_id
    keep.gender = keep.gender or away.gender
    keep.position = keep.position or away.position
