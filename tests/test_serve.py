"""kith serve: the weekly deployment carries the user's cron and time zone (checked without
starting a server or waiting a week), and lands on the server serve started (one real run
of `kith serve`, ~25 s)."""

from __future__ import annotations

import pytest

from flows.serve import local_timezone, weekly_deployment


def test_the_weekly_schedule_has_the_users_cron_and_time_zone():
    from flows import prefect_env

    prefect_env.configure(verbose=False)
    deployment = weekly_deployment({"db": "data/kith.duckdb", "inbox": "data/inbox", "out_dir": "data/out"},
                                   "30 7 * * 1", "Europe/Stockholm")
    [schedule] = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("30 7 * * 1", "Europe/Stockholm")
    assert deployment.name == "kith-weekly" and deployment.parameters["db"] == "data/kith.duckdb"


def test_without_a_configured_zone_the_machines_own_is_used(monkeypatch):
    monkeypatch.setenv("TZ", "America/Chicago")
    assert local_timezone() == "America/Chicago"
    deployment = weekly_deployment({}, "0 8 * * 1", None)
    assert deployment.schedules[0].schedule.timezone == "America/Chicago"


def test_prefect_yaml_points_at_real_flows_with_their_parameters():
    import inspect
    from pathlib import Path

    import yaml

    from flows import pipeline

    spec = yaml.safe_load((Path(__file__).resolve().parent.parent / "prefect.yaml").read_text())
    for deployment in spec["deployments"]:
        path, name = deployment["entrypoint"].split(":")
        assert path == "flows/pipeline.py"
        flow = getattr(pipeline, name)
        accepted = inspect.signature(flow.fn).parameters
        assert set(deployment["parameters"]) <= set(accepted), deployment["name"]
        required = {n for n, p in accepted.items() if p.default is inspect.Parameter.empty}
        assert required <= set(deployment["parameters"]), deployment["name"]
    [weekly] = [d for d in spec["deployments"] if d["name"] == "kith-weekly"]
    assert weekly["schedules"][0]["cron"] == "0 8 * * 1" and weekly["schedules"][0]["timezone"]


def test_kith_serve_schedules_on_its_own_server_and_announces_it(tmp_path):
    """The deployment and its scheduled runs land on the server kith serve started, with no
    temporary server of Prefect's own on the side (one was started and stopped, ~8 s, while
    Prefect was imported before the server's address was set), and other commands can find
    that server while serve runs."""
    import json
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from flows.serve import LOCAL_PORT

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", LOCAL_PORT)) == 0:
            pytest.skip(f"something already listens on {LOCAL_PORT}")
    home = tmp_path / "prefect"
    env = {**os.environ, "PREFECT_HOME": str(home), "KITH_DB": str(tmp_path / "kith.duckdb")}
    env.pop("PREFECT_API_URL", None)
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen([sys.executable, "-c", "from flows.cli import main; main()", "serve"], env=env,
                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        announced = home / "kith-server.json"
        deadline = time.monotonic() + 180
        runs: list = []
        while time.monotonic() < deadline and not runs:
            time.sleep(1)
            assert serve.poll() is None, "kith serve stopped"
            if not announced.exists():
                continue
            url = json.loads(announced.read_text())["url"]

            def post(path: str) -> list:
                request = urllib.request.Request(f"{url}{path}", data=b"{}", method="POST",
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (localhost)
                    return json.load(response)

            deployments = [d["name"] for d in post("/deployments/filter")]
            runs = post("/flow_runs/filter") if deployments else []
        assert deployments == ["kith-weekly"]
        assert runs and all(r["state_type"] == "SCHEDULED" for r in runs)
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(60)
        log.close()
    assert not announced.exists()  # withdrawn on the way out
    assert "temporary server" not in (tmp_path / "serve.log").read_text(errors="replace")
