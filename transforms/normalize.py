"""Normalizers for the keys people are matched on: emails, LinkedIn URLs and names.

Each keeps the original elsewhere; these produce only the comparable form. The first
block (``normalize_email`` … ``phone_value``) feeds record hashes, so its outputs must not
change; the matching keys for entity resolution (``email_match_key``, ``parse_person_name``,
``company_key``, ``phone_match_key``, ...) are separate functions below it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING, Callable, NamedTuple
from urllib.parse import unquote, urlsplit

from anyascii import anyascii

if TYPE_CHECKING:  # polars is imported where a frame is built (kith show never needs it)
    import polars as pl

from transforms.nicknames import same_first_key, variants_of_key

__all__ = [
    "CREDENTIALS", "PersonName", "ascii_fold", "clean_text", "company_key", "company_key_expr",
    "email_domain", "email_local", "email_match_key", "email_match_key_expr", "first_name_variants",
    "fold", "is_free_mail_domain", "linkedin_slug", "linkedin_url", "map_unique_expr", "name_blocking_keys",
    "name_key", "normalize_email", "normalize_phone", "parse_person_name", "phone_match_key",
    "phone_match_key_expr", "phone_parse_key", "phone_value", "same_first_name", "soundex", "soundex_expr",
    "split_addressed_name", "split_display_name",
]

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
    if segments and segments[0].lower() == "mwlite":  # LinkedIn Lite's mobile URLs: /mwlite/in/<slug>
        segments = segments[1:]
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
    # an emoji or a credential after the name is not its surname (Ana Silva 🚀, Jo Lee PMP)
    words = [w for w in base.split() if any(ch.isalpha() for ch in w)]
    while len(words) > 2 and fold(words[-1]).replace(".", "") in CREDENTIALS:
        words.pop()
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
    return _phone_e164(value, region)


def _phone_e164(value: str, region: str | None) -> str | None:
    """``normalize_phone`` of a value known to hold a digit."""
    text = value.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    return _e164(phone_parse_key(text), (region or "").upper() or None)


# ASCII digits and the punctuation libphonenumber skips between them, with at most a leading
# '+' and '(': no letters (vanity numbers, 'ext'), no '#', ',', ';', '~' (extensions, pauses), no 'tel:'.
_PLAIN_PHONE = re.compile(r"\+?\(?[0-9][0-9 ().\/-]*")
_NOT_DIGIT = re.compile(r"[^0-9]+")


def phone_parse_key(text: str) -> str:
    """The text libphonenumber reads a number from, reduced to its digits (and its leading
    '+') when that provably parses alike, so that ``+1 (415) 555-0100`` and ``+1 415 555 0100``
    share one parse; any other text is returned as it is.

    Why alike: for such text libphonenumber's ``parse`` finds the number at the first '+' or
    digit, trims only trailing punctuation, finds no extension, second number or RFC 3966
    part, and reads the country code and national number from the digits alone (it normalises
    to digits before anything else looks at them); at least three digits keep both viable.
    tests/test_phone_fast.py checks it on random text against libphonenumber itself.
    """
    if len(text) > 250 or not _PLAIN_PHONE.fullmatch(text):  # 250: libphonenumber's TOO_LONG limit
        return text
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) < 3:
        return text
    return "+" + digits if text[0] == "+" else digits


def _e164(text: str, region: str | None) -> str | None:
    """E.164 of ``text`` as libphonenumber parses it with ``region``, or None."""
    if _DIGITS_AFTER_PLUS.fullmatch(text) and _fast_path():
        e164 = _international_e164(text[1:], region)
        if e164 is not _PARSE_IT:
            return e164
    phonenumbers, _util = _phonenumbers()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    number.extension = None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@functools.cache
def _phonenumbers():
    """libphonenumber and its parser's module, imported on the first phone (commands that
    never parse one, such as `kith show`, skip it) and then found without an import each time."""
    import phonenumbers
    from phonenumbers import phonenumberutil

    return phonenumbers, phonenumberutil


_DIGITS_AFTER_PLUS = re.compile(r"\+[0-9]{3,17}")  # (longer text takes parse's own way)
_STEPS = ("_extract_country_code", "_maybe_strip_national_prefix_carrier_code", "_test_number_length",
          "_MIN_LENGTH_FOR_NSN", "_MAX_LENGTH_FOR_NSN", "region_code_for_country_code", "ValidationResult")


@functools.cache
def _fast_path() -> bool:
    """Whether this libphonenumber has the inner steps ``_international_e164`` takes (they are
    not its public API): a release without them is used through ``parse``, only slower."""
    _phonenumbers_module, util = _phonenumbers()
    return all(hasattr(util, step) for step in _STEPS)
_PARSE_IT = object()


def _international_e164(digits: str, region: str | None) -> str | None | object:
    """What ``_e164('+' + digits, region)`` gives through ``phonenumbers.parse``, for ASCII
    digits that start with a known country code, in a quarter of the time; ``_PARSE_IT`` for
    other digits (parse takes another way with them).

    These are the steps parse, is_possible_number and format_number take for such input, in
    their order, less the string clean-up there is no need for and the PhoneNumber object in
    between: the national significant number parse would store is ``national`` itself, so the
    E.164 form is ``+``, the country code and ``national``. A phone book of 100,000 distinct
    numbers spent most of its parsing time in that clean-up, character by character.
    tests/test_phone_fast.py compares the two on every country code.
    """
    _phonenumbers_module, util = _phonenumbers()
    country_code, national = util._extract_country_code(digits)
    if country_code == 0:
        return _PARSE_IT
    metadata, own = _country_metadata(country_code, region)
    keep_prefix, possible = _length_results()
    if len(national) < util._MIN_LENGTH_FOR_NSN:
        return None
    length = None  # national's length checked against own metadata, when known
    if metadata is not None:
        _carrier, potential, _ = util._maybe_strip_national_prefix_carrier_code(national, metadata)
        potential_length = util._test_number_length(potential, metadata)
        if potential_length not in keep_prefix:
            national = potential
            if metadata is own:
                length = potential_length
    if not util._MIN_LENGTH_FOR_NSN <= len(national) <= util._MAX_LENGTH_FOR_NSN:
        return None
    if length is None:
        length = util._test_number_length(national, own)
    if length not in possible:
        return None
    return f"+{country_code}{national}"


@functools.cache
def _country_metadata(country_code: int, region: str | None) -> tuple:
    """(metadata parse strips a national prefix with, or None; metadata is_possible_number
    measures the number with) for a known country code and the region numbers are read in."""
    phonenumbers, util = _phonenumbers()
    number_region = util.region_code_for_country_code(country_code)
    own = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(country_code, number_region)
    if number_region == region:  # (parse looks the region up by name: no metadata for '001')
        return phonenumbers.PhoneMetadata.metadata_for_region(region.upper(), None), own
    return own, own


@functools.cache
def _length_results() -> tuple[frozenset, frozenset]:
    """(the length checks after which parse keeps a national prefix: the rest is too short,
    only locally possible or of no valid length; those is_possible_number accepts)."""
    _phonenumbers_module, util = _phonenumbers()
    result = util.ValidationResult
    return (frozenset({result.TOO_SHORT, result.IS_POSSIBLE_LOCAL_ONLY, result.INVALID_LENGTH}),
            frozenset({result.IS_POSSIBLE, result.IS_POSSIBLE_LOCAL_ONLY}))


def phone_value(value: str | None, region: str | None = None) -> str | None:
    """What a record stores for a phone: E.164 when it can be worked out, else the text as
    written (so nothing the user had is lost). Only E.164 values (starting ``+``) are matched on."""
    if not value or not any(ch.isdigit() for ch in value):
        return None
    return _phone_e164(value, region) or clean_text(value)


def split_addressed_name(full: str | None) -> tuple[str | None, str | None, str | None]:
    """First, last and name key of a name as mail and calendar clients write it beside an
    address; Outlook's ``Smith, Robert`` is last name first."""
    if not full:
        return None, None, None
    if full.count(",") == 1:
        last, first = (part.strip() for part in full.split(","))
        words = [w for w in re.split(r"[\s.]+", fold(first)) if w]
        if first and last and words and not all(w in CREDENTIALS for w in words) and not is_postnominal(first):
            return first, last, name_key(first, last)
    first, last = split_display_name(full)
    return first, last, name_key(full)


