"""Settings that make Prefect's embedded (ephemeral) mode reliable and quiet for kith.

Prefect reads ``prefect.toml`` only from the working directory, so kith sets its
defaults as environment variables before Prefect is imported. A variable the user has
set always wins, and a server the user configured (``PREFECT_API_URL`` in the environment,
a ``.env``, ``prefect.toml`` or ``pyproject.toml`` in the working directory, or the active
profile) is used as is: kith starts no server of its own then, and uses no kith serve's.

When ``kith serve`` is running, its server is used by every flow command without the user
setting anything: serve leaves its address in ``kith-server.json`` in kith's Prefect home,
and a command that finds the file, the serve process alive and the server answering uses it
(the temporary server costs ~8 s a run here). A stale file falls back to the temporary one.

Otherwise kith starts that temporary server itself, before Prefect is imported, so it starts
while kith imports Prefect and the pipeline (see flows/temporary_server.py).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tomllib
import urllib.request
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

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


SERVER_FILE = "kith-server.json"
PROBE_SECONDS = 0.5  # how long a command waits for kith serve's server to answer before going on without it


def server_file() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or prefect_home()) / SERVER_FILE


def announce_server(url: str) -> Path:
    """Tell later commands where this process's server listens (kith serve)."""
    path = server_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(f".{path.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"url": url, "pid": os.getpid()}, handle)
    os.replace(partial, path)
    return path


def withdraw_server() -> None:
    """Forget the announcement, if it is this process's."""
    path = server_file()
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass


def running_server() -> str | None:
    """The API URL of a kith serve that is running and answering, else None."""
    try:
        known = json.loads(server_file().read_text(encoding="utf-8"))
        url, pid = str(known["url"]), int(known["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None  # serve is gone: its file is stale
    except PermissionError:
        pass  # alive, another user's (the health check decides)
    return url if answers(url) else None


def answers(url: str, timeout: float = PROBE_SECONDS) -> bool:
    """Does a Prefect server answer at ``url`` (its /health says true)?"""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health", timeout=timeout) as response:  # noqa: S310
            return response.status == 200 and response.read(16).strip() == b"true"
    except (OSError, ValueError):
        return False


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


def configured_api_url(folder: Path | None = None) -> str | None:
    """The server address the user gave Prefect outside the environment, where Prefect 3
    reads one: a ``.env``, ``prefect.toml`` or ``pyproject.toml`` ([tool.prefect]) in the
    working directory (``folder``), or the active profile of the Prefect home. Read without
    importing Prefect, so that kith can start its own server while Prefect loads."""
    folder = folder or Path.cwd()
    url = _dotenv_value(folder / ".env", "PREFECT_API_URL")
    url = url or _toml_value(folder / "prefect.toml", ("api", "url"))
    url = url or _toml_value(folder / "pyproject.toml", ("tool", "prefect", "api", "url"))
    profiles_path = os.environ.get("PREFECT_PROFILES_PATH") or str(
        Path(os.environ.get("PREFECT_HOME") or prefect_home()) / "profiles.toml")
    profiles = _toml(Path(profiles_path))
    profile = os.environ.get("PREFECT_PROFILE") or profiles.get("active")
    if not url and isinstance(profile, str):
        url = _toml_value(Path(profiles_path), ("profiles", profile, "PREFECT_API_URL"))
    return url or None


def _toml(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return {}  # (unreadable: Prefect will say so itself)


def _toml_value(path: Path, keys: tuple[str, ...]) -> str | None:
    value = _toml(path)
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) and value else None


def _dotenv_value(path: Path, name: str) -> str | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        key, sep, value = line.partition("=")
        if sep and key.strip().removeprefix("export ").strip() == name:
            return value.strip().strip("'\"") or None
    return None


def use_temporary_server():
    """Start kith's temporary server unless a server is configured or running (call after
    ``configure`` and before ``import prefect``); the flow waits for it with ``.wait()``."""
    from flows import temporary_server

    if not temporary_server.started() and (os.environ.get("PREFECT_API_URL") or configured_api_url()):
        return None
    server = temporary_server.start()
    os.environ["PREFECT_API_URL"] = server.url
    return server


_on_serves_server = False  # set by configure() when it found a running kith serve


def on_serves_server() -> bool:
    """Whether ``configure`` pointed Prefect at a running ``kith serve``'s server (not at
    one the user configured)."""
    return _on_serves_server


@contextmanager
def without_heartbeats() -> Iterator[None]:
    """Flow runs inside send no heartbeats. For runs a command starts on a server kith
    started (its temporary one, or kith serve's): heartbeats let a server tell a crashed run
    from a running one, which only an automation the user sets up acts on, and kith's
    servers have none (the temporary one even ends with the run); and Prefect's heartbeat
    thread sleeps in one-second steps, so it held up the end of every run by up to a second
    (0.4-0.8 s measured). Runs on a server the user configured keep them, and so do the
    scheduled runs kith serve starts itself."""
    from prefect.settings import temporary_settings

    with temporary_settings(updates={"flows.heartbeat_frequency": None}):
        yield


def configure(verbose: bool = False) -> None:
    """Set kith's Prefect defaults. Call before the first ``import prefect``."""
    global _on_serves_server
    guard_temporary_server()
    if "PREFECT_HOME" not in os.environ:
        home = prefect_home()
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.environ["PREFECT_HOME"] = str(home)
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    if "PREFECT_API_URL" not in os.environ and not configured_api_url():
        url = running_server()
        if url:
            os.environ["PREFECT_API_URL"] = url
            _on_serves_server = True
    if verbose:
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
        return
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="prefect")
