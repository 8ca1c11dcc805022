"""Where kith keeps things: the database, the inbox, the outputs, the bundled sample."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO_ROOT / "data" / "sample"
SAMPLE_RUN_DIR = REPO_ROOT / "data" / "sample-run"
DEFAULT_DB = Path("data") / "kith.duckdb"


@dataclass(frozen=True)
class Paths:
    db: Path
    inbox: Path
    out: Path

    @classmethod
    def for_db(cls, db: Path | None, inbox: Path | None = None, out: Path | None = None) -> "Paths":
        """The inbox and out folders live beside the database unless given."""
        db = Path(db or os.environ.get("KITH_DB") or DEFAULT_DB)
        return cls(db=db, inbox=Path(inbox or db.parent / "inbox"), out=Path(out or db.parent / "out"))

    @classmethod
    def sample(cls) -> "Paths":
        """The bundled synthetic export, in a database of its own."""
        return cls(db=SAMPLE_RUN_DIR / "kith.duckdb", inbox=SAMPLE_DIR / "inbox", out=SAMPLE_RUN_DIR / "out")


SAMPLE_CONFIG = SAMPLE_DIR / "kith.toml"


def sample_as_of() -> date:
    """The sample is a snapshot: it is scored as of the day its export was made."""
    manifest = json.loads((SAMPLE_DIR / "manifest.json").read_text(encoding="utf-8"))
    return date.fromisoformat(manifest["as_of"])
