"""The API key: where it comes from, where it may be stored, and how it is shown.

Resolution order: `BARRACK_API_KEY`, then the OS keyring (service
`barrack-tui`, one entry per base URL), then the 0600 file the user opted
into with `--insecure-storage`, then the login screen. The key is never
logged, never put in an exception message, never written to the config file.

Keyring backends can hang (a locked Secret Service waiting on a GUI prompt
that an SSH session never sees), so every keyring call runs in a daemon
thread with a timeout. They can also fail in any way at all (keyrings.alt
without its crypto extra, a D-Bus error, a broken `keyring` install): every
failure becomes one line, "keyring unavailable: <backend>: <reason>", never a
traceback, and never hides a key the 0600 file or the environment can supply.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol, TypeVar

from barrack_tui.account import paths
from barrack_tui.account.files import atomic_write

SERVICE = "barrack-tui"
ENV_VAR = "BARRACK_API_KEY"
KEYRING_TIMEOUT = 10.0
_CANARY_USER = "barrack-tui-probe"

T = TypeVar("T")


class KeySource(StrEnum):
    ENV = "environment (BARRACK_API_KEY)"
    KEYRING = "OS keyring"
    FILE = "insecure file"
    PROMPT = "entered this session"
    DEMO = "demo simulator"


class KeyringTimeout(RuntimeError):
    pass


class KeyringUnavailable(RuntimeError):
    """No secure keyring to use; `str()` is the one line to show ("keyring unavailable: <backend>: <reason>")."""


@dataclass(frozen=True)
class ResolvedKey:
    key: str
    source: KeySource

    def __repr__(self) -> str:  # never show the key, even in a debugger or traceback
        return f"ResolvedKey(key={mask_key(self.key)!r}, source={self.source.name})"


@dataclass(frozen=True)
class KeyringStatus:
    secure: bool
    backend: str
    reason: str = ""
    timed_out: bool = False
    # The backend raised (as opposed to merely being insecure or absent): worth telling the user about.
    failed: bool = False

    def describe(self) -> str:
        return f"keyring unavailable: {self.backend}: {self.reason}"


def failure_reason(exc: BaseException, secrets: tuple[str, ...] = ()) -> str:
    """`ExcType: message` on one line, short, with any secret blanked: backends sometimes echo their input."""
    from barrack_tui.api.sanitize import sanitize_line

    text = " ".join(str(exc).split())
    for secret in secrets:
        if secret:
            text = text.replace(secret, "••••")
    text = sanitize_line(text)
    if len(text) > 160:
        text = text[:159] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _backend_name(backend: object) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _configured_backend() -> str:
    """What the user asked for, when the backend could not even be built."""
    return os.environ.get("PYTHON_KEYRING_BACKEND", "").strip() or "keyring"


def mask_key(key: str | None) -> str:
    if not key:
        return "none"
    return "••••" + key[-4:] if len(key) >= 8 else "••••"


def run_with_timeout(fn: Callable[[], T], timeout: float = KEYRING_TIMEOUT) -> T:
    """Run a blocking call in a daemon thread; a hung call is abandoned, not waited on."""
    values: list[T] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def target() -> None:
        try:
            values.append(fn())
        except BaseException as exc:  # handed back to the caller below
            errors.append(exc)
        finally:
            done.set()

    threading.Thread(target=target, name="barrack-keyring", daemon=True).start()
    if not done.wait(timeout):
        raise KeyringTimeout(f"The OS keyring did not answer within {timeout:g} s (is it locked or waiting for a prompt?)")
    if errors:
        raise errors[0]
    return values[0]


async def run_with_timeout_async(fn: Callable[[], T], timeout: float = KEYRING_TIMEOUT) -> T:
    """The same, awaitable without blocking the UI loop (and without a pool thread a hang would pin)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(callback: Callable[[], object]) -> None:
        try:
            loop.call_soon_threadsafe(callback)
        except RuntimeError:
            pass  # the loop closed while the call hung: nobody is waiting any more

    # On the loop, and only if the wait has not given up on the future already.
    def fail(error: BaseException) -> None:
        if not future.done():
            future.set_exception(error)

    def succeed(value: T) -> None:
        if not future.done():
            future.set_result(value)

    def target() -> None:
        try:
            value = fn()
        except BaseException as exc:
            # Bound now: Python unbinds `exc` when the except block ends, before the loop runs the callback.
            deliver(functools.partial(fail, exc))
        else:
            deliver(functools.partial(succeed, value))

    threading.Thread(target=target, name="barrack-keyring", daemon=True).start()
    try:
        return await asyncio.wait_for(asyncio.shield(future), timeout)
    except TimeoutError:
        raise KeyringTimeout(
            f"The OS keyring did not answer within {timeout:g} s (is it locked or waiting for a prompt?)"
        ) from None


