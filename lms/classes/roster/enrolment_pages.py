"""The class's enrolment pages: add many trainees (search, unit filter, all shown), withdraw, move, merge accounts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.models import User
from lms.classes import services as class_services
from lms.classes.models import TrainingClass
from lms.classes.roster import membership, merging
from lms.classes.roster.views import MANAGERS, local_today
from lms.db import get_session, utcnow
from lms.errors import DomainError, NotFound
from lms.organisations.services import get_visible_person, unit_tree
from lms.security import roles_required

bp = Blueprint("enrolment", __name__, template_folder="templates")


def _ids(values) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 12]


@bp.route("/classes/<int:class_id>/roster/add", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def add_trainees(class_id: int):
    session = get_session()
    training_class = class_services.get_class(session, current_user, class_id)
    if request.method == "POST":
        field = "shown_ids" if request.form.get("action") == "all" else "user_ids"
        user_ids = _ids(request.form.getlist(field))
        if not user_ids:
            flash(_("Choose at least one trainee to enrol."), "warning")
        else:
            try:
                added = membership.enrol_many(session, training_class, user_ids, actor_id=current_user.id,
                                              now=utcnow())
            except DomainError as error:
                session.rollback()
                flash(error.message, "error")
            else:
                session.commit()
                flash(_("%(count)d trainees enrolled.", count=added), "success")
        return redirect(url_for("enrolment.add_trainees", class_id=class_id, q=request.form.get("q", ""),
                                unit=request.form.get("unit", "")))
    text = request.args.get("q", "")[:100]
    unit = request.args.get("unit", "")
    unit_id = int(unit) if unit.isdigit() and len(unit) < 12 else None
    people = membership.candidates(session, training_class, text=text, unit_id=unit_id)
    units = [(u.id, f"{'— ' * depth}{u.name}") for u, depth in unit_tree(session, on=local_today(utcnow()))]
    return render_template("roster/add.html", training_class=training_class, people=people, q=text,
                           unit_id=unit_id, units=units, limit=membership.MAX_SHOWN)


@bp.post("/classes/<int:class_id>/roster/<int:user_id>/withdraw")
@roles_required(*MANAGERS)
def withdraw(class_id: int, user_id: int):
    session = get_session()
    training_class = class_services.get_class(session, current_user, class_id)
    enrolment = membership.withdraw(session, training_class, user_id, actor_id=current_user.id, now=utcnow())
    session.commit()
    flash(_("%(name)s has been withdrawn from the class (kept in its history).", name=enrolment.user.full_name),
          "success")
    return redirect(url_for("classes.show_class", class_id=class_id))


def _other_classes(session, training_class: TrainingClass) -> list[TrainingClass]:
    return [c for c in class_services.list_classes(session, current_user)
            if c.id != training_class.id and c.organising_body_id == training_class.organising_body_id]


@bp.route("/classes/<int:class_id>/roster/<int:user_id>/move", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def move(class_id: int, user_id: int):
    session = get_session()
    training_class = class_services.get_class(session, current_user, class_id)
    person = next((e.user for e in training_class.active_enrolments if e.user_id == user_id), None)
    if person is None:
        raise NotFound()
    targets = _other_classes(session, training_class)
    if request.method == "POST":
        target_id = request.form.get("target", "")
        target = next((c for c in targets if str(c.id) == target_id), None)
        if target is None:
            flash(_("Choose the class to move the trainee to."), "error")
        else:
            membership.move(session, training_class, user_id, target, actor_id=current_user.id, now=utcnow())
            session.commit()
            flash(_("%(name)s has been moved to %(target)s.", name=person.full_name, target=target.name), "success")
            return redirect(url_for("classes.show_class", class_id=class_id))
    return render_template("roster/move.html", training_class=training_class, person=person, targets=targets)


def _person_by_login(session, login: str) -> User | None:
    user = session.scalar(select(User).where(User.username == login.strip().lower()[:64]))
    if user is None:
        return None
    try:
        return get_visible_person(session, current_user, user.id)
    except NotFound:
        return None


@bp.route("/people/merge", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def merge_accounts():
    session = get_session()
    keep_login, away_login = request.values.get("keep", "")[:64], request.values.get("away", "")[:64]
    keep = _person_by_login(session, keep_login) if keep_login else None
    away = _person_by_login(session, away_login) if away_login else None
    error = None
    if (keep_login and keep is None) or (away_login and away is None):
        error = _("No trainee account you manage has this login name.")
    elif request.method == "POST" and keep and away:
        try:
            summary = merging.merge_accounts(session, keep, away, actor_id=current_user.id,
                                             body_id=keep.organising_body_id, now=utcnow())
        except DomainError as problem:
            session.rollback()
            error = problem.message
        else:
            session.commit()
            flash(_("The accounts have been merged into %(login)s; %(away)s is deactivated.", login=keep.username,
                    away=away.username), "success")
            return render_template("roster/merge.html", done=summary, keep=keep, away=away, error=None)
    held = {"keep": merging.holdings(session, keep) if keep else {}, "away": merging.holdings(session, away) if away else {}}
    return render_template("roster/merge.html", keep=keep, away=away, error=error, done=None, held=held,
                           keep_login=keep_login, away_login=away_login), 400 if error else 200
