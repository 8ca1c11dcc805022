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
