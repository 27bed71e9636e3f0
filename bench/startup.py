"""Startup as a user sees it: spawn -> first byte, first frame, first content, in a real pty at 120x40.

    python bench/startup.py              # 7 rounds, peers included (installed once into bench/.peers/)
    python bench/startup.py --no-peers   # the same without the peer apps
    python bench/startup.py --smoke      # 1 round, no peers, 5 s idle: checks the bench runs (CI)

Cases, measured round-robin (each round runs every case once, in order, so
machine noise hits them alike), 7 rounds (1 with --smoke), after one warm-up
round that is not counted (it compiles bytecode and warms the page cache):
- bare Textual: an App with one Static("hello") (`_startup_bare.py`), the baseline;
- `python -m barrack_tui --base-url URL` with the key in BARRACK_API_KEY (the
  real-account path) against a stub API in another process
  (`_startup_server.py`) holding an empty account, and one holding 10,000
  instances;
- `python -m barrack_tui --demo`;
- peers (not with --smoke or --no-peers): posting 2.11.1 (with
  tree-sitter<0.26), harlequin 2.17.0 (`--locale C`, on an in-memory duckdb)
  and toolong 1.5.0 (on a generated 2,000-line log), each installed once with
  `python3 -m venv` + pip into bench/.peers/<name> and reused after.

Every app runs in a fresh pty of 120x40 (TIOCSWINSZ), TERM=xterm-256color,
LANG=C.UTF-8, no COLORTERM/NO_COLOR/XDG_*/BARRACK_*/TEXTUAL* from the caller,
and a fresh HOME, BARRACK_CONFIG_DIR and BARRACK_DATA_DIR (empty temp dirs),
so nothing of the machine's config or keyring is used. The master side is
read continuously (select + read) so the app never blocks on its output.

Times run from just before the process is spawned (Popen) to the arrival (our
read) of:
- first byte: the first byte the app writes to the pty;
- first frame: the end of the first complete paint after the switch to the
  alternate screen. Precisely: after the first ESC [?1049h, the first read
  whose text (escape sequences removed) holds a letter or digit starts a
  burst; the burst ends when the pty then stays silent for 5 ms, and the
  first frame is the time of the burst's last read. (Textual writes a frame
  as one write, which arrives as reads ~0.1 ms apart; its frames are >= ~10
  ms apart, its mode-setting sequences before the first frame carry no text.)
- first content: every marker of the case is in the text written after the
  alternate-screen switch (escape sequences removed; markers are short so
  no cursor move splits them), and the first frame has arrived (content is
  never earlier than the frame that carries it). Markers:
    bare: "hello";
    barrack-tui, empty account: the Regions screen's empty state "none here"
      and the header's "burn 0.00/h" (the fleet was read and is empty: the
      cards say "none here" before the fleet is read too, so that alone
      would not say the account was read);
    barrack-tui, 10,000 instances: "fleet-00001", the first instance of the
      seed, listed on its region's card on Regions;
    barrack-tui --demo: "gpu-train-1", a demo instance on NORWAY-1's card;
    posting: "Collection" and "Send"; harlequin: "memory db" (its catalog
    read the database) and "Run Query"; toolong: "worker 001999" (the log's
    last line: it opens tailing the file).
Each is reported as min / median / max over the rounds, and the median as a
multiple of bare Textual's median.

After each measurement the process group is SIGKILLed (the app is started
with start_new_session=True) and the bench checks that no process of the
session, and no descendant seen before the kill, is left running.

The API round trip: GET /api/v1/instances?page=1&per_page=10000 (the list
call the first screen waits on longest) with httpx on a kept-alive
connection, median of 7 after one warm-up, for each account.

Idle: barrack-tui on the 10,000-instance account, the Instances screen opened
with its mode key (read from the keymap's defaults), left with default
polling and no keys for 60 s (5 s with --smoke) after a 2 s settle: CPU
time (utime + stime from /proc/<pid>/stat of every live process in the app's
session, plus the leader's cutime + cstime) over wall time, as % of one core;
beside the bare app idle for as long. The stub API's own CPU is not counted.

Targets are printed beside the figures, never asserted: the script exits
non-zero only if something failed to run (a case that never showed its
markers, a peer that would not install, a process left behind).
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import common
from common import REPO, SMOKE, median, print_table

ROUNDS = 1 if SMOKE else 7
WARMUP_ROUNDS = 0 if SMOKE else 1
IDLE_SECONDS = 5.0 if SMOKE else 60.0
SETTLE_SECONDS = 2.0
WITH_PEERS = not SMOKE and "--no-peers" not in sys.argv  # `--peers` (the old opt-in) is accepted and changes nothing
FLEET = 10_000
ROWS, COLUMNS = 40, 120
QUIET = 0.005  # silence that ends a burst of output (one frame)
CASE_TIMEOUT = 60.0
PEERS_DIR = REPO / "bench" / ".peers"
BENCH = REPO / "bench"
ALT_SCREEN = b"\x1b[?1049h"
PYCACHE = Path(tempfile.mkdtemp(prefix="startup-pycache-"))  # this run's bytecode, see app_env
# CSI, OSC, DCS/SOS/PM/APC strings, charset designations, then any other two-byte (or intermediate) escape.
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    rb"|\x1b[PX^_][^\x1b]*\x1b\\"
    rb"|\x1b[()*+#%][0-~]"
    rb"|\x1b[ -/]*[\x30-\x4f\x51-\x57\x59\x5a\x5c\x60-\x7e]"
)
_WORD = re.compile(r"[^\W_]")  # a letter or digit
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
STRIPPED_ENV = ("BARRACK_", "TEXTUAL", "COLUMNS", "LINES", "XDG_", "COLORTERM", "NO_COLOR", "FORCE_COLOR",
                "LC_", "LANG")


@dataclass
class Times:
    first_byte: float
    first_frame: float
    first_content: float


@dataclass
class Case:
    name: str
    argv: list[str]
    markers: tuple[str, ...]
    extra_env: dict[str, str] = field(default_factory=dict)
    barrack: bool = False  # our app: PYTHONPATH is the repo
    kind: str = ""  # "account", "demo", "peer" or "" (bare)


@dataclass
class Failure:
    what: str
    why: str


FAILURES: list[Failure] = []


def visible(stream: bytes) -> str:
    """The text a terminal would print (escape sequences removed), decoded leniently."""
    return _ESCAPES.sub(b"", stream).decode("utf-8", "replace")


def complete_end(buffer: bytearray, start: int) -> int:
    """Where the scan of `buffer[start:]` may stop: before a trailing escape sequence that has not fully arrived."""
    last = buffer.rfind(b"\x1b", max(start, len(buffer) - 256))
    if last < 0 or _ESCAPES.match(buffer, last):
        return len(buffer)
    return last


def app_env(home: Path, extra: dict[str, str] | None = None, *, barrack: bool = True) -> dict[str, str]:
    """The caller's environment minus anything that would change how an app looks or what it reads; a fresh HOME.

    Every app reads and writes its bytecode in one cache of this run (PYTHONPYCACHEPREFIX), whatever the
    caller's PYTHONDONTWRITEBYTECODE: the warm-up round compiles, the counted rounds load compiled code, as an
    installed app does. Without it, a shell that sets PYTHONDONTWRITEBYTECODE had barrack-tui (run from this
    checkout, which holds no bytecode) compile ~70 modules on every start (~45 ms), while Textual and the
    peers, installed with their bytecode, did not.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(STRIPPED_ENV)}
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", HOME=str(home),
               BARRACK_CONFIG_DIR=str(home / "config"), BARRACK_DATA_DIR=str(home / "data"))
    if barrack:
        env["PYTHONPATH"] = str(REPO)
    env.update(extra or {})
    return env


