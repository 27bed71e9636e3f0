"""The Textual App: modes per area, bindings with ids, the session (key, clients, store), one error handler."""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.reactive import reactive
from textual.screen import Screen

from barrack_tui.account import auth, paths
from barrack_tui.account.config import Settings
from barrack_tui.api.errors import ApiError, AuthError
from barrack_tui.api.transport import sends_key_in_clear
from barrack_tui.tui.shell import heap
from barrack_tui.tui.shell.activity import ActivityLog
from barrack_tui.tui.shell.activity_recorder import ActivityRecorder
from barrack_tui.tui.shell.focus import KeyRouting
from barrack_tui.tui.shell.guard import ReadOnlyError, guard_client
from barrack_tui.tui.shell.modes import APP_BINDINGS, MODE_SCREENS, screen_factory
from barrack_tui.tui.shell.navigation import Navigation
from barrack_tui.tui.shell.notices import Notices, error_notice, owner_of
from barrack_tui.tui.shell.store import COST_KINDS, PollHealthChanged, Store, StoreChanged

if TYPE_CHECKING:
    from barrack_tui.tui.shell.alerts import Alerts

log = logging.getLogger(__name__)

# One style file per area, beside the area's code, all loaded soon after the first frame (see BarrackApp.CSS_PATH); a new
# area's file needs no listing.
STYLE_FILES = tuple(sorted(path.stem for path in (Path(__file__).parent.parent / "areas").glob("*/*.tcss")))

# Seconds after Ready by which the other areas' styles are read even if the first screen's data never came.
OTHER_STYLES_LATEST = 1.0
# How long the client's loading waits for the first answers to paint them first (api/first_look.py).
FIRST_LOOK_HEAD_START = 0.15


class RegionContextChanged(Message):
    """The app's region context (every screen's default filter) changed; None means all regions."""

    def __init__(self, region: str | None) -> None:
        super().__init__()
        self.region = region


class SessionStarted(Message):
    """The app has its clients: a screen that asks the API itself, not through the pollers, may ask now.

    The session starts after the first frame (or a sign-in), after the first screen mounted.
    """


def _client_loaded() -> bool:
    """Is the API client imported already (in a process that used it before: the tests, a second app)?"""
    return "barrack_tui.api.client" in sys.modules


