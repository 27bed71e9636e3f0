"""The transport core of `BarrackClient`: one configured httpx client, one request path, typed failures.

Every operation goes through `_call` (or `_open_stream` for the streamed chat):
route lookup, retries, the observer hooks, error mapping and model parsing
live here once, so the per-area mixins are one short method per operation.
Each request that may change the account (any method but GET) is reported,
once it ended, to the optional mutation observer (`Mutation`): the activity
log is built from those reports, so no action can reach the server unlogged.
The API key is set once as a default header and kept only for redaction;
it appears in no log line, message or repr.
"""

from __future__ import annotations

import asyncio
import logging
import random as _random
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import pydantic

from barrack_tui.api._httpx import httpx
from barrack_tui.api.early import EarlyReads
from barrack_tui.api.envelope import Unwrapped, request_id_of, unwrap
from barrack_tui.api.errors import (
    ApiError,
    BadResponseError,
    InvalidRequestError,
    NetworkError,
    UnsuccessfulError,
    bad_model_error,
    clean_text,
    describe_body,
    error_from_response,
)
from barrack_tui.api.models.common import MessageResponse, Pagination, RequestModel, WireModel
from barrack_tui.api.pages import DEFAULT_PER_PAGE, PageBudget
from barrack_tui.api.retry import Outcome, RetryPolicy, may_have_been_applied, parse_retry_after, send_with_retries
from barrack_tui.api.routes import ROUTES, Route
from barrack_tui.api.tolerant import ItemList, ItemProblem, decode_json, refused_of
from barrack_tui.api.wire import Timeouts, open_wire

log = logging.getLogger("barrack_tui.api")

M = TypeVar("M", bound=WireModel)
R = TypeVar("R", bound=RequestModel)

ResponseObserver = Callable[[str, str, int, float], object]
"""on_response(method, path_template, status, elapsed_s); status 0 means no HTTP answer."""

# The code of a refusal made before anything was sent (input that cannot form a request).
CLIENT_VALIDATION = "CLIENT_VALIDATION"
# Body fields that name the resources a request acts on besides those in its path (detach these volumes).
_BODY_ID_FIELDS = ("volume_ids", "instance_ids", "ids", "snapshot_ids")


@dataclass(frozen=True)
class Mutation:
    """One request that may have changed the account, as it ended: what the activity log is made of.

    Only what a log of actions needs: the operation (a ROUTES key), the ids in
    its path, the name and the resource ids its body gives, how it ended and
    the server's request id. Never the rest of the body (a public key, a
    script, a chat question) and never the API key. `status` is the HTTP
    status, 0 when no answer came; `error` is set when the call raised;
    `answer` is the parsed answer otherwise (a created resource names its id).
    """

    op: str
    method: str
    path: Mapping[str, str]
    name: str | None
    ids: tuple[str, ...]
    status: int
    request_id: str | None
    error: ApiError | None = None
    answer: Any = None


MutationObserver = Callable[[Mutation], object]
"""on_mutation(mutation): called once per non-GET request, after it ended (answered, refused or failed)."""


def _body_names(body: Mapping[str, Any] | None) -> tuple[str | None, tuple[str, ...]]:
    """The body's `name` and the resource ids it lists: all a mutation report keeps of a body."""
    if not body:
        return None, ()
    name = body.get("name")
    ids: list[str] = []
    for key in _BODY_ID_FIELDS:
        value = body.get(key)
        if isinstance(value, list):
            ids.extend(str(item) for item in value if isinstance(item, (str, int)))
    return (name if isinstance(name, str) else None), tuple(ids)

def _drop_none(params: Mapping[str, Any] | None) -> dict[str, Any]:
    return {key: value for key, value in (params or {}).items() if value is not None}


def dump_request(body: RequestModel | Mapping[str, Any], model: type[R]) -> dict[str, Any]:
    """The JSON body for `model`; input that cannot form one is refused here, before anything is sent.

    The refusal is an `InvalidRequestError` shaped like the server's 422 (code
    CLIENT_VALIDATION), so callers handle every failure as an `ApiError`.
    """
    if isinstance(body, model):
        return body.model_dump(mode="json", exclude_none=True)
    try:
        request = model.model_validate(body)
    except pydantic.ValidationError as exc:
        fields = [
            {
                "field": ".".join(str(part) for part in err["loc"]) or model.__name__,
                "code": err["type"],
                "message": err["msg"],
            }
            for err in exc.errors(include_input=False, include_url=False, include_context=False)
        ]
        raise InvalidRequestError(422, CLIENT_VALIDATION, fields[0]["message"], {"fields": fields}) from None
    return request.model_dump(mode="json", exclude_none=True)


