"""The latest data of every resource kind, the pollers that keep it fresh, and change messages.

Screens never poll: they subscribe, read the store's dictionaries, and react to
`StoreChanged` (which names the ids added, removed and changed, so rows and
cards update in place). One list request per kind per cycle, never one per
resource.

Each kind's fetch runs as a task of its own: a list endpoint that hangs until
its timeout delays only its own area, never the others' next poll. The store
also keeps, per kind, how the last poll went (`kind_health`) and what the last
good read held besides the items (`kind_items`: how many the server sent,
which it could not read, where a long walk was cut), for each area to say.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from textual.message import Message
from textual.message_pump import MessagePump

from barrack_tui.account.config import PollSettings
from barrack_tui.api.enums import TRANSITIONAL_VM_STATUSES, ResourceStatus, VMStatus, VolumeStatus
from barrack_tui.api.errors import AuthError, NotFoundError
from barrack_tui.tui.shell.heap import BIG_LOAD
from barrack_tui.tui.shell.poll_health import KindItems
from barrack_tui.tui.shell.poll_loop import Health, PollLoop

if TYPE_CHECKING:  # the models and the client load with the session, after the first frame
    from barrack_tui.api.client import BarrackClient
    from barrack_tui.api.models import CreditBalanceResponse, VMInstance
    from barrack_tui.rules.pricing import CostBreakdown

__all__ = ["ALWAYS_POLLED", "ChangeSet", "Health", "NotConnectedError", "PollHealthChanged", "Store", "StoreChanged"]

R = TypeVar("R")

ALWAYS_POLLED = ("instances", "balance")
# The header's storage part needs these whatever area is in view (the app asks for them).
COST_KINDS = ("volumes", "snapshots")
_PRICED_KINDS = frozenset({"instances", "balance", *COST_KINDS})

# Kinds kept as {id: model}; the rest are single values.
KEYED_KINDS = ("instances", "volumes", "firewalls", "ssh_keys", "scripts", "snapshots", "images")


def _takes_a_look(client: Any) -> bool:
    """Whether the client can hand a big first load over as a look before validating it (test doubles cannot)."""
    return getattr(client, "SHOWS_FLEET_LOOK", False) is True


class NotConnectedError(Exception):
    """A request asked for before sign-in (a screen raced the login)."""


@dataclass(frozen=True)
class ChangeSet:
    kind: str
    added: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    changed: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


class StoreChanged(Message):
    """Posted to every subscriber when a poll or an action changed some kind's data."""

    def __init__(self, change: ChangeSet) -> None:
        super().__init__()
        self.change = change
        self.kind = change.kind


class PollHealthChanged(Message):
    """Posted when the store's connection health or data age may read differently."""


# Keyed by str, not VMStatus: an unreadable status (Unknown, a str) is looked up too and finds nothing.
STABLE_NOTICE: dict[str, str] = {
    VMStatus.SHUTOFF: "{name} is SHUTOFF — volumes can be detached now",
    VMStatus.ACTIVE: "{name} is ACTIVE",
    VMStatus.HIBERNATED: "{name} is HIBERNATED — billed at the hibernation rate",
    VMStatus.ERROR: "{name} is in ERROR — only delete is possible",
}