# --- processes ------------------------------------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (index 0 is the state), or None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def session_pids(sid: int) -> list[int]:
    """Live (not zombie) processes whose session is `sid`."""
    found = []
    for pid in _all_pids():
        fields = _stat(pid)
        if fields and fields[0] != "Z" and int(fields[3]) == sid:
            found.append(pid)
    return found


def descendants(root: int) -> dict[int, str]:
    """Every live descendant of `root`: pid -> its start time (to tell it from a later process with the same pid)."""
    children: dict[int, list[tuple[int, str]]] = {}
    for pid in _all_pids():
        fields = _stat(pid)
        if fields and fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append((pid, fields[19]))
    found: dict[int, str] = {}
    todo = [root]
    while todo:
        for pid, started in children.get(todo.pop(), []):
            found[pid] = started
            todo.append(pid)
    return found


def _alive_as(pid: int, started: str) -> bool:
    fields = _stat(pid)
    return bool(fields) and fields[0] != "Z" and fields[19] == started


class Pty:
    """One app in a fresh pty at 120x40; its output is drained continuously (an app must never block on it)."""

    def __init__(self, argv: Sequence[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.output = bytearray()
        self.closed = False
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(list(argv), stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO,
                                     start_new_session=True, close_fds=True)
        os.close(slave)

    def pump(self, timeout: float) -> float | None:
        """Read what is there within `timeout`; the time of the read (from spawn), or None if nothing came."""
        if self.closed:
            time.sleep(timeout)
            return None
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return None
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:  # EIO: every slave side is closed, the app is gone
            chunk = b""
        if not chunk:
            self.closed = True
            return None
        self.output += chunk
        return time.perf_counter() - self.started

    def first_times(self, markers: Sequence[str], timeout: float = CASE_TIMEOUT) -> Times:
        """Read until the first frame is complete and every marker has been drawn (see the module docstring)."""
        first_byte = burst_end = first_frame = None
        found: dict[str, float] = {}
        text_from = scanned = -1  # where the text after ESC[?1049h starts; how far it has been scanned
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            at = self.pump(QUIET)
            if at is None:  # QUIET s of silence: a burst that started is over
                if burst_end is not None and first_frame is None:
                    first_frame = burst_end
                if first_frame is not None and len(found) == len(markers):
                    return Times(first_byte, first_frame, max(first_frame, *found.values()))
                if self.closed:
                    break
                continue
            if first_byte is None:
                first_byte = at
            if text_from < 0:
                alt = self.output.find(ALT_SCREEN)
                if alt < 0:
                    continue
                text_from = scanned = alt + len(ALT_SCREEN)
            end = complete_end(self.output, scanned)
            # 512 bytes of overlap: a marker (or an escape) split across two reads is still found whole.
            text = visible(bytes(self.output[max(text_from, scanned - 512):end]))
            scanned = end
            if first_frame is None and (burst_end is not None or _WORD.search(text)):
                burst_end = at
            for marker in markers:
                if marker not in found and marker in text:
                    found[marker] = at
        missing = [m for m in markers if m not in found]
        state = "exited" if self.proc.poll() is not None else "still running"
        tail = visible(bytes(self.output[-1200:]))
        raise RuntimeError(f"after {timeout:.0f} s ({state}, exit {self.proc.poll()}), first frame "
                           f"{'seen' if first_frame else 'never seen'}, never drawn: {missing}; last text: {tail!r}")

    def wait_text(self, markers: Sequence[str], since: int, timeout: float = CASE_TIMEOUT) -> None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            self.pump(0.05)
            text = visible(bytes(self.output[since:]))
            if all(m in text for m in markers):
                return
            if self.closed:
                break
        raise RuntimeError(f"never drew {list(markers)}: {visible(bytes(self.output[-1200:]))!r}")

    def drain(self, seconds: float) -> None:
        until = time.perf_counter() + seconds
        while (left := until - time.perf_counter()) > 0:
            self.pump(min(left, 0.05))

    def cpu_seconds(self) -> float:
        """utime + stime of every live process of the app's session, plus what the leader's reaped children used."""
        total = 0
        for pid in session_pids(self.proc.pid):
            fields = _stat(pid)
            if fields:
                total += int(fields[11]) + int(fields[12])
                if pid == self.proc.pid:
                    total += int(fields[13]) + int(fields[14])
        return total / CLOCK_TICKS

    def idle_cpu(self, seconds: float) -> float:
        """CPU of the app over `seconds` with no input, as % of one core."""
        before, started = self.cpu_seconds(), time.perf_counter()
        self.drain(seconds)
        return 100 * (self.cpu_seconds() - before) / (time.perf_counter() - started)

    def close(self) -> list[str]:
        """SIGKILL the process group; what was left running after it (each one killed too), as descriptions."""
        tree = descendants(self.proc.pid)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)
        os.close(self.master)
        left: list[str] = []
        deadline = time.perf_counter() + 5.0
        while True:
            stray = {pid for pid, started in tree.items() if _alive_as(pid, started)}
            stray |= set(session_pids(self.proc.pid))
            if not stray:
                return left
            if time.perf_counter() > deadline:
                for pid in stray:
                    left.append(f"pid {pid} {_cmdline(pid)!r}")
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                return left
            time.sleep(0.05)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:120]
    except OSError:
        return "?"