# ---------------------------------------------------------------------------------------
# Matching keys for entity resolution. Everything below is new and additive: the functions
# above feed record hashes, so their outputs must not move; these feed comparison only.
# ---------------------------------------------------------------------------------------


class _AsciiMap(dict):
    """``str.translate`` table that transliterates each non-ASCII code point once, on first
    sight, then serves it from the dict (a C-level lookup): names repeat their letters, so
    after warm-up a transliteration costs what ``translate`` costs.

    Letters, digits and punctuation go through anyascii (Łukasz → Lukasz, Đặng → Dang,
    ß → ss, Иван → Ivan, 王 → Wang); typographic quotes become ASCII quotes so nicknames in
    “…” are still found; emoji and other symbols become a space; format characters (zero
    width joiner, soft hyphen, variation selectors) vanish so they do not split a word.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if code < 128:
            out = ch
        else:
            cat = unicodedata.category(ch)
            if cat == "Cf" or cat[0] == "M":
                out = ""
            elif cat[0] in "SC":
                out = " "
            elif cat[0] == "Z":
                out = " "
            elif cat in ("Pi", "Pf"):
                out = "'" if anyascii(ch) == "'" else '"'
            else:
                out = anyascii(ch)
        self[code] = out
        return out


_ASCII_MAP = _AsciiMap()
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _translit(text: str) -> str:
    """ASCII rendering of ``text`` (case kept): NFKC first, so mathematical "fancy"
    letters (𝓩𝓪𝓫𝓲) and ligatures become plain ones, then per-character anyascii."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text).translate(_ASCII_MAP)


def ascii_fold(text: str | None) -> str:
    """Lower-case ASCII words of ``text`` separated by single spaces, for comparison.

    Unlike :func:`fold` (kept as is because record hashes depend on it) this transliterates
    instead of only dropping accents, so ``Łukasz``, ``Đặng``, ``Straße``, ``Yıldız`` and
    Cyrillic or CJK spellings meet their romanized forms. Punctuation separates words.
    """
    if not text:
        return ""
    return _NON_ALNUM.sub(" ", _translit(text).lower()).strip()


@functools.lru_cache(maxsize=1 << 16)
def _first_key(first: str) -> str:
    return ascii_fold(first)


def first_name_variants(first: str | None) -> frozenset[str]:
    """The folded forms a first name can match through the ``nicknames`` dataset.

    ``Bob`` → {bert, bob, bobby, robert}; ``Robert`` → {robert}: the name plus its fuller
    forms only (see :mod:`transforms.nicknames` for why), so two first names are the
    same when their variant sets meet. Cached; empty input gives an empty set.
    """
    return variants_of_key(_first_key(first)) if first else frozenset()


