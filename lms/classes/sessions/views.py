"""Managing a class's sessions (organisers of its body, its trainers): list, add one or a series, edit, delete."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.models import Role
from lms.classes.sessions import services
from lms.classes.sessions.forms import SeriesForm, SessionForm
from lms.classes.sessions.services import SessionInput
from lms.db import get_session, utcnow
from lms.errors import DomainError
from lms.security import roles_required

bp = Blueprint("class_sessions", __name__, template_folder="templates")
MANAGERS = (Role.ADMIN, Role.ORGANISER, Role.TRAINER)


def _with_trainers(form, training_class):
    form.trainer_id.choices = [("", "—")] + [(t.id, t.full_name) for t in training_class.trainers]
    return form


def _template(form) -> SessionInput:
    return SessionInput(day=None, start=None, end=None, title=form.title.data or "",
                        meeting_url=form.meeting_url.data or "", zoom_meeting_id=form.zoom_meeting_id.data or "",
                        trainer_id=form.trainer_id.data)


def _page(training_class, session_form=None, series_form=None, error: str = "", status: int = 200):
    db = get_session()
    series_form = series_form or _with_trainers(SeriesForm(formdata=None), training_class)
    if not series_form.time_ranges.data:
        series_form.time_ranges.data = "7:30–11:30, 13:30–17:00"
    return render_template(
        "class_sessions/manage.html", training_class=training_class,
        sessions=services.list_sessions(db, training_class), to_local=services.to_local,
        session_form=session_form or _with_trainers(SessionForm(formdata=None), training_class),
        series_form=series_form, error=error,
    ), status


@bp.get("/classes/<int:class_id>/sessions")
@roles_required(*MANAGERS)
def manage_sessions(class_id: int):
    return _page(services.managed_class(get_session(), current_user, class_id))


@bp.post("/classes/<int:class_id>/sessions")
@roles_required(*MANAGERS)
def add_session(class_id: int):
    db = get_session()
    training_class = services.managed_class(db, current_user, class_id)
    form = _with_trainers(SessionForm(request.form), training_class)
    if not form.validate():
        return _page(training_class, session_form=form, status=400)
    data = _template(form)
    data.day, data.start, data.end = form.day.data, form.start.data, form.end.data
    try:
        services.create_session(db, current_user, training_class, data, now=utcnow())
    except DomainError as error:
        db.rollback()
        return _page(training_class, session_form=form, error=error.message, status=422)
    db.commit()
    flash(_("The session has been added."), "success")
    return redirect(url_for("class_sessions.manage_sessions", class_id=class_id))


@bp.post("/classes/<int:class_id>/sessions/series")
@roles_required(*MANAGERS)
def add_series(class_id: int):
    db = get_session()
    training_class = services.managed_class(db, current_user, class_id)
    form = _with_trainers(SeriesForm(request.form), training_class)
    if not form.validate():
        return _page(training_class, series_form=form, status=400)
    try:
        created = services.create_series(
            db, current_user, training_class, first_day=form.first_day.data, last_day=form.last_day.data,
            time_ranges=services.parse_time_ranges(form.time_ranges.data), template=_template(form), now=utcnow())
    except DomainError as error:
        db.rollback()
        return _page(training_class, series_form=form, error=error.message, status=422)
    db.commit()
    flash(_("%(count)d sessions have been added.", count=len(created)), "success")
    return redirect(url_for("class_sessions.manage_sessions", class_id=class_id))


@bp.route("/classes/<int:class_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_session(class_id: int, session_id: int):
    db = get_session()
    training_class = services.managed_class(db, current_user, class_id)
    class_session = services.get_session_of_class(db, training_class, session_id)
    form = _with_trainers(SessionForm(request.form if request.method == "POST" else None), training_class)
    error, status = "", 200
    if request.method == "GET":
        local_start, local_end = services.to_local(class_session.starts_at), services.to_local(class_session.ends_at)
        form.process(data={"day": local_start.date(), "start": local_start.time(), "end": local_end.time(),
                           "title": class_session.title, "meeting_url": class_session.meeting_url,
                           "zoom_meeting_id": class_session.zoom_meeting_id or "",
                           "trainer_id": class_session.trainer_id})
    elif form.validate():
        data = _template(form)
        data.day, data.start, data.end = form.day.data, form.start.data, form.end.data
        try:
            services.update_session(db, current_user, class_session, data, now=utcnow())
        except DomainError as failure:
            db.rollback()
            error, status = failure.message, 422
        else:
            db.commit()
            flash(_("The session has been saved."), "success")
            return redirect(url_for("class_sessions.manage_sessions", class_id=class_id))
    else:
        status = 400
    return render_template("class_sessions/edit.html", training_class=training_class, class_session=class_session,
                           form=form, error=error), status


@bp.post("/classes/<int:class_id>/sessions/<int:session_id>/delete")
@roles_required(*MANAGERS)
def delete_session(class_id: int, session_id: int):
    db = get_session()
    training_class = services.managed_class(db, current_user, class_id)
    services.delete_session(db, current_user, services.get_session_of_class(db, training_class, session_id),
                            now=utcnow())
    db.commit()
    flash(_("The session has been deleted."), "success")
    return redirect(url_for("class_sessions.manage_sessions", class_id=class_id))


@bp.get("/classes/<int:class_id>/my")
@roles_required(Role.TRAINEE)
def my_class(class_id: int):
    """The trainee's class page: the session to join, the course, the open test and the live room's place."""
    from flask import current_app

    from lms.classes.sessions.trainee import trainee_class_page

    db = get_session()
    page = trainee_class_page(db, current_user, class_id, now=utcnow(),
                              grace_seconds=current_app.config["QUIZ_SAVE_GRACE_SECONDS"])
    db.commit()  # listing the tests closes overdue attempts lazily
    return render_template("class_sessions/my_class.html", page=page, training_class=page.training_class,
                           to_local=services.to_local)


def class_sessions_context(db, actor, training_class) -> dict:
    """What the staff class page (classes.show_class) shows of the sessions: the list and whether to manage them."""
    return {"sessions": services.list_sessions(db, training_class), "to_local": services.to_local,
            "can_manage_sessions": services.can_manage_sessions(actor, training_class),
            "zoom_emails": {e.user_id: e.zoom_email or "" for e in training_class.enrolments}}


@bp.get("/my-classes")
@roles_required(Role.TRAINEE)
def my_classes():
    """The trainee's classes, each with its next session, leading to the class page."""
    from lms.classes.sessions.trainee import trainee_classes

    return render_template("class_sessions/my_classes.html", to_local=services.to_local,
                           classes=trainee_classes(get_session(), current_user, now=utcnow()))
