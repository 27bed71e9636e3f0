"""Loading the client ahead of the session: `api.preload()` leaves the first requests nothing to load, and
httpx comes without its command-line client. Each check runs in a fresh interpreter, which is what it is about."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from barrack_tui.sim.server import start_background

REPO = Path(__file__).resolve().parents[2]

# The reads a session starts with (the store's first poll on the Regions screen), after preload().
FIRST_READS = r"""
import asyncio, gc, inspect, json, sys
import pydantic
from barrack_tui import api

url, key = sys.argv[1], sys.argv[2]
api.preload(url)
collector_on = gc.isenabled()
from barrack_tui.api.client import BarrackClient

def built():
    return {f"{name}.{value.__qualname__}" for name, module in list(sys.modules.items()) if name.startswith("barrack_tui.api")
            for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, pydantic.BaseModel) and value.__dict__.get("__pydantic_complete__")}

async def first_reads():
    client = BarrackClient(url, key)
    await client.get_balance()
    await asyncio.gather(client.list_instances_incremental(None), client.list_keyed_incremental("volumes", None),
                         client.list_keyed_incremental("snapshots", None), client.list_regions(), client.get_gpu_stocks(),
                         client.get_pricing("USD"))
    await client.aclose()

modules, models = set(sys.modules), built()
asyncio.run(first_reads())
print(json.dumps({"imported": sorted(set(sys.modules) - modules), "built": sorted(built() - models),
                  "collector_on": collector_on}))
"""

CLIENT_ALONE = r"""
import json, sys
import barrack_tui.api.client
import httpx
loaded = sorted(name for name in ("httpx._main", "click", "pygments", "rich.progress") if name in sys.modules)
print(json.dumps({"loaded": loaded, "main_from": httpx.main.__module__, "cli_blocked": "httpx._main" in sys.modules}))
"""


HTTPS = r"""
import json, sys
from barrack_tui import api
from barrack_tui.api import transport
api.preload(sys.argv[1])
print(json.dumps({"contexts": transport._context_for.cache_info().currsize}))
"""


def run(code: str, *args: str, **env_vars: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("BARRACK_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")}
    env.update(PYTHONPATH=str(REPO), **env_vars)
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=90)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def sim():
    with start_background() as running:
        yield running


def test_after_preload_the_first_reads_import_nothing_and_build_no_validator(sim):
    result = run(FIRST_READS, sim.url, sim.api_key)
    assert result["imported"] == [], "the first requests still import these on the app's loop"
    assert result["built"] == [], "the first answers still build these models' validators on the app's loop"
    assert result["collector_on"], "preload left the cyclic collector paused"


def test_the_client_loads_httpx_without_its_command_line_client():
    result = run(CLIENT_ALONE)
    assert result["loaded"] == []
    assert result["main_from"] == "httpx", "httpx's own stub `main`, bound when its CLI module cannot load"
    assert not result["cli_blocked"], "the block is lifted once httpx is imported"


def test_preload_for_an_https_account_loads_its_tls_context_and_leaves_a_bad_bundle_to_the_client(tmp_path):
    assert run(HTTPS, "https://api.example.test")["contexts"] == 1
    assert run(HTTPS, "http://127.0.0.1:8000")["contexts"] == 0, "plain loopback http needs no CA bundle"
    missing = str(tmp_path / "no-such-bundle.pem")
    assert run(HTTPS, "https://api.example.test", BARRACK_CA_BUNDLE=missing)["contexts"] == 0
