"""What the resource routers share: contract paths from the one routes table, id parameters, 409-vs-422.

Every path comes from `barrack_tui.api.routes.ROUTES`, the table the client
sends from: no router writes a path of its own, so the simulator and the
client can never drift apart on one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.routing import APIRoute
from starlette.responses import Response
from starlette.routing import compile_path

from barrack_tui.api.models.common import ErrorResponse
from barrack_tui.api.routes import API_PREFIX, ROUTES
from barrack_tui.rules.verdict import Verdict
from barrack_tui.sim.errors import SimError, require_fields

NAME_TAKEN = "NAME_TAKEN"

ResourceId = Annotated[str, Path(alias="id")]
"""The `{id}` segment of a contract path."""

RuleId = Annotated[str, Path(alias="rule_id")]
"""The `{rule_id}` segment of a contract path."""


_BUILDING = threading.RLock()


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the error answers a route can give (all are `ErrorResponse`)."""
    return {status: {"model": ErrorResponse} for status in (401, *statuses)}


class JSONBody(Response):
    """A 200 whose JSON body is already encoded (`sim/read_views.py`): the headers JSONResponse would send."""

    media_type = "application/json"


class LazyAPIRoute(APIRoute):
    """An APIRoute that does FastAPI's work for it (dependencies, parameter and response fields, handler)
    only when something first reads one of those, typically its first request or the OpenAPI document.

    Building all seventy routes took ~75 ms of the `--demo` simulator's start, before it could serve; most of
    them are not requested for a long while, if ever. Matching a request needs only the path pattern, the
    methods and the name, which are set at once; any other attribute, being missing, reaches `__getattr__`,
    which runs APIRoute's own constructor with the arguments it was given, and then reads it. Built, the
    route is an ordinary APIRoute. tests/sim/test_lazy_routes.py holds a built route equal to an eager one
    and fails if APIRoute ever gives one of those attributes a class-level default, which would hide it
    from `__getattr__`.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        self._arguments = (path, endpoint, kwargs)
        self._built = False
        self.path = path
        self.endpoint = endpoint
        self.name = kwargs["name"]
        self.methods = {method.upper() for method in kwargs["methods"]}
        self.include_in_schema = kwargs.get("include_in_schema", True)
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)

    def __getattr__(self, name: str) -> Any:
        self.build()
        return object.__getattribute__(self, name)  # built (or being built by this thread): as APIRoute would

    def build(self) -> None:
        """Do FastAPI's work for the route now, if nothing has yet."""
        # A lock: a route may be first read by the server's thread and another one at once (tests do).
        with _BUILDING:
            if not self.__dict__.get("_built", True):
                self._built = True  # first: an attribute the constructor reads before it sets it must not recurse
                path, endpoint, kwargs = self._arguments
                APIRoute.__init__(self, path, endpoint, **kwargs)


def unbuilt_routes(routers: Iterable[APIRouter]) -> list[LazyAPIRoute]:
    """The routers' routes not built yet, reads first: the requests a client starts with."""
    routes = [route for router in routers for route in router.routes if isinstance(route, LazyAPIRoute)]
    return sorted((route for route in routes if not route._built), key=lambda route: "GET" not in (route.methods or ()))


def contract_router(**kwargs: Any) -> APIRouter:
    """A router whose routes sit at their full path, `API_PREFIX` included, built once for every app.

    The app takes these routes as they are (`ALL_ROUTERS`), not through
    `include_router`: FastAPI (0.16x) builds an included route a second time,
    for each app, on the app's first request, which made the first answers of
    `--demo` wait ~0.1 s for all seventy routes.
    """
    return APIRouter(prefix=API_PREFIX, route_class=LazyAPIRoute, **kwargs)


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
