"""Every page the app serves, for tests that walk them all (languages, small screens)."""

from __future__ import annotations

from app.models import Organisation, User


def page_urls(app, records: dict[str, object], user: User, organisation: Organisation) -> list[str]:
    """Every GET page of the app, from ``app.url_map``: a new page is tried without being listed."""
    values = {
        "user_uuid": user.uuid,
        "organisation_uuid": organisation.uuid,
        "code": "KG-O-KSU",
        "level": "districts",
    }
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static" or rule.endpoint.startswith("api."):
                continue  # the JSON API is not a page (tests/functional/test_api.py)
            if "kind" in rule.arguments:
                for kind, record in records.items():
                    args = {"kind": kind}
                    if "record_id" in rule.arguments:
                        args["record_id"] = record.uuid
                    urls.append(url_for(rule.endpoint, **args))
                continue
            args = {name: values[name] for name in rule.arguments}
            urls.append(url_for(rule.endpoint, **args))
    return sorted(set(urls))
