"""The poll schedule with a fake clock: fast while moving, slow when calm, backoff, 429 pause."""

from __future__ import annotations

from barrack_tui.account.config import PollSettings
from barrack_tui.tui.shell.polling import PollSchedule


def test_interval_shortens_while_transitional_and_lengthens_after():
    s = PollSchedule(PollSettings(fast_seconds=2, slow_seconds=15))
    s.record_success("instances", 100.0, busy=True)
    assert s.seconds_until_next(100.0, ["instances"]) == 2
    s.record_success("instances", 102.0, busy=False)
    assert s.seconds_until_next(102.0, ["instances"]) == 15


def test_errors_back_off_exponentially_to_60_seconds_and_recover():
    # A draw of 0 is the jitter's longest wait: the schedule itself.
    s = PollSchedule(PollSettings(fast_seconds=2, slow_seconds=15, max_backoff_seconds=60), random=lambda: 0.0)
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


def test_backoff_is_jittered_below_the_schedule_so_clients_that_failed_together_spread_out():
    draws = iter([1.0, 0.5])
    s = PollSchedule(PollSettings(fast_seconds=2, max_backoff_seconds=60), random=lambda: next(draws))
    assert s.record_failure("volumes", 0.0, "boom") == 1.5  # three quarters of 2 s at the largest draw
    assert s.record_failure("volumes", 0.0, "boom") == 3.5  # 4 s less half the jitter
    assert s.status("volumes").next_due == 3.5


def test_a_servers_retry_after_is_a_floor_on_the_wait_capped_at_60_seconds():
    s = PollSchedule(PollSettings(fast_seconds=2, max_backoff_seconds=60), random=lambda: 0.0)
    assert s.record_failure("volumes", 100.0, "503", retry_after=7) == 7
    assert s.record_failure("images", 100.0, "503", retry_after=3600) == 60
    # Our own backoff already waits longer than the server asked: the longer wait stands.
    for _ in range(4):
        s.record_failure("firewalls", 100.0, "503")
    assert s.record_failure("firewalls", 100.0, "503", retry_after=1) == 32
    s.record_rate_limit(100.0, 3600)
    assert s.paused_until == 160.0
    assert s.retry_in("instances", 130.0) == 30.0
