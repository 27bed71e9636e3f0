"""The limits the server states in its pricing quote, fetched once per session for the forms.

The live service's quote states a minimum volume size, each GPU model's
`max_count` and the currencies it supports. Where it states one, the forms
pass it to the rules instead of our constant; where it states nothing (an
older server, a quote that failed), the rules keep ours. The quote is asked
for once per client (a new key at login is a new client) and shared by every
form that needs it; a failed fetch is not cached, so the next form asks again,
except when the server says it has no such operation.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass
from typing import Any

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models.pricing_quote import PricingQuote, PricingRequest, QuoteResourceEnum

log = logging.getLogger("barrack_tui.tui")

# Answers that mean "this server has no quote for us" (no route, no such method): asking again will not help.
_FINAL_STATUSES = frozenset({400, 404, 405, 422})


@dataclass(frozen=True)
class ServerLimits:
    """What the server states; None / empty where it states nothing, so the rules keep our constants."""

    volume_minimum_gb: int | None = None
    currencies: tuple[str, ...] | None = None
    quote: PricingQuote | None = None

    def gpu_max_count(self, gpu_model: str | None, tier: str | None = None) -> int | None:
        if self.quote is None or not gpu_model:
            return None
        return self.quote.gpu_max_count(gpu_model, tier)

    @classmethod
    def from_quote(cls, quote: PricingQuote) -> ServerLimits:
        # An empty currency list states nothing usable: refusing every currency would be our error, not the server's.
        currencies = quote.supported_currencies or None
        return cls(volume_minimum_gb=quote.volume_minimum_gb, currencies=currencies, quote=quote)


NO_LIMITS = ServerLimits()


class ServerLimitsCache:
    """One client's stated limits: fetched on first use, shared by concurrent askers."""

    def __init__(self, client: Any) -> None:
        self._client = weakref.ref(client)
        self._limits: ServerLimits | None = None
        self._pending: asyncio.Task[ServerLimits] | None = None

    def known(self) -> ServerLimits | None:
        """The limits if already fetched (a form can apply them before its first paint), else None."""
        return self._limits

    async def get(self) -> ServerLimits:
        if self._limits is not None:
            return self._limits
        if self._pending is None or self._pending.done():
            self._pending = asyncio.ensure_future(self._fetch())
        # Shielded: a form closed mid-fetch cancels its own wait, not the fetch another form shares.
        return await asyncio.shield(self._pending)

    async def _fetch(self) -> ServerLimits:
        client = self._client()
        if client is None:
            return NO_LIMITS
        try:
            quote = await client.quote_price(PricingRequest(resource_type=QuoteResourceEnum.GPUS))
        except ApiError as exc:
            log.debug("no stated limits: %s", exc)
            if exc.status in _FINAL_STATUSES:
                self._limits = NO_LIMITS
            return NO_LIMITS
        self._limits = ServerLimits.from_quote(quote)
        return self._limits


_CACHES: weakref.WeakKeyDictionary[Any, ServerLimitsCache] = weakref.WeakKeyDictionary()


def limits_cache(client: Any) -> ServerLimitsCache:
    """The cache of `client` (the app's action client), made on first use."""
    cache = _CACHES.get(client)
    if cache is None:
        cache = _CACHES[client] = ServerLimitsCache(client)
    return cache


def region_tier(store: Any, region: str | None) -> str | None:
    """The tier of `region` as the store's region list has it (None until regions load)."""
    for info in getattr(store, "regions", ()) or ():
        if str(info.name) == region:
            return str(info.tier)
    return None
