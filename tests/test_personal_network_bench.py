"""bench/personal_network.py end to end on a small world: every record has a true identity, the
tiers are there, the figures are numbers, and every listed row is classified."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import personal_network  # noqa: E402


def test_personal_network_benchmark_runs_and_attributes_every_record(tmp_path):
    figures = personal_network.run(300, 42, tmp_path)
    json.dumps(figures, default=str)  # what --json prints

    attribution = figures["attribution"]
    assert attribution["records"] > 300  # the connections plus the address books, calendar, messages
    assert attribution["unattributed"] == 0, attribution["unattributed_examples"]
    assert all(s["name_mismatch"] == 0 for s in attribution["by_source"].values())
    assert {"linkedin_connections", "linkedin_messages", "google_csv", "vcard", "ics"} <= set(attribution["by_source"])
    assert figures["owner"]["records"] >= 1 and figures["owner"]["flagged_not_owner"] == 0

    tiers = figures["tiers"]
    for tier in ["very close", "close", "medium", "light", "connection-only", "address book only",
                 personal_network.ALL_REAL]:
        assert tiers[tier]["people"] > 0, tier
    assert tiers["connection-only"]["people"] + tiers["light"]["people"] + tiers["medium"]["people"] \
        + tiers["close"]["people"] + tiers["very close"]["people"] == 300
    for row in tiers.values():
        assert row["fully_unified"] is None or 0 <= row["fully_unified"] <= 1
        assert row["tp"] <= min(row["true_pairs"], row["predicted_pairs"])

    overall = figures["overall"]
    assert isinstance(overall["precision"], float) and 0 <= overall["precision"] <= 1
    assert isinstance(overall["recall"], float) and 0 <= overall["recall"] <= 1

    review = figures["review"]
    assert review["pairs"] >= 0 and review["unattributed_pairs"] == 0

    weekly = figures["weekly_list"]
    assert 0 < weekly["listed"] <= personal_network.LIST_SIZE
    assert sum(weekly["classes"].values()) == weekly["listed"]
    assert weekly["classes"]["unattributed"] == 0
    for row in weekly["rows"]:
        assert row["class"] in personal_network.CLASSES and row["tier"]
        assert set(row["flags"]) <= set(personal_network.FLAGS)
    assert set(figures["seconds"]) >= {"ingest", "resolve", "list"}
