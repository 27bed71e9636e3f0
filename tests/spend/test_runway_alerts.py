"""Runway, budget alerts (raised once per crossing) and state watches."""

from __future__ import annotations

from decimal import Decimal

from barrack_tui.spend.alerts import (
    LONG_RUNNING,
    RUNWAY,
    SPEND_CAP,
    AlertBook,
    Thresholds,
    long_running_alerts,
    note_active,
    runway_alert,
    spend_cap_alert,
)
from barrack_tui.spend.runway import describe_runway, runway_hours
from barrack_tui.spend.series import HOUR
from barrack_tui.spend.watches import StateWatch, watch_outcome

D = Decimal


def test_runway_is_balance_over_burn_and_has_no_end_when_nothing_bills():
    assert runway_hours(D("500"), D("20")) == D("25")
    assert runway_hours(D("500"), D("0")) is None
    assert runway_hours(None, D("3")) is None
    assert runway_hours(D("-5"), D("3")) == 0


def test_runway_reads_in_hours_then_days():
    assert describe_runway(D("0.5")) == "30 min"
    assert describe_runway(D("35.9")) == "35 h"
    assert describe_runway(D("100")) == "4 d 4 h"
    assert describe_runway(None) == "no end (nothing bills)"
    assert describe_runway(D("0")) == "used up"


def test_the_runway_alert_holds_below_the_threshold_only():
    warn = Thresholds(runway_hours=24)
    assert runway_alert(warn, D("500"), D("20"), "USD") is None  # 25 h
    alert = runway_alert(warn, D("460"), D("20"), "USD")  # 23 h
    assert alert is not None and alert.kind == RUNWAY and alert.badge == "runway 23 h"
    assert "under the 24 h warning" in alert.message
    assert runway_alert(Thresholds(), D("1"), D("20"), "USD") is None  # off unless configured


def test_the_spend_cap_compares_a_day_at_the_current_burn():
    cap = Thresholds(daily_spend_cap=D("300"))
    assert spend_cap_alert(cap, D("12.5"), "USD") is None  # exactly 300 a day
    alert = spend_cap_alert(cap, D("13"), "USD")
    assert alert is not None and alert.kind == SPEND_CAP and "312.00 USD a day" in alert.message


def test_long_running_names_each_instance_past_the_threshold():
    since = {"a": ("train", 0.0), "b": ("eval", 40 * HOUR)}
    alerts = long_running_alerts(Thresholds(long_running_hours=48), since, 50 * HOUR)
    assert [(a.kind, a.target_name, a.badge) for a in alerts] == [(LONG_RUNNING, "train", "train ACTIVE 50 h")]


def test_active_since_follows_the_status():
    since: dict[str, tuple[str, float]] = {}
    note_active(since, "a", "train", "ACTIVE", 100.0)
    note_active(since, "a", "train", "ACTIVE", 200.0)  # still the same stint: the start stays
    assert since == {"a": ("train", 100.0)}
    note_active(since, "a", "train", "SHUTOFF", 300.0)
    assert since == {}


def test_the_book_raises_an_alert_once_until_it_clears():
    book = AlertBook()
    warn = Thresholds(runway_hours=24)
    low = runway_alert(warn, D("100"), D("10"), "USD")
    assert low is not None
    assert book.update([low], [RUNWAY]) == [low]
    lower = runway_alert(warn, D("90"), D("10"), "USD")
    assert lower is not None
    assert book.update([lower], [RUNWAY]) == []  # still raised: not told again
    assert book.badge() == "⚠ runway 9 h"
    assert book.update([], [RUNWAY]) == [] and book.badge() == ""
    assert book.update([low], [RUNWAY]) == [low]  # crossed again


def test_the_book_keeps_alerts_of_kinds_not_checked_this_time():
    book = AlertBook()
    long_running = long_running_alerts(Thresholds(long_running_hours=1), {"a": ("train", 0.0)}, 2 * HOUR)
    book.update(long_running, [LONG_RUNNING])
    book.update([], [RUNWAY, SPEND_CAP])
    assert list(book.raised) == ["long_running:a"]


def test_a_state_watch_comes_true_or_ends_with_the_reason():
    watch = StateWatch("ins-1", "my-train", "ACTIVE")
    assert watch_outcome(watch, "STARTING") is None
    came = watch_outcome(watch, "ACTIVE")
    assert came is not None and came.came_true and came.message == "my-train is ACTIVE."
    ended = watch_outcome(watch, "ERROR")
    assert ended is not None and not ended.came_true
    gone = watch_outcome(watch, None)
    assert gone is not None and not gone.came_true and "deleted" in gone.message
    deleted = watch_outcome(StateWatch("ins-1", "my-train", "DELETED"), None)
    assert deleted is not None and deleted.came_true
