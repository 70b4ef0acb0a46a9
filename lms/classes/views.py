"""Class list (search, archived classes), class page with its roster, enrolling trainees."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.models import Role
from lms.classes import services
from lms.classes.forms import EnrolForm
from lms.classes.roster import membership
from lms.classes.sessions.views import class_sessions_context
from lms.db import get_session
from lms.security import roles_required

bp = Blueprint("classes", __name__, template_folder="templates")


@bp.get("/classes")
@roles_required(Role.ADMIN, Role.ORGANISER, Role.TRAINER)
def list_classes():
    """The visible classes by name in Vietnamese order, searchable without accents; archived ones on request."""
    from lms.classes.management.services import search_classes

    text = request.args.get("q", "")[:100]
    archived = request.args.get("archived") == "1"
    classes = search_classes(get_session(), current_user, text=text, archived=archived)
    return render_template("classes/list.html", classes=classes, q=text, archived=archived,
                           can_create=current_user.role != Role.TRAINER)


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
    withdrawn = membership.withdrawn(session, training_class) if can_manage else []
    return render_template("classes/show.html", training_class=training_class, can_manage=can_manage,
                           roster=services.roster(session, training_class), enrol_form=enrol_form, withdrawn=withdrawn,
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
