"""Both private-key dialogs show their buttons whole at 80x24, the smallest size the app supports."""

from __future__ import annotations

import pytest

from barrack_tui.tui.areas.instances.new_key import DeployPrivateKeyModal
from barrack_tui.tui.areas.keys.private_key import PrivateKeyModal
from tests.harness import make_harness

# An ed25519 private key is 7 lines; an RSA one is longer (its box scrolls instead).
KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gt\n" * 5
KEY += "-----END OPENSSH PRIVATE KEY-----\n"


def screen_lines(app) -> list[str]:
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("where", ["deploy wizard", "keys area"])
async def test_the_private_key_dialog_fits_80x24_with_its_buttons(where):
    h = make_harness()
    async with h.app.run_test(size=(80, 24)) as pilot:
        await h.poll()
        if where == "deploy wizard":
            await h.app.push_screen(DeployPrivateKeyModal("newkey1", KEY))
            labels = ("Close", "Save (0600)")
        else:
            await h.app.push_screen(PrivateKeyModal((await h.app.client.list_ssh_keys())[0], KEY))
            labels = ("Save to file", "Close")
        await pilot.pause()
        await pilot.pause()
        button_row = next((line for line in screen_lines(h.app) if all(label in line for label in labels)), None)
        assert button_row is not None, "the dialog's buttons are cut off"