def same_first_name(a: str | None, b: str | None) -> bool:
    """Whether two first names can belong to one person: equal once folded, one the
    initial of the other (``J.`` / ``Jane``), nickname-equivalent (``Peggy`` /
    ``Margaret``, ``Bill`` / ``William``), or multi-word names whose first words match.
    A missing name never matches: absence is not evidence."""
    if not a or not b:
        return False
    return same_first_key(_first_key(a), _first_key(b))


# --- emails -----------------------------------------------------------------------------

_GMAIL_DOMAINS = frozenset(("gmail.com", "googlemail.com"))

# Personal-mail providers: an address there says nothing about a person's employer, so a
# shared domain is no evidence that two people work together.
FREE_MAIL_DOMAINS = frozenset("""
    gmail.com googlemail.com outlook.com outlook.de outlook.fr outlook.es outlook.it hotmail.com
    hotmail.co.uk hotmail.de hotmail.fr hotmail.it hotmail.es hotmail.nl hotmail.se live.com
    live.co.uk live.de live.fr live.nl live.se msn.com passport.com windowslive.com yahoo.com
    yahoo.co.uk yahoo.de yahoo.fr yahoo.es yahoo.it yahoo.ca yahoo.com.au yahoo.co.in
    yahoo.co.jp yahoo.com.br ymail.com rocketmail.com icloud.com me.com mac.com gmx.de gmx.net
    gmx.at gmx.ch gmx.com gmx.us web.de t-online.de freenet.de posteo.de posteo.net mailbox.org
    protonmail.com protonmail.ch proton.me pm.me tutanota.com tutanota.de tuta.io aol.com aim.com
    aol.de yandex.ru yandex.com ya.ru mail.ru inbox.ru list.ru bk.ru rambler.ru qq.com foxmail.com
    163.com 126.com yeah.net sina.com sina.cn sohu.com aliyun.com naver.com daum.net hanmail.net
    zoho.com zohomail.com fastmail.com fastmail.fm hey.com hushmail.com mail.com email.com
    usa.com seznam.cz wp.pl o2.pl onet.pl interia.pl libero.it virgilio.it tiscali.it alice.it
    orange.fr wanadoo.fr free.fr laposte.net sfr.fr bluewin.ch hispeed.ch telenet.be skynet.be
    ziggo.nl kpnmail.nl btinternet.com sky.com virginmedia.com comcast.net verizon.net att.net
    sbcglobal.net bellsouth.net charter.net cox.net earthlink.net shaw.ca rogers.com sympatico.ca
    bigpond.com optusnet.com.au rediffmail.com
""".split())


# Providers whose every country domain is personal mail (gmail.de, yahoo.com.mx, hotmail.co.jp,
# gmx.fr, outlook.com.br, ...): a domain with one of these as a whole label before its suffix
# is free mail even when the list above misses that country. Only unmistakable names: "orange",
# "free" or "live" also name companies.
FREE_MAIL_PROVIDERS = ("gmail", "googlemail", "hotmail", "outlook", "yahoo", "ymail", "icloud", "gmx",
                       "protonmail", "proton", "tutanota", "yandex", "aol", "posteo", "fastmail")
_FREE_PROVIDER = re.compile(r"(?:^|\.)(?:" + "|".join(FREE_MAIL_PROVIDERS) + r")\.")


def free_mail_expr(domain: pl.Expr) -> pl.Expr:
    """Polars: whether each domain is a personal-mail provider (see ``is_free_mail_domain``)."""
    return domain.is_in(sorted(FREE_MAIL_DOMAINS)) | domain.str.contains(_FREE_PROVIDER.pattern)


def _split_email(value: str | None) -> tuple[str, str] | None:
    email = normalize_email(value)
    if email is None:
        return None
    local, _, domain = email.rpartition("@")
    return local, domain


def email_local(email: str | None) -> str | None:
    """The part before ``@`` of a valid address (lowercased), else None."""
    parts = _split_email(email)
    return parts[0] if parts else None


def email_domain(email: str | None) -> str | None:
    """The domain of a valid address (lowercased), else None: the evidence for an employer
    when it is not a free-mail domain."""
    parts = _split_email(email)
    return parts[1] if parts else None


def is_free_mail_domain(domain: str | None) -> bool:
    """Whether ``domain`` (or an address's domain) is a personal-mail provider, so that a
    shared domain must not count as "same company". Accepts ``user@gmail.com`` too."""
    if not domain:
        return False
    d = domain.strip().lower().rsplit("@", 1)[-1].rstrip(".")
    return d in FREE_MAIL_DOMAINS or _FREE_PROVIDER.search(d) is not None


@functools.lru_cache(maxsize=1 << 18)
def email_match_key(email: str | None) -> str | None:
    """The address in the form two spellings of one mailbox share, for matching only.

    Lowercased and stripped (``mailto:``, ``<>``, spaces) as in :func:`normalize_email`;
    a ``+tag`` sub-address is dropped for every domain (``jane+news@x.com`` reaches
    jane); for Gmail dots are dropped and ``googlemail.com`` becomes ``gmail.com`` because
    Google delivers those to one mailbox. A local part that would become empty is kept.
    Invalid input gives None. The output is a fixed point.
    """
    parts = _split_email(email)
    if parts is None:
        return None
    local, domain = parts
    if "+" in local:
        head = local.split("+", 1)[0]
        if head:
            local = head
    if domain in _GMAIL_DOMAINS:
        domain = "gmail.com"
        undotted = local.replace(".", "")
        if undotted:
            local = undotted
    return f"{local}@{domain}"


