"""What the user told kith about who is who, as resolution takes it.

``kith merge``, ``kith split`` and ``kith review`` store rules on pairs of source records;
every resolution run applies them, so they survive re-ingest and rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rules:
    same: list[tuple[int, int]] = field(default_factory=list)  # record_id pairs: one person
    different: list[tuple[int, int]] = field(default_factory=list)  # record_id pairs: never one person
