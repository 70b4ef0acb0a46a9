"""Trainer and organiser pages of tests: opening a test for a class, results, attempts, regrade, statistics."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import OperationalError
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from lms.audit.services import record
from lms.auth.models import Role
from lms.classes.services import get_class
from lms.db import get_session, utcnow
from lms.errors import DomainError
from lms.forms import BaseForm
from lms.hooks import fire
from lms.organisations.forms import VietnameseDateField
from lms.quizzes.results import access, exports, reports, summary
from lms.quizzes.results.overrides import set_override
from lms.quizzes.results.regrade import regrade_quiz
from lms.quizzes.taking.keys import quiz_key_status, release_keys
from lms.quizzes.taking.openings import close_opening as close_opening_service
from lms.quizzes.taking.openings import quizzes_for_class
from lms.security import roles_required

bp = Blueprint("quizzes_staff", __name__, template_folder="../templates")
STAFF = (Role.ADMIN, Role.ORGANISER, Role.TRAINER)
MANAGERS = (Role.ADMIN, Role.ORGANISER)


class ClockField(StringField):
    """A wall-clock time typed as HH:MM (24 hours), in Vietnam time."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip()
        if raw:
            try:
                self.data = datetime.strptime(raw, "%H:%M").time()
            except ValueError as error:
                raise ValueError(str(_l("Write the time as HH:MM, for example 08:30."))) from error

    def _value(self):
        return self.raw_data[0] if self.raw_data else (self.data.strftime("%H:%M") if self.data else "")


class OpenNowForm(BaseForm):
    minutes = IntegerField(_l("Open now for (minutes)"), validators=[InputRequired(), NumberRange(min=1, max=600)])


class WindowForm(BaseForm):
    day = VietnameseDateField(_l("Date (dd/mm/yyyy)"), validators=[InputRequired()])
    starts = ClockField(_l("From (HH:MM)"), validators=[InputRequired()])
    ends = ClockField(_l("Until (HH:MM)"), validators=[InputRequired()])


class OverrideForm(BaseForm):
    user_id = SelectField(_l("Trainee"), coerce=int, validators=[InputRequired()])
    extra_minutes = IntegerField(_l("Extra minutes"), default=0, validators=[InputRequired(), NumberRange(0, 600)])
    extra_attempts = IntegerField(_l("Extra attempts"), default=0, validators=[InputRequired(), NumberRange(0, 20)])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=255)])


def _tz() -> str:
    return current_app.config["DISPLAY_TIMEZONE"]


def _swept(quiz_id: int) -> None:
    """Close overdue attempts of the test before showing it, so no list shows an attempt still open."""
    session = get_session()
    try:
        if reports.sweep_quiz(session, quiz_id, now=utcnow(),
                              grace_seconds=current_app.config["QUIZ_SAVE_GRACE_SECONDS"]):
            session.commit()
    except OperationalError:
        # A GET starts a read transaction; under a burst of saves SQLite may refuse the upgrade to a write.
        # The page still shows, and the next load or the periodic sweep closes the attempts.
        session.rollback()
        current_app.logger.warning("sweep on read skipped: database busy")


def _class_filter(classes):
    return access.chosen_class(classes, request.args.get("class_id", type=int))


@bp.context_processor
def _helpers():
    return {"state_label": reports.state_label, "event_label": reports.event_label,
            "time_vn": lambda value: reports.vietnam_time(value, _tz(), "%d/%m/%Y %H:%M"),
            "time_vn_seconds": lambda value: reports.vietnam_time(_as_time(value), _tz())}


