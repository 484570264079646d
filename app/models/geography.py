"""Country -> region (oblast / viloyat) -> district (rayon / nohiya) -> community."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .names import LocalNameMixin


class Country(LocalNameMixin, db.Model):
    __tablename__ = "countries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ISO 3166-1 alpha-2, e.g. ``KG``.
    code: Mapped[str] = mapped_column(String(8), unique=True, nullable=False)
    #: English name; ``names`` holds it per language (app/models/names.py).
    name: Mapped[str] = mapped_column(String(120), nullable=False)

    regions: Mapped[list[Region]] = relationship(back_populates="country", order_by="Region.name")


class Region(LocalNameMixin, db.Model):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ISO 3166-2 where one exists, e.g. ``KG-O``.
    code: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), nullable=False, index=True)

    country: Mapped[Country] = relationship(back_populates="regions")
    districts: Mapped[list[District]] = relationship(back_populates="region", order_by="District.name")


class District(LocalNameMixin, db.Model):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Region code plus a short suffix, e.g. ``KG-O-KSU``.
    code: Mapped[str] = mapped_column(String(24), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), nullable=False, index=True)

    region: Mapped[Region] = relationship(back_populates="districts")
    communities: Mapped[list[Community]] = relationship(back_populates="district", order_by="Community.name")


class Community(LocalNameMixin, db.Model):
    """Ayil aimak, jamoat or mahalla: the smallest place a record names."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: District code plus a number, e.g. ``KG-O-KSU-03``.
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), nullable=False, index=True)

    district: Mapped[District] = relationship(back_populates="communities")

    def __repr__(self) -> str:
        return f"<Community {self.code}>"
