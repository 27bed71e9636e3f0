"""Budget alerts: which thresholds the account is past right now, and which of them just crossed.

Each check is a function of values read now (balance, burn, when each instance
became ACTIVE) and `now`, so tests move a fake clock instead of waiting. An
alert is raised once when its condition starts holding and stays raised (in
the header) until the condition stops; it is raised again only after that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from barrack_tui.spend.runway import describe_runway, runway_hours
from barrack_tui.spend.series import HOUR

RUNWAY = "runway"
LONG_RUNNING = "long_running"
SPEND_CAP = "spend_cap"


@dataclass(frozen=True)
class Thresholds:
    """What the user asked to be told about; None switches a check off."""

    runway_hours: float | None = None
    long_running_hours: float | None = None
    daily_spend_cap: Decimal | None = None

    def __bool__(self) -> bool:
        return any(value is not None for value in (self.runway_hours, self.long_running_hours, self.daily_spend_cap))


@dataclass(frozen=True)
class Alert:
    """One condition that holds: `key` names it (one per instance for long-running), `badge` is its header form."""

    key: str
    kind: str
    message: str
    badge: str
    target_kind: str = ""
    target_name: str = ""
    target_id: str = ""


def runway_alert(thresholds: Thresholds, balance: Decimal | None, per_hour: Decimal, currency: str) -> Alert | None:
    limit = thresholds.runway_hours
    hours = runway_hours(balance, per_hour)
    if limit is None or hours is None or hours >= Decimal(str(limit)):
        return None
    left = describe_runway(hours)
    return Alert(
        RUNWAY, RUNWAY,
        f"The balance ({balance:,.2f} {currency}) lasts {left} at the current burn of {per_hour:,.2f} {currency}/h, "
        f"under the {limit:g} h warning.",
        f"runway {left}",
        target_kind="account",
    )


def spend_cap_alert(thresholds: Thresholds, per_hour: Decimal, currency: str) -> Alert | None:
    """The current burn, kept up for a day, would spend more than the cap."""
    cap = thresholds.daily_spend_cap
    per_day = per_hour * 24
    if cap is None or per_day <= cap:
        return None
    return Alert(
        SPEND_CAP, SPEND_CAP,
        f"The current burn of {per_hour:,.2f} {currency}/h spends {per_day:,.2f} {currency} a day, "
        f"over the cap of {cap:,.2f} {currency}/day.",
        f"{per_day:,.0f}/day > cap",
        target_kind="account",
    )


def long_running_alerts(thresholds: Thresholds, active_since: Mapping[str, tuple[str, float]], now: float) -> list[Alert]:
    """One alert per instance ACTIVE for longer than the threshold (`active_since`: id -> (name, since))."""
    limit = thresholds.long_running_hours
    if limit is None:
        return []
    cutoff = now - limit * HOUR
    alerts = []
    for instance_id, (name, since) in active_since.items():
        if since <= cutoff:
            hours = int((now - since) // HOUR)
            alerts.append(Alert(
                f"{LONG_RUNNING}:{instance_id}", LONG_RUNNING,
                f"{name} has been ACTIVE for {hours} h (reminder after {limit:g} h).",
                f"{name} ACTIVE {hours} h",
                target_kind="instance", target_name=name, target_id=instance_id,
            ))
    return sorted(alerts, key=lambda alert: (alert.target_name, alert.key))


class AlertBook:
    """The alerts raised now; `update` says which are new since the last look."""

    def __init__(self) -> None:
        self.raised: dict[str, Alert] = {}

    def update(self, current: Iterable[Alert], kinds: Iterable[str] | None = None) -> list[Alert]:
        """Replace the raised alerts (of `kinds` only, when given) with `current`; the newly raised ones, in order."""
        checked = set(kinds) if kinds is not None else None
        current = list(current)
        fresh = [alert for alert in current if alert.key not in self.raised]
        kept = {key: alert for key, alert in self.raised.items() if checked is not None and alert.kind not in checked}
        self.raised = {**kept, **{alert.key: alert for alert in current}}
        return fresh

    def badge(self) -> str:
        """The header's words: the first alert's badge, and how many more."""
        alerts = list(self.raised.values())
        if not alerts:
            return ""
        order = {RUNWAY: 0, SPEND_CAP: 1, LONG_RUNNING: 2}
        alerts.sort(key=lambda alert: (order.get(alert.kind, 3), alert.key))
        more = f" +{len(alerts) - 1}" if len(alerts) > 1 else ""
        return f"⚠ {alerts[0].badge}{more}"


def note_active(
    active_since: dict[str, tuple[str, float]], instance_id: str, name: str, status: str, updated_at: float
) -> None:
    """Keep `active_since` current for one instance: from when it is ACTIVE (the server's last change), or out."""
    if status != "ACTIVE":
        active_since.pop(instance_id, None)
    elif instance_id not in active_since:
        active_since[instance_id] = (name, updated_at)
    elif active_since[instance_id][0] != name:
        active_since[instance_id] = (name, active_since[instance_id][1])
