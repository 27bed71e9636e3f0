"""The `--demo` simulator in a child process, started before the app imports Textual.

Why a child: the simulator's imports (FastAPI, uvicorn, the models) cost about
as much as Textual's. In a second process they run on the other core while the
app imports and paints, instead of before it.

It must never outlive the app, however the app ends (a crash, `kill -9`, a
closed SSH session):
- on Linux the kernel sends it SIGKILL when the parent dies (PR_SET_PDEATHSIG);
- everywhere, its stdin is a pipe only the app holds open: EOF means the app is
  gone, and the child exits at once.
It serves the demo account on a free loopback port and says so with one line
on stdout (`READY <url> <key>`); the key is the simulator's fixed demo key,
passed on a pipe rather than argv all the same. Its stderr goes to a file in
the demo's data dir, never to the terminal the app draws on.

The line comes as soon as the port listens, before the simulator is imported
and built: the kernel holds the app's connections and requests until the
server accepts them, so the app can go on with its own start-up and send its
first requests meanwhile instead of waiting for the line (~45 ms between the
line and the first request). The account is seeded next, and its first
answers (`sim/first_answers.py`: asyncio and h11, no FastAPI) serve the port
from a thread of their own ~0.1 s after the spawn: the app's first screen
reads are answered then, while FastAPI and uvicorn load here (~0.25 s more),
with the same bytes the full simulator gives. Requests only the full
simulator can answer wait for it; once it is up it is handed every
connection and answers everything, on the first answers' loop. Should it then
fail to start, the traceback goes to the log and every request the first
answers cannot answer gets a 503 with the reason, so the app says what went
wrong rather than that nothing listens.

The parent side (`spawn`) imports only the standard library.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import socket

    from barrack_tui.sim.first_answers import FirstAnswers

READY = "READY"
_MODULE = "barrack_tui.sim.child"
_PARENT_ENV = "BARRACK_SIM_PARENT_PID"
_PR_SET_PDEATHSIG = 1
# How often (seconds) the loading thread is made to let the first answers' thread run, while the full simulator
# loads: at the default 5 ms the app's seven first reads took ~50 ms to be answered mid-import, at 0.5 ms ~12 ms.
_LOADING_SWITCH_INTERVAL = 0.0005


@dataclass
class ChildSim:
    """A simulator child process; `ready()` waits for its URL and key (the key is kept out of the repr)."""

    process: subprocess.Popen[bytes]
    log_path: Path
    url: str = ""
    api_key: str = field(default="", repr=False)

    def ready(self, timeout: float = 30.0) -> ChildSim:
        """Block until the child announces its URL and key; raise with the tail of its log if it dies or takes too long.

        The port listens by then and the server comes moments later: requests sent meanwhile wait for it.
        """
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        line = b""
        deadline = time.monotonic() + timeout
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self.stop()
                raise RuntimeError(f"The demo simulator did not start within {timeout:.0f} s{self._log_tail()}")
            chunk = os.read(fd, 4096)
            if not chunk:
                self.stop()
                raise RuntimeError(f"The demo simulator exited before serving{self._log_tail()}")
            line += chunk
        words = line.decode("ascii", "replace").split()
        if len(words) != 3 or words[0] != READY:
            self.stop()
            raise RuntimeError("The demo simulator answered something unexpected on start")
        self.url, self.api_key = words[1], words[2]
        return self

    def stop(self) -> None:
        """Close the pipe (the child exits on EOF), then make sure it is gone."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=3)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def _log_tail(self) -> str:
        try:
            tail = self.log_path.read_text(errors="replace")[-1500:].strip()
        except OSError:
            return ""
        return f":\n{tail}" if tail else ""


def spawn(log_dir: Path, *, envelope: bool = False) -> ChildSim:
    """Start the child now; call `ready()` on the answer once the app's own imports are done."""
    missing = [d for d in (log_dir, *log_dir.parents) if not d.exists()]
    for directory in reversed(missing):  # each private, not only the last (mkdir's mode covers only that one)
        directory.mkdir(mode=0o700, exist_ok=True)
    log_path = log_dir / "simulator.log"
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    env = {**os.environ, _PARENT_ENV: str(os.getpid())}
    argv = [sys.executable, "-m", _MODULE, *(["--envelope"] if envelope else [])]
    try:
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log_fd, env=env)
    finally:
        os.close(log_fd)
    return ChildSim(process, log_path)