def _as_time(value):
    """A datetime, or one kept as ISO text in a JSON detail of the attempt log."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


# --------------------------------------------------------------------------- opening a test for a class


@bp.get("/classes/<int:class_id>/tests")
@roles_required(*STAFF)
def class_tests(class_id: int):
    training_class = get_class(get_session(), current_user, class_id)
    return _class_tests_page(training_class)


def _class_tests_page(training_class, failed: dict | None = None, status: int = 200):
    session, now = get_session(), utcnow()
    for quiz in quizzes_for_class(session, current_user, training_class):
        _swept(quiz.id)
    tests = reports.class_tests(session, current_user, training_class, now=now)
    today = now.astimezone(ZoneInfo(_tz())).date()
    forms = {t.quiz.id: {"now": OpenNowForm(data={"minutes": t.quiz.time_limit_minutes + 5}),
                         "window": WindowForm(data={"day": today})} for t in tests}
    for quiz_id, form in (failed or {}).items():
        forms[quiz_id]["window" if isinstance(form, WindowForm) else "now"] = form
    return render_template("quizzes/staff_class_tests.html", training_class=training_class, tests=tests,
                           forms=forms), status


@bp.post("/classes/<int:class_id>/tests/<int:quiz_id>/open")
@roles_required(*STAFF)
def open_test(class_id: int, quiz_id: int):
    session, now = get_session(), utcnow()
    training_class = get_class(session, current_user, class_id)
    quiz = access.quiz_of_class(session, current_user, training_class, quiz_id)
    form = WindowForm(request.form) if request.form.get("mode") == "window" else OpenNowForm(request.form)
    if form.validate():
        opens_at, closes_at = _window(form, now)
        try:
            opening = reports.open_window(session, current_user, quiz, training_class, opens_at=opens_at,
                                          closes_at=closes_at, now=now)
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            record(session, "quiz.window_open", actor_id=current_user.id, body_id=training_class.organising_body_id,
                   target_type="quiz", target_id=quiz.id, target_label=f"{quiz.title} · {training_class.name}",
                   after={"opening_id": opening.id, "class_id": training_class.id,
                          "opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()}, now=now)
            opening_id = opening.id
            session.commit()
            fire("quiz_opened", opening_id=opening_id)  # the class's live room moves its trainees, after the commit
            flash(_("The test is open for this class from %(start)s until %(end)s.",
                    start=reports.vietnam_time(opens_at, _tz(), "%H:%M %d/%m/%Y"),
                    end=reports.vietnam_time(closes_at, _tz(), "%H:%M %d/%m/%Y")), "success")
            return redirect(url_for("quizzes_staff.class_tests", class_id=class_id))
    return _class_tests_page(training_class, failed={quiz.id: form}, status=400)


def _window(form, now: datetime) -> tuple[datetime, datetime]:
    if isinstance(form, OpenNowForm):
        return now, now + timedelta(minutes=form.minutes.data)
    return (reports.vietnam_moment(form.day.data, form.starts.data, _tz()),
            reports.vietnam_moment(form.day.data, form.ends.data, _tz()))


@bp.post("/openings/<int:opening_id>/close")
@roles_required(*STAFF)
def close_opening(opening_id: int):
    session = get_session()
    opening, now = reports.get_opening(session, opening_id), utcnow()
    before = {"closes_at": opening.closes_at.isoformat()}
    close_opening_service(session, current_user, opening, now=now)
    record(session, "quiz.window_close", actor_id=current_user.id, body_id=opening.training_class.organising_body_id,
           target_type="quiz", target_id=opening.quiz_id,
           target_label=f"{opening.quiz.title} · {opening.training_class.name}", before=before,
           after={"closes_at": opening.closes_at.isoformat()}, now=now)
    session.commit()
    fire("quiz_closed", opening_id=opening.id)
    flash(_("The test window is closed; attempts in progress are being closed and graded."), "success")
    return redirect(url_for("quizzes_staff.class_tests", class_id=opening.class_id))


# --------------------------------------------------------------------------- results and one attempt


@bp.get("/quizzes/<int:quiz_id>/attempts")
@roles_required(*STAFF)
def list_attempts(quiz_id: int):
    return _attempts_page(quiz_id, OverrideForm())


def _attempts_page(quiz_id: int, form: OverrideForm, status: int = 200):
    session = get_session()
    quiz, classes = access.quiz_for_staff(session, current_user, quiz_id)
    selected = _class_filter(classes)
    _swept(quiz.id)
    trainees = reports.enrolled_trainees(session, [selected] if selected else classes)
    form.user_id.choices = [(u.id, u.full_name) for u in trainees]
    keys = quiz_key_status(session, quiz, body_id=current_user.organising_body_id, now=utcnow(),
                           grace_seconds=current_app.config["QUIZ_SAVE_GRACE_SECONDS"])
    rows = reports.result_rows(session, current_user, quiz, selected)
    return render_template("quizzes/staff_attempts.html", quiz=quiz, classes=classes, selected=selected,
                           rows=rows, form=form, overrides=reports.overrides_for(session, quiz, trainees), keys=keys,
                           totals=summary.summarise(session, [selected] if selected else classes, rows),
                           can_release=current_user.role in MANAGERS), status


@bp.post("/quizzes/<int:quiz_id>/release-keys")
@roles_required(*MANAGERS)
def release_test_keys(quiz_id: int):
    """The organiser releases the keys now, having seen which windows still hold them."""
    session = get_session()
    quiz, _classes = access.quiz_for_staff(session, current_user, quiz_id)
    if request.form.get("understood") != "yes":
        flash(_("Tick the box to confirm that you know which windows are still open."), "error")
        return redirect(url_for("quizzes_staff.list_attempts", quiz_id=quiz.id) + "#keys")
    release = release_keys(session, current_user, quiz, now=utcnow())
    record(session, "quiz.keys_release", actor_id=current_user.id, body_id=release.organising_body_id,
           target_type="quiz", target_id=quiz.id, target_label=quiz.title,
           after={"released_at": release.released_at.isoformat()})
    session.commit()
    flash(_("Correct answers and explanations are now shown to your trainees who finished this test."), "success")
    return redirect(url_for("quizzes_staff.list_attempts", quiz_id=quiz.id) + "#keys")


@bp.post("/quizzes/<int:quiz_id>/overrides")
@roles_required(*STAFF)
def give_override(quiz_id: int):
    session = get_session()
    quiz, classes = access.quiz_for_staff(session, current_user, quiz_id)
    form = OverrideForm(request.form)
    form.user_id.choices = [(u.id, u.full_name) for u in reports.enrolled_trainees(session, classes)]
    if form.validate():
        trainee = reports.override_trainee(session, classes, form.user_id.data)
        before = reports.override_values(session, quiz, trainee)
        now = utcnow()
        capped = summary.capped_extra(session, quiz, trainee, extra_minutes=form.extra_minutes.data, now=now)
        try:
            override = set_override(session, quiz, trainee, extra_minutes=form.extra_minutes.data,
                                    extra_attempts=form.extra_attempts.data, reason=form.reason.data or "", now=now)
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            record(session, "quiz.override", actor_id=current_user.id, body_id=trainee.organising_body_id,
                   target_type="user", target_id=trainee.id, target_label=f"{trainee.full_name} · {quiz.title}",
                   before=before, after=reports.override_values(session, quiz, trainee, override))
            session.commit()
            flash(_("Extra time or attempts saved for %(name)s.", name=trainee.full_name), "success")
            if capped is not None:
                flash(_("Extra %(asked)d minutes asked, %(given)d given: the window closes at %(time)s.",
                        asked=capped.asked, given=capped.given,
                        time=reports.vietnam_time(capped.closes_at, _tz(), "%H:%M")), "warning")
            return redirect(url_for("quizzes_staff.list_attempts", quiz_id=quiz.id))
    return _attempts_page(quiz_id, form, status=400)


@bp.get("/attempts/<int:attempt_id>/review")
@roles_required(*STAFF)
def review_attempt(attempt_id: int):
    session = get_session()
    attempt = access.attempt_for_staff(session, current_user, attempt_id)
    _swept(attempt.quiz_id)
    return render_template("quizzes/staff_review.html", attempt=attempt, items=reports.review_items(attempt),
                           events=reports.attempt_events(session, attempt))


# --------------------------------------------------------------------------- regrade, statistics, exports


@bp.get("/quizzes/<int:quiz_id>/regrade")
@roles_required(*STAFF)
def regrade_preview(quiz_id: int):
    session = get_session()
    quiz, _classes = access.quiz_for_staff(session, current_user, quiz_id)
    _swept(quiz.id)
    changes = reports.by_trainee_name(regrade_quiz(session, quiz, dry_run=True, actor=current_user))
    return render_template("quizzes/staff_regrade.html", quiz=quiz, changes=changes,
                           can_apply=current_user.role in MANAGERS)


@bp.post("/quizzes/<int:quiz_id>/regrade")
@roles_required(*MANAGERS)
def apply_regrade(quiz_id: int):
    session = get_session()
    quiz, _classes = access.quiz_for_staff(session, current_user, quiz_id)
    changes = regrade_quiz(session, quiz, dry_run=False, actor=current_user, now=utcnow())
    record(session, "quiz.regrade", actor_id=current_user.id, body_id=current_user.organising_body_id,
           target_type="quiz", target_id=quiz.id, target_label=quiz.title,
           before={str(c.attempt.id): c.old_score for c in changes[:500]},
           after={str(c.attempt.id): c.new_score for c in changes[:500]})
    session.commit()
    flash(_("Regrade done: %(count)d attempts changed or kept questions that could not be regraded.",
            count=len(changes)), "success")
    return redirect(url_for("quizzes_staff.list_attempts", quiz_id=quiz.id))


@bp.get("/quizzes/<int:quiz_id>/statistics")
@roles_required(*STAFF)
def statistics(quiz_id: int):
    session = get_session()
    quiz, classes = access.quiz_for_staff(session, current_user, quiz_id)
    selected = _class_filter(classes)
    _swept(quiz.id)
    count, rows = reports.question_statistics(session, current_user, quiz, selected)
    return render_template("quizzes/staff_statistics.html", quiz=quiz, classes=classes, selected=selected,
                           count=count, rows=rows, minimum=reports.itemstats.MIN_RELIABLE_ATTEMPTS)


@bp.get("/quizzes/<int:quiz_id>/export.csv")
@roles_required(*STAFF)
def export_csv(quiz_id: int):
    rows, options, name = _export_rows(quiz_id)
    return _download(exports.results_csv(rows, _tz(), **options), f"{name}.csv", "text/csv; charset=utf-8")


@bp.get("/quizzes/<int:quiz_id>/export.xlsx")
@roles_required(*STAFF)
def export_xlsx(quiz_id: int):
    rows, options, name = _export_rows(quiz_id)
    return _download(exports.results_xlsx(rows, _tz(), **options), f"{name}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _export_rows(quiz_id: int):
    """The rows of the actor's classes (a trainer: the classes they teach), those who never sat, and whether dates
    of birth may be shown (organisers and administrators only)."""
    session = get_session()
    quiz, classes = access.quiz_for_staff(session, current_user, quiz_id)
    selected = _class_filter(classes)
    _swept(quiz.id)
    name = f"ket-qua-{quiz.slug}" + (f"-lop-{selected.code.lower()}" if selected else "")
    rows = reports.result_rows(session, current_user, quiz, selected)
    totals = summary.summarise(session, [selected] if selected else classes, rows)
    return rows, {"not_sat": totals.not_sat, "with_birth_dates": current_user.role in MANAGERS}, name


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
