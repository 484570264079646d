"""Personal-data check benchmark: milliseconds per text, ours against the check it replaced.

Prints, for report-like text and for adversarial input of 2,000 (a form field), 10,000 (the scan
bound) and 100,000 characters (through ``forms.pii.scan``, which has no bound), the best of three
runs of ``forms.pii`` and of the regex check used before issue 10 (kept below as the baseline).
The baseline is not run where the 20,000-character time, growing as the square of the length,
says it would take more than 20 s; the projection is printed instead.

Usage: ``python -m bench.pii``. Targets: report text under 5 ms for a 2,000-character field, and
time in proportion to the length for every input (100,000 characters about 10x the 10,000-character
time; a quadratic pattern shows 100x).
"""

from __future__ import annotations

import re
import time

from forms import pii

# -- The check before issue 10 (forms/base.py), the baseline ---------------------------------------
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_ID_PREFIXED = re.compile(r"(?<!\w)[A-ZА-ЯЁ]{1,3}\s?(?:№|N°|No\.?|#)?\s?\d{6,}(?!\w)")
_ID_KEYWORD = re.compile(
    r"(?:passport|паспорт|пасспорт|шиноснома|id|инн|pin|пин)\w*\s*(?:№|N°|No\.?|#|:)?\s*[^\W\d_]{0,3}\s?\d{5,}",
    re.IGNORECASE | re.UNICODE,
)
_LONG_DIGITS = re.compile(r"\d{9,}")
_DATES = re.compile(
    r"\b(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}-\d{1,2}-(?:19|20)\d\d|(?:19|20)\d\d[./-]\d{1,2}[./-]\d{1,2}"
    r"|(?:19|20)\d\d\s?[-–]\s?(?:19|20)\d\d)\b"
)
_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s\-()]{0,3}\d){6,}")


def baseline(text: str) -> str | None:
    if _EMAIL.search(text):
        return "email"
    if _ID_KEYWORD.search(text) or _ID_PREFIXED.search(text):
        return "id"
    stripped = _DATES.sub(" ", text)
    if _PHONE.search(stripped):
        return "phone"
    return "id" if _LONG_DIGITS.search(stripped) else None


REPORT = (
    "Round table on 12.03.2024 in the ayil aimak: 45 participants (20 women, 25 men, aged 18-29), "
    "budget 1 500 000 som for 2019-2024, 3 imams, R4 and R6. "
)
TEXTS = {
    "report text": REPORT,
    "report text + phone at end": REPORT + "Call 0555.12.34.56",
    "a (no @)": "a",
    "a@": "a@",
    "1 a": "1 a ",
    "passport": "passport ",
    "id": "id ",
    "1 (digits, spaced)": "1 ",
    "0 (one digit run)": "0",
    "(at)": "a(at)",
}
SIZES = (2_000, 10_000, 100_000)
LIMIT_S = 20.0


def _best(fn, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def main() -> None:
    pii.scan("warm up 555 123 456")  # phonenumbers loads its metadata on first use
    sizes = " ".join(f"{size:>9,}" for size in SIZES)
    print(f"{'input':28} {'check':7} {sizes}  100k/10k (10 = linear, 100 = quadratic)")
    for name, unit in TEXTS.items():
        old_20k = _best(baseline, _fill(unit, 20_000))
        for label, fn in (("ours", pii.scan), ("before", baseline)):
            times = []
            for size in SIZES:
                projected = old_20k * (size / 20_000) ** 2
                if fn is baseline and projected > LIMIT_S * 1000:
                    times.append(projected)  # not run: the square law from 20,000 characters
                else:
                    times.append(_best(fn, _fill(unit, size)))
            cells = " ".join(f"{ms:9.1f}" for ms in times)
            print(f"{name if fn is pii.scan else '':28} {label:7} {cells}  {times[2] / times[1]:8.0f}")
    print("ms, best of 3; 'before' at 100,000 characters is projected where it would pass 20 s.")


if __name__ == "__main__":
    main()
