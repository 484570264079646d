"""The entry forms' widgets (forms/widgets.py) write exactly what WTForms' own widgets write."""

from __future__ import annotations

import pytest
import wtforms
from markupsafe import Markup
from wtforms import Form, SelectChoice, SelectMultipleField, widgets
from wtforms.validators import InputRequired
from wtforms.widgets import html_params as wtforms_html_params

from forms import base
from forms import widgets as fast

ATTRIBUTES = [
    {},
    {"id": "f", "name": "x", "type": "text", "value": "plain"},
    {"value": 'a "quoted" <b>&amp;</b> \' text'},
    {"value": Markup('already "safe" <i>x</i>')},
    {"checked": True, "disabled": False, "required": True, "value": 0},
    {"data_chosen_count": "3", "aria_describedby": "a b", "class_": "c", "for_": "d"},
    {"placeholder": "0", "inputmode": "numeric", "pattern": "[0-9]*", "value": None},
    {"value": "Кыргызстан — Ош, «тест»", "title": "Oʻzbekiston"},
    {"max": 100_000, "min": -1, "step": 1.5},
]


@pytest.mark.parametrize("attributes", ATTRIBUTES)
def test_html_params_is_wtforms_text(attributes: dict) -> None:
    ours, theirs = fast.html_params(**attributes), wtforms_html_params(**attributes)
    assert ours == theirs
    assert isinstance(ours, Markup)


class _Sample(Form):
    day = base.DateField()
    secret = base.HiddenField()
    kind = base.SelectField(
        choices=[SelectChoice("a", "A & B"), SelectChoice("b", '"B"'), SelectChoice("c", "<C>")],
        validators=[InputRequired()],
    )
    level = base.RadioField(
        choices=[SelectChoice("1", "One"), SelectChoice("2", "Two")], validators=[InputRequired()]
    )
    groups = base.MultiCheckboxField(
        choices=[SelectChoice("youth", "Youth"), SelectChoice("women", "Women & girls")]
    )
    people = base.CountField()


class _Reference(Form):
    """The same fields with WTForms' widgets."""

    day = wtforms.DateField()
    secret = wtforms.HiddenField()
    kind = wtforms.SelectField(
        choices=[SelectChoice("a", "A & B"), SelectChoice("b", '"B"'), SelectChoice("c", "<C>")],
        validators=[InputRequired()],
    )
    level = wtforms.RadioField(
        choices=[SelectChoice("1", "One"), SelectChoice("2", "Two")], validators=[InputRequired()]
    )
    groups = SelectMultipleField(
        choices=[SelectChoice("youth", "Youth"), SelectChoice("women", "Women & girls")],
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    people = base.CountField(widget=widgets.TextInput())


class _Data(dict):
    def getlist(self, key: str) -> list:
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


@pytest.mark.parametrize(
    "data",
    [
        None,
        _Data(day="2026-11-30", secret='x"<y>', kind="b", level="2", groups=["women"], people="12"),
        _Data(day="not a day", kind="z", level="9", groups=["youth", "women"], people="1e3"),
    ],
)
def test_widgets_render_as_wtforms_does(data: _Data | None) -> None:
    ours, theirs = _Sample(formdata=data), _Reference(formdata=data)
    if data is not None:
        ours.validate(), theirs.validate()
    for name in ("day", "secret", "kind", "people"):
        assert ours[name](aria_invalid="true") == theirs[name](aria_invalid="true"), name
    assert [option() for option in ours.level] == [option() for option in theirs.level]
    assert ours.level.widget(ours.level) == theirs.level.widget(theirs.level)
    assert [option() for option in ours.groups] == [option() for option in theirs.groups]
