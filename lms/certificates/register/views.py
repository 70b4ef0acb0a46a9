"""Register pages: the searchable list with paging, its Excel export, and a staff page per certificate."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from lms.auth.models import User
from lms.certificates.models import CertificateEvent
from lms.certificates.payload import verify_url
from lms.certificates.register.export import register_workbook
from lms.certificates.register.search import (
    STATUSES,
    RegisterQuery,
    page_of,
    register_body_id,
    register_classes,
    search_register,
)
from lms.certificates.staff import access, labels
from lms.certificates.verification import check_counts, last_checked
from lms.db import get_session, utcnow
from lms.forms import BaseForm
from lms.organisations.forms import VietnameseDateField
from lms.security import roles_required

bp = Blueprint("certificates_register", __name__, template_folder="templates")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RegisterFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET search: nothing is written

    q = StringField(_l("Number or name"), validators=[Optional(), Length(max=120)])
    class_id = SelectField(_l("Class"), coerce=lambda v: int(v) if v not in (None, "", "None") else None,
                           validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    issued_from = VietnameseDateField(_l("Issued from (dd/mm/yyyy)"), validators=[Optional()])
    issued_to = VietnameseDateField(_l("Issued until (dd/mm/yyyy)"), validators=[Optional()])
    page = IntegerField(_l("Page"), default=1, validators=[Optional(), NumberRange(min=1, max=100000)])


def _today():
    return utcnow().astimezone(ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])).date()


def _filter_form(session) -> tuple[RegisterFilterForm, RegisterQuery]:
    form = RegisterFilterForm(request.args)
    form.class_id.choices = [(None, _l("All classes"))] + [
        (c.id, c.name) for c in register_classes(session, register_body_id(current_user))]
    form.status.choices = [("", _l("All statuses"))] + [(s.value, labels.status_label(s)) for s in STATUSES]
    if not form.validate():
        return form, RegisterQuery(class_id=-1)  # an invalid filter shows nothing rather than everything
    return form, RegisterQuery(text=form.q.data or "", class_id=form.class_id.data, status=form.status.data or "",
                               issued_from=form.issued_from.data, issued_to=form.issued_to.data,
                               page=form.page.data or 1)


@bp.get("/certificates/register")
@roles_required(*access.MANAGERS)
def register_page():
    session = get_session()
    form, query = _filter_form(session)
    today = _today()
    found = search_register(session, body_id=register_body_id(current_user), query=query, today=today)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("certificates/register/list.html", form=form, result=page_of(found, query.page),
                           today=today, args=args, status_label=labels.status_label,
                           status_badge=labels.status_badge), 400 if form.errors else 200


@bp.get("/certificates/register.xlsx")
@roles_required(*access.MANAGERS)
def export_register():
    session = get_session()
    _form, query = _filter_form(session)
    today = _today()
    found = search_register(session, body_id=register_body_id(current_user), query=query, today=today)
    body = current_user.organising_body
    title = f"Sổ cấp chứng chỉ – {body.name if body else 'tất cả đơn vị tổ chức'} – {today:%d/%m/%Y}"
    data = register_workbook(found, today=today, title=title)
    filename = f"so-cap-chung-chi-{datetime.now():%Y%m%d}.xlsx"
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/certificates/<int:certificate_id>")
@roles_required(*access.STAFF)
def certificate_page(certificate_id: int):
    session = get_session()
    certificate = access.certificate_for_staff(session, current_user, certificate_id)
    events = session.execute(select(CertificateEvent, User).outerjoin(User, User.id == CertificateEvent.actor_id)
                             .where(CertificateEvent.certificate_id == certificate.id)
                             .order_by(CertificateEvent.at, CertificateEvent.id)).all()
    replaced = session.scalars(select(type(certificate)).where(
        type(certificate).superseded_by_id == certificate.id)).all()
    today = _today()
    return render_template("certificates/register/certificate.html", certificate=certificate, events=events,
                           status=certificate.status_on(today), replaced=replaced, today=today,
                           can_manage=access.may_manage(current_user),
                           verify_url=verify_url(current_app.config["PUBLIC_BASE_URL"], certificate.verification_code),
                           checks=check_counts(session, [certificate.id]).get(certificate.id, 0),
                           last_check=last_checked(session, [certificate.id]).get(certificate.id),
                           status_label=labels.status_label, status_badge=labels.status_badge,
                           event_label=labels.event_label, mode_label=labels.mode_label)
