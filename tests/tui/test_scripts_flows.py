"""Startup scripts (key 6, second tab) against the simulator: list, create and edit in the editor with its size counter
and validation, delete one, mark several and delete them at once."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from barrack_tui.tui.areas.keys.script_editor import ScriptEditorModal
from barrack_tui.tui.kit.resource_delete import ConfirmDeleteModal
from tests.harness import make_harness, wait_until
from tests.tui.resources_support import button, select_row, table_column, table_rows, text_of


def script_id_named(h, name: str) -> str:
    return next(s.id for s in h.state.scripts.values() if s.name == name)


def script_named(h, name: str):
    return next((s for s in h.state.scripts.values() if s.name == name), None)


async def open_scripts(pilot, h) -> None:
    await h.poll()
    await wait_until(pilot, lambda: len(table_rows(h.app, "#scripts-table")) == len(h.state.scripts))
    await pilot.press("t")
    await pilot.pause()


def editor(h) -> TextArea:
    return h.app.screen.query_one("#script-content", TextArea)


async def test_scripts_tab_lists_the_scripts_with_size():
    h = make_harness(initial_mode="keys")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_scripts(pilot, h)
        rows = table_rows(h.app, "#scripts-table")
        assert [row[1] for row in rows] == ["install-miniconda", "mount-data-volume"]
        miniconda = script_named(h, "install-miniconda")
        assert rows[0][2] == f"{len(miniconda.content.encode())} B"
        assert rows[0][0] == "[ ]"
        bindings = h.app.screen.active_bindings
        assert bindings["n"].binding.description == "New script"
        assert "e" in bindings and "i" not in bindings  # the key tab's Import is not offered here


async def test_create_a_script_with_a_live_size_counter():
    h = make_harness(initial_mode="keys")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_scripts(pilot, h)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ScriptEditorModal))
        await pilot.press(*"warm-cache")
        content = "#!/bin/bash\n" + "echo warming the cache\n" * 142  # 12 + 23*142 = 3,278 bytes
        editor(h).load_text(content)
        await pilot.pause()
        assert text_of(h.app, "#size-counter") == "3.2 KB / 16 KB"
        assert text_of(h.app, "#name-counter") == "10/50"
        assert not button(h.app, "#submit").disabled

        await pilot.click("#submit")
        await wait_until(pilot, lambda: "warm-cache" in table_column(h.app, "#scripts-table", 1))
        saved = script_named(h, "warm-cache")
        assert saved is not None and saved.content == content
        assert not isinstance(h.app.screen, ScriptEditorModal)


async def test_editor_refuses_a_script_over_16_kb_and_a_taken_name():
    h = make_harness(initial_mode="keys")
    async with h.app.run_test(size=(80, 24)) as pilot:
        await open_scripts(pilot, h)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ScriptEditorModal))
        h.app.screen.query_one("#script-name", Input).value = "mount-data-volume"
        editor(h).load_text("x" * 16_385)
        await pilot.pause()
        assert text_of(h.app, "#name-error") == "Name 'mount-data-volume' is already used by another script"
        too_big = "Script must be at most 16 KB (16,384 bytes); this one is 16,385 bytes"
        assert text_of(h.app, "#content-error") == too_big
        assert text_of(h.app, "#size-counter") == "16.0 KB / 16 KB"
        assert button(h.app, "#submit").disabled

        h.app.screen.query_one("#script-name", Input).value = "big-one"
        editor(h).load_text("x" * 16_384)
        await pilot.pause()
        assert text_of(h.app, "#content-error") == ""
        assert not button(h.app, "#submit").disabled

        editor(h).load_text("   \n")
        await pilot.pause()
        assert text_of(h.app, "#content-error") == "Script content is required"


async def test_edit_a_script_keeps_its_name_and_saves_new_content():
    h = make_harness(initial_mode="keys")
    script_id = script_id_named(h, "install-miniconda")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_scripts(pilot, h)
        await select_row(pilot, "#scripts-table", script_id)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ScriptEditorModal))
        assert editor(h).text == h.state.scripts[script_id].content
        assert text_of(h.app, "#name-error") == ""  # its own name is not "taken"
        editor(h).load_text("#!/bin/bash\necho updated\n")
        await pilot.pause()
        await pilot.click("#submit")
        await wait_until(pilot, lambda: not isinstance(h.app.screen, ScriptEditorModal))
        assert h.state.scripts[script_id].content == "#!/bin/bash\necho updated\n"
        assert h.state.scripts[script_id].name == "install-miniconda"
        await wait_until(pilot, lambda: table_rows(h.app, "#scripts-table")[0][3] == "2")  # lines, updated in place


async def test_delete_one_script_after_confirmation():
    h = make_harness(initial_mode="keys")
    script_id = script_id_named(h, "mount-data-volume")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_scripts(pilot, h)
        await select_row(pilot, "#scripts-table", script_id)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmDeleteModal))
        assert "Delete startup script mount-data-volume?" in text_of(h.app, ".modal-title")
        await pilot.press(*"mount-data-volume", "enter")
        await wait_until(pilot, lambda: table_column(h.app, "#scripts-table", 1) == ["install-miniconda"])
        assert script_id not in h.state.scripts


async def test_mark_several_and_delete_them_at_once():
    h = make_harness(initial_mode="keys")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_scripts(pilot, h)
        # A third script, so the list is not simply emptied.
        created = await h.app.client.create_script("keep-me", "echo keep\n")
        await h.poll("scripts")
        await wait_until(pilot, lambda: len(table_rows(h.app, "#scripts-table")) == 3)

        first, second = script_id_named(h, "install-miniconda"), script_id_named(h, "mount-data-volume")
        await select_row(pilot, "#scripts-table", first)
        await pilot.press("space", "down", "space")
        await pilot.pause()
        assert table_column(h.app, "#scripts-table", 0) == ["[x]", "[x]", "[ ]"]
        assert "2 marked" in text_of(h.app, "#scripts-summary")

        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmDeleteModal))
        assert text_of(h.app, ".modal-title") == "Delete 2 startup scripts?"
        await pilot.press("escape")  # Esc cancels: nothing is deleted
        await wait_until(pilot, lambda: not isinstance(h.app.screen, ConfirmDeleteModal))
        assert {first, second} <= set(h.state.scripts)

        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmDeleteModal))
        await pilot.press(*"2 scripts", "enter")  # several: the count is typed
        await wait_until(pilot, lambda: table_column(h.app, "#scripts-table", 1) == ["keep-me"])
        assert set(h.state.scripts) == {created.id}
        assert "marked" not in text_of(h.app, "#scripts-summary")
