"""The concern groups and the one recommendation mapping of the entry forms (app/vocabulary.py)."""

from __future__ import annotations

import pytest

from app.vocabulary import (
    ACTIVITY_TYPES,
    DRIVER_GROUPS,
    DRIVERS,
    RECOMMENDATIONS,
    SUGGESTED_RECOMMENDATIONS,
    TARGET_GROUPS,
    suggested_recommendations,
)

R_CODES = [code for code, *_rest in RECOMMENDATIONS]


def test_every_driver_is_in_exactly_one_group():
    grouped = [code for _group, _label, codes in DRIVER_GROUPS for code in codes]
    assert sorted(grouped) == sorted(code for code, _label in DRIVERS)
    assert len(grouped) == len(set(grouped)) == 16
    assert len(DRIVER_GROUPS) == 4
    assert all(3 <= len(codes) <= 5 for _group, _label, codes in DRIVER_GROUPS)  # each fits a phone


def test_mapping_uses_known_codes_only_and_covers_every_type_and_group():
    types = SUGGESTED_RECOMMENDATIONS["activity_type"]
    groups = SUGGESTED_RECOMMENDATIONS["target_group"]
    assert set(SUGGESTED_RECOMMENDATIONS) == {"activity_type", "target_group"}
    assert set(types) == {code for code, _label in ACTIVITY_TYPES}
    assert set(groups) == {code for code, _label in TARGET_GROUPS}
    for codes in [*types.values(), *groups.values()]:
        assert codes and set(codes) <= set(R_CODES)


@pytest.mark.parametrize(
    ("kind", "code", "recommendation"),
    [
        ("target_group", "imams", "R7"),
        ("target_group", "atyncha", "R7"),
        ("target_group", "migrants", "R8"),
        ("target_group", "prisoners", "R9"),
        ("target_group", "prison_staff", "R9"),
        ("target_group", "media", "R10"),
        ("target_group", "youth", "R6"),
        ("target_group", "women", "R6"),
        ("target_group", "police", "R4"),
        ("target_group", "returnees", "R12"),
        ("activity_type", "pre_departure", "R8"),
        ("activity_type", "prison_programme", "R9"),
        ("activity_type", "media_training", "R10"),
        ("activity_type", "counter_narrative", "R10"),
        ("activity_type", "research", "R14"),
        ("activity_type", "police_community", "R4"),
    ],
)
def test_mapping_follows_the_conference_recommendations(kind, code, recommendation):
    assert recommendation in SUGGESTED_RECOMMENDATIONS[kind][code]


def test_suggestions_are_the_union_in_r_order():
    assert suggested_recommendations("research", ["media", "imams", "youth"]) == ["R6", "R7", "R10", "R14"]
    assert suggested_recommendations(None, []) == []
    assert suggested_recommendations("unknown", ["nobody"]) == []
    assert suggested_recommendations("pre_departure", ["migrants"]) == ["R8"]
