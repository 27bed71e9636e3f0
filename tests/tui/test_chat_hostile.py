"""Hostile answers: markup, OSC 52, C1 CSI, raw HTML and links render literally, run and open nothing."""

from __future__ import annotations

from textual.widgets import Markdown

from barrack_tui.sim import assistant
from barrack_tui.tui.areas.chat.message import LiveReply, MessageView
from tests.tui.chat_harness import (
    make_socket_harness,
    press_now,
    screen_click_actions,
    screen_lines,
    type_and_send,
    wait_for_reply_end,
    wait_until,
)

HOSTILE_NAMES = {
    "[@click=app.quit]x[/]": "[@click=app.quit]x[/]",
    "osc\x1b]52;c;Zm9v\x07": "osc\\x1b]52;c;Zm9v\\x07",
    "csi\x9b31m": "csi\\x9b31m",
    "<b>raw html</b>": "<b>raw html</b>",
}
RAW_CONTROLS = ("\x1b", "\x07", "\x9b")


def check_literal(app) -> None:
    lines = screen_lines(app)
    shown = "\n".join(lines)
    for literal in HOSTILE_NAMES.values():
        assert literal in shown, f"{literal!r} is not shown literally"
    assert not any(control in shown for control in RAW_CONTROLS)
    assert not any("quit" in action for action in screen_click_actions(app))


def hostile_answer(question, state, *, context=None) -> str:
    lines = [f"- **{name}** is an instance" for name in HOSTILE_NAMES]
    return "Your instances:\n\n" + "\n".join(lines) + "\n\nRead [docs](http://evil.example/x).\n\n" + "more " * 400


async def test_a_hostile_answer_renders_literally_live_and_finished_and_the_app_keeps_running(monkeypatch):
    monkeypatch.setattr(assistant, "answer", hostile_answer)
    with make_socket_harness(token_delay=0.03) as h:
        opened: list[str] = []
        monkeypatch.setattr(h.app, "open_url", lambda url, **_: opened.append(url))
        async with h.app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: bool(h.app.screen.models), what="the model list")
            await type_and_send(pilot, "what runs where?")

            def live_shows_all() -> bool:
                lives = list(h.app.screen.query(LiveReply))
                source = lives[0].query_one(Markdown).source if lives else ""
                return all(literal in source for literal in [*HOSTILE_NAMES.values(), "evil.example"])

            await wait_until(pilot, live_shows_all, what="the hostile text in the live reply")
            await pilot.pause(0.05)
            check_literal(h.app)  # the live (Textual Markdown) rendering
            assert h.app.screen.query(LiveReply), "the reply ended before its live rendering was checked"
            live_markdown = h.app.screen.query_one(LiveReply).query_one(Markdown)
            live_markdown.post_message(Markdown.LinkClicked(live_markdown, "http://evil.example/x"))
            await pilot.pause()
            await press_now(pilot, "escape")
            await wait_for_reply_end(pilot)
            h.app.screen.transcript.scroll_home(animate=False)
            await pilot.pause()
            check_literal(h.app)  # the finished (Rich Markdown) rendering
            [reply] = [v.message for v in h.app.screen.query(MessageView) if v.message.role == "assistant"]
            assert reply.cancelled and "\\x1b]52;c;Zm9v\\x07" in reply.content
            assert "docs (http://evil.example/x)" in "\n".join(screen_lines(h.app))  # shown, not a terminal link
            assert opened == []
            assert h.app.is_running
            await pilot.press("escape", "u")
            await pilot.pause()
            assert type(h.app.screen).__name__ == "ChatUsageScreen" and h.app.is_running


TABLE_ANSWER = "| name | status |\n|---|---|\n| gpu [/bold] box | [@click=app.quit]x[/] |\n"


async def _cell_tooltips(markdown_class: type[Markdown]) -> list[object]:
    from textual.app import App

    class One(App[None]):
        def compose(self):
            yield markdown_class(TABLE_ANSWER)

    app = One()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        return [cell.tooltip for cell in app.query(".cell")]


async def test_table_cells_of_a_live_answer_have_tooltips_that_show_server_text_literally():
    from textual.content import Content

    from barrack_tui.tui.areas.chat.literal_markdown import LiteralMarkdown

    # Textual's own Markdown gives these cells str tooltips, drawn as markup on hover (the control).
    assert "gpu [/bold] box" in await _cell_tooltips(Markdown)
    tooltips = await _cell_tooltips(LiteralMarkdown)
    assert [t.plain for t in tooltips if isinstance(t, Content)] == ["gpu [/bold] box", "[@click=app.quit]x[/]"]
    assert not any(isinstance(t, str) for t in tooltips)