@contextmanager
def run_app(argv: Sequence[str], env: dict[str, str], what: str) -> Iterator[Pty]:
    term = Pty(argv, env)
    try:
        yield term
    finally:
        for stray in term.close():
            FAILURES.append(Failure(what, f"left running after the group was killed: {stray}"))


# --- the stub API ---------------------------------------------------------------------------------------------


@contextmanager
def stub_apis(kinds: Sequence[str]) -> Iterator[list[tuple[str, str]]]:
    """One `_startup_server.py` process per kind, started together; each one's (url, key)."""
    servers = [subprocess.Popen([sys.executable, str(BENCH / "_startup_server.py"), kind], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, cwd=REPO) for kind in kinds]
    try:
        answers = []
        for kind, server in zip(kinds, servers):
            line = server.stdout.readline().split()
            if len(line) != 2:
                raise RuntimeError(f"the {kind} stub API did not start (exit {server.poll()})")
            answers.append((line[0], line[1]))
        yield answers
    finally:
        for server in servers:
            server.stdin.close()
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def round_trip(url: str, key: str) -> float:
    """Median wall time of one instances list call (the whole list, one page), kept-alive connection."""
    import httpx

    params = {"page": 1, "per_page": 10_000}
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
        http.get("/api/v1/instances", params=params).raise_for_status()
        times = []
        for _ in range(7):
            started = time.perf_counter()
            http.get("/api/v1/instances", params=params).raise_for_status()
            times.append(time.perf_counter() - started)
    return median(times)


