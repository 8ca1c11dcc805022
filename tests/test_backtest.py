"""bench/backtest.py: its metrics on hand-made lists, and a tiny replay that runs end to end."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import backtest  # noqa: E402


def test_precision_at_k_counts_relevant_over_k():
    assert backtest.precision_at_k([1, 2, 3, 4], {2, 4, 9}, k=4) == 0.5
    assert backtest.precision_at_k([1, 2], {1, 2}, k=10) == 0.2  # a short list scores lower
    assert backtest.precision_at_k(list(range(20)), set(range(10, 20)), k=10) == 0.0  # only the first k count
    assert backtest.precision_at_k([], {1}) == 0.0


def test_repeat_share_against_the_previous_list():
    assert backtest.repeat_share([1, 2, 3, 4], [3, 4, 5]) == 0.5
    assert backtest.repeat_share([1, 2], None) is None  # first week
    assert backtest.repeat_share([], [1]) is None
    assert backtest.repeat_share([1, 2], [1, 2]) == 1.0


def test_distinct_companies_ignores_case_space_and_missing():
    company_of = {1: "Acme", 2: "acme ", 3: None, 4: "Globex", 5: ""}
    assert backtest.distinct_companies([1, 2, 3, 4, 5], company_of) == 2
    assert backtest.distinct_companies([3, 5, 99], company_of) == 0


def test_found_share_and_weeks():
    assert backtest.found_share([[1, 2], [3]], [{1, 5}, {3, 2}]) == pytest.approx(2 / 4)  # 2 listed a week early
    assert backtest.found_share([[1]], [set()]) is None
    weeks = backtest.week_dates(date(2026, 11, 16), 3)
    assert weeks == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]


def test_tiny_replay_runs_and_kith_does_not_relist(tmp_path):
    weeks = backtest.run(people=60, seed=3, weeks=4, export_date=date(2026, 11, 16), workdir=tmp_path)
    assert [w.as_of for w in weeks] == backtest.week_dates(date(2026, 11, 16), 4)
    for w in weeks:
        for method in ("kith", "baseline"):
            stats = getattr(w, method)
            assert 0 <= stats["precision"] <= 1 and 0 <= stats["listed"] <= 10
            assert stats["companies"] <= stats["listed"]
        assert w.baseline["listed"] == 10
    # kith keeps a list for four weeks (only "moments" may come back); the baseline has no memory
    assert all(w.kith["repeats"] in (None, 0.0) or w.kith["repeats"] < 0.5 for w in weeks)
    text = backtest.table(weeks)
    assert "precision@10" in text and "baseline" in text and "4 weeks" in text
