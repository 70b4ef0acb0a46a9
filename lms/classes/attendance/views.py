"""Attendance pages: class sheet (screen, Excel), a session's marks and unmatched participants, rule, Zoom emails."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.models import Role
from lms.classes.attendance import services
from lms.classes.attendance.excel import attendance_workbook
from lms.classes.attendance.models import AttendanceMarkChange
from lms.classes.attendance.sheet import MARK_CHOICES, attendance_sheet, unmatched_participants
from lms.classes.attendance.zoom_emails import set_own_zoom_email, set_zoom_emails
from lms.classes.sessions.services import get_session_of_class, managed_class, to_local
from lms.classes.sessions.trainee import enrolment_of
from lms.db import get_session, utcnow
from lms.errors import DomainError
from lms.security import roles_required

bp = Blueprint("attendance", __name__, template_folder="templates")
MANAGERS = (Role.ADMIN, Role.ORGANISER, Role.TRAINER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/classes/<int:class_id>/attendance")
@roles_required(*MANAGERS)
def class_sheet(class_id: int):
    db = get_session()
    training_class = managed_class(db, current_user, class_id)
    sheet = attendance_sheet(db, training_class, utcnow())
    return render_template("attendance/sheet.html", sheet=sheet, training_class=training_class, to_local=to_local,
                           can_set_rule=current_user.role in (Role.ADMIN, Role.ORGANISER),
                           history=services.mark_history(db, training_class)[:50],
                           names={row.user.id: row.user.full_name for row in sheet.rows})


@bp.get("/classes/<int:class_id>/attendance.xlsx")
@roles_required(*MANAGERS)
def class_sheet_xlsx(class_id: int):
    db = get_session()
    training_class = managed_class(db, current_user, class_id)
    data = attendance_workbook(attendance_sheet(db, training_class, utcnow()))
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="diem-danh-lop-{training_class.code}.xlsx"'})


@bp.get("/classes/<int:class_id>/attendance/sessions/<int:session_id>")
@roles_required(*MANAGERS)
def session_sheet(class_id: int, session_id: int):
    db = get_session()
    training_class = managed_class(db, current_user, class_id)
    class_session = get_session_of_class(db, training_class, session_id)
    sheet = attendance_sheet(db, training_class, utcnow())
    index = [s.id for s in sheet.sessions].index(class_session.id)
    unmatched = unmatched_participants(db, class_session, utcnow())
    history = db.scalars(select(AttendanceMarkChange).where(AttendanceMarkChange.class_session_id == class_session.id)
                         .order_by(AttendanceMarkChange.changed_at.desc(), AttendanceMarkChange.id.desc())).all()
    return render_template("attendance/session.html", training_class=training_class, class_session=class_session,
                           rows=[(row, row.cells[index], row.summary.sessions[index]) for row in sheet.rows],
                           unmatched=unmatched, history=history, mark_choices=MARK_CHOICES, to_local=to_local,
                           roll_calls=services.roll_call_count(db, class_session),
                           names={row.user.id: row.user.full_name for row in sheet.rows})


def _save(db, change: Callable[[], object], success: Callable[[object], str]) -> None:
    """Run one change and commit it with a success message; a refused change (422) is rolled back and said."""
    try:
        result = change()
    except DomainError as error:
        db.rollback()
        if error.status != 422:
            raise
        flash(error.message, "error")
    else:
        db.commit()
        flash(success(result), "success")


@bp.post("/classes/<int:class_id>/attendance/sessions/<int:session_id>/mark")
@roles_required(*MANAGERS)
def set_mark(class_id: int, session_id: int):
    db = get_session()
    training_class = managed_class(db, current_user, class_id)
    class_session = get_session_of_class(db, training_class, session_id)
    user_id = request.form.get("user_id", type=int) or 0
    status = request.form.get("status", "") or None
    _save(db, lambda: services.set_mark(db, current_user, class_session=class_session, user_id=user_id,
                                        status=status, note=request.form.get("note", ""), now=utcnow()),
          lambda _result: _("The attendance mark has been saved."))
    return redirect(url_for("attendance.session_sheet", class_id=class_id, session_id=session_id))


@bp.post("/classes/<int:class_id>/attendance/sessions/<int:session_id>/assign")
@roles_required(*MANAGERS)
def assign(class_id: int, session_id: int):
    db = get_session()
    training_class = managed_class(db, current_user, class_id)
    class_session = get_session_of_class(db, training_class, session_id)
    _save(db, lambda: services.assign_participant(
              db, current_user, class_session=class_session,
              participant_key=request.form.get("participant_key", "")[:160],
              user_id=request.form.get("user_id", type=int) or 0, now=utcnow()),
          lambda _result: _("The participant now counts for the trainee."))
    return redirect(url_for("attendance.session_sheet", class_id=class_id, session_id=session_id))


@bp.post("/classes/<int:class_id>/attendance/rule")
@roles_required(Role.ADMIN, Role.ORGANISER)
def set_rule(class_id: int):
    db = get_session()
    training_class = managed_class(db, current_user, class_id)
    raw = request.form.get("min_percent", "").strip()
    _save(db, lambda: services.set_rule(db, current_user, training_class,
                                        min_percent=int(raw) if raw.isdigit() else -1, now=utcnow()),
          lambda _result: _("The attendance rule has been saved."))
    return redirect(url_for("attendance.class_sheet", class_id=class_id))


@bp.post("/classes/<int:class_id>/zoom-emails")
@roles_required(Role.ADMIN, Role.ORGANISER)
def zoom_emails(class_id: int):
    db = get_session()
    training_class = managed_class(db, current_user, class_id)
    emails = {int(key.removeprefix("zoom_email-")): value for key, value in request.form.items()
              if key.startswith("zoom_email-") and key.removeprefix("zoom_email-").isdigit()
              and len(key) < 40}
    _save(db, lambda: set_zoom_emails(db, current_user, training_class, emails, now=utcnow()),
          lambda result: _("Zoom emails saved (%(count)d changed).", count=result))
    return redirect(url_for("classes.show_class", class_id=class_id))


@bp.post("/classes/<int:class_id>/my/zoom-email")
@roles_required(Role.TRAINEE)
def my_zoom_email(class_id: int):
    db = get_session()
    enrolment = enrolment_of(db, current_user, class_id)
    _save(db, lambda: set_own_zoom_email(db, current_user, enrolment, request.form.get("zoom_email", ""),
                                         now=utcnow()),
          lambda _result: _("Your Zoom email has been saved."))
    return redirect(url_for("class_sessions.my_class", class_id=class_id))
