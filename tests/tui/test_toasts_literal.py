"""A screen's or dialog's toast shows interpolated text literally, as the app's own toasts do."""

from __future__ import annotations

from textual.widgets import Static

from barrack_tui.tui.kit.modal import BarrackModal
from tests.harness import make_harness

HOSTILE = "gpu [/bold] box [@click=app.quit]x[/]"


def screen_text(app) -> str:
    return "\n".join("".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips())


async def test_a_screens_toast_quoting_a_name_shows_it_literally():
    h = make_harness()
    async with h.app.run_test(size=(120, 40), notifications=True) as pilot:
        await h.poll()
        await pilot.pause()
        h.app.screen.notify(f"Watching {HOSTILE}")  # what Textual's Widget.notify would parse as markup
        await pilot.pause()
        await pilot.pause()
        assert [n.markup for n in h.app._notifications] == [False]
        assert HOSTILE in screen_text(h.app)
        assert h.app.is_running


class Dialog(BarrackModal[None]):
    def compose(self):
        yield Static("a dialog")


async def test_a_dialogs_toast_quoting_a_name_shows_it_literally():
    h = make_harness()
    async with h.app.run_test(size=(120, 40), notifications=True) as pilot:
        await h.poll()
        await h.app.push_screen(Dialog())
        await pilot.pause()
        h.app.screen.notify(f"Deleted {HOSTILE}")
        await pilot.pause()
        await pilot.pause()
        assert [n.markup for n in h.app._notifications] == [False]
        assert HOSTILE in screen_text(h.app)
