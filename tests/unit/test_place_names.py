"""Every shipped place and organisation has its name in every language and script (issue 12)."""

from __future__ import annotations

import re

import pytest

from app.data.demo import ORGANISATIONS
from app.data.geography import GEOGRAPHY
from app.data.place_names import PLACE_NAMES, names_for
from app.vocabulary import OrganisationType as OT

LANGS = ("ru", "ky", "tg", "uz", "uz_Cyrl", "en")
CYRILLIC_LANGS = ("ru", "ky", "tg", "uz_Cyrl")
COUNTRIES = ("Kyrgyzstan", "Tajikistan")

#: The letters of each alphabet (lower case); anything else but PUNCTUATION is a mistake.
ALPHABETS = {
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "ky": "абвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюя",
    "tg": "абвгғдеёжзиӣйкқлмнопрстуӯфхҳчҷшъэюя",  # the 1998 alphabet: no ц щ ы ь
    "uz_Cyrl": "абвгдеёжзийклмнопрстуфхцчшъьэюяўқғҳ",
    "uz": "abcdefghijklmnopqrstuvxyzʻʼ",  # c only in ch (test_uzbek_latin_apostrophes), no w
}
PUNCTUATION = set(" -()«»0123456789")
TAJIK_ONLY = set("ғӣқӯҳҷ")
KYRGYZ_ONLY = set("ңөү")
LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[\u0400-\u04FF\u0500-\u052F]")


def _regions():
    for country, regions in GEOGRAPHY.items():
        for _code, region_name, districts in regions:
            yield country, region_name, districts


def _geography_names() -> list[str]:
    names = []
    for _country, region_name, districts in _regions():
        names.append(region_name)
        for _suffix, district_name, communities in districts:
            names.append(district_name)
            names.extend(communities)
    return names


ORGANISATION_NAMES = [name for _code, name, _type, _district in ORGANISATIONS]
EXPECTED = set(_geography_names()) | set(ORGANISATION_NAMES) | set(COUNTRIES)
KYRGYZSTAN_PLACES = {"Kyrgyzstan"} | {
    name
    for country, region_name, districts in _regions()
    if country == "KG"
    for name in [region_name]
    + [d for _s, d, _c in districts]
    + [c for _s, _d, communities in districts for c in communities]
}
KYRGYZSTAN_PLACES |= {name for _c, name, _t, district in ORGANISATIONS if district.startswith("KG-")}


def test_every_place_organisation_and_country_has_all_six_names():
    problems = []
    for name in sorted(EXPECTED):
        entry = PLACE_NAMES.get(name)
        if entry is None:
            problems.append(f"{name}: no entry")
            continue
        if set(entry) != set(LANGS):
            problems.append(f"{name}: languages {sorted(entry)}")
        for lang, value in entry.items():
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{name}: empty {lang}")
            elif value != value.strip() or "  " in value:
                problems.append(f"{name}: stray spaces in {lang} {value!r}")
    assert not problems, "\n".join(problems)


def test_no_entries_for_places_that_are_not_shipped():
    assert set(PLACE_NAMES) - EXPECTED == set()


def test_english_is_the_key():
    assert [key for key, entry in PLACE_NAMES.items() if entry["en"] != key] == []


@pytest.mark.parametrize("lang", CYRILLIC_LANGS)
def test_cyrillic_names_have_no_latin_letters(lang):
    assert {key: e[lang] for key, e in PLACE_NAMES.items() if LATIN.search(e[lang])} == {}


def test_uzbek_latin_has_no_cyrillic_letters():
    assert {key: e["uz"] for key, e in PLACE_NAMES.items() if CYRILLIC.search(e["uz"])} == {}


@pytest.mark.parametrize("lang", sorted(ALPHABETS))
def test_each_language_is_written_in_its_own_alphabet(lang):
    letters = set(ALPHABETS[lang])
    wrong = {
        key: sorted({ch for ch in e[lang].lower() if ch not in letters and ch not in PUNCTUATION})
        for key, e in PLACE_NAMES.items()
    }
    assert {key: chars for key, chars in wrong.items() if chars} == {}


def test_kyrgyz_has_no_tajik_only_letters():
    """Checked for every name, not only Kyrgyzstan's: the Kyrgyz alphabet has none of them."""
    assert set(PLACE_NAMES) >= KYRGYZSTAN_PLACES
    assert {key: e["ky"] for key, e in PLACE_NAMES.items() if TAJIK_ONLY & set(e["ky"].lower())} == {}


def test_tajik_has_no_kyrgyz_only_letters():
    assert {key: e["tg"] for key, e in PLACE_NAMES.items() if KYRGYZ_ONLY & set(e["tg"].lower())} == {}


