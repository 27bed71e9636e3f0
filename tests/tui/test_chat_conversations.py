"""The conversation list: new, newest first, rename, delete with confirmation, export, reopen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from barrack_tui.account import paths
from barrack_tui.chat.history import ChatHistory
from barrack_tui.tui.areas.chat.delete import DeleteConversation
from barrack_tui.tui.areas.chat.export import ExportConversation
from barrack_tui.tui.areas.chat.message import MessageView
from barrack_tui.tui.areas.chat.rename import RenameConversation
from tests.tui.chat_harness import ask, chat_world, ready, screen_lines


def listed(app) -> list[str]:
    options = app.screen.query_one("#chat-list", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_new_conversations_are_listed_newest_first_titled_by_their_first_question():
    h = chat_world()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert listed(h.app) == []
        await ask(pilot, "what am I paying for?")
        await pilot.press("ctrl+n")
        assert h.app.screen.conversation is None and not h.app.screen.query(MessageView)
        assert listed(h.app) == ["  what am I paying for?"]  # nothing saved until the first question
        await ask(pilot, "which instances are SHUTOFF?")
        assert listed(h.app) == ["● which instances are SHUTOFF?", "  what am I paying for?"]
        # Opening the older one from the list shows its messages.
        await pilot.press("escape", "l", "down", "enter")
        await pilot.pause()
        assert h.app.screen.conversation.title == "what am I paying for?"
        assert [v.message.content for v in h.app.screen.query(MessageView)][0] == "what am I paying for?"
        assert h.app.screen.chat_input.has_focus


async def test_rename_edits_the_title_and_delete_asks_for_the_typed_title():
    h = chat_world()
    async with h.app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await ask(pilot, "what am I paying for?")
        await pilot.press("escape", "r")
        assert isinstance(h.app.screen, RenameConversation)
        h.app.screen.query_one(Input).value = "Budget [bold]check[/]"
        await pilot.press("enter")
        await pilot.pause()
        assert listed(h.app) == ["● Budget [bold]check[/]"]
        assert h.app.screen.query_one("#chat-bar").content.plain.startswith("Budget [bold]check[/]")

        await pilot.press("d")
        assert isinstance(h.app.screen, DeleteConversation)
        assert h.app.screen.focused is h.app.screen.query_one("#confirm-name", Input)
        await pilot.press(*"Budget", "enter")  # not the title: nothing deleted
        await pilot.pause()
        assert "type Budget [bold]check[/] to confirm" in h.app.screen.query_one("#confirm-hint").render().plain
        await pilot.press("escape")
        await pilot.pause()
        assert listed(h.app) == ["● Budget [bold]check[/]"]
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"Budget [bold]check[/]", "enter")
        await pilot.pause()
        await pilot.pause()
        assert listed(h.app) == [] and h.app.screen.conversation is None
        await pilot.pause()
        await pilot.pause()
        assert any("Budget [bold]check[/]" in line for line in screen_lines(h.app))  # the toast, literally
        with ChatHistory() as stored:
            assert stored.list_conversations() == []


async def test_export_writes_markdown_and_the_toast_names_the_file(tmp_path):
    h = chat_world()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")  # the account context: the ssh commands come from it
        await ask(pilot, "how do I connect?")
        await pilot.press("escape", "W")
        assert isinstance(h.app.screen, ExportConversation)
        await pilot.press("enter")  # the default place: the data dir
        await pilot.pause()
        [written] = list((paths.data_dir() / "exports").glob("*.md"))
        assert written.read_text().startswith("# how do I connect?\n")
        assert any(str(written) in n.message for n in h.app._notifications)

        target = tmp_path / "chat.md"
        await pilot.press("W")
        h.app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert "```sh" in target.read_text()
        await pilot.press("W")
        h.app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(h.app.screen, ExportConversation)  # refused in place: never overwritten
        assert "already exists" in h.app.screen.query_one("#chat-export-error").content.plain


async def test_reopening_the_app_shows_the_conversation_shown_last():
    h = chat_world()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "what am I paying for?")
        await pilot.press("ctrl+n")
        await ask(pilot, "how do I connect?")
        await pilot.press("escape", "l", "down", "enter")  # back to the first: it is the one shown at exit
        await pilot.pause()
    again = chat_world(state=h.state)
    async with again.app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = again.app.screen
        assert screen.conversation.title == "what am I paying for?"
        assert [v.message.role for v in screen.query(MessageView)] == ["user", "assistant"]
        assert Path(ChatHistory().path).parent == paths.data_dir()


async def test_demo_chats_keep_to_their_own_file_and_never_show_with_the_real_accounts():
    h = chat_world()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "my real account's question")
    demo = chat_world(state=h.state, demo=True)
    async with demo.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert not demo.app.screen.query(MessageView)  # the real account's conversation is not shown
        await ask(pilot, "a demo question")
    again = chat_world(state=h.state)
    async with again.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert again.app.screen.conversation.title == "my real account's question"
        assert [c.title for c in again.app.screen.history.list_conversations()] == ["my real account's question"]
    assert (paths.demo_data_dir() / "chat.sqlite3").exists()


async def test_n_starts_a_new_conversation_outside_the_box_and_is_typed_inside_it():
    h = chat_world()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "what am I paying for?")
        await pilot.press("n")  # the box has focus: typed
        await pilot.pause()
        assert h.app.screen.conversation is not None and h.app.screen.chat_input.text == "n"
        await pilot.press("backspace", "escape", "n")
        await pilot.pause()
        assert h.app.screen.conversation is None and not h.app.screen.query(MessageView)


async def test_the_list_hint_names_the_keys_as_bound():
    from barrack_tui.account.config import Settings

    settings = Settings()
    settings.keymap = {"chat.export": "X"}
    h = chat_world(settings=settings)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        hint = h.app.screen.query_one(".chat-side-hint").render().plain
        assert "X export" in hint and "d delete" in hint and "r rename" in hint, hint
