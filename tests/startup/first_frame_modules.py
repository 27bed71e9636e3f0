"""Run in a fresh interpreter: start the app as `barrack-tui` does, and at its first frame print the modules loaded.

argv: the app's own command line (e.g. `--base-url URL`, the key in
BARRACK_API_KEY). Prints one JSON object: the modules in `sys.modules` when
the first frame was painted, the data kinds the app had read by then, and the
frame's text. Headless at 120x40. With FIRST_FRAME_THEN_DATA=1 in the
environment the app runs on until it has read the account's instances, and
the object also says which kinds it had read then (`loaded_later`).
"""

from __future__ import annotations

import html
import json
import os
import re
import sys


def main(argv: list[str]) -> None:
    import barrack_tui.tui.shell.app as app_module
    from barrack_tui.cli.main import main as cli_main

    original_on_ready = app_module.BarrackApp.on_ready
    original_run = app_module.BarrackApp.run

    then_data = os.environ.get("FIRST_FRAME_THEN_DATA") == "1"

    def on_ready(self) -> None:
        # Textual posts Ready right after it wrote the first frame; the app starts its session there, so
        # the report comes first, as what the terminal shows does.
        frame = report(self)
        original_on_ready(self)
        if then_data:
            self.set_interval(0.02, lambda: data_read(self, frame))
        else:
            print(json.dumps(frame), flush=True)
            self.exit()

    def data_read(app, frame: dict) -> None:
        if "instances" in app.store.loaded and app.is_running:
            print(json.dumps({**frame, "loaded_later": sorted(app.store.loaded)}), flush=True)
            app.exit()

    def report(app) -> dict:
        modules = sorted(sys.modules)
        svg = app.export_screenshot()
        text = " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg))
        text = " ".join(text.replace("\xa0", " ").split())
        return {"modules": modules, "screen": type(app.screen).__name__, "loaded": sorted(app.store.loaded), "text": text}

    app_module.BarrackApp.on_ready = on_ready
    app_module.BarrackApp.run = lambda self, **_: original_run(self, headless=True, size=(120, 40))
    cli_main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
