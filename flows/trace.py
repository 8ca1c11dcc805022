"""Progress marks for the fault-injection check (bench/fault_injection.py).

With ``KITH_TRACE`` set to a file, each mark appends one line, ``<seconds> <what>``, as the
step starts, so a check that kills kith at some moment can say what the kill interrupted.
Without it a mark costs one dictionary look-up.
"""

from __future__ import annotations

import os
import time


def mark(event: str) -> None:
    path = os.environ.get("KITH_TRACE")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as trace:
        trace.write(f"{time.time():.4f} {os.getpid()} {event}\n")
