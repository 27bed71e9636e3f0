"""`BarrackClient`: one async method per operation of the Barrack API contract.

The methods live in per-area mixins (`_catalogue`, `_instances`, `_volumes`,
`_firewalls`, `_resources`, `_chat`) over the shared transport core in
`client_base`; this module assembles them. Typical use::

    async with BarrackClient(base_url, api_key) as client:
        instances = await client.list_instances()
"""

from __future__ import annotations

from barrack_tui.api._catalogue import CatalogueMixin
from barrack_tui.api._chat import ChatMixin
from barrack_tui.api._firewalls import FirewallsMixin
from barrack_tui.api._instances import InstancesMixin
from barrack_tui.api._resources import KeysScriptsMixin, SnapshotsImagesMixin
from barrack_tui.api._volumes import VolumesMixin
from barrack_tui.api.client_base import ResponseObserver
from barrack_tui.api.keyed_read import KeyedListsMixin
from barrack_tui.api.pages import DEFAULT_PER_PAGE
from barrack_tui.api.stream import ChatStream
from barrack_tui.api.wire import Timeouts

__all__ = ["BarrackClient", "ChatStream", "DEFAULT_PER_PAGE", "ResponseObserver", "Timeouts"]


class BarrackClient(
    CatalogueMixin,
    InstancesMixin,
    VolumesMixin,
    FirewallsMixin,
    KeysScriptsMixin,
    SnapshotsImagesMixin,
    KeyedListsMixin,
    ChatMixin,
):
    """The Barrack API over HTTP: typed results, typed errors, timeouts and safe retries.

    BarrackClient(base_url, api_key, *, timeouts=Timeouts(), transport=None, sleep=asyncio.sleep,
    max_retries=3, random=random.random, on_response=None)
    """

    async def __aenter__(self) -> BarrackClient:
        return self
