"""Report pages and downloads: class reports (staff of the class), programme report and test quality (managers)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from lms.auth.models import Role
from lms.classes.services import get_class
from lms.db import get_session, utcnow
from lms.organisations.models import OrganisingBody
from lms.reports import charts, excel, pdf
from lms.reports.choices import report_tests
from lms.reports.classes import class_reports
from lms.reports.dashboard import dashboard as dashboard_data
from lms.reports.forms import ProgrammeForm
from lms.reports.programme import classes_in_range, histogram_labels, programme_report
from lms.reports.quality import quality_report
from lms.security import roles_required

bp = Blueprint("reports", __name__, template_folder="templates")
STAFF = (Role.ADMIN, Role.ORGANISER, Role.TRAINER)
MANAGERS = (Role.ADMIN, Role.ORGANISER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _letterhead(body: OrganisingBody | None) -> pdf.Letterhead:
    today = utcnow().astimezone(ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])).date()
    if body is None:
        return pdf.Letterhead(_("ISO Training"), "", today)
    return pdf.Letterhead(body.name, body.address, today)


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _class_report(class_id: int):
    session = get_session()
    return class_reports(session, [get_class(session, current_user, class_id)], now=utcnow())[0]


@bp.get("/classes/<int:class_id>/report")
@roles_required(*STAFF)
def class_report(class_id: int):
    return render_template("reports/class.html", report=_class_report(class_id))


@bp.get("/classes/<int:class_id>/report.xlsx")
@roles_required(*STAFF)
def class_report_xlsx(class_id: int):
    report = _class_report(class_id)
    return _download(excel.class_report_xlsx(report), f"bao-cao-lop-{report.training_class.code.lower()}.xlsx", XLSX)


@bp.get("/classes/<int:class_id>/report.pdf")
@roles_required(*STAFF)
def class_report_pdf(class_id: int):
    report = _class_report(class_id)
    data = pdf.class_report_pdf(report, _letterhead(report.training_class.organising_body),
                                font_dir=current_app.config["REPORT_FONT_DIR"])
    return _download(data, f"bao-cao-lop-{report.training_class.code.lower()}.pdf", "application/pdf")


def _programme():
    """The form (dates and chosen classes, all of the range when none is ticked) and the report over them."""
    session = get_session()
    form = ProgrammeForm(request.args, meta={"csrf": False})
    date_from, date_to = form.date_from.data, form.date_to.data  # None when not given or not a date
    in_range = classes_in_range(session, current_user, date_from=date_from, date_to=date_to)
    form.class_ids.choices = [(c.id, c.name) for c in in_range]
    valid = form.validate() if request.args else True
    chosen = set(form.class_ids.data or []) if valid else set()
    classes = [c for c in in_range if c.id in chosen] or in_range
    report = programme_report(session, classes, date_from=date_from, date_to=date_to,
                              commune_label=_("(no commune or ward)"), district_label=_("(no district)"),
                              now=utcnow())
    return form, valid, report


@bp.get("/reports/programme")
@roles_required(*MANAGERS)
def programme():
    form, valid, report = _programme()
    histogram = charts.column_chart_svg(
        [charts.Bar(label, count, str(count)) for label, count in zip(histogram_labels(), report.histogram,
                                                                       strict=True)],
        scale_max=max(report.histogram) or 1, title=_("Scores as a share of the maximum: trainees per band"))
    rates = charts.row_chart_svg(pdf.pass_rate_bars(report.by_class), scale_max=100, title=_("Pass rate by class"))
    return render_template("reports/programme.html", form=form, report=report, histogram_svg=Markup(histogram),
                           rates_svg=Markup(rates), args=request.args.to_dict(flat=False)), 200 if valid else 400


@bp.get("/reports/programme.pdf")
@roles_required(*MANAGERS)
def programme_pdf():
    _form, _valid, report = _programme()
    bodies = {c.training_class.organising_body for c in report.classes}
    body = current_user.organising_body or (bodies.pop() if len(bodies) == 1 else None)
    data = pdf.programme_report_pdf(report, _letterhead(body), font_dir=current_app.config["REPORT_FONT_DIR"])
    return _download(data, "bao-cao-chuong-trinh.pdf", "application/pdf")


@bp.get("/reports/programme.xlsx")
@roles_required(*MANAGERS)
def programme_xlsx():
    _form, _valid, report = _programme()
    return _download(excel.programme_report_xlsx(report), "bao-cao-chuong-trinh.xlsx", XLSX)


@bp.get("/reports/quality")
@roles_required(*MANAGERS)
def quality():
    session = get_session()
    tests = report_tests(session, current_user)
    chosen = next((t for t in tests if t.quiz.id == request.args.get("quiz_id", type=int)), None)
    report = quality_report(session, current_user, chosen.quiz, chosen.classes) if chosen else None
    return render_template("reports/quality.html", tests=tests, chosen=chosen, report=report)


@bp.get("/dashboard")
@roles_required(*MANAGERS)
def dashboard():
    """Where organisers land after logging in."""
    data = dashboard_data(get_session(), current_user, now=utcnow(), tz_name=current_app.config["DISPLAY_TIMEZONE"])
    return render_template("reports/dashboard.html", data=data)
