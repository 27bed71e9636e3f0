"""What the resource routers share: contract paths from the one routes table, id parameters, 409-vs-422.

Every path comes from `barrack_tui.api.routes.ROUTES`, the table the client
sends from: no router writes a path of its own, so the simulator and the
client can never drift apart on one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path

from barrack_tui.api.routes import API_PREFIX, ROUTES
from barrack_tui.rules.verdict import Verdict
from barrack_tui.sim.errors import SimError, require_fields
from barrack_tui.sim.wire import error_responses

NAME_TAKEN = "NAME_TAKEN"

ResourceId = Annotated[str, Path(alias="id")]
"""The `{id}` segment of a contract path."""

RuleId = Annotated[str, Path(alias="rule_id")]
"""The `{rule_id}` segment of a contract path."""


def contract_router(**kwargs: Any) -> APIRouter:
    """A router whose routes sit at their full path, `API_PREFIX` included, built once for every app.

    The app takes these routes as they are (`ALL_ROUTERS`), not through
    `include_router`: FastAPI (0.16x) builds an included route a second time,
    for each app, on the app's first request, which made the first answers of
    `--demo` wait ~0.1 s for all seventy routes.
    """
    return APIRouter(prefix=API_PREFIX, **kwargs)


def contract_route(
    router: APIRouter, operation: str, **kwargs: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a handler at the method and path the client uses for `operation`.

    Unless the handler names its own, the OpenAPI document lists the errors any
    contract route can answer (401 key, 400 rule, 404 id, 409 name taken; FastAPI
    adds 422), so a client or a schema checker never meets an undocumented status.
    The route's aliases answer the same, undocumented, so the document keeps one
    path per operation.

    Routes match in the order they are registered: a fixed path that shares its
    shape with an id path (`/volumes/types`, `/volumes/{id}`) must be registered first.
    """
    route = ROUTES[operation]
    kwargs.setdefault("responses", error_responses(400, 404, 409))

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(route.path, handler, methods=[route.method], name=operation, **kwargs)
        for alias in route.aliases:
            router.add_api_route(
                alias, handler, methods=[route.method], name=operation, **{**kwargs, "include_in_schema": False}
            )
        return handler

    return register


def require_valid(checks: dict[str, Verdict]) -> None:
    """422 listing every bad field; 409 when the only problem is a name already in use.

    The contract answers a duplicate name with 409 (a conflict with existing
    state, not a malformed form), carrying the rule's own message.
    """
    failing = [verdict for verdict in checks.values() if not verdict.allowed]
    if failing and all(verdict.code == NAME_TAKEN for verdict in failing):
        raise SimError(409, failing[0].code, failing[0].message)
    require_fields(checks)


def invalid_field(field: str, code: str, message: str) -> SimError:
    """A 422 for one field, shaped like `require_fields` output, for checks that are not dashboard rules."""
    return SimError(422, "VALIDATION_ERROR", message, {"fields": [{"field": field, "code": code, "message": message}]})
