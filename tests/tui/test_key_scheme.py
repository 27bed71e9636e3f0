"""The one key scheme: the same letter is the same verb on every screen, every list filters and sorts,
an unknown filter key is named, read-only mode greys every mutation from the start, README matches `?`."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from barrack_tui.tui.kit.key_scheme import MUTATIONS, RESERVED, VERBS
from barrack_tui.tui.shell.key_bar import KeyBar
from barrack_tui.tui.shell.key_help import KeyHelp, help_rows
from barrack_tui.tui.shell.keymap import readme_section, readme_table, screen_bindings, screen_rows
from tests.harness import make_harness, settle, wait_until

README = Path(__file__).resolve().parents[2] / "README.md"
REFUSAL = "Read-only mode: “{}” was not sent; start the app without --read-only to make changes."
# Mode -> what `/` then `o` act on there.
LISTS = ("instances", "volumes", "firewalls", "snapshots", "keys")


def test_each_verb_has_its_key_on_every_screen_that_offers_it() -> None:
    bindings = screen_bindings()
    for verb in VERBS:
        for screen, ids in verb.bindings.items():
            for binding_id in ids:
                keys = {b.key for b in bindings[screen] if b.id == binding_id}
                assert keys, f"{screen} has no binding {binding_id}"
                assert verb.key in keys, f"{screen}: {binding_id} is on {keys}, the scheme says {verb.key} ({verb.name})"


def test_a_key_of_the_scheme_means_nothing_else_anywhere() -> None:
    verb_ids = {binding_id for verb in VERBS for ids in verb.bindings.values() for binding_id in ids}
    for screen, bindings in screen_bindings().items():
        for binding in bindings:
            if binding.id is None or binding.id.startswith(("mode.", "app.")):
                continue
            if binding.key in RESERVED:
                assert binding.id in verb_ids, (
                    f"{screen}: {binding.id} uses {binding.key}, which the scheme keeps for {RESERVED[binding.key]}"
                )


def test_destructive_keys_are_the_same_in_every_area() -> None:
    keys = {b.id: b.key for bindings in screen_bindings().values() for b in bindings if b.id}
    deletes = ["instances.delete", "volumes.delete", "firewalls.delete", "snapshots.delete", "images.delete",
               "keys.delete", "scripts.delete", "chat.delete", "firewall_details.delete", "snapshot_details.delete"]
    assert {keys[i] for i in deletes} == {"d"}
    assert {keys[i] for i in ("volumes.detach", "firewall_details.detach")} == {"x"}
    assert {keys[i] for i in ("volumes.attach", "firewalls.attach", "firewall_details.attach")} == {"a"}
    assert {keys[i] for i in ("firewalls.create", "volumes.create", "instances.deploy", "keys.generate")} == {"n"}


@pytest.mark.parametrize("mode", LISTS)
async def test_slash_filters_every_list_and_names_an_unknown_key(mode: str) -> None:
    h = make_harness(initial_mode=mode)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(h.app.focused, Input), f"/ on {mode} did not open a filter box"
        await pilot.press(*"colour:red")
        await settle(pilot)
        shown = " ".join(str(w.render()) for w in h.app.screen.query(Static) if w.display)
        assert "unknown filter key colour: use status:" in shown or "unknown filter key colour: use region:" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(h.app.focused, Input)


async def test_filter_and_sort_change_what_a_list_shows() -> None:
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        screen = h.app.screen
        before = [f.name for f in screen.listing.items]
        await pilot.press("o")  # Created -> Name
        await settle(pilot)
        names = [f.name for f in screen.listing.items]
        assert names == sorted(before, key=str.casefold)
        await pilot.press("O")
        await settle(pilot)
        assert [f.name for f in screen.listing.items] == names[::-1]
        assert "sort Name ▼" in str(screen.query_one("#fw-filter", Static).render())
        await pilot.press("slash", *"office")
        await settle(pilot)
        assert [f.name for f in screen.listing.items] == [n for n in names[::-1] if "office" in n]
        await pilot.press("escape")  # puts back the filter from before the box opened
        await settle(pilot)
        assert len(screen.listing.items) == len(names)


@pytest.mark.parametrize("mode", ["instances", "volumes", "firewalls", "snapshots", "keys", "regions"])
async def test_read_only_greys_every_mutation_in_the_key_bar_help_and_palette(mode: str) -> None:
    h = make_harness(initial_mode=mode, read_only=True)
    async with h.app.run_test(size=(160, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        screen = h.app.screen
        active = screen.active_bindings.values()
        mutations = [a for a in active if a.binding.id in MUTATIONS]
        assert mutations, f"{mode} offers no mutation to grey"
        assert all(not a.enabled for a in mutations)
        for hint in screen.query_one(KeyBar).hints:
            if hint.action in {a.binding.action for a in mutations}:
                assert not hint.enabled and hint.description.endswith("(read-only)")
        await pilot.press("question_mark")
        await settle(pilot)
        assert screen.query(KeyHelp)
        rows = {row.description: row for row in help_rows(screen)}
        for active_binding in mutations:
            row = rows[active_binding.binding.description]
            assert row.read_only and not row.enabled
        commands = list(h.app.get_system_commands(screen))
        read_only_titles = [c.title for c in commands if c.title.endswith("(read-only)")]
        if mode != "regions":
            assert read_only_titles, f"the palette of {mode} labels no mutation"
            before = len(h.app._notifications)
            next(c for c in commands if c.title.endswith("(read-only)")).callback()
            await settle(pilot)
            assert len(h.app._notifications) == before + 1


async def test_a_refused_key_says_so_in_one_clean_sentence_and_opens_nothing() -> None:
    h = make_harness(initial_mode="volumes", read_only=True)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        screen = h.app.screen
        await pilot.press("n")
        await settle(pilot)
        assert h.app.screen is screen
        said = [str(n.message) for n in h.app._notifications]
        assert REFUSAL.format("New volume") in said
        assert not any("(0)" in text or ".." in text for text in said)


def test_the_client_guard_refuses_in_the_same_sentence() -> None:
    from barrack_tui.tui.shell.guard import ReadOnlyError

    assert str(ReadOnlyError("delete_volume")) == REFUSAL.format("delete volume")


def test_readme_key_table_is_generated_from_the_bindings() -> None:
    section = readme_section(README.read_text())
    assert section is not None, "README.md has lost its key table markers"
    assert section == readme_table(), "README's key table is stale: run python -m barrack_tui.tui.shell.keymap"


@pytest.mark.parametrize(("mode", "name"), [("instances", "Instances"), ("volumes", "Volumes"), ("firewalls", "Firewalls")])
async def test_help_lists_the_readme_rows_of_its_screen(mode: str, name: str) -> None:
    h = make_harness(initial_mode=mode)
    async with h.app.run_test(size=(160, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: bool(h.app.screen.query(KeyHelp)), what="the key panel")
        shown = {(row.keys, row.description) for row in help_rows(h.app.screen)}
        # A key the focused widget binds itself (a table's Enter) is listed under the widget's words.
        focused = h.app.focused
        taken = {h.app.get_key_display(b) for _key, b in focused._bindings} if focused is not None else set()
        missing = [row for row in screen_rows(name) if row not in shown and row[0] not in taken]
        assert not missing, f"? on {name} does not list {missing}"
