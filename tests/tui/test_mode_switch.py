"""Switching modes is cheap: styles are loaded once, the key bar redraws one line, themes still apply.

Textual re-parses the whole stylesheet and restyles every screen when a screen
with styles it has not seen appears, and its Footer remounts a widget per key
on every focus change. The app loads every style file at start, marks its
screens current, and draws key hints as one line (`KeyBar`); these tests fail
if a Textual upgrade or a new style file brings the old cost back.
"""

from __future__ import annotations

from pathlib import Path

from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

from barrack_tui.tui.areas.volumes.screen import VolumesScreen
from barrack_tui.tui.shell.app import STYLE_FILES
from barrack_tui.tui.shell.key_bar import KeyBar
from barrack_tui.tui.shell.screen import AreaScreen
from tests.harness import make_harness, wait_until


async def test_the_first_frame_reads_the_shell_and_first_area_styles_and_the_first_data_brings_the_rest():
    h = make_harness(initial_mode="volumes")
    assert sorted(Path(path).stem for path in h.app.css_path) == ["app", "volumes"]

    def read() -> set[str]:
        return {Path(path).stem for path, _ in h.app.stylesheet.source if path.endswith(".tcss")}

    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await wait_until(pilot, lambda: read() == {"app", *STYLE_FILES}, what="every style file read")
        assert h.app.store.visible <= h.app.store.loaded


async def test_first_visits_of_every_mode_never_reparse_the_stylesheet(monkeypatch):
    reparses = []
    original = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda self: (reparses.append(1), original(self))[1])
    h = make_harness(initial_mode="regions")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        reparses.clear()
        for key, mode in [("2", "instances"), ("3", "volumes"), ("4", "firewalls"), ("5", "snapshots"), ("6", "keys")]:
            await pilot.press(key)
            await wait_until(pilot, lambda mode=mode: h.app.current_mode == mode)
        assert reparses == []


async def test_a_first_visit_skips_the_whole_screen_restyle_and_a_return_after_a_suspend_keeps_it(monkeypatch):
    restyled: list[str] = []
    original = DOMNode.update_node_styles

    def spy(self, animate: bool = True) -> None:
        if isinstance(self, AreaScreen) and self.is_attached:  # not the class added before it mounts
            restyled.append(type(self).__name__)
        original(self, animate)

    monkeypatch.setattr(DOMNode, "update_node_styles", spy)
    h = make_harness(initial_mode="regions")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(h.app.screen, VolumesScreen) and bool(h.app.screen.cards))
        await pilot.pause()
        assert "VolumesScreen" not in restyled  # styled once, as its widgets mounted
        await pilot.press("1")
        await wait_until(pilot, lambda: h.app.current_mode == "regions")
        await pilot.press("3")
        await wait_until(pilot, lambda: h.app.current_mode == "volumes")
        await pilot.pause()
        assert "VolumesScreen" in restyled  # after a suspend, Textual's restyle on resume still runs


async def test_the_area_resume_handler_runs_once_per_resume_on_every_screen(monkeypatch):
    h = make_harness(initial_mode="regions")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        modes = ["chat", "instances", "volumes", "firewalls", "snapshots", "keys", "regions"]
        for mode in modes:  # every mode visited once, so the next visits are plain resumes
            h.app.switch_mode(mode)
            await pilot.pause()
        calls: list[tuple[str, ...]] = []
        original = h.app.store.set_visible
        monkeypatch.setattr(h.app.store, "set_visible", lambda kinds: (calls.append(tuple(kinds)), original(kinds))[1])
        for mode in modes:
            calls.clear()
            h.app.switch_mode(mode)
            await wait_until(pilot, lambda mode=mode: h.app.current_mode == mode)
            await pilot.pause()
            assert len(calls) == 1, f"{mode}: the resume handler ran {len(calls)} times"


async def test_a_theme_chosen_before_a_first_visit_styles_the_new_screen():
    h = make_harness(initial_mode="regions")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        h.app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(h.app.screen, VolumesScreen))
        expected = h.app.current_theme.background
        assert h.app.screen.styles.background.hex.lower() == expected.lower()


def hint_keys(app) -> list[str]:
    return [hint.key for hint in app.screen.query_one(KeyBar).hints]


async def test_the_key_bar_follows_focus_and_a_click_presses_the_key():
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await wait_until(pilot, lambda: "o" in hint_keys(h.app))
        bar = h.app.screen.query_one(KeyBar)
        assert "o Sort" in bar.render().plain
        # The filter box takes focus: letters and digits are typed, so their hints go.
        await pilot.press("slash")
        await wait_until(pilot, lambda: "o" not in hint_keys(h.app) and "3" not in hint_keys(h.app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: "o" in hint_keys(h.app))

        # Clicking a hint presses its key: "o" sorts by the next column.
        line = bar.render().plain
        await pilot.click(KeyBar, offset=(line.index(" o Sort") + 1, 0))
        await wait_until(pilot, lambda: h.app.screen.model.sort_column == "status")


async def test_a_narrow_key_bar_folds_the_mode_keys_so_help_stays_in_view():
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(260, 40)) as pilot:
        await h.poll()
        await wait_until(pilot, lambda: "o" in hint_keys(h.app))
        wide = h.app.screen.query_one(KeyBar).render().plain
        assert " 3 Volumes " in wide and " ? Keys " in wide and "Areas" not in wide
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(80, 24)) as pilot:
        await h.poll()
        await wait_until(pilot, lambda: "o" in hint_keys(h.app))
        narrow = h.app.screen.query_one(KeyBar).render().plain
        assert narrow.startswith(" ⏎ Details  / Filter  o Sort")
        assert " 1–9 Areas  ? Keys " in narrow and " 3 Volumes " not in narrow


async def test_a_bar_still_too_long_when_folded_leaves_hints_out_from_the_right_but_keeps_help():
    h = make_harness(initial_mode="volumes")
    async with h.app.run_test(size=(80, 24)) as pilot:
        await h.poll()
        await wait_until(pilot, lambda: "a" in hint_keys(h.app))
        line = h.app.screen.query_one(KeyBar).render().plain
        assert len(line) <= 80
        assert line.startswith(" a Attach  x Detach  d Delete ")  # the screen's first keys stay
        assert " ? Keys " in line and line.endswith(" ^p Commands ")  # help and the palette always stay
        assert " q Quit " not in line  # the rightmost hints went first
        all_keys = [hint.key for hint in h.app.screen.query_one(KeyBar).hints]
        assert "q" in all_keys and "n" in all_keys  # only left out of the line: `?` still lists them