# --- peers ----------------------------------------------------------------------------------------------------


@dataclass
class Peer:
    name: str
    folder: str
    packages: list[str]
    argv: list[str]  # argv[0]: the script in the venv's bin
    markers: tuple[str, ...]


def peer_cases(scratch: Path) -> list[Case]:
    """Each peer installed once into its own venv (reused while its package list is unchanged)."""
    log = scratch / "app.log"
    log.write_text("".join(f"2026-12-03 10:{i // 60 % 60:02d}:{i % 60:02d} INFO worker {i:06d} handled a request\n"
                           for i in range(2000)))
    peers = [
        Peer("posting 2.11.1", "posting", ["posting==2.11.1", "tree-sitter<0.26"], ["posting"], ("Collection", "Send")),
        Peer("harlequin 2.17.0 (in-memory duckdb)", "harlequin", ["harlequin==2.17.0"],
             ["harlequin", "--locale", "C", ":memory:"], ("memory db", "Run Query")),
        Peer("toolong 1.5.0 (2,000-line log)", "toolong", ["toolong==1.5.0"], ["tl", str(log)], ("worker 001999",)),
    ]
    cases = []
    for peer in peers:
        venv = PEERS_DIR / peer.folder
        if install_peer(peer, venv):
            cases.append(Case(peer.name, [str(venv / "bin" / peer.argv[0]), *peer.argv[1:]], peer.markers, kind="peer"))
    return cases


