"""The Instances table's data: indexed rows, filter terms, sort order, fleet totals. No Textual.

Rows are kept by id with everything the table draws or sorts on computed once
when an instance arrives or changes (display strings, lower-cased search text,
sort keys), so a poll that changes a few rows of a 10,000-row fleet costs a
few row rebuilds plus one filter-and-sort pass over plain tuples. `view` is the
ordered list of visible ids and `position` maps an id to its index in it, so
the table finds "its" instance again after every update.

Only the time-dependent cells (age, accrued cost) are computed at draw time,
from an injected `now`.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from barrack_tui.api.models import VMInstance, VMStatus
from barrack_tui.api.tolerant import Unknown
from barrack_tui.rules.pricing import hibernation_saving_per_hour, instance_billing_rate, period_cost
from barrack_tui.tui.kit.unknown_mark import marked

# Table columns in display order: (key, title).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("status", "Status"),
    ("region", "Region"),
    ("gpu", "GPU"),
    ("ip", "IP"),
    ("price", "Price/h"),
    ("accrued", "Accrued"),
    ("age", "Age"),
)
COLUMN_KEYS = tuple(key for key, _ in COLUMNS)
FILTER_KEYS = ("status", "region")
STATUS_ORDER = {status.value: index for index, status in enumerate(VMStatus)}
_ZERO = Decimal(0)


def short_gpu(gpu_model: str) -> str:
    """`H100-SXM5-80GB` -> `H100-SXM5`: every model has 80 GB except L40/A6000/A40, which have no suffix."""
    return gpu_model.replace("-80GB", "")


def _ip_key(address: str | None) -> tuple[int, int, int]:
    """Sort IPs numerically, IPv4 before IPv6, missing last (IPv4 parsed by hand: ipaddress is slow at 10k rows)."""
    if not address:
        return (2, 0, 0)
    octets = address.split(".")
    if len(octets) == 4 and all(o.isdigit() and len(o) <= 3 for o in octets):
        a, b, c, d = (int(o) for o in octets)
        return (0, (a << 24) | (b << 16) | (c << 8) | d, 0)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return (2, 0, 1)
    return (0 if parsed.version == 4 else 1, int(parsed), 0)


@dataclass(slots=True)
class FleetRow:
    """One instance, flattened for drawing, filtering and sorting.

    Built for every instance of a first load (10,000+), so it holds only what
    the table needs and derives the rest when asked: sort keys are made by
    `sort_key` (a sort asks once per row), the GPU label at draw time.
    """

    id: str
    name: str
    name_key: str
    status: str
    region: str
    gpu_model: str
    gpu_count: int
    public_ip: str | None
    private_ip: str | None
    currency: str
    hourly_price: Decimal
    created_ts: float
    updated_ts: float
    billing_rate: Decimal
    haystack: str
    # What the instance had cost up to `updated_ts`, carried over from the row this one replaced (each
    # period billed at its own state's rate); None when this session never saw the earlier state.
    accrued_base: Decimal | None = None

    @classmethod
    def from_instance(cls, instance: VMInstance) -> FleetRow:
        # Plain attribute reads, one casefold, no enum round-trips (a StrEnum is a str).
        flavor = instance.flavor
        gpu_model, count = flavor.gpu_model, flavor.gpu_count
        name, instance_id = instance.name, instance.id
        public_ip, private_ip = instance.public_ip, instance.private_ip
        created = instance.created_at.timestamp()
        price = instance.hourly_price
        status = instance.status
        return cls(
            instance_id,
            name,
            name.casefold(),
            status,
            instance.region,
            gpu_model,
            count,
            public_ip,
            private_ip,
            instance.currency,
            price,
            created,
            max(created, instance.updated_at.timestamp()),
            instance_billing_rate(status, price, instance.currency),
            f"{name}\x00{instance_id}\x00{public_ip or ''}\x00{private_ip or ''}\x00{gpu_model} x{count}".casefold(),
        )

    @property
    def gpu_label(self) -> str:
        return f"{short_gpu(marked(self.gpu_model))} ×{self.gpu_count}"

    def accrued_estimate(self, now: float) -> Decimal:
        """An estimate of what the instance has cost so far, without a billing request per row.

        Each period at its own rate: what the earlier states cost is carried from
        row to row as the polls see the state change (so a restore after a long
        hibernation does not bill the hibernated time at the full rate), and the
        current state's rate runs since the last change. For time before this
        session saw the instance, the full rate is assumed up to the last change
        (it was ACTIVE or SHUTOFF to get where it is). The details pane shows the
        exact billing records; the table marks this one "~".
        """
        if self.status in (VMStatus.CREATING, VMStatus.BUILD):
            return _ZERO
        base = self.accrued_base
        if base is None:
            base = period_cost(self.updated_ts - self.created_ts, self.hourly_price)
        return base + period_cost(now - self.updated_ts, self.billing_rate)

    def carry_from(self, previous: FleetRow) -> FleetRow:
        """Take over what `previous` (the same instance, one poll earlier) had accrued by this row's last change."""
        if previous.created_ts == self.created_ts and self.updated_ts >= previous.updated_ts:
            self.accrued_base = previous.accrued_estimate(self.updated_ts)
        return self

    def age_seconds(self, now: float) -> float:
        return max(0.0, now - self.created_ts)

    def sort_key(self, column: str, now: float) -> tuple[object, ...]:
        """Ties broken by name then id, so the order is total and stable across polls."""
        name_key, instance_id = self.name_key, self.id
        if column == "name":
            return (name_key, instance_id)
        if column == "status":
            return (STATUS_ORDER.get(self.status, 99), name_key, instance_id)
        if column == "region":
            return (self.region, name_key, instance_id)
        if column == "gpu":
            return (self.gpu_model, self.gpu_count, name_key, instance_id)
        if column == "price":
            return (self.billing_rate, name_key, instance_id)  # the rate shown: what is billed now
        if column == "age":
            return (-self.created_ts, name_key, instance_id)  # ascending age = newest first
        if column == "ip":
            return (_ip_key(self.public_ip or self.private_ip), name_key, instance_id)
        return (self.accrued_estimate(now), name_key, instance_id)


