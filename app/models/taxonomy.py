"""Fixed vocabularies keyed by stable codes (labels live in :mod:`app.vocabulary`)."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class TaxonomyMixin:
    #: Stable code, e.g. ``R7`` or ``unemployment``; never shown, never translated.
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: Display order.
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    #: English source label (translated on display).
    label: Mapped[str] = mapped_column(String(200), nullable=False)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"


class Recommendation(TaxonomyMixin, db.Model):
    """R1-R14 of the 2016 Bishkek conference."""

    __tablename__ = "recommendations"
    #: What the recommendation means in the field.
    description: Mapped[str] = mapped_column(String(400), nullable=False, default="")


class Driver(TaxonomyMixin, db.Model):
    """A perceived push or pull factor."""

    __tablename__ = "drivers"


class TargetGroup(TaxonomyMixin, db.Model):
    __tablename__ = "target_groups"


class ActivityType(TaxonomyMixin, db.Model):
    __tablename__ = "activity_types"


class IncidentCategory(TaxonomyMixin, db.Model):
    __tablename__ = "incident_categories"
