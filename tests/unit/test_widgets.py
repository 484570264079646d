"""The entry forms' widgets (forms/widgets.py) write exactly what WTForms' own widgets write."""

from __future__ import annotations

import pytest
import wtforms
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape
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


def _loop_text(field: wtforms.Field) -> str:
    """What the template's loop over a group's WTForms sub-fields wrote (before choice_options)."""
    lines = []
    for option in field:
        label = escape(option.label.text)
        lines.append(
            f'\n    <label class="option" for="{escape(option.id)}">{option()} <span>{label}</span></label>'
        )
    return "".join(lines)


class _Groups(Form):
    level = base.RadioField(
        choices=[SelectChoice("1", "One"), SelectChoice("2", '<Two> & "2"')], validators=[InputRequired()]
    )
    plain = base.RadioField(choices=[SelectChoice("a", "A"), SelectChoice("b", "")])
    groups = base.MultiCheckboxField(
        choices=[
            SelectChoice("youth", "Youth"),
            SelectChoice("women", "Женщины и девушки"),
            SelectChoice("x'y", "X"),
        ],
        validators=[base.AtLeastOne()],
    )
    lazy = base.MultiCheckboxField(choices=[SelectChoice("R1", LazyString(lambda: "Recommendation <1>"))])
    styled = base.MultiCheckboxField(
        choices=[SelectChoice("a", "A"), SelectChoice("b", "B")], render_kw={"class": "big"}
    )
    marked = base.MultiCheckboxField(
        choices=[SelectChoice("a", "A"), SelectChoice("b", "B", render_kw={"data-x": "1"})]
    )
    native = wtforms.RadioField(choices=[SelectChoice("1", "One")], validators=[InputRequired()])


@pytest.mark.parametrize(
    "data",
    [
        None,
        _Data(
            level="2", plain="b", groups=["women", "x'y"], lazy=["R1"], styled=["b"], marked=["a"], native="1"
        ),
    ],
)
@pytest.mark.parametrize("name", ["level", "plain", "groups", "lazy", "styled", "marked", "native"])
def test_choice_options_write_what_the_sub_fields_wrote(data: _Data | None, name: str) -> None:
    form = _Groups(formdata=data)
    if data is not None:
        form.validate()
    written = fast.choice_options(form[name])
    assert isinstance(written, Markup)
    assert written == _loop_text(form[name])
    if data is not None and name != "plain":
        assert "checked" in written  # what was sent is ticked again


def test_choice_options_mark_a_required_radio_group() -> None:
    written = fast.choice_options(_Groups().level)
    assert written.count(" required ") + written.count(" required>") == 2
    assert "&lt;Two&gt; &amp; &#34;2&#34;" in written


def test_choice_options_make_no_sub_field_for_a_plain_group(monkeypatch: pytest.MonkeyPatch) -> None:
    form = _Groups(formdata=_Data(level="1", groups=["youth"]))
    expected = {name: _loop_text(form[name]) for name in ("level", "groups", "lazy")}

    def no_sub_field(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a sub-field was made")

    monkeypatch.setattr(wtforms.fields.choices.SelectFieldBase._Option, "__init__", no_sub_field)
    for name, text in expected.items():
        assert fast.choice_options(form[name]) == text
