"""Shared test helpers. Most tests call plain functions; only tests marked ``flow`` start
Prefect, and they share one session-scoped harness (see ``prefect_harness``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
LINKEDIN = FIXTURES / "linkedin"
OWNER_SLUG = "alex-rivera-0a1b2c"


def fixture_text(name: str) -> str:
    from transforms.text import decode

    return decode((LINKEDIN / name).read_bytes())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kith.duckdb"


@pytest.fixture
def con(db_path: Path):
    from flows.db import connect

    connection = connect(db_path)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """One Prefect test server for every flow test (it takes ~15 s to start here)."""
    from flows import prefect_env

    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    prefect_env.configure()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
