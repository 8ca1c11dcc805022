"""Settings that make Prefect's embedded (ephemeral) mode reliable and quiet for kith.

Prefect reads ``prefect.toml`` only from the working directory, so kith sets its
defaults as environment variables before Prefect is imported. A variable the user has
set always wins, and a configured ``PREFECT_API_URL`` (a real server) is used as is.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_TO_API_ENABLED": "false",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
}

QUIET_LOGGERS = ("prefect", "httpx", "uvicorn", "uvicorn.error", "uvicorn.access", "alembic", "docket",
                 "sqlalchemy", "aiosqlite", "apprise")


def prefect_home() -> Path:
    """kith's own Prefect home, so its run history does not mix with other projects'."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "kith" / "prefect"


def guarded(args: list[str]) -> list[str]:
    """The command line of a server that dies with this process (see flows/server_guard.py)."""
    return [sys.executable, "-m", "flows.server_guard", str(os.getpid()), *args[1:]]


def _is_temporary_server(args: object) -> bool:
    """Prefect's ephemeral server: ``python -m uvicorn ... prefect.server.api.server:create_app``."""
    return (isinstance(args, list) and len(args) > 3 and args[1:3] == ["-m", "uvicorn"]
            and any(str(a).startswith("prefect.server.api.server:") for a in args))


class _GuardedPopen(subprocess.Popen):
    """subprocess.Popen that starts Prefect's temporary server through the guard and leaves
    every other command as it is. Prefect builds that command inside a private method
    (SubprocessASGIServer._run_uvicorn_command), so the guard is put at the one public seam
    it calls, instead of in a copy of Prefect's code."""

    def __init__(self, args, *rest, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(guarded(args) if _is_temporary_server(args) else args, *rest, **kwargs)


def guard_temporary_server() -> None:
    """Make the temporary Prefect server die with kith, even when kith is killed outright."""
    if os.name == "posix" and subprocess.Popen is not _GuardedPopen:
        subprocess.Popen = _GuardedPopen  # type: ignore[misc]


def configure(verbose: bool = False) -> None:
    """Set kith's Prefect defaults. Call before the first ``import prefect``."""
    guard_temporary_server()
    if "PREFECT_HOME" not in os.environ:
        home = prefect_home()
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.environ["PREFECT_HOME"] = str(home)
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    if verbose:
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
        return
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="prefect")
