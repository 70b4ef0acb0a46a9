"""JSON API plumbing: routes declared with pydantic models, one OpenAPI 3 document, bodies validated in the user's language."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

from lms.errors import DomainError
from lms.security import require_roles

MAX_JSON_BYTES = 256 * 1024
MAX_JSON_DEPTH = 16  # the deepest body in use (a save of a matching answer) nests 5 levels


@dataclass
class Endpoint:
    rule: str
    method: str
    summary: str
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    tag: str
    status: int = 200
    errors: tuple[int, ...] = ()


REGISTRY: list[Endpoint] = []


class ApiError(DomainError):
    """A 400 answer for a body that is not JSON or too large."""


class InvalidBody(DomainError):
    """A 422 answer for JSON that does not fit the endpoint's model."""

    status = 422


def api_route(bp: Blueprint, rule: str, method: str, *, summary: str, body: type[BaseModel] | None = None,
              response: type[BaseModel] | None = None, tag: str = "attempts", roles: tuple[str, ...] | None = None,
              deferred_writes: bool = False, status: int = 200, errors: tuple[int, ...] = ()):
    """Register a JSON view; roles are checked first, then the parsed body is passed as the `body` keyword.
    `status` is the success status the document gives, `errors` the statuses it adds to the usual ones."""
    prefix = bp.url_prefix or ""
    REGISTRY.append(Endpoint(prefix + rule, method, summary, body, response, tag, status, errors))

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if roles is not None:
                require_roles(roles)
            if body is not None:
                kwargs["body"] = parse_body(body)
            result = view(*args, **kwargs)
            if isinstance(result, tuple):
                model, status = result
                return json_response(model, status)
            return json_response(result) if isinstance(result, BaseModel) else result

        wrapped.deferred_writes = deferred_writes
        bp.add_url_rule(rule, view_func=wrapped, methods=[method], endpoint=view.__name__)
        return wrapped

    return decorator


def json_response(model: BaseModel, status: int = 200) -> Response:
    """The model as JSON, serialised by pydantic in one pass."""
    body = model.model_dump_json()
    return current_app.response_class(body, status=status, mimetype="application/json")


def parse_body(model: type[BaseModel]) -> BaseModel:
    data = load_json()
    try:
        return model.model_validate(data, strict=True)  # "3" is not a number, 1 is not true
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise InvalidBody(_("Invalid data at '%(field)s': %(problem)s", field=where, problem=_problem(first))) from error


def _problem(error: dict) -> str:
    """The pydantic error in the user's language for the usual kinds, in pydantic's English otherwise."""
    limit = next(iter((error.get("ctx") or {}).values()), "")
    messages = {
        "int_type": _("a whole number is expected"),
        "bool_type": _("true or false is expected"),
        "string_type": _("a text is expected"),
        "dict_type": _("an object {...} is expected"),
        "list_type": _("a list [...] is expected"),
        "model_type": _("an object {...} is expected"),
        "missing": _("this field is required"),
        "extra_forbidden": _("this field is not allowed"),
        "literal_error": _("must be one of %(values)s", values=limit),
        "greater_than_equal": _("must be at least %(limit)s", limit=limit),
        "less_than_equal": _("must be at most %(limit)s", limit=limit),
        "too_short": _("is too short"),
        "too_long": _("is too long"),
    }
    return messages.get(error["type"], error["msg"])


def load_json() -> object:
    """The request body as JSON, refused (400) when too large, nested too deeply or not UTF-8 JSON:
    the limits are checked on the raw text, before the parser recurses or any model sees it."""
    if request.content_length and request.content_length > MAX_JSON_BYTES:
        raise ApiError(_("The data sent is too large."))
    raw = request.get_data(cache=True)  # a chunked body has no Content-Length: its length is checked here
    if len(raw) > MAX_JSON_BYTES:
        raise ApiError(_("The data sent is too large."))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(_("The request body is not valid JSON.")) from error
    if json_depth_exceeds(text, MAX_JSON_DEPTH):
        raise ApiError(_("The data sent is nested too deeply (at most %(limit)d levels).", limit=MAX_JSON_DEPTH))
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:  # ValueError covers numbers of more than 4,300 digits too
        raise ApiError(_("The request body is not valid JSON.")) from error


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit`, brackets inside strings aside. Strings are found as
    the JSON parser finds them, so up to the first syntax error the count is the parser's own."""
    depth = 0
    for char in _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text)):
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def openapi_document(title: str, version: str) -> dict:
    """OpenAPI 3.1 built from the registered endpoints and their pydantic models."""
    paths: dict = {}
    schemas: dict = {}
    for endpoint in REGISTRY:
        operation = {"summary": endpoint.summary, "tags": [endpoint.tag], "responses": _responses(endpoint, schemas)}
        if endpoint.body is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": _schema_ref(endpoint.body, schemas)}}}
        parameters = _path_parameters(endpoint.rule)
        if parameters:
            operation["parameters"] = parameters
        paths.setdefault(_openapi_path(endpoint.rule), {})[endpoint.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"}}},
        "security": [{"session": [], "csrf": []}],
    }


def _schema_ref(model: type[BaseModel], schemas: dict) -> dict:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        schemas[name] = definition
    schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _responses(endpoint: Endpoint, schemas: dict) -> dict:
    ok = {"description": "OK"}
    if endpoint.response is not None:
        ok["content"] = {"application/json": {"schema": _schema_ref(endpoint.response, schemas)}}
    error = {"description": "Error with a message for the user",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    schemas["Error"] = {"type": "object", "properties": {"error": {"type": "object", "properties": {
        "status": {"type": "integer"}, "title": {"type": "string"}, "message": {"type": "string"}}}}}
    usual = (400, 401, 403, 404, 409, 413, 422)
    responses = {str(endpoint.status): ok, **{str(status): error for status in sorted({*usual, *endpoint.errors})}}
    if 429 in endpoint.errors:
        responses["429"] = {**error, "headers": {"Retry-After": {
            "description": "seconds to wait", "schema": {"type": "integer", "minimum": 1}}}}
    return responses


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def _path_parameters(rule: str) -> list[dict]:
    from lms.converters import MAX_ID

    ids = {"type": "integer", "minimum": 0, "maximum": MAX_ID}  # the bounds of lms.converters
    return [{"name": name, "in": "path", "required": True, "schema": ids if kind == "int" else {"type": "string"}}
            for kind, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule)]


def init_api(app: Flask) -> None:
    @app.get("/api/openapi.json")
    def openapi_json():
        return jsonify(openapi_document("ISO training LMS API", "1.0"))
