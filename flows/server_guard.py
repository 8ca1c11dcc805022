"""Run a Prefect server that dies with the kith process that started it.

Prefect starts its temporary (ephemeral) server as a child process and stops it at exit,
but a kith killed outright (``kill -9``, the OOM killer, a closed laptop lid on a cron job)
never reaches that: the server is reparented to init and lives on, ~185 MB each. kith
therefore starts the server through this module::

    python -m flows.server_guard <kith's pid> -m uvicorn ...

which watches its parent from a thread and, once that parent is gone, stops the server the
way Ctrl-C would (SIGTERM: uvicorn closes its database cleanly), then exits for certain.
It runs the server in its own process (``runpy``), so there is no extra process to leak.
"""

from __future__ import annotations

import os
import runpy
import signal
import sys
import threading
import time

POLL_SECONDS = 0.5
GRACE_SECONDS = 3.0


def parent_gone(parent: int) -> bool:
    """Orphans are adopted by init or a subreaper: the parent pid changes."""
    return os.getppid() != parent


def watch(parent: int) -> None:
    while not parent_gone(parent):
        time.sleep(POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    os._exit(1)


def main(argv: list[str]) -> None:
    if len(argv) < 3 or argv[1] != "-m":
        raise SystemExit("usage: python -m flows.server_guard PARENT_PID -m MODULE [ARGS...]")
    parent, module = int(argv[0]), argv[2]
    if parent_gone(parent):
        raise SystemExit(0)
    threading.Thread(target=watch, args=(parent,), name="kith-parent-watch", daemon=True).start()
    sys.argv = [module, *argv[3:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
