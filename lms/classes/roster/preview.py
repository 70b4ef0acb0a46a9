"""The preview of a roster import: every row normalised, with its problems, notes and the choices it offers."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.classes.roster import cells
from lms.classes.roster.reading import RawRow
from lms.organisations.models import WorkUnit
from lms.text import fold

FIELD_LABELS = {"full_name": "Họ và tên", "date_of_birth": "Ngày sinh", "gender": "Giới tính",
                "unit": "Đơn vị công tác", "position": "Chức vụ", "phone": "Số điện thoại", "email": "Email",
                "zoom_email": "Email Zoom"}
USE_EXISTING, CREATE_NEW = "existing", "new"


@dataclass(frozen=True)
class RowChoice:
    """What the organiser chose on the preview for one row."""

    unit_id: int | None = None
    account: str | None = None  # USE_EXISTING or CREATE_NEW, for a row matching an account by name and birth date


@dataclass
class PreviewRow:
    number: int
    full_name: str = ""
    date_of_birth: date | None = None
    gender: str | None = None
    position: str = ""
    phone: str | None = None
    email: str | None = None
    zoom_email: str | None = None
    unit_text: str = ""
    unit: WorkUnit | None = None
    unit_suggestions: list[WorkUnit] = field(default_factory=list)
    existing: User | None = None
    existing_by_name_only: bool = False  # the match may be another person: the organiser may create a new account
    use_existing: bool = False
    enrolment_status: str | None = None  # this person's enrolment in the class, if any
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class RosterPreview:
    rows: list[PreviewRow]

    @property
    def problem_rows(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.problems]

    @property
    def ok(self) -> bool:
        return not self.problem_rows


def build_preview(session: Session, training_class: TrainingClass, raw_rows: list[RawRow], *, today: date,
                  choices: Mapping[int, RowChoice] | None = None) -> RosterPreview:
    """Normalise and check every row; nothing is written. Choices resolve unknown units and name matches."""
    choices = choices or {}
    rows = [_normalised(raw, today=today) for raw in raw_rows]
    _mark_duplicates(rows)
    _UnitMatcher(session, today).apply(rows, choices)
    _match_accounts(session, training_class, rows, choices)
    _mark_same_account(rows)
    _mark_enrolments(session, training_class, rows)
    return RosterPreview(rows)


def _normalised(raw: RawRow, *, today: date) -> PreviewRow:
    row = PreviewRow(raw.number)
    for name in raw.too_long:
        row.problems.append(_("the cell '%(column)s' is too long", column=FIELD_LABELS[name]))
    get = raw.cells.get
    row.full_name = cells.person_name(get("full_name"))
    if not row.full_name:
        row.problems.append(_("the full name is missing"))
    elif len(row.full_name) > 120:
        row.problems.append(_("the full name is longer than 120 characters"))
    row.position = cells.text(get("position"))[:120]
    row.unit_text = cells.text(get("unit"))
    parsers = {"date_of_birth": lambda v: cells.birth_date(v, today=today), "gender": cells.gender,
               "phone": cells.phone, "email": lambda v: cells.email(v, label=_("email address")),
               "zoom_email": lambda v: cells.email(v, label=_("Zoom email address"))}
    for name, parse in parsers.items():
        try:
            setattr(row, name, parse(get(name)))
        except cells.CellProblem as problem:
            row.problems.append(str(problem))
    return row


def _identity_keys(row: PreviewRow) -> Iterable[tuple]:
    if row.email:
        yield ("email", row.email)
    if row.phone:
        yield ("phone", row.phone)
    if row.full_name and row.date_of_birth:
        yield ("name", fold(row.full_name), row.date_of_birth)


def _mark_duplicates(rows: list[PreviewRow]) -> None:
    first_seen: dict[tuple, int] = {}
    for row in rows:
        earlier = sorted({first_seen[key] for key in _identity_keys(row) if key in first_seen})
        if earlier:
            row.problems.append(_("the same person as row %(number)d (same email, phone, or name and date of "
                                  "birth)", number=earlier[0]))
        for key in _identity_keys(row):
            first_seen.setdefault(key, row.number)


class _UnitMatcher:
    """Work units by accent-free name; a former unit leads to its successor; unknown ones get the closest."""

    def __init__(self, session: Session, today: date) -> None:
        self.session, self.today = session, today
        self.by_name: dict[str, list[WorkUnit]] = {}
        for unit in session.scalars(select(WorkUnit)):
            self.by_name.setdefault(unit.name_folded, []).append(unit)
        self.current = {name: [u for u in units if u.is_current(today)] for name, units in self.by_name.items()}
        self.current_names = [name for name, units in self.current.items() if units]
        self._suggestions: dict[str, list[WorkUnit]] = {}

    def apply(self, rows: list[PreviewRow], choices: Mapping[int, RowChoice]) -> None:
        for row in rows:
            chosen = choices.get(row.number, RowChoice()).unit_id
            unit = self.session.get(WorkUnit, chosen) if chosen else None
            if unit is not None and unit.is_current(self.today) and row.unit_text:
                row.unit = unit
                if fold(unit.name) != fold(row.unit_text):  # the choice stays offered on the next preview
                    suggestions = self.suggestions(fold(row.unit_text))
                    row.unit_suggestions = suggestions if unit in suggestions else [unit, *suggestions]
                    row.notes.append(_("work unit chosen: %(unit)s", unit=unit.name))
            elif row.unit_text:
                self._match(row)

    def _match(self, row: PreviewRow) -> None:
        name = fold(row.unit_text)
        if self.current.get(name):
            row.unit = self.current[name][0]
            return
        former = self.by_name.get(name)
        if former:
            successor = _current_successor(former[0])
            if successor is not None and successor.is_current(self.today):
                row.unit = successor
                row.notes.append(_("%(former)s no longer exists: %(successor)s, which took it over, is used",
                                   former=former[0].name, successor=successor.name))
                return
        row.unit_suggestions = self.suggestions(name)
        row.problems.append(_("the work unit '%(unit)s' is unknown; choose one of the closest current units",
                              unit=row.unit_text[:80]))

    def suggestions(self, name: str) -> list[WorkUnit]:
        if name not in self._suggestions:
            close = difflib.get_close_matches(name, self.current_names, n=5, cutoff=0.5)
            if len(close) < 5:  # "xã An Phú" for "UBND xã An Phú": a name containing the typed one
                close += [n for n in self.current_names if name and name in n and n not in close][:5 - len(close)]
            self._suggestions[name] = [self.current[n][0] for n in close]
        return self._suggestions[name]


def _current_successor(unit: WorkUnit) -> WorkUnit | None:
    seen: set[int] = set()
    while unit.successor is not None and unit.id not in seen:
        seen.add(unit.id)
        unit = unit.successor
    return unit if seen else None


def _in_chunks(values: list, size: int = 500) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _users_where(session: Session, column, values: set) -> dict:
    found = {}
    for chunk in _in_chunks(sorted(values)):
        for user in session.scalars(select(User).where(column.in_(chunk))):
            found.setdefault(getattr(user, column.key), []).append(user)
    return found


def _match_accounts(session: Session, training_class: TrainingClass, rows: list[PreviewRow],
                    choices: Mapping[int, RowChoice]) -> None:
    by_email = _users_where(session, User.email, {r.email for r in rows if r.email})
    by_phone = _users_where(session, User.phone, {r.phone for r in rows if r.phone})
    by_name = _users_where(session, User.full_name_folded, {fold(r.full_name) for r in rows if r.date_of_birth})
    body_id = training_class.organising_body_id
    pending = set(session.scalars(select(Enrolment.user_id).where(Enrolment.class_id == training_class.id,
                                                                  Enrolment.status == EnrolmentStatus.PENDING)))
    for row in rows:
        direct = {u.id: u for u in by_email.get(row.email, []) + by_phone.get(row.phone, [])}
        if len(direct) > 1:
            row.problems.append(_("the email and the phone number belong to two different accounts"))
            continue
        if direct:
            user = next(iter(direct.values()))
            if user.role != Role.TRAINEE or user.organising_body_id != body_id or \
                    not (user.active or user.id in pending):  # a join request for this class is approved by the import
                row.problems.append(_("the email or phone number is already used by an account that cannot be "
                                      "enrolled in this class"))
                continue
            row.existing, row.use_existing = user, True
            row.notes.append(_("already has an account (%(username)s): the existing account is used",
                               username=user.username))
            continue
        same = [u for u in by_name.get(fold(row.full_name), []) if row.date_of_birth
                and u.date_of_birth == row.date_of_birth and u.role == Role.TRAINEE and u.organising_body_id == body_id
                and u.active]
        if same:
            row.existing, row.existing_by_name_only = same[0], True
            row.use_existing = choices.get(row.number, RowChoice()).account != CREATE_NEW
            row.notes.append(_("an account with the same name and date of birth exists (%(username)s)",
                               username=same[0].username) + ": " +
                             (_("use the existing account") if row.use_existing else _("a new account is created")))


def _mark_same_account(rows: list[PreviewRow]) -> None:
    first_row: dict[int, int] = {}
    for row in rows:
        if row.use_existing and row.existing is not None:
            if row.existing.id in first_row and not row.problems:
                row.problems.append(_("the same person as row %(number)d (the same existing account)",
                                      number=first_row[row.existing.id]))
            first_row.setdefault(row.existing.id, row.number)


def _mark_enrolments(session: Session, training_class: TrainingClass, rows: list[PreviewRow]) -> None:
    user_ids = [row.existing.id for row in rows if row.use_existing and row.existing]
    status = dict(session.execute(select(Enrolment.user_id, Enrolment.status).where(
        Enrolment.class_id == training_class.id, Enrolment.user_id.in_(user_ids))).all()) if user_ids else {}
    for row in rows:
        if row.use_existing and row.existing and row.existing.id in status:
            row.enrolment_status = status[row.existing.id]
            if row.enrolment_status == EnrolmentStatus.ACTIVE:
                row.notes.append(_("already in this class: nothing changes"))
            else:
                row.notes.append(_("enrolled again in this class"))
