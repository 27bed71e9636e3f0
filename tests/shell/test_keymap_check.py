"""[keymap] and [ui] theme mistakes are named at start and by `barrack-tui config check`; a rebind shows
wherever the app names that key (key bar, `?`, hint lines, the details header, empty-state advice)."""

from __future__ import annotations

import pytest
from textual.theme import BUILTIN_THEMES
from textual.widgets import Static

from barrack_tui.account.config import THEMES, load_settings
from barrack_tui.cli import main as cli
from barrack_tui.tui.shell.key_bar import KeyBar
from barrack_tui.tui.shell.key_help import KeyHelp, help_rows
from tests.harness import make_harness, settle, wait_until

MISTAKES = """
[ui]
theme = "solarised-sunset"

[keymap]
"volumes.delete" = "x"
"volumes.explode" = "z"
"""
CONFLICT = "keymap conflict: on Volumes, volumes.delete, volumes.detach are all on x; only one of them runs"
UNKNOWN_ID = "keymap: unknown binding id 'volumes.explode'"
UNKNOWN_THEME = "config line 3: ui.theme 'solarised-sunset' is not a theme"  # the line the theme is on


def test_config_check_names_conflicts_unknown_ids_and_themes(tmp_path, capsys) -> None:
    path = tmp_path / "config.toml"
    path.write_text(MISTAKES)
    code = cli.main(["--config", str(path), "config", "check"])
    out = capsys.readouterr().out
    assert code == 1
    assert CONFLICT in out and UNKNOWN_ID in out and UNKNOWN_THEME in out
    assert "3 problem(s) found" in out


def test_config_check_passes_a_clean_config_and_lists_the_ids(tmp_path, capsys) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[ui]\ntheme = "nord"\n[keymap]\n"volumes.delete" = "D"\n')
    code = cli.main(["--config", str(path), "config", "check", "--list"])
    out = capsys.readouterr().out
    assert code == 0 and "no problems found" in out
    assert any(line.startswith("volumes.delete ") and "Delete" in line for line in out.splitlines())


def test_the_config_knows_every_theme_textual_has() -> None:
    assert set(THEMES) == set(BUILTIN_THEMES)


def test_a_keymap_value_that_is_not_keys_is_named(tmp_path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"volumes.delete" = 3\n')
    loaded = load_settings(path)
    assert loaded.settings.keymap == {}
    assert any("keymap.volumes.delete must be a string" in w for w in loaded.warnings)


async def test_the_app_names_the_same_problems_at_start(tmp_path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(MISTAKES)
    loaded = load_settings(path)
    h = make_harness(settings=loaded.settings, initial_mode="volumes")
    h.app._config_warnings = loaded.warnings
    async with h.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        said = [str(n.message) for n in h.app._notifications]
        assert CONFLICT in said
        assert any(text.startswith(UNKNOWN_ID) for text in said)
        assert any(text.startswith(UNKNOWN_THEME) for text in said)


@pytest.fixture
def rebound(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"volumes.create" = "N"\n"instances.deploy" = "N"\n"instances.hibernate" = "ctrl+h"\n'
                    '"instances.public_ip" = "P"\n')
    return load_settings(path).settings


async def test_a_rebind_shows_in_the_key_bar_help_and_empty_state_advice(rebound) -> None:
    h = make_harness(settings=rebound, initial_mode="volumes")
    h.state.volumes.clear()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        screen = h.app.screen
        bar = {hint.description: hint.key_display for hint in screen.query_one(KeyBar).hints}
        assert bar["New volume"] == "N"
        empty = str(screen.query_one("#volumes-empty", Static).render())
        assert "Press N to create one." in empty
        assert "N new" in str(screen.query_one("#volumes-hint", Static).render())
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: bool(screen.query(KeyHelp)), what="the key panel")
        assert ("N", "New volume") in {(row.keys, row.description) for row in help_rows(screen)}
        await pilot.press("N")
        await settle(pilot)
        assert type(h.app.screen).__name__ == "VolumeCreateModal"


async def test_a_rebind_shows_in_the_instance_hint_lines_and_details_header(rebound) -> None:
    h = make_harness(settings=rebound, initial_mode="instances")
    async with h.app.run_test(size=(160, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        screen = h.app.screen
        screen.select_instance(h.instance_named("batch-l40").id)  # SHUTOFF: the note advises hibernating
        await settle(pilot)
        note = str(screen.query_one("#fleet-row-info", Static).render())
        assert "^h hibernates it" in note
        commands = {c.title: c.help for c in h.app.get_system_commands(screen)}
        assert commands["Instances: Deploy"].endswith("(key N)")
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(h.app.screen).__name__ == "InstanceDetailsScreen", what="the details")
        await settle(pilot)
        header = str(h.app.screen.query_one("#details-title", Static).render())
        assert "^h hibernate" in header and "P ip" in header
