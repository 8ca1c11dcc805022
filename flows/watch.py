"""Watching the inbox: new exports are ingested once each, when completely written.

Polling, not file-system events: a browser writes a download under a temporary name and
renames it, a sync client writes in bursts, and network or synced folders often send no
events at all. A file is ready when its size and modification time have not changed for
``settle_seconds`` across scans. A file that fails to load is moved to ``failed/`` inside
the inbox with its error beside it, so it is not retried forever and the user sees why.
"""

from __future__ import annotations

import shutil
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from flows.sources import discover, sha256_of

# names browsers and editors give files still being written, and files that are not exports
PARTIAL_SUFFIXES = (".part", ".crdownload", ".download", ".tmp", ".partial", ".swp")
FAILED_DIR = "failed"


@dataclass
class InboxWatcher:
    inbox: Path
    settle_seconds: float = 2.0
    clock: Callable[[], float] = time.monotonic
    _seen: dict[Path, tuple[int, float, float]] = field(default_factory=dict)  # path -> size, mtime, first seen so
    _done: dict[Path, tuple[int, float]] = field(default_factory=dict)  # path -> size, mtime when handed over

    def candidates(self) -> Iterable[Path]:
        if not self.inbox.is_dir():
            return []
        return sorted(p for p in self.inbox.rglob("*")
                      if p.is_file() and FAILED_DIR not in p.relative_to(self.inbox).parts[:1]
                      and not p.name.startswith((".", "~$")) and not p.name.lower().endswith(PARTIAL_SUFFIXES))

    def ready(self) -> list[Path]:
        """Files that are new (or changed) and have stopped changing; each is returned once."""
        now = self.clock()
        ready = []
        present = set()
        for path in self.candidates():
            present.add(path)
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            state = (stat.st_size, stat.st_mtime)
            if self._done.get(path) == state:
                continue
            seen = self._seen.get(path)
            if seen is None or seen[:2] != state:
                self._seen[path] = (*state, now)  # new, or still being written: start the clock again
                continue
            if now - seen[2] >= self.settle_seconds and stat.st_size > 0:
                ready.append(path)
                self._done[path] = state
                del self._seen[path]
        for gone in set(self._seen) - present:
            del self._seen[gone]
        return ready


def not_yet_ingested(paths: list[Path], known_digests: set[str]) -> tuple[list[Path], list[Path]]:
    """Split ready files into (new, already ingested). A file whose every source (itself, or
    each member of an archive) is already stored byte for byte needs no flow run: a watcher
    that cron starts every few minutes then finds "nothing new" without starting Prefect.
    A file that cannot be read goes to the flow, which reports the error itself."""
    new, known = [], []
    for path in paths:
        try:
            digests = {sha256_of(source) for source in discover([path])}  # in chunks: a mailbox can be GBs
        except (OSError, ValueError, zipfile.BadZipFile):
            digests = set()
        (known if digests and digests <= known_digests else new).append(path)
    return new, known


def move_aside(inbox: Path, source: Path, error: str) -> Path:
    """Put a file that failed into ``inbox/failed/`` with ``<name>.error.txt`` beside it."""
    target_dir = inbox / FAILED_DIR
    target_dir.mkdir(mode=0o700, exist_ok=True)
    target = target_dir / source.name
    n = 1
    while target.exists():
        n += 1
        target = target_dir / f"{source.stem} ({n}){source.suffix}"
    shutil.move(str(source), target)
    note = target.with_name(target.name + ".error.txt")
    note.write_text(f"kith could not load {source.name}:\n{error}\n", encoding="utf-8")
    note.chmod(0o600)
    return target


def set_failed_aside(inbox: Path, reports: list[dict]) -> list[Path]:
    """Move every file whose report failed (a plain file in the inbox) aside; returns where to."""
    moved = []
    for report in reports:
        if report.get("status") != "failed" or "!" in report["source"]:
            continue  # a member of an archive: the archive itself may be fine otherwise
        source = Path(report["source"])
        if source.exists() and inbox in source.parents:
            moved.append(move_aside(inbox, source, report.get("error") or "failed"))
    return moved
