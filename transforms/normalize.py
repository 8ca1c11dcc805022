"""Normalizers for the keys people are matched on: emails, LinkedIn URLs and names.

Each keeps the original elsewhere; these produce only the comparable form. The fuzzy
normalizers (nicknames, companies) arrive with entity resolution.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

import phonenumbers

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")


def normalize_email(value: str | None) -> str | None:
    """Lowercased address, or None when the value is not an email (LinkedIn once wrote
    ``urn:li:member:664293716`` in the email column)."""
    if not value:
        return None
    text = value.strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip().lower()
    return text if _EMAIL.match(text) else None


def linkedin_slug(value: str | None) -> str | None:
    """The profile slug of a LinkedIn member URL, decoded and lowercased, or None.

    Connections.csv percent-encodes non-ASCII slugs while messages.csv writes them raw, so
    both ``linn%C3%A9a-blixt`` and ``linnéa-blixt`` give ``linnéa-blixt``.
    """
    if not value:
        return None
    text = value.strip()
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. "https://[x": not a URL at all
        return None
    host = parts.netloc.lower().split(":")[0]
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return None
    segments = [s for s in unquote(parts.path).split("/") if s]
    if len(segments) < 2 or segments[0].lower() not in ("in", "pub"):
        return None
    slug = unicodedata.normalize("NFC", segments[1]).lower()
    return slug or None


def linkedin_url(slug: str | None) -> str | None:
    """The canonical profile URL for a slug."""
    return f"https://www.linkedin.com/in/{slug}" if slug else None


# Post-nominal credentials and honorifics that exports attach to names ("Jane Doe, PhD",
# "Dr. Sam Lee"). Matched as whole words, case-insensitively, after punctuation is removed.
CREDENTIALS = frozenset("""
    phd ph d md mba msc ms bsc bs beng meng mphil dphil jd llm llb cpa cfa cfp pmp
    rn np dds dvm esq jr sr ii iii iv mr mrs ms miss dr prof sir fics frcs fca acca
    cissp ccna aws csm psm pmi mcp cma cia cisa shrm phr sphr rd pharmd edd dba mpa mph
""".split())

_FANCY_OK = ("Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Nd", "Zs", "Pd")


def fold(text: str) -> str:
    """Lowercase ASCII-ish text for comparison: NFKC maps mathematical "fancy" letters
    (𝓩𝓪𝓫𝓲) to plain ones, then accents are dropped and emoji and symbols removed."""
    text = unicodedata.normalize("NFKC", text)
    text = unicodedata.normalize("NFKD", text)
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Mn":
            continue  # combining accent
        kept.append(ch if cat in _FANCY_OK else " ")
    return " ".join("".join(kept).lower().split())


def name_key(first: str | None, last: str | None = None) -> str | None:
    """A matching key for a person's name: folded, credentials and emoji removed,
    "Last, First" kept in the order given (the caller knows which field is which)."""
    words: list[str] = []
    for part in (first, last):
        if not part:
            continue
        for word in re.split(r"[\s,.'’()\"/]+", fold(part)):
            word = word.strip("-")
            if word and word not in CREDENTIALS:
                words.append(word)
    return " ".join(words) or None


def clean_text(value: str | None) -> str | None:
    """Trimmed text with runs of white space folded, or None when empty."""
    if value is None:
        return None
    text = " ".join(value.split())
    return text or None


def split_display_name(full: str) -> tuple[str | None, str | None]:
    """First and last name of a display name such as ``Jane Q. Doe, PhD`` (best effort)."""
    text = clean_text(full) or ""
    base = text.split(",")[0].strip() if "," in text else text
    words = base.split()
    if not words:
        return None, None
    if len(words) == 1:
        return words[0], None
    return " ".join(words[:-1]), words[-1]


def normalize_phone(value: str | None, region: str | None = None) -> str | None:
    """E.164 form (``+4930123456``) of a phone number, using Google's libphonenumber rules.

    A number written without ``+CC`` needs ``region`` (ISO country, from kith.toml); without
    it, or when the text is not a possible number, the result is None. Extensions are dropped:
    they do not identify a person.
    """
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


def phone_value(value: str | None, region: str | None = None) -> str | None:
    """What a record stores for a phone: E.164 when it can be worked out, else the text as
    written (so nothing the user had is lost). Only E.164 values (starting ``+``) are matched on."""
    return normalize_phone(value, region) or clean_text(value) if value and any(ch.isdigit() for ch in value) else None
