"""Launcher for the pseudo-terminal test: the real app, full screen, against a hostile simulator.

Run as `python -m tests.security.pty_app` inside a terminal (the test gives
it a pty). It serves the demo account with a hostile name on every resource
from a loopback simulator in a background thread, then runs `BarrackApp`
exactly as `barrack-tui` does (not headless), and exits with the app's code.
"""

from __future__ import annotations

import sys


def main() -> int:
    from barrack_tui.account import auth
    from barrack_tui.account.config import Settings
    from barrack_tui.sim.routes.chat import CHAT_SETTINGS
    from barrack_tui.sim.seed import seed_demo
    from barrack_tui.sim.server import start_background
    from barrack_tui.tui.shell.app import BarrackApp
    from tests.security.hostile import seed_hostile

    CHAT_SETTINGS.token_delay = 0.002  # stream the answer quickly; it is the bytes that matter here
    running = start_background(state=seed_hostile(seed_demo()))
    settings = Settings()
    settings.base_url = running.url
    app = BarrackApp(
        settings,
        api_key=auth.ResolvedKey(running.api_key, auth.KeySource.DEMO),
        demo=True,
        look_up_stored_key=False,
    )
    try:
        app.run()
    finally:
        running.stop()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
