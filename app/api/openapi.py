"""The OpenAPI 3.1 description of ``/api/v1``, made from the entry forms themselves, so the
description and the rules cannot drift apart: a field added to a form appears here."""

from __future__ import annotations

from flask_babel import force_locale
from wtforms import DateField, Field, SelectFieldBase
from wtforms.validators import InputRequired

from forms.base import MAX_COUNT, MAX_TEXT, AtLeastOne, CountField
from forms.entries import CommunityField

from ..kinds import KINDS, Kind
from ..models import User
from ..vocabulary import Role, Status
from .records import BODY_STATUSES, build_form, data_fields, is_list_field

VERSION = "1.0.0"


def _choice_values(bound: SelectFieldBase) -> list:
    return [value for value, *_rest in bound.iter_choices() if value not in ("", None)]


def _field_schema(key: str, bound: Field) -> dict:
    description = str(bound.label.text) if bound.label else key
    if isinstance(bound, DateField):
        return {"type": "string", "format": "date", "description": description}
    if isinstance(bound, CountField):
        return {"type": "integer", "minimum": 0, "maximum": MAX_COUNT, "description": description}
    if isinstance(bound, CommunityField) or key == "organisation":
        return {"type": "integer", "minimum": 1, "description": description}
    if is_list_field(bound):
        return {
            "type": "array",
            "items": {"type": "string", "enum": _choice_values(bound)},
            "uniqueItems": True,
            "description": description,
        }
    if isinstance(bound, SelectFieldBase):
        return {"enum": _choice_values(bound), "description": description}
    return {"type": "string", "maxLength": MAX_TEXT, "description": description}


def _required(bound: Field) -> bool:
    return any(isinstance(v, InputRequired | AtLeastOne) for v in bound.validators)


def _body_schema(kind: Kind) -> dict:
    """The PUT body of a kind: its form's fields, ``status`` and ``base_version``."""
    form = build_form(kind, User(role=Role.DONOR))  # a user of no scope: the codes, no places
    fields = data_fields(form)
    properties = {key: _field_schema(key, bound) for key, bound in fields.items()}
    properties["organisation"]["description"] += " (paper forms: only for an account without one)"
    required = sorted(key for key, bound in fields.items() if _required(bound) and key != "organisation")
    properties.update(
        {
            "status": {"enum": list(BODY_STATUSES), "description": "Save as a draft or send for review."},
            "base_version": {
                "type": "integer",
                "minimum": 1,
                "description": "To change a stored entry: the version it was read at.",
            },
            "uuid": {"type": "string", "format": "uuid", "readOnly": True},
            "version": {"type": "integer", "readOnly": True},
            "url": {"type": "string", "readOnly": True},
        }
    )
    return {
        "type": "object",
        "properties": properties,
        "required": [*required, "status"],
        "additionalProperties": False,
    }