def _email_match_key_series(s: pl.Series) -> pl.Series:
    import polars as pl  # (here, not at the top: `kith show` never needs polars)

    # Staged with_columns, so each step is computed once (a single nested when/then
    # expression would repeat its inputs at every reference).
    t, at, local, domain = pl.col("t"), pl.col("at"), pl.col("local"), pl.col("domain")
    df = pl.DataFrame({"t": s.cast(pl.String)})
    df = df.with_columns(t=t.str.strip_chars().str.strip_chars("<>").str.strip_chars())
    df = df.with_columns(t=pl.when(t.str.to_lowercase().str.starts_with("mailto:")).then(t.str.slice(7)).otherwise(t))
    df = df.with_columns(t=t.str.strip_chars().str.to_lowercase())
    df = df.with_columns(t=pl.when(t.str.contains(_EMAIL.pattern)).then(t))
    df = df.with_columns(at=t.str.find("@", literal=True))  # a valid address has one "@"
    df = df.with_columns(local=t.str.head(at), domain=t.str.slice(at + 1))
    df = df.with_columns(plus=local.str.find("+", literal=True), gmail=domain.is_in(sorted(_GMAIL_DOMAINS)))
    df = df.with_columns(local=pl.when(pl.col("plus") > 0).then(local.str.head(pl.col("plus"))).otherwise(local))
    df = df.with_columns(undotted=local.str.replace_all(".", "", literal=True))
    df = df.with_columns(
        local=pl.when(pl.col("gmail") & (pl.col("undotted").str.len_bytes() > 0)).then(pl.col("undotted")).otherwise(local),
        domain=pl.when(pl.col("gmail")).then(pl.lit("gmail.com")).otherwise(domain),
    )
    return df.select(pl.concat_str([local, pl.lit("@"), domain]).alias(s.name)).to_series()


def email_match_key_expr(col: str | pl.Expr) -> pl.Expr:
    """Polars version of :func:`email_match_key` (same output for the same input), so a
    column of a million addresses is keyed in native code rather than a Python loop."""
    import polars as pl  # (here, not at the top: `kith show` never needs polars)

    e = pl.col(col) if isinstance(col, str) else col
    return e.map_batches(_email_match_key_series, return_dtype=pl.String, is_elementwise=True)


# --- phones -----------------------------------------------------------------------------

_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def phone_match_key(value: str | None) -> str | None:
    """The stored phone (see :func:`phone_value`) when it is E.164, else None.

    A number kept as written because no country was known (``030 123456``) is not
    comparable: the same digits are different lines in different countries.
    """
    if not value or value[0] != "+":
        return None
    return value if _E164.match(value) else None


def phone_match_key_expr(col: str | pl.Expr) -> pl.Expr:
    """Polars version of :func:`phone_match_key`."""
    import polars as pl  # (here, not at the top: `kith show` never needs polars)

    e = pl.col(col) if isinstance(col, str) else col
    return pl.when(e.str.contains(_E164.pattern)).then(e)


# --- person names -----------------------------------------------------------------------


class PersonName(NamedTuple):
    """A name split for matching. All parts are lower-case ASCII (see :func:`ascii_fold`).

    ``first``: given name (``jean pierre`` for Jean-Pierre); ``middle``: further given
    names or initials; ``last``: surname with its particles (``van der berg``), a hyphen
    read as a space (``garcia marquez``); ``last_core``: the surname without particles
    (``berg``), since exports disagree on whether particles belong to the surname;
    ``initials``: first letter of each given word and of ``last_core``; ``tokens``: every
    name word, given names first; ``nicknames``: names written in quotes or parentheses
    (``Robert "Bob" Smith``), alternates for the first name.
    """

    first: str | None = None
    middle: tuple[str, ...] = ()
    last: str | None = None
    initials: str = ""
    tokens: tuple[str, ...] = ()
    last_core: str | None = None
    nicknames: tuple[str, ...] = ()


_EMPTY_NAME = PersonName()

# Honorifics written before a name; removed only at the start (as long as a name remains).
_TITLES = frozenset("""
    mr mrs ms mss miss mx dr doctor prof professor sir dame lord lady rev revd reverend fr father
    hon mme mlle herr frau hr dott dottssa dra sra srta sr ing dipl med mag univ hc capt col gen
    maj lt sgt cmdr adm sheikh shaikh hrh
""".split())

# Post-nominals: removed at the end and in comma parts. CREDENTIALS plus more; "d" and "ph"
# are dropped from the single-word set ("Jane D" keeps its initial) and matched as "ph d".
_POSTNOMINALS = (CREDENTIALS | frozenset("""
    mpp mfa mres march barch lpc lcsw pcc acc mcc frm caia ccie cima fcca cipd chrp shrmcp
    shrmscp cscp cpsm gphr pmiacp csp cpcc ca cs hons obe mbe cbe kbe dbe qc kc frsa faia aia
    leed ap mvp ceng mice mimeche fiet pe cipm cipp cippe cippus ea cfe cgma aca fca icaew
""".split())) - {"d", "ph"}
# Post-nominals that are also names, known only when written in parts: "P.Eng." (Peng is a
# surname), "Ph.D." ("ph" and "d" alone are an initial's business).
_DOTTED_ONLY = frozenset({"phd", "peng"})

# Surname particles: a word among these just before the surname belongs to the surname.
_PARTICLES = frozenset("""
    van von der den de del della delle dei degli da das do dos di du la le lo las los ter ten te
    op het zu zum zur af av al el bin binti bint ibn ben bat abu ap y e st ste saint
""".split())

# Parenthesised or quoted words that are not nicknames.
_NOT_NICKNAMES = frozenset("he him his she her hers they them their xe ze nee geb born formerly".split())

