"""First-name equivalence (Bob ↔ Robert, Liz ↔ Elizabeth) from the ``nicknames`` package.

The package's data (carltonnorthern/nicknames, ~2,700 English name pairs) is a graph in
which many names are both a nickname and a "canonical" name (``bill`` has nickname
``william`` *and* ``william`` has nickname ``bill``). Matching two names because they share
*any* related name would chain unrelated people through hubs: Fred and William both relate
to "will"/"billy". So a name's *variants* are the name itself plus the related names that
are at least as long as it (its fuller, formal forms), and two first names are equivalent
when their variant sets meet: ``bobby`` and ``rob`` meet at ``robert``; ``fred`` and
``william`` do not meet.

Names here are already folded to lower-case ASCII, as the dataset is; the public
``first_name_variants``/``same_first_name`` in :mod:`transforms.normalize` fold first
(``Zoë`` → ``zoe``). This module depends on nothing else in kith, so there is no cycle.
"""

from __future__ import annotations

from functools import lru_cache

from nicknames import NickNamer

__all__ = ["nickname_table", "same_first_key", "short_forms_of", "variants_of_key"]


# Diminutives the English dataset lacks, in languages whose short forms are everyday use
# (formal name: its short forms), all lower-case ASCII as the dataset is.
OTHER_LANGUAGES: dict[str, tuple[str, ...]] = {
    # Russian / Ukrainian
    "aleksandr": ("sasha", "sanya", "shura"), "alexander": ("sasha",), "aleksandra": ("sasha", "sanya"),
    "alexandra": ("sasha",), "aleksei": ("lyosha", "alyosha"), "alexei": ("lyosha", "alyosha"),
    "anastasia": ("nastya", "asya"), "dmitry": ("dima", "mitya"), "dmitri": ("dima", "mitya"),
    "ekaterina": ("katya", "katia"), "yekaterina": ("katya",), "irina": ("ira",), "ivan": ("vanya",),
    "mikhail": ("misha",), "natalia": ("natasha",), "natalya": ("natasha",), "nikolai": ("kolya",),
    "olga": ("olya",), "pavel": ("pasha",), "sergei": ("seryozha", "serezha"), "svetlana": ("sveta",),
    "tatiana": ("tanya",), "tatyana": ("tanya",), "vladimir": ("volodya", "vova"),
    "yevgeny": ("zhenya",), "evgeny": ("zhenya",), "yulia": ("yulya",), "ksenia": ("ksyusha",),
    # Spanish / Portuguese / Italian
    "jose": ("pepe", "chema"), "francisco": ("paco", "pancho", "chico"), "ignacio": ("nacho",),
    "enrique": ("quique",), "dolores": ("lola",), "concepcion": ("concha",), "guadalupe": ("lupe",),
    "manuel": ("manolo",), "rosario": ("charo",), "giuseppe": ("beppe", "peppe"), "antonio": ("toni", "tonio"),
    "joao": ("joaozinho",), "goncalo": ("gonca",),
    # German / Dutch / Nordic
    "katharina": ("kathi", "kati", "katrin"), "maximilian": ("max", "maxi"), "johannes": ("hannes", "hans"),
    "josef": ("sepp", "seppi"), "stefanie": ("steffi",), "ulrich": ("uli",), "wolfgang": ("wolf",),
    "friederike": ("frieda", "rike"), "matthias": ("thys", "matze"), "christoph": ("chris",),
    "gudrun": ("gudda",), "ingrid": ("inga",),
    # French
    "francois": ("francis", "franck"), "dominique": ("dom",), "guillaume": ("guillou",),
}


@lru_cache(maxsize=1)
def nickname_table() -> dict[str, frozenset[str]]:
    """Name → its formal forms (the related names at least as long as it), built once.

    Loaded lazily: reading the package's CSV costs a few milliseconds, and a process that
    never compares first names should not pay it.
    """
    namer = NickNamer()
    table: dict[str, frozenset[str]] = {}
    for name, related in namer.canonical_lookup.items():
        longer = frozenset(r for r in related if len(r) >= len(name) and r != name)
        if longer:
            table[name] = longer
    for formal, shorts in OTHER_LANGUAGES.items():
        for short in shorts:
            table[short] = table.get(short, frozenset()) | {formal}
    return table


@lru_cache(maxsize=1)
def _short_forms() -> dict[str, frozenset[str]]:
    """Formal name → the names that have it as a fuller form (nickname_table reversed)."""
    shorts: dict[str, set[str]] = {}
    for short, formal in nickname_table().items():
        for f in formal:
            shorts.setdefault(f, set()).add(short)
    return {f: frozenset(s) for f, s in shorts.items()}


def short_forms_of(key: str) -> frozenset[str]:
    """The names of which an already folded first name is a fuller form (patricia: pat,
    patty, trish, ...)."""
    return _short_forms().get(key, frozenset())


@lru_cache(maxsize=1 << 16)
def variants_of_key(key: str) -> frozenset[str]:
    """The variants of an already folded first name (lower-case ASCII): itself plus its
    fuller forms. :func:`transforms.normalize.first_name_variants` folds and calls this."""
    if not key:
        return frozenset()
    return frozenset((key,)) | nickname_table().get(key, frozenset())


def same_first_key(ka: str, kb: str) -> bool:
    """Whether two folded first names can belong to one person: equal, one a one-letter
    initial of the other, nickname variants that meet, or (multi-word names such as
    ``jean pierre``) first words that match by these rules, when the second words do not
    differ (Jean Pierre ~ Jean, not ~ Jean Luc). Empty names never match."""
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if len(ka) == 1 or len(kb) == 1:
        return ka[0] == kb[0]
    if not variants_of_key(ka).isdisjoint(variants_of_key(kb)):
        return True
    wa, wb = ka.split(" ", 1)[0], kb.split(" ", 1)[0]
    if (wa, wb) != (ka, kb):
        if " " in ka and " " in kb:  # two given names each: the second ones must agree too
            ra, rb = ka.split(" ", 1)[1], kb.split(" ", 1)[1]
            if ra != rb and ra[0] != rb[0]:
                return False
        return wa == wb or not variants_of_key(wa).isdisjoint(variants_of_key(wb))
    return False
