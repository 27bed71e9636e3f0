"""Notices: toasts clear of the status lines, leaving with their screen, logged (200), literal, worded per failure."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets._toast import Toast

from barrack_tui.api.errors import NetworkError, RateLimitedError, ServerError
from barrack_tui.tui.shell.area_status import AreaStatus
from barrack_tui.tui.shell.key_bar import KeyBar
from barrack_tui.tui.shell.notices import MAX_NOTICES
from barrack_tui.tui.shell.notices_log import NoticesLogModal
from tests.harness import make_harness, wait_until


def toasts(app) -> list[Toast]:
    return list(app.screen.query(Toast))


async def test_toasts_sit_clear_of_the_status_line_and_the_key_bar_at_both_sizes():
    for size in ((120, 40), (80, 24)):
        h = make_harness(initial_mode="instances")
        async with h.app.run_test(size=size, notifications=True) as pilot:
            await h.poll()
            for n in range(3):  # a stack of toasts grows down from the top, never into the bottom lines
                h.app.notify(f"notice {n}: a long message that wraps over more than one line of the toast")
            await wait_until(pilot, lambda h=h: len(toasts(h.app)) == 3, what="three toasts")

            def clear(h=h) -> bool:
                bottom = [h.app.screen.query_one(AreaStatus).region, h.app.screen.query_one(KeyBar).region]
                header = h.app.screen.query_one(".app-header").region
                return all(
                    toast.region.area > 0 and not any(toast.region.overlaps(line) for line in [*bottom, header])
                    for toast in toasts(h.app)
                )

            # The rack is placed on a short timer, as a person sees it settle, not at the first paint.
            await wait_until(pilot, clear, what=f"toasts clear of the header and bottom lines at {size}")


async def test_a_toast_leaves_with_the_screen_that_raised_it_and_a_dialogs_toast_stays_with_its_screen():
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40), notifications=True) as pilot:
        await h.poll()
        h.app.notify("raised on Instances")
        await wait_until(pilot, lambda: len(toasts(h.app)) == 1, what="the toast")
        # A dialog over the area: the toast raised under it belongs to the area and outlives the dialog.
        await pilot.press("N")
        await wait_until(pilot, lambda: isinstance(h.app.screen, NoticesLogModal), what="the notices log")
        h.app.notify("raised while the dialog was open")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(h.app.screen, NoticesLogModal), what="the dialog to close")
        await pilot.pause()
        shown = {str(n.message) for n in h.app._notifications}
        assert shown == {"raised on Instances", "raised while the dialog was open"}
        # Another area: both leave with Instances.
        await pilot.press("3")
        await wait_until(pilot, lambda: h.app.current_mode == "volumes", what="Volumes")
        await pilot.pause()
        assert not list(h.app._notifications)
        assert not toasts(h.app)
        # The log still has them.
        assert [n.text for n in h.app.notices][-2:] == ["raised on Instances", "raised while the dialog was open"]


async def test_the_notices_log_keeps_the_last_200_and_shows_them_literally():
    h = make_harness(initial_mode="instances")
    # Toasts are not drawn here: 251 of them expiring together can keep a loaded machine's event loop
    # busy past the test's timeout, and the log is what is under test.
    async with h.app.run_test(size=(120, 40), notifications=False) as pilot:
        await h.poll()
        for n in range(MAX_NOTICES + 50):
            h.app.notify(f"notice {n}", timeout=0.1)
        h.app.notify("name [b]bold?[/b] [red]x[/]", title="Hostile", severity="warning")
        assert len(h.app.notices) == MAX_NOTICES
        assert [n.text for n in h.app.notices][0] == "notice 51"  # the oldest 51 went
        await pilot.press("N")
        await wait_until(pilot, lambda: isinstance(h.app.screen, NoticesLogModal), what="the notices log")
        body = h.app.screen.query_one("#notices-body").render().plain
        first = body.splitlines()[0]
        assert "warning" in first and "Hostile: name [b]bold?[/b] [red]x[/]" in first  # newest first, as typed
        assert "notice 249" in body and "notice 50\n" not in body + "\n"


async def test_the_quit_hint_is_plain_text_not_raw_markup():
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40), notifications=True) as pilot:
        await h.poll()
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: len(toasts(h.app)) == 1, what="the quit hint")
        said = str(next(iter(h.app._notifications)).message)
        assert "[b]" not in said and "ctrl+q" in said
        assert "[b]" not in toasts(h.app)[0].render().plain


async def test_server_error_rate_limit_and_offline_each_have_their_own_wording():
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40), notifications=True) as pilot:
        await h.poll()
        h.app.report_error(ServerError(500, "INTERNAL", "boom"))
        h.app.report_error(RateLimitedError(429, retry_after=30))
        h.app.report_error(NetworkError(message="connection refused"))
        await pilot.pause()
        logged = list(h.app.notices)[-3:]
        assert [n.title for n in logged] == ["Server error", "Rate limited", "Offline"]
        server, limited, offline = (n.text for n in logged)
        assert "HTTP 500" in server and "the service, not your request" in server and "offline" not in server.lower()
        assert "wait 30 s" in limited and "Too many requests" in limited
        assert "No answer from the Barrack API" in offline and "connection refused" in offline
        assert len({server, limited, offline}) == 3
        assert [n.severity for n in logged] == ["error", "warning", "error"]


async def test_a_toast_steps_down_past_the_focused_row_instead_of_covering_it():
    def row_line(size, band):
        return Region(0, band[0], size[0], band[1] - band[0])

    for size in ((80, 24), (120, 40)):
        h = make_harness(initial_mode="instances")
        async with h.app.run_test(size=size, notifications=True) as pilot:
            await h.poll()
            await pilot.pause()
            table = h.app.focused
            assert table.cursor_band() is not None, "the fleet table has the focus on its first row"
            h.app.notify("gpu-train-1 is ACTIVE: a notice that arrives while the first row is focused")
            await wait_until(pilot, lambda h=h: len(toasts(h.app)) >= 1, what="the toast")

            def clear_of_the_row(h=h, table=table, size=size) -> bool:
                return not any(t.region.overlaps(row_line(size, table.cursor_band())) for t in toasts(h.app))

            # The rack's place is checked every 0.1 s while toasts are shown: a person sees it within that.
            await wait_until(pilot, clear_of_the_row, idle_rounds=0, timeout=2, what="the toast clear of the row")
            bottom = [h.app.screen.query_one(AreaStatus).region, h.app.screen.query_one(KeyBar).region]
            for toast in toasts(h.app):
                assert not any(toast.region.overlaps(line) for line in bottom), (size, toast.region)
            await pilot.press("down")
            await wait_until(pilot, clear_of_the_row, idle_rounds=0, timeout=2, what="the toast clear of the moved row")
