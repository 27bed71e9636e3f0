"""Keyring backends for tests: a secure in-memory one, a plaintext one, one that hangs, and ones that fail."""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class PlaintextKeyring(MemoryKeyring):
    """Like keyrings.alt's file backend: works, but stores secrets in the clear."""

    priority = 0.5  # type: ignore[assignment]


class HangingKeyring(MemoryKeyring):
    """A locked Secret Service waiting on a prompt nobody will answer."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(30)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(30)


class FailingKeyring(MemoryKeyring):
    """A backend that raises `error` from the calls named in `on` (get, set, delete), as broken ones do."""

    def __init__(self, error: BaseException, on: tuple[str, ...] = ("get", "set", "delete")) -> None:
        super().__init__()
        self.error = error
        self.on = on

    def _maybe_fail(self, call: str) -> None:
        if call in self.on:
            raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        self._maybe_fail("set")
        super().set_password(service, username, password)

    def get_password(self, service: str, username: str) -> str | None:
        self._maybe_fail("get")
        return super().get_password(service, username)

    def delete_password(self, service: str, username: str) -> None:
        self._maybe_fail("delete")
        super().delete_password(service, username)


class EchoingKeyring(MemoryKeyring):
    """Fails to store, and quotes what it was given in its error (some backends do): the key must not show."""

    def set_password(self, service: str, username: str, password: str) -> None:
        if username != "barrack-tui-probe":
            raise RuntimeError(f"cannot store {password!r} for {username}")
        super().set_password(service, username, password)


class NoCryptoKeyring(MemoryKeyring):
    """Like keyrings.alt's EncryptedKeyring without its crypto extra: asking its priority raises.

    A class property, as there, so keyring's own backend detection skips it as not viable.
    """

    @properties.classproperty
    def priority(cls) -> float:  # type: ignore[override]
        raise RuntimeError("PyCryptodome is not installed")