class ClientBase:
    """Connection, retries, errors and parsing shared by every area of the API."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeouts: Timeouts = Timeouts(),
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        max_retries: int = 3,
        random: Callable[[], float] = _random.random,
        on_response: ResponseObserver | None = None,
        now: Callable[[], float] = time.time,
        allow_insecure_http: bool = False,
        on_mutation: MutationObserver | None = None,
        early: EarlyReads | None = None,
    ) -> None:
        wire = open_wire(base_url, api_key, timeouts=timeouts, transport=transport, allow_insecure_http=allow_insecure_http)
        # The session's first reads, sent before the client had loaded (api/early.py): their answers are
        # given to the same requests instead of sending them again.
        if early is not None and early.base_url != wire.base_url:
            raise ValueError("the first reads were sent to another server")
        self.base_url, self.origin = wire.base_url, wire.origin
        self.timeouts = timeouts
        self._secrets = (api_key,)
        self._sleep = sleep
        self._policy = RetryPolicy(max_retries=max(0, max_retries), random=random, now=now)
        self._on_response = on_response
        self._on_mutation = on_mutation
        self._http = wire.http
        self._early = early

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.origin!r})"

    async def __aenter__(self) -> ClientBase:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    # -- the one request path -------------------------------------------------------------------

    async def _call(
        self,
        op: str,
        model: type[M],
        *,
        path: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        envelope: str | None = None,
    ) -> M:
        """Send operation `op` (a ROUTES key) and return its parsed response model.

        `envelope` names a key the server may wrap a single resource in
        (`{"script": {...}}`): the contract shows some of these bare and
        some wrapped, so both shapes are accepted.
        """
        route = ROUTES[op]
        if self._on_mutation is None or route.method == "GET":
            return (await self._answer(route, model, path, params, body, envelope))[0]
        try:
            answer, status, request_id = await self._answer(route, model, path, params, body, envelope)
        except ApiError as exc:
            self._report(op, route, path, body, exc.status, exc.request_id, error=exc)
            raise
        self._report(op, route, path, body, status, request_id, answer=answer)
        return answer

    async def _answer(
        self,
        route: Route,
        model: type[M],
        path: Mapping[str, str] | None,
        params: Mapping[str, Any] | None,
        body: Mapping[str, Any] | None,
        envelope: str | None,
    ) -> tuple[M, int, str | None]:
        """`_call`'s work: the parsed answer, its HTTP status and the server's request id."""
        outcome = await self._exchange(route, path, params, body, stream=False)
        response = outcome.response
        if (
            route.method == "DELETE"
            and response.status_code == 404
            and outcome.earlier_attempt_reached_server
            and issubclass(model, MessageResponse)
        ):
            # An earlier attempt was answered with a gateway error yet went through: the
            # resource is gone, which is what the caller asked for.
            gone = model.model_validate({"message": "Already deleted"})
            return gone, response.status_code, request_id_of(response.headers)
        self._raise_for_status(response)
        parsed, request_id = self._parse_answer(response, model, envelope)
        return parsed, response.status_code, request_id

    def _report(
        self,
        op: str,
        route: Route,
        path: Mapping[str, str] | None,
        body: Mapping[str, Any] | None,
        status: int,
        request_id: str | None,
        *,
        error: ApiError | None = None,
        answer: Any = None,
    ) -> None:
        if self._on_mutation is None or route.method == "GET":
            return
        if error is not None and error.code == CLIENT_VALIDATION:
            return  # refused before anything was sent: nothing happened to report
        name, ids = _body_names(body)
        mutation = Mutation(op, route.method, dict(path or {}), name, ids, status, request_id, error, answer)
        try:
            self._on_mutation(mutation)
        except Exception:  # the observer is the UI's; a bug there must not fail the request
            log.exception("on_mutation observer failed")

    async def _call_pages(
        self,
        op: str,
        model: type[M],
        items_field: str,
        *,
        params: Mapping[str, Any] | None = None,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> M:
        """Walk the pages of a list, within `PageBudget`; one model holding every item, de-duplicated by id.

        The merged list is an `ItemList`: what could not be read is on `.refused`, and `.cut` says why
        the walk stopped early when the server claimed more than the budget allows.
        """
        items: list[Any] = []
        refused: list[ItemProblem] = []
        seen: set[str] = set()
        first: M | None = None
        budget = PageBudget(self._policy.now)
        page = 1
        while True:
            result = await self._call(op, model, params={**(params or {}), "page": page, "per_page": per_page})
            first = first or result
            page_items = getattr(result, items_field)
            refused.extend(refused_of(page_items))
            fresh = 0
            for item in page_items:
                # Items can shift between pages while we walk them; never show one twice.
                if item.id not in seen:
                    seen.add(item.id)
                    items.append(item)
                    fresh += 1
            pagination = getattr(result, "pagination", None)
            if not isinstance(pagination, Pagination):
                raise TypeError(f"{model.__name__} is not a paged list")  # a caller's mistake, not the server's
            if page >= pagination.total_pages or not page_items or not fresh:
                break
            cut = budget.stop_after(page, len(items), pagination)
            if cut:
                break
            page += 1
        merged_items: ItemList[Any] = ItemList(items, refused)
        merged_items.cut = budget.cut
        merged = Pagination(page=1, per_page=max(per_page, len(items)), total=len(items), total_pages=1)
        return first.model_copy(update={items_field: merged_items, "pagination": merged})

    async def _call_raw(self, op: str, *, params: Mapping[str, Any] | None = None) -> httpx.Response:
        """Send `op` and return its 2xx response unparsed (the caller decodes and validates what it uses)."""
        outcome = await self._exchange(ROUTES[op], None, params, None, stream=False)
        self._raise_for_status(outcome.response)
        return outcome.response

    async def get_raw(
        self, op: str, *, path: Mapping[str, str] | None = None, params: Mapping[str, Any] | None = None
    ) -> httpx.Response:
        """Send the GET operation `op` and return its answer unparsed, whatever its status (`doctor` reads it).

        Anything but a GET is refused before a request is built: a check of the server must never change it.
        """
        route = ROUTES[op]
        if route.method != "GET":
            raise ValueError(f"{op} is {route.method}, not GET; get_raw only reads")
        return (await self._exchange(route, path, params, None, stream=False)).response

    async def _open_stream(self, op: str, body: Mapping[str, Any]) -> httpx.Response:
        """Send `op` and return the open 2xx response for the caller to stream and close."""
        route = ROUTES[op]
        try:
            outcome = await self._exchange(route, None, None, body, stream=True)
        except ApiError as exc:
            self._report(op, route, None, body, exc.status, exc.request_id, error=exc)
            raise
        response = outcome.response
        if response.is_success:
            self._report(op, route, None, body, response.status_code, request_id_of(response.headers))
            return response
        try:
            return await self._stream_refused(outcome)
        except ApiError as exc:
            self._report(op, route, None, body, exc.status, exc.request_id, error=exc)
            raise

    async def _stream_refused(self, outcome: Outcome) -> httpx.Response:
        """Read a refused stream's answer and raise its error."""
        response = outcome.response
        try:
            await response.aread()
        except httpx.TransportError:
            response = httpx.Response(response.status_code, headers=response.headers)
        finally:
            await outcome.response.aclose()
        self._raise_for_status(response)
        raise AssertionError("unreachable: a non-2xx response always raises")

    async def _exchange(
        self,
        route: Route,
        path: Mapping[str, str] | None,
        params: Mapping[str, Any] | None,
        body: Mapping[str, Any] | None,
        *,
        stream: bool,
    ) -> Outcome:
        try:
            url = route.url(**(path or {}))
        except ValueError as exc:  # an empty or dot-segment id: refuse it like any invalid input
            raise InvalidRequestError(
                422, CLIENT_VALIDATION, str(exc), {"fields": [{"field": "id", "message": str(exc)}]}
            ) from None
        request = self._http.build_request(route.method, url, params=_drop_none(params) or None, json=body)
        label = f"{route.method} {route.path}"

        async def attempt() -> httpx.Response:
            started = time.perf_counter()
            try:
                response = await self._send(request, stream=stream)
            except httpx.TransportError:
                self._observe(route, 0, time.perf_counter() - started)
                raise
            elapsed = time.perf_counter() - started
            log.debug("%s -> %d in %.3f s", label, response.status_code, elapsed)
            self._observe(route, response.status_code, elapsed)
            return response

        try:
            return await send_with_retries(
                attempt, method=route.method, policy=self._policy, sleep=self._sleep, label=label
            )
        except httpx.TransportError as exc:
            log.debug("%s failed: %s", label, type(exc).__name__)
            raise self._network_error(exc, route.method) from None

    async def _send(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        reads = self._early
        if reads is not None and not stream:
            if not reads.waiting:
                self._early = None  # every early answer taken: from here on, every request is sent
            elif (early := await reads.answer(request)) is not None:
                return early
        response = await self._http.send(request, stream=True)
        if not stream:
            try:
                await response.aread()
            finally:
                await response.aclose()
        return response

    def _observe(self, route: Route, status: int, elapsed: float) -> None:
        if self._on_response is None:
            return
        try:
            self._on_response(route.method, route.path, status, elapsed)
        except Exception:  # the observer is the UI's; a bug there must not fail the request
            log.exception("on_response observer failed")

    # -- turning answers into results or errors -------------------------------------------------

    def _raise_for_status(self, response: httpx.Response) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        if 300 <= status < 400:
            location = clean_text(response.headers.get("location", "elsewhere"), self._secrets)
            raise BadResponseError(
                status, message=f"redirected to {location}; check the base URL ({self.origin})"
            ).with_request_id(request_id_of(response.headers))
        retry_after = parse_retry_after(response.headers.get("retry-after"), self._policy.now())
        error = error_from_response(
            status,
            response.content,
            response.headers.get("content-type", ""),
            retry_after=retry_after,
            secrets=self._secrets,
        )
        if error.request_id is None:
            error.with_request_id(request_id_of(response.headers))
        log.debug("%s %s -> %d %s (request id %s)", response.request.method, response.request.url.path, status,
                  error.code or "", error.request_id or "none")
        raise error

    def _parse(self, response: httpx.Response, model: type[M], envelope: str | None = None) -> M:
        return self._parse_answer(response, model, envelope)[0]

    def _parse_answer(
        self, response: httpx.Response, model: type[M], envelope: str | None = None
    ) -> tuple[M, str | None]:
        """The answer as `model`, and the request id the envelope or the headers gave."""
        content = response.content if response.content.strip() else b"{}"
        try:
            data = decode_json(content)
        except ValueError:
            problem = describe_body(response.headers.get("content-type", ""), response.content)
            raise BadResponseError(response.status_code, message=problem, model=model.__name__).with_request_id(
                request_id_of(response.headers)
            ) from None
        opened = self._open(response, data, frozenset(model.model_fields))
        payload = _unwrap(opened.payload, envelope) if envelope is not None else opened.payload
        try:
            return model.model_validate(payload), opened.request_id
        except pydantic.ValidationError as exc:
            raise bad_model_error(response.status_code, model, exc).with_request_id(opened.request_id) from None

    def _open(self, response: httpx.Response, data: Any, fields: frozenset[str]) -> Unwrapped:
        """Unwrap a `{success, message, <payload>, request_id}` answer; `success: false` raises with its message."""
        opened = unwrap(data, fields)
        request_id = opened.request_id or request_id_of(response.headers)
        if request_id:
            log.debug("request id %s", request_id)
        if not opened.success:
            raise UnsuccessfulError(response.status_code, "UNSUCCESSFUL", opened.message).with_request_id(request_id)
        return Unwrapped(opened.payload, opened.wrapped, True, opened.message, request_id)

    def _network_error(self, exc: httpx.TransportError, method: str) -> ApiError:
        return NetworkError(
            message=transport_reason(exc, self.timeouts),
            target=self.origin,
            maybe_applied=may_have_been_applied(method, exc),
        )


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    """The exception and what caused it (httpx wraps httpcore wraps the OS error that names the reason)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen and len(seen) < 10:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _unwrap(data: Any, envelope: str) -> Any:
    if isinstance(data, dict) and isinstance(data.get(envelope), dict):
        return data[envelope]
    return data


def transport_reason(exc: BaseException, timeouts: Timeouts) -> str:
    """A short, key-free reason for a transport failure ("connection refused", "no answer within 30 s")."""
    if isinstance(exc, httpx.ConnectTimeout):
        return f"no connection within {timeouts.connect:g} s"
    if isinstance(exc, httpx.ReadTimeout):
        return f"no answer within {timeouts.read:g} s"
    if isinstance(exc, httpx.WriteTimeout):
        return f"could not send the request within {timeouts.write:g} s"
    if isinstance(exc, httpx.PoolTimeout):
        return f"too many requests in flight (waited {timeouts.pool:g} s for a connection)"
    causes = list(_chain(exc))
    text = " ".join(str(cause) for cause in causes).lower()
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes) or "refused" in text:
        return "connection refused"
    dns_markers = ("name or service not known", "nodename nor servname", "getaddrinfo", "no address", "name resolution")
    if any(isinstance(cause, socket.gaierror) for cause in causes) or any(m in text for m in dns_markers):
        return "host name not found (check the base URL and your DNS)"
    if any(isinstance(cause, ssl.SSLError) for cause in causes) or any(m in text for m in ("ssl", "certificate", "tls")):
        return "the secure connection failed (TLS certificate or handshake)"
    if any(isinstance(cause, (TimeoutError, socket.timeout)) for cause in causes):
        return "the connection timed out"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the server closed the connection without a complete answer"
    if isinstance(exc, httpx.ReadError):
        return "the connection dropped while reading the answer"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    return type(exc).__name__