_TAGLINE = re.compile(r"\s-+\s|[|*/\\~]")  # after transliteration: • is *, – and — are -
_NICKNAME = re.compile(r'"([^"]*)"|\(([^)]*)\)|\[([^\]]*)\]|(?:(?<=\s)|^)\'([^\']+)\'(?=\s|$)|<<(.*?)>>')
_APOSTROPHE = re.compile(r"['`]")
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_EAST_ASIAN = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]")
_EAST_ASIAN_ONLY = re.compile(
    "^[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f\\s·・]+$")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_KANA = re.compile("[\u3040-\u30ff]")

# Words are kept as written-word strings with their hyphens ("garcia-marquez"): one
# written word is one unit when deciding what is the surname, and is split at hyphens
# only when the PersonName is built.

# Every word that can end a post-nominal written with dots or spaces ("m b a", "ph d"):
# a name whose last word is not among these has nothing to strip, at the cost of a lookup.
_POSTNOMINAL_TAILS = frozenset(p[i:] for p in _POSTNOMINALS | _DOTTED_ONLY for i in range(len(p)))
_POSTNOMINAL_HEADS = frozenset(p[:i] for p in _POSTNOMINALS | _DOTTED_ONLY for i in range(1, len(p) + 1))
_NICK_CHARS = re.compile(r"[\"(\['<]")
_HAS_DIGIT = re.compile(r"[0-9]")


def _words(text: str) -> list[str]:
    """Words of transliterated lower-case text; apostrophes join (O'Brien → obrien), dots
    separate (J.Doe → j doe), digit-only words are dropped."""
    if "'" in text or "`" in text:
        text = _APOSTROPHE.sub("", text)
    words = _WORD.findall(text)
    if _HAS_DIGIT.search(text):
        # digit-only words and digit-only parts of hyphenated ones ("0-a" from "0·A") go
        words = ["-".join(part for part in w.split("-") if not part.isdigit()) for w in words]
        words = [w for w in words if w]
    return words


def _is_postnominal_run(words: list[str]) -> bool:
    """Whether the words are all post-nominals, dotted ones rejoined (``m b a``, ``ph d``)."""
    i, n = 0, len(words)
    if n == 0 or words[0].replace("-", "") not in _POSTNOMINAL_HEADS:
        return False
    while i < n:
        for j in range(min(n, i + 4), i, -1):
            joined = "".join(words[i:j]).replace("-", "")
            if joined in _POSTNOMINALS or (j - i > 1 and joined in _DOTTED_ONLY):
                i = j
                break
        else:
            return False
    return True


def is_postnominal(text: str | None) -> bool:
    """Whether ``text`` is post-nominals only, no name: ``P.Eng.``, ``PhD, MBA``, ``Ph.D.``
    (the part after the comma of "Saanvi Ramkar, P.Eng." is no first name)."""
    return bool(text) and _is_postnominal_run(_words(fold(text)))


def _strip_titles(words: list[str]) -> list[str]:
    if not words or words[0] not in _TITLES:
        return words
    i = 0
    while i < len(words) - 1 and words[i] in _TITLES:
        i += 1
    return words[i:]


def _strip_postnominals(words: list[str], keep: int = 1) -> list[str]:
    """Drop trailing post-nominals (``Jr``, ``III``, ``M.B.A.``) while ``keep`` words remain."""
    n = len(words)
    while n > keep and words[n - 1].replace("-", "") in _POSTNOMINAL_TAILS:
        for k in range(min(4, n - keep), 0, -1):
            joined = "".join(words[n - k:n]).replace("-", "")
            if joined in _POSTNOMINALS or (k > 1 and joined in _DOTTED_ONLY):
                n -= k
                break
        else:
            break
    return words[:n] if n < len(words) else words


_LEADING_CREDENTIALS = CREDENTIALS - {"d", "ph"}  # ("Smith, D. John": an initial; "ph d" joins to phd)


def _strip_leading_credentials(words: list[str]) -> list[str]:
    """Drop credentials in front of the given names of a "Last, First" name while a word
    remains: "Foxwell, PhD Haoran" is "Foxwell, PhD" and "Haoran" run together (a surname
    field with its credential, then the first-name field). Only the core CREDENTIALS, which
    are no one's given name (a rarer post-nominal like "Ea" is a Danish one)."""
    i = 0
    while len(words) - i > 1:
        for k in (1, 2, 3):  # (dotted: "ph d", "m b a")
            if len(words) - i - k >= 1 and "".join(words[i:i + k]).replace("-", "") in _LEADING_CREDENTIALS:
                i += k
                break
        else:
            break
    return words[i:] if i else words


def _extract_nicknames(text: str, found: list[str]) -> str:
    """Remove quoted/parenthesised parts from ``text``; keep single-word ones as nicknames
    (``Robert (Bob) Smith``), drop the rest (pronouns, maiden-name notes, credentials)."""
    if not _NICK_CHARS.search(text):
        return text

    def repl(m: re.Match[str]) -> str:
        inner = next(g for g in m.groups() if g is not None)
        words = _words(inner)
        if len(words) == 1:
            word = words[0].replace("-", " ")
            if word not in _NOT_NICKNAMES and word.replace(" ", "") not in _POSTNOMINALS:
                found.append(word)
        return " "

    return _NICKNAME.sub(repl, text)


_HYPHEN_PARTICLES = frozenset({"al", "el"})  # an article joined by a hyphen: Al-Sayed, El-Amin


def _particle_at(words: list[str], i: int) -> bool:
    """Whether the i-th part of surname ``words`` (hyphenated words counted by their
    parts) is a particle. The head of a hyphenated word is one only as an Arabic article:
    the Do of Do-ye (a Korean given name, in a name written surname first) or the Da of
    Da-eun is part of a name."""
    for word in words:
        parts = word.split("-")
        if i < len(parts):
            if len(parts) > 1 and i < len(parts) - 1:
                return parts[i] in _HYPHEN_PARTICLES
            return parts[i] in _PARTICLES
        i -= len(parts)
    return False


