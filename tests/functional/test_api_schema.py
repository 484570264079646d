"""schemathesis against the API's own OpenAPI description: generated requests (valid ones and
broken ones) for every operation, signed in as a volunteer. No answer may be a 500, and every
answer must match the description (status, content type, body schema)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ..factories import PASSWORD

#: Sessions are bound to the browser that signed in (Flask-Login's strong protection reads the
#: agent and the address): schemathesis's requests carry the same two as the sign-in.
BROWSER = {"User-Agent": "yntymak-schema-test", "X-Forwarded-For": "192.0.2.1"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


#: The community id valid bodies use (set by the fixture; the description only says "integer").
client_community = [0]


@pytest.fixture
def signed_in(app, make, db):
    """A volunteer's test client, signed in, with a community of their district to write to."""
    volunteer = make.user("volunteer")
    client_community[0] = make.community("KG-O-KSU-02").id
    db.session.commit()
    client = app.test_client()
    signed = client.post(
        "/login", data={"username": volunteer.username, "password": PASSWORD}, headers=BROWSER
    )
    assert signed.status_code == 302
    return client


# Built by hand from the schema's operations: schemathesis's pytest loader (from_fixture) does not
# run under pytest 9.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_request_gets_a_500_or_an_answer_outside_the_description(app, signed_in, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    seen: dict[int, int] = {}
    cookie = signed_in.get_cookie("session").value

    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def call(case):
            if mode == GenerationMode.POSITIVE and isinstance(case.body, dict) and "community" in case.body:
                case.body["community"] = client_community[0]  # so that some bodies are stored
            response = case.call(cookies={"session": cookie}, headers=BROWSER)
            seen[response.status_code] = seen.get(response.status_code, 0) + 1
            case.validate_response(response, checks=CHECKS)

        call()
    assert sum(seen.values()) >= 100  # the run did send requests


def test_the_description_is_openapi_3_1_and_follows_the_forms(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    body = document["components"]["schemas"]["ActivityBody"]
    assert body["additionalProperties"] is False
    assert {"date", "community", "activity_type_code", "target_groups", "status"} <= set(body["required"])
    assert body["properties"]["target_groups"]["type"] == "array"
    assert "imams" in body["properties"]["target_groups"]["items"]["enum"]
    assert body["properties"]["f_u18"] == {
        "type": "integer",
        "minimum": 0,
        "maximum": 100_000,
        "description": "Female, Under 18",
    }
    ratings = document["components"]["schemas"]["AssessmentBody"]["properties"]
    assert sorted(ratings["rating_unemployment-rating"]["enum"], key=str) == [0, 1, 2, 3, "na"]
    assert set(document["paths"]) == {
        "/api/v1/activities/{uuid}",
        "/api/v1/incidents/{uuid}",
        "/api/v1/assessments/{uuid}",
        "/api/v1/session",
    }
