"""``/api/v1``: one record by UUID (PUT, GET), who is signed in (for the outbox) and the OpenAPI
description. Session-cookie auth as for pages; CSRF through the ``X-CSRFToken`` header."""

from __future__ import annotations

import uuid

from flask import Response, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..extensions import db
from ..kinds import KIND_CONVERTER, get_kind
from ..services.scope import get_record_in_scope
from ..translate import gettext as _
from . import bp
from .answers import json_error, signed_in_json
from .openapi import openapi_document
from .records import put_record, record_body

RECORD = f"/{KIND_CONVERTER}/<record_id>"


def _uuid(text: str) -> uuid.UUID | None:
    try:
        value = uuid.UUID(text)
    except ValueError:
        return None
    return value if str(value) == text.lower() else None


@bp.put(RECORD)
@signed_in_json
def put(kind: str, record_id: str) -> tuple[Response, int]:
    """Create or change one record; an identical resend answers as the first time."""
    kind_ = get_kind(kind)
    record_uuid = _uuid(record_id)
    if record_uuid is None:
        return json_error(404, _("This is not an entry's address: the UUID is not valid."))
    if not request.is_json:
        return json_error(415, _("Send the entry as JSON (Content-Type: application/json)."))
    body = request.get_json(silent=True)
    if body is None:
        return json_error(400, _("The body is not valid JSON."))
    answer = put_record(db.session, current_user, kind_, record_uuid, body)
    if answer.status in (200, 201):
        db.session.commit()
    else:
        db.session.rollback()
    return jsonify(answer.body), answer.status


@bp.get(RECORD)
@signed_in_json
def get(kind: str, record_id: str) -> tuple[Response, int]:
    """One record in the shape a PUT takes, with its version and status."""
    kind_ = get_kind(kind)
    record_uuid = _uuid(record_id)
    record = get_record_in_scope(db.session, kind_.model, record_uuid, current_user) if record_uuid else None
    if record is None:
        return json_error(404, _("There is nothing at this address, or it is outside your area."))
    return jsonify(record_body(kind_, record, current_user)), 200


@bp.get("/session")
@signed_in_json
def session_info() -> tuple[Response, int]:
    """Who is signed in and the CSRF token to send with writes (the outbox asks before a sync)."""
    return (
        jsonify(
            {
                "user": str(current_user.uuid),
                "username": current_user.username,
                "role": str(current_user.role),
                "csrf_token": generate_csrf(),
            }
        ),
        200,
    )


@bp.get("/openapi.json")
def openapi() -> tuple[Response, int]:
    """The OpenAPI 3.1 description of these routes."""
    return jsonify(openapi_document()), 200
