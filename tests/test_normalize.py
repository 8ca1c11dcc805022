"""Normalizers and date parsing on tricky literal cases, plus idempotence properties."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, strategies as st

from transforms.dates import parse_date, parse_datetime
from transforms.normalize import fold, linkedin_slug, name_key, normalize_email, split_display_name


@pytest.mark.parametrize("raw, expected", [
    ("Jane.Doe@Example.COM", "jane.doe@example.com"),
    ("  mailto:bob@acme.io ", "bob@acme.io"),
    ("<ann@x.org>", "ann@x.org"),
    ("urn:li:member:664293716", None),
    ("not an email", None),
    ("", None),
    (None, None),
])
def test_normalize_email(raw, expected):
    assert normalize_email(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("https://www.linkedin.com/in/linn%C3%A9a-blixt-hr-mildef", "linnéa-blixt-hr-mildef"),
    ("https://www.linkedin.com/in/linnéa-blixt-hr-mildef", "linnéa-blixt-hr-mildef"),
    ("www.linkedin.com/in/Jane-Doe/", "jane-doe"),
    ("http://linkedin.com/in/jane-doe?trk=abc", "jane-doe"),
    ("https://de.linkedin.com/in/jane-doe/details/", "jane-doe"),
    ("https://www.linkedin.com/company/acme", None),
    ("https://example.com/in/jane", None),
    ("", None),
])
def test_linkedin_slug(raw, expected):
    assert linkedin_slug(raw) == expected


@pytest.mark.parametrize("first, last, expected", [
    ("Ivana", "Božić, Ph.D.", "ivana bozic"),
    ("Maria 🌍", "Santos", "maria santos"),
    ("Sam", "Lee, MBA", "sam lee"),
    ("𝓩𝓪𝓫𝓲", "Rahman", "zabi rahman"),
    ("Dr. Anna", "Ma", "anna ma"),  # 'Ma' is a surname, not a degree
    ("  José  ", " García-Márquez ", "jose garcia-marquez"),
    ("", "", None),
])
def test_name_key(first, last, expected):
    assert name_key(first, last) == expected


def test_split_display_name():
    assert split_display_name("Jane Q. Doe, PhD") == ("Jane Q.", "Doe")
    assert split_display_name("Cher") == ("Cher", None)
    assert split_display_name("") == (None, None)


@pytest.mark.parametrize("raw, expected", [
    ("16 Dec 2024", datetime(2024, 12, 16)),
    ("05 Feb 2014", datetime(2014, 2, 5)),
    ("1/8/18, 6:14 PM", datetime(2018, 1, 8, 18, 14)),
    ("3/7/24, 12:05 AM", datetime(2024, 3, 7, 0, 5)),
    ("12/15/24, 12:47 PM", datetime(2024, 12, 15, 12, 47)),
    ("2024-12-16 18:24:37 UTC", datetime(2024, 12, 16, 18, 24, 37)),
    ("23-Apr-23", datetime(2023, 4, 23)),
    ("16.09.2021", datetime(2021, 9, 16)),
    ("11/26/24 01:32 PM UTC", datetime(2024, 11, 26, 13, 32)),
    ("31 Feb 2024", None),
    ("soon", None),
    ("", None),
])
def test_parse_datetime(raw, expected):
    assert parse_datetime(raw) == expected


def test_parse_date_drops_time():
    assert parse_date("1/8/18, 6:14 PM") == date(2018, 1, 8)


@given(st.text(max_size=40))
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text(max_size=30), st.text(max_size=30))
def test_name_key_is_stable_under_refolding(first, last):
    key = name_key(first, last)
    if key is not None:
        assert name_key(key) == key


@given(st.emails())
def test_normalized_email_is_a_fixed_point(email):
    normalized = normalize_email(email)
    if normalized is not None:
        assert normalize_email(normalized) == normalized
