"""The chat's context toggle does what it says: off, the assistant knows nothing of the account and says how to
attach it; on, it answers from the summary the app attached (and says so), not from anything else."""

from __future__ import annotations

from barrack_tui.sim.assistant_context import CONTEXT_OFF, FROM_SUMMARY
from barrack_tui.tui.areas.chat.message import MessageView
from tests.tui.chat_harness import ask, chat_world, ready


def last_reply(app) -> str:
    return [v.message for v in app.screen.query(MessageView) if v.message.role == "assistant"][-1].content


async def test_context_off_gets_how_to_attach_it_and_on_gets_answers_from_the_summary():
    h = chat_world()
    names = [i.name for i in h.state.instances.values()]
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await h.poll()
        await ask(pilot, "what runs where?")
        off = last_reply(h.app)
        assert off == CONTEXT_OFF == "Account context is off: press c to attach a summary of your account."
        assert not any(name in off for name in names)
        assert "account context off (c)" in str(h.app.screen.chat_input.border_subtitle)

        await pilot.press("escape", "c")
        assert "account context ON" in str(h.app.screen.chat_input.border_subtitle)
        await ask(pilot, "what runs where?")
        on = last_reply(h.app)
        assert on.endswith(FROM_SUMMARY)
        assert all(f"**{name}**" in on for name in names)


async def test_an_account_change_after_the_summary_is_not_known_until_a_fresh_one_is_attached():
    h = chat_world()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await h.poll()
        await pilot.press("escape", "c")
        await ask(pilot, "which instances are SHUTOFF?")
        assert "| batch-l40 |" in last_reply(h.app)
        h.instance_named("batch-l40").status = "HIBERNATED"
        await h.poll()
        await ask(pilot, "which instances are SHUTOFF?")  # the toggle is off again: the summary attached earlier
        assert "| batch-l40 |" in last_reply(h.app)
        await pilot.press("escape", "c")
        await ask(pilot, "which instances are SHUTOFF?")
        assert last_reply(h.app).startswith("No instance in the summary is SHUTOFF")
