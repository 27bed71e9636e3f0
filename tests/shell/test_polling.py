"""The poll schedule with a fake clock: fast while moving, slow when calm, backoff, 429 pause."""

from __future__ import annotations

from barrack_tui.config import PollSettings
from barrack_tui.tui.polling import PollSchedule


def test_interval_shortens_while_transitional_and_lengthens_after():
    s = PollSchedule(PollSettings(fast_seconds=2, slow_seconds=15))
    s.record_success("instances", 100.0, busy=True)
    assert s.seconds_until_next(100.0, ["instances"]) == 2
    s.record_success("instances", 102.0, busy=False)
    assert s.seconds_until_next(102.0, ["instances"]) == 15


def test_errors_back_off_exponentially_to_60_seconds_and_recover():
    s = PollSchedule(PollSettings(fast_seconds=2, slow_seconds=15, max_backoff_seconds=60))
    delays = [s.record_failure("instances", 0.0, "boom") for _ in range(7)]
    assert delays == [2, 4, 8, 16, 32, 60, 60]
    s.record_success("instances", 10.0, busy=False)
    assert s.status("instances").failures == 0 and s.seconds_until_next(10.0, ["instances"]) == 15


def test_rate_limit_pauses_every_kind():
    s = PollSchedule(PollSettings())
    s.record_rate_limit(50.0, 7)
    assert s.due(50.0, ["instances", "volumes", "balance"]) == []
    assert s.due(56.9, ["instances", "volumes"]) == []
    assert s.due(57.0, ["instances", "volumes"]) == ["instances", "volumes"]