def _backend_is_insecure(backend: object) -> str:
    """Why a backend cannot be trusted with the key, or '' if it can."""
    module = type(backend).__module__
    if module.startswith("keyring.backends.fail") or module.startswith("keyring.backends.null"):
        return "no usable keyring backend"
    children = getattr(backend, "backends", None)
    if children is not None:  # ChainerBackend: secure only if a secure child exists
        if not children:
            return "no keyring backend is available"
        reasons = [_backend_is_insecure(child) for child in children]
        return "" if any(r == "" for r in reasons) else reasons[0]
    priority = getattr(backend, "priority", 0)
    try:
        priority = float(priority)
    except (TypeError, ValueError):
        priority = 0.0
    if priority < 1:
        return f"{type(backend).__name__} stores secrets in plain text (priority {priority:g})"
    return ""


class _Backend(Protocol):
    """The calls made on a keyring backend (`keyring.backend.KeyringBackend` has them), typed without importing it."""

    def get_password(self, service: str, username: str) -> str | None: ...

    def set_password(self, service: str, username: str, password: str) -> None: ...

    def delete_password(self, service: str, username: str) -> None: ...


def _probe(timeout: float) -> tuple[KeyringStatus, _Backend | None]:
    """The status, and the backend itself when it is secure (so the key goes to the backend that was tested)."""
    try:
        import keyring

        backend = run_with_timeout(keyring.get_keyring, timeout)
    except KeyringTimeout as exc:
        return KeyringStatus(False, _configured_backend(), str(exc), timed_out=True), None
    except Exception as exc:  # the backend named in the keyring config cannot even be built
        return KeyringStatus(False, _configured_backend(), failure_reason(exc), failed=True), None
    name = _backend_name(backend)
    try:
        reason = _backend_is_insecure(backend)
    except Exception as exc:  # e.g. keyrings.alt's EncryptedKeyring raises from `priority` without its crypto extra
        return KeyringStatus(False, name, failure_reason(exc), failed=True), None
    if reason:
        return KeyringStatus(False, name, reason), None
    canary = os.urandom(12).hex()
    try:
        run_with_timeout(lambda: backend.set_password(SERVICE, _CANARY_USER, canary), timeout)
        read_back = run_with_timeout(lambda: backend.get_password(SERVICE, _CANARY_USER), timeout)
        run_with_timeout(lambda: backend.delete_password(SERVICE, _CANARY_USER), timeout)
    except KeyringTimeout as exc:
        return KeyringStatus(False, name, str(exc), timed_out=True), None
    except Exception as exc:  # any backend failure means: do not store the key there
        return KeyringStatus(False, name, failure_reason(exc), failed=True), None
    if read_back != canary:
        return KeyringStatus(False, name, "the keyring did not return the test entry it was given", failed=True), None
    return KeyringStatus(True, name), backend


def probe_keyring(timeout: float = KEYRING_TIMEOUT) -> KeyringStatus:
    """Trust the keyring only after a canary round-trip: write, read back, delete. Never raises."""
    return _probe(timeout)[0]


def _use(status: KeyringStatus, call: Callable[[], T], what: str, timeout: float, secrets: tuple[str, ...] = ()) -> T:
    """Run one call on the probed backend; a failure becomes KeyringUnavailable (a hang, KeyringTimeout)."""
    try:
        return run_with_timeout(call, timeout)
    except KeyringTimeout as exc:
        raise KeyringTimeout(KeyringStatus(False, status.backend, str(exc), timed_out=True).describe()) from None
    except Exception as exc:
        failed = KeyringStatus(False, status.backend, f"{what} failed: {failure_reason(exc, secrets)}", failed=True)
        raise KeyringUnavailable(failed.describe()) from None


# --- the opt-in 0600 file -------------------------------------------------------------------------


