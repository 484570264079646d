"""Forms of the admin pages: users, organisations, communities and the audit log filters.

Pickers are filled from the database when the form is built. The rules live in the services
(:mod:`app.services.accounts`, ``organisations``, ``geography``): a refusal there is a
:class:`~app.errors.DomainError` naming its field, which the admin views place beside that field.
The forms only check the shape of each value, and call the services' pure checks (the password
rules, the scope a role needs) so that those messages show together with the others.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from wtforms import (
    DateField,
    FormField,
    PasswordField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from app.collation import in_order
from app.errors import DomainError
from app.extensions import db
from app.history import ACTION_LABELS
from app.models import Country, District, Organisation, Region, User
from app.services.accounts import check_password_strength, check_scope
from app.services.geography import clean_name
from app.services.organisations import CODE_PATTERN, districts_by_region, normalise_code
from app.translate import gettext as _
from app.translate import lazy_gettext as _l
from app.vocabulary import N_, ORGANISATION_TYPE_LABELS, ROLE_LABELS, Role

from .auth import LANGUAGE_NAMES
from .base import BaseForm, SafeStringField
from .names import LocalNamesForm


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def role_choices(*, blank: str | None = None) -> list[SelectChoice]:
    """Roles with their translated labels, optionally after a blank choice."""
    choices = [SelectChoice("", blank)] if blank else []
    return choices + [SelectChoice(role.value, _l(ROLE_LABELS[role])) for role in Role]


class UserFilterForm(BaseForm):
    """The filters above the user list (GET, no CSRF token)."""

    class Meta:
        csrf = False

    role = SelectField(_l("Role"), validators=[Optional()])
    q = SearchField(_l("Username contains"), filters=[_strip], validators=[Optional(), Length(max=80)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices(blank=_("All roles"))


def _password_strength(form: BaseForm, field: PasswordField) -> None:
    """The account rules (:func:`~app.services.accounts.check_password_strength`) for this user."""
    try:
        owner = form.password_owner() if hasattr(form, "password_owner") else None
        check_password_strength(field.data or "", username=owner)
    except DomainError as exc:
        raise ValidationError(str(exc)) from None


def new_password_field(label: str) -> PasswordField:
    """A new password, checked by the account rules (length, common, username, demo)."""
    return PasswordField(
        label,
        validators=[DataRequired(_l("Type a password.")), _password_strength],
        render_kw={"autocomplete": "new-password"},
    )


def confirm_password_field() -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class UserIdentityFields:
    """Username and first password of a new user (declared first: they come first on the page)."""

    username = StringField(
        _l("Username"),
        filters=[_strip],
        validators=[
            DataRequired(_l("A username is required.")),
            Length(min=3, max=80, message=_l("Use between 3 and 80 characters.")),
            Regexp(r"^[\w.-]+$", message=_l("Use letters, digits, dots, hyphens and underscores only.")),
        ],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = new_password_field(_l("Password"))
    confirm = confirm_password_field()

    def password_owner(self) -> str | None:
        """The username the new password must differ from: the one typed above it."""
        return self.username.data


class UserScopeForm(BaseForm):
    """Role, scope and language: what both the create and the edit form ask."""

    role = SelectField(_l("Role"), validators=[DataRequired(_l("Choose a role."))])
    organisation = SelectField(
        _l("Organisation"),
        description=_l("Needed for a volunteer: they log and read this organisation's records."),
    )
    region = SelectField(
        _l("Region assigned"), description=_l("Coordinators only: a region, or else a whole country.")
    )
    country = SelectField(_l("Country assigned"), description=_l("Coordinators only, when no region is."))
    locale = SelectField(_l("Interface language"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices(blank=_("Choose a role"))
        organisations = in_order(db.session.scalars(select(Organisation)), lambda o: o.local_name)
        self.organisation.choices = [SelectChoice("", _("No organisation"))] + [
            SelectChoice(o.code, f"{o.local_name} ({o.code})" + ("" if o.active else " – " + _("inactive")))
            for o in organisations
        ]
        countries = {country.id: country for country in db.session.scalars(select(Country))}
        regions = in_order(db.session.scalars(select(Region)), lambda r: r.local_name)
        self.region.choices = [SelectChoice("", _("No region"))] + [
            SelectChoice(region.code, region.local_name, optgroup=countries[region.country_id].local_name)
            for region in sorted(regions, key=lambda r: countries[r.country_id].code)
        ]
        self.country.choices = [SelectChoice("", _("No country"))] + [
            SelectChoice(country.code, country.local_name)
            for country in sorted(countries.values(), key=lambda c: c.code)
        ]
        self.locale.choices = [SelectChoice("", _("The browser's language"))] + [
            SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]
        ]

    def validate(self, extra_validators: dict | None = None) -> bool:
        """The fields one by one, then the scope the chosen role needs (the accounts' rule)."""
        if not super().validate(extra_validators):
            return False
        try:
            check_scope(
                self.role.data,
                organisation_code=self.organisation.data or None,
                region_code=self.region.data or None,
                country_code=self.country.data or None,
            )
        except DomainError as exc:
            self[exc.field].errors.append(str(exc))
            return False
        return True

    def scope_values(self) -> dict[str, str | None]:
        """Keyword arguments for the account services."""
        return {
            "role": self.role.data,
            "organisation_code": self.organisation.data or None,
            "region_code": self.region.data or None,
            "country_code": self.country.data or None,
            "locale": self.locale.data or None,
        }


class UserCreateForm(UserIdentityFields, UserScopeForm):
    submit = SubmitField(_l("Create user"))


class UserEditForm(UserScopeForm):
    """Change the role, scope and language of ``user=``."""

    save = SubmitField(_l("Save changes"))

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        kwargs.setdefault(
            "data",
            {
                "role": user.role.value,
                "organisation": user.organisation.code if user.organisation else "",
                "region": user.scope_region.code if user.scope_region else "",
                "country": user.scope_country.code if user.scope_country else "",
                "locale": user.locale or "",
            },
        )
        super().__init__(*args, **kwargs)
        self.user = user


class PasswordResetForm(BaseForm):
    """A new password for ``user=`` (the account whose password is reset)."""

    password = new_password_field(_l("New password"))
    confirm = confirm_password_field()
    set_password = SubmitField(_l("Set the new password"))

    def __init__(self, *args: object, user: User | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def password_owner(self) -> str | None:
        """The username of the account whose password is reset."""
        return self.user.username if self.user is not None else None


class OrganisationForm(BaseForm):
    """Create or edit an organisation; ``organisation=`` is the one being edited."""

    code = StringField(
        _l("Code"),
        description=_l("A short stable code in Latin capital letters, e.g. LCPC-KARASUU."),
        filters=[lambda value: normalise_code(value) if isinstance(value, str) else value],
        validators=[
            DataRequired(_l("A code is required.")),
            Length(max=40, message=_l("Use at most 40 characters.")),
            Regexp(
                CODE_PATTERN.pattern,
                message=_l("Use Latin capital letters, digits and hyphens only, e.g. LCPC-KARASUU."),
            ),
        ],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    name = SafeStringField(
        _l("Name"),
        filters=[lambda value: clean_name(value) if isinstance(value, str) else value],
        validators=[
            DataRequired(_l("A name is required.")),
            Length(max=200, message=_l("Use at most 200 characters.")),
        ],
    )
    type = SelectField(_l("Type"), validators=[DataRequired(_l("Choose a type."))])
    district = SelectField(
        _l("Home district"),
        description=_l("Its volunteers log records in the communities of this district."),
        validators=[DataRequired(_l("Choose a district."))],
    )
    names = FormField(LocalNamesForm, label=_l("Name in each language"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: object, organisation: Organisation | None = None, **kwargs: object) -> None:
        if organisation is not None:
            kwargs.setdefault(
                "data",
                {
                    "code": organisation.code,
                    "name": organisation.name,
                    "names": dict(organisation.names or {}),
                    "type": organisation.type.value,
                    "district": organisation.district.code,
                },
            )
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.type.choices = [SelectChoice("", _("Choose a type"))] + [
            SelectChoice(value.value, _l(label)) for value, label in ORGANISATION_TYPE_LABELS.items()
        ]
        self.district.choices = [SelectChoice("", _("Choose a district"))] + [
            SelectChoice(district.code, district.local_name, optgroup=region.local_name)
            for region, districts in districts_by_region(db.session)
            for district in districts
        ]


class PlaceNamesForm(BaseForm):
    """A region's, district's or community's name in each language."""

    names = FormField(LocalNamesForm, label=_l("Name in each language"))
    submit = SubmitField(_l("Save"))


class CommunityForm(BaseForm):
    """Add a community to ``district=``."""

    name = SafeStringField(
        _l("Community name"),
        description=_l("Ayil aimak, jamoat or mahalla. The code is given automatically."),
        filters=[lambda value: clean_name(value) if isinstance(value, str) else value],
        validators=[
            DataRequired(_l("A name is required.")),
            Length(max=120, message=_l("Use at most 120 characters.")),
        ],
    )
    names = FormField(LocalNamesForm, label=_l("Name in each language"))
    submit = SubmitField(_l("Add community"))

    def __init__(self, *args: object, district: District, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.district = district


#: What an audit event is about (``AuditEvent.object_type``), as the audit log names it.
OBJECT_TYPE_LABELS = {
    "activity": N_("Activity"),
    "incident": N_("Incident"),
    "assessment": N_("Assessment"),
    "user": N_("User"),
    "organisation": N_("Organisation"),
    "community": N_("Community"),
    "district": N_("District"),
    "region": N_("Region"),
    "report": N_("Report"),
    "period": N_("Month"),
    "programme": N_("Programme"),
    "indicator": N_("Indicator"),
}


class AuditFilterForm(BaseForm):
    """The filters above the audit log (GET, no CSRF token): who, what, about what, when.

    Field names are the query parameters (``user``, ``action``, ``object``, ``from``, ``to``), so a
    filtered log can be bookmarked. After :meth:`validate`, ``user_id`` is the chosen user's key.
    """

    class Meta:
        csrf = False  # a GET form: it changes nothing

    user = SearchField(
        _l("User"),
        filters=[_strip],
        validators=[Optional(), Length(max=80)],
        render_kw={
            "list": "audit-usernames",
            "autocomplete": "off",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )
    action = SelectField(_l("Action"), validators=[Optional()])
    object_type = SelectField(_l("Type"), name="object", validators=[Optional()])
    date_from = DateField(_l("From"), name="from", validators=[Optional()])
    date_to = DateField(_l("To"), name="to", validators=[Optional()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user_id: int | None = None
        self.action.choices = [SelectChoice("", _("All actions"))] + [
            SelectChoice(action, _(label)) for action, label in ACTION_LABELS.items()
        ]
        self.object_type.choices = [SelectChoice("", _("All types"))] + [
            SelectChoice(object_type, _(label)) for object_type, label in OBJECT_TYPE_LABELS.items()
        ]

    def validate_user(self, field: SearchField) -> None:
        """The user must exist (any case): a typo should say so, not show an empty log."""
        user_id = db.session.scalar(select(User.id).where(func.lower(User.username) == field.data.lower()))
        if user_id is None:
            raise ValidationError(_("No user is called %(name)s.", name=field.data))
        self.user_id = user_id

    def validate_date_to(self, field: DateField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("The end date is before the start date."))

    def usernames(self) -> list[str]:
        """Every username, for the user field's suggestions."""
        return list(db.session.scalars(select(User.username).order_by(func.lower(User.username))))

    @property
    def filtered(self) -> bool:
        """Whether any filter is set."""
        return any(field.data for field in self)
