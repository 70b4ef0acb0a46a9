"""Joining a class with its code (public, rate-limited) and the organiser's join code and approvals page."""

from __future__ import annotations

import hashlib

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse
from sqlalchemy.exc import IntegrityError

from lms.auth.models import Role
from lms.auth.throttle import login_throttle
from lms.classes import services as class_services
from lms.classes.roster import joining
from lms.classes.roster.forms import JoinForm, JoinWithAccountForm
from lms.classes.roster.views import MANAGERS, local_today
from lms.db import get_session, utcnow
from lms.errors import DomainError
from lms.organisations.services import unit_tree
from lms.security import roles_required

bp = Blueprint("joining", __name__, template_folder="templates")


def _join_attempts_left(session, now) -> bool:
    """Every join form sent counts against the client's address (JOIN_LIMIT_PER_ADDRESS, e.g. 20/hour)."""
    limit = parse(current_app.config["JOIN_LIMIT_PER_ADDRESS"])
    key = "j:" + hashlib.sha256((request.remote_addr or "-").encode()).hexdigest()
    counts = login_throttle().counts
    if counts.get(session, key, now).failures >= limit.amount:
        return False
    counts.hit(session, key, now, limit.get_expiry())
    session.commit()
    return True


@bp.route("/join", methods=["GET", "POST"])
def join():
    session = get_session()
    now = utcnow()
    if current_user.is_authenticated:
        return _join_with_account(session, now)
    form = JoinForm(request.form if request.method == "POST" else None, code=request.args.get("code", "")[:32])
    form.work_unit_id.choices = [("", _("(not set)"))] + [
        (unit.id, f"{'— ' * depth}{unit.name}") for unit, depth in unit_tree(session, on=local_today(now))]
    if request.method == "POST":
        if not _join_attempts_left(session, now):
            return render_template("roster/join.html", form=form, limited=True), 429
        if form.validate():
            data = joining.Registration(
                code=form.code.data, full_name=form.full_name.data, date_of_birth=form.date_of_birth.data,
                work_unit_id=form.work_unit_id.data, email=form.email.data or None, phone=form.phone.data or None,
                password=form.password.data)
            try:
                user, training_class = joining.register(session, data, today=local_today(now), now=now)
                session.commit()
            except DomainError as error:
                session.rollback()
                form.code.errors.append(error.message)
            except IntegrityError:  # the same email, phone or user name taken by a request a moment earlier
                session.rollback()
                form.code.errors.append(_("Someone registered at the same moment: please send the form again."))
            else:
                return render_template("roster/joined.html", user=user, training_class=training_class)
    return render_template("roster/join.html", form=form, limited=False), 400 if form.errors else 200


def _join_with_account(session, now):
    form = JoinWithAccountForm(request.form if request.method == "POST" else None,
                               code=request.args.get("code", "")[:32])
    if request.method == "POST":
        if not _join_attempts_left(session, now):
            return render_template("roster/join.html", form=form, limited=True, with_account=True), 429
        if form.validate():
            try:
                training_class = joining.request_with_account(session, current_user, form.code.data, now=now)
                session.commit()
            except DomainError as error:
                session.rollback()
                form.code.errors.append(error.message)
            else:
                return render_template("roster/joined.html", user=current_user, training_class=training_class)
    return render_template("roster/join.html", form=form, limited=False, with_account=True), \
        400 if form.errors else 200


@bp.route("/classes/<int:class_id>/roster/requests", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def join_requests(class_id: int):
    session = get_session()
    training_class = class_services.get_class(session, current_user, class_id)
    if request.method == "POST":
        ids = [int(v) for v in request.form.getlist("enrolment_ids") if v.isdigit() and len(v) < 12]
        approve = request.form.get("action") == "approve"
        count = joining.decide(session, training_class, ids, approve=approve, actor_id=current_user.id, now=utcnow())
        session.commit()
        flash(_("%(count)d requests approved.", count=count) if approve else
              _("%(count)d requests rejected.", count=count), "success")
        return redirect(url_for("joining.join_requests", class_id=class_id))
    join_url = url_for("joining.join", code=training_class.join_code, _external=False) if training_class.join_code else ""
    return render_template("roster/requests.html", training_class=training_class, join_url=join_url,
                           site=current_app.config["PUBLIC_BASE_URL"],
                           requests=joining.pending_requests(session, training_class))


@bp.post("/classes/<int:class_id>/roster/join-code")
@roles_required(Role.ADMIN, Role.ORGANISER)
def regenerate_join_code(class_id: int):
    session = get_session()
    training_class = class_services.get_class(session, current_user, class_id)
    joining.new_join_code(session, training_class, actor_id=current_user.id, now=utcnow())
    session.commit()
    flash(_("The class has a new join code; the old one no longer works."), "success")
    return redirect(url_for("joining.join_requests", class_id=class_id))
