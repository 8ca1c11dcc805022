"""``kith serve``: keep the weekly flow on a schedule with Prefect's own scheduler.

Prefect's ephemeral (embedded) server cannot schedule ("Cannot schedule flows on an
ephemeral server") and workers need ``PREFECT_API_URL``. So when no server is configured,
kith starts a local one (``prefect server start``), waits until it answers, serves the
deployment against it and stops it on exit. With ``PREFECT_API_URL`` set (your own server
or Prefect Cloud), that server is used and left alone.

The schedule carries the user's time zone: ``serve(cron=...)`` alone would run in UTC.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

DEPLOYMENT = "kith-weekly"
LOCAL_PORT = 4242  # not Prefect's default 4200, so a server the user runs is not disturbed


def local_timezone() -> str:
    """The machine's IANA zone name (for the schedule), UTC when it cannot be told."""
    tz = os.environ.get("TZ")
    if tz and "/" in tz:
        return tz.lstrip(":")
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "UTC"


def weekly_schedule(cron: str, timezone: str | None):
    """A Prefect Cron schedule in the user's time zone."""
    from prefect.schedules import Cron

    return Cron(cron, timezone=timezone or local_timezone())


def weekly_deployment(parameters: dict, cron: str, timezone: str | None):
    """The weekly flow as a deployment with its schedule (no server needed to build it)."""
    from flows.pipeline import weekly_flow

    return weekly_flow.to_deployment(
        name=DEPLOYMENT, schedules=[weekly_schedule(cron, timezone)], parameters=parameters,
        description="kith's weekly reconnect list: ingest the inbox, resolve, score, write the list.",
        tags=["kith"],
    )


def _healthy(url: str) -> bool:
    from flows.prefect_env import answers

    return answers(url, timeout=2)


@contextmanager
def prefect_server(timeout: float = 120.0) -> Iterator[str]:
    """The API URL to use: ``PREFECT_API_URL`` if set, else a local server started here
    (and stopped when the block ends), announced to other kith commands meanwhile."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    url = f"http://127.0.0.1:{LOCAL_PORT}/api"
    home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".local" / "state" / "kith" / "prefect"))
    home.mkdir(parents=True, exist_ok=True)
    log = open(home / "server.log", "ab")
    from flows.prefect_env import announce_server, guarded, withdraw_server

    server = subprocess.Popen(  # through the guard: the server dies with kith, even on kill -9
        guarded([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(LOCAL_PORT)]),
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PREFECT_HOME": str(home)})
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(url):
            if server.poll() is not None:
                raise RuntimeError(f"the local Prefect server stopped at start-up; see {home / 'server.log'}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the local Prefect server did not answer within {timeout:.0f} s; "
                                   f"see {home / 'server.log'}")
            time.sleep(0.5)
        os.environ["PREFECT_API_URL"] = url
        announce_server(url)
        yield url
    finally:
        withdraw_server()
        os.environ.pop("PREFECT_API_URL", None) if not configured else None
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
