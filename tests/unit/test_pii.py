"""The do-no-harm check on free text: phone numbers, e-mail addresses, ID-like numbers."""

from __future__ import annotations

import pytest

from forms.base import find_personal_data


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Call +996 555 123 456 tomorrow", "phone"),
        ("her number is 0555123456", "phone"),
        ("office 8 (3422) 2-22-22", "phone"),
        ("+992 93 555 44 33", "phone"),
        ("tel. 0 312 62-45-87", "phone"),
        ("write to aigul.n@mail.kg", "email"),
        ("Contact: someone+pve@example.org", "email"),
        ("passport AN1234567", "id"),
        ("ID 12345678 was shown", "id"),
        ("паспорт № 1234567", "id"),
        ("PIN 21506199000123", "id"),
        ("AA № 654321", "id"),
    ],
)
def test_personal_data_found(text, kind):
    assert find_personal_data(text) == kind


@pytest.mark.parametrize("text", ["reference 123456789012", "code 996555123456"])
def test_long_digit_runs_refused(text):
    assert find_personal_data(text) in ("phone", "id")


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "2024",
        "15 participants",
        "Meeting on 12.03.2024 with 15 participants and 3 imams",
        "Between 2019-2024 the number grew",
        "Held on 2024-03-12, second round on 2024-04-02",
        "R4 and R6, round table no. 3",
        "About 100 people, 40 women and 60 men, aged 18-29",
        "Budget 25 000 som",
        "Village of 1200 households",
    ],
)
def test_ordinary_text_passes(text):
    assert find_personal_data(text) is None
