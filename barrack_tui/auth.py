"""The API key: where it comes from, where it may be stored, and how it is shown.

Resolution order: `BARRACK_API_KEY`, then the OS keyring (service
`barrack-tui`, one entry per base URL), then the 0600 file the user opted
into with `--insecure-storage`, then the login screen. The key is never
logged, never put in an exception message, never written to the config file.

Keyring backends can hang (a locked Secret Service waiting on a GUI prompt
that an SSH session never sees), so every keyring call runs in a daemon
thread with a timeout.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from barrack_tui import paths

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
    pass


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


def mask_key(key: str | None) -> str:
    if not key:
        return "none"
    return "••••" + key[-4:] if len(key) >= 8 else "••••"


def run_with_timeout(fn: Callable[[], T], timeout: float = KEYRING_TIMEOUT) -> T:
    """Run a blocking call in a daemon thread; a hung call is abandoned, not waited on."""
    box: dict[str, object] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed back to the caller below
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, name="barrack-keyring", daemon=True).start()
    if not done.wait(timeout):
        raise KeyringTimeout(f"The OS keyring did not answer within {timeout:g} s (is it locked or waiting for a prompt?)")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


async def run_with_timeout_async(fn: Callable[[], T], timeout: float = KEYRING_TIMEOUT) -> T:
    """The same, awaitable without blocking the UI loop (and without a pool thread a hang would pin)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(callback: Callable[[], object]) -> None:
        try:
            loop.call_soon_threadsafe(callback)
        except RuntimeError:
            pass  # the loop closed while the call hung: nobody is waiting any more

    def target() -> None:
        try:
            value = fn()
        except BaseException as exc:
            deliver(lambda: future.done() or future.set_exception(exc))
        else:
            deliver(lambda: future.done() or future.set_result(value))

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
        return f"no usable keyring backend ({type(backend).__name__} from {module})"
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


def probe_keyring(timeout: float = KEYRING_TIMEOUT) -> KeyringStatus:
    """Trust the keyring only after a canary round-trip: write, read back, delete."""
    import keyring

    try:
        backend = run_with_timeout(keyring.get_keyring, timeout)
    except KeyringTimeout as exc:
        return KeyringStatus(False, "unknown", str(exc), timed_out=True)
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    reason = _backend_is_insecure(backend)
    if reason:
        return KeyringStatus(False, name, reason)
    canary = os.urandom(12).hex()
    try:
        run_with_timeout(lambda: backend.set_password(SERVICE, _CANARY_USER, canary), timeout)
        read_back = run_with_timeout(lambda: backend.get_password(SERVICE, _CANARY_USER), timeout)
        run_with_timeout(lambda: backend.delete_password(SERVICE, _CANARY_USER), timeout)
    except KeyringTimeout as exc:
        return KeyringStatus(False, name, str(exc), timed_out=True)
    except Exception as exc:  # any backend failure means: do not store the key there
        return KeyringStatus(False, name, f"the keyring refused a test entry ({type(exc).__name__})")
    if read_back != canary:
        return KeyringStatus(False, name, "the keyring did not return the test entry it was given")
    return KeyringStatus(True, name)


# --- the opt-in 0600 file -------------------------------------------------------------------------


def _read_file_store(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, OSError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_file_store(path: Path, entries: dict[str, str]) -> None:
    """Atomic, and 0600 from the first byte: the temp file is created with that mode, whatever the umask."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, json.dumps(entries, indent=2).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


# --- resolution, storage, removal -------------------------------------------------------------------


def key_from_env() -> ResolvedKey | None:
    key = os.environ.get(ENV_VAR, "").strip()
    return ResolvedKey(key, KeySource.ENV) if key else None


def stored_key(base_url: str, *, timeout: float = KEYRING_TIMEOUT) -> ResolvedKey | None:
    """The keyring's entry for this base URL, else the insecure file's (blocking; run off the UI loop)."""
    status = probe_keyring(timeout)
    if status.secure:
        import keyring

        key = run_with_timeout(lambda: keyring.get_password(SERVICE, base_url), timeout)
        if key:
            return ResolvedKey(key, KeySource.KEYRING)
    key = _read_file_store(paths.insecure_key_file()).get(base_url)
    if key:
        return ResolvedKey(key, KeySource.FILE)
    if status.timed_out:
        # Not "no key": the keyring may hold one we could not read. Say so instead of a bare login prompt.
        raise KeyringTimeout(status.reason)
    return None


def resolve_key(base_url: str, *, timeout: float = KEYRING_TIMEOUT) -> ResolvedKey | None:
    return key_from_env() or stored_key(base_url, timeout=timeout)


def store_key(base_url: str, key: str, *, insecure_storage: bool = False, timeout: float = KEYRING_TIMEOUT) -> tuple[KeySource, Path | None]:
    """Store in the keyring when it is secure; else in the 0600 file only if the user asked for it.

    Raises KeyringUnavailable (storing nothing) when neither is possible.
    """
    status = probe_keyring(timeout)
    if status.secure:
        import keyring

        run_with_timeout(lambda: keyring.set_password(SERVICE, base_url, key), timeout)
        return KeySource.KEYRING, None
    if not insecure_storage:
        raise KeyringUnavailable(status.reason)
    path = paths.insecure_key_file()
    entries = _read_file_store(path)
    entries[base_url] = key
    _write_file_store(path, entries)
    return KeySource.FILE, path


def delete_stored_keys(base_url: str, *, timeout: float = KEYRING_TIMEOUT) -> list[str]:
    """Remove every stored copy for this base URL; returns where copies were removed from."""
    removed: list[str] = []
    status = probe_keyring(timeout)
    if status.secure:
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            run_with_timeout(lambda: keyring.delete_password(SERVICE, base_url), timeout)
            removed.append("OS keyring")
        except PasswordDeleteError:
            pass
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
No secure keyring is available on this host ({reason}), so the key was not stored.
Choose one:
  1. Export it for this session only:   export BARRACK_API_KEY=...   (e.g. from your password manager)
  2. Start a keyring for this session:  dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock; barrack-tui auth login'
  3. Store it in a file readable only by you (0600, not encrypted):  barrack-tui auth login --insecure-storage
"""