def _build(given: list[str], last: list[str], nicknames: list[str]) -> PersonName:
    if not given and not last:
        if nicknames:
            return PersonName(first=nicknames[0], initials=nicknames[0][0], tokens=tuple(nicknames[0].split()),
                              nicknames=tuple(nicknames))
        return _EMPTY_NAME
    if given:
        first = given[0]
        if "-" in first:
            first = first.replace("-", " ")
        middle = tuple(w.replace("-", " ") for w in given[1:]) if len(given) > 1 else ()
        given_words = " ".join(given).replace("-", " ").split(" ") if (len(given) > 1 or "-" in given[0]) else given
    else:
        first, middle, given_words = None, (), []
    if last:
        last_s = " ".join(last).replace("-", " ") if (len(last) > 1 or "-" in last[0]) else last[0]
        last_words = last_s.split(" ") if " " in last_s else [last_s]
        core = last_s
        if len(last_words) > 1 and _particle_at(last, 0):
            i = 1
            while i < len(last_words) - 1 and _particle_at(last, i):
                i += 1
            core = " ".join(last_words[i:])
        initials = "".join([w[0] for w in given_words]) + core[0]
    else:
        last_s = core = None
        last_words = []
        initials = "".join([w[0] for w in given_words])
    nick = tuple(dict.fromkeys(n for n in nicknames if n != first)) if nicknames else ()
    return PersonName(first, middle, last_s, initials, tuple(given_words + last_words), core, nick)


def _split_full(words: list[str]) -> tuple[list[str], list[str]]:
    """Given names and surname words of a name in written order (titles already off)."""
    n = len(words)
    if n <= 1:
        return words, []
    k = n - 1
    while k > 1 and words[k - 1] in _PARTICLES:
        k -= 1
    return words[:k], words[k:]


def _east_asian(text: str) -> PersonName | None:
    """Family-name-first parse of a name written only in Han/Hangul/Kana: ``王小明`` →
    first ``xiaoming``, last ``wang``, so it meets ``Xiaoming Wang`` and ``Wang, Xiaoming``.
    Without a space the family name is the first syllable (Hangul, or Han of 2–3 characters)
    or the first two (4 Han characters); kana names are not split. Best effort: anyascii
    reads kanji with Chinese readings (田中 → tianzhong, not tanaka)."""
    chunks = text.replace("·", " ").replace("・", " ").split()
    if not chunks:
        return None
    if len(chunks) >= 2:
        family, given = chunks[0], "".join(chunks[1:])
    else:
        c = chunks[0]
        if _KANA.search(c) or len(c) < 2:
            family, given = "", c
        elif _HANGUL.search(c):
            family, given = c[0], c[1:]
        elif len(c) <= 3:
            family, given = c[0], c[1:]
        elif len(c) == 4:
            family, given = c[:2], c[2:]
        else:
            family, given = "", c
    fam = _NON_ALNUM.sub("", _translit(family).lower())
    giv = _NON_ALNUM.sub("", _translit(given).lower())
    return _build([giv] if giv else [], [fam] if fam else [], [])


def _prep(text: str, nicknames: list[str]) -> str:
    return _extract_nicknames(_translit(text).lower(), nicknames)


def _name_parts(text: str) -> list[list[str]]:
    """Comma-separated parts of a prepared name that are not just post-nominals."""
    parts = [_words(p) for p in text.split(",")]
    return [p for p in parts if p and not _is_postnominal_run(p)]


@functools.lru_cache(maxsize=1 << 18)
def _parse_cached(full: str | None, first: str | None, last: str | None) -> PersonName:
    nicknames: list[str] = []
    has_first = bool(first and not first.isspace())
    has_last = bool(last and not last.isspace())
    if has_first and has_last:
        given = _strip_titles(_words(_prep(first, nicknames)))  # type: ignore[arg-type]
        last_text = _prep(last, nicknames)  # type: ignore[arg-type]
        if "," in last_text:  # "Božić, Ph.D."
            last_words = [w for part in _name_parts(last_text) for w in part]
        else:
            last_words = _words(last_text)
        last_words = _strip_postnominals(last_words)
        if not last_words:  # the whole last field was credentials
            given = _strip_postnominals(given)
        return _build(given, last_words, nicknames)
    if not full or full.isspace():
        if has_last:
            return _build([], _strip_postnominals(_strip_titles(_words(_prep(last, nicknames)))), nicknames)  # type: ignore[arg-type]
        if not has_first:
            return _EMPTY_NAME
        full = first
    assert full is not None
    if not full.isascii():
        full = unicodedata.normalize("NFKC", full)
        if _EAST_ASIAN.search(full) and _EAST_ASIAN_ONLY.match(full):
            return _east_asian(full) or _EMPTY_NAME
    text = _prep(full, nicknames)
    if _TAGLINE.search(text):
        text = _TAGLINE.split(text, 1)[0]
    if "," in text:
        parts = _name_parts(text)
        if not parts:
            return _build([], [], nicknames)
        head = parts[0]
        if len(parts) > 1 and len(head) <= 3 and not _is_postnominal_run(head) and text.split(",", 1)[0].strip():
            # "Last, First Middle": the surname came first
            given = _strip_postnominals(_strip_titles(_strip_leading_credentials(parts[1])))
            return _build(given, _strip_postnominals(_strip_titles(head)), nicknames)
        words = [w for p in parts for w in p]
    else:
        words = _words(text)
    words = _strip_postnominals(_strip_titles(words))
    given, last_words = _split_full(words)
    return _build(given, last_words, nicknames)


