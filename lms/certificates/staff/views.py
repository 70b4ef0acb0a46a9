"""Staff pages of a class's certificates: eligibility, settings, bulk issue, single issue, revoke, re-issue."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.certificates.models import CertificateJob, IssueMode
from lms.certificates.records import issue_certificate, reissue_certificate, revoke_certificate
from lms.certificates.staff import access, jobs, labels
from lms.certificates.staff.forms import ClassSettingsForm, IssueOneForm, ReissueForm, RevokeForm
from lms.certificates.staff.overview import class_overview
from lms.certificates.staff.settings import ClassSettingsInput, class_settings, save_class_settings
from lms.classes.models import Enrolment, TrainingClass
from lms.db import get_session, utcnow
from lms.errors import DomainError, NotFound
from lms.security import roles_required

bp = Blueprint("certificates_staff", __name__, template_folder="templates")


@bp.context_processor
def _helpers():
    return {"status_label": labels.status_label, "status_badge": labels.status_badge,
            "mode_label": labels.mode_label, "job_state_label": labels.job_state_label,
            "today": utcnow().date()}


def _stale_seconds() -> float:
    return float(current_app.config["CERTIFICATE_JOB_STALE_SECONDS"])


def _runs_inline(session, class_id: int) -> bool:
    """Small classes are issued within the request (the same code path as the background worker)."""
    limit = current_app.config["CERTIFICATE_JOB_INLINE_MAX"]
    return jobs.enrolled_count(session, class_id) <= limit


@bp.get("/classes/<int:class_id>/certificates")
@roles_required(*access.STAFF)
def class_page(class_id: int):
    session = get_session()
    training_class = access.class_for_staff(session, current_user, class_id)
    return _class_page(training_class)


def _class_page(training_class, settings_form: ClassSettingsForm | None = None, status: int = 200):
    session = get_session()
    settings = class_settings(session, training_class.id)
    form = settings_form or ClassSettingsForm(obj=settings)
    return render_template("certificates/staff/class.html", training_class=training_class,
                           overview=class_overview(session, training_class, now=utcnow()), settings=settings,
                           settings_form=form, can_manage=access.may_manage(current_user),
                           job=jobs.latest_job(session, training_class.id)), status


@bp.post("/classes/<int:class_id>/certificates/settings")
@roles_required(*access.MANAGERS)
def save_settings(class_id: int):
    session = get_session()
    training_class = access.class_for_staff(session, current_user, class_id)
    form = ClassSettingsForm(request.form)
    if not form.validate():
        return _class_page(training_class, form, 400)
    try:
        save_class_settings(session, training_class, ClassSettingsInput(
            auto_issue=form.auto_issue.data, print_result=form.print_result.data, hours=form.hours.data,
            valid_months=form.valid_months.data), actor_id=current_user.id, now=utcnow())
    except DomainError as error:
        form.hours.errors = [*form.hours.errors, error.message]
        return _class_page(training_class, form, 400)
    session.commit()
    flash(_("The certificate settings of the class have been saved."), "success")
    return redirect(url_for("certificates_staff.class_page", class_id=class_id))


@bp.post("/classes/<int:class_id>/certificates/issue-all")
@roles_required(*access.MANAGERS)
def issue_all(class_id: int):
    session = get_session()
    training_class = access.class_for_staff(session, current_user, class_id)
    job, lease = jobs.request_bulk_job(session, training_class, actor_id=current_user.id, now=utcnow(),
                                       stale_seconds=_stale_seconds())
    inline = _runs_inline(session, class_id)
    session.commit()
    if lease is None:
        flash(_("Certificates of this class are already being issued: here is the progress."), "info")
    else:
        jobs.start_job(current_app._get_current_object(), session, lease, inline=inline)
    return redirect(url_for("certificates_staff.job_page", class_id=class_id, job_id=job.id))


def _job(session, class_id: int, job_id: int) -> CertificateJob:
    """The class's job; a dead worker's job is taken over when its page (or its progress) is read."""
    training_class = access.class_for_staff(session, current_user, class_id)
    job = session.get(CertificateJob, job_id)
    if job is None or job.class_id != training_class.id:
        raise NotFound()
    if access.may_manage(current_user):
        lease = jobs.take_over_if_stale(session, job, now=utcnow(), stale_seconds=_stale_seconds())
        session.commit()
        if lease is not None:
            jobs.start_job(current_app._get_current_object(), session, lease, inline=_runs_inline(session, class_id))
    return job


@bp.get("/classes/<int:class_id>/certificates/jobs/<int:job_id>")
@roles_required(*access.STAFF)
def job_page(class_id: int, job_id: int):
    session = get_session()
    job = _job(session, class_id, job_id)
    return render_template("certificates/staff/job.html", job=job, training_class=job_class(session, job),
                           percent=jobs.job_percent(job), failures=[f for f in job.message.split("\n") if f])


def job_class(session, job: CertificateJob) -> TrainingClass:
    return session.get(TrainingClass, job.class_id)


@bp.get("/classes/<int:class_id>/certificates/jobs/<int:job_id>/progress")
@roles_required(*access.STAFF)
def job_progress(class_id: int, job_id: int):
    job = _job(get_session(), class_id, job_id)
    return jsonify({"state": job.state, "state_label": labels.job_state_label(job.state), "total": job.total,
                    "done": job.done, "issued": job.issued, "percent": jobs.job_percent(job),
                    "finished": job.active_key is None})


@bp.route("/classes/<int:class_id>/certificates/issue/<int:user_id>", methods=["GET", "POST"])
@roles_required(*access.MANAGERS)
def issue_one(class_id: int, user_id: int):
    session = get_session()
    training_class = access.class_for_staff(session, current_user, class_id)
    enrolment = session.query(Enrolment).filter_by(class_id=class_id, user_id=user_id).one_or_none()
    if enrolment is None:
        raise NotFound()
    row = next(r for r in class_overview(session, training_class, now=utcnow()).rows if r.user.id == user_id)
    form = IssueOneForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            certificate = issue_certificate(
                session, training_class=training_class, trainee=enrolment.user, actor_id=current_user.id,
                mode=IssueMode.SINGLE, reason=form.reason.data.strip(), now=utcnow(),
                secret=current_app.config["SECRET_KEY"], base_url=current_app.config["PUBLIC_BASE_URL"])
        except DomainError as error:
            session.rollback()
            form.reason.errors = [*form.reason.errors, error.message]
        else:
            session.commit()
            flash(_("Certificate %(number)s issued.", number=certificate.number), "success")
            return redirect(url_for("certificates_staff.class_page", class_id=class_id))
    status = 400 if form.errors else 200
    return render_template("certificates/staff/issue_one.html", training_class=training_class, row=row,
                           form=form), status


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["GET", "POST"])
@roles_required(*access.MANAGERS)
def revoke(certificate_id: int):
    session = get_session()
    certificate = access.certificate_for_staff(session, current_user, certificate_id)
    form = RevokeForm(request.form if request.method == "POST" else None, data={"revoked_on": utcnow().date()})
    if request.method == "POST" and form.validate():
        try:
            revoke_certificate(session, certificate, actor_id=current_user.id,
                               reason=form.reason.data.strip(), revoked_on=form.revoked_on.data, now=utcnow())
        except DomainError as error:
            session.rollback()
            form.reason.errors = [*form.reason.errors, error.message]
        else:
            session.commit()
            flash(_("Certificate %(number)s revoked.", number=certificate.number), "success")
            return redirect(url_for("certificates_register.certificate_page", certificate_id=certificate.id))
    return render_template("certificates/staff/revoke.html", certificate=certificate, form=form), \
        400 if form.errors else 200


@bp.route("/certificates/<int:certificate_id>/reissue", methods=["GET", "POST"])
@roles_required(*access.MANAGERS)
def reissue(certificate_id: int):
    session = get_session()
    certificate = access.certificate_for_staff(session, current_user, certificate_id)
    defaults = {"holder_name": certificate.holder_name, "holder_birth_date": certificate.holder_birth_date,
                "holder_unit": certificate.holder_unit}
    form = ReissueForm(request.form if request.method == "POST" else None, data=defaults)
    if request.method == "POST" and form.validate():
        try:
            new = reissue_certificate(
                session, certificate, actor_id=current_user.id, reason=form.reason.data.strip(),
                corrections={"holder_name": form.holder_name.data, "holder_birth_date": form.holder_birth_date.data,
                             "holder_unit": form.holder_unit.data or ""},
                now=utcnow(), secret=current_app.config["SECRET_KEY"], base_url=current_app.config["PUBLIC_BASE_URL"])
        except DomainError as error:
            session.rollback()
            form.reason.errors = [*form.reason.errors, error.message]
        else:
            session.commit()
            flash(_("Certificate %(old)s re-issued as %(new)s.", old=certificate.number, new=new.number), "success")
            return redirect(url_for("certificates_register.certificate_page", certificate_id=new.id))
    return render_template("certificates/staff/reissue.html", certificate=certificate, form=form), \
        400 if form.errors else 200
