"""Login, logout and password pages."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from lms.auth import services
from lms.auth.forms import ChangePasswordForm, LoginForm
from lms.auth.throttle import login_throttle
from lms.db import get_session, utcnow
from lms.errors import DomainError
from lms.extensions import login_manager
from lms.i18n import format_datetime
from lms.security import login_required, safe_local_path

bp = Blueprint("auth", __name__, template_folder="templates")
ALWAYS_ALLOWED = {"auth.change_password", "auth.logout", "static", "i18n.switch_language", "health.healthz"}


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    app.jinja_env.globals["role_label"] = role_label

    @login_manager.user_loader
    def load_user(session_id: str):
        return services.load_user_from_session_id(get_session(), session_id)

    @app.before_request
    def force_password_change():
        needs_change = current_user.is_authenticated and current_user.must_change_password
        if needs_change and request.endpoint not in ALWAYS_ALLOWED:
            flash(_("Please choose a new password before you go on."), "warning")
            return redirect(url_for("auth.change_password"))
        return None


def role_label(role: str) -> str:
    labels = {
        "admin": _("Administrator"),
        "organiser": _("Organiser"),
        "trainer": _("Trainer"),
        "trainee": _("Trainee"),
    }
    return labels.get(role, role)


def _safe_next(target: str | None, user=None) -> str:
    """The `next=` page if it is on this site, else the dashboard for organisers and administrators, else courses."""
    manager = user is not None and user.role in ("admin", "organiser")
    return safe_local_path(target, url_for("reports.dashboard" if manager else "courses.catalogue"))


def _log_in(user, remember: bool) -> None:
    """Start this browser's session; remember-me only for trainees unless REMEMBER_STAFF allows staff."""
    config = current_app.config
    user.remembered = bool(remember) and (not user.is_staff or config["REMEMBER_STAFF"])
    login_user(user, remember=user.remembered, duration=services.remember_duration(config))


def _tell_of_failures(notice: services.FailureNotice | None) -> None:
    if notice is None:
        return
    when = format_datetime(notice.at) if notice.at else "-"
    flash(_("Failed log-in attempts on your account since your last log-in: %(count)d. The last one came from "
            "address %(address)s at %(time)s. If it was not you, change your password or tell your organiser.",
            count=notice.count, address=notice.address, time=when), "warning")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("courses.catalogue"))
    form = LoginForm(request.form)
    error, status, retry_after = None, 200, 0
    if request.method == "POST" and form.validate():
        session = get_session()
        try:
            user = services.authenticate(
                session, form.identifier.data, form.password.data,
                address=request.remote_addr or "-", throttle=login_throttle(), now=utcnow(),
            )
        except services.LoginFailed as failure:
            session.commit()  # the failure is counted whatever the answer
            error, retry_after = failure.message, failure.retry_after
            status = 429 if retry_after else 401
        else:
            notice = services.take_failure_notice(user)
            session.commit()
            _log_in(user, form.remember.data)
            _tell_of_failures(notice)
            return redirect(_safe_next(request.args.get("next"), user))
    elif request.method == "POST":
        status = 400
    days = services.remember_duration(current_app.config).days
    response = make_response(render_template("auth/login.html", form=form, error=error, remember_days=days), status)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


@bp.post("/logout")
def logout():
    """End every session of the account, on every device, then this one."""
    if current_user.is_authenticated:
        session = get_session()
        services.end_sessions(session, current_user._get_current_object())
        session.commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm(request.form)
    if request.method == "POST" and form.validate():
        session = get_session()
        try:
            services.change_password(session, current_user, current=form.current.data, new=form.new.data)
        except DomainError as error:
            form.new.errors.append(error.message)
        else:
            session.commit()
            _log_in(current_user._get_current_object(), False)  # every other session has ended; keep this one
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form), 400 if form.errors else 200


@bp.get("/account")
@login_required
def account():
    return render_template("auth/account.html", user=current_user)