@dataclass(frozen=True)
class FleetFilter:
    """What `/` typed: substrings (all must match) and `status:` / `region:` terms (any value of a key)."""

    text: str = ""
    words: tuple[str, ...] = ()
    statuses: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    problems: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> FleetFilter:
        words: list[str] = []
        statuses: set[str] = set()
        regions: set[str] = set()
        problems: list[str] = []
        known_statuses = {s.value for s in VMStatus}
        for token in text.split():
            key, colon, value = token.partition(":")
            key = key.lower()
            if colon and key in FILTER_KEYS:
                values = [v.upper() for v in value.split(",") if v]
                if not values:
                    problems.append(f"{key}: needs a value, e.g. {'status:SHUTOFF' if key == 'status' else 'region:US-1'}")
                    continue
                if key == "status":
                    unknown = [v for v in values if v not in known_statuses]
                    if unknown:
                        problems.append(f"unknown status {', '.join(unknown)}")
                    statuses.update(values)
                else:
                    regions.update(values)
            elif colon and key.isalpha() and key.isascii():
                # A word before a colon is meant as a filter key: say it is not one rather than search for it.
                problems.append(f"unknown filter key {key}: use {', '.join(f'{k}:' for k in FILTER_KEYS)}")
            else:
                # Anything else, IPv6 addresses with their colons included, is a substring.
                words.append(token.casefold())
        return cls(text, tuple(words), frozenset(statuses), frozenset(regions), tuple(problems))

    @property
    def active(self) -> bool:
        return bool(self.words or self.statuses or self.regions)

    def matches(self, row: FleetRow) -> bool:
        if self.statuses and row.status not in self.statuses:
            return False
        if self.regions and row.region not in self.regions:
            return False
        haystack = row.haystack
        return all(word in haystack for word in self.words)


@dataclass
class FleetTotals:
    """The footer: how many instances per state, what the fleet costs, what idle machines cost."""

    counts: Counter[str] = field(default_factory=Counter)
    total: int = 0
    cost_per_hour: Decimal = _ZERO
    shutoff_count: int = 0
    shutoff_per_hour: Decimal = _ZERO
    shutoff_saving_per_hour: Decimal = _ZERO
    # Instances showing a status, region, GPU or currency this version does not know (their actions are disabled).
    unknown_count: int = 0

    def add(self, row: FleetRow, currency: str, sign: int = 1) -> None:
        """Count one row in (sign 1) or out (sign -1): totals follow a poll in O(changed rows)."""
        self.counts[row.status] += sign
        self.total += sign
        # Spelled out, not `any_unknown(...)`: this runs for every row of a first load (50,000 at most).
        if (
            isinstance(row.status, Unknown)
            or isinstance(row.region, Unknown)
            or isinstance(row.gpu_model, Unknown)
            or isinstance(row.currency, Unknown)
        ):
            self.unknown_count += sign
        if row.currency != currency:
            return  # V5: another currency context is not on this account's bill
        self.cost_per_hour += sign * row.billing_rate
        if row.status == VMStatus.SHUTOFF:
            self.shutoff_count += sign
            self.shutoff_per_hour += sign * row.hourly_price
            self.shutoff_saving_per_hour += sign * hibernation_saving_per_hour(row.hourly_price, row.currency)

    def merge(self, other: FleetTotals) -> None:
        self.counts.update(other.counts)
        self.total += other.total
        self.cost_per_hour += other.cost_per_hour
        self.shutoff_count += other.shutoff_count
        self.shutoff_per_hour += other.shutoff_per_hour
        self.shutoff_saving_per_hour += other.shutoff_saving_per_hour
        self.unknown_count += other.unknown_count


