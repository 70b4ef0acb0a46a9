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


def drain_request_body(limit: int) -> int:
    """Read and drop what is left of a refused request's body, at most ``limit`` bytes; returns the bytes read.

    A WSGI server keeping the connection alive (gunicorn's gthread worker does) would otherwise read the
    unread body as the next request and drop the connection, and a client still sending would see a reset
    instead of the 413 page. Bodies announced larger than the limit are not read: nginx's
    client_max_body_size answers those first (docs/security.md, "Input limits").
    """
    stream = request.environ.get("wsgi.input")
    length = request.content_length
    if stream is None or (length is not None and length > limit):
        return 0
    remaining = limit if length is None else length  # without a length (chunked), up to the end or the limit
    read = 0
    try:
        while remaining > 0:
            chunk = stream.read(min(64 * 1024, remaining))
            if not chunk:
                break
            read += len(chunk)
            remaining -= len(chunk)
    except (OSError, ValueError):  # the client went away: no connection is left to keep
        return read
    return read


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        body, status = render_error(error.status, error.message)
        headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyRequests) else {}
        return body, status, headers

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        if status == 413:
            drain_request_body(app.config["REQUEST_DRAIN_BYTES"])
        message = error.description if status in (400, 422) and getattr(error, "lms_message", False) else ""
        return render_error(status, message)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        app.logger.exception("unhandled error")
        return render_error(500)
