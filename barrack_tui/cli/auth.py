"""`barrack-tui auth login|logout|status`: the key never appears in argv, output or logs.

A keyring that fails or hangs is reported as one line ("keyring unavailable: <backend>: <reason>")
and the command carries on with what it can still do; no keyring failure ends in a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from barrack_tui.account import auth
from barrack_tui.account.config import Settings


async def _check_key(settings: Settings, key: str) -> str:
    """'' when the API accepts the key, else the API's (or network's) message."""
    from barrack_tui.api.client import BarrackClient, Timeouts
    from barrack_tui.api.errors import ApiError

    client = BarrackClient(
        settings.base_url,
        key,
        timeouts=Timeouts(connect=settings.timeout_connect, read=settings.timeout_read),
        max_retries=1,
        allow_insecure_http=settings.allow_insecure_http,
    )
    try:
        balance = await client.get_balance()
    except ApiError as exc:
        return str(exc)
    finally:
        await client.aclose()
    amounts = ", ".join(f"{b.amount} {b.currency}" for b in balance.balances)
    print(f"The API accepts the key (balance: {amounts}).")
    return ""


def _read_key(args: argparse.Namespace) -> str:
    if args.with_key or not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    return getpass.getpass("Barrack API key (input hidden): ").strip()


def run_auth(args: argparse.Namespace, settings: Settings) -> int:
    if args.auth_command == "status":
        return _status(settings)
    if args.auth_command == "logout":
        removed = auth.delete_stored_keys(settings.base_url)
        if removed.problem:
            print(removed.problem, file=sys.stderr)
        if removed:
            print(f"Removed the stored key for {settings.base_url} from: {', '.join(removed)}")
        else:
            print(f"No stored key for {settings.base_url}.")
        if auth.key_from_env():
            print("Note: BARRACK_API_KEY is still set in this environment.")
        return 0
    return _login(args, settings)


def _login(args: argparse.Namespace, settings: Settings) -> int:
    key = _read_key(args)
    if not key:
        print("No key given; nothing stored.", file=sys.stderr)
        return 2
    problem = asyncio.run(_check_key(settings, key))
    if problem:
        print(f"Not stored: {problem}", file=sys.stderr)
        return 1
    try:
        where, path = auth.store_key(settings.base_url, key, insecure_storage=args.insecure_storage)
    except auth.KeyringUnavailable as exc:
        print(auth.NO_SECURE_KEYRING_HELP.format(reason=exc), file=sys.stderr)
        return 3
    except auth.KeyringTimeout as exc:
        print(f"Not stored: {exc}", file=sys.stderr)
        return 3
    except OSError as exc:
        print(f"Not stored: cannot write {exc.filename or 'the key file'}: {exc.strerror or type(exc).__name__}", file=sys.stderr)
        return 3
    if path is not None:
        print(f"WARNING: the key is stored unencrypted in {path} (mode 0600, readable only by you).", file=sys.stderr)
    else:
        print(f"Key stored in the {where} for {settings.base_url}.")
    return 0


def _status(settings: Settings) -> int:
    try:
        resolved = auth.resolve_key(settings.base_url)
    except (auth.KeyringTimeout, auth.KeyringUnavailable) as exc:
        print(exc)
        resolved = auth.key_from_env()
    print(f"Base URL: {settings.base_url}")
    if resolved is None:
        print("Key: none found (BARRACK_API_KEY unset, nothing stored). Run `barrack-tui auth login`.")
        return 1
    print(f"Key: {auth.mask_key(resolved.key)} (from {resolved.source.value})")
    problem = asyncio.run(_check_key(settings, resolved.key))
    if problem:
        print(f"The API refused it: {problem}")
        return 1
    return 0