class FleetModel:
    """Rows by id, the filtered and sorted `view`, the position of every visible id, totals per region.

    The full sort order is cached and re-sorted only when it can have changed
    (rows added or removed, a changed row's key for the sort column differs,
    another column chosen), so the usual poll (a few statuses moved, sorted by
    name) and a filter keystroke cost one pass over the ids, no sort.
    """

    def __init__(self, *, sort_column: str = "name", sort_reverse: bool = False, filter_text: str = "") -> None:
        self.rows: dict[str, FleetRow] = {}
        self.view: list[str] = []
        self.position: dict[str, int] = {}
        self.sort_column = sort_column if sort_column in COLUMN_KEYS else "name"
        self.sort_reverse = sort_reverse
        self.filter = FleetFilter.parse(filter_text)
        # The app's region context (None = all regions): a default filter under the typed one.
        self.region_context: str | None = None
        self._currency = "USD"
        self._order: list[str] | None = None
        self._by_region: dict[str, FleetTotals] = {}

    @property
    def currency(self) -> str:
        return self._currency

    @currency.setter
    def currency(self, value: str) -> None:
        if value != self._currency:
            self._currency = value
            self._recount()

    # --- data ---------------------------------------------------------------------------------------

    def replace_all(self, instances: Iterable[VMInstance]) -> None:
        old = self.rows
        self.rows = {instance.id: FleetRow.from_instance(instance) for instance in instances}
        for instance_id in old.keys() & self.rows.keys():
            self.rows[instance_id].carry_from(old[instance_id])
        self._order = None
        self._recount()

    def apply(self, changed: Iterable[VMInstance], removed: Iterable[str] = ()) -> None:
        """Rebuild only the rows that changed; drop the removed ones."""
        column, now = self.sort_column, 0.0
        for instance in changed:
            row = FleetRow.from_instance(instance)
            old = self.rows.get(instance.id)
            if old is not None:
                row.carry_from(old)
            if old is None:
                self._order = None
            else:
                self._region_totals(old.region).add(old, self._currency, -1)
                if column != "accrued" and old.sort_key(column, now) != row.sort_key(column, now):
                    self._order = None
            self.rows[instance.id] = row
            self._region_totals(row.region).add(row, self._currency)
        for instance_id in removed:
            old = self.rows.pop(instance_id, None)
            if old is not None:
                self._region_totals(old.region).add(old, self._currency, -1)
                self._order = None

    def _region_totals(self, region: str) -> FleetTotals:
        totals = self._by_region.get(region)
        if totals is None:
            totals = self._by_region[region] = FleetTotals()
        return totals

    def _recount(self) -> None:
        self._by_region = {}
        for row in self.rows.values():
            self._region_totals(row.region).add(row, self._currency)

    # --- filter and sort ----------------------------------------------------------------------------

    def set_filter(self, text: str) -> None:
        self.filter = FleetFilter.parse(text)

    def cycle_sort(self) -> str:
        """`o`: the next column, ascending."""
        index = COLUMN_KEYS.index(self.sort_column)
        self.sort_column = COLUMN_KEYS[(index + 1) % len(COLUMN_KEYS)]
        self.sort_reverse = False
        self._order = None
        return self.sort_column

    def reverse_sort(self) -> bool:
        """`O`: the same column, the other way."""
        self.sort_reverse = not self.sort_reverse
        self._order = None
        return self.sort_reverse

    def in_context(self, row: FleetRow) -> bool:
        return self.region_context is None or row.region == self.region_context

    def rebuild_view(self, now: float) -> None:
        """The visible ids in order: re-sort only when needed, then filter (one pass, a few ms at 10,000)."""
        column = self.sort_column
        if self._order is None or column == "accrued":
            ordered = list(self.rows.values())
            ordered.sort(key=lambda row: row.sort_key(column, now), reverse=self.sort_reverse)
            self._order = [row.id for row in ordered]
        if self.filter.active or self.region_context is not None:
            rows, match, context = self.rows, self.filter.matches, self.region_context
            view = [
                row_id for row_id in self._order
                if (context is None or rows[row_id].region == context) and match(rows[row_id])
            ]
        else:
            view = list(self._order)
        if view != self.view:  # the usual poll changes statuses, not the order: keep the index
            self.position = {row_id: index for index, row_id in enumerate(view)}
        self.view = view

    def row_at(self, index: int) -> FleetRow | None:
        if 0 <= index < len(self.view):
            return self.rows.get(self.view[index])
        return None

    # --- totals -------------------------------------------------------------------------------------

    def totals(self) -> FleetTotals:
        """Counts per state and costs over the region context (what the user is looking at, unfiltered)."""
        totals = FleetTotals()
        for region, region_totals in self._by_region.items():
            if self.region_context is None or region == self.region_context:
                totals.merge(region_totals)
        totals.counts = +totals.counts  # drop states counted down to zero
        return totals

    def state(self) -> dict[str, object]:
        """What is remembered between runs."""
        return {"filter": self.filter.text, "sort_column": self.sort_column, "sort_reverse": self.sort_reverse}

    @classmethod
    def from_state(cls, state: dict[str, object]) -> FleetModel:
        filter_text = state.get("filter")
        column = state.get("sort_column")
        reverse = state.get("sort_reverse")
        return cls(
            sort_column=column if isinstance(column, str) else "name",
            sort_reverse=reverse if isinstance(reverse, bool) else False,
            filter_text=filter_text if isinstance(filter_text, str) else "",
        )
