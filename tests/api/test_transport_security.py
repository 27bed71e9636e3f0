"""Transport security as a user meets it: http only to this machine unless opted in, the key never follows a
redirect, TLS verified against the corporate CA bundle when one is named, and proxies from the environment."""

from __future__ import annotations

import io
import sys

import httpx
import pytest

from barrack_tui.api import transport
from barrack_tui.api.client import BarrackClient
from barrack_tui.api.errors import BadResponseError, NetworkError
from barrack_tui.api.transport import TransportSetupError
from barrack_tui.cli import main as cli
from tests.api.loopback_servers import BALANCE, connect_proxy, http_server, make_ca
from tests.harness import make_harness, settle

KEY = "canary-SECRET-transport-5678"
PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy")
TRUST_VARS = ("BARRACK_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")


@pytest.fixture(autouse=True)
def clean_network_env(monkeypatch):
    """No proxy or trust settings from the machine running the tests."""
    for name in PROXY_VARS + TRUST_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def sent(monkeypatch):
    """Every request that reached the network layer; answered with a balance so a command can finish."""
    requests: list[httpx.Request] = []

    async def handle(self, request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json=BALANCE)

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle)
    return requests


def run_cli(monkeypatch, capsys, argv: list[str]) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


# --- http only to this machine -------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "[::1]", "localhost", "LOCALHOST", "[::ffff:127.0.0.1]"])
def test_loopback_hosts_may_use_plain_http(host):
    assert not transport.sends_key_in_clear(f"http://{host}:8765")
    options = transport.connection_options(f"http://{host}:8765", injected=False, allow_insecure_http=False)
    assert options["trust_env"] is False  # an HTTP_PROXY must not carry the key off this machine in the clear


@pytest.mark.parametrize(
    "url", ["http://api.barrack.ai", "http://10.0.0.5:8080", "http://localhost.evil.example", "http://127.0.0.1.nip.io", "http://[2001:db8::1]"]
)
def test_plain_http_to_another_machine_is_refused_before_any_request(url, sent):
    with pytest.raises(TransportSetupError) as refused:
        BarrackClient(url, KEY)
    message = str(refused.value)
    assert "\n" not in message and "unencrypted" in message and "--allow-insecure-http" in message
    assert KEY not in message and sent == []


async def test_opting_in_sends_over_http_and_https_is_never_refused(sent):
    client = BarrackClient("http://10.0.0.5:8080", KEY, allow_insecure_http=True, max_retries=0)
    async with client:
        balance = await client.get_balance()
    assert balance.balances[0].amount == 42
    assert [str(r.url) for r in sent] == ["http://10.0.0.5:8080/api/v1/balance"]
    assert transport.preflight("https://api.barrack.ai", allow_insecure_http=False) == ""


def test_the_cli_refuses_in_one_line_and_sends_nothing(monkeypatch, capsys, sent):
    monkeypatch.setenv("BARRACK_API_KEY", KEY)
    for argv in (["--base-url", "http://api.example.test", "auth", "status"], ["--base-url", "http://api.example.test"]):
        code, out, err = run_cli(monkeypatch, capsys, argv)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and "Refusing http://api.example.test" in err and "--allow-insecure-http" in err
        assert "Traceback" not in err and KEY not in err
    assert sent == []


@pytest.mark.parametrize(
    "argv",
    [
        ["--base-url", "http://api.example.test", "--allow-insecure-http", "auth", "status"],
        ["--base-url", "http://api.example.test", "auth", "status", "--allow-insecure-http"],
    ],
    ids=["before-the-subcommand", "after-it"],
)
def test_the_flag_opts_in_and_the_user_is_warned(monkeypatch, capsys, sent, argv):
    monkeypatch.setenv("BARRACK_API_KEY", KEY)
    code, out, err = run_cli(monkeypatch, capsys, argv)
    assert code == 0, err
    assert "insecure http: the API key travels unencrypted to http://api.example.test" in err
    assert "The API accepts the key" in out
    assert [r.url.host for r in sent] == ["api.example.test"]


def test_the_config_file_opts_in(monkeypatch, capsys, sent, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[api]\nbase_url = "http://api.example.test"\nallow_insecure_http = true\n')
    monkeypatch.setenv("BARRACK_API_KEY", KEY)
    code, _, err = run_cli(monkeypatch, capsys, ["--config", str(config), "auth", "status"])
    assert code == 0, err
    assert "unencrypted" in err
    config.write_text('[api]\nbase_url = "http://api.example.test"\nallow_insecure_http = "yes"\n')
    code, _, err = run_cli(monkeypatch, capsys, ["--config", str(config), "auth", "status"])
    assert code == 2 and "config line 3: api.allow_insecure_http must be true or false" in err


async def test_the_header_warns_for_the_whole_session_when_opted_in():
    from barrack_tui.account.config import Settings
    from barrack_tui.tui.shell.header import AppHeader

    h = make_harness(settings=Settings(allow_insecure_http=True))  # base URL http://sim.test: not loopback
    async with h.app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, polls=("balance",))
        assert "⚠ insecure http: the API key travels unencrypted" in h.app.screen.query_one(AppHeader).header_text().plain
        await pilot.press("3")
        await settle(pilot)
        assert "⚠ insecure http" in h.app.screen.query_one(AppHeader).header_text().plain
    plain = make_harness()
    async with plain.app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert "insecure" not in plain.app.screen.query_one(AppHeader).header_text().plain


