"""Who the user is, as far as their exports tell: the one type every part of kith shares.

Its own module, without polars, so the commands that only read settings or the database
(``kith config``, ``review``, ``merge``, ``show``) do not import polars for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Owner:
    """Who exported the file, as far as the file tells."""

    names: set[str] = field(default_factory=set)
    linkedin_slugs: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)

    def update(self, other: "Owner") -> None:
        self.names |= other.names
        self.linkedin_slugs |= other.linkedin_slugs
        self.emails |= other.emails

    def identities(self) -> list[tuple[str, str]]:
        """(kind, value) pairs, sorted, for storage."""
        pairs = [("name", v) for v in self.names]
        pairs += [("linkedin_slug", v) for v in self.linkedin_slugs]
        pairs += [("email", v) for v in self.emails]
        return sorted(pairs)
