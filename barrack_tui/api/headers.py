"""What every request carries and where it goes, without httpx: the client and the first reads share it."""

from __future__ import annotations

from urllib.parse import urlsplit

from barrack_tui import __version__
from barrack_tui.api.errors import clean_text
from barrack_tui.api.routes import API_PREFIX

__all__ = ["check_key", "client_headers", "origin_of"]


def check_key(api_key: str) -> None:
    # A header value with spaces, newlines or non-ASCII makes httpx/h11 raise an
    # error that quotes the header, key included; refuse it before that can happen.
    if any(not ("\x21" <= ch <= "\x7e") for ch in api_key):
        raise ValueError(
            "The API key contains spaces, line breaks or non-ASCII characters; copy it again from your Barrack account."
        )


def client_headers(api_key: str) -> dict[str, str]:
    """The headers on every request: who asks, what it accepts, the key (refused first if it cannot be a header)."""
    check_key(api_key)
    headers = {"User-Agent": f"barrack-tui/{__version__}", "Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    return headers


def origin_of(base_url: str) -> tuple[str, str]:
    """(base URL without the /api/v1 suffix, scheme://host[:port] for messages, never any userinfo)."""
    url = base_url.strip().rstrip("/")
    if url.endswith(API_PREFIX):
        url = url[: -len(API_PREFIX)]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"The base URL must start with https:// or http:// and name a host, not {clean_text(url)!r}")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    port = f":{parts.port}" if parts.port else ""
    return url, f"{parts.scheme}://{host}{port}"
