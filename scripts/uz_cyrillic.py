"""Uzbek in Cyrillic from Uzbek in Latin: the uz_Cyrl catalog is made from the uz one.

``python -m scripts.uz_cyrillic`` (run by ``make translations``) writes
``translations/uz_Cyrl/LC_MESSAGES/messages.po``: every message of the Latin catalog,
transliterated by the official correspondence of the two alphabets (1995), then
:data:`CORRECTIONS` where the rules go wrong (Russian loanwords keep their Cyrillic spelling:
"tsentr" is "марказ" in neither, but "sotsial" is "социал"). Placeholders (``%(num)d``,
``{name}``), HTML tags and codes (R1-R14, LCPC-KARASUU, Excel, JSON) stay as they are.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "translations" / "uz" / "LC_MESSAGES" / "messages.po"
TARGET = ROOT / "translations" / "uz_Cyrl" / "LC_MESSAGES" / "messages.po"

#: Every spelling of the ʻ in oʻ and gʻ, and of the tutuq belgisi ʼ.
_TURNED = "ʻ‘'`’ʼ"
#: Letters made of two (checked first), then single letters.
_PAIRS = {
    "sh": "ш",
    "ch": "ч",
    "yo": "ё",
    "yu": "ю",
    "ya": "я",
    "ye": "е",
}
_SINGLE = {
    "a": "а", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "ҳ", "i": "и", "j": "ж",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р", "s": "с",
    "t": "т", "u": "у", "v": "в", "x": "х", "y": "й", "z": "з", "c": "с", "w": "в",
}  # fmt: skip
_VOWELS = set("aeiouAEIOUаеиоуэяюёўАЕИОУЭЯЮЁЎ")
#: Uzbek abbreviations, written in the Cyrillic letters (others, such as ID or EU, stay Latin).
UZBEK_ACRONYMS = {"OAV": "ОАВ", "NNT": "ННТ", "BMT": "БМТ"}
#: What is never transliterated: placeholders, tags, entities, codes, acronyms and product names.
KEPT = re.compile(
    r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|<[^>]+>|&\w+;|https?://\S+"
    r"|\b(?:R\d{1,2}|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+"
    r"|(?!(?:" + "|".join(UZBEK_ACRONYMS) + r")\b)[A-Z]{2,4}[0-9]*)\b"
    r"|\b(?:Excel|Plotly|LibreOffice|Telegram|WhatsApp|Instagram|JavaScript|Content-Type)\b"
    # technical words the API's messages quote: paths, media types, file types, literal values
    r"|(?<![\w/])/[\w./-]+|\b[a-z]+/[a-z0-9.+-]+\b|\.(?:json|xlsx|csv)\b|\"[A-Za-z_]+\""
)
#: Beginnings of words the letter rules get wrong (Russian loanwords), Latin (lower case) ->
#: Cyrillic; the rest of the word is transliterated as usual.
CORRECTIONS: dict[str, str] = {
    "obyekt": "объект",
    "politsiya": "полиция",
    "migratsiya": "миграция",
    "navigatsiya": "навигация",
    "mediatsiya": "медиация",
    "reabilitatsiya": "реабилитация",
    "rezolyutsiya": "резолюция",
    "korrupsiya": "коррупция",
    "konferensiya": "конференция",
    "tendensiya": "тенденция",
    **UZBEK_ACRONYMS,
    "subyekt": "субъект",
    "sotsial": "социал",
    "sotsialistik": "социалистик",
    "kompyuter": "компьютер",
    "aksiya": "акция",
    "stansiya": "станция",
    "iyun": "июнь",
    "iyul": "июль",
    "oktyabr": "октябрь",
    "sentyabr": "сентябрь",
    "noyabr": "ноябрь",
    "dekabr": "декабрь",
    "fevral": "февраль",
    "yanvar": "январь",
    "aprel": "апрель",
}


def _word(word: str) -> str:
    """One run of letters (and the ʻ/ʼ marks inside it)."""
    for stem, fixed in CORRECTIONS.items():
        if word.lower().startswith(stem.lower()):
            head = fixed if fixed.isupper() else fixed.capitalize() if word[:1].isupper() else fixed
            return head + _letters(word[len(stem) :], after=fixed[-1])
    return _letters(word)


def _letters(word: str, after: str = "") -> str:
    out: list[str] = []
    whole_upper = word.isupper() and len(word) > 1
    i = 0
    while i < len(word):
        char, lower = word[i], word[i:].lower()
        previous = word[i - 1] if i else after
        upper = char.isupper() or whole_upper

        if lower[:1] in "og" and len(lower) > 1 and lower[1] in _TURNED:
            letter = "ў" if lower[0] == "o" else "ғ"
            out.append(letter.upper() if upper else letter)
            i += 2
        elif char in _TURNED:
            if not (previous.lower() in "sc" and lower[1:2] == "h"):  # s'h: s and h, not sh
                out.append("ъ")  # the tutuq belgisi
            i += 1
        elif lower[:2] in _PAIRS and not (lower[:2] == "yo" and lower[2:3] in _TURNED):
            out.append(_PAIRS[lower[:2]].upper() if upper else _PAIRS[lower[:2]])
            i += 2
        elif lower[0] == "e" and (not previous or previous in _VOWELS or not previous.isalpha()):
            out.append("Э" if upper else "э")  # e at the start of a word or after a vowel
            i += 1
        else:
            out.append(_SINGLE.get(lower[0], char).upper() if upper else _SINGLE.get(lower[0], char))
            i += 1
    return "".join(out)


_LETTERS = re.compile(rf"[A-Za-z](?:[A-Za-z]|[{_TURNED}](?=[A-Za-z]))*[{_TURNED}]?")


def to_cyrillic(text: str) -> str:
    """Uzbek text in Latin letters, in Cyrillic ones; what :data:`KEPT` matches is left alone."""
    parts: list[str] = []
    position = 0
    for kept in KEPT.finditer(text):
        parts.append(_LETTERS.sub(lambda m: _word(m.group(0)), text[position : kept.start()]))
        parts.append(kept.group(0))
        position = kept.end()
    parts.append(_LETTERS.sub(lambda m: _word(m.group(0)), text[position:]))
    return "".join(parts)


def _convert(value: str | tuple | list) -> str | tuple:
    if isinstance(value, str):
        return to_cyrillic(value)
    return tuple(to_cyrillic(item) for item in value)


def build_catalog(source: Path = SOURCE) -> Catalog:
    """The uz_Cyrl catalog: each uz message, transliterated."""
    with source.open("rb") as handle:
        latin = read_po(handle, locale="uz")
    cyrillic = Catalog(locale="uz_Cyrl", project=latin.project, version=latin.version, fuzzy=False)
    for message in latin:
        if not message.id:
            continue
        cyrillic.add(
            message.id, _convert(message.string), context=message.context, auto_comments=message.auto_comments
        )
    return cyrillic


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with TARGET.open("wb") as handle:
        write_po(handle, build_catalog(), omit_header=False, sort_output=False, width=100)


if __name__ == "__main__":
    main()
