"""Every failure becomes a typed error a person can act on, and the API key never leaks through one."""

from __future__ import annotations

import logging
import socket
import traceback

import httpx
import pytest

from barrack_tui.api import BarrackClient, Timeouts
from barrack_tui.api.errors import (
    ApiError,
    AuthError,
    BadResponseError,
    ConflictError,
    InsufficientCreditsError,
    InvalidRequestError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    RuleRefusedError,
    ServerError,
)
from tests.api.scripted import (
    BALANCE,
    BASE_URL,
    CANARY_KEY,
    FakeSleep,
    ScriptedTransport,
    error_body,
    fail,
    instance_wire,
    make_client,
    reply,
)

FIELDS_422 = {
    "fields": [
        {"field": "name", "code": "NAME_CHARS", "message": "Use letters, digits, spaces, - _ ."},
        {"field": "size_gb", "code": "SIZE_MIN", "message": "Size must be at least 10 GB"},
    ]
}


async def raised(transport: ScriptedTransport, call=lambda c: c.get_balance(), **kwargs) -> ApiError:
    async with make_client(transport, max_retries=0, **kwargs) as client:
        with pytest.raises(ApiError) as caught:
            await call(client)
    return caught.value


@pytest.mark.parametrize(
    ("status", "body", "cls", "expected"),
    [
        (400, error_body("F5", "Detach all instances before deleting this firewall"), RuleRefusedError,
         "Detach all instances before deleting this firewall"),
        (401, error_body("UNAUTHORIZED", "Invalid key"), AuthError,
         "The API refused the key (401): Invalid key. Run `barrack-tui auth login` to store a valid key"),
        (402, error_body("INSUFFICIENT_CREDITS", "Insufficient Credits"), InsufficientCreditsError,
         "Insufficient Credits: add credits to your Barrack balance, then try again."),
        (404, error_body("NOT_FOUND", "Volume vol-9 not found"), NotFoundError,
         "Volume vol-9 not found (404). It may have been deleted; refresh the list."),
        (409, error_body("NAME_TAKEN", "A volume named data-1 already exists"), ConflictError,
         "A volume named data-1 already exists (409)"),
        (422, error_body("VALIDATION_ERROR", "Use letters", FIELDS_422), InvalidRequestError,
         "name: Use letters, digits, spaces, - _ .; size_gb: Size must be at least 10 GB"),
        (500, error_body("INTERNAL", "Database unavailable"), ServerError,
         "The Barrack API failed (500 Internal Server Error): Database unavailable. Try again in a minute."),
        (503, error_body("UNAVAILABLE", "Overloaded"), ServerError, "(503 Service Unavailable)"),
        (418, error_body("TEAPOT", "No coffee here"), ApiError, "The API refused the request (418 I'm a Teapot)"),
    ],
)
async def test_each_status_maps_to_its_class_and_an_actionable_message(status, body, cls, expected):
    error = await raised(ScriptedTransport(reply(status, json=body)))
    assert type(error) is cls
    assert error.status == status
    assert error.code == body["error"]["code"]
    assert expected in str(error)


async def test_422_exposes_the_failing_fields_for_the_form():
    error = await raised(ScriptedTransport(reply(422, json=error_body("VALIDATION_ERROR", "bad", FIELDS_422))))
    assert isinstance(error, InvalidRequestError)
    assert error.fields == {"name": "Use letters, digits, spaces, - _ .", "size_gb": "Size must be at least 10 GB"}


async def test_rate_limit_message_says_when():
    error = await raised(ScriptedTransport(reply(429, json=error_body("RATE_LIMITED", "slow"), headers={"Retry-After": "7"})))
    assert isinstance(error, RateLimitedError)
    assert str(error) == "Rate limited; retry in 7 s"
    assert error.retry_after == 7


async def test_rate_limit_from_a_gateway_html_page_is_still_a_rate_limit():
    error = await raised(ScriptedTransport(reply(429, text="<html>slow down</html>", headers={"content-type": "text/html"})))
    assert isinstance(error, RateLimitedError)
    assert str(error) == "Rate limited; retry in a few seconds."


async def test_html_502_page_is_a_bad_response_with_its_status_and_no_html():
    page = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"
    error = await raised(ScriptedTransport(reply(502, text=page, headers={"content-type": "text/html"})))
    assert isinstance(error, BadResponseError)
    assert error.status == 502
    assert "HTML page instead of JSON" in str(error)
    assert "try again in a minute" in str(error)
    assert "nginx" not in str(error) and "<" not in str(error)


