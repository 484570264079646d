"""Every page the app serves, for tests that walk them all (languages, small screens)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.data.demo_results import INDICATORS, PROGRAMMES
from app.extensions import db
from app.models import Indicator, Measure, Organisation, Programme, Region, User


def programme_code() -> str:
    """A programme of the results framework to open: the first one, or a small one made here
    (named in every language, like the demo's) when there is none."""
    code = db.session.scalar(select(Programme.code).order_by(Programme.code).limit(1))
    if code is not None:
        return code
    _code, name, names, *_rest = PROGRAMMES[0]
    indicator_code, _measure, indicator_name, indicator_names, *_more = INDICATORS[0]
    programme = Programme(
        code="PAGES", name=name, names=dict(names), start_date=date(2025, 1, 1), end_date=date(2025, 12, 31)
    )
    programme.regions = [db.session.scalar(select(Region).where(Region.code == "KG-O"))]
    programme.indicators = [
        Indicator(
            code=indicator_code, name=indicator_name, names=dict(indicator_names), measure=Measure.ACTIVITIES
        ),
        Indicator(code="SURVEY", name=indicator_name, names=dict(indicator_names), measure=Measure.MANUAL),
    ]
    db.session.add(programme)
    db.session.commit()
    return programme.code


def manual_indicator_code(programme: str) -> str:
    """A survey-type indicator of the programme (one is added when it has none), for its actuals page."""
    found = db.session.scalar(select(Programme).where(Programme.code == programme))
    manual = next((i for i in found.indicators if i.measure == Measure.MANUAL), None)
    if manual is None:
        manual = Indicator(code="SURVEY", name="Survey", measure=Measure.MANUAL)
        found.indicators.append(manual)
        db.session.commit()
    return manual.code


def page_urls(app, records: dict[str, object], user: User, organisation: Organisation) -> list[str]:
    """Every GET page of the app, from ``app.url_map``: a new page is tried without being listed."""
    values = {
        "user_uuid": user.uuid,
        "organisation_uuid": organisation.uuid,
        "code": "KG-O-KSU",
        "level": "districts",
        "programme_code": programme_code(),
    }
    values["indicator_code"] = manual_indicator_code(values["programme_code"])
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
