"""kith serve: the weekly deployment carries the user's cron and time zone (checked without
starting a server or waiting a week)."""

from __future__ import annotations

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
