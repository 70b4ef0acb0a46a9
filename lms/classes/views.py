"""Class list, class page with its roster, creating classes and enrolling trainees."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.models import Role, User
from lms.classes import services
from lms.classes.forms import ClassForm, EnrolForm
from lms.classes.sessions.views import class_sessions_context
from lms.courses.services import published_courses
from lms.db import get_session
from lms.errors import DomainError
from lms.organisations.services import list_bodies
from lms.security import roles_required

bp = Blueprint("classes", __name__, template_folder="templates")


def _class_form(session) -> ClassForm:
    form = ClassForm(request.form)
    form.course_id.choices = [(c.id, c.title) for c in published_courses(session)]
    form.organising_body_id.choices = [(b.id, b.name) for b in list_bodies(session)]
    trainers = select(User).where(User.role == Role.TRAINER)
    if current_user.role == Role.ORGANISER:
        trainers = trainers.where(User.organising_body_id == current_user.organising_body_id)
        del form.organising_body_id
    form.trainer_ids.choices = [(u.id, u.full_name) for u in session.scalars(trainers)]
    return form


@bp.route("/classes", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.ORGANISER, Role.TRAINER)
def list_classes():
    session = get_session()
    form = _class_form(session) if current_user.role != Role.TRAINER else None
    if form is not None and request.method == "POST" and form.validate():
        body_field = getattr(form, "organising_body_id", None)
        try:
            created = services.create_class(
                session, current_user, name=form.name.data, course_id=form.course_id.data,
                organising_body_id=body_field.data if body_field else None, starts_on=form.starts_on.data,
                ends_on=form.ends_on.data, trainer_ids=form.trainer_ids.data,
            )
        except DomainError as error:
            form.name.errors.append(error.message)
        else:
            session.commit()
            flash(_("The class has been created."), "success")
            return redirect(url_for("classes.show_class", class_id=created.id))
    elif request.method == "POST" and form is None:
        return redirect(url_for("classes.list_classes"))
    status = 400 if form is not None and form.errors else 200
    return render_template("classes/list.html", classes=services.list_classes(session, current_user), form=form), status


@bp.get("/classes/<int:class_id>")
@roles_required(Role.ADMIN, Role.ORGANISER, Role.TRAINER)
def show_class(class_id: int):
    session = get_session()
    training_class = services.get_class(session, current_user, class_id)
    can_manage = current_user.role in (Role.ADMIN, Role.ORGANISER)
    enrol_form = None
    if can_manage:
        enrol_form = EnrolForm()
        enrol_form.user_ids.choices = [(u.id, u.full_name) for u in services.enrollable_trainees(session, training_class)]
    return render_template("classes/show.html", training_class=training_class, can_manage=can_manage,
                           roster=services.roster(session, training_class), enrol_form=enrol_form,
                           **class_sessions_context(session, current_user, training_class))


@bp.post("/classes/<int:class_id>/enrol")
@roles_required(Role.ADMIN, Role.ORGANISER)
def enrol(class_id: int):
    session = get_session()
    training_class = services.get_class(session, current_user, class_id)
    user_ids = [int(v) for v in request.form.getlist("user_ids") if v.isdigit()]
    if not user_ids:
        flash(_("Choose at least one trainee to enrol."), "warning")
        return redirect(url_for("classes.show_class", class_id=class_id))
    added = services.enrol(session, current_user, training_class, user_ids)
    session.commit()
    flash(_("%(count)d trainees enrolled.", count=added), "success")
    return redirect(url_for("classes.show_class", class_id=class_id))


@bp.post("/classes/<int:class_id>/unenrol/<int:user_id>")
@roles_required(Role.ADMIN, Role.ORGANISER)
def unenrol(class_id: int, user_id: int):
    session = get_session()
    training_class = services.get_class(session, current_user, class_id)
    services.unenrol(session, current_user, training_class, user_id)
    session.commit()
    flash(_("The trainee has been removed from the class."), "success")
    return redirect(url_for("classes.show_class", class_id=class_id))
