"""Streaming chat against the simulator on a loopback socket: full answers, Escape, errors, restarts."""

from __future__ import annotations

from barrack_tui.chat.history import ChatHistory
from barrack_tui.sim import assistant
from barrack_tui.sim.routes.chat import CHAT_SETTINGS
from barrack_tui.tui.areas.chat.message import LiveReply, MessageView
from barrack_tui.tui.areas.chat.screen import BLOCKED_WHILE_STREAMING
from tests.tui.chat_harness import (
    make_socket_harness,
    press_now,
    screen_lines,
    type_and_send,
    wait_for_reply_end,
    wait_until,
)


def live_text(app) -> str | None:
    lives = list(app.screen.query(LiveReply))
    return lives[0].text if lives else None


def replies(app) -> list:
    return [v.message for v in app.screen.query(MessageView) if v.message.role == "assistant"]


async def test_a_streamed_answer_arrives_piece_by_piece_and_appears_in_full():
    with make_socket_harness(token_delay=0.01) as h:
        expected = assistant.answer("is H100 in stock?", h.state)
        async with h.app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: bool(h.app.screen.models), what="the model list")
            await type_and_send(pilot, "is H100 in stock?")
            seen_partial = []

            def partial_then_done() -> bool:
                text = live_text(h.app)
                if text and len(text) < len(expected):
                    seen_partial.append(text)
                return bool(replies(h.app))

            await wait_until(pilot, partial_then_done, what="the streamed reply")
            await wait_for_reply_end(pilot)
            assert seen_partial and expected.startswith(seen_partial[0])
            [reply] = replies(h.app)
            assert reply.content == expected and reply.status == "complete"
            transaction = h.state.ai_transactions[-1]
            assert (reply.prompt_tokens, reply.completion_tokens, reply.cost) == (
                transaction.prompt_tokens, transaction.completion_tokens, transaction.cost)
            shown = "\n".join(screen_lines(h.app))
            assert f"{transaction.prompt_tokens} + {transaction.completion_tokens} tokens · {transaction.cost} USD" in shown
            assert "GPUs in stock" in shown


async def test_escape_mid_stream_keeps_the_partial_text_marked_cancelled_and_saved():
    with make_socket_harness(token_delay=0.3) as h:
        expected = assistant.answer("is H100 in stock?", h.state)
        async with h.app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: bool(h.app.screen.models), what="the model list")
            await type_and_send(pilot, "is H100 in stock?")
            await wait_until(pilot, lambda: bool(live_text(h.app)), what="the first words of the reply")
            with ChatHistory() as reader:  # another connection: what a crash right now would leave on disk
                on_disk = reader.messages(h.app.screen.conversation.id)[-1]
            assert on_disk.status == "streaming" and on_disk.content.startswith(live_text(h.app))
            await press_now(pilot, "escape")
            await wait_for_reply_end(pilot)
            [reply] = replies(h.app)
            assert reply.cancelled
            assert reply.content and expected.startswith(reply.content) and len(reply.content) < len(expected)
            shown = "\n".join(screen_lines(h.app))
            assert "CANCELLED" in shown and "Reply cancelled: the text that arrived is kept and saved." in shown
            with ChatHistory() as stored:
                saved = stored.messages(h.app.screen.conversation.id)[-1]
            assert (saved.status, saved.content) == ("cancelled", reply.content)


async def test_sending_while_a_reply_streams_is_refused_with_the_reason_shown():
    with make_socket_harness(token_delay=0.3) as h:
        async with h.app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: bool(h.app.screen.models), what="the model list")
            await type_and_send(pilot, "is H100 in stock?")
            await wait_until(pilot, lambda: bool(live_text(h.app)), what="the first words of the reply")
            await type_and_send(pilot, "and another question")
            assert str(h.app.screen.query_one("#chat-status").content) == BLOCKED_WHILE_STREAMING
            assert any(BLOCKED_WHILE_STREAMING[:40] in line for line in screen_lines(h.app))
            assert h.app.screen.chat_input.text == "and another question"
            users = [v.message for v in h.app.screen.query(MessageView) if v.message.role == "user"]
            assert [m.content for m in users] == ["is H100 in stock?"]
            await press_now(pilot, "escape")
            await wait_for_reply_end(pilot)
            CHAT_SETTINGS.token_delay = 0.0
            await type_and_send(pilot, "")  # the box still holds the refused question: Enter sends it now
            await wait_until(pilot, lambda: len(replies(h.app)) == 2, what="the second reply")
            assert len(h.state.ai_transactions) == 2


