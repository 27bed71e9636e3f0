"""A scripted HTTP transport for client tests: replies in order, records requests, tracks closed bodies."""

from __future__ import annotations

import json as jsonlib
from collections.abc import Callable, Iterable
from typing import Any

import httpx

from barrack_tui.api.client import BarrackClient

CANARY_KEY = "canary-SECRET-1234"
BASE_URL = "http://sim.test"

Step = Callable[[httpx.Request], Any]


class TrackedStream(httpx.AsyncByteStream):
    """A response body that remembers whether it was closed; an exception in `parts` is raised mid-body."""

    def __init__(self, parts: Iterable[bytes | BaseException], gate: Any = None) -> None:
        self.parts = list(parts)
        self.gate = gate
        self.closed = False

    async def __aiter__(self):
        for part in self.parts:
            if isinstance(part, BaseException):
                raise part
            if part == b"" and self.gate is not None:
                await self.gate.wait()  # hang here, like a server thinking
                continue
            yield part

    async def aclose(self) -> None:
        self.closed = True


def reply(
    status: int,
    *,
    json: Any = None,
    text: str | None = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    parts: Iterable[bytes | BaseException] | None = None,
    gate: Any = None,
) -> Step:
    def step(request: httpx.Request) -> tuple[int, dict[str, str], TrackedStream]:
        all_headers = dict(headers or {})
        if json is not None:
            payload = [jsonlib.dumps(json).encode()]
            all_headers.setdefault("content-type", "application/json")
        elif text is not None:
            payload = [text.encode()]
        elif body is not None:
            payload = [body]
        else:
            payload = list(parts or [])
        return status, all_headers, TrackedStream(payload, gate)

    return step


def fail(exc_type: type[httpx.TransportError], message: str = "failed") -> Step:
    def step(request: httpx.Request) -> None:
        raise exc_type(message, request=request)

    return step


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


class ScriptedTransport(httpx.AsyncBaseTransport):
    """Answers each request with the next step; the last step repeats."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []
        self.streams: list[TrackedStream] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        status, headers, stream = step(request)
        self.streams.append(stream)
        return httpx.Response(status, headers=headers, stream=stream)

    @property
    def open_streams(self) -> list[TrackedStream]:
        return [stream for stream in self.streams if not stream.closed]

    def bodies(self) -> list[Any]:
        return [jsonlib.loads(request.content) if request.content else None for request in self.requests]


class FakeSleep:
    """Records every wait instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def make_client(transport: httpx.AsyncBaseTransport, **kwargs: Any) -> BarrackClient:
    kwargs.setdefault("sleep", FakeSleep())
    kwargs.setdefault("random", lambda: 1.0)
    return BarrackClient(BASE_URL, kwargs.pop("api_key", CANARY_KEY), transport=transport, **kwargs)


def instance_wire(instance_id: str = "ins-0001", name: str = "gpu-train-1", status: str = "ACTIVE") -> dict[str, Any]:
    return {
        "id": instance_id,
        "name": name,
        "status": status,
        "region": "NORWAY-1",
        "flavor": {"gpu_model": "H100-SXM5-80GB", "gpu_count": 1, "vcpus": 20, "ram_gb": 120, "storage_gb": 500},
        "image": {"id": "img-ubuntu-22", "name": "Ubuntu 22.04"},
        "private_ip": "10.0.0.5",
        "public_ip": None,
        "ssh_key_ids": ["key-0001"],
        "currency": "USD",
        "hourly_price": "2.50",
        "created_at": "2026-11-18T08:00:00Z",
        "updated_at": "2026-11-18T08:00:00Z",
        "server_uuid": "6f1c",
        "deployment_id": "DEP0000001",
    }


def volume_wire(volume_id: str = "vol-0001", name: str = "data-1", status: str = "available") -> dict[str, Any]:
    return {
        "id": volume_id,
        "name": name,
        "status": status,
        "size_gb": 100,
        "region": "NORWAY-1",
        "volume_type": "Cloud-SSD",
        "bootable": False,
        "os_image_id": None,
        "tier": "standard",
        "instance_id": None,
        "instance_name": None,
        "instance_status": None,
        "created_at": "2026-11-18T08:00:00Z",
    }


BALANCE = {"balances": [{"currency": "USD", "amount": "500.00"}], "currency": "USD"}
