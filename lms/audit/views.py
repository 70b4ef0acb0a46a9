"""The audit log pages: administrators read every entry, an organiser their body's; search, pages, CSV export."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import current_user

from lms.audit import queries
from lms.audit.forms import AuditSearchForm
from lms.audit.labels import action_label
from lms.auth.models import Role
from lms.db import get_session
from lms.security import roles_required

bp = Blueprint("audit", __name__, template_folder="templates")


def _search_form(session) -> tuple[AuditSearchForm, queries.AuditFilter]:
    form = AuditSearchForm(request.args, meta={"csrf": False})
    form.action.choices = [("", "—")] + [(code, action_label(code))
                                         for code in queries.recorded_actions(session, current_user)]
    if request.args and not form.validate():
        return form, queries.AuditFilter(invalid=True)
    return form, queries.AuditFilter(person=form.person.data or "", action=form.action.data or "",
                                     date_from=form.date_from.data, date_to=form.date_to.data)


@bp.get("/audit")
@roles_required(Role.ADMIN, Role.ORGANISER)
def list_entries():
    session = get_session()
    form, wanted = _search_form(session)
    page = queries.search(session, current_user, wanted, page=request.args.get("page", 1, type=int),
                          tz_name=current_app.config["DISPLAY_TIMEZONE"])
    arguments = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("audit/list.html", form=form, result=page, arguments=arguments,
                           action_label=action_label, values_text=queries.values_text), 400 if form.errors else 200


@bp.get("/audit/export.csv")
@roles_required(Role.ADMIN, Role.ORGANISER)
def export_entries():
    session = get_session()
    _form, wanted = _search_form(session)
    data = queries.export_csv(session, current_user, wanted, tz_name=current_app.config["DISPLAY_TIMEZONE"])
    response = Response(data, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="nhat-ky-thao-tac.csv"'
    return response
