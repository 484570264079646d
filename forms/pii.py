"""Personal data in free text (the do-no-harm rule): one check for every text field and the sync.

``find_personal_data(text)`` names the kind of identifier a text seems to hold -- ``"phone"``,
``"email"``, ``"handle"`` (Telegram, WhatsApp, Instagram and similar names and links) or ``"id"``
(passport, ID card and personal numbers) -- or returns None. It never returns what it found.

Length first: a text longer than ``MAX_SCAN`` characters (five times the forms' 2,000), or twice
that once normalised, is not scanned at all and gives ``"too_long"``, to be refused like a finding
(forms stop longer text even earlier, with their own length rule). The text is not cut to a
prefix, since whatever follows the cut would go unread. Below the bound every step is linear:

1. normalise: Unicode NFKC (full-width ``＠`` and digits become ASCII), format, zero-width and
   combining characters and soft hyphens removed, any script's digits read as ASCII digits, every
   dash read as ``-`` and every space as one space, look-alike letters at the start of or inside a
   digit run read as digits (``O555`` is ``0555``);
2. e-mail addresses, also spelled ``at`` / ``(at)`` / ``[at]`` / ``собака`` and ``dot``;
3. social-media handles and links; 4. passport and ID numbers (keywords, letter prefixes);
5. numbers: dates, year, time and round ranges, URLs and amounts with a currency are set aside,
   then one possessive pattern finds each run of digits joined by separators. Seven digits or more
   is a phone number (16 or more, or a 14-digit personal number, an ID), except a number grouped
   in thousands (``1 500 000``, up to 11 digits), which is an amount unless, at nine digits or more,
   ``phonenumbers`` finds a valid number in it (KG, TJ, UZ, KZ, RU or ``+`` international).

No quantifier is nested in another that can match the same characters (nothing backtracks over
what it read); no Flask here, so the sync can use it as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

#: Longer text is not scanned: ``find_personal_data`` answers ``TOO_LONG``.
MAX_SCAN = 10_000
TOO_LONG = "too_long"
#: Where a number without ``+`` is read as a national number.
REGIONS = ("KG", "TJ", "UZ", "KZ", "RU")
#: phonenumbers costs ~2.5 ms a number (five regions): at most this many per text are asked about;
#: any further thousands-grouped number of nine digits or more counts as a phone number.
MAX_PHONE_CHECKS = 16

# -- 1. Normalisation ------------------------------------------------------------------------------

_LOOKALIKE_DIGITS = {
    **dict.fromkeys("OoОоΟοՕ", "0"),  # Latin, Cyrillic, Greek, Armenian O
    **dict.fromkeys("lIІіӀ", "1"),  # Latin l and I, Cyrillic I and palochka
    **dict.fromkeys("Зз", "3"),  # Cyrillic Ze
}
_LOOKALIKE = "[" + "".join(_LOOKALIKE_DIGITS) + "]{1,3}"
#: At the start of a digit run (no letter before, a digit after), or just after a digit.
_LOOKALIKES = re.compile(rf"(?<![^\W\d_]){_LOOKALIKE}(?=\d)|(?<=\d){_LOOKALIKE}(?=[.\-/_]\d)")
_SPECIAL = {
    "\t": " ",
    "\r": "\n",
    "\\": "/",
    **dict.fromkeys("\u2212\u2043\u02d7\u2796", "-"),  # minus signs and hyphen bullets (not Pd)
    **dict.fromkeys("\u00b7\u2022\u2219\u2027\u3002\uff61\u30fb", "."),  # middle dots, full stops
    **dict.fromkeys("\u2215\u2044\u29f8", "/"),  # division and fraction slashes
    **dict.fromkeys("\u115f\u1160\u3164\uffa0", ""),  # Hangul fillers (blank letters)
}
_SPACES = re.compile(r" {2,}")


def _map_char(char: str) -> str:
    """What one character becomes after NFKC: removed, a space, ``-``, an ASCII digit or itself."""
    if char in _SPECIAL:
        return _SPECIAL[char]
    if char.isascii():
        return char
    category = unicodedata.category(char)
    if category in ("Cf", "Mn", "Me"):  # zero-width, soft hyphen, bidi marks, variation selectors
        return ""
    if category == "Zs":
        return " "
    if category in ("Zl", "Zp"):
        return "\n"
    if category == "Pd":
        return "-"
    digit = unicodedata.digit(char, None)
    return char if digit is None else str(digit)


class _CharMap(dict):
    """A ``str.translate`` table filled on first use (bounded, whatever characters arrive)."""

    def __missing__(self, code: int) -> str:
        value = _map_char(chr(code))
        if len(self) < 50_000:
            self[code] = value
        return value


_CHARS = _CharMap()


def normalise(text: str) -> str:
    """The text as the patterns read it (see the module docstring); never shown to anyone."""
    text = unicodedata.normalize("NFKC", text).translate(_CHARS)
    text = _SPACES.sub(" ", text)
    return _LOOKALIKES.sub(lambda match: "".join(_LOOKALIKE_DIGITS[c] for c in match.group()), text)


# -- 2. E-mail addresses ---------------------------------------------------------------------------

_AT_BRACKETS = re.compile(r" ?[(\[{<] ?(?:at|@|собака|sobaka) ?[)\]}>] ?", re.IGNORECASE)
_DOT_BRACKETS = re.compile(r" ?[(\[{<] ?(?:dot|точка|tochka|\.) ?[)\]}>] ?", re.IGNORECASE)
_AT_WORD = re.compile(r" (?:at|собака|sobaka) ", re.IGNORECASE)
_DOT_WORD = re.compile(r" (?:dot|точка|tochka) ", re.IGNORECASE)
#: Stands for a spelled-out " at " (a private-use character: only its domain is checked harder).
_SPELLED_AT = "\ue000"
#: One local-part character, ``@``, a dotted domain: starts only at an ``@``, each domain read once.
_EMAIL = re.compile(r"[\w.+-] ?([@\ue000]) ?([\w-]+(?:\.[\w-]+)+)")
#: A spelled-out " at " is an address when the domain is a mail service, or when the name before it
#: has a digit, dot, dash or underscore ("aigul.n at ngo.kg"): "published at 24.kg" passes.
_MAIL_SERVICES = frozenset(
    [
        *("mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru", "yandex.ru", "yandex.kz", "ya.ru"),
        *("yandex.com", "rambler.ru", "mail.kg", "mail.kz", "inbox.kz", "mail.tj", "mail.uz", "umail.uz"),
        *("gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com"),
        *("icloud.com", "me.com", "proton.me", "protonmail.com", "mail.com"),
    ]
)


def _has_email(text: str) -> bool:
    text = _DOT_WORD.sub(".", _DOT_BRACKETS.sub(".", text))
    text = _AT_WORD.sub(_SPELLED_AT, _AT_BRACKETS.sub("@", text))
    for match in _EMAIL.finditer(text):
        domain = match.group(2).lower()
        tld = domain.rsplit(".", 1)[1]
        if len(tld) < 2 or not tld.isalpha():
            continue
        if match.group(1) == "@" or domain in _MAIL_SERVICES:
            return True
        name = text[max(0, match.start() - 63) : match.start() + 1].rsplit(" ", 1)[-1]
        if any(char.isdigit() or char in "._-+" for char in name):
            return True
    return False


# -- 3. Social-media handles and links -------------------------------------------------------------

#: ``@name`` (not inside an e-mail address, already checked).
_HANDLE_AT = re.compile(r"(?=@)(?<![\w@.+-])@[A-Za-z_][A-Za-z0-9_.]{2}")
#: Links to a profile, a chat or a channel, with or without the scheme.
_HANDLE_LINK = re.compile(
    r"(?=[htwmfvoia])(?<![\w.-])(?:https? ?: ?/{0,2} ?)?(?:www\.|m\.|mobile\.|web\.)?"
    r"(?:t\.me|telegram\.(?:me|dog)|wa\.me|(?:api\.|chat\.)?whatsapp\.com|instagram\.com|instagr\.am"
    r"|ig\.me|facebook\.com|fb\.com|fb\.me|vk\.com|ok\.ru|tiktok\.com) ?/ ?[\w@+.-]"
    r"|(?<![\w.-])tg ?: ?/ ?/ ?\w",
    re.IGNORECASE,
)


def _has_handle(text: str) -> bool:
    return bool(_HANDLE_AT.search(text) or _HANDLE_LINK.search(text))


# -- 4. Passport and ID numbers --------------------------------------------------------------------

#: Letters that come before an amount or a phone number, not a document series.
_NOT_A_SERIES = r"(?:usd|eur|kgs|tjs|uzs|kzt|rub|som|сом|gbp|chf|cny|try|tel|тел|ph|mob|моб|wa|tg)"
#: A keyword (passport, ID, PIN, ИНН...) then, close by, five digits or more.
_ID_KEYWORD = re.compile(
    r"(?=[pпшуiиjжtсs])(?<![^\W\d_])"
    r"(?:(?:passport|pasport|паспорт|пасспорт|шиноснома|шаҳодатнома|удостоверени)[^\W\d_]{0,6}"
    r"|(?:id|pin|пин|инн|inn|иин|iin|жсн|pinfl|пинфл|jshshir|жшшир|tin|снилс|snils)(?![^\W\d_]))"
    r"[ :.#-]{0,3}(?:No\.?|N°|N)?[ :.#-]{0,3}(?:[^\W\d_]{1,3}[ -]?)?\d(?:[ -]?\d){4}",
    re.IGNORECASE,
)
#: One to three letters of any case joined to 6-10 digits: an1234567, AN-1234567.
_ID_JOINED = re.compile(
    rf"(?=[^\W\d_])(?<![^\W\d_])(?!{_NOT_A_SERIES}-?\d)[^\W\d_]{{1,3}}-?\d{{6,10}}(?!\d)", re.IGNORECASE
)
#: A capital-letter series, a space or a number sign, 6-10 digits: AN 1234567, AA № 654321.
_ID_SPACED = re.compile(
    rf"(?=[A-ZА-ЯЁ])(?<![^\W\d_])(?!(?i:{_NOT_A_SERIES})(?![^\W\d_]))[A-ZА-ЯЁ]{{1,3}}(?![^\W\d_])"
    r" ?(?:No\.? ?|N° ?|# ?)?\d{6,10}(?!\d)"
)


def _has_id(text: str) -> bool:
    return bool(_ID_KEYWORD.search(text) or _ID_JOINED.search(text) or _ID_SPACED.search(text))


# -- 5. Numbers: ordinary ones set aside, then phone numbers and long numbers ----------------------

_LEFT = r"(?<!\d)(?<!\d[.\-/_])"  # not glued to a digit run (a space before it is fine)
_LEFT_STRICT = r"(?<!\d)(?<!\d[ .\-/_])"  # not after a digit at all
_RIGHT = r"(?!\d|[.\-/_]\d)"
_DAY, _MONTH, _YEAR = r"(?:0?[1-9]|[12]\d|3[01])", r"(?:0?[1-9]|1[0-2])", r"(?:19|20)\d\d"
_SHORT_YEAR = r"\d\d"
_TIME = r"(?:[01]?\d|2[0-3])[.:][0-5]\d"


def _dates(year: str) -> str:
    """Dates with one separator throughout (d.m.y, y-m-d), and ranges such as 12-15.03.2024."""
    forms = []
    for sep in (r"\.", "/", "-"):
        dmy = rf"{_DAY}{sep}{_MONTH}{sep}{year}"
        forms.append(rf"(?:{_DAY}(?:{sep}{_MONTH})? ?- ?)?{dmy}(?: ?- ?{dmy})?")
        if year == _YEAR:
            forms.append(rf"{_YEAR}{sep}{_MONTH}{sep}{_DAY}(?: ?- ?{_YEAR}{sep}{_MONTH}{sep}{_DAY})?")
    return "(?:" + "|".join(forms) + ")"


def _amount(name: str) -> str:
    """A whole amount, grouped in thousands with one separator or not at all, maybe with cents."""
    grouped = rf"[1-9]\d{{0,2}}(?:(?P<{name}>[ .,])\d{{3}})(?:(?P={name})\d{{3}})*"
    return rf"(?:{grouped}|[1-9]\d{{0,14}})(?:[.,]\d{{1,2}})?"


_CURRENCY_AFTER = (
    r"(?:som|сом|so['ʻ’]?m|сўм|сум|tenge|тенге|тг|руб|rub|usd|eur|kgs|tjs|uzs|kzt|dollar|доллар|долл"
    r"|euro|евро|тыс|thousand|млн|mln|million|млрд|billion|[$€₽₸])"
)
_CURRENCY_BEFORE = r"(?=[$€₽₸uekrtsс])(?:[$€₽₸]|(?<![^\W\d_])(?:usd|eur|kgs|tjs|uzs|kzt|rub|som|сом)\.?)"


def _range_in_order(match: re.Match) -> bool:
    first, second = match.group("a"), match.group("b")
    if len(second) == 2 and len(first) == 4:  # 2019-24
        return int(second) >= int(first) % 100
    return len(first) == len(second) and int(first) < int(second)


#: Ordinary numbers, each replaced by " ; " before digit runs are read (a check for some).
_ORDINARY: list[tuple[re.Pattern, Callable[[re.Match], bool] | None]] = [
    (re.compile(r"(?=[hw])(?:https?://|www\.)[^\s/]*?[^\W\d_][^\s,;]*", re.IGNORECASE), None),
    (re.compile(rf"(?=\d){_LEFT_STRICT}{_amount('a')}(?= ?{_CURRENCY_AFTER})", re.IGNORECASE), None),
    (re.compile(rf"{_CURRENCY_BEFORE} ?{_amount('b')}{_RIGHT}", re.IGNORECASE), None),
    (re.compile(rf"(?=\d){_LEFT}{_dates(_YEAR)}{_RIGHT}"), None),
    (re.compile(rf"(?=\d){_LEFT_STRICT}{_dates(_SHORT_YEAR)}{_RIGHT}"), None),
    (re.compile(rf"(?=\d){_LEFT}(?P<a>{_YEAR}) ?[-/] ?(?P<b>{_YEAR}|\d\d){_RIGHT}"), _range_in_order),
    (re.compile(rf"(?=\d){_LEFT_STRICT}{_YEAR}(?: {_YEAR})+{_RIGHT}"), None),  # 2023 2024
    (re.compile(rf"(?=\d){_LEFT}(?:0-17|18-29|30-59|60\+){_RIGHT}"), None),  # the log's age bands
    (re.compile(rf"(?=\d){_LEFT}{_TIME} ?- ?{_TIME}{_RIGHT}"), None),
    (re.compile(rf"(?=\d){_LEFT}(?P<a>[1-9]\d{{1,3}}0) ?- ?(?P<b>[1-9]\d{{1,3}}0){_RIGHT}"), _range_in_order),
]
#: Digits joined by up to four separator characters; possessive, so a run is read once.
_CANDIDATE = re.compile(r"(?:\+ ?)?\(?\d++(?:[ ().\-/_\[\]~]{1,4}+\d++)*+")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:(?P<g>[ .])\d{3})(?:(?P=g)\d{3})*(?:\.\d{1,2})?")
_NOT_DIGIT = re.compile(r"\D")


def _set_aside(text: str) -> str:
    for pattern, keep in _ORDINARY:
        text = pattern.sub(lambda m, keep=keep: " ; " if keep is None or keep(m) else m.group(), text)
    return text


def _personal_number(digits: str) -> bool:
    """A Kyrgyz PIN: 1 or 2 (sex), the birth date as DDMMYYYY, five more digits."""
    if len(digits) != 14 or digits[0] not in "12":
        return False
    day, month, year = int(digits[1:3]), int(digits[3:5]), int(digits[5:9])
    return 1 <= day <= 31 and 1 <= month <= 12 and 1900 <= year <= 2099


@lru_cache(maxsize=1024)
def _valid_phone(number: str) -> bool:
    """Whether phonenumbers finds a valid number in a short run, national or with ``+`` added."""
    for region in REGIONS:
        if any(True for _ in PhoneNumberMatcher(number, region, leniency=Leniency.VALID)):
            return True
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse("+" + _NOT_DIGIT.sub("", number)))
    except phonenumbers.NumberParseException:
        return False


def _number_kind(text: str) -> str | None:
    checks = 0
    for match in _CANDIDATE.finditer(_set_aside(text)):
        run = match.group()
        digits = _NOT_DIGIT.sub("", run)
        if len(digits) < 7:
            continue
        if len(digits) >= 16 or _personal_number(digits):
            return "id"
        if len(digits) < 12 and _THOUSANDS.fullmatch(run):  # 1 500 000, or 555 123 456?
            if len(digits) < 9:
                continue
            checks += 1
            if checks > MAX_PHONE_CHECKS or _valid_phone(run):
                return "phone"
            continue
        return "phone"
    return None


# -- The check -------------------------------------------------------------------------------------


def scan(text: str) -> str | None:
    """The kind of identifier in ``text``, with no length bound (tests and benchmarks use it to
    show every step is linear); forms and the sync call ``find_personal_data``."""
    return _kind(normalise(text))


def _kind(text: str) -> str | None:
    if _has_email(text):
        return "email"
    if _has_handle(text):
        return "handle"
    if _has_id(text):
        return "id"
    return _number_kind(text)


def find_personal_data(text: object) -> str | None:
    """``"phone"``, ``"email"``, ``"handle"`` or ``"id"`` when the text seems to hold one,
    ``"too_long"`` when it is longer than ``MAX_SCAN`` characters (not scanned), else None."""
    if text is None:
        return None
    text = text if isinstance(text, str) else str(text)
    if len(text) > MAX_SCAN:
        return TOO_LONG
    text = normalise(text)
    if len(text) > 2 * MAX_SCAN:  # NFKC can make one character up to 18
        return TOO_LONG
    return _kind(text) if text.strip() else None
