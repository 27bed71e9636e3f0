"""httpx, imported without its command-line client: every module of the api package takes httpx from here.

httpx's `__init__` ends with `from ._main import main`, the `httpx` console command, which loads click,
rich.progress, rich.syntax and pygments (~20 ms, a tenth of loading the client, in the thread the app
waits on for its first requests) only to define a function this program never calls. httpx expects that
import to fail when its `cli` extra is not installed (`except ImportError`: `main` then only says so), and
a `None` in `sys.modules` is the import system's documented way to make an import raise ImportError. So the
command-line module is blocked for httpx's own import and unblocked right after: an explicit
`import httpx._main` later still works, and an httpx already imported (by a test, the simulator) is used
as it is.
"""

from __future__ import annotations

import sys

_CLI = "httpx._main"

_block = "httpx" not in sys.modules and _CLI not in sys.modules
if _block:
    sys.modules[_CLI] = None  # type: ignore[assignment]  # None: "import of httpx._main halted"
try:
    import httpx
finally:
    if _block and _CLI in sys.modules and sys.modules[_CLI] is None:
        del sys.modules[_CLI]

__all__ = ["httpx"]
