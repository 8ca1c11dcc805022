"""The temporary Prefect server a flow command runs on when no server is running.

Prefect starts its own temporary (ephemeral) server the moment a flow first needs its API,
and to start it, it imports its whole server package into kith's process just for the
class that launches the subprocess (~4 s of CPU here), then waits while the subprocess
imports the same package again (~4 s): the two run one after the other. kith launches the
same server itself (the command Prefect uses, in ephemeral mode: no UI, no background
services) before Prefect is even imported, and waits for it only when the flow starts, so
the server starts while kith imports Prefect and the pipeline, and kith's process never
imports Prefect's server at all. It stops when kith exits (and with kith when kith is
killed outright: see flows/server_guard.py).
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import time

STARTUP_TIMEOUT_SECONDS = 120.0  # a loaded two-core machine has needed ~15 s
POLL_SECONDS = 0.05
STOP_SECONDS = 5.0

EPHEMERAL_ENV = {  # as Prefect's own SubprocessASGIServer sets them
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT__SERVER_FINAL": "1",
}


class ServerFailed(RuntimeError):
    """The temporary server stopped or did not answer in time."""


def free_port() -> int:
    """A port nobody listens on now (the kernel's pick, not a guess)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(port: int) -> list[str]:
    """Prefect's own command for its temporary server."""
    return [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"]


class TemporaryServer:
    """One Prefect server in ephemeral mode, started at once and waited for on demand."""

    def __init__(self, port: int | None = None) -> None:
        from flows.prefect_env import guarded

        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
        self.process = subprocess.Popen(guarded(server_command(self.port)), env={**env, **EPHEMERAL_ENV})
        self.ready = False
        atexit.register(self.stop)  # registered before Prefect's own exit hooks, so it runs after them

    def wait(self, timeout: float = STARTUP_TIMEOUT_SECONDS) -> str:
        """The API URL, once the server answers."""
        from flows.prefect_env import answers

        deadline = time.monotonic() + timeout
        while not self.ready:
            if self.process.poll() is not None:
                raise ServerFailed(f"the temporary Prefect server stopped at start-up (exit {self.process.returncode})")
            if time.monotonic() > deadline:
                raise ServerFailed(f"the temporary Prefect server did not answer within {timeout:.0f} s")
            self.ready = answers(self.url, timeout=1.0)
            if not self.ready:
                time.sleep(POLL_SECONDS)
        return self.url

    def stop(self) -> None:
        """Stop it the way Ctrl-C would (it closes its database), killing it if it hangs."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_server: TemporaryServer | None = None


def started() -> bool:
    """Has this process started a temporary server (which may be the API URL now set)?"""
    return _server is not None


def start() -> TemporaryServer:
    """This process's temporary server, started on the first call; one that died (a long
    ``kith watch``) is started again on the same port, the address Prefect has read."""
    global _server
    if _server is None or _server.process.poll() is not None:
        _server = TemporaryServer(_server.port if _server else None)
    return _server
