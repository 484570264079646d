"""Organisations and users, with the role and scope that decide what a user may see."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..vocabulary import OrganisationType, Role
from .base import IdMixin, TimestampMixin, str_enum
from .geography import Country, District, Region
from .names import LocalNameMixin


class Organisation(LocalNameMixin, IdMixin, TimestampMixin, db.Model):
    """An LCPC, Public Council, NGO or committee that logs records."""

    __tablename__ = "organisations"

    #: Short stable code used by the CLI, e.g. ``LCPC-KARASUU``.
    code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    type: Mapped[OrganisationType] = mapped_column(str_enum(OrganisationType, "organisation_type"))
    #: Home district: its communities are the ones the organisation's volunteers log in.
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), nullable=False, index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    district: Mapped[District] = relationship()


class User(UserMixin, IdMixin, TimestampMixin, db.Model):
    """A person who signs in; never a community member."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role != 'volunteer' OR organisation_id IS NOT NULL", name="volunteer_has_organisation"
        ),
    )

    username: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(String(256), nullable=False)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), nullable=False)
    #: Volunteers: the organisation whose records they read and write.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: Coordinators: the region assigned (narrower than a country).
    scope_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    #: Coordinators: the country assigned, when no region is.
    scope_country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id"))
    #: Interface language chosen by the user (None: the browser's).
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Copied into the session at sign-in; a session holding another number is signed out. Bumped
    #: by :meth:`end_sessions` (sign-out, a new password, deactivation, a role or scope change).
    session_generation: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    organisation: Mapped[Organisation | None] = relationship()
    scope_region: Mapped[Region | None] = relationship()
    scope_country: Mapped[Country | None] = relationship()

    @property
    def is_active(self) -> bool:
        """May sign in: the account is active and, for a volunteer, so is the organisation.

        Flask-Login refuses inactive users; deactivating an organisation (a centre that closed)
        therefore also closes its volunteers' access, while their records stay.
        """
        if not self.active:
            return False
        return self.role != Role.VOLUNTEER or self.organisation is None or self.organisation.active

    def get_id(self) -> str:
        return str(self.uuid)

    def end_sessions(self) -> None:
        """Sign the user out everywhere: every session opened before this is refused."""
        self.session_generation = (self.session_generation or 0) + 1

    def set_password(self, password: str) -> None:
        """Store the hash of a new password, ending the sessions opened with the old one."""
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"
