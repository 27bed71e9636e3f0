"""Run by bench/startup.py in a fresh interpreter: prints seconds from `t0` to the first frame.

`bare`: a bare Textual app's first frame. `app`: the Regions screen's first
frame showing data from the in-process simulator (the `--demo` path).
`account URL`: the same frame for a real account's path, the key from
BARRACK_API_KEY and the API at URL (a simulator in another process).
"""

from __future__ import annotations

import sys
import time


def _report(t0: float) -> None:
    print(f"FRAME {time.time() - t0:.6f}", flush=True)


def bare(t0: float) -> None:
    from textual.app import App
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self):
            yield Static("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(lambda: (_report(t0), self.exit()))

    Bare().run(headless=True, size=(120, 40))


def app(t0: float, argv: list[str] | None = None) -> None:
    from barrack_tui.cli import main

    def watch(app_instance) -> None:
        store = app_instance.store

        def check() -> None:
            screen = app_instance.screen
            ready = {"regions", "stocks", "instances"} <= store.loaded and type(screen).__name__ == "RegionsScreen"
            if ready:
                timer.stop()
                app_instance.call_after_refresh(lambda: (_report(t0), app_instance.exit()))

        timer = app_instance.set_interval(0.002, check)

    import barrack_tui.tui.app as app_module

    original_on_mount = app_module.BarrackApp.on_mount

    def on_mount(self) -> None:
        original_on_mount(self)
        watch(self)

    app_module.BarrackApp.on_mount = on_mount  # type: ignore[method-assign]
    original_run = app_module.BarrackApp.run
    app_module.BarrackApp.run = lambda self, **kw: original_run(self, headless=True, size=(120, 40))  # type: ignore[method-assign]
    main(argv or ["--demo"])


def account(t0: float, url: str) -> None:
    app(t0, ["--base-url", url])


if __name__ == "__main__":
    mode, t0 = sys.argv[1], float(sys.argv[2])
    if mode == "account":
        account(t0, sys.argv[3])
    else:
        {"bare": bare, "app": app}[mode](t0)
