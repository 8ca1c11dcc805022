"""Flow commands use a running kith serve's Prefect server without any setting, and fall
back to the temporary server when the announcement is stale or nobody answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from flows import prefect_env


class _Health(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        body = b"true" if self.path == "/api/health" else b"no"
        self.send_response(200 if body == b"true" else 404)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def fake_server():
    server = HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/api"
    server.shutdown()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    return tmp_path


def test_a_running_serve_is_found_and_used(home, fake_server, monkeypatch):
    prefect_env.announce_server(fake_server)
    assert oct((home / prefect_env.SERVER_FILE).stat().st_mode & 0o777) == "0o600"
    assert prefect_env.running_server() == fake_server
    monkeypatch.setattr(prefect_env, "guard_temporary_server", lambda: None)
    monkeypatch.setattr(prefect_env, "_on_serves_server", False)
    prefect_env.configure()
    assert os.environ["PREFECT_API_URL"] == fake_server
    assert prefect_env.on_serves_server()  # (its runs send no heartbeats: see cli._run_flow)
    prefect_env.withdraw_server()
    assert not (home / prefect_env.SERVER_FILE).exists()


def test_a_stale_announcement_falls_back_to_the_temporary_server(home, fake_server):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (home / prefect_env.SERVER_FILE).write_text(json.dumps({"url": fake_server, "pid": dead.pid}))
    assert prefect_env.running_server() is None  # serve is gone
    (home / prefect_env.SERVER_FILE).write_text(json.dumps({"url": "http://127.0.0.1:9/api", "pid": os.getpid()}))
    assert prefect_env.running_server() is None  # alive, but nobody answers there
    (home / prefect_env.SERVER_FILE).write_text("{broken")
    assert prefect_env.running_server() is None


def test_a_url_the_user_set_always_wins(home, fake_server, monkeypatch):
    prefect_env.announce_server(fake_server)
    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.example/api")
    monkeypatch.setattr(prefect_env, "guard_temporary_server", lambda: None)
    monkeypatch.setattr(prefect_env, "_on_serves_server", False)
    prefect_env.configure()
    assert os.environ["PREFECT_API_URL"] == "http://prefect.example/api"
    assert not prefect_env.on_serves_server()  # (the user's server may act on heartbeats)


def test_a_server_the_user_configured_anywhere_prefect_reads_is_theirs(home, fake_server, tmp_path, monkeypatch):
    """A server address in the active profile, a prefect.toml, a pyproject.toml or a .env is
    the user's own Prefect: kith starts no temporary server and uses no kith serve's (their
    run history stays on their server)."""
    from flows import temporary_server

    prefect_env.announce_server(fake_server)  # a kith serve is running too
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for name in ("PREFECT_PROFILE", "PREFECT_PROFILES_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(prefect_env, "guard_temporary_server", lambda: None)
    monkeypatch.setattr(temporary_server, "_server", None)
    monkeypatch.setattr(temporary_server, "start", lambda: pytest.fail("a temporary server was started"))
    assert prefect_env.configured_api_url() is None
    cases = [(home / "profiles.toml", 'active = "mine"\n[profiles.mine]\nPREFECT_API_URL = "http://a.example/api"\n'),
             (work / "prefect.toml", '[api]\nurl = "http://b.example/api"\n'),
             (work / "pyproject.toml", '[project]\nname = "x"\n[tool.prefect.api]\nurl = "http://c.example/api"\n'),
             (work / ".env", 'export PREFECT_API_URL="http://d.example/api"\n')]
    for (path, text), url in zip(cases, ("http://a.example/api", "http://b.example/api", "http://c.example/api",
                                         "http://d.example/api")):
        path.write_text(text)
        assert prefect_env.configured_api_url() == url
        monkeypatch.setattr(prefect_env, "_on_serves_server", False)
        prefect_env.configure()
        assert "PREFECT_API_URL" not in os.environ  # (Prefect reads the user's setting itself)
        assert not prefect_env.on_serves_server()
        assert prefect_env.use_temporary_server() is None
        path.unlink()
