"""Budget alerts and watches, evaluated on every change the store publishes, and the one way they are told.

The app owns one `Alerts`. It keeps what the spend view and the alerts need
from the pollers across screens: the burn as observed (a sample per change),
and since when each instance has been ACTIVE. On each change it checks the
thresholds from the config (runway, long-running instances, daily spend cap)
and the state watches the user set; a check that starts holding is told once,
by `announce`: a toast, a line in the activity log, and the terminal's desktop
notification (or bell) unless the config turned that off. Region stock
watches end in the same `announce`.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from barrack_tui.activity.entry import ALERT, WATCH
from barrack_tui.spend.alerts import (
    LONG_RUNNING,
    RUNWAY,
    SPEND_CAP,
    Alert,
    AlertBook,
    Thresholds,
    long_running_alerts,
    note_active,
    runway_alert,
    spend_cap_alert,
)
from barrack_tui.spend.series import BurnLog
from barrack_tui.spend.watches import StateWatch, choices, watch_outcome
from barrack_tui.tui.shell.desktop_notify import TerminalNotifier

if TYPE_CHECKING:
    from barrack_tui.tui.shell.app import BarrackApp
    from barrack_tui.tui.shell.store import ChangeSet

# Kinds whose change can move the burn or the balance.
_PRICED = frozenset({"instances", "balance", "volumes", "snapshots"})
# More long-running instances than this crossing at once (a big fleet's first load) are told as one summary.
_ONE_BY_ONE = 3
_TITLES = {RUNWAY: "Balance runway", SPEND_CAP: "Daily spend cap", LONG_RUNNING: "Long-running instance"}


class Alerts:
    def __init__(self, app: BarrackApp) -> None:
        self.app = app
        self.burn = BurnLog()
        self.book = AlertBook()
        # instance id -> (name, epoch seconds it became ACTIVE), for the ACTIVE ones only.
        self.active_since: dict[str, tuple[str, float]] = {}
        self.state_watches: dict[str, StateWatch] = {}
        self.terminal = TerminalNotifier(self._write_terminal, app.settings.alerts.terminal_notify)
        # The app hears each change once from the store and once more per subscribed screen it bubbles up from.
        self._seen: deque[ChangeSet] = deque(maxlen=32)

    @property
    def thresholds(self) -> Thresholds:
        config = self.app.settings.alerts
        return Thresholds(config.runway_warn_hours, config.long_running_hours, config.daily_spend_cap)

    def _write_terminal(self, data: str) -> None:
        # The driver owns the terminal's output: writing there keeps the sequence out of a half-drawn frame.
        driver = self.app._driver
        if driver is not None:
            driver.write(data)

    # --- what the store says ----------------------------------------------------------------------

    def store_changed(self, change: ChangeSet) -> None:
        if any(seen is change for seen in self._seen):
            return
        self._seen.append(change)
        store = self.app.store
        if change.kind == "instances":
            for instance_id in change.removed:
                self.active_since.pop(instance_id, None)
            for instance_id in change.added | change.changed:
                instance = store.instances.get(instance_id)
                if instance is not None:
                    note_active(self.active_since, instance_id, instance.name, str(instance.status),
                                instance.updated_at.timestamp())
            if "instances" in store.loaded:
                self._check_state_watches()
        if change.kind in _PRICED:
            self.sample()
            self.evaluate()

    def sample(self) -> None:
        """Note the account's burn now, once instances and storage have both been read."""
        store = self.app.store
        if "instances" in store.loaded and store.storage_known():
            self.burn.add(self.app.wall_clock(), store.costs().total_per_hour)

    def evaluate(self) -> list[Alert]:
        """Check every threshold against the store now; announce and return the alerts that just crossed."""
        thresholds = self.thresholds
        store = self.app.store
        current: list[Alert] = []
        checked: list[str] = []
        if thresholds and "instances" in store.loaded and store.storage_known() and store.balance is not None:
            per_hour = store.costs().total_per_hour
            checked += [RUNWAY, SPEND_CAP]
            current += [a for a in (runway_alert(thresholds, store.balance_amount, per_hour, store.currency),
                                    spend_cap_alert(thresholds, per_hour, store.currency)) if a is not None]
        if thresholds.long_running_hours is not None and "instances" in store.loaded:
            checked.append(LONG_RUNNING)
            current += long_running_alerts(thresholds, self.active_since, self.app.wall_clock())
        fresh = self.book.update(current, checked)
        self._announce_alerts(fresh)
        return fresh

    def _announce_alerts(self, fresh: list[Alert]) -> None:
        long_running = [alert for alert in fresh if alert.kind == LONG_RUNNING]
        for alert in fresh:
            if alert.kind != LONG_RUNNING or len(long_running) <= _ONE_BY_ONE:
                self.announce(_TITLES[alert.kind], alert.message, result=ALERT, verb=f"alert: {alert.kind.replace('_', ' ')}",
                              target_kind=alert.target_kind, target_name=alert.target_name, target_id=alert.target_id)
        if len(long_running) > _ONE_BY_ONE:
            names = ", ".join(alert.target_name for alert in long_running[:_ONE_BY_ONE])
            limit = self.thresholds.long_running_hours or 0
            self.announce(_TITLES[LONG_RUNNING],
                          f"{len(long_running)} instances have been ACTIVE for more than {limit:g} h: {names}, …",
                          result=ALERT, verb="alert: long running", target_kind="instance")

    # --- state watches ----------------------------------------------------------------------------

    def watch_state(self, instance: Any, status: str) -> str:
        """Watch `instance` until it is `status`; the sentence that tells the user what happens."""
        if str(instance.status) == status:
            return f"{instance.name} is {status} already."
        watch = StateWatch(instance.id, instance.name, status)
        self.state_watches[watch.key] = watch
        return f"Watching {instance.name}: you will be told when it is {status}."

    def unwatch_state(self, key: str) -> StateWatch | None:
        return self.state_watches.pop(key, None)

    def watches_of(self, instance_id: str) -> list[StateWatch]:
        return [watch for watch in self.state_watches.values() if watch.instance_id == instance_id]

    def watch_commands(self, instance: Any) -> list[Any]:
        """Palette entries for `instance`: watch for the two likeliest statuses, stop each watch set on it."""
        from textual.app import SystemCommand

        def watch(status: str) -> None:
            self.app.notify(self.watch_state(instance, status), title="Watch")

        commands = [
            SystemCommand(f"Watch: tell me when {instance.name} is {status}", "A notification when it is (w on its details)",
                          lambda s=status: watch(s))
            for status in choices(str(instance.status))[:2]
        ]
        commands += [
            SystemCommand(f"Watch: stop watching for {w.describe()}", "Remove this state watch",
                          lambda k=w.key: self.unwatch_state(k))
            for w in self.watches_of(instance.id)
        ]
        return commands

    def _check_state_watches(self) -> None:
        instances = self.app.store.instances
        for key, watch in list(self.state_watches.items()):
            instance = instances.get(watch.instance_id)
            outcome = watch_outcome(watch, None if instance is None else str(instance.status))
            if outcome is None:
                continue
            del self.state_watches[key]
            self.announce("Watch", outcome.message, result=WATCH, verb=f"watch: {watch.status}",
                          target_kind="instance", target_name=watch.name, target_id=watch.instance_id,
                          severity="information" if outcome.came_true else "warning")

    # --- telling ----------------------------------------------------------------------------------

    def announce(
        self,
        title: str,
        message: str,
        *,
        result: str,
        verb: str,
        target_kind: str = "",
        target_name: str = "",
        target_id: str = "",
        severity: str = "warning",
    ) -> None:
        """Tell the user: a toast, the activity log, and the terminal (a desktop notification or the bell)."""
        self.app.notify(message, title=title, severity=severity, timeout=20)
        self.app.activity.record(verb, target_kind=target_kind, target_name=target_name, target_id=target_id,
                                 result=result, message=message)
        self.terminal.notify(title, message)

    def watch_came_true(self, title: str, message: str, *, target_kind: str, target_name: str) -> None:
        """A watch kept elsewhere (a region's stock) came true: told like every other watch."""
        self.announce(title, message, result=WATCH, verb="watch: stock", target_kind=target_kind,
                      target_name=target_name, severity="information")