async def test_truncated_json_success_body_is_a_bad_response_naming_the_model():
    full = httpx.Response(200, json={"instance": instance_wire()}).content
    error = await raised(ScriptedTransport(reply(200, body=full[: len(full) // 2])), lambda c: c.get_instance("ins-0001"))
    assert isinstance(error, BadResponseError)
    assert error.status == 200
    assert error.model == "VMDetailsResponse"
    assert "truncated or invalid JSON" in str(error)
    assert "ValidationError" not in "".join(traceback.format_exception(error))


async def test_truncated_json_error_body_is_a_bad_response():
    error = await raised(ScriptedTransport(reply(500, body=b'{"error": {"code": "INTER')))
    assert isinstance(error, BadResponseError)
    assert error.status == 500
    assert "truncated or invalid JSON" in str(error)


async def test_a_success_body_of_the_wrong_shape_names_model_and_count_but_no_values():
    wrong = instance_wire()
    wrong["status"] = {"nested": "SENTINEL-VALUE-1"}  # an unknown string would be kept; an object never is
    wrong["hourly_price"] = "SENTINEL-VALUE-2"
    error = await raised(ScriptedTransport(reply(200, json={"instance": wrong})), lambda c: c.get_instance("ins-0001"))
    assert isinstance(error, BadResponseError)
    assert error.model == "VMDetailsResponse" and error.error_count == 2
    text = str(error) + repr(error) + "".join(traceback.format_exception(error))
    assert "VMDetailsResponse (2 validation errors at instance.status, instance.hourly_price)" in text
    assert "SENTINEL" not in text
    assert "pydantic" not in text.lower()


async def test_an_error_body_of_another_shape_is_a_bad_response():
    error = await raised(ScriptedTransport(reply(404, json={"detail": "Not Found"})))
    assert isinstance(error, BadResponseError)
    assert error.status == 404
    assert "JSON of an unexpected shape" in str(error)


async def test_an_empty_error_body_still_gets_the_status_class():
    error = await raised(ScriptedTransport(reply(401)))
    assert isinstance(error, AuthError)


async def test_redirects_are_not_followed_and_point_at_the_base_url():
    transport = ScriptedTransport(reply(301, headers={"Location": "https://api.barrack.ai/api/v1/balance"}))
    error = await raised(transport)
    assert isinstance(error, BadResponseError)
    assert len(transport.requests) == 1
    assert "redirected to https://api.barrack.ai/api/v1/balance; check the base URL (http://sim.test)" in str(error)


async def test_server_text_is_sanitised_in_messages():
    body = error_body("V3", "Stop \x1b[2J\x1b]52;c;ZXZpbA==\x07 data-1\r first")
    error = await raised(ScriptedTransport(reply(400, json=body)))
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in str(error))
    assert "\\x1b[2J" in str(error)


async def test_a_refused_connection_names_the_host_and_the_reason():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleep = FakeSleep()
    async with BarrackClient(f"http://127.0.0.1:{port}", CANARY_KEY, sleep=sleep, timeouts=Timeouts(connect=2)) as client:
        with pytest.raises(NetworkError) as caught:
            await client.get_balance()
    assert str(caught.value) == f"Could not reach http://127.0.0.1:{port}: connection refused"
    assert len(sleep.delays) == 3


async def test_a_dns_failure_is_explained():
    error = await raised(ScriptedTransport(fail(httpx.ConnectError, "[Errno -2] Name or service not known")))
    assert str(error) == "Could not reach http://sim.test: host name not found (check the base URL and your DNS)"


# -- the key ---------------------------------------------------------------------------------------


def echoing_handler(request: httpx.Request) -> httpx.Response:
    """A careless server that quotes the Authorization header back in every error."""
    header = request.headers.get("authorization", "")
    path = request.url.path
    if path.endswith("/balance"):
        return httpx.Response(200, json=BALANCE)
    if path.endswith("/regions"):
        return httpx.Response(401, json=error_body("UNAUTHORIZED", f"bad key {header}", {"got": header}))
    if path.endswith("/gpu/specs"):
        return httpx.Response(422, json=error_body("X", header, {"fields": [{"field": "key", "message": header}]}))
    if path.endswith("/pricing"):
        return httpx.Response(503, json=error_body("DOWN", f"upstream rejected {header}"))
    if path.endswith("/os-images"):
        raise httpx.ConnectError(f"refused while sending {header}", request=request)
    return httpx.Response(200, text=f"<html>{header}</html>", headers={"content-type": "text/html"})


async def test_the_key_never_appears_in_errors_reprs_or_debug_logs(caplog):
    caplog.set_level(logging.DEBUG)
    failures: list[BaseException] = []
    client = BarrackClient(BASE_URL, CANARY_KEY, transport=httpx.MockTransport(echoing_handler), sleep=FakeSleep())
    async with client:
        await client.get_balance()
        for call in (client.list_regions, client.get_gpu_specs, client.get_pricing, client.list_os_images,
                     client.get_gpu_stocks):
            with pytest.raises(ApiError) as caught:
                await call()
            failures.append(caught.value)
        surface = [repr(client), repr(client._http.headers)]
    assert {type(f) for f in failures} == {AuthError, InvalidRequestError, ServerError, NetworkError, BadResponseError}
    for failure in failures:
        surface += [str(failure), repr(failure), repr(failure.details), repr(getattr(failure, "fields", None))]
        surface.append("".join(traceback.format_exception(failure)))
    surface.append(caplog.text)
    surface += [record.getMessage() for record in caplog.records]
    assert caplog.records, "debug logging was captured"
    for text in surface:
        assert CANARY_KEY not in text
    assert "[redacted]" in repr(failures[0].details)


async def test_the_key_is_sent_once_as_a_bearer_header_with_our_user_agent():
    transport = ScriptedTransport(reply(200, json=BALANCE))
    async with make_client(transport) as client:
        await client.get_balance()
    request = transport.requests[0]
    assert request.headers["authorization"] == f"Bearer {CANARY_KEY}"
    assert request.headers["user-agent"].startswith("barrack-tui/")
    assert str(request.url) == "http://sim.test/api/v1/balance"


async def test_a_key_that_cannot_be_a_header_is_refused_without_quoting_it():
    with pytest.raises(ValueError) as caught:
        BarrackClient(BASE_URL, "canary-SECRET-1234\n")
    assert CANARY_KEY not in str(caught.value)
    assert "copy it again" in str(caught.value)


def test_timeouts_default_and_reach_httpx():
    client = BarrackClient("https://sim.test", CANARY_KEY)  # no transport: a real client (plain http is refused)
    assert Timeouts() == Timeouts(connect=5, read=30, write=30, pool=5)
    assert client._http.timeout == httpx.Timeout(connect=5, read=30, write=30, pool=5)
    assert client._http.follow_redirects is False
    custom = BarrackClient("https://sim.test", CANARY_KEY, timeouts=Timeouts(read=90))
    assert custom._http.timeout.read == 90


@pytest.mark.parametrize("base_url", ["http://sim.test", "http://sim.test/", "http://sim.test/api/v1", "http://sim.test/api/v1/"])
async def test_base_url_with_or_without_the_api_prefix(base_url):
    transport = ScriptedTransport(reply(200, json=BALANCE))
    async with BarrackClient(base_url, CANARY_KEY, transport=transport) as client:
        await client.get_balance()
    assert transport.requests[0].url.path == "/api/v1/balance"


def test_a_base_url_without_scheme_is_refused():
    with pytest.raises(ValueError, match="https://"):
        BarrackClient("api.barrack.ai", CANARY_KEY)


@pytest.mark.parametrize(
    ("cls", "status"),
    [(ApiError, 418), (AuthError, 401), (RuleRefusedError, 400), (InsufficientCreditsError, 402), (NotFoundError, 404),
     (ConflictError, 409), (InvalidRequestError, 422), (RateLimitedError, 429), (ServerError, 503), (NetworkError, 0),
     (BadResponseError, 502)],
)
def test_every_error_takes_the_documented_constructor(cls, status):
    # Test doubles elsewhere (TUI fakes) build errors as ApiError(status, code, message, details).
    error = cls(status, "SOME_CODE", "something happened", None)
    assert (error.status, error.code, error.message, error.details) == (status, "SOME_CODE", "something happened", None)
    assert str(error)


def test_a_200_html_page_points_at_the_base_url():
    error = BadResponseError(200, message="an HTML page instead of JSON", model="CreditBalanceResponse")
    assert str(error).endswith("Check that the base URL points at the Barrack API.")
