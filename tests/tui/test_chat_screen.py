"""The chat screen's keys and flows against the in-process simulator: input, models, context, copy."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import OptionList

from barrack_tui.chat.history import ChatHistory
from barrack_tui.sim.routes import chat as chat_routes
from barrack_tui.tui.areas.chat.message import MessageView
from barrack_tui.tui.areas.chat.model_picker import ModelPicker
from barrack_tui.tui.areas.chat.transcript import EARLIER_BATCH, FIRST_BATCH
from tests.tui.chat_harness import ask, chat_world, ready, screen_click_actions, screen_lines, wait_for_answers


def shown(app) -> str:
    return "\n".join(screen_lines(app))


async def test_enter_sends_ctrl_j_inserts_a_newline_and_the_box_grows_to_about_ten_lines():
    h = chat_world()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        box = h.app.screen.chat_input
        await pilot.press("i")  # the area starts on its conversation list; i goes to the box
        assert box.has_focus and box.text == "" and box.outer_size.height == 3
        await pilot.press("a", "ctrl+j", "b")
        assert box.text == "a\nb"
        await pilot.pause()
        assert box.outer_size.height == 4
        await pilot.press(*["ctrl+j"] * 15)
        await pilot.pause()
        assert box.outer_size.height == 12  # ten lines of text plus the border
        box.clear()
        await pilot.press(*"what am I paying for?", "ctrl+j", *"and why?")
        await pilot.press("enter")
        await wait_for_answers(pilot, 1)
        questions = [v.message.content for v in h.app.screen.query(MessageView) if v.message.role == "user"]
        assert questions == ["what am I paying for?\nand why?"] and box.text == ""


async def test_an_empty_question_is_not_sent_and_the_reason_is_shown():
    h = chat_world()
    async with h.app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("i", "enter")
        assert str(h.app.screen.query_one("#chat-status").content) == "Type a question first."
        assert h.state.ai_transactions == []


async def test_the_model_picker_filters_and_the_choice_sticks_to_the_conversation_and_as_default():
    h = chat_world()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "what am I paying for?")
        assert h.state.ai_transactions[-1].model == "barrack-assist-small"  # the API's first model
        await pilot.press("escape", "m")
        assert isinstance(h.app.screen, ModelPicker)
        await pilot.press(*"large")
        options = h.app.screen.query_one("#model-options", OptionList)
        assert options.option_count == 1 and options.get_option_at_index(0).id == "barrack-assist-large"
        await pilot.press("enter")
        await pilot.pause()
        screen = h.app.screen
        assert "model Barrack Assist Large (m)" in shown(h.app)
        await ask(pilot, "what am I paying for?")
        transaction = h.state.ai_transactions[-1]
        assert transaction.model == "barrack-assist-large"
        reply = [v.message for v in screen.query(MessageView)][-1]
        expected_cost = (transaction.prompt_tokens * Decimal("0.0030") + transaction.completion_tokens * Decimal("0.0150")) / 1000
        assert reply.model == "barrack-assist-large" and reply.cost == expected_cost.quantize(Decimal("0.000001"))
        assert reply.cost == transaction.cost
        with ChatHistory() as stored:
            assert stored.default_model == "barrack-assist-large"
            assert stored.get_conversation(screen.conversation.id).model == "barrack-assist-large"
        # A new conversation starts with the default; each keeps its own choice.
        first = screen.conversation
        await pilot.press("ctrl+n")
        assert "model Barrack Assist Large" in shown(h.app)
        await ask(pilot, "how do I connect?")
        await pilot.press("escape", "m", *"assist small", "enter")
        await pilot.pause()
        assert "model Barrack Assist Small (m)" in shown(h.app)
        await screen.open_conversation(first)
        await pilot.pause()
        assert "model Barrack Assist Large (m)" in shown(h.app)


async def test_model_names_from_the_server_render_literally_in_the_picker(monkeypatch):
    hostile = chat_routes.AIModelSpec("evil", "[@click=app.quit]Evil[/] \x1b[2J", 1024, Decimal("0.1"), Decimal("0.2"))
    monkeypatch.setattr(chat_routes, "AI_MODELS", {**chat_routes.AI_MODELS, "evil": hostile})
    h = chat_world()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "m")
        await pilot.press(*"evil")
        await pilot.pause()
        text = shown(h.app)
        assert "[@click=app.quit]Evil[/] \\x1b[2J" in text and "\x1b" not in text
        assert not any("quit" in action for action in screen_click_actions(h.app))
        await pilot.press("enter")
        await pilot.pause()
        assert h.app.is_running and "model [@click=app.quit]Evil[/]" in shown(h.app)


async def test_the_context_toggle_attaches_the_account_summary_to_the_next_question_only():
    h = chat_world()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "c")
        assert "✔ account context ON: sent with this question (c)" in shown(h.app)
        await ask(pilot, "why can't I detach data-1?")
        plain_tokens = chat_routes.count_tokens("why can't I detach data-1?")
        with_context = h.state.ai_transactions[-1]
        assert with_context.prompt_tokens > plain_tokens + 100  # the summary went with the question
        question = [v.message for v in h.app.screen.query(MessageView)][-2]
        assert question.context.startswith("Account context:\nBalance: 500.00 USD")
        assert "- data-1 (500 GB data, attached, NORWAY-1): attached to inference-a100 [ACTIVE]" in question.context
        assert "You  + account context" in shown(h.app)
        assert "account context off (c)" in shown(h.app)  # one question only
        await ask(pilot, "which instances are SHUTOFF?")
        later = h.state.ai_transactions[-1]
        # The earlier context stays in the history that is sent, no new summary is added.
        assert later.prompt_tokens < 2 * with_context.prompt_tokens
        assert [v.message for v in h.app.screen.query(MessageView)][-2].context is None


async def test_y_copies_the_focused_message_and_shift_y_the_last_code_block(monkeypatch):
    h = chat_world()
    copied: list[str] = []
    async with h.app.run_test(size=(120, 40)) as pilot:
        monkeypatch.setattr(h.app, "copy_to_clipboard", copied.append)
        await ready(pilot)
        await pilot.press("escape", "c")  # the account context: the assistant knows the addresses only from it
        await ask(pilot, "how do I connect?")
        await ask(pilot, "what am I paying for?")
        await pilot.press("escape")  # leave the box: the last message has the focus
        views = list(h.app.screen.query(MessageView))
        assert h.app.screen.focused is views[-1]
        await pilot.press("up", "up", "up", "y")
        assert copied[-1] == views[0].message.content == "how do I connect?"
        await pilot.press("Y")
        code = copied[-1]
        assert code.startswith("ssh ubuntu@203.0.113.") and code.count("\n") == 3 and "```" not in code
        toasts = [n.message for n in h.app._notifications]
        assert any("Copied the message" in t for t in toasts) and any("last code block (3 lines)" in t for t in toasts)


async def test_a_long_conversation_opens_at_its_end_and_loads_earlier_messages_on_scrolling_up():
    h = chat_world()
    with ChatHistory(clock=h.clock.now) as stored:
        conversation = stored.create_conversation(model="barrack-assist")
        for n in range(100):
            stored.add_user_message(conversation.id, f"question {n}")
            reply = stored.start_reply(conversation.id, "barrack-assist")
            stored.finish_reply(reply.id, f"**answer {n}**\n\n```python\nprint({n})\n```", prompt_tokens=3,
                                completion_tokens=5, cost=Decimal("0.000018"), currency="USD")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        transcript = h.app.screen.transcript
        first = len(transcript.message_views)
        # Enough of the newest to fill two 40-line screens, not all 200.
        assert 8 <= first <= FIRST_BATCH and transcript.message_views[-1].message.content.startswith("**answer 99**")
        assert transcript.virtual_size.height >= 2 * 40 - 10
        assert transcript.earlier == 200 - first
        assert f"▲ {200 - first} earlier messages" in str(transcript.query_one("#chat-earlier").content)
        assert "answer 99" in shown(h.app) and "question 99" in shown(h.app)
        transcript.scroll_to(y=1, animate=False, immediate=True)
        transcript.scroll_home(animate=False, immediate=True)
        for _ in range(5):
            await pilot.pause()
        assert len(transcript.message_views) == first + EARLIER_BATCH and transcript.earlier == 200 - first - EARLIER_BATCH
        assert transcript.scroll_y > 0  # the reader stays where they were; earlier text is above


async def test_a_reply_cut_off_by_a_crash_reopens_marked_interrupted_with_its_text():
    h = chat_world()
    with ChatHistory(clock=h.clock.now) as stored:
        conversation = stored.create_conversation(model="barrack-assist")
        stored.add_user_message(conversation.id, "what runs where?")
        reply = stored.start_reply(conversation.id, "barrack-assist")
        stored.save_partial(reply.id, "## What runs where\n\n### NORWAY-1")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        [question, answer] = [v.message for v in h.app.screen.query(MessageView)]
        assert answer.interrupted and answer.content.endswith("NORWAY-1")
        text = shown(h.app)
        assert "INTERRUPTED" in text and "interrupted: the app stopped while this reply was streaming" in text
        assert "NORWAY-1" in text