class BarrackApp(Navigation, KeyRouting, App[None]):
    # Every style file, read once at start. A screen's own CSS_PATH, met for the first time, would make
    # Textual re-parse the whole stylesheet and restyle every node of every screen (30-180 ms per first
    # visit of a mode or modal); listed here, it is already loaded and the screen is only styled itself.
    # Only the shell's file and the first area's are parsed before the first frame; the others are read once
    # the first screen's data is painted (see _read_other_styles).
    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss", *(f"../areas/{name}/{name}.tcss" for name in STYLE_FILES)]
    TITLE = "barrack"
    MODES: ClassVar[dict[str, Any]] = {name: screen_factory(m, c) for name, (_, _, m, c) in MODE_SCREENS.items()}
    # The app starts in this mode rather than switching to it from Textual's default screen: a switch holds
    # every paint back 50 ms (Textual masks the change of screens), which at start is 50 ms of blank terminal.
    DEFAULT_MODE: ClassVar[str] = "regions"
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

    region: reactive[str | None] = reactive(None, init=False)

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        api_key: auth.ResolvedKey | None = None,
        demo: bool = False,
        look_up_stored_key: bool = True,
        transport: Any = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        keyring_timeout: float = auth.KEYRING_TIMEOUT,
        config_warnings: Iterable[str] = (),
        initial_mode: str = "regions",
        await_key: Callable[[], auth.ResolvedKey | None] | None = None,
    ) -> None:
        super().__init__()
        self._toast_timer: Any = None
        # Keys that arrive in one read are handled one after the other (tui/shell/focus.py).
        self._init_key_routing()
        self.settings = settings or Settings()
        self.demo = demo
        # The demo writes its chats and UI state in a dir of its own, never beside a real account's.
        paths.use_demo_data(demo)
        # Opted-in http to another machine: the header says so for the whole session.
        # (The demo serves on loopback, its URL known only once it serves.)
        self.insecure_http = (
            not demo and self.settings.allow_insecure_http and sends_key_in_clear(self.settings.base_url)
        )
        self.read_only = self.settings.read_only
        self._transport = transport
        self._key = api_key
        # Blocks until the server can be reached, then gives its key (None: it never will; the app exits 1):
        # the demo's simulator child, which starts slower than the app paints. Called in a thread after
        # the first frame, so the shell is drawn before the server is up; it sets the base URL itself.
        self._await_key = await_key
        self._look_up_stored_key = look_up_stored_key
        self._keyring_timeout = keyring_timeout
        self._config_warnings = list(config_warnings)
        self._initial_mode = initial_mode
        self._later_css = self._defer_other_styles(initial_mode)
        # Epoch seconds for ages and accrued costs; tests share the simulator's fake clock.
        self.wall_clock = wall_clock
        self._login_open = False
        self.client: Any = None
        self.poll_client: Any = None
        # (key, EarlyReads): the first reads, sent before the client loaded, until a session takes them over.
        self._early: tuple[str, Any] | None = None
        # What the first screen shows of those reads' answers until the store has read them (a FirstLook).
        self.first_look: Any = None
        self._looking: asyncio.Future[None] | None = None
        self.masked_key = "none"
        self.store = Store(
            client_getter=lambda: self.poll_client,
            action_client_getter=lambda: self.client,
            settings=self.settings.poll,
            clock=clock,
            notify=lambda text, severity: self.notify(text, severity=severity),
            on_auth_error=lambda exc: self.show_login(str(exc)),
            on_big_load=self._settle_heap,
            background_kinds=COST_KINDS,  # the header's storage part, in every area
        )
        self.notices = Notices(wall_clock)
        self.activity = ActivityLog(wall_clock)
        # Every mutation the clients send and every change the pollers see goes into the log from here.
        self.activity_recorder = ActivityRecorder(self.store, self.activity)
        self.store.on_observed = self.activity_recorder.observed
        self.set_reactive(BarrackApp.region, self.settings.default_region)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme

    @functools.cached_property
    def alerts(self) -> Alerts:
        """Budget alerts and watches: checked on every store change, whatever screen is in view.

        Made on first use (the first data, a watch), not with the app: the spend logic it loads is no part
        of the first frame.
        """
        from barrack_tui.tui.shell.alerts import Alerts

        return Alerts(self)

    def alert_badge(self) -> str | None:
        """The header's alert badge; none before the alerts are made (no data has changed, none can hold)."""
        alerts = self.__dict__.get("alerts")  # where cached_property keeps it: asking must not make it
        return alerts.book.badge() if alerts is not None else None

    # --- start-up and session ---------------------------------------------------------------------

    def _settle_heap(self) -> None:
        # The collector stays paused while the screens build their rows from the new models; after the next
        # refresh everything is frozen and it resumes (tui/shell/heap.py), and again later for slower screens.
        heap.hold()
        self.call_after_refresh(heap.release)
        self.set_timer(heap.SETTLE_SECONDS, heap.freeze_long_lived)

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._dismiss_left_behind)
        self.store.subscribe(self)
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        # Rebinds that clash or name no binding are said by name, as `barrack-tui config check` says them.
        # Checking reads every screen's bindings, so it waits for a keymap to check: the defaults are
        # clash-free (a test says so) and the first frame should not import every area.
        problems: list[str] = []
        if self.settings.keymap:
            from barrack_tui.tui.shell.keymap import keymap_problems

            problems = keymap_problems(self.settings.keymap)
        for warning in [*self._config_warnings, *problems]:
            self.notify(warning, severity="warning", timeout=10)
        self.switch_mode(self._initial_mode)
        # The first screen's kinds join the first poll cycle whenever its ScreenResume (which says the same)
        # is handled: after the session started, it would cost a second round of requests before any data.
        self.store.set_visible(getattr(self.screen, "POLL_KINDS", ()))
        # Resolution order: an explicit key (or the demo's), BARRACK_API_KEY, the keyring/file, the login screen.
        if self._await_key is None:
            self._key = self._key or auth.key_from_env()
            if self._key is None and not self._look_up_stored_key:
                self.show_login("")

    def _defer_other_styles(self, initial_mode: str) -> list[Path]:
        # Parsing every area's file takes ~25 ms, about a fifth of a bare Textual start; the first frame
        # needs only the shell's and the first area's. Returns the rest, read at Ready.
        area = MODE_SCREENS[initial_mode][2].split(".")[-2] if initial_mode in MODE_SCREENS else ""
        first = {"app", area}
        later = [path for path in self.css_path if PurePath(path).stem not in first]
        self.css_path = [path for path in self.css_path if PurePath(path).stem in first]
        return later

    def _read_other_styles(self) -> None:
        # Once the first screen's data is painted (or OTHER_STYLES_LATEST after Ready), so a first visit finds
        # its rules loaded and never re-parses. A screen met even sooner (a key before the data) has had its
        # own file read by Textual already, at that visit's cost; reading it again replaces it with the same
        # text, and every file keeps its own parse, so nothing is parsed twice.
        later, self._later_css = self._later_css, []
        if later:
            self.stylesheet.read_all(later)
            self.stylesheet.parse()
            self.css_path = [*self.css_path, *later]

    def on_ready(self) -> None:
        # The other areas' styles wait for the first screen's data (see on_poll_health_changed): parsed
        # now, they would hold the session's loading thread back ~25 ms. Without data, they come anyway.
        self.set_timer(OTHER_STYLES_LATEST, self._read_other_styles)
        # The session starts once the first frame is out: the client loads httpx, pydantic and every model
        # (~150 ms), and started in on_mount it kept the shell off the screen that long. Ready comes after
        # Textual's first paint, which at start-up draws only the widgets that changed since its first
        # layout (the whole screen follows ~20 ms later), so the client loads in a thread: the loop finishes
        # the frame and reads keys meanwhile. Already loaded (in a process that uses the client itself, as
        # the tests do), the session starts at once.
        if _client_loaded() and self._await_key is None:
            self._begin_session()
        else:
            self.run_worker(self._load_client_then_begin(), group="session")

    async def _load_client_then_begin(self) -> None:
        # The first screen's reads go out first, with asyncio and h11 alone (api/early.py), and their answers
        # are painted as they come (the first look); then the client loads in a thread, with what its first
        # requests would load and build on the event loop (httpcore, anyio's backend, the first reads'
        # validators, the CA bundle), and takes those answers over. A key kept in the keyring or the key
        # file is looked up meanwhile, so its reads go out early too.
        from barrack_tui.api import warm

        base_url = None if self.demo else self.settings.base_url
        stored = None
        if self._key is None and self._await_key is None and self._look_up_stored_key:
            stored = asyncio.ensure_future(self._stored_key())
        if self._await_key is not None:
            self._key = await self._in_daemon_thread(self._await_key)
            if self._key is None:
                self.exit(return_code=1)
                return
        looking = None
        if self._key is not None:
            self._send_first_reads(self._key.key)
            # The first answers often come within milliseconds: painted before the client starts loading,
            # the first look has the core to itself (sharing it with the loading thread took twice as long).
            looking = asyncio.ensure_future(self._take_first_look())
            await asyncio.wait([looking], timeout=FIRST_LOOK_HEAD_START)
        loading = asyncio.ensure_future(asyncio.to_thread(warm.preload, base_url))
        reason = ""
        if stored is not None:  # a keyring that hangs holds back neither the client nor the sign-in screen
            self._key, reason = await stored
            if self._key is not None:
                self._send_first_reads(self._key.key)
                looking = asyncio.ensure_future(self._take_first_look())
        # The session starts when the client is in; a first look still waiting for its answers goes on.
        self._looking = looking
        await loading
        if self._key is not None:
            self.start_session(self._key)
        elif stored is not None:
            self.show_login(reason)

    async def _take_first_look(self) -> None:
        # The first answers, painted as they are read before the client that validates them has loaded
        # (api/first_look.py): ~0.1 s sooner. Only a screen that can show a first look and refuses its
        # actions meanwhile gets one; the store's first read replaces it (on_poll_health_changed).
        try:
            await self._first_look()
        except Exception:  # only ever sooner: without a first look, the validated data is shown as always
            log.exception("first look failed")

    async def _first_look(self) -> None:
        from barrack_tui.api.first_look import FIRST_LOOK_KINDS, read_first_look
        from barrack_tui.tui.shell.first_look import ShownFirstLook
        from barrack_tui.tui.shell.header import AppHeader

        if self._early is None or not getattr(self.screen, "SHOWS_FIRST_LOOK", False):
            return
        (key, reads), requests = self._early, self.store.first_requests()  # the session may take them meanwhile
        bodies: dict[str, bytes] = {}
        for kind in FIRST_LOOK_KINDS:
            answer = await reads.peek(*requests[kind]) if kind in requests else None
            if answer is None or answer.status != 200:
                return
            bodies[kind] = answer.body
        if self._first_reads_in() or not getattr(self.screen, "SHOWS_FIRST_LOOK", False):
            return
        look = read_first_look(bodies)
        if look is None or self._first_reads_in():
            return
        self.first_look = ShownFirstLook.of(look)
        self.masked_key = auth.mask_key(key)  # the key these answers were read with
        screen: Any = self.screen
        screen.query_one(AppHeader).update_header()
        screen.refresh_from_store()
        # Done once it is on the screen (the cards mount in one refresh and are painted in the next): the
        # client's loading, which waits for this, would share the core.
        for _ in range(2):
            painted = asyncio.get_running_loop().create_future()
            screen.call_after_refresh(lambda done=painted: done.done() or done.set_result(None))
            await asyncio.wait([painted], timeout=FIRST_LOOK_HEAD_START)

    def _first_reads_in(self) -> bool:
        """Has the store read every kind the session reads first (or failed to, and says so)?"""
        store = self.store
        return all(kind in store.loaded or store.schedule.status(kind).failures for kind in store.first_requests())

    def _end_first_look(self) -> None:
        # Once the store has read what the first look showed, the store's data is what is shown.
        if self._first_reads_in():
            self.first_look = None
            screen = self.screen
            if hasattr(screen, "refresh_from_store"):
                screen.refresh_from_store()

    def _send_first_reads(self, key: str) -> None:
        from barrack_tui.api.early import EarlyReads

        try:
            reads = EarlyReads(
                self.settings.base_url,
                key,
                self.store.first_requests().values(),
                connect_timeout=self.settings.timeout_connect,
                read_timeout=self.settings.timeout_read,
                transport=self._transport,
                allow_insecure_http=self.settings.allow_insecure_http,
            )
        except Exception:  # a setting the client refuses: the client, made next, says why, as it always does
            return
        self._early = (key, reads)

    @staticmethod
    async def _in_daemon_thread(call: Callable[[], auth.ResolvedKey | None]) -> auth.ResolvedKey | None:
        # Not asyncio's executor, whose threads the loop joins on exit: quitting must not wait for a server
        # that is slow to start.
        loop = asyncio.get_running_loop()
        done: asyncio.Future[auth.ResolvedKey | None] = loop.create_future()

        def settle(key: auth.ResolvedKey | None) -> None:
            if not done.done():
                done.set_result(key)

        def wait() -> None:
            key = call()
            try:
                loop.call_soon_threadsafe(settle, key)
            except RuntimeError:  # the app ended meanwhile
                pass

        threading.Thread(target=wait, name="await-key", daemon=True).start()
        return await done

    def _begin_session(self) -> None:
        if self._key is not None:
            self.start_session(self._key)
        elif self._look_up_stored_key:
            self.run_worker(self._look_up_key(), group="auth", exclusive=True, exit_on_error=False)

    async def _look_up_key(self) -> None:
        resolved, reason = await self._stored_key()
        if resolved is not None:
            self.start_session(resolved)
        else:
            self.show_login(reason)

    async def _stored_key(self) -> tuple[auth.ResolvedKey | None, str]:
        """The keyring's (or the key file's) key for this server, or None and why there is none to use."""
        try:
            resolved = await auth.run_with_timeout_async(
                lambda: auth.stored_key(self.settings.base_url, timeout=self._keyring_timeout),
                self._keyring_timeout + 1,
            )
        except auth.KeyringTimeout as exc:
            return None, str(exc)
        except auth.KeyringUnavailable as exc:
            return None, str(exc)
        except Exception as exc:  # a broken keyring must not stop the app: ask for the key instead
            return None, f"keyring unavailable: keyring: {auth.failure_reason(exc)}"
        return resolved, ""

    def make_client(self, key: str, *, max_retries: int = 3, early: Any = None) -> Any:
        from barrack_tui.api.client import BarrackClient, Timeouts

        timeouts = Timeouts(connect=self.settings.timeout_connect, read=self.settings.timeout_read)
        return BarrackClient(
            self.settings.base_url,
            key,
            timeouts=timeouts,
            transport=self._transport,
            max_retries=max_retries,
            allow_insecure_http=self.settings.allow_insecure_http,
            on_mutation=self.activity_recorder.mutation,
            early=early,
        )

    async def validate_key(self, key: str) -> None:
        client = self.make_client(key, max_retries=1)
        try:
            await client.get_balance()
        finally:
            await client.aclose()

    def start_session(self, resolved: auth.ResolvedKey) -> None:
        self._key = resolved
        self.masked_key = auth.mask_key(resolved.key)
        # The journal is SQLite: opened two refreshes later, after the first requests are on their way
        # (entries before that are kept and written when it opens).
        self.call_after_refresh(self.call_after_refresh, self._open_activity, resolved.key)
        client = self.make_client(resolved.key)
        self.client = guard_client(client) if self.read_only else client
        # Pollers do their own backoff (and a 429 pauses them all), so their client does not retry. It takes
        # over the wire the first reads went out on, with their answers, when they were sent with this key.
        early, self._early = self._early, None
        if early is not None and early[0] != resolved.key:
            early[1].drop()
            early = None
        self.poll_client = self.make_client(resolved.key, max_retries=0, early=early[1] if early else None)
        self.run_worker(self.store.run(), name="pollers", group="pollers", exclusive=True, exit_on_error=False)
        for node in list(self.store._subscribers):
            node.post_message(SessionStarted())

    def _open_activity(self, key: str) -> None:
        from barrack_tui.activity.journal import account_file

        self.activity.open(account_file(paths.data_dir(), self.settings.base_url, key))

    def show_login(self, reason: str) -> None:
        if self._login_open:
            return
        from barrack_tui.tui.shell.login import LoginScreen

        self._login_open = True
        self.workers.cancel_group(self, "pollers")

        def signed_in(key: str | None) -> None:
            self._login_open = False
            if key:
                self.start_session(auth.ResolvedKey(key, auth.KeySource.PROMPT))

        self.push_screen(LoginScreen(self.settings.base_url, reason=reason, keyring_timeout=self._keyring_timeout), signed_in)

    async def on_unmount(self) -> None:
        heap.resume()  # a big load right before quitting must not leave the collector paused
        self.activity.close()
        for client in (self.client, self.poll_client):
            if client is not None:
                await client.aclose()
        if self._early is not None:  # the session never started
            self._early[1].drop()

    def on_store_changed(self, message: StoreChanged) -> None:
        self.alerts.store_changed(message.change)

    def on_poll_health_changed(self, _: PollHealthChanged) -> None:
        if self.first_look is not None:
            self._end_first_look()
        # Every kind the first screen shows has been read: its content is being painted, and the other
        # areas' styles follow that paint.
        if self._later_css and self.store.visible <= self.store.loaded:
            self.call_after_refresh(self._read_other_styles)

    # --- region context ---------------------------------------------------------------------------

    def watch_region(self, region: str | None) -> None:
        for node in list(self.store._subscribers):
            node.post_message(RegionContextChanged(region))

    # --- actions ----------------------------------------------------------------------------------

    def action_toggle_help(self) -> None:
        from barrack_tui.tui.shell.key_help import KeyHelp

        panels = self.screen.query(KeyHelp)
        if panels:
            panels.remove()
        else:
            self.screen.mount(KeyHelp())

    async def run_action(self, action: Any, default_namespace: Any = None, namespaces: Any = None) -> bool:
        # Read-only mode greys every mutation (check_action None); pressing one says why in one sentence
        # rather than doing nothing, before any form opens.
        from barrack_tui.tui.shell.read_only import refusal, refused_binding

        if isinstance(action, str) and default_namespace is not None and self.read_only:
            _target, name, params = self._parse_action(action, default_namespace, namespaces)
            refused = refused_binding(_target, name, params)
            if refused is not None:
                self.notify(refusal(f"“{refused[1]}”"), title="Read-only", severity="warning")
                return True
        return await super().run_action(action, default_namespace, namespaces)

    async def action_refresh(self) -> None:
        self.run_worker(self.store.refresh(), group="refresh", exclusive=True, exit_on_error=False)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from barrack_tui.tui.shell.keymap import key_for

        yield from super().get_system_commands(screen)
        for name, (_key, title, _, _) in MODE_SCREENS.items():
            shown = key_for(self, f"mode.{name}")
            yield SystemCommand(f"Go to {title}", f"Switch to the {title} screen (key {shown})", lambda n=name: self.switch_mode(n))
        yield SystemCommand("Refresh now", f"Fetch the latest data (key {key_for(self, 'app.refresh')})", self.action_refresh)
        yield SystemCommand("Notices", f"The last 200 notices, newest first (key {key_for(self, 'app.notices')})", self.action_notices)
        for region in (None, "NORWAY-1", "CANADA-1", "US-1"):
            label = region or "all regions"
            yield SystemCommand(f"Region context: {label}", "Default filter of every screen", lambda r=region: setattr(self, "region", r))
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        # State watches, on every screen that has an instance selected (Instances and an instance's details).
        selected = getattr(screen, "selected_instance", None)
        instance = selected() if callable(selected) else None
        if instance is not None:
            yield from self.alerts.watch_commands(instance)

    # --- notifications and errors -----------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Toasts are plain text unless a caller opts in: they so often quote server strings
        (instance names, API messages) that markup-by-default would be an injection hole.

        Each toast is logged (the notices log, N) and belongs to the screen in view, leaving with it.
        """
        notification = Notification(
            message, title, severity, self.NOTIFICATION_TIMEOUT if timeout is None else timeout, markup=markup
        )
        try:
            owner = owner_of(self.screen_stack)
        except Exception:  # no screen yet (start-up) or the app is closing: the toast is still logged
            owner = None
        self.notices.record(notification, owner)
        self.post_message(Notify(notification))
        self._watch_toast_place()

    def _watch_toast_place(self) -> None:
        """Keep toasts off the focused row while any are shown (tui/shell/toast_place.py)."""
        from barrack_tui.tui.shell.toast_place import place_toasts

        if not self.is_running:
            return

        def check() -> None:
            place_toasts(self)
            if not self._notifications and self._toast_timer is not None:
                self._toast_timer.stop()
                self._toast_timer = None

        self.call_after_refresh(check)
        if self._toast_timer is None:
            self._toast_timer = self.set_interval(0.1, check)

    def _dismiss_left_behind(self, screen: Screen[Any]) -> None:
        for notification in self.notices.left_behind(owner_of(self.screen_stack)):
            if notification in self._notifications:
                self._unnotify(notification, refresh=False)
        self._refresh_notifications()

    def action_notices(self) -> None:
        from barrack_tui.tui.shell.notices_log import NoticesLogModal

        self.push_screen(NoticesLogModal(self.notices.newest_first()))

    def action_help_quit(self) -> None:
        # Textual's own hint is markup ("[b]ctrl+q[/b]"); toasts here are plain text, so it is said plainly.
        from barrack_tui.tui.shell.keymap import key_for

        self.notify(f"Press {key_for(self, 'app.quit')} or ctrl+q to quit the app.", title="Do you want to quit?")

    # --- errors -----------------------------------------------------------------------------------

    def report_error(self, error: BaseException) -> None:
        """The one place worker failures and API errors become something the user sees."""
        if isinstance(error, AuthError):
            self.show_login(str(error))
        elif isinstance(error, ReadOnlyError):
            self.notify(str(error), title="Read-only", severity="warning")
        elif (worded := error_notice(error)) is not None:
            # Offline, a server error and a rate limit each say what they mean, in their own words.
            title, text, severity = worded
            self.notify(text, title=title, severity=severity, timeout=8)
        elif isinstance(error, ApiError):
            self.notify(str(error), title="Barrack API", severity="error", timeout=8)
        else:
            log.error("unexpected error: %s", type(error).__name__, exc_info=error)
            self.notify(f"Unexpected error: {type(error).__name__}: {error}", severity="error", timeout=8)
