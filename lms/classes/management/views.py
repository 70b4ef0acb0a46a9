"""Pages to create, edit, copy and archive a class (administrators and organisers)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.models import Role, User
from lms.classes.management import services
from lms.classes.management.forms import ClassSettingsForm
from lms.classes.services import get_class
from lms.courses.services import published_courses
from lms.db import get_session, utcnow
from lms.errors import DomainError
from lms.organisations.services import list_bodies
from lms.security import roles_required
from lms.text import name_sort_key

bp = Blueprint("class_management", __name__, template_folder="templates")
MANAGERS = (Role.ADMIN, Role.ORGANISER)


def _form(session, training_class=None) -> ClassSettingsForm:
    if request.method == "POST":
        form = ClassSettingsForm(request.form)
    elif training_class is not None:
        form = ClassSettingsForm(obj=training_class)
        form.trainer_ids.data = [t.id for t in training_class.trainers]
    else:
        form = ClassSettingsForm()
    courses = published_courses(session)
    form.course_id.choices = [(c.id, c.title) for c in courses]
    body_id = training_class.organising_body_id if training_class else current_user.organising_body_id
    # Every course's tests, named with their course: the service refuses a test of another course than the class's.
    form.quiz_id.choices = [("", _("(not chosen yet)"))] + [
        (q.id, f"{c.title} · {q.title}") for c in courses
        for q in services.usable_tests(session, course_id=c.id, body_id=body_id)]
    trainers = select(User).where(User.role == Role.TRAINER)
    if current_user.role == Role.ORGANISER or training_class is not None:
        trainers = trainers.where(User.organising_body_id == body_id)
    form.trainer_ids.choices = [(u.id, u.full_name) for u in sorted(session.scalars(trainers),
                                                                    key=lambda u: name_sort_key(u.full_name))]
    if current_user.role == Role.ADMIN and training_class is None:
        form.organising_body_id.choices = [(b.id, b.name) for b in list_bodies(session)]
    else:
        del form.organising_body_id
    return form


def _settings(form: ClassSettingsForm) -> services.ClassSettings:
    body = getattr(form, "organising_body_id", None)
    return services.ClassSettings(
        name=form.name.data, course_id=form.course_id.data, quiz_id=form.quiz_id.data, starts_on=form.starts_on.data,
        ends_on=form.ends_on.data, trainer_ids=form.trainer_ids.data or [], capacity=form.capacity.data,
        notes=form.notes.data or "", organising_body_id=body.data if body else None)


@bp.route("/classes/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new_class():
    session = get_session()
    form = _form(session)
    if request.method == "POST" and form.validate():
        try:
            created = services.create(session, current_user, _settings(form), now=utcnow())
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            session.commit()
            flash(_("The class has been created."), "success")
            return redirect(url_for("classes.show_class", class_id=created.id))
    return render_template("class_management/form.html", form=form, training_class=None), 400 if request.method == \
        "POST" else 200


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_class(class_id: int):
    session = get_session()
    training_class = get_class(session, current_user, class_id)
    form = _form(session, training_class)
    if request.method == "POST" and form.validate():
        try:
            services.update(session, current_user, training_class, _settings(form), now=utcnow())
        except DomainError as error:
            session.rollback()
            form.form_errors.append(error.message)
        else:
            session.commit()
            flash(_("The class has been saved."), "success")
            return redirect(url_for("classes.show_class", class_id=class_id))
    status = 400 if request.method == "POST" else 200
    return render_template("class_management/form.html", form=form, training_class=training_class), status


@bp.post("/classes/<int:class_id>/copy")
@roles_required(*MANAGERS)
def copy_class(class_id: int):
    session = get_session()
    source = get_class(session, current_user, class_id)
    created = services.copy(session, current_user, source, now=utcnow())
    session.commit()
    flash(_("The class has been copied with its settings; set the new class's dates."), "success")
    return redirect(url_for("class_management.edit_class", class_id=created.id))


@bp.post("/classes/<int:class_id>/archive")
@roles_required(*MANAGERS)
def archive_class(class_id: int):
    session, now = get_session(), utcnow()
    training_class = get_class(session, current_user, class_id)
    today = now.astimezone(ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])).date()
    try:
        services.archive(session, current_user, training_class, today=today, now=now)
    except DomainError as error:
        flash(error.message, "error")
    else:
        session.commit()
        flash(_("The class has been archived: it is read-only and hidden from the class list."), "success")
    return redirect(url_for("classes.show_class", class_id=class_id))
