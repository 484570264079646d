"""Builders for test data: ``make.user("coordinator", region="KG-O")``, ``make.activity(user)``."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app.models import (
    Activity,
    ActivityType,
    Community,
    Country,
    District,
    Driver,
    DriverAssessment,
    DriverRating,
    Incident,
    IncidentCategory,
    Organisation,
    Recommendation,
    Region,
    TargetGroup,
    User,
)
from app.vocabulary import IncidentStatus, OrganisationType, Response, Role, Severity, Status, Trend

PASSWORD = "correct horse battery"
#: Hashed once with few iterations: tests need speed, not strength.
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_seq = itertools.count(1)


class Builders:
    """Create rows in the test's session and flush them (the test commits when it needs to)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _get(self, model, code):
        row = self.session.scalar(select(model).where(model.code == code))
        assert row is not None, f"no {model.__name__} {code}"
        return row

    def community(self, code: str = "KG-O-KSU-01") -> Community:
        return self._get(Community, code)

    def district(self, code: str) -> District:
        return self._get(District, code)

    def organisation(
        self,
        district: str = "KG-O-KSU",
        code: str | None = None,
        type: OrganisationType = OrganisationType.LCPC,
    ) -> Organisation:
        number = next(_seq)
        org = Organisation(
            code=code or f"ORG-{number}",
            name=f"Test organisation {number}",
            type=type,
            district_id=self.district(district).id,
        )
        self.session.add(org)
        self.session.flush()
        return org

    def user(
        self,
        role: str = "volunteer",
        *,
        organisation: Organisation | None = None,
        region: str | None = None,
        country: str | None = None,
        username: str | None = None,
        locale: str | None = "en",
        active: bool = True,
    ) -> User:
        role = Role(role)
        if role == Role.VOLUNTEER and organisation is None:
            organisation = self.organisation()
        if role == Role.COORDINATOR and not (region or country):
            region = "KG-O"
        user = User(
            username=username or f"{role.value}{next(_seq)}",
            password_hash=_HASH,
            role=role,
            organisation_id=organisation.id if organisation else None,
            scope_region_id=self._get(Region, region).id if region else None,
            scope_country_id=self._get(Country, country).id if country else None,
            locale=locale,
            active=active,
        )
        self.session.add(user)
        self.session.flush()
        return user

    def _record_defaults(self, author: User, community: str | None, values: dict) -> dict:
        org = author.organisation or self.organisation()
        if community is None:
            community_row = self.session.scalar(
                select(Community).where(Community.district_id == org.district_id).order_by(Community.code)
            )
        else:
            community_row = self.community(community)
        return {
            "date": date.today() - timedelta(days=10),
            "status": Status.SUBMITTED,
            "community_id": community_row.id,
            "organisation_id": org.id,
            "author_id": author.id,
            **values,
        }

    def activity(
        self,
        author: User,
        *,
        community: str | None = None,
        target_groups: tuple[str, ...] = ("youth",),
        drivers: tuple[str, ...] = ("unemployment",),
        recommendations: tuple[str, ...] = ("R6",),
        activity_type: str = "dialogue",
        **values: object,
    ) -> Activity:
        activity = Activity(
            **self._record_defaults(author, community, values),
            activity_type_code=activity_type,
        )
        activity.target_groups = [self._get(TargetGroup, c) for c in target_groups]
        activity.drivers = [self._get(Driver, c) for c in drivers]
        activity.recommendations = [self._get(Recommendation, c) for c in recommendations]
        assert self._get(ActivityType, activity_type)
        self.session.add(activity)
        self.session.flush()
        return activity

    def incident(
        self,
        author: User,
        *,
        community: str | None = None,
        category: str = "online_content",
        drivers: tuple[str, ...] = ("online_propaganda",),
        **values: object,
    ) -> Incident:
        defaults = {
            "severity": Severity.LOW,
            "response": Response.DIALOGUE,
            "incident_status": IncidentStatus.OPEN,
            "description": "Hostile posts in a local group.",
        }
        incident = Incident(**self._record_defaults(author, community, {**defaults, **values}))
        incident.category = self._get(IncidentCategory, category)
        incident.drivers = [self._get(Driver, c) for c in drivers]
        self.session.add(incident)
        self.session.flush()
        return incident

    def assessment(
        self,
        author: User,
        *,
        community: str | None = None,
        ratings: dict[str, int] | None = None,
        **values: object,
    ) -> DriverAssessment:
        assessment = DriverAssessment(**self._record_defaults(author, community, values))
        for code, rating in (ratings or {"unemployment": 2, "injustice": 1}).items():
            assessment.ratings.append(DriverRating(driver_code=code, rating=rating, trend=Trend.SAME))
        self.session.add(assessment)
        self.session.flush()
        return assessment