def _die_with_parent() -> None:
    """Ask the kernel for SIGKILL when the parent dies; exit now if it already has."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    expected = os.environ.get(_PARENT_ENV)
    # The parent may have died between fork and prctl: then we were reparented already.
    if expected and os.getppid() != int(expected):
        os._exit(0)


def _serve(envelope: bool) -> None:
    import gc
    import signal

    from barrack_tui.sim.demo_key import DEMO_API_KEY
    from barrack_tui.sim.listener import listening_socket, url_of

    # Ctrl+C in the terminal is the app's to handle; this process ends with it through the pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    sock = listening_socket("127.0.0.1", 0)
    sys.stdout.write(f"{READY} {url_of('127.0.0.1', sock.getsockname()[1])} {DEMO_API_KEY}\n")
    sys.stdout.flush()
    # Importing and building the simulator leaves ~60,000 objects the collector tracks, nearly all for good: its
    # ~150 passes over them freed ~700 and cost ~14 ms of the start. Collected from then on, they are frozen out
    # of its way.
    gc.disable()
    try:
        first = _first_answers(sock, envelope)
    except Exception as error:
        _log_failure()
        _answer_every_request_with(error, sock)
        first = None
    if first is not None:
        # While FastAPI loads, the first answers' thread must get the GIL soon after its requests come in.
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(_LOADING_SWITCH_INTERVAL)
        try:
            _uvicorn_without_its_command_line()
            from barrack_tui.sim.server import start_background

            start_background(
                state=first.state, api_key=DEMO_API_KEY, envelope=envelope, sock=sock, loop=first.loop,
                on_up=first.hand_over,
            )
        except Exception as error:
            _log_failure()
            first.fail(_failure_message(error))
        finally:
            sys.setswitchinterval(switch_interval)
    gc.freeze()
    gc.enable()
    while os.read(sys.stdin.fileno(), 4096):  # returns b"" at EOF: the app has gone
        pass
    os._exit(0)  # the demo keeps no state: nothing to save, no reason to wait for uvicorn


def _first_answers(sock: socket.socket, envelope: bool) -> FirstAnswers:
    """The demo account seeded, and its first reads served on `sock` while the full simulator loads."""
    from barrack_tui.sim.demo_key import DEMO_API_KEY
    from barrack_tui.sim.first_answers import FirstAnswers
    from barrack_tui.sim.seed import seed_demo

    state = seed_demo()
    state.api_key = DEMO_API_KEY
    first = FirstAnswers(state, envelope=envelope)
    first.start(sock)
    return first


def _log_failure() -> None:
    import traceback

    traceback.print_exc()
    sys.stderr.flush()


def _uvicorn_without_its_command_line() -> None:
    """Import uvicorn's package as an empty shell holding `Config` and `Server`, the two names the simulator uses.

    uvicorn's `__init__` also imports its command line (click, the reloader and process supervisors,
    multiprocessing): ~10 ms of the child's start that it never uses. The shell completes itself (runs
    the real `__init__`) the first time anything asks it for another name, so nothing can miss one.
    """
    import importlib.util

    if "uvicorn" in sys.modules:
        return
    spec = importlib.util.find_spec("uvicorn")
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def complete(name: str) -> object:
        del package.__getattr__  # once: the real __init__ defines whatever there is to find
        loader.exec_module(package)
        return getattr(package, name)

    package.__getattr__ = complete  # type: ignore[method-assign]
    sys.modules["uvicorn"] = package
    try:
        from uvicorn.config import Config
        from uvicorn.server import Server
    except BaseException:
        for name in [name for name in sys.modules if name == "uvicorn" or name.startswith("uvicorn.")]:
            del sys.modules[name]
        raise
    package.Config = Config  # type: ignore[attr-defined]
    package.Server = Server  # type: ignore[attr-defined]


def _failure_message(error: Exception) -> str:
    return f"The demo simulator could not start ({type(error).__name__}: {error}); its log, simulator.log in the demo's data folder, says more."


def _answer_every_request_with(error: Exception, sock: socket.socket) -> None:
    """When even the first answers could not start: serve, on the announced port, a 503 naming why (the contract's error shape)."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    body = json.dumps({"error": {"code": "SIMULATOR_FAILED", "message": _failure_message(error), "details": None}}).encode()

    class Failed(BaseHTTPRequestHandler):
        def answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))  # unread, closing could reset the answer
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer

        def log_message(self, format: str, *args: object) -> None:
            pass  # request lines hold query strings: never logged (see server.py)

    server = HTTPServer(("127.0.0.1", 0), Failed, bind_and_activate=False)
    server.socket.close()
    server.socket = sock
    threading.Thread(target=server.serve_forever, name="barrack-sim-failed", daemon=True).start()


if __name__ == "__main__":
    _serve("--envelope" in sys.argv[1:])
