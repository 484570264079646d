"""Tests written to kill mutants a hand-made mutation run left alive (issue 10): each checks one
rule exactly at its edge, so that weakening the rule fails here."""

from __future__ import annotations

import pytest

from app.auth.routes import safe_next
from forms.base import find_personal_data


@pytest.mark.parametrize("text", ["call 555-12-34 tonight", "555 12 34", "tel 5551234"])
def test_a_seven_digit_local_number_is_a_phone(text):
    """Seven digits is the shortest phone number the check must find (a local number in town)."""
    assert find_personal_data(text) in ("phone", "id")


@pytest.mark.parametrize("text", ["555-12-3", "call 12-34-5"])
def test_six_digits_are_not_a_phone(text):
    assert find_personal_data(text) is None


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "///evil.example/",
        "////evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "http:evil.example",
        "evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_never_leaves_the_site(target):
    assert safe_next(target, "/") == "/"


@pytest.mark.parametrize("target", ["/activities", "/activities?page=2", "/review/periods"])
def test_next_keeps_a_path_on_the_site(target):
    assert safe_next(target, "/") == target
