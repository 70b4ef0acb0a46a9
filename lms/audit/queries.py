"""Reading the audit log: who may read which entries, the search by person, action and dates, and the CSV export."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session, aliased

from lms.audit.labels import action_label
from lms.audit.models import AuditEntry
from lms.auth.models import Role, User
from lms.errors import Forbidden
from lms.text import csv_text, fold

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
CSV_HEADERS = ["Thời điểm", "Người thực hiện", "Tên đăng nhập", "Hành động", "Đối tượng", "Trước", "Sau",
               "Địa chỉ"]


@dataclass(frozen=True)
class AuditFilter:
    person: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    invalid: bool = False  # the search form did not validate: nothing is shown until it is fixed


@dataclass
class AuditRow:
    entry: AuditEntry
    actor_name: str
    actor_username: str


@dataclass
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int
    pages: int


def _scoped(actor: User):
    """Administrators read every entry; an organiser only those of their organising body."""
    Actor = aliased(User)
    query = select(AuditEntry, Actor.full_name, Actor.username).outerjoin(Actor, Actor.id == AuditEntry.actor_id)
    if actor.role == Role.ADMIN:
        return query, Actor
    if actor.role == Role.ORGANISER and actor.organising_body_id:
        return query.where(AuditEntry.organising_body_id == actor.organising_body_id), Actor
    raise Forbidden()


def _filtered(actor: User, wanted: AuditFilter, tz_name: str):
    query, Actor = _scoped(actor)
    if wanted.invalid:
        return query.where(false())
    needle = fold(wanted.person)
    if needle:
        like = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        Target = aliased(User)
        query = query.outerjoin(Target, (AuditEntry.target_type == "user") & (Target.id == AuditEntry.target_id))
        query = query.where(or_(Actor.full_name_folded.like(like, escape="\\"), Actor.username.like(like, escape="\\"),
                                Target.full_name_folded.like(like, escape="\\"),
                                Target.username.like(like, escape="\\")))
    if wanted.action:
        query = query.where(AuditEntry.action == wanted.action)
    zone = ZoneInfo(tz_name)
    if wanted.date_from:
        query = query.where(AuditEntry.at >= datetime.combine(wanted.date_from, time(), zone).astimezone(UTC))
    if wanted.date_to:
        end = datetime.combine(wanted.date_to + timedelta(days=1), time(), zone).astimezone(UTC)
        query = query.where(AuditEntry.at < end)
    return query


def search(session: Session, actor: User, wanted: AuditFilter, *, page: int, tz_name: str) -> AuditPage:
    """One page of the entries the actor may read, newest first."""
    query = _filtered(actor, wanted, tz_name)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    result = session.execute(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                             .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return AuditPage([AuditRow(entry, name or "", username or "") for entry, name, username in result],
                     total, page, pages)


def recorded_actions(session: Session, actor: User) -> list[str]:
    """The actions present in the entries the actor may read, for the action filter."""
    query, _actor = _scoped(actor)
    actions = session.scalars(select(AuditEntry.action).where(
        AuditEntry.id.in_(query.with_only_columns(AuditEntry.id))).distinct())
    return sorted(actions, key=lambda code: fold(action_label(code)))


def export_csv(session: Session, actor: User, wanted: AuditFilter, *, tz_name: str) -> bytes:
    """The matching entries as CSV: UTF-8 with a BOM for Excel, Vietnam time, no cell that runs as a formula."""
    query = _filtered(actor, wanted, tz_name).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(EXPORT_LIMIT)
    zone = ZoneInfo(tz_name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for entry, name, username in session.execute(query):
        writer.writerow([
            entry.at.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S"), csv_text(name or ""), csv_text(username or ""),
            csv_text(action_label(entry.action)), csv_text(entry.target_label), csv_text(values_text(entry.before)),
            csv_text(values_text(entry.after)), csv_text(entry.address),
        ])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def values_text(values: dict | None) -> str:
    """Before/after values as one line of JSON, Vietnamese letters kept."""
    if not values:
        return ""
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
