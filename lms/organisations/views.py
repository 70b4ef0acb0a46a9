"""Administration of organising bodies, work units and people (accounts)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.audit.services import record
from lms.auth import services as accounts
from lms.auth.models import Role
from lms.auth.passwords import temporary_password
from lms.auth.views import role_label
from lms.db import get_session, utcnow
from lms.errors import DomainError
from lms.organisations import editing, services
from lms.organisations.forms import BodyForm, PersonForm, UnitForm
from lms.organisations.labels import body_kind_labels, unit_kind_labels
from lms.security import roles_required

bp = Blueprint("organisations", __name__, template_folder="templates")


def _unit_choices(session, *, empty: str) -> list[tuple]:
    labels = unit_kind_labels()
    choices = [("", empty)]
    former_label = _("former")  # outside the f-string, where the message extractor finds it
    for unit, depth in services.unit_tree(session):
        former = f" ({former_label})" if unit.valid_to else ""
        choices.append((unit.id, f"{'— ' * depth}{unit.name}{former} · {labels.get(unit.kind, unit.kind)}"))
    return choices


@bp.route("/admin/bodies", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def list_bodies():
    session = get_session()
    form = BodyForm(request.form)
    form.kind.choices = list(body_kind_labels().items())
    if request.method == "POST" and form.validate():
        try:
            body = services.create_body(session, name=form.name.data, short_name=form.short_name.data or "",
                                        kind=form.kind.data, address=form.address.data or "")
        except DomainError as error:
            form.name.errors.append(error.message)
        else:
            record(session, "body.create", actor_id=current_user.id, body_id=body.id, target_type="body",
                   target_id=body.id, target_label=body.name, after={"name": body.name, "kind": body.kind})
            session.commit()
            flash(_("The organising body has been created."), "success")
            return redirect(url_for("organisations.list_bodies"))
    status = 400 if form.errors else 200
    return render_template("organisations/bodies.html", bodies=services.list_bodies(session), form=form,
                           kind_labels=body_kind_labels()), status


@bp.route("/admin/units", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def list_units():
    session = get_session()
    form = UnitForm(request.form)
    form.kind.choices = list(unit_kind_labels().items())
    form.parent_id.choices = _unit_choices(session, empty=_("(top level)"))
    form.successor_id.choices = _unit_choices(session, empty=_("(none)"))
    if request.method == "POST" and form.validate():
        try:
            unit = services.create_unit(session, name=form.name.data, kind=form.kind.data,
                                        parent_id=form.parent_id.data, code=form.code.data,
                                        valid_from=form.valid_from.data, valid_to=form.valid_to.data,
                                        successor_id=form.successor_id.data)
        except DomainError as error:
            form.name.errors.append(error.message)
        else:
            record(session, "unit.create", actor_id=current_user.id, body_id=None, target_type="unit",
                   target_id=unit.id, target_label=unit.name,
                   after={"kind": unit.kind, "parent_id": unit.parent_id, "successor_id": unit.successor_id})
            session.commit()
            flash(_("The work unit has been added."), "success")
            return redirect(url_for("organisations.list_units"))
    from datetime import date

    show_former = request.args.get("former") == "1"
    tree = services.unit_tree(session, on=None if show_former else date.today())
    return render_template("organisations/units.html", tree=tree, form=form, show_former=show_former,
                           kind_labels=unit_kind_labels()), 400 if form.errors else 200


@bp.get("/people")
@roles_required(Role.ADMIN, Role.ORGANISER)
def list_people():
    session = get_session()
    text = request.args.get("q", "")[:100]
    role = request.args.get("role") or None
    people = services.search_people(session, current_user, text=text, role=role if role in set(Role) else None)
    return render_template("organisations/people.html", people=people, q=text, role=role,
                           roles=services.assignable_roles(current_user))


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.ORGANISER)
def new_person():
    session = get_session()
    form = _person_form(session)
    if request.method == "POST" and form.validate():
        password = temporary_password()
        body_id = form.organising_body_id.data if current_user.role == Role.ADMIN else current_user.organising_body_id
        data = accounts.AccountInput(
            username=form.username.data, full_name=form.full_name.data, role=form.role.data, password=password,
            email=form.email.data or None, phone=form.phone.data or None, date_of_birth=form.date_of_birth.data,
            position=form.position.data or "", work_unit_id=form.work_unit_id.data, organising_body_id=body_id,
        )
        try:
            person = accounts.create_user(session, data, must_change_password=True)
        except DomainError as error:
            form.username.errors.append(error.message)
        else:
            record(session, "user.create", actor_id=current_user.id, body_id=person.organising_body_id,
                   target_type="user", target_id=person.id, target_label=person.full_name,
                   after={"username": person.username, "role": person.role, "work_unit_id": person.work_unit_id})
            session.commit()
            return render_template("organisations/password_slip.html", person=person, password=password, new=True)
    return render_template("organisations/person_form.html", form=form), 400 if form.errors else 200


def _person_form(session) -> PersonForm:
    return _fill_person_choices(session, PersonForm(request.form))


def _fill_person_choices(session, form: PersonForm) -> PersonForm:
    form.role.choices = [(role, role_label(role)) for role in services.assignable_roles(current_user)]
    form.work_unit_id.choices = _unit_choices(session, empty=_("(not set)"))
    bodies = [("", _("(none)"))] + [(b.id, b.name) for b in services.list_bodies(session)]
    form.organising_body_id.choices = bodies
    if current_user.role != Role.ADMIN:
        del form.organising_body_id
    return form


@bp.post("/people/<int:user_id>/reset-password")
@roles_required(Role.ADMIN, Role.ORGANISER)
def reset_password(user_id: int):
    session = get_session()
    person = services.get_visible_person(session, current_user, user_id)
    password = accounts.reset_password(session, person)
    record(session, "user.password_reset", actor_id=current_user.id, body_id=person.organising_body_id,
           target_type="user", target_id=person.id, target_label=person.full_name)
    session.commit()
    return render_template("organisations/password_slip.html", person=person, password=password, new=False)


@bp.route("/people/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.ORGANISER)
def edit_person(user_id: int):
    """Change a person's name, role, unit, position, contacts or date of birth (login name and password stay)."""
    session = get_session()
    person = services.get_visible_person(session, current_user, user_id)
    form = _person_form(session) if request.method == "POST" else PersonForm(data=editing.changes_of(person))
    if request.method == "GET":
        _fill_person_choices(session, form)
    del form.username
    if request.method == "POST" and form.validate():
        body = getattr(form, "organising_body_id", None)
        changes = editing.PersonChanges(
            full_name=form.full_name.data, role=form.role.data, date_of_birth=form.date_of_birth.data,
            work_unit_id=form.work_unit_id.data, position=form.position.data or "", phone=form.phone.data or None,
            email=form.email.data or None, organising_body_id=body.data if body else person.organising_body_id)
        try:
            editing.update_person(session, current_user, person, changes, now=utcnow())
        except DomainError as error:
            session.rollback()
            form.full_name.errors.append(error.message)
        else:
            session.commit()
            flash(_("The account of %(name)s has been saved.", name=person.full_name), "success")
            return redirect(url_for("organisations.list_people"))
    return render_template("organisations/person_edit.html", form=form, person=person), 400 if form.errors else 200
