"""Phones parse to exactly what libphonenumber's own ``parse`` gives (issue 21).

``normalize_phone`` reads plain text by its digits (``phone_parse_key``) and numbers written
``+<digits>`` by the steps of parse, is_possible_number and format_number without their string
clean-up and objects (``_international_e164``).
Both are compared here with the way kith parsed phones before, ``reference`` below, on
every country code and on random text, with and without a region.
"""

from __future__ import annotations

import random

import phonenumbers
import pytest
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

from transforms.normalize import normalize_phone, phone_parse_key

REGIONS = (None, "SE", "DE", "US", "IT", "GB", "RU", "AR", "MX", "HU", "FI", "JP", "001", "ZZ", "de")


def reference(value: str | None, region: str | None = None) -> str | None:
    """kith's normalize_phone before it was made fast: libphonenumber's parse on the text."""
    if not value or not any(ch.isdigit() for ch in value):
        return None
    text = value.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    number.extension = None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _national(rng: random.Random) -> str:
    """Digits as people write after a country code: trunk prefixes, zeros, any length."""
    head = rng.choice(["", "", "0", "00", "1", "8", "9", "06", "0 ", "(0)", "15", "11", "2", "7"])
    return head + "".join(rng.choice("0123456789") for _ in range(rng.randrange(0, 16)))


@pytest.mark.parametrize("country_code", sorted(COUNTRY_CODE_TO_REGION_CODE))
def test_every_country_code_parses_as_libphonenumber_does(country_code):
    rng = random.Random(country_code)
    own = [r for r in COUNTRY_CODE_TO_REGION_CODE[country_code]][:2]
    for _ in range(30):
        digits = "".join(ch for ch in _national(rng) if ch.isdigit())
        for region in (*REGIONS[:4], *own, rng.choice(REGIONS)):
            for text in (f"+{country_code}{digits}", f"00{country_code}{digits}", f"+{country_code} {digits}"):
                assert normalize_phone(text, region) == reference(text, region), (text, region)


_ALPHABET = "0123456789" * 4 + "  ()-./+" + "x#,;~*a"


def _random_text(rng: random.Random) -> str:
    head = rng.choice(["", "", "+", "00", "0", "+0", "++", "(+", " ", "tel:", "+1", "+49", "+39 0", "+7 8"])
    body = "".join(rng.choice(_ALPHABET if rng.random() < 0.2 else _ALPHABET[:48]) for _ in range(rng.randrange(0, 20)))
    return head + body


def test_random_text_parses_as_libphonenumber_does():
    rng = random.Random(21)
    for _ in range(6000):
        text = _random_text(rng)
        region = rng.choice(REGIONS)
        assert normalize_phone(text, region) == reference(text, region), (text, region)


@pytest.mark.parametrize("text", ["+1 (415) 555-0100", "+1 415 555 0100", "+1.415.555.0100", "+1/415/555/0100",
                                  "+1-415-555-0100-", "(415) 555-0100", "0049 (30) 1234567"])
def test_formats_of_one_number_share_one_parse_key(text):
    assert phone_parse_key(text.strip()) in ("+14155550100", "4155550100", "0049301234567")


@pytest.mark.parametrize("text", ["+1 415 555 0100 x12", "1-800-FLOWERS", "+1 415 555 0100#", "tel:+14155550100",
                                  "+1 415, 555", "12", "1 2", "+12", "(+49) 30 1234567", "-415 555 0100", "+٤٩ ٣٠ ١٢٣٤٥٦٧"])
def test_text_that_may_parse_otherwise_keeps_its_form(text):
    assert phone_parse_key(text) == text


def test_a_libphonenumber_without_the_inner_steps_is_used_through_parse(monkeypatch):
    """The fast path takes libphonenumber's inner (private) steps; a release without one of
    them must not break ingest: every number then goes through ``parse``, with the same result."""
    from transforms import normalize

    normalize._fast_path.cache_clear()
    monkeypatch.setattr(normalize, "_STEPS", normalize._STEPS + ("_a_step_this_release_lacks",))
    monkeypatch.setattr(normalize, "_international_e164", lambda *_: pytest.fail("the fast path was taken"))
    try:
        assert not normalize._fast_path()
        for value in ("+46 70 123 45 67", "+14155550100", "+4930123456", "+999123"):
            assert normalize_phone(value, "SE") == reference(value, "SE")
    finally:
        normalize._fast_path.cache_clear()
