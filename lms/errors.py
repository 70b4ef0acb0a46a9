"""Domain exceptions raised by services, and the HTTP error handlers that map them to pages or JSON."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """Base of the errors a service raises; the message is already translated for the user."""

    status = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class RuleViolation(DomainError):
    status = 422


class TooManyRequests(DomainError):
    """A 429 with Retry-After: the client may try again in `retry_after` seconds."""

    status = 429

    def __init__(self, message: str = "", *, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.is_json


def _error_titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood"),
        401: _("Please log in first"),
        403: _("You do not have permission to see this page"),
        404: _("Page not found"),
        405: _("This action is not allowed here"),
        409: _("The request conflicts with the current state"),
        413: _("The file or data sent is too large"),
        422: _("The request breaks a rule"),
        429: _("Too many requests"),
        500: _("Something went wrong on our side"),
    }


def render_error(status: int, message: str = ""):
    title = _error_titles().get(status, _error_titles()[500])
    if wants_json():
        return jsonify({"error": {"status": status, "title": title, "message": message or title}}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        body, status = render_error(error.status, error.message)
        headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyRequests) else {}
        return body, status, headers

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        message = error.description if status in (400, 422) and getattr(error, "lms_message", False) else ""
        return render_error(status, message)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        app.logger.exception("unhandled error")
        return render_error(500)
