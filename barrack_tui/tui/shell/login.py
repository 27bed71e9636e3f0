"""Asks for the API key when none was found; validates it; saves it only to a secure keyring."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, Static

from barrack_tui.account import auth
from barrack_tui.api.errors import ApiError
from barrack_tui.tui.kit.access import UsesBarrack


class LoginScreen(UsesBarrack, Screen[str]):
    """Dismisses with the validated key."""

    BINDINGS = [Binding("escape", "app.quit", "Quit", id="login.quit")]

    def __init__(self, base_url: str, *, reason: str = "", keyring_timeout: float = auth.KEYRING_TIMEOUT) -> None:
        super().__init__()
        self.base_url = base_url
        self.reason = reason
        self.keyring_timeout = keyring_timeout
        self.keyring_secure = False

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Static(Text("Sign in to Barrack", style="bold"), id="login-title")
            yield Static(Text(f"API: {self.base_url}", style="dim"))
            if self.reason:
                yield Static(Text(self.reason), id="login-reason", classes="warning")
            yield Label("API key (from your Barrack account settings)")
            yield Input(placeholder="paste the key", password=True, id="login-key")
            yield Checkbox("Save in the OS keyring", value=True, id="login-save")
            yield Static(Text("Checking for a secure keyring…", style="dim"), id="login-keyring")
            yield Static("", id="login-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Sign in", variant="primary", id="login-submit")
                yield Button("Quit", id="login-quit")

    def on_mount(self) -> None:
        self.query_one("#login-save", Checkbox).display = False
        self.probe_keyring()

    @work(group="keyring", exclusive=True, exit_on_error=False)
    async def probe_keyring(self) -> None:
        try:
            status = await auth.run_with_timeout_async(lambda: auth.probe_keyring(self.keyring_timeout), self.keyring_timeout + 1)
        except auth.KeyringTimeout as exc:
            status = auth.KeyringStatus(False, "keyring", str(exc), timed_out=True)
        self.keyring_secure = status.secure
        note = self.query_one("#login-keyring", Static)
        if status.secure:
            self.query_one("#login-save", Checkbox).display = True
            note.update(Text(f"Keyring: {status.backend}", style="dim"))
        else:
            note.update(
                Text(
                    f"{status.describe()}. The key will be used for this run only. "
                    "To keep it, export BARRACK_API_KEY or see `barrack-tui auth login --help`.",
                    style="yellow",
                )
            )

    @on(Input.Submitted, "#login-key")
    @on(Button.Pressed, "#login-submit")
    def submit(self) -> None:
        key = self.query_one("#login-key", Input).value.strip()
        if not key:
            self.show_error("Paste your API key first.")
            return
        self.query_one("#login-submit", Button).disabled = True
        self.show_error("")
        self.validate_and_finish(key)

    @on(Button.Pressed, "#login-quit")
    def quit_app(self) -> None:
        self.barrack.exit()

    def show_error(self, message: str) -> None:
        self.query_one("#login-error", Static).update(Text(message))

    @work(group="login", exclusive=True, exit_on_error=False)
    async def validate_and_finish(self, key: str) -> None:
        try:
            await self.barrack.validate_key(key)
        except ApiError as exc:
            self.show_error(str(exc))
            self.query_one("#login-submit", Button).disabled = False
            return
        if self.keyring_secure and self.query_one("#login-save", Checkbox).value:
            try:
                await auth.run_with_timeout_async(lambda: auth.store_key(self.base_url, key, timeout=self.keyring_timeout), self.keyring_timeout + 1)
                self.barrack.notify("API key saved in the OS keyring.")
            except (auth.KeyringUnavailable, auth.KeyringTimeout) as exc:  # saving is a convenience: sign in anyway
                self.barrack.notify(f"Signed in, but the key was not saved: {exc}", severity="warning")
            except Exception as exc:
                self.barrack.notify(f"Signed in, but the key was not saved: {auth.failure_reason(exc)}", severity="warning")
        self.dismiss(key)
