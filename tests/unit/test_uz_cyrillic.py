"""Uzbek Cyrillic made from Uzbek Latin (scripts/uz_cyrillic.py) for the uz_Cyrl catalog."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from scripts.uz_cyrillic import KEPT, TARGET, build_catalog, to_cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Oʻzbekiston", "Ўзбекистон"),
        ("O'zbekiston", "Ўзбекистон"),  # the catalog writes ' for ʻ
        ("gʻalaba", "ғалаба"),
        ("shahar", "шаҳар"),
        ("ishchi", "ишчи"),
        ("yangi yoki yuqori", "янги ёки юқори"),
        ("yo'q", "йўқ"),  # y then oʻ, not yo
        ("ekin, oila, ekanligi", "экин, оила, эканлиги"),  # e at the start is э
        ("men", "мен"),
        ("ma'lumot", "маълумот"),  # the tutuq belgisi is ъ
        ("Is'hoq", "Исҳоқ"),  # s'h is s and h, not sh
        ("Toshkent SHAHRI", "Тошкент ШАҲРИ"),
        ("obyektlar", "объектлар"),
        ("politsiyaga", "полицияга"),
        ("adolatsizlik", "адолатсизлик"),  # -siz is not a loanword's ц
        ("%(num)d ta yozuv", "%(num)d та ёзув"),
        ("{name} saqlandi", "{name} сақланди"),
        ("<b>Saqlash</b>", "<b>Сақлаш</b>"),
        ("R4 tavsiyasi, LCPC-KARASUU, ID, Excel", "R4 тавсияси, LCPC-KARASUU, ID, Excel"),
        ("OAV bilan", "ОАВ билан"),
        ("NNT va EU", "ННТ ва EU"),
        ('"draft" yoki "submitted" yozing', '"draft" ёки "submitted" ёзинг'),
        (
            "Content-Type: application/json, /api/v1/session",
            "Content-Type: application/json, /api/v1/session",
        ),
        ("JSON fayl (.json)", "JSON файл (.json)"),
        ('Excel fayli (.xlsx), "Targets" varag\'i', 'Excel файли (.xlsx), "Targets" варағи'),
    ],
)
def test_latin_becomes_cyrillic_by_the_rules_and_the_corrections(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


def test_the_uz_cyrl_catalog_is_the_uz_one_transliterated():
    """``make translations`` writes it: a change to the uz catalog must be carried over."""
    with TARGET.open("rb") as handle:
        shipped = {
            (m.id if isinstance(m.id, str) else m.id[0], m.context): m.string for m in read_po(handle) if m.id
        }
    made = {
        (m.id if isinstance(m.id, str) else m.id[0], m.context): m.string for m in build_catalog() if m.id
    }
    assert shipped == made


def test_no_latin_word_is_left_but_codes_and_placeholders():
    leftovers = set()
    for message in build_catalog():
        if not message.id:
            continue
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for text in strings:
            text = KEPT.sub(" ", text or "")  # placeholders, tags, codes, quoted API words
            leftovers.update(w for w in re.findall(r"[A-Za-z]{2,}", text) if not w.isupper())
    assert leftovers == set()
