"""`preload()`: load the client, and what its first requests would load, in a worker thread ahead of the session.

A session's first requests pay for more than the client module: creating the first httpx client imports
httpcore and h11, the first request anyio's asyncio backend, and the first answer of each kind builds its
model's validator (the models defer that: `defer_build`) and pydantic's plugin list (importlib.metadata).
Left to themselves these run on the app's event loop, between the first frame and the first content; done
here, in the thread that loads the client anyway, the first requests find them ready.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import sys

__all__ = ["FIRST_REQUEST_MODULES", "preload"]

# What the first client and its first request import: httpx imports httpcore (with h11 and anyio) when it
# creates a client, and anyio imports its asyncio backend at the first request. A name this version of a
# dependency does not have is skipped.
FIRST_REQUEST_MODULES = (
    "httpcore",
    "anyio._backends._asyncio",
)


_loaded = False


def preload(base_url: str | None = None) -> None:
    """Import `barrack_tui.api.client` and what the first requests import; build the first reads' validators.

    For a worker thread (the first call blocks ~0.15 s); later calls only do what `base_url` adds. With an
    https `base_url`, also loads the verifying TLS context a client for it is built with (the CA bundle:
    ~25 ms). A bad CA bundle is skipped here: the client refuses it, with its usual message, when built.

    The first call pauses the cyclic collector meanwhile and freezes what is alive after (`gc.freeze()`):
    loading creates only long-lived objects (modules, classes, schemas), over which the collector started a
    full pass (~20 ms) and several young ones that freed nothing; resumed unfrozen, it would walk them all
    again soon after, on the app's event loop. Once per process, so a caller that starts the app many times
    (a test run) pins nothing more.
    """
    global _loaded
    if not _loaded:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            _load()
        finally:
            gc.freeze()
            if was_enabled:
                gc.enable()
        _loaded = True
    if base_url is not None:
        _load_tls_context(base_url)


def _load() -> None:
    importlib.import_module("barrack_tui.api.client")
    for name in FIRST_REQUEST_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    _skip_missing_sniffio()
    _build_first_validators()


def _skip_missing_sniffio() -> None:
    # httpcore asks which async library runs (asyncio or trio) with `import sniffio` each time it sets up a
    # lock or an event, a few times per request; without sniffio installed that import searches every
    # sys.path entry before failing (~50 us each). A None in sys.modules is the import system's documented
    # "not available": the same ImportError, at once. Only when sniffio really cannot be found.
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def _build_first_validators() -> None:
    """The models a session's first reads validate with: the balance, the fleet, volumes, snapshots, the catalogue."""
    from barrack_tui.api.models.catalogue import (
        CreditBalanceResponse,
        GPUStocksResponse,
        PricingResponse,
        RegionsResponse,
    )
    from barrack_tui.api.models.common import ErrorResponse, Pagination
    from barrack_tui.api.models.instances import VMInstance
    from barrack_tui.api.models.snapshots import Snapshot, SnapshotListResponse
    from barrack_tui.api.models.volumes import GetVolumesWithNextNameResponse, VolumeResponse

    for model in (
        CreditBalanceResponse,
        VMInstance,
        Pagination,
        VolumeResponse,
        GetVolumesWithNextNameResponse,
        Snapshot,
        SnapshotListResponse,
        RegionsResponse,
        GPUStocksResponse,
        PricingResponse,
        ErrorResponse,
    ):
        # Builds a deferred model's validator now (a no-op once built) as its first validation would, and as
        # there, a model that cannot be built yet is left for later rather than raised.
        model.model_rebuild(raise_errors=False)


def _load_tls_context(base_url: str) -> None:
    from barrack_tui.api.transport import TransportSetupError, tls_for

    try:
        tls_for(base_url)
    except TransportSetupError:
        pass
