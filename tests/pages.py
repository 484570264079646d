"""Every page the app serves, for tests that walk them all (languages, small screens)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from app.data.demo_results import INDICATORS, PROGRAMMES
from app.extensions import db
from app.models import (
    ExportJob,
    ExportKind,
    Indicator,
    JobStatus,
    Measure,
    Organisation,
    Programme,
    Region,
    User,
)
from app.models.base import utcnow


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


def export_job_uuid(user: User) -> uuid.UUID:
    """A finished background export of ``user``, to open its page, status and download (the file
    is a stand-in, in ``EXPORT_DIR``)."""
    from flask import current_app

    job = ExportJob(
        uuid=uuid.uuid4(),
        user_id=user.id,
        kind=ExportKind.XLSX,
        filters={"from": "2025-01-01", "to": "2025-12-31", "region": "KG-O", "audience": "coordinator"},
        language="en",
        audience="coordinator",
        status=JobStatus.DONE,
        progress=100,
        rows_done=3,
        rows_total=3,
        created_at=utcnow(),
        finished_at=utcnow(),
        expires_at=utcnow() + timedelta(hours=1),
        filename="yntymak-coordinator-2025-01-01_2025-12-31.xlsx",
    )
    job.file_path = f"{job.uuid}.xlsx"
    folder = Path(current_app.config["EXPORT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / job.file_path).write_bytes(b"PK\x03\x04 a stand-in for a workbook")
    db.session.add(job)
    db.session.commit()
    return job.uuid


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
    values["job_uuid"] = export_job_uuid(user)
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