def parse_person_name(full: str | None, first: str | None = None, last: str | None = None) -> PersonName:
    """Split a person's name into comparable parts (see :class:`PersonName`). Never raises.

    Given both ``first`` and ``last`` fields, they are trusted (a surname like
    ``García Márquez`` stays whole); otherwise ``full`` (or a lone field) is parsed:
    ``Smith, Robert`` is surname-first unless what follows the comma is a credential
    (``Jane Doe, PhD``); titles in front (Dr., Prof., Mrs.) and post-nominals at the end
    (PhD, MBA, Jr., III) go; emoji and symbols go; a tagline after ``|`` or `` - `` goes;
    letters are transliterated (Łukasz → lukasz, Đặng → dang, Иван → ivan); words before
    the surname that are particles (van der, de la, bin, al-) stay with it; a name written
    only in CJK script is read family name first. Results are cached: exports repeat names.
    """
    try:
        return _parse_cached(full, first, last)
    except Exception:  # a name is never worth a crash; an unparseable one matches nothing
        return _EMPTY_NAME


# a-z → Soundex digit; vowels and y → "0" (they separate equal codes); h and w vanish
# (they do not separate); anything else vanishes.
_SOUNDEX_CODES = {i: None for i in range(128)}
_SOUNDEX_CODES.update(str.maketrans("abcdefgijklmnopqrstuvxyz", "012301202245501262301202"))
_SOUNDEX_LETTER = re.compile(r"[a-z]")
_SOUNDEX_REPEAT = re.compile(r"(\d)\1+")


@functools.lru_cache(maxsize=1 << 16)
def soundex(word: str) -> str:
    """American Soundex of an ASCII word (``Robert`` → ``r163``; ``Rupert`` too), the
    classic cheap phonetic code: spelling variants of a surname (Meyer/Maier,
    Smith/Smyth) share it. Non-letters are ignored; empty input gives ``""``."""
    word = word.lower()
    m = _SOUNDEX_LETTER.search(word)
    if m is None:
        return ""
    first = m.group()
    codes = word[m.start():].translate(_SOUNDEX_CODES)
    if first in "hw":  # no code of its own: keep a placeholder in the first letter's place
        codes = "x" + codes
    codes = _SOUNDEX_REPEAT.sub(r"\1", codes)
    return (first + codes[1:].replace("0", "") + "000")[:4]


_SOUNDEX_FROM = list("abcdefgijklmnopqrstuvxyz")
_SOUNDEX_TO = list("012301202245501262301202")


def soundex_expr(word: pl.Expr) -> pl.Expr:
    """:func:`soundex` of a column of words, computed by polars (a Python call per distinct
    surname took a second at a million records). ASCII words only: others give null (the
    caller asks :func:`soundex` for those)."""
    import polars as pl  # (here, not at the top: `kith show` never needs polars)

    lower = word.str.to_lowercase()
    tail = lower.str.extract(r"(?s)([a-z].*)$", 1)  # (from the first letter on)
    first = tail.str.head(1)
    # letters to digits; h, w and every other ASCII character vanish
    codes = tail.str.replace_all(r"[\x00-\x60\x7b-\x7f]|[hw]", "").str.replace_many(_SOUNDEX_FROM, _SOUNDEX_TO)
    codes = pl.when(first.is_in(["h", "w"])).then(pl.concat_str([pl.lit("x"), codes])).otherwise(codes)
    for digit in "0123456":
        codes = codes.str.replace_all(f"{digit}+", digit)
    out = pl.concat_str([first, codes.str.slice(1).str.replace_all("0", "", literal=True), pl.lit("000")]).str.head(4)
    return (pl.when(~lower.str.contains(r"^[\x00-\x7f]*$")).then(pl.lit(None, pl.String))
            .when(tail.is_null()).then(pl.lit("")).otherwise(out))


def name_blocking_keys(name: PersonName) -> list[str]:
    """Cheap keys for candidate generation: two records are compared only when they share
    one. Prefixes keep the kinds apart:

    - ``n:<surname>|<i>``: the particle-free surname with spaces removed (``vanderberg`` and
      ``van der Berg`` both give ``berg``; ``García Márquez``/``Garcia-Marquez`` give
      ``garciamarquez``) and a first initial; one key per initial of the first name's
      nickname variants, so Bob Smith and Robert Smith share ``n:smith|r``. Each word of a
      double surname also gets a key with the first name's own initial, so
      ``María García`` meets ``María García-Márquez``.
    - ``p:<soundex(surname)>|<i>``: catches spelling variants (Meyer/Maier).
    - ``t:<sorted words>``: all name words sorted, so ``Smith Robert`` meets
      ``Robert Smith`` (swapped fields).

    A name without a surname gets only the ``t:`` key: a first name alone blocks too much.
    """
    keys: list[str] = []
    core = name.last_core
    if core:
        first = name.first or ""
        own = first[:1]
        if " " in core:
            parts = core.split(" ")
            core = "".join(parts)
        else:
            parts = None
        if len(first) > 1 or name.nicknames:
            initials = {v[0] for v in first_name_variants(first)} if len(first) > 1 else set()
            initials.add(own)
            initials.update(n[0] for n in name.nicknames)
            keys.extend([f"n:{core}|{i}" for i in sorted(initials)])
        else:
            keys.append(f"n:{core}|{own}")
        if parts:
            keys.extend([f"n:{p}|{own}" for p in parts if p not in _PARTICLES])
        keys.append(f"p:{soundex(core)}|{own}")
    if name.tokens:
        keys.append("t:" + " ".join(sorted(name.tokens)))
    return keys