def _record_schema(kind: Kind) -> dict:
    """A GET answer: the body's fields, every status a record can have, uuid, version, url."""
    body = _body_schema(kind)
    properties = {key: value for key, value in body["properties"].items() if key != "base_version"}
    properties["status"] = {"enum": [status.value for status in Status]}
    properties["uuid"] = {"type": "string", "format": "uuid"}
    properties["version"] = {"type": "integer", "minimum": 1}
    properties["url"] = {"type": "string"}
    return {
        "type": "object",
        "properties": properties,
        "required": ["uuid", "version", "status", "url"],
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    descriptions = {
        400: "Not JSON, not an object, or no valid CSRF token.",
        401: "Not signed in (JSON, never a redirect).",
        403: "The account's role may not record entries.",
        404: "No such entry in the user's area, or not a UUID.",
        405: "Method not allowed.",
        413: "The body is over the size limit.",
        415: "Not sent as application/json.",
    }
    return {str(code): _json(_ref("Error"), descriptions[code]) for code in codes}


def _paths() -> dict:
    paths: dict = {}
    for slug, kind in KINDS.items():
        name = kind.object_type.capitalize()
        paths[f"/api/v1/{slug}/{{uuid}}"] = {
            "parameters": [
                {
                    "name": "uuid",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "format": "uuid"},
                    "description": "The entry's UUID, made by the tablet when the form was opened.",
                }
            ],
            "put": {
                "operationId": f"put_{kind.object_type}",
                "summary": f"Create or change one {kind.object_type} (idempotent by UUID)",
                "parameters": [
                    {
                        "name": "X-CSRFToken",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "The session's CSRF token (GET /api/v1/session).",
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref(f"{name}Body")}},
                },
                "responses": {
                    "200": _json(_ref("Stored"), "Changed, or the same body again: stored once."),
                    "201": _json(_ref("Stored"), "Created."),
                    "409": _json(
                        _ref("Conflict"), "Stored with other content; base_version missing or stale."
                    ),
                    "422": _json(_ref("Invalid"), "Invalid input, messages per field."),
                    **_errors(400, 401, 403, 404, 413, 415),
                },
            },
            "get": {
                "operationId": f"get_{kind.object_type}",
                "summary": f"One {kind.object_type} in the shape a PUT takes",
                "responses": {"200": _json(_ref(f"{name}Record"), "The entry."), **_errors(401, 404)},
            },
        }
    paths["/api/v1/session"] = {
        "get": {
            "operationId": "get_session",
            "summary": "Who is signed in, and the CSRF token for writes",
            "responses": {"200": _json(_ref("Session"), "Signed in."), **_errors(401)},
        }
    }
    return paths


def _schemas() -> dict:
    schemas: dict = {
        "Stored": {
            "type": "object",
            "properties": {
                "uuid": {"type": "string", "format": "uuid"},
                "version": {"type": "integer", "minimum": 1},
                "status": {"enum": [status.value for status in Status]},
                "url": {"type": "string"},
            },
            "required": ["uuid", "version", "status", "url"],
            "additionalProperties": False,
        },
        "Error": {
            "type": "object",
            "properties": {"error": {"type": "string"}, "code": {"type": "string"}},
            "required": ["error"],
        },
        "Conflict": {
            "type": "object",
            "properties": {
                "error": {"type": "string"},
                "code": {"type": "string"},
                "current_version": {"type": ["integer", "null"]},
                "errors": _ref("FieldErrors"),
            },
            "required": ["error", "current_version"],
        },
        "FieldErrors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "description": 'Messages per body key, in the user\'s language; "_form": the whole entry.',
        },
        "Invalid": {
            "type": "object",
            "properties": {"errors": _ref("FieldErrors")},
            "required": ["errors"],
            "additionalProperties": False,
        },
        "Session": {
            "type": "object",
            "properties": {
                "user": {"type": "string", "format": "uuid"},
                "username": {"type": "string"},
                "role": {"enum": [role.value for role in Role]},
                "csrf_token": {"type": "string"},
            },
            "required": ["user", "username", "role", "csrf_token"],
        },
    }
    for kind in KINDS.values():
        name = kind.object_type.capitalize()
        schemas[f"{name}Body"] = _body_schema(kind)
        schemas[f"{name}Record"] = _record_schema(kind)
    return schemas


def openapi_document() -> dict:
    """The whole description (field descriptions in English, the source language)."""
    with force_locale("en"):
        return {
            "openapi": "3.1.0",
            "info": {
                "title": "Yntymak records API",
                "version": VERSION,
                "description": (
                    "Entries by UUID, for the tablets' offline outbox. Session-cookie auth; writes "
                    "carry the session's CSRF token in X-CSRFToken. Keys of a body are the HTML "
                    "form's field names; the same validation and record lifecycle apply."
                ),
            },
            "paths": _paths(),
            "components": {
                "schemas": _schemas(),
                "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session"}},
            },
            "security": [{"session": []}],
        }
