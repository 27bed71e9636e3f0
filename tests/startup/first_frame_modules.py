"""Run in a fresh interpreter: start the app as `barrack-tui` does, and at its first frame print the modules loaded.

argv: the app's own command line (e.g. `--base-url URL`, the key in
BARRACK_API_KEY). Prints one JSON object: the modules in `sys.modules` when
the first frame was painted, the data kinds the app had read by then, and the
frame's text. Headless at 120x40.
"""

from __future__ import annotations

import html
import json
import re
import sys


def main(argv: list[str]) -> None:
    import barrack_tui.tui.shell.app as app_module
    from barrack_tui.cli.main import main as cli_main

    original_on_ready = app_module.BarrackApp.on_ready
    original_run = app_module.BarrackApp.run

    def on_ready(self) -> None:
        # Textual posts Ready right after it wrote the first frame; the app starts its session there, so
        # the report comes first, as what the terminal shows does.
        report(self)
        original_on_ready(self)

    def report(app) -> None:
        modules = sorted(sys.modules)
        svg = app.export_screenshot()
        text = " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg))
        text = " ".join(text.replace("\xa0", " ").split())
        report = {"modules": modules, "screen": type(app.screen).__name__, "loaded": sorted(app.store.loaded), "text": text}
        print(json.dumps(report), flush=True)
        app.exit()

    app_module.BarrackApp.on_ready = on_ready
    app_module.BarrackApp.run = lambda self, **_: original_run(self, headless=True, size=(120, 40))
    cli_main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