def _read_file_store(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, OSError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_file_store(path: Path, entries: dict[str, str]) -> None:
    """Atomic, and 0600 from the first byte, whatever the umask: the file holds API keys in clear."""
    paths.ensure_private_dir(path.parent)
    atomic_write(path, json.dumps(entries, indent=2), 0o600)


# --- resolution, storage, removal -------------------------------------------------------------------


def key_from_env() -> ResolvedKey | None:
    key = os.environ.get(ENV_VAR, "").strip()
    return ResolvedKey(key, KeySource.ENV) if key else None


def stored_key(base_url: str, *, timeout: float = KEYRING_TIMEOUT) -> ResolvedKey | None:
    """The keyring's entry for this base URL, else the insecure file's (blocking; run off the UI loop).

    A keyring that hung or failed does not hide the file's key; without one, it raises (KeyringTimeout,
    KeyringUnavailable) rather than answer "no key", since the keyring may hold one we could not read.
    """
    status, backend = _probe(timeout)
    problem: Exception | None = None
    if status.timed_out:
        problem = KeyringTimeout(status.describe())
    elif status.failed:
        problem = KeyringUnavailable(status.describe())
    elif backend is not None:
        try:
            key = _use(status, lambda: backend.get_password(SERVICE, base_url), "reading the key", timeout)
        except (KeyringTimeout, KeyringUnavailable) as exc:
            problem = exc
        else:
            if key:
                return ResolvedKey(key, KeySource.KEYRING)
    key = _read_file_store(paths.insecure_key_file()).get(base_url)
    if key:
        return ResolvedKey(key, KeySource.FILE)
    if problem is not None:
        raise problem
    return None


def resolve_key(base_url: str, *, timeout: float = KEYRING_TIMEOUT) -> ResolvedKey | None:
    return key_from_env() or stored_key(base_url, timeout=timeout)


def store_key(base_url: str, key: str, *, insecure_storage: bool = False, timeout: float = KEYRING_TIMEOUT) -> tuple[KeySource, Path | None]:
    """Store in the keyring when it is secure; else in the 0600 file only if the user asked for it.

    Raises KeyringUnavailable (storing nothing) when neither is possible.
    """
    status, backend = _probe(timeout)
    if backend is not None:
        _use(status, lambda: backend.set_password(SERVICE, base_url, key), "storing the key", timeout, (key,))
        return KeySource.KEYRING, None
    if not insecure_storage:
        raise KeyringUnavailable(status.describe())
    path = paths.insecure_key_file()
    entries = _read_file_store(path)
    entries[base_url] = key
    _write_file_store(path, entries)
    return KeySource.FILE, path


class RemovedKeys(list[str]):
    """Where stored copies were removed from; `.problem` says why the keyring could not be checked ('' if it was)."""

    problem: str = ""


def delete_stored_keys(base_url: str, *, timeout: float = KEYRING_TIMEOUT) -> RemovedKeys:
    """Remove every stored copy for this base URL; a failing keyring still lets the file's copy go."""
    removed = RemovedKeys()
    status, backend = _probe(timeout)
    if backend is not None:
        from keyring.errors import PasswordDeleteError

        def delete() -> bool:
            try:
                backend.delete_password(SERVICE, base_url)
            except PasswordDeleteError:  # nothing stored there: not a failure
                return False
            return True

        try:
            if _use(status, delete, "removing the key", timeout):
                removed.append("OS keyring")
        except (KeyringTimeout, KeyringUnavailable) as exc:
            removed.problem = str(exc)
    elif status.failed or status.timed_out:
        removed.problem = status.describe()
    path = paths.insecure_key_file()
    entries = _read_file_store(path)
    if base_url in entries:
        del entries[base_url]
        if entries:
            _write_file_store(path, entries)
        else:
            path.unlink(missing_ok=True)
        removed.append(str(path))
    return removed


NO_SECURE_KEYRING_HELP = """\
{reason}
No secure keyring is available on this host, so the key was not stored.
Choose one:
  1. Export it for this session only:   export BARRACK_API_KEY=...   (e.g. from your password manager)
  2. Start a keyring for this session:  dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock; barrack-tui auth login'
  3. Store it in a file readable only by you (0600, not encrypted):  barrack-tui auth login --insecure-storage
"""
