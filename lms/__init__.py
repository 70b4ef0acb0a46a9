"""The LMS application factory."""

from __future__ import annotations

from flask import Flask


def create_app(config: object | dict | None = None) -> Flask:
    """Build the app from lms.config.Config, overridden by `config` (a class or a mapping)."""
    from lms.config import Config, check_production_settings
    from lms.converters import register_converters

    app = Flask(__name__, instance_relative_config=True)
    register_converters(app)  # before any route is added, so every blueprint gets bounded ids
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    check_production_settings(app.config)
    _trust_proxies(app)
    _register_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Read the client's address and scheme from X-Forwarded-For/-Proto set by TRUSTED_PROXIES proxies (0: never)."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _register_extensions(app: Flask) -> None:
    from lms.api import init_api
    from lms.assets import init_assets
    from lms.auth.throttle import init_throttle
    from lms.auth.views import init_login
    from lms.certificates.staff.automatic import init_automatic_issue
    from lms.certificates.verify_views import init_verify
    from lms.classes.room import init_room
    from lms.db import db
    from lms.errors import register_error_handlers
    from lms.i18n import init_i18n
    from lms.logging import init_logging
    from lms.numbers import init_numbers
    from lms.security import init_security
    from lms.sweeper.worker import init_sweeper

    init_logging(app)
    db.init_app(app)
    init_security(app)
    init_i18n(app)
    init_login(app)
    init_throttle(app)
    register_error_handlers(app)
    init_api(app)
    init_numbers(app)
    init_automatic_issue(app)
    init_verify(app)
    init_assets(app)
    init_sweeper(app)
    init_room(app)


def _register_blueprints(app: Flask) -> None:
    from lms.audit.views import bp as audit_bp
    from lms.auth.views import bp as auth_bp
    from lms.certificates.downloads.views import bp as certificate_downloads_bp
    from lms.certificates.register.views import bp as certificates_register_bp
    from lms.certificates.settings.views import bp as certificate_settings_bp
    from lms.certificates.staff.views import bp as certificates_staff_bp
    from lms.certificates.verify_views import bp as certificates_verify_bp
    from lms.classes.attendance.views import bp as attendance_bp
    from lms.classes.management.views import bp as class_management_bp
    from lms.classes.roster.enrolment_pages import bp as enrolment_bp
    from lms.classes.roster.join_pages import bp as joining_bp
    from lms.classes.roster.views import bp as roster_bp
    from lms.classes.sessions.views import bp as class_sessions_bp
    from lms.classes.views import bp as classes_bp
    from lms.courses.views import bp as courses_bp
    from lms.health import bp as health_bp
    from lms.organisations.views import bp as organisations_bp
    from lms.quizzes.authoring.views import bp as quizzes_banks_bp
    from lms.quizzes.results.views import bp as quizzes_staff_bp
    from lms.quizzes.taking.api import bp as quizzes_api_bp
    from lms.quizzes.taking.views import bp as quizzes_bp
    from lms.reports.views import bp as reports_bp
    from lms.zoom.views import bp as zoom_bp
    from lms.zoom.views import init_zoom

    for blueprint in (auth_bp, classes_bp, courses_bp, health_bp, organisations_bp, quizzes_api_bp, quizzes_bp,
                      quizzes_staff_bp, quizzes_banks_bp, audit_bp, class_management_bp, reports_bp,
                      certificates_staff_bp, certificates_register_bp, certificates_verify_bp,
                      certificate_downloads_bp, certificate_settings_bp, class_sessions_bp, attendance_bp, zoom_bp,
                      roster_bp, joining_bp, enrolment_bp):
        app.register_blueprint(blueprint)
    init_zoom(app)  # the Zoom webhook is signed by Zoom, not by a CSRF token


def _register_cli(app: Flask) -> None:
    from lms.cli import lms_cli

    app.cli.add_command(lms_cli)
