"""A server that is almost the simulator: the simulator's answers, rewritten the way a real service might differ.

`DeviantTransport` sits between the client and the in-process simulator and
changes chosen answers (a renamed field, a status this version does not know,
an extra field, an error, a body that is not JSON). It also records every
request's method and path, so a test can prove doctor sent nothing but GET.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from barrack_tui.sim.app import create_app
from barrack_tui.sim.state import SimState

API = "/api/v1"

Rewrite = Callable[[httpx.Request, Any], Any]


def rename_instance_status(request: httpx.Request, body: Any) -> Any:
    """`instances[].status` arrives as `state`, as if the service had renamed it."""
    if request.url.path == f"{API}/instances":
        for item in body["instances"]:
            item["state"] = item.pop("status")
    return body


def volume_status_resizing(request: httpx.Request, body: Any) -> Any:
    """The first volume is in a status this version has never seen."""
    if request.url.path == f"{API}/volumes" and body["volumes"]:
        body["volumes"][0]["status"] = "resizing"
    return body


def flavor_gpu_arch(request: httpx.Request, body: Any) -> Any:
    """Every listed instance's flavor carries a field no model declares."""
    if request.url.path == f"{API}/instances":
        for item in body["instances"]:
            item["flavor"]["gpu_arch"] = "blackwell"
    return body


def balance_without_currency(request: httpx.Request, body: Any) -> Any:
    """The balance lacks a required field: the whole answer cannot be read."""
    if request.url.path == f"{API}/balance":
        body.pop("currency", None)
    return body


@dataclass
class Canned:
    status: int
    body: bytes
    content_type: str = "application/json"


@dataclass
class DeviantTransport(httpx.AsyncBaseTransport):
    """The simulator behind a rewriting, recording layer."""

    rewrites: tuple[Rewrite, ...] = ()
    # path -> an answer served instead of the simulator's
    canned: dict[str, Canned | Callable[[httpx.Request], Canned]] = field(default_factory=dict)
    state: SimState | None = None
    envelope: bool = False
    seen: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.inner = httpx.ASGITransport(app=create_app(self.state, envelope=self.envelope))

    @property
    def methods(self) -> set[str]:
        return {method for method, _ in self.seen}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, request.url.path))
        canned = self.canned.get(request.url.path)
        if canned is not None:
            answer = canned(request) if callable(canned) else canned
            return httpx.Response(answer.status, content=answer.body, headers={"content-type": answer.content_type})
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        if not self.rewrites or response.status_code != 200:
            return httpx.Response(response.status_code, content=content, headers=response.headers)
        body = json.loads(content)
        for rewrite in self.rewrites:
            body = rewrite(request, body)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return httpx.Response(200, content=json.dumps(body).encode(), headers=headers)
