"""What goes into the activity log by itself: every mutation the clients send, and what the pollers see change.

The API client reports each non-GET request once it ended (`api.client_base.Mutation`);
`ActivityRecorder.mutation` turns that report into a log line: the verb and the
kind of target for the operation, the target's name as the store knows it (or
as the request or its answer gave it), how it ended, and what it does to the
bill in the confirmation's own words (`rules.cost_effects`). The store reports
what its polls saw change (`Store.on_observed`): an instance that settled in
another status or went away, a volume attached or detached, the balance
crossing zero or the minimum a new volume needs.

Nothing here sends a request or blocks: a report is a few dictionary reads and
one append to the log, and a fault in it is logged, never raised into the
request or the poll that reported it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from barrack_tui.activity.entry import ACCEPTED, FAILED, OBSERVED, REFUSED
from barrack_tui.api.errors import ApiError, RateLimitedError, UnsuccessfulError

if TYPE_CHECKING:
    from barrack_tui.api.client_base import Mutation
    from barrack_tui.tui.shell.activity import ActivityLog
    from barrack_tui.tui.shell.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Op:
    verb: str
    kind: str  # the target's kind, as a person says it ("instance", "ssh key")
    table: str  # the store's dictionary the target's id is looked up in ("" : none)
    cost: str = ""  # the `rules.cost_effects` action, or one this module prices itself (see `_cost`)
    by_body: bool = False  # the targets are the ids in the body (detach these volumes), not the path's id


# Every operation that changes the account. POSTs that only read (a price quote, image relationships) and
# AI chat questions are not here, so they are never logged.
OPS: dict[str, Op] = {
    "deploy_instance": Op("deploy", "instance", "instances", "deploy"),
    "start_instance": Op("start", "instance", "instances", "start"),
    "stop_instance": Op("stop", "instance", "instances", "stop"),
    "reboot_instance": Op("reboot", "instance", "instances", "reboot"),
    "hibernate_instance": Op("hibernate", "instance", "instances", "hibernate"),
    "restore_instance": Op("restore", "instance", "instances", "restore"),
    "delete_instance": Op("delete", "instance", "instances", "delete"),
    "toggle_public_ip": Op("toggle public IP", "instance", "instances", "public_ip"),
    "add_instance_security_rule": Op("add rule", "instance", "instances", "rule_add"),
    "remove_instance_security_rule": Op("remove rule", "instance", "instances", "rule_remove"),
    "create_ssh_key": Op("create", "ssh key", "ssh_keys"),
    "delete_ssh_key": Op("delete", "ssh key", "ssh_keys", "key_delete"),
    "create_volume": Op("create", "volume", "volumes", "volume_create"),
    "delete_volume": Op("delete", "volume", "volumes", "volume_delete"),
    "resize_volume": Op("resize", "volume", "volumes", "volume_resize"),
    "clone_volume": Op("clone", "volume", "volumes", "volume_create"),
    "attach_volumes": Op("attach", "volume", "volumes", "volume_attach", by_body=True),
    "detach_volumes": Op("detach", "volume", "volumes", "volume_detach", by_body=True),
    "create_firewall": Op("create", "firewall", "firewalls"),
    "delete_firewall": Op("delete", "firewall", "firewalls", "firewall_delete"),
    "add_firewall_rule": Op("add rule", "firewall", "firewalls", "rule_add"),
    "remove_firewall_rule": Op("remove rule", "firewall", "firewalls", "rule_remove"),
    "attach_firewall": Op("attach", "firewall", "firewalls", "firewall_attach"),
    "detach_firewall": Op("detach", "firewall", "firewalls", "firewall_detach"),
    "create_script": Op("create", "script", "scripts"),
    "update_script": Op("edit", "script", "scripts"),
    "delete_script": Op("delete", "script", "scripts", "script_delete"),
    "bulk_delete_scripts": Op("delete", "script", "scripts", "script_delete", by_body=True),
    "create_snapshot": Op("create", "snapshot", "snapshots"),
    "delete_snapshot": Op("delete", "snapshot", "snapshots", "snapshot_delete"),
    "restore_snapshot": Op("restore", "snapshot", "snapshots", "snapshot_restore"),
    "create_image": Op("create", "image", "images"),
    "delete_image": Op("delete", "image", "images", "image_delete"),
}
# Where a created resource sits in its operation's answer (`{"volume": {...}}`).
_ANSWER_FIELDS = ("instance", "volume", "firewall", "key", "snapshot", "image")
# What the other ids of a request name, for the message ("from instance gpu-1").
_PATH_TABLE = {"attach_volumes": ("to instance", "instances"), "detach_volumes": ("from instance", "instances")}
_BODY_TABLE = {"attach_firewall": ("to", "instances"), "detach_firewall": ("from", "instances")}
_LISTED = 3  # names listed in one line before "and N more"


def classify(error: ApiError | None) -> str:
    """accepted (it was done), refused (the server said no: its words) or failed (no answer, or it broke)."""
    if error is None:
        return ACCEPTED
    if isinstance(error, UnsuccessfulError):
        return REFUSED  # answered, and the answer says no
    if error.status == 0 or error.status >= 500 or 200 <= error.status < 300 or isinstance(error, RateLimitedError):
        # No answer, a server failure, an answer that could not be read, or "not now": none of them is a rule.
        return FAILED
    return REFUSED


def refusal_words(error: ApiError) -> str:
    """The server's own sentence when it gave one (a rule's message), else the error as the user saw it."""
    if error.message and 400 <= error.status < 500 and error.status != 422:
        return error.message
    return error.describe()


class ActivityRecorder:
    """Writes the log lines for the app: `mutation` is the clients' observer, `observed` the store's."""

    def __init__(self, store: Store, log_: ActivityLog, *, thresholds: Callable[[str], Iterable[Decimal]] | None = None) -> None:
        self.store = store
        self.log = log_
        # Where each instance stood before it began to move, so a settle reads "ACTIVE -> SHUTOFF", not
        # "STOPPING -> SHUTOFF": noted when the app sent the action or when a poll saw the move begin.
        self._moving_from: dict[str, str] = {}
        self._thresholds = thresholds or balance_thresholds

    # --- mutations ------------------------------------------------------------------------------

    def mutation(self, report: Mutation) -> None:
        try:
            self._mutation(report)
        except Exception:  # a log line is never worth a failed action
            log.exception("recording %s failed", report.op)

    def _mutation(self, report: Mutation) -> None:
        op = OPS.get(report.op)
        if op is None:
            return
        result = classify(report.error)
        ids = list(report.ids) if op.by_body else [report.path.get("id", "")]
        created = _created(report.answer)
        if created is not None and not ids[0]:
            ids = [str(created.id)]
        table: dict[str, Any] = getattr(self.store, op.table, {}) if op.table else {}
        items = [table.get(item_id) for item_id in ids]
        names = [str(item.name) if item is not None else "" for item in items]
        if created is not None and len(names) == 1 and not names[0]:
            names = [str(created.name)]
        if report.name and len(names) == 1 and not names[0]:
            names = [report.name]
        message = self._context(report)
        if created is not None and str(created.id) not in ids:  # a snapshot restored into a new instance
            message = f"new instance {created.name} ({created.id})"
        if report.error is not None:
            words = refusal_words(report.error)
            message = f"{words} ({message})" if message else words
        elif op.kind == "instance" and ids[0] and ids[0] in self.store.instances:
            self._moving_from[ids[0]] = str(self.store.instances[ids[0]].status)
        cost = self._cost(op, report, items, created) if result == ACCEPTED else ""
        self.log.record(
            op.verb, target_kind=op.kind, target_name=_listed(names), target_id=_listed(ids), result=result,
            message=message, status=report.status, request_id=report.request_id, cost_effect=cost,
        )

    def _context(self, report: Mutation) -> str:
        """What else the request named: the instance volumes are attached to, a firewall's instances, a rule."""
        if report.op in _PATH_TABLE:
            words, table = _PATH_TABLE[report.op]
            return f"{words} {self._names(table, [report.path.get('id', '')])}"
        if report.op in _BODY_TABLE:
            words, table = _BODY_TABLE[report.op]
            return f"{words} {self._names(table, list(report.ids))}"
        if "rule_id" in report.path:
            return f"rule {report.path['rule_id']}"
        return ""

    def _names(self, table: str, ids: list[str]) -> str:
        known: dict[str, Any] = getattr(self.store, table)
        return _listed([str(known[i].name) if i in known else i for i in ids])

    def _cost(self, op: Op, report: Mutation, items: list[Any], created: Any) -> str:
        from barrack_tui.rules.cost_effects import NO_COST, cost_effect, rate_text
        from barrack_tui.rules.pricing import storage_hourly

        action = op.cost
        if not action:
            return ""
        currency = self.store.currency
        try:
            if action in NO_COST and action not in ("volume_attach", "volume_detach"):
                return cost_effect(action, currency=currency)
            target = items[0] if len(items) == 1 else None
            if action in ("deploy", "snapshot_restore"):
                if created is None:
                    return ""
                return cost_effect("deploy", currency=str(created.currency), hourly_price=created.hourly_price)
            if action in ("volume_create", "volume_resize"):
                volume = created if created is not None else target
                if volume is None:
                    return ""
                rate = rate_text(storage_hourly(volume.size_gb, currency), currency)
                if action == "volume_resize":
                    return f"resizing to {volume.size_gb:,} GB bills {rate} of storage"
                return f"creating {volume.size_gb:,} GB adds {rate} of storage"
            if action in ("volume_attach", "volume_detach", "volume_delete", "snapshot_delete"):
                size = target.size_gb if target is not None else None
                if size is None and action in ("volume_delete", "snapshot_delete"):
                    return ""
                return cost_effect(action, currency=currency, size_gb=size)
            if target is None:
                return ""
            return cost_effect(action, currency=str(target.currency), status=str(target.status),
                               hourly_price=target.hourly_price)
        except (ValueError, KeyError, AttributeError, TypeError):
            return ""  # a currency or state this version does not price: the line says nothing rather than guess

    # --- what the pollers saw ---------------------------------------------------------------------

    def observed(self, kind: str, before: Any, after: Any) -> None:
        try:
            if kind == "instances":
                self._instance(before, after)
            elif kind == "volumes":
                self._volume(before, after)
            elif kind == "balance":
                self._balance(before, after)
        except Exception:  # as in `mutation`: a poll must never fail for its log line
            log.exception("recording a %s change failed", kind)

    def _instance(self, before: Any, after: Any) -> None:
        from barrack_tui.api.models import TRANSITIONAL_VM_STATUSES

        if after is None:
            self._moving_from.pop(before.id, None)
            self.log.record("deleted", target_kind="instance", target_name=str(before.name), target_id=before.id,
                            result=OBSERVED, message=f"gone from the account (was {before.status})")
            return
        if after.status in TRANSITIONAL_VM_STATUSES:
            if before.status not in TRANSITIONAL_VM_STATUSES:
                self._moving_from[after.id] = str(before.status)
            return
        start = self._moving_from.pop(after.id, str(before.status))
        if start == str(after.status):
            return  # a reboot, or a move that came back where it began: the mutation line says it
        self.log.record("status", target_kind="instance", target_name=str(after.name), target_id=after.id,
                        result=OBSERVED, message=f"{start} -> {after.status}")

    def _volume(self, before: Any, after: Any) -> None:
        if after.instance_id:
            verb, words = "attached", f"to instance {after.instance_name or after.instance_id}"
        else:
            verb, words = "detached", f"from instance {before.instance_name or before.instance_id}"
        self.log.record(verb, target_kind="volume", target_name=str(after.name), target_id=after.id,
                        result=OBSERVED, message=words)

    def _balance(self, before: Decimal | None, after: Decimal | None) -> None:
        if before is None or after is None:
            return
        currency = self.store.currency
        for threshold in sorted(set(self._thresholds(currency)), reverse=True):
            if before >= threshold > after:
                words = f"fell below {threshold:,.2f} {currency}: {after:,.2f} {currency} left"
            elif before < threshold <= after:
                words = f"back above {threshold:,.2f} {currency}: {after:,.2f} {currency}"
            else:
                continue
            self.log.record("balance", target_kind="account", result=OBSERVED, message=words)


def balance_thresholds(currency: str) -> list[Decimal]:
    """Zero, and the least a new volume needs (below it the dashboard refuses one): the balance's lines."""
    from barrack_tui.rules.pricing import MIN_BALANCE

    minimum = MIN_BALANCE.get(currency)
    return [Decimal(0)] if minimum is None else [Decimal(0), minimum]


def _created(answer: Any) -> Any:
    """The resource a create's answer holds (`{"volume": {...}}`), if it holds one."""
    if answer is None:
        return None
    for name in _ANSWER_FIELDS:
        found = getattr(answer, name, None)
        if found is not None and hasattr(found, "id"):
            return found
    return None


def _listed(values: list[str]) -> str:
    shown = ", ".join(value for value in values[:_LISTED] if value)
    extra = len(values) - _LISTED
    return f"{shown} and {extra} more" if extra > 0 else shown
