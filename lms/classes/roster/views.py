"""Roster pages for organisers and administrators: import with preview, the template, the login slips PDF."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from lms.auth.models import Role
from lms.classes import services as class_services
from lms.classes.roster import importing, slips
from lms.classes.roster.models import RosterUpload
from lms.classes.roster.preview import CREATE_NEW, USE_EXISTING, RowChoice, build_preview
from lms.classes.roster.printing import SlipLabels, render_slips
from lms.classes.roster.reading import RosterFileError, read_roster
from lms.classes.roster.uploads import load_upload, store_upload
from lms.db import get_session, utcnow
from lms.errors import DomainError
from lms.security import roles_required

bp = Blueprint("roster", __name__, template_folder="templates")
MANAGERS = (Role.ADMIN, Role.ORGANISER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def local_today(now: datetime) -> date:
    return now.astimezone(ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])).date()


def _managed_class(class_id: int):
    return class_services.get_class(get_session(), current_user, class_id)


@bp.get("/classes/<int:class_id>/roster/template.<any(xlsx, csv):kind>")
@roles_required(*MANAGERS)
def template(class_id: int, kind: str):
    _managed_class(class_id)
    if kind == "xlsx":
        body, mimetype = importing.template_xlsx(), XLSX
    else:
        body, mimetype = importing.template_csv(), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="danh-sach-hoc-vien.{kind}"'})


@bp.route("/classes/<int:class_id>/roster/import", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def import_form(class_id: int):
    session = get_session()
    training_class = _managed_class(class_id)
    error = None
    if request.method == "POST":
        file = request.files.get("file")
        content = file.read() if file else b""
        filename = (file.filename or "") if file else ""
        try:
            if not file or not filename:
                raise RosterFileError(_("Choose a file to upload."))
            read_roster(content, filename)
        except RosterFileError as problem:
            error = str(problem)
        else:
            upload = store_upload(session, user_id=current_user.id, class_id=class_id, filename=filename,
                                  content=content, now=utcnow())
            session.commit()
            return redirect(url_for("roster.preview", class_id=class_id, token=upload.token))
    return render_template("roster/import.html", training_class=training_class, error=error), 400 if error else 200


def _choices(form) -> dict[int, RowChoice]:
    choices: dict[int, RowChoice] = {}
    numbers = {key.split("-", 1)[1] for key in form if key.startswith(("unit-", "account-"))}
    for number in (n for n in numbers if n.isdigit() and len(n) < 8):
        unit = form.get(f"unit-{number}", "")
        account = form.get(f"account-{number}")
        choices[int(number)] = RowChoice(unit_id=int(unit) if unit.isdigit() and len(unit) < 12 else None,
                                         account=account if account in (USE_EXISTING, CREATE_NEW) else None)
    return choices


@bp.route("/classes/<int:class_id>/roster/import/<token>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def preview(class_id: int, token: str):
    session = get_session()
    training_class = _managed_class(class_id)
    now = utcnow()
    upload = load_upload(session, token=token, user_id=current_user.id, class_id=class_id, now=now)
    try:
        raw_rows = read_roster(upload.content, upload.filename)
    except RosterFileError as problem:  # checked on upload; a changed limit can still refuse it
        return render_template("roster/import.html", training_class=training_class, error=str(problem)), 400
    checked = build_preview(session, training_class, raw_rows, today=local_today(now), choices=_choices(request.form))
    if request.method == "POST" and request.form.get("action") == "confirm" and checked.ok:
        token = upload.token
        try:
            result = importing.import_roster(session, training_class, checked, actor_id=current_user.id,
                                             filename=upload.filename, now=now)
            session.execute(delete(RosterUpload).where(RosterUpload.user_id == current_user.id,
                                                       RosterUpload.class_id == class_id))
            session.commit()
        except DomainError as error:
            session.rollback()
            flash(error.message, "error")
        except IntegrityError:  # a concurrent write took a user name, email or phone between preview and commit
            session.rollback()
            flash(_("Someone else changed these accounts at the same moment: nothing was imported. Check the "
                    "preview again."), "error")
            return redirect(url_for("roster.preview", class_id=class_id, token=token))
        else:
            flash(_("%(enrolled)d trainees enrolled, %(created)d accounts created. Print the login slips for the "
                    "new accounts.", enrolled=result.enrolled, created=len(result.created)), "success")
            return redirect(url_for("classes.show_class", class_id=class_id))
    status = 400 if request.method == "POST" and not checked.ok else 200
    return render_template("roster/preview.html", training_class=training_class, preview=checked, upload=upload,
                           problem_count=len(checked.problem_rows)), status


def _slip_labels(training_class) -> SlipLabels:
    return SlipLabels(title=_("Login details · %(name)s", name=training_class.name), address=_("Address"),
                      username=_("Login name"), password=_("First password"),
                      change_note=_("You will be asked to choose your own password at the first login."))


@bp.route("/classes/<int:class_id>/roster/slips", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def login_slips(class_id: int):
    session = get_session()
    training_class = _managed_class(class_id)
    if request.method == "GET":
        return render_template("roster/slips.html", training_class=training_class,
                               candidates=slips.slip_candidates(session, training_class))
    issued = slips.issue_first_passwords(session, training_class, actor_id=current_user.id, now=utcnow())
    pdf = render_slips(issued, site_url=current_app.config["PUBLIC_BASE_URL"], labels=_slip_labels(training_class))
    session.commit()
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="phieu-dang-nhap-{training_class.code}.pdf"'})
