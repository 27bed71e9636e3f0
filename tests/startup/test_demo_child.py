"""`--demo` serves from a child process that never outlives the app, however the app ends."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx

from barrack_tui.sim.child import spawn
from tests.security.pty_terminal import PtyProcess

REPO = Path(__file__).resolve().parents[2]


def children_of(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def is_gone(pid: int) -> bool:
    """Gone, or a zombie nobody has reaped yet (it runs nothing and holds no port)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def within(timeout: float, condition) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_kill_9_of_the_app_leaves_no_simulator_behind(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BARRACK_", "TEXTUAL", "COLUMNS", "LINES"))}
    env.update(TERM="xterm-256color", HOME=str(tmp_path / "home"), BARRACK_CONFIG_DIR=str(tmp_path / "config"),
               BARRACK_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO))
    term = PtyProcess([sys.executable, "-m", "barrack_tui", "--demo"], env=env, cwd=str(REPO))
    try:
        assert term.wait_for_text("DEMO", timeout=30), "the demo never drew its first frame"
        assert term.wait_for_text("NORWAY-1", timeout=30), "the demo's data never arrived"
        sims = [pid for pid in children_of(term.proc.pid)
                if b"barrack_tui.sim.child" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(sims) == 1, f"expected one simulator child, found {sims}"
        os.kill(term.proc.pid, signal.SIGKILL)  # the app alone, not its process group
        term.proc.wait(timeout=10)
        assert within(10, lambda: is_gone(sims[0])), "the simulator outlived the app"
        log = tmp_path / "data" / "demo" / "simulator.log"
        assert log.exists() and stat.S_IMODE(log.stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
        assert "demo-key" not in log.read_text()
    finally:
        term.close()


def test_the_child_exits_when_the_pipe_from_the_app_closes(tmp_path):
    child = spawn(tmp_path / "demo").ready()
    answer = httpx.get(f"{child.url}/api/v1/regions", headers={"Authorization": f"Bearer {child.api_key}"})
    assert answer.status_code == 200
    assert child.url.startswith("http://127.0.0.1:")
    child.process.stdin.close()  # what the kernel does to the app's end when the app dies
    assert child.process.wait(timeout=10) == 0
    child.stop()


def test_a_child_that_cannot_start_is_reported_with_its_log(tmp_path, monkeypatch):
    from barrack_tui.sim import child as child_module

    monkeypatch.setattr(child_module, "_MODULE", "barrack_tui.sim.no_such_module")
    started = child_module.spawn(tmp_path / "demo")
    try:
        started.ready(timeout=20)
    except RuntimeError as error:
        assert "exited before serving" in str(error) and "No module named" in str(error)
    else:
        raise AssertionError("a child that cannot start was taken as ready")


def test_a_child_that_fails_after_announcing_its_port_answers_why(tmp_path, monkeypatch):
    # The child announces its port before it builds the simulator: a failure after that cannot be reported on
    # the pipe, so every request the full simulator was to answer gets a 503 that says what went wrong, and the
    # log keeps the traceback. The first screen's reads, answered from the seeded account before the full
    # simulator exists (sim/first_answers.py), are still answered.
    from barrack_tui.sim import child as child_module

    monkeypatch.setattr(child_module, "_MODULE", "tests.startup.failing_child")
    started = child_module.spawn(tmp_path / "demo").ready(timeout=20)
    try:
        headers = {"Authorization": f"Bearer {started.api_key}"}
        for _ in range(2):  # every request, not only the first
            answer = httpx.get(f"{started.url}/api/v1/ssh-keys", headers=headers, timeout=10)
            assert answer.status_code == 503
            error = answer.json()["error"]
            assert error["code"] == "SIMULATOR_FAILED" and "the seed is broken" in error["message"]
        posted = httpx.post(f"{started.url}/api/v1/instances", headers=headers, json={"name": "x"}, timeout=10)
        assert posted.status_code == 503
        listed = httpx.get(f"{started.url}/api/v1/instances", headers=headers, timeout=10)
        assert listed.status_code == 200 and listed.json()["instances"]
        assert "RuntimeError: the seed is broken" in started.log_path.read_text()
    finally:
        started.stop()


def test_a_child_whose_first_answers_cannot_start_answers_every_request_why(tmp_path, monkeypatch):
    from barrack_tui.sim import child as child_module

    monkeypatch.setattr(child_module, "_MODULE", "tests.startup.failing_first_answers_child")
    started = child_module.spawn(tmp_path / "demo").ready(timeout=20)
    try:
        headers = {"Authorization": f"Bearer {started.api_key}"}
        for path in ("/api/v1/balance", "/api/v1/ssh-keys"):
            answer = httpx.get(f"{started.url}{path}", headers=headers, timeout=10)
            assert answer.status_code == 503 and "no first answers" in answer.json()["error"]["message"]
        assert "RuntimeError: no first answers" in started.log_path.read_text()
    finally:
        started.stop()


def test_the_child_answers_on_one_connection_before_and_after_its_full_simulator_is_up(tmp_path):
    child = spawn(tmp_path / "demo", envelope=True).ready()
    try:
        with httpx.Client(base_url=child.url, headers={"Authorization": f"Bearer {child.api_key}"}, timeout=10) as client:
            first = client.get("/api/v1/instances", params={"page": 1, "per_page": 10000})
            assert first.status_code == 200 and first.json()["success"] is True
            active = next(i for i in first.json()["data"]["instances"] if i["status"] == "ACTIVE")
            stopped = client.post(f"/api/v1/instances/{active['id']}/stop")  # only the full simulator answers this
            assert stopped.status_code == 202, stopped.text
            again = client.get("/api/v1/instances", params={"page": 1, "per_page": 10000}).json()["data"]
            assert next(i for i in again["instances"] if i["id"] == active["id"])["status"] != "ACTIVE"
            assert client.get("/api/v1/balance").headers["x-request-id"]
    finally:
        child.stop()


def test_uvicorns_shell_in_the_child_completes_itself_when_asked_for_more():
    # The child imports uvicorn without its command line; anything asking the package for another name gets it.
    script = """
import sys
from barrack_tui.sim.child import _uvicorn_without_its_command_line
_uvicorn_without_its_command_line()
import uvicorn
from uvicorn.config import Config
from uvicorn.server import Server
assert uvicorn.Config is Config and uvicorn.Server is Server
assert "uvicorn.main" not in sys.modules and "click" not in sys.modules
from uvicorn import run, main
assert callable(run) and uvicorn.__version__
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.split() == ["ok"], out.stderr