# --- the key never follows a redirect --------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_a_redirect_to_another_host_never_carries_the_key(status):
    with http_server() as elsewhere:
        target = f"{elsewhere.url}/api/v1/balance"

        def redirect(handler):
            return status, {"Location": target}, b""

        with http_server(redirect, host="127.0.0.1") as api:
            async with BarrackClient(api.url, KEY) as client:
                with pytest.raises(BadResponseError) as error:
                    await client.get_balance()
    assert elsewhere.seen == []  # nothing at all reached the other host, let alone the key
    assert len(api.seen) == 1 and api.seen[0].headers["authorization"] == f"Bearer {KEY}"
    message = str(error.value)
    assert f"redirected to {target}" in message and f"check the base URL ({api.url})" in message
    assert KEY not in message


def test_auth_status_says_where_it_was_redirected(monkeypatch, capsys):
    def redirect(handler):
        return 302, {"Location": "https://login.example.test/sso"}, b""

    monkeypatch.setenv("BARRACK_API_KEY", KEY)
    with http_server(redirect, host="127.0.0.1") as api:
        code, out, _ = run_cli(monkeypatch, capsys, ["--base-url", api.url, "auth", "status"])
    assert code == 1 and "redirected to https://login.example.test/sso" in out and KEY not in out


# --- TLS: a corporate CA bundle, and proxies ----------------------------------------------------------------


async def test_the_corporate_ca_bundle_is_trusted_and_nothing_else_is(monkeypatch, tmp_path):
    ca = make_ca(tmp_path)
    with http_server(tls=ca.server_context) as api:
        async with BarrackClient(api.url, KEY, max_retries=0) as client:
            with pytest.raises(NetworkError) as error:
                await client.get_balance()  # certifi does not know our CA: verification fails
        assert "secure connection failed" in str(error.value) and api.seen == []
        for variable in ("BARRACK_CA_BUNDLE", "SSL_CERT_FILE"):
            monkeypatch.setenv(variable, str(ca.ca_pem))
            async with BarrackClient(api.url, KEY, max_retries=0) as client:
                assert (await client.get_balance()).balances[0].amount == 42
            monkeypatch.delenv(variable)
    assert [s.headers["authorization"] for s in api.seen] == [f"Bearer {KEY}"] * 2


def test_the_bundle_variable_wins_and_verification_stays_on(monkeypatch, tmp_path):
    ca = make_ca(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent/other.pem")
    monkeypatch.setenv("BARRACK_CA_BUNDLE", str(ca.ca_pem))
    context = transport.tls_for("https://api.barrack.ai")
    assert context.verify_mode.name == "CERT_REQUIRED" and context.check_hostname
    assert [c["subject"] for c in context.get_ca_certs()] == [((("commonName", "barrack-tui test CA"),),)]


@pytest.mark.parametrize(
    ("variable", "content", "expected"),
    [
        ("BARRACK_CA_BUNDLE", None, "does not exist"),
        ("BARRACK_CA_BUNDLE", "not a certificate\n", "is not a PEM certificate bundle"),
        ("SSL_CERT_FILE", "", "is not a PEM certificate bundle"),
        ("SSL_CERT_DIR", "a file, not a directory", "is not a directory of certificates"),
    ],
)
def test_a_bad_bundle_is_one_line_naming_the_variable(monkeypatch, capsys, tmp_path, variable, content, expected):
    bundle = tmp_path / "bundle.pem"
    if content is not None:
        bundle.write_text(content)
    monkeypatch.setenv(variable, str(bundle))
    monkeypatch.setenv("BARRACK_API_KEY", KEY)
    with pytest.raises(TransportSetupError, match=f"^{variable}: .*{expected}"):
        BarrackClient("https://api.barrack.ai", KEY)
    code, out, err = run_cli(monkeypatch, capsys, ["auth", "status"])
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"barrack-tui: {variable}: {bundle}") and expected in err and "Traceback" not in err


async def test_https_goes_through_the_proxy_from_the_environment(monkeypatch, tmp_path):
    ca = make_ca(tmp_path)
    monkeypatch.setenv("BARRACK_CA_BUNDLE", str(ca.ca_pem))
    with http_server(tls=ca.server_context) as api, connect_proxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        async with BarrackClient(api.url, KEY, max_retries=0) as client:
            assert (await client.get_balance()).balances[0].amount == 42
        assert proxy.tunnels == [f"localhost:{api.port}"]  # the tunnel, verified end to end with the bundle
        monkeypatch.setenv("NO_PROXY", "localhost")
        async with BarrackClient(api.url, KEY, max_retries=0) as client:
            await client.get_balance()
        assert proxy.tunnels == [f"localhost:{api.port}"]  # NO_PROXY: straight to the server
    assert len(api.seen) == 2


async def test_loopback_http_never_goes_through_a_proxy(monkeypatch):
    with http_server(host="127.0.0.1") as api, connect_proxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("ALL_PROXY", proxy.url)
        async with BarrackClient(api.url, KEY, max_retries=0) as client:
            await client.get_balance()
    assert proxy.plain == [] and proxy.tunnels == [] and len(api.seen) == 1