def install_peer(peer: Peer, venv: Path) -> bool:
    stamp = venv / ".bench-installed"
    wanted = " ".join(peer.packages)
    if stamp.exists() and stamp.read_text() == wanted and (venv / "bin" / peer.argv[0]).exists():
        return True
    print(f"installing {' '.join(peer.packages)} into {venv.relative_to(REPO)} ...", flush=True)
    PEERS_DIR.mkdir(parents=True, exist_ok=True)
    steps = []
    if not (venv / "bin" / "python").exists():
        steps.append([shutil.which("python3") or sys.executable, "-m", "venv", str(venv)])
    steps.append([str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                  *peer.packages])
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            FAILURES.append(Failure(peer.name, f"install failed ({' '.join(step[:4])} ...): {done.stderr[-400:]}"))
            return False
    stamp.write_text(wanted)
    return True


# --- the measurements -----------------------------------------------------------------------------------------


def measure(cases: list[Case]) -> dict[str, list[Times]]:
    results: dict[str, list[Times]] = {case.name: [] for case in cases}
    broken: set[str] = set()
    for number in range(WARMUP_ROUNDS + ROUNDS):
        counted = number >= WARMUP_ROUNDS
        for case in cases:
            if case.name in broken:
                continue
            home = Path(tempfile.mkdtemp(prefix="startup-home-"))
            try:
                with run_app(case.argv, app_env(home, case.extra_env, barrack=case.barrack), case.name) as term:
                    times = term.first_times(case.markers)
                if counted:
                    results[case.name].append(times)
            except Exception as error:  # noqa: BLE001 - the case is reported as failed, the others go on
                FAILURES.append(Failure(case.name, str(error)))
                broken.add(case.name)
            finally:
                shutil.rmtree(home, ignore_errors=True)
            time.sleep(0.2)  # let the killed app's teardown finish before the next spawn
        print(f"round {number + 1 - WARMUP_ROUNDS if counted else 'warm-up'} done", file=sys.stderr, flush=True)
    return results


def instances_key() -> str:
    """The default key of the Instances mode (README's key table: a digit), from the keymap itself."""
    from barrack_tui.tui.shell.keymap import default_keys

    return default_keys()["mode.instances"][0]


def idle_rows(fleet_case: Case, bare: Case) -> list[list[object]]:
    rows: list[list[object]] = []
    home = Path(tempfile.mkdtemp(prefix="startup-idle-"))
    try:
        key = instances_key()
        with run_app(fleet_case.argv, app_env(home / "app", fleet_case.extra_env), "idle, barrack-tui") as term:
            term.first_times(fleet_case.markers)
            since = len(term.output)
            os.write(term.master, key.encode())
            term.wait_text(["sort ", "fleet-0"], since)  # the Instances title and its rows
            term.drain(SETTLE_SECONDS)
            cpu = term.idle_cpu(IDLE_SECONDS)
        rows.append([f"barrack-tui on Instances (key {key}), {FLEET:,} instances, default polling", cpu, "<= 2 %",
                     _met(cpu, 2.0)])
        with run_app(bare.argv, app_env(home / "bare", barrack=False), "idle, bare") as term:
            term.first_times(bare.markers)
            term.drain(SETTLE_SECONDS)
            cpu = term.idle_cpu(IDLE_SECONDS)
        rows.append([bare.name, cpu, "", ""])
    except Exception as error:  # noqa: BLE001 - reported as a failure; the tables are still printed
        FAILURES.append(Failure("idle", str(error)))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return rows


def _met(value: float | None, limit: float) -> str:
    if value is None or value != value:
        return ""
    return "met" if value <= limit else "not met"


