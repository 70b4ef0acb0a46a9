"""Login, logout and password pages."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from lms.auth import services
from lms.auth.forms import ChangePasswordForm, LoginForm
from lms.auth.throttle import login_throttle
from lms.db import get_session, utcnow
from lms.errors import DomainError
from lms.extensions import login_manager
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


def _safe_next(target: str | None) -> str:
    return safe_local_path(target, url_for("courses.catalogue"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("courses.catalogue"))
    form = LoginForm(request.form)
    error, status = None, 200
    if request.method == "POST" and form.validate():
        session = get_session()
        try:
            user = services.authenticate(
                session, form.identifier.data, form.password.data,
                address=request.remote_addr or "-", throttle=login_throttle(), now=utcnow(),
            )
        except services.LoginFailed as failure:
            error, status = failure.message, 429 if failure.retry_after else 401
        else:
            session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
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
            login_user(current_user._get_current_object())  # the session token changed; keep this browser logged in
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form), 400 if form.errors else 200


@bp.get("/account")
@login_required
def account():
    return render_template("auth/account.html", user=current_user)