def test_uzbek_cyrillic_uses_the_uzbek_u_and_tajik_the_tajik_one():
    assert {key: e["uz_Cyrl"] for key, e in PLACE_NAMES.items() if "ӯ" in e["uz_Cyrl"].lower()} == {}
    assert {
        key: e[lang] for key, e in PLACE_NAMES.items() for lang in ("tg", "ky", "ru") if "ў" in e[lang]
    } == {}


def test_uzbek_latin_apostrophes():
    """oʻ and gʻ with U+02BB, the tutuq belgisi U+02BC; no typewriter or typographic quotes."""
    bad = {}
    for key, entry in PLACE_NAMES.items():
        uz = entry["uz"]
        if re.search(r"['‘’`]", uz) or re.search(r"(?<![oOgG])ʻ", uz) or re.search(r"(?<![a-z])ʼ", uz):
            bad[key] = uz
        if re.search(r"c(?!h)", uz.lower()):
            bad[key] = uz
    assert bad == {}


def test_uzbek_latin_and_cyrillic_are_the_same_name():
    def shape(text: str) -> tuple[int, str]:
        return len(text.split()), re.sub(r"[^0-9()«»-]", "", text)

    assert {
        key: (e["uz"], e["uz_Cyrl"])
        for key, e in PLACE_NAMES.items()
        if shape(e["uz"]) != shape(e["uz_Cyrl"])
    } == {}


@pytest.mark.parametrize("lang", LANGS)
def test_no_two_places_of_the_same_district_region_or_country_share_a_name(lang):
    clashes = []

    def check(where: str, names: list[str]) -> None:
        written = [PLACE_NAMES[name][lang].casefold() for name in names]
        if len(set(written)) != len(written):
            clashes.append(f"{where}: {[PLACE_NAMES[name][lang] for name in names]}")

    for country, regions in GEOGRAPHY.items():
        check(country, [region_name for _code, region_name, _districts in regions])
        for _code, region_name, districts in regions:
            check(region_name, [district_name for _s, district_name, _c in districts])
            for _suffix, district_name, communities in districts:
                check(district_name, communities)
    check("organisations", ORGANISATION_NAMES)
    assert clashes == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_disambiguator_names_the_district_or_city_in_the_same_language(lang):
    """ "Kara-Suu (Aksy)" -> "Кара-Суу (Аксы)": the parenthesis is kept and holds a short name
    found in the district's (or the city's) own name in that language."""
    wrong = []
    for _country, region_name, districts in _regions():
        for _suffix, district_name, communities in districts:
            for community in communities:
                if "(" not in community:
                    continue
                found = re.fullmatch(r"[^()]+ \(([^()]+)\)", PLACE_NAMES[community][lang])
                homes = (PLACE_NAMES[district_name][lang], PLACE_NAMES[region_name][lang])
                if not found or not any(found.group(1).casefold() in home.casefold() for home in homes):
                    wrong.append(PLACE_NAMES[community][lang])
    assert wrong == []


def test_organisation_types_are_named_consistently():
    for _code, name, kind, _district in ORGANISATIONS:
        entry = PLACE_NAMES[name]
        if kind is OT.LCPC:
            assert entry["ru"].startswith("ОПОП "), entry
            assert entry["ky"].startswith("КТКП "), entry
            assert entry["tg"].startswith("Нуқтаи ҷамъиятии ҳифзи тартиботи "), entry
            assert entry["uz"].endswith(" jamoat tartibini saqlash punkti"), entry
        elif kind is OT.PUBLIC_COUNCIL:
            assert entry["ru"].startswith("Общественный совет "), entry
            assert entry["tg"].startswith("Шӯрои ҷамъиятии "), entry
            assert entry["ky"].endswith(" коомдук кеңеши"), entry
            assert entry["uz"].endswith(" jamoatchilik kengashi"), entry


def test_examples_from_the_issue():
    assert names_for("Kara-Suu District")["ru"] == "Кара-Суйский район"
    assert names_for("Kara-Suu District")["ky"] == "Кара-Суу району"
    assert names_for("Kara-Suu District")["uz"] == "Qorasuv tumani"
    assert names_for("Kara-Suu District")["uz_Cyrl"] == "Қорасув тумани"
    assert names_for("Osh Region")["uz"] == "O\u02bbsh viloyati"
    assert names_for("Sughd Region")["tg"] == "Вилояти Суғд"
    assert names_for("Dushanbe City")["tg"] == "шаҳри Душанбе"
    assert names_for("Uzgen District")["ky"] == "Өзгөн району"
    assert names_for("Kara-Suu (Aksy)")["ky"] == "Кара-Суу (Аксы)"
    assert names_for("Tolerance and Dialogue Foundation")["ru"] == "Фонд «Толерантность и диалог»"


def test_names_for_returns_the_entry_and_refuses_an_unknown_name():
    assert names_for("Tajikistan") == PLACE_NAMES["Tajikistan"]
    with pytest.raises(KeyError):
        names_for("Atlantis")
