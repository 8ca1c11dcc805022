"""Settings that make Prefect's embedded (ephemeral) mode reliable and quiet for kith.

Prefect reads ``prefect.toml`` only from the working directory, so kith sets its
defaults as environment variables before Prefect is imported. A variable the user has
set always wins, and a configured ``PREFECT_API_URL`` (a real server) is used as is.
"""

from __future__ import annotations

import logging
import os
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


def configure(verbose: bool = False) -> None:
    """Set kith's Prefect defaults. Call before the first ``import prefect``."""
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
