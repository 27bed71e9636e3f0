"""`barrack-tui config check`: every mistake in the config file, by name, and an exit code scripts can test.

The same findings the app shows as warnings at start (config.py's parse
warnings, then the keymap's unknown binding ids and conflicts): a user can
check a config before starting the app with it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO


def run_config_check(args: argparse.Namespace, loaded: Any, out: TextIO | None = None) -> int:
    from barrack_tui.tui.shell.keymap import binding_ids, keymap_problems

    out = out or sys.stdout
    problems = [*loaded.warnings, *keymap_problems(loaded.settings.keymap)]
    print(f"config: {loaded.settings.path}", file=out)
    for problem in problems:
        print(problem, file=out)
    if getattr(args, "list", False):
        for binding_id, keys, description in binding_ids():
            print(f"{binding_id:32} {keys:12} {description}", file=out)
    if problems:
        print(f"{len(problems)} problem(s) found", file=out)
        return 1
    print("no problems found", file=out)
    return 0
