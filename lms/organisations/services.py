"""Organising bodies, work units and the people of an organising body, with who may see whom."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.errors import Conflict, Forbidden, NotFound, RuleViolation
from lms.organisations.models import BodyKind, OrganisingBody, UnitKind, WorkUnit
from lms.text import clean_line, fold, name_sort_key


def create_body(session: Session, *, name: str, short_name: str = "", kind: str = BodyKind.SCIENCE_DEPARTMENT,
                province_id: int | None = None, address: str = "") -> OrganisingBody:
    """Create an organising body; names are unique."""
    name = clean_line(name)
    if not name:
        raise RuleViolation(_("The name is required."))
    if kind not in set(BodyKind):
        raise RuleViolation(_("Unknown kind of organising body."))
    if session.scalar(select(OrganisingBody.id).where(OrganisingBody.name == name)):
        raise Conflict(_("An organising body with this name already exists."))
    body = OrganisingBody(name=name, short_name=clean_line(short_name), kind=kind, province_id=province_id,
                          address=clean_line(address))
    session.add(body)
    session.flush()
    return body


def create_unit(session: Session, *, name: str, kind: str, parent_id: int | None = None, code: str | None = None,
                valid_from: date | None = None, valid_to: date | None = None,
                successor_id: int | None = None) -> WorkUnit:
    """Add a work unit to the tree; a former unit carries its end date and, where known, its successor."""
    name = clean_line(name)
    if not name:
        raise RuleViolation(_("The name is required."))
    if kind not in set(UnitKind):
        raise RuleViolation(_("Unknown kind of work unit."))
    if valid_from and valid_to and valid_to <= valid_from:
        raise RuleViolation(_("The end date must be after the start date."))
    code = clean_line(code) or None
    if code and session.scalar(select(WorkUnit.id).where(WorkUnit.code == code)):
        raise Conflict(_("A work unit with this code already exists."))
    for related in (parent_id, successor_id):
        if related is not None and session.get(WorkUnit, related) is None:
            raise NotFound(_("The parent or successor unit does not exist."))
    unit = WorkUnit(name=name, name_folded=fold(name), kind=kind, parent_id=parent_id, code=code,
                    valid_from=valid_from, valid_to=valid_to, successor_id=successor_id)
    session.add(unit)
    session.flush()
    return unit


def unit_tree(session: Session, *, on: date | None = None) -> list[tuple[WorkUnit, int]]:
    """Units as (unit, depth) in tree order; with `on`, only units valid that day."""
    units = list(session.scalars(select(WorkUnit)))
    children: dict[int | None, list[WorkUnit]] = {}
    for unit in units:
        if on is None or unit.is_current(on):
            children.setdefault(unit.parent_id, []).append(unit)
    visible_ids = {u.id for group in children.values() for u in group}
    roots = [u for u in children.get(None, [])] + [
        u for pid, group in children.items() if pid is not None and pid not in visible_ids for u in group
    ]
    ordered: list[tuple[WorkUnit, int]] = []

    def walk(unit: WorkUnit, depth: int) -> None:
        ordered.append((unit, depth))
        for child in sorted(children.get(unit.id, []), key=lambda u: (u.kind, fold(u.name))):
            walk(child, depth + 1)

    for root in sorted(roots, key=lambda u: fold(u.name)):
        walk(root, 0)
    return ordered


def current_successor(unit: WorkUnit) -> WorkUnit:
    """Follow successor links to today's unit (a former district → the province or commune after it)."""
    seen = set()
    while unit.successor is not None and unit.id not in seen:
        seen.add(unit.id)
        unit = unit.successor
    return unit


def visible_people_query(actor: User):
    """Admins see everyone; organisers the trainers and trainees of their organising body."""
    query = select(User)
    if actor.role == Role.ADMIN:
        return query
    if actor.role == Role.ORGANISER and actor.organising_body_id:
        return query.where(
            User.organising_body_id == actor.organising_body_id, User.role.in_([Role.TRAINER, Role.TRAINEE])
        )
    raise Forbidden()


def search_people(session: Session, actor: User, *, text: str = "", role: str | None = None) -> list[User]:
    """People the actor may see, matching text in name/login/phone regardless of accents, sorted Vietnamese-style."""
    query = visible_people_query(actor)
    if role:
        query = query.where(User.role == role)
    needle = fold(text)
    if needle:
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        query = query.where(User.full_name_folded.like(like, escape="\\") | User.username.like(like, escape="\\")
                            | User.phone.like(like, escape="\\"))
    people = list(session.scalars(query.limit(2000)))
    return sorted(people, key=lambda u: name_sort_key(u.full_name))


def get_visible_person(session: Session, actor: User, user_id: int) -> User:
    person = session.scalar(visible_people_query(actor).where(User.id == user_id))
    if person is None:
        raise NotFound()
    return person


def assignable_roles(actor: User) -> list[str]:
    if actor.role == Role.ADMIN:
        return [Role.TRAINEE, Role.TRAINER, Role.ORGANISER, Role.ADMIN]
    if actor.role == Role.ORGANISER:
        return [Role.TRAINEE, Role.TRAINER]
    return []


def list_bodies(session: Session) -> list[OrganisingBody]:
    return list(session.scalars(select(OrganisingBody).order_by(OrganisingBody.name)))
