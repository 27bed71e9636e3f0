"""Startup as a user sees it: spawn -> first byte, first frame and first content, in a real pty at 120x40.

Cases, measured round-robin (each round runs every case once, so machine
noise hits them alike), 7 rounds (1 with --smoke):
- bare Textual: one Static("hello") (`_startup_bare.py`), the baseline;
- `barrack-tui --base-url URL` (the key in BARRACK_API_KEY): the real-account
  path, against an API in another process (`_startup_server.py`) holding an
  empty account, and one holding 10,000 instances;
- `barrack-tui --demo`;
- with `--peers` (not in --smoke): posting 2.11.1, harlequin 2.17.0 and
  toolong 1.5.0, the Textual apps users compare us with, each installed once
  into its own venv under bench/.peers/.

Times, from just before the process is spawned:
- first byte: the first output on the pty;
- first frame: the first read, after the switch to the alternate screen
  (ESC [?1049h), that brings visible text (escape sequences stripped): the
  app's first paint has started to arrive;
- first content: a case's marker is visible: "hello" (bare), a region name
  from the API (barrack-tui: the Regions screen filled with data), what each
  peer always draws once loaded.

Idle: barrack-tui on Instances with the 10,000-instance account (default
polling), no keys for 60 s (5 s with --smoke): CPU of the app process as %
of one core, beside the bare app idle for as long.

Every app runs with fresh HOME and data/config dirs. No timing is asserted:
the script fails only when a case does not run.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import common
from common import REPO, SMOKE, median, print_table

ROUNDS = 1 if SMOKE else 7
common.RUNS = ROUNDS  # the tables' titles say how many rounds the medians are of
IDLE_SECONDS = 5.0 if SMOKE else 60.0
WITH_PEERS = "--peers" in sys.argv and not SMOKE
FLEET = 10_000
PEERS_DIR = REPO / "bench" / ".peers"
ALT_SCREEN = b"\x1b[?1049h"
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[@-Z\\-_]")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Times:
    first_byte: float
    first_frame: float
    first_content: float


@dataclass
class Case:
    name: str
    argv: list[str]
    marker: str
    env: dict[str, str]
    target_frame: str = ""
    target_content: str = ""


def visible(stream: bytes) -> str:
    return _ESCAPES.sub(b"", stream).decode("utf-8", "replace")


def app_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BARRACK_", "TEXTUAL", "COLUMNS", "LINES"))}
    env.update(TERM="xterm-256color", HOME=str(home), BARRACK_CONFIG_DIR=str(home / "config"),
               BARRACK_DATA_DIR=str(home / "data"), PYTHONPATH=str(REPO), LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.update(extra or {})
    return env


class Pty:
    """One app in a fresh pty at 120x40; its output is drained continuously (an app must never block on it)."""

    def __init__(self, argv: Sequence[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(list(argv), stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.output = bytearray()

    def pump(self, seconds: float) -> bool:
        """Read what arrives within `seconds`; False once the app has closed its side."""
        ready, _, _ = select.select([self.master], [], [], seconds)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:
            return False
        self.output += chunk
        return bool(chunk)

    def wait_for(self, marker: str, timeout: float = 60.0) -> Times:
        first_byte = first_frame = None
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if not self.pump(0.005):
                break
            now = time.perf_counter() - self.started
            if first_byte is None and self.output:
                first_byte = now
            alt = self.output.find(ALT_SCREEN)
            if alt < 0:
                continue
            text = visible(bytes(self.output[alt + len(ALT_SCREEN):]))
            if first_frame is None and text.strip():
                first_frame = now
            if first_frame is not None and marker in text:
                return Times(first_byte or now, first_frame, now)
        tail = visible(bytes(self.output[-1500:]))
        raise RuntimeError(f"{marker!r} never appeared (exit {self.proc.poll()}): {tail!r}")

    def idle(self, seconds: float) -> float:
        """CPU of the app process over `seconds` of no input, as % of one core."""
        before, started = self.cpu_seconds(), time.perf_counter()
        while time.perf_counter() - started < seconds:
            self.pump(0.05)
        return 100 * (self.cpu_seconds() - before) / (time.perf_counter() - started)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime

    def close(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)
        os.close(self.master)


@contextmanager
def api(kind: str) -> Iterator[tuple[str, str]]:
    server = subprocess.Popen([sys.executable, str(REPO / "bench" / "_startup_server.py"), kind],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        url, key = server.stdout.readline().split()
        yield url, key
    finally:
        server.stdin.close()
        server.wait(timeout=30)


def round_trip(url: str, key: str) -> float:
    import httpx

    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as http:
        http.get("/api/v1/regions")
        times = []
        for _ in range(7):
            started = time.perf_counter()
            http.get("/api/v1/regions").raise_for_status()
            times.append(time.perf_counter() - started)
    return median(times)


def peer_cases(home: Path) -> list[Case]:
    """Install each peer once into its own venv; a peer that will not install is left out, and said so."""
    log = home / "peer.log"
    log.write_text("".join(f"2026-12-03 10:{i // 60:02d}:{i % 60:02d} INFO worker {i:06d} handled a request\n"
                           for i in range(2000)))
    specs = {
        "posting 2.11.1": ("posting", ["posting==2.11.1", "tree-sitter<0.26"], ["posting"], "Send"),
        "harlequin 2.17.0": ("harlequin", ["harlequin==2.17.0"], ["harlequin", "--locale", "C"], "Query"),
        "toolong 1.5.0": ("toolong", ["toolong==1.5.0"], ["tl", str(log)], "worker 001999"),
    }
    cases = []
    for name, (folder, packages, argv, marker) in specs.items():
        venv = PEERS_DIR / folder
        if not (venv / "bin" / argv[0]).exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            done = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *packages], capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{name}: not installed, left out: {done.stderr[-300:]}", file=sys.stderr)
                continue
        cases.append(Case(name, [str(venv / "bin" / argv[0]), *argv[1:]], marker, app_env(home / folder)))
    return cases


def measure(cases: list[Case]) -> dict[str, list[Times]]:
    results: dict[str, list[Times]] = {case.name: [] for case in cases}
    for _ in range(ROUNDS):
        for case in cases:
            home = Path(tempfile.mkdtemp(prefix="startup-"))
            env = {**case.env, "HOME": str(home), "BARRACK_CONFIG_DIR": str(home / "config"),
                   "BARRACK_DATA_DIR": str(home / "data")}
            term = Pty(case.argv, env)
            try:
                results[case.name].append(term.wait_for(case.marker))
            finally:
                term.close()
    return results


def idle_figures(env_10k: dict[str, str], argv_10k: list[str], bare: Case) -> list[list[object]]:
    rows = []
    term = Pty(argv_10k, env_10k)
    try:
        term.wait_for("NORWAY-1")
        term.output.clear()
        os.write(term.master, b"2")  # Instances
        deadline = time.perf_counter() + 60
        while "fleet-" not in visible(bytes(term.output)) and time.perf_counter() < deadline:
            term.pump(0.05)
        term.idle(2.0)  # let the first load's follow-ups settle
        rows.append(["barrack-tui, Instances, 10,000 instances", term.idle(IDLE_SECONDS), "<= 2%"])
    finally:
        term.close()
    term = Pty(bare.argv, bare.env)
    try:
        term.wait_for(bare.marker)
        term.idle(2.0)
        rows.append(["bare Textual", term.idle(IDLE_SECONDS), ""])
    finally:
        term.close()
    return rows


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="startup-bench-"))
    python = sys.executable
    bare = Case("bare Textual (one Static)", [python, str(REPO / "bench" / "_startup_bare.py")], "hello", app_env(scratch))
    with api("empty") as (empty_url, empty_key), api(str(FLEET)) as (fleet_url, fleet_key):
        rtt = round_trip(empty_url, empty_key)
        account = [python, "-m", "barrack_tui", "--base-url"]
        cases = [
            bare,
            Case("barrack-tui, real-account path, empty account", [*account, empty_url], "NORWAY-1",
                 app_env(scratch, {"BARRACK_API_KEY": empty_key}), "<= 1.3x", "<= bare + rtt + 0.2 s"),
            Case(f"barrack-tui, real-account path, {FLEET:,} instances", [*account, fleet_url], "NORWAY-1",
                 app_env(scratch, {"BARRACK_API_KEY": fleet_key}), "<= 1.3x", "<= bare + rtt + 0.2 s"),
            Case("barrack-tui --demo", [python, "-m", "barrack_tui", "--demo"], "NORWAY-1", app_env(scratch),
                 "<= 1.3x", "<= 2.0x"),
        ]
        if WITH_PEERS:
            cases += peer_cases(scratch)
        results = measure(cases)
        idle = idle_figures(app_env(scratch, {"BARRACK_API_KEY": fleet_key}), [*account, fleet_url], bare)

    bare_times = results[bare.name]
    base = {field: median([getattr(t, field) for t in bare_times]) for field in ("first_byte", "first_frame", "first_content")}
    for field, title in (("first_byte", "first byte"), ("first_frame", "first frame"), ("first_content", "first content")):
        rows = []
        for case in cases:
            values = [getattr(t, field) for t in results[case.name]]
            target = {"first_frame": case.target_frame, "first_content": case.target_content}.get(field, "")
            if target.startswith("<= bare"):
                target = f"<= {base[field] + rtt + 0.2:.3f} s"
            rows.append([case.name, min(values), median(values), max(values), median(values) / base[field], target])
        print_table(f"startup, {title}: spawn -> {title} in a pty at 120x40, s ({ROUNDS} rounds, interleaved)",
                    ["case", "min", "median", "max", "x bare", "target"], rows)
    print(f"\nAPI round trip (GET /regions on loopback, median of 7): {rtt * 1000:.1f} ms")
    print_table(f"idle: CPU over {IDLE_SECONDS:.0f} s with no keys, % of one core", ["case", "cpu %", "target"], idle)


if __name__ == "__main__":
    main()
