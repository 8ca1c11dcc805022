"""Finding export files: plain files, folders (recursively) and archives such as the
LinkedIn export ``.zip``, each member of which is a source of its own."""

from __future__ import annotations

import hashlib
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO, Iterator

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
_EXPORT_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})")  # Basic_LinkedInDataExport_11-16-2026


@dataclass(frozen=True)
class Source:
    path: Path  # the file, or the archive holding it
    member: str | None = None  # path inside the archive
    explicit: bool = False  # named on the command line (not found in a folder or archive)

    @property
    def display(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    @property
    def name(self) -> str:
        return Path(self.member).name if self.member else self.path.name

    def read_bytes(self) -> bytes:
        if self.member is None:
            return self.path.read_bytes()
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(self.member)

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """The file as a binary stream (a zip member is decompressed as it is read)."""
        if self.member is None:
            with open(self.path, "rb") as handle:
                yield handle
        else:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
                yield handle

    def chunks(self, size: int = 8 << 20) -> Iterator[bytes]:
        """The file's bytes, ``size`` at a time: a multi-GB mailbox never sits in memory."""
        with self.open() as handle:
            while True:
                data = handle.read(size)
                if not data:
                    return
                yield data

    def head(self, size: int = 64 << 10) -> bytes:
        with self.open() as handle:
            return handle.read(size)

    @property
    def size(self) -> int:
        if self.member is None:
            return self.path.stat().st_size
        with zipfile.ZipFile(self.path) as archive:
            return archive.getinfo(self.member).file_size

    @property
    def exported_on(self) -> date | None:
        """The export date LinkedIn puts in the archive or folder name, if any."""
        for part in [self.member or "", *reversed(self.path.parts)]:
            match = _EXPORT_DATE.search(part)
            if match:
                month, day, year = map(int, match.groups())
                try:
                    return date(year, month, day)
                except ValueError:
                    return None
        return None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of(source: Source) -> str:
    """The digest of a file read in chunks (a mailbox of many GB)."""
    digest = hashlib.sha256()
    for chunk in source.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def discover(paths: list[Path]) -> list[Source]:
    """Every candidate file under ``paths``, in a stable order. Missing paths raise."""
    found: list[Source] = []
    for given in paths:
        path = Path(given).expanduser().resolve()
        if not path.exists():
            raise FileNotFoundError(f"{given}: no such file or folder")
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.name in SKIP_NAMES or any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                found.extend(_expand(child, explicit=False))
        else:
            found.extend(_expand(path, explicit=True))
    return found


def _expand(path: Path, explicit: bool) -> list[Source]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = sorted(
                info.filename for info in archive.infolist()
                if not info.is_dir() and not info.filename.startswith("__MACOSX/")
                and Path(info.filename).name not in SKIP_NAMES
            )
        return [Source(path, member) for member in members]
    return [Source(path, explicit=explicit)]
