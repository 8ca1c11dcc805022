"""Flow commands start the temporary Prefect server themselves, before Prefect is imported,
and stop it when they end; kith's own process never imports Prefect's server package."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from flows import prefect_env, temporary_server

FAKE_SERVER = textwrap.dedent('''
    """Answers /api/health like a Prefect server, on the port named by --port."""
    import sys
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Health(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/api/health" else 404)
            self.end_headers()
            self.wfile.write(b"true")

        def log_message(self, *args):
            pass

    HTTPServer(("127.0.0.1", int(sys.argv[sys.argv.index("--port") + 1])), Health).serve_forever()
''')


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """No API URL, no server started yet, and a stand-in for Prefect's server on the path."""
    (tmp_path / "fake_prefect_server.py").write_text(FAKE_SERVER)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("PREFECT_API_URL", "")  # so that the URL the server sets is undone afterwards
    monkeypatch.delenv("PREFECT_API_URL")
    monkeypatch.setattr(temporary_server, "_server", None)
    yield monkeypatch
    if temporary_server._server is not None:
        temporary_server._server.stop()


def _fake(port: int) -> list[str]:
    return [sys.executable, "-m", "fake_prefect_server", "--port", str(port)]


def test_a_url_already_set_means_no_temporary_server(fresh):
    fresh.setenv("PREFECT_API_URL", "http://prefect.example/api")
    assert prefect_env.use_temporary_server() is None
    assert os.environ["PREFECT_API_URL"] == "http://prefect.example/api"
    assert temporary_server._server is None


def test_the_server_is_started_once_through_the_guard_and_stopped(fresh):
    fresh.setattr(temporary_server, "server_command", _fake)
    server = prefect_env.use_temporary_server()
    assert os.environ["PREFECT_API_URL"] == server.url
    assert prefect_env.use_temporary_server() is server  # kith watch: one server for every run
    assert server.process.args[1:3] == ["-m", "flows.server_guard"]  # dies with kith (kill -9 too)
    assert server.wait(timeout=60) == server.url
    assert prefect_env.answers(server.url)
    server.stop()
    assert server.process.poll() is not None


def test_a_server_that_dies_at_start_up_is_a_clear_error(fresh):
    fresh.setattr(temporary_server, "server_command",
                  lambda port: [sys.executable, "-m", "no_such_module_for_kith_tests"])
    server = temporary_server.start()
    with pytest.raises(temporary_server.ServerFailed, match="stopped at start-up"):
        server.wait(timeout=60)


PROBE = textwrap.dedent('''
    import atexit, sys
    from flows import temporary_server

    def report():
        server = temporary_server._server
        print("server package imported:", "prefect.server.api.server" in sys.modules, file=sys.stderr)
        print("temporary server pid:", server.process.pid if server else None, file=sys.stderr)

    atexit.register(report)  # runs after the server's own stop (registered later, runs first)
    from flows.cli import main
    main()
''')


@pytest.mark.flow
def test_a_real_ingest_runs_on_kiths_temporary_server_and_stops_it(tmp_path):
    """Prefect's server runs in its own process only, and is gone when kith ends."""
    from tests.conftest import LINKEDIN

    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "KITH_DB": str(tmp_path / "kith.duckdb")}
    env.pop("PREFECT_API_URL", None)
    run = subprocess.run([sys.executable, "-c", PROBE, "ingest", str(LINKEDIN / "profile_2024.csv"),
                          "--as-of", "2025-03-15"], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "server package imported: False" in run.stderr
    pid = int(run.stderr.split("temporary server pid:")[1].split()[0])
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_runs_on_the_temporary_server_send_no_heartbeats(fresh, tmp_path):
    """Prefect's heartbeat thread held up the end of every run by up to a second."""
    fresh.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    prefect_env.configure()
    from prefect.settings import get_current_settings

    before = get_current_settings().flows.heartbeat_frequency
    with prefect_env.without_heartbeats():
        assert get_current_settings().flows.heartbeat_frequency is None
    assert get_current_settings().flows.heartbeat_frequency == before


def test_a_dead_server_comes_back_on_the_port_prefect_has_read(fresh):
    """kith watch runs for days: a temporary server that died is started again where the
    runs already look for it (Prefect read PREFECT_API_URL once, when it was imported)."""
    fresh.setattr(temporary_server, "server_command", _fake)
    first = prefect_env.use_temporary_server()
    first.wait(timeout=60)
    first.stop()
    again = temporary_server.start()
    assert again is not first and again.url == first.url == os.environ["PREFECT_API_URL"]
    assert again.wait(timeout=60) == first.url