FIELDS = (("first_byte", "first byte"), ("first_frame", "first frame"), ("first_content", "first content"))


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="startup-bench-"))
    python = sys.executable
    bare = Case("bare Textual (one Static)", [python, str(BENCH / "_startup_bare.py")], ("hello",))
    try:
        with stub_apis(["empty", str(FLEET)]) as [(empty_url, empty_key), (fleet_url, fleet_key)]:
            rtt = {"empty": round_trip(empty_url, empty_key), "fleet": round_trip(fleet_url, fleet_key)}
            account = [python, "-m", "barrack_tui", "--base-url"]
            empty = Case("barrack-tui, real-account path, empty account", [*account, empty_url],
                         ("none here", "burn 0.00/h"), {"BARRACK_API_KEY": empty_key}, barrack=True, kind="account")
            fleet = Case(f"barrack-tui, real-account path, {FLEET:,} instances", [*account, fleet_url],
                         ("fleet-00001",), {"BARRACK_API_KEY": fleet_key}, barrack=True, kind="account")
            demo = Case("barrack-tui --demo", [python, "-m", "barrack_tui", "--demo"], ("gpu-train-1",),
                        barrack=True, kind="demo")
            cases = [bare, empty, fleet, demo]
            if WITH_PEERS:
                cases += peer_cases(scratch)
            results = measure(cases)
            idle = idle_rows(fleet, bare)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(PYCACHE, ignore_errors=True)
    report(cases, results, rtt, {empty.name: "empty", fleet.name: "fleet"}, idle)
    for failure in FAILURES:
        print(f"FAILED: {failure.what}: {failure.why}", file=sys.stderr)
    return 1 if FAILURES else 0


def report(cases: list[Case], results: dict[str, list[Times]], rtt: dict[str, float],
           account_of: dict[str, str], idle: list[list[object]]) -> None:
    common.RUNS = ROUNDS  # the tables' titles say how many rounds the medians are of
    med = {case.name: {f: median([getattr(t, f) for t in results[case.name]]) for f, _ in FIELDS} for case in cases}
    base = med[cases[0].name]
    peers = [case for case in cases if case.kind == "peer" and results[case.name]]
    fastest_peer = min((med[p.name]["first_content"] for p in peers), default=float("nan"))
    limits: dict[tuple[str, str], tuple[str, float]] = {}  # (case, field) -> (target text, limit in s)
    for case in cases:
        if case.kind in ("account", "demo"):
            limits[case.name, "first_frame"] = ("<= 1.3x bare", 1.3 * base["first_frame"])
        if case.kind == "demo":
            limits[case.name, "first_content"] = ("<= 2.0x bare", 2.0 * base["first_content"])
        if case.kind == "account":
            limit = base["first_content"] + rtt[account_of[case.name]] + 0.2
            limits[case.name, "first_content"] = (f"<= bare + rtt + 0.2 = {limit:.3f}", limit)
    for field_name, title in FIELDS:
        rows = []
        for case in cases:
            values = [getattr(t, field_name) for t in results[case.name]]
            if not values:
                rows.append([case.name, "failed", "", "", "", "", ""])
                continue
            target, limit = limits.get((case.name, field_name), ("", float("nan")))
            value = med[case.name][field_name]
            rows.append([case.name, min(values), value, max(values), f"{value / base[field_name]:.2f}x", target,
                         _met(value, limit) if target else ""])
        print_table(f"startup, {title}: spawn -> {title}, pty {COLUMNS}x{ROWS}, s ({ROUNDS} rounds, interleaved)",
                    ["case", "min", "median", "max", "x bare", "target", "met?"], rows)
    print(f"\nAPI round trip (GET /api/v1/instances, whole list, loopback, median of 7): "
          f"empty account {rtt['empty'] * 1000:.1f} ms, {FLEET:,} instances {rtt['fleet'] * 1000:.1f} ms")
    if peers:
        fastest = min(peers, key=lambda p: med[p.name]["first_content"])
        ours = [case for case in cases if case.kind in ("account", "demo") and results[case.name]]
        rows = [[case.name, med[case.name]["first_content"], f"{fastest.name.split(' (')[0]}: {fastest_peer:.3f}",
                 "< every peer", _met(med[case.name]["first_content"], fastest_peer - 1e-9)] for case in ours]
        print_table("startup, first content against the fastest peer's (medians, s)",
                    ["case", "first content", "fastest peer", "target", "met?"], rows)
    common.RUNS = 1
    print_table(f"idle: CPU over {IDLE_SECONDS:.0f} s with no keys, % of one core (one window)",
                ["case", "cpu %", "target", "met?"], idle)


if __name__ == "__main__":
    sys.exit(main())