# --- companies --------------------------------------------------------------------------

# Legal-form words removed from the end of a company name (after punctuation is gone, so
# "S.p.A." is "spa" and "A/S" is "as"). Only at the end: "AB InBev" keeps its AB.
_LEGAL_SUFFIXES = frozenset("""
    inc incorporated llc llp lp lllp pllc ltd limited gmbh mbh ag kg kgaa ohg ug ev gbr ab as
    asa aps oy oyj sa sas sasu sarl sca snc sl slu srl spa sapa bv nv vof kk co corp corporation
    company companies plc pty pte bhd sdn pvt ltda lda sab cv se sro doo kft zrt nyrt bt ad ood
    eood jsc ojsc pjsc zao oao ooo tov pp cic lc
""".split())
_LEGAL_PHRASES = (("sp", "z", "oo"), ("sp", "zoo"), ("s", "de", "rl"), ("de", "cv"))
_CONNECTORS = frozenset(("and", "de", "en", "und", "et", "y"))
_NOT_EMPLOYERS = frozenset(" ".join(w.split()) for w in ("""
    self-employed|selfemployed|self employed|self|freelance|freelancer|freelancing|independent|
    independent consultant|independent contractor|retired|stealth|stealth startup|stealth mode|
    stealth mode startup|stealth startup company|none|na|n a|unemployed|not employed|private|
    confidential|various|student|looking for opportunities|open to work|career break|sabbatical|
    own business|my own company|entrepreneur
""".split("|")) if w.strip())
_SLASH_PAIR = re.compile(r"\b([a-z])\s*/\s*([a-z])\b")
_JOINERS = re.compile(r"[.'`]")
_LEGAL_PHRASE_TAILS = frozenset(p[-1] for p in _LEGAL_PHRASES)


def _company_tokens(tokens: list[str]) -> list[str]:
    """The token rules, in an order that makes one pass enough (outputs are fixed points):
    single-letter runs merge first ("I B M" → ibm, "S A" → sa), then leading "the" words go,
    then legal forms are popped from the end; popping from the end never makes two
    surviving words adjacent, so nothing new to merge appears."""
    if len(tokens) > 1 and any(len(t) == 1 for t in tokens):
        merged: list[str] = []
        run = ""
        for t in tokens:
            if len(t) == 1 and t.isalpha():
                run += t
                continue
            if run:
                merged.append(run)
                run = ""
            merged.append(t)
        if run:
            merged.append(run)
        tokens = merged
    if tokens and tokens[0] == "the":
        while len(tokens) > 1 and tokens[0] == "the":
            tokens = tokens[1:]
    while len(tokens) > 1:
        tail = tokens[-1]
        if tail in _LEGAL_SUFFIXES or tail == "and":
            tokens = tokens[:-1]
        elif tail in _CONNECTORS and len(tokens) > 2 and tokens[-2] in _LEGAL_SUFFIXES:
            tokens = tokens[:-2]
        elif tail in _LEGAL_PHRASE_TAILS:
            for phrase in _LEGAL_PHRASES:
                if len(tokens) > len(phrase) and tuple(tokens[-len(phrase):]) == phrase:
                    tokens = tokens[:-len(phrase)]
                    break
            else:
                break
        else:
            break
    return tokens


@functools.lru_cache(maxsize=1 << 18)
def company_key(company: str | None) -> str | None:
    """An employer name in the form its spellings share: ``ACME Corp.``, ``Acme, Inc`` and
    ``acme`` all give ``acme``.

    Transliterated and lowercased, ``&`` read as "and", punctuation removed (dots and
    apostrophes join: ``S.p.A.`` → spa, ``McDonald's`` → mcdonalds; ``A/S`` → as; other
    punctuation separates), a leading "The" and trailing legal forms (Inc, LLC, GmbH, A/S,
    S.A., K.K., Co., Corporation, Company, Pty Ltd, ...) dropped; at least one word is kept.
    Non-employers (Self-employed, Freelance, Independent, Retired, Stealth, ...) give None:
    they say nothing about who the person is. Outputs are fixed points.
    """
    if not company:
        return None
    text = _translit(company).lower()
    if "&" in text or "+" in text:
        text = text.replace("&", " and ").replace("+", " and ")
    if "." in text or "'" in text or "`" in text:
        text = _JOINERS.sub("", text)
    if "/" in text:
        text = _SLASH_PAIR.sub(r"\1\2", text)
    key = " ".join(_company_tokens(_NON_ALNUM.sub(" ", text).split()))
    if not key or key in _NOT_EMPLOYERS:
        return None
    return key


def map_unique_expr(expr: str | pl.Expr, fn: Callable[[str], str | None]) -> pl.Expr:
    """A polars expression applying a Python key function once per *distinct* value.

    Company names, first names and full names repeat heavily across a million records, so
    mapping the uniques and broadcasting back is far cheaper than a per-row Python call.
    """
    import polars as pl  # (here, not at the top: `kith show` never needs polars)

    e = pl.col(expr) if isinstance(expr, str) else expr

    def run(s: pl.Series) -> pl.Series:
        uniq = s.drop_nulls().unique()
        if uniq.len() == 0:
            return pl.Series(s.name, [None] * s.len(), dtype=pl.String)
        mapped = pl.Series([fn(v) for v in uniq.to_list()], dtype=pl.String)
        return s.replace_strict(uniq, mapped, default=None, return_dtype=pl.String)

    return e.map_batches(run, return_dtype=pl.String)


def company_key_expr(col: str | pl.Expr) -> pl.Expr:
    """Polars version of :func:`company_key`, computed once per distinct name."""
    return map_unique_expr(col, company_key)
