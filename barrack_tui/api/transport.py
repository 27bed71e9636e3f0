"""How the client may reach a server: which base URLs may carry the key, what TLS trusts, whether proxies apply.

- Plain `http://` is for this machine only (127.0.0.0/8, ::1, localhost: the simulator). Any other host
  over http is refused unless the user opted in (`--allow-insecure-http`, `allow_insecure_http = true`),
  because the key would cross the network readable by anyone on the path.
- TLS is always verified. The trust anchors come from `BARRACK_CA_BUNDLE` (a PEM file), else
  `SSL_CERT_FILE` / `SSL_CERT_DIR`, else certifi's bundle. A variable naming something that is not a
  readable PEM bundle is an error that names the variable, never a silent fallback.
- Proxies: httpx reads `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` / `NO_PROXY` when `trust_env` is on, and
  gives the proxied connections the same verifying context. Loopback http turns `trust_env` off: an
  `HTTP_PROXY` must not carry the key in the clear off this machine to reach a local simulator.

Nothing here sends a request; `ClientBase` asks `connection_options` for the client it builds, and the CLI
asks `preflight` first so a refusal is one line before anything starts.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CA_BUNDLE_ENV = "BARRACK_CA_BUNDLE"
INSECURE_HTTP_WARNING = "⚠ insecure http: the API key travels unencrypted"


class TransportSetupError(ValueError):
    """The connection cannot be set up safely; `str()` is one line for the user."""


# --- which base URLs may carry the key ---------------------------------------------------------------


def is_loopback_host(host: str) -> bool:
    """True for names that never leave this machine: localhost, 127.0.0.0/8, ::1 (also IPv4-mapped)."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _split(base_url: str) -> tuple[str, str]:
    parts = urlsplit(base_url.strip())
    return parts.scheme.lower(), parts.hostname or ""


def sends_key_in_clear(base_url: str) -> bool:
    """The base URL is plain http to another machine: the key would be readable on the network."""
    scheme, host = _split(base_url)
    return scheme == "http" and not is_loopback_host(host)


def check_base_url(base_url: str, *, allow_insecure_http: bool) -> None:
    """Refuse http to a non-loopback host unless the user opted in."""
    if sends_key_in_clear(base_url) and not allow_insecure_http:
        _, host = _split(base_url)
        raise TransportSetupError(
            f"Refusing http://{host}: plain http to another machine sends the API key unencrypted. "
            "Use https://, or pass --allow-insecure-http (allow_insecure_http = true under [api]) to accept that."
        )


# --- what TLS trusts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrustSource:
    """Where the trust anchors come from: the variable that chose them (None: certifi), a file or a directory."""

    variable: str | None
    cafile: str | None = None
    capath: str | None = None

    def describe(self) -> str:
        if self.variable is None:
            return "certifi's CA bundle"
        return f"{self.variable} ({self.cafile or self.capath})"


def trust_source(env: Mapping[str, str] | None = None) -> TrustSource:
    """BARRACK_CA_BUNDLE wins over SSL_CERT_FILE, which wins over SSL_CERT_DIR; else certifi."""
    env = os.environ if env is None else env
    if bundle := env.get(CA_BUNDLE_ENV, "").strip():
        return TrustSource(CA_BUNDLE_ENV, cafile=bundle)
    if cert_file := env.get("SSL_CERT_FILE", "").strip():
        return TrustSource("SSL_CERT_FILE", cafile=cert_file)
    if cert_dir := env.get("SSL_CERT_DIR", "").strip():
        return TrustSource("SSL_CERT_DIR", capath=cert_dir)
    import certifi

    return TrustSource(None, cafile=certifi.where())


def _problem_with(source: TrustSource) -> str:
    """Why the variable's path cannot serve as trust anchors ('' if it looks usable); checked before OpenSSL."""
    if source.capath is not None:
        path = Path(source.capath).expanduser()
        if not path.is_dir():
            return f"{path} is not a directory of certificates"
        return ""
    path = Path(source.cafile or "").expanduser()
    if not path.exists():
        return f"{path} does not exist"
    if path.is_dir():
        return f"{path} is a directory, not a PEM bundle (SSL_CERT_DIR takes a directory)"
    return ""


@functools.lru_cache(maxsize=8)
def _context_for(source: TrustSource) -> ssl.SSLContext:
    """One verifying context per trust source: loading a bundle costs ~25 ms and the app makes several clients."""
    if source.variable is not None and (problem := _problem_with(source)):
        raise TransportSetupError(f"{source.variable}: {problem}")
    cafile = str(Path(source.cafile).expanduser()) if source.cafile else None
    capath = str(Path(source.capath).expanduser()) if source.capath else None
    try:
        context = ssl.create_default_context(cafile=cafile, capath=capath)
    except ssl.SSLError:
        raise TransportSetupError(
            f"{source.variable or 'CA bundle'}: {cafile} is not a PEM certificate bundle"
        ) from None
    except OSError as exc:
        raise TransportSetupError(
            f"{source.variable or 'CA bundle'}: cannot read {cafile}: {exc.strerror or type(exc).__name__}"
        ) from None
    # create_default_context already verifies; said again so no later edit can quietly turn it off.
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    return context


def tls_context() -> ssl.SSLContext:
    """The verifying context for https, from the environment's trust source (raises TransportSetupError)."""
    return _context_for(trust_source())


def tls_for(base_url: str) -> ssl.SSLContext:
    """The verifying context for https; for http (loopback, or opted in) a context that trusts nothing.

    Every request goes to the base URL's origin and redirects are not followed, so an http client never
    speaks TLS: it needs no CA bundle, and if it ever did, a context with no trust anchors fails closed.
    """
    scheme, _ = _split(base_url)
    if scheme == "https":
        return tls_context()
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


# --- what the client is built with -------------------------------------------------------------------


def connection_options(base_url: str, *, injected: bool, allow_insecure_http: bool) -> dict[str, Any]:
    """`verify` and `trust_env` for httpx.AsyncClient, after refusing what must not be sent.

    An injected transport (tests, the in-process simulator) carries nothing over a network: no check,
    no TLS context, no proxies.
    """
    if injected:
        return {"verify": True, "trust_env": False}
    check_base_url(base_url, allow_insecure_http=allow_insecure_http)
    scheme, host = _split(base_url)
    trust_env = not (scheme == "http" and is_loopback_host(host))
    return {"verify": tls_for(base_url), "trust_env": trust_env}


def preflight(base_url: str, *, allow_insecure_http: bool) -> str:
    """'' when a client for `base_url` can be built; else the one-line reason (for the CLI, before any request)."""
    try:
        connection_options(base_url, injected=False, allow_insecure_http=allow_insecure_http)
    except TransportSetupError as exc:
        return str(exc)
    return ""