async def test_a_server_error_mid_stream_shows_the_error_and_keeps_what_arrived():
    with make_socket_harness(token_delay=0.0) as h:
        expected = assistant.answer("is H100 in stock?", h.state)
        async with h.app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: bool(h.app.screen.models), what="the model list")
            h.faults.drop_rate = 1.0  # the connection drops half-way through the answer
            await type_and_send(pilot, "is H100 in stock?")
            await wait_until(pilot, lambda: bool(replies(h.app)), what="the failed reply")
            h.faults.clear()
            await wait_for_reply_end(pilot)
            [reply] = replies(h.app)
            assert reply.failed and "dropped mid-answer" in reply.error
            assert reply.content and expected.startswith(reply.content) and len(reply.content) < len(expected)
            shown = "\n".join(screen_lines(h.app))
            assert "ERROR" in shown and "The reply failed:" in shown
            assert h.app.is_running


async def test_the_conversation_and_its_usage_survive_a_restart():
    with make_socket_harness(token_delay=0.0) as h:
        async with h.app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: bool(h.app.screen.models), what="the model list")
            await type_and_send(pilot, "what am I paying for?")
            await wait_until(pilot, lambda: bool(replies(h.app)), what="the reply")
            await wait_for_reply_end(pilot)
            [before] = replies(h.app)
            title = h.app.screen.conversation.title
        transaction = h.state.ai_transactions[-1]

        app = h.new_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert screen.conversation.title == title == "what am I paying for?"
            messages = [v.message for v in screen.query(MessageView)]
            assert [m.role for m in messages] == ["user", "assistant"]
            after = messages[1]
            assert (after.content, after.prompt_tokens, after.completion_tokens, after.cost) == (
                before.content, transaction.prompt_tokens, transaction.completion_tokens, transaction.cost)
            shown = "\n".join(screen_lines(app))
            assert f"{transaction.prompt_tokens} + {transaction.completion_tokens} tokens · {transaction.cost} USD" in shown
            await pilot.press("escape", "u")
            await wait_until(pilot, lambda: getattr(app.screen, "usage_page", None) is not None,
                             what="the usage history")
            assert transaction.id in [tx.id for tx in app.screen.usage_page.transactions]


CODE_ANSWER = "Here it is:\n\n```python\n" + "".join(f"total += rate[{n}] * hours\n" for n in range(25)) + "```\n\nDone."


async def test_a_code_block_streams_line_by_line_in_a_preview_and_reaches_markdown_whole(monkeypatch):
    from textual.widgets import Markdown, RichLog

    monkeypatch.setattr(assistant, "answer", lambda question, state, *, context=None: CODE_ANSWER)
    with make_socket_harness(token_delay=0.02) as h:
        async with h.app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: bool(h.app.screen.models), what="the model list")
            await type_and_send(pilot, "write me a cost script")

            def preview_lines() -> int:
                lives = list(h.app.screen.query(LiveReply))
                return len(lives[0].query_one(RichLog).lines) if lives else 0

            await wait_until(pilot, lambda: preview_lines() >= 3, what="code lines in the preview")
            live = h.app.screen.query_one(LiveReply)
            assert live.query_one(RichLog).display
            source = live.query_one(Markdown).source
            assert source.startswith("Here it is:") and "```" not in source and "total +=" not in source
            assert any("total += rate[0] * hours" in line for line in screen_lines(h.app))
            await wait_for_reply_end(pilot)
            [reply] = replies(h.app)
            assert reply.content == CODE_ANSWER and reply.status == "complete"
            assert not h.app.screen.query(LiveReply)


TALL_ANSWER = "".join(f"Paragraph {n}: your instances are fine.\n\n" for n in range(80))


async def test_the_view_follows_the_reply_until_the_user_scrolls_up_and_again_once_back_at_the_bottom(monkeypatch):
    monkeypatch.setattr(assistant, "answer", lambda question, state, *, context=None: TALL_ANSWER)
    with make_socket_harness(token_delay=0.03) as h:
        async with h.app.run_test(size=(100, 24)) as pilot:
            await wait_until(pilot, lambda: bool(h.app.screen.models), what="the model list")
            await type_and_send(pilot, "tell me everything")
            transcript = h.app.screen.transcript

            def shown_length() -> int:
                return len(live_text(h.app) or "")

            # Following the bottom: the view scrolls as the reply outgrows it (unfollowed, it would stay at 0).
            await wait_until(
                pilot,
                lambda: transcript.max_scroll_y > 5 and transcript.scroll_y == transcript.max_scroll_y,
                what="the view to follow the reply past the first screen",
            )
            transcript.scroll_to(y=0, animate=False)  # what the mouse wheel does: the user reads from the top
            seen = shown_length()
            await wait_until(pilot, lambda: shown_length() > seen + 200, what="more of the reply")
            await pilot.pause(0.1)
            assert transcript.scroll_y == 0 and transcript.max_scroll_y > 5  # not dragged back down
            transcript.scroll_end(animate=False)  # back at the bottom: follow again
            await pilot.pause()
            bottom = transcript.max_scroll_y
            await wait_until(
                pilot,
                lambda: transcript.max_scroll_y > bottom and transcript.scroll_y == transcript.max_scroll_y,
                what="the view to follow the reply again",
            )
            await press_now(pilot, "escape")
            await wait_for_reply_end(pilot)
