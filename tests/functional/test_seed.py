"""Demo data looks like the region the conference describes."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.models import Activity, Country, District, DriverRating, Incident, Region
from app.models.records import DriverAssessment
from app.services.seed import seed_demo
from app.vocabulary import COUNT_CELLS


def _mean_rating(db, driver: str, country: str) -> float:
    return float(
        db.session.scalar(
            select(func.avg(DriverRating.rating))
            .join(DriverAssessment, DriverRating.assessment_id == DriverAssessment.id)
            .join(DriverAssessment.community)
            .join(District)
            .join(Region)
            .join(Country)
            .where(DriverRating.driver_code == driver, Country.code == country)
        )
    )


def _mean_rating_regions(db, driver: str, regions: tuple[str, ...]) -> float:
    return float(
        db.session.scalar(
            select(func.avg(DriverRating.rating))
            .join(DriverAssessment, DriverRating.assessment_id == DriverAssessment.id)
            .join(DriverAssessment.community)
            .join(District)
            .join(Region)
            .where(DriverRating.driver_code == driver, Region.code.in_(regions))
        )
    )


def test_demo_weights(db):
    today = date(2026, 11, 27)
    seed_demo(db.session, activities=2000, incidents=400, assessments=400, seed=7, today=today)
    db.session.commit()
    assert _mean_rating(db, "migrant_job_loss", "TJ") > _mean_rating(db, "migrant_job_loss", "KG") + 0.7
    south = ("KG-O", "KG-GO", "KG-J")
    north = ("KG-C", "KG-N", "KG-T", "KG-Y", "KG-GB")
    assert (
        _mean_rating_regions(db, "interethnic_tension", south)
        > _mean_rating_regions(db, "interethnic_tension", north) + 0.7
    )
    oldest, newest = db.session.execute(select(func.min(Activity.date), func.max(Activity.date))).one()
    assert oldest >= today - timedelta(days=731) and newest <= today
    # every activity has people counted, none negative
    totals = db.session.scalar(select(func.min(sum(getattr(Activity, c) for c, _s, _b in COUNT_CELLS))))
    assert totals >= 0
    assert db.session.scalar(select(func.count(Incident.id))) == 400