@dataclass
class Store(PollLoop):
    client_getter: Callable[[], Any]
    settings: PollSettings
    # The client for what screens and dialogs ask (retries on, read-only guarded); None before sign-in.
    action_client_getter: Callable[[], Any] = lambda: None
    clock: Callable[[], float] = time.monotonic
    notify: Callable[[str, str], None] | None = None
    on_auth_error: Callable[[AuthError], None] | None = None
    # Called when a poll added `heap.BIG_LOAD` items of a kind or more (the app freezes the settled heap).
    on_big_load: Callable[[], None] | None = None
    # Told what a poll saw change (kind, before, after; None when there is no before or after): an instance's
    # status, a volume's attachment, the balance. The app's activity log listens; the store knows no log.
    on_observed: Callable[[str, Any, Any], None] | None = None
    instances: dict[str, VMInstance] = field(default_factory=dict)
    volumes: dict[str, Any] = field(default_factory=dict)
    firewalls: dict[str, Any] = field(default_factory=dict)
    ssh_keys: dict[str, Any] = field(default_factory=dict)
    scripts: dict[str, Any] = field(default_factory=dict)
    snapshots: dict[str, Any] = field(default_factory=dict)
    images: dict[str, Any] = field(default_factory=dict)
    next_volume_name: str = "volume1"
    balance: CreditBalanceResponse | None = None
    regions: list[Any] = field(default_factory=list)
    stocks: list[Any] = field(default_factory=list)
    prices: list[Any] = field(default_factory=list)
    loaded: set[str] = field(default_factory=set)
    # The jitter of failed polls' backoff (tests pass a fixed one).
    random: Callable[[], float] | None = None
    # Kinds polled in every area besides ALWAYS_POLLED (the app passes COST_KINDS for the header's storage part).
    background_kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._init_loop(self.random)
        self.visible: set[str] = set()
        # Kinds a screen keeps polled while another screen is shown (a stock watch), by the screen's reason.
        self.held: dict[str, set[str]] = {}
        # Firewalls whose details (rules, attachments) an open screen shows, and what was last read of each.
        self.firewall_details: dict[str, Any] = {}
        self._followed_firewalls: set[str] = set()
        self._subscribers: list[MessagePump] = []
        # I3 burn rate kept as a running total: the header reads it every second, and summing
        # 10,000 instances each time would cost ~50 ms of UI time.
        self._instance_rates: dict[str, tuple[str, Decimal]] = {}
        self._burn_by_currency: dict[str, Decimal] = {}
        self._costs: CostBreakdown | None = None
        self._instance_listing: Any = None
        # A big fleet's first load while it is validated: its pages, and the look at them once a screen asks.
        self._fleet_pages: list[bytes] | None = None
        self._fleet_count = 0
        self._fleet_look: dict[str, Any] | None = None
        self._upserted_since_poll: set[str] = set()
        # Each keyed kind as last read, so the next poll validates only items whose bytes changed.
        self._listings: dict[str, Any] = {}
        self._fetchers: dict[str, Callable[[Any], Awaitable[ChangeSet]]] = {
            "instances": self._fetch_instances,
            "balance": self._fetch_balance,
            "volumes": self._fetch_volumes,
            "firewalls": lambda c: self._fetch_keyed("firewalls", c, lambda: c.list_firewalls()),
            "ssh_keys": lambda c: self._fetch_keyed("ssh_keys", c, lambda: c.list_ssh_keys()),
            "scripts": lambda c: self._fetch_keyed("scripts", c, lambda: c.list_scripts()),
            "snapshots": lambda c: self._fetch_keyed("snapshots", c, lambda: c.list_snapshots()),
            "images": lambda c: self._fetch_keyed("images", c, lambda: c.list_images()),
            "regions": self._fetch_regions,
            "stocks": self._fetch_stocks,
            "prices": self._fetch_prices,
            "firewall_details": self._fetch_firewall_details,
        }

    def first_requests(self) -> dict[str, tuple[str, dict[str, Any] | None]]:
        """The first page of each kind polled now, as kind: (operation, query): what a session sends first.

        The same requests the fetchers below make on a first read (api/early.py sends them ahead of the
        client); a kind whose first read is not a plain GET is left out.
        """
        from barrack_tui.api.pages import DEFAULT_PER_PAGE  # here: the first frame needs no page walking

        first_page = {"page": 1, "per_page": DEFAULT_PER_PAGE}
        requests: dict[str, tuple[str, dict[str, Any] | None]] = {
            "instances": ("list_instances", first_page),
            "balance": ("get_balance", None),
            "volumes": ("list_volumes", first_page),
            "firewalls": ("list_firewalls", None),
            "ssh_keys": ("list_ssh_keys", None),
            "scripts": ("list_scripts", None),
            "snapshots": ("list_snapshots", None),
            "images": ("list_images", None),
            "regions": ("list_regions", None),
            "stocks": ("get_gpu_stocks", None),
            "prices": ("get_pricing", {"currency": self.currency}),
        }
        return {kind: requests[kind] for kind in self.active_kinds if kind in requests}

    # --- requests from screens and dialogs -------------------------------------------------------

    @property
    def connected(self) -> bool:
        """Signed in: requests can be sent."""
        return self.action_client_getter() is not None

    def send(self, call: Callable[[BarrackClient], R]) -> R:
        """Run `call` with the session's client: how every screen and dialog reaches the API.

        Screens never hold the client: each request they make is written as a call through here, so
        one place sees them all (the read-only guard wraps this client; a log of what was sent would
        start here), and the reads that keep data current stay the pollers' alone.
        """
        client = self.action_client_getter()
        if client is None:
            raise NotConnectedError("Not connected to the API yet.")
        return call(client)

    def limits(self) -> Any:
        """The server's stated limits (volume minimum, GPU counts), read once per session's client."""
        from barrack_tui.tui.kit.server_limits import limits_cache

        return limits_cache(self.action_client_getter())

    # --- subscribers ------------------------------------------------------------------------------

    def subscribe(self, node: MessagePump) -> None:
        if node not in self._subscribers:
            self._subscribers.append(node)

    def unsubscribe(self, node: MessagePump) -> None:
        if node in self._subscribers:
            self._subscribers.remove(node)

    def publish(self, change: ChangeSet) -> None:
        # Only a change re-prices: a calm poll of a 10,000-instance fleet re-priced it all (~7 ms) each time.
        if change and change.kind in _PRICED_KINDS:
            self._costs = None
        if change:
            for node in list(self._subscribers):
                node.post_message(StoreChanged(change))

    def _publish_health(self) -> None:
        for node in list(self._subscribers):
            node.post_message(PollHealthChanged())

    # --- what is polled ---------------------------------------------------------------------------

    @property
    def active_kinds(self) -> list[str]:
        always = list(ALWAYS_POLLED) + [kind for kind in self.background_kinds if kind not in ALWAYS_POLLED]
        return always + sorted((self.visible | set(self.held)) - set(always))

    def hold(self, kind: str, reason: str) -> None:
        """Keep `kind` polled on its own schedule wherever the user is, until every reason is released."""
        if kind in self._fetchers:
            self.held.setdefault(kind, set()).add(reason)
            self._wake.set()

    def follow_firewall(self, firewall_id: str) -> None:
        """Poll this firewall's details (fast while an attachment is still ATTACHING) until unfollowed."""
        self._followed_firewalls.add(firewall_id)
        self.hold("firewall_details", firewall_id)
        self.schedule.request_now("firewall_details", self.clock())

    def unfollow_firewall(self, firewall_id: str) -> None:
        self._followed_firewalls.discard(firewall_id)
        self.firewall_details.pop(firewall_id, None)
        self.release("firewall_details", firewall_id)

    def release(self, kind: str, reason: str) -> None:
        reasons = self.held.get(kind, set())
        reasons.discard(reason)
        if not reasons:
            self.held.pop(kind, None)

    def set_visible(self, kinds: Iterable[str]) -> None:
        """The kinds the visible screen shows; newly visible kinds are fetched at once."""
        kinds = {k for k in kinds if k in self._fetchers}
        now = self.clock()
        for kind in kinds - self.visible:
            if self.schedule.status(kind).failures == 0:
                self.schedule.request_now(kind, now)
        self.visible = kinds
        self._wake.set()

    def is_busy(self, kind: str) -> bool:
        """Is something of this kind moving, so its poller should run fast?"""
        if kind == "instances":
            return any(i.status in TRANSITIONAL_VM_STATUSES for i in self.instances.values()) or any(
                v.status == VolumeStatus.CREATING for v in self.volumes.values()
            )
        if kind == "volumes":
            return any(v.status == VolumeStatus.CREATING for v in self.volumes.values()) or self.is_busy("instances")
        if kind == "firewall_details":
            return any(
                str(attachment.status) == "ATTACHING"
                for details in self.firewall_details.values()
                for attachment in details.attachments
            )
        if kind in ("snapshots", "images", "firewalls"):
            return any(item.status == ResourceStatus.CREATING for item in getattr(self, kind).values())
        return False

    # --- fetchers ---------------------------------------------------------------------------------

    async def _fetch_instances(self, client: Any) -> ChangeSet:
        # Incremental: only instances whose JSON bytes changed are validated, and those are the changes,
        # so a poll of a calm 10,000-instance fleet does not compare 10,000 models on the UI loop.
        first_load = self._instance_listing is None and not self.instances
        try:
            if first_load and _takes_a_look(client):
                listing = await client.list_instances_incremental(None, look=self._keep_fleet_pages)
            else:
                listing = await client.list_instances_incremental(self._instance_listing)
        finally:
            # Validated (or given up): whoever showed the look takes the fleet from here.
            self._fleet_pages, self._fleet_look = None, None
        refused = tuple(getattr(listing, "refused", ()) or ())
        self._items["instances"] = KindItems(
            len(listing.instances) + len(refused), refused, getattr(listing, "cut", None), getattr(listing, "request_id", None)
        )
        previous = self.instances
        self._instance_listing = listing
        self.instances = listing.instances
        added = listing.instances.keys() - previous.keys()
        removed = previous.keys() - listing.instances.keys()
        changed = {key for key in listing.validated if key in previous}
        # An action's answer upserted since the last poll differs from what the poll says: report it too.
        changed |= {key for key in self._upserted_since_poll if key in listing.instances and key not in added}
        self._upserted_since_poll.clear()
        change = ChangeSet("instances", frozenset(added), frozenset(removed), frozenset(changed))
        # Before the rates: pricing a big first load allocates a tuple per instance, and with the collector
        # running that set off full collections over the whole new heap (~0.3 s at 50,000).
        if len(added) >= BIG_LOAD and self.on_big_load is not None:
            self.on_big_load()
        self._track_rates(change)
        if "instances" in self.loaded:
            self._announce_settled(previous, change)
        return change

    def _keep_fleet_pages(self, bodies: list[bytes], count: int) -> None:
        """A big fleet's first load, read but not yet validated: kept for a look, which is read only if asked for."""
        self._fleet_pages, self._fleet_count, self._fleet_look = bodies, count, None
        for node in list(self._subscribers):
            node.post_message(StoreChanged(ChangeSet("fleet_look")))

    def fleet_look(self) -> dict[str, Any] | None:
        """The Instances table's fields of a big first load being validated (api/fleet_look.py), by id, or None.

        Read the first time a screen asks (~30 ms at 10,000, ~0.16 s at 50,000; nothing when no screen that
        shows it is open), kept until the validated fleet is in. None when there is none, or it is unreadable.
        """
        if self._fleet_look is None and self._fleet_pages is not None:
            from barrack_tui.api.fleet_look import read_fleet_look  # the models are loaded by now; this is not

            # The look and its table rows are as many objects as the fleet: the collector waits for them too.
            if self._fleet_count >= BIG_LOAD and self.on_big_load is not None:
                self.on_big_load()
            self._fleet_look = read_fleet_look(self._fleet_pages) or {}  # {}: unreadable, not read again
        return self._fleet_look or None

    async def _fetch_volumes(self, client: Any) -> ChangeSet:
        if hasattr(client, "list_keyed_incremental"):
            change = await self._fetch_keyed("volumes", client, client.list_volumes)
            self.next_volume_name = self._listings["volumes"].shell.next_name
            return change
        answer = await client.list_volumes()
        self.next_volume_name = answer.next_name
        self._items["volumes"] = KindItems.of(answer.volumes)
        return self.replace_keyed("volumes", answer.volumes)

    async def _fetch_keyed(self, kind: str, client: Any, plain: Callable[[], Awaitable[Any]]) -> ChangeSet:
        incremental = getattr(client, "list_keyed_incremental", None)
        if incremental is None:  # a client without the incremental read (a test double): the whole list
            items = await plain()
            self._items[kind] = KindItems.of(items)
            return self.replace_keyed(kind, items)
        # Only items whose bytes changed since the last read are validated (api/keyed_read.py).
        listing = await incremental(kind, self._listings.get(kind))
        self._listings[kind] = listing
        self._items[kind] = KindItems.of(listing)
        old: dict[str, Any] = getattr(self, kind)
        new = dict(listing.items)  # a copy: upserts and removals between polls must not touch the listing
        # An unchanged item kept its model, so any other object is new bytes or an action's answer since.
        changed = {key for key in new.keys() & old.keys() if new[key] is not old[key]}
        return self._replaced(kind, old, new, changed)

    async def _fetch_firewall_details(self, client: Any) -> ChangeSet:
        changed: set[str] = set()
        removed: set[str] = set()
        for firewall_id in sorted(self._followed_firewalls):
            try:
                details = await client.get_firewall(firewall_id)
            except NotFoundError:
                self.firewall_details.pop(firewall_id, None)
                removed.add(firewall_id)
                continue
            if firewall_id not in self._followed_firewalls:
                continue  # its screen closed while the answer was on its way
            if self.firewall_details.get(firewall_id) != details:
                changed.add(firewall_id)
            self.firewall_details[firewall_id] = details
        return ChangeSet("firewall_details", removed=frozenset(removed), changed=frozenset(changed))

    def _set_value(self, kind: str, value: Any) -> ChangeSet:
        changed = value != getattr(self, kind)
        setattr(self, kind, value)
        return ChangeSet(kind, changed=frozenset({kind}) if changed else frozenset())

    async def _fetch_balance(self, client: Any) -> ChangeSet:
        before = self.balance_amount
        change = self._set_value("balance", await client.get_balance())
        if change and "balance" in self.loaded:
            self._observed("balance", before, self.balance_amount)
        return change

    def _set_list(self, kind: str, items: Any) -> ChangeSet:
        self._items[kind] = KindItems.of(items)
        return self._set_value(kind, items)

    async def _fetch_regions(self, client: Any) -> ChangeSet:
        return self._set_list("regions", await client.list_regions())  # the client already unwraps RegionsResponse

    async def _fetch_stocks(self, client: Any) -> ChangeSet:
        return self._set_list("stocks", (await client.get_gpu_stocks()).items)

    async def _fetch_prices(self, client: Any) -> ChangeSet:
        return self._set_list("prices", (await client.get_pricing(self.currency)).prices)

    # --- updates in place -------------------------------------------------------------------------

    def replace_keyed(self, kind: str, items: Iterable[Any]) -> ChangeSet:
        old: dict[str, Any] = getattr(self, kind)
        new = {item.id: item for item in items}
        added = new.keys() - old.keys()
        changed: set[str] = set()
        for key in new.keys() & old.keys():
            if new[key] == old[key]:
                new[key] = old[key]  # keep the model already held: a calm poll of 50,000 keeps no second copy
            else:
                changed.add(key)
        from barrack_tui.api.compact import share_fields_sets  # pydantic: here, the models are loaded already

        share_fields_sets(new[key] for key in added | changed)
        return self._replaced(kind, old, new, changed)

    def _replaced(self, kind: str, old: dict[str, Any], new: dict[str, Any], changed: set[str]) -> ChangeSet:
        setattr(self, kind, new)
        added = new.keys() - old.keys()
        change = ChangeSet(kind, frozenset(added), frozenset(old.keys() - new.keys()), frozenset(changed))
        if change and kind in _PRICED_KINDS:
            self._costs = None
        if len(added) >= BIG_LOAD and self.on_big_load is not None:
            self.on_big_load()  # first, as in `_fetch_instances`
        if kind == "instances":
            self._track_rates(change)
        if kind == "volumes" and kind in self.loaded:
            for key in changed:
                if getattr(old[key], "instance_id", None) != getattr(new[key], "instance_id", None):
                    self._observed("volumes", old[key], new[key])
        return change

    def upsert(self, kind: str, item: Any) -> None:
        """Show an action's answer at once (e.g. STOPPING), before the next poll confirms it."""
        table: dict[str, Any] = getattr(self, kind)
        is_new = item.id not in table
        table[item.id] = item
        key = frozenset({item.id})
        change = ChangeSet(kind, added=key) if is_new else ChangeSet(kind, changed=key)
        if kind == "instances":
            self._track_rates(change)
            self._upserted_since_poll.add(item.id)
        self.publish(change)
        if kind == "instances" and item.status in TRANSITIONAL_VM_STATUSES:
            self.schedule.reschedule("instances", self.clock(), busy=True)
            self._wake.set()

    def remove(self, kind: str, item_id: str) -> None:
        table: dict[str, Any] = getattr(self, kind)
        if table.pop(item_id, None) is not None:
            change = ChangeSet(kind, removed=frozenset({item_id}))
            if kind == "instances":
                self._track_rates(change)
            self.publish(change)

    def _track_rates(self, change: ChangeSet) -> None:
        # Running totals per currency: the header reads them every second, and pricing 10,000
        # instances each time would cost ~50 ms of UI time.
        from barrack_tui.rules.pricing import instance_billing_rate  # with the first data, not the first frame

        zero = Decimal("0")
        burn = self._burn_by_currency
        for key in change.removed:
            currency, rate = self._instance_rates.pop(key, ("", zero))
            burn[currency] = burn.get(currency, zero) - rate
        for key in change.added | change.changed:
            instance = self.instances[key]
            currency = str(instance.currency)
            old_currency, old_rate = self._instance_rates.get(key, (currency, zero))
            burn[old_currency] = burn.get(old_currency, zero) - old_rate
            rate = instance_billing_rate(instance.status, instance.hourly_price, currency)
            burn[currency] = burn.get(currency, zero) + rate
            self._instance_rates[key] = (currency, rate)
        if change:
            self._costs = None

    def _observed(self, kind: str, before: Any, after: Any) -> None:
        if self.on_observed is not None:
            self.on_observed(kind, before, after)

    def _announce_settled(self, previous: dict[str, VMInstance], change: ChangeSet) -> None:
        for key in change.changed:
            before, after = previous[key], self.instances[key]
            if before.status != after.status:
                self._observed("instances", before, after)
            settled = before.status in TRANSITIONAL_VM_STATUSES and after.status not in TRANSITIONAL_VM_STATUSES
            if self.notify is not None and settled:
                template = STABLE_NOTICE.get(after.status)
                if template:
                    severity = "error" if after.status == VMStatus.ERROR else "information"
                    self.notify(template.format(name=after.name), severity)
        for key in change.removed:
            before = previous[key]
            self._observed("instances", before, None)
            if self.notify is not None and before.status == VMStatus.DELETING:
                self.notify(f"{before.name} was deleted", "information")

    # --- derived values ---------------------------------------------------------------------------

    @property
    def currency(self) -> str:
        return str(self.balance.currency) if self.balance else "USD"

    @property
    def balance_amount(self) -> Any:
        if not self.balance:
            return None
        for entry in self.balance.balances:
            if entry.currency == self.balance.currency:
                return entry.amount
        return None

    def burn_rate_per_hour(self) -> Decimal:
        """I3: what the instances on this account's bill cost per hour right now (storage is `costs()`'s own part)."""
        return self._burn_by_currency.get(self.currency, Decimal("0"))

    def costs(self) -> CostBreakdown:
        """The account's cost per hour in parts (`rules.pricing.cost_breakdown`), kept until the data changes.

        Instances come from the running totals (the same per-instance rule); volumes
        and snapshots are few enough to price on each change.
        """
        # Imported here: the rules it prices by are not needed before the first data (nor the first frame).
        from barrack_tui.rules.pricing import CostBreakdown, snapshot_storage_rate, storage_part, volume_storage_rate

        costs = self._costs
        if costs is None or costs.currency != self.currency:
            currency = self.currency
            rates = self._instance_rates
            costs = self._costs = CostBreakdown(
                currency,
                self.burn_rate_per_hour(),
                storage_part("volumes", self.volumes.values(), volume_storage_rate, currency),
                storage_part("snapshots", self.snapshots.values(), snapshot_storage_rate, currency),
                {key: rate for key, (where, rate) in rates.items() if where == currency},
                tuple(sorted({where for where, _ in rates.values() if where != currency})),
            )
        return costs

    def storage_known(self) -> bool:
        """Have volumes and snapshots been read at least once (else the storage part is not yet known)?"""
        return {"volumes", "snapshots"} <= self.loaded
