"""Finding export files: plain files, folders (recursively) and archives such as the
LinkedIn export ``.zip``, each member of which is a source of its own."""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

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
