"""Simulator: requests per second and p99 latency of `GET /instances` with 10,000 instances on loopback.

Bounded: a fixed number of sequential requests from one client to a
simulator on 127.0.0.1 that this script starts and stops.
"""

from __future__ import annotations

import time

import httpx
from common import SMOKE, p99, print_table

from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo, seed_fleet
from barrack_tui.sim.server import start_background


def measure(fleet: int, requests: int) -> tuple[float, float, float]:
    state = seed_demo(FakeClock())
    seed_fleet(state, fleet)
    running = start_background(state=state)
    latencies = []
    try:
        with httpx.Client(base_url=running.url, headers={"Authorization": f"Bearer {running.api_key}"}, timeout=60) as client:
            client.get("/api/v1/instances", params={"per_page": 10000}).raise_for_status()  # warm-up
            started = time.perf_counter()
            for _ in range(requests):
                t = time.perf_counter()
                client.get("/api/v1/instances", params={"per_page": 10000}).raise_for_status()
                latencies.append(time.perf_counter() - t)
            elapsed = time.perf_counter() - started
    finally:
        running.stop()
    return requests / elapsed, p99(latencies) * 1000, sum(latencies) / len(latencies) * 1000


def main() -> None:
    rows = []
    for fleet, count in ((100, 200), (10_000, 5 if SMOKE else 30)):
        rps, tail, mean = measure(fleet, count)
        rows.append([f"{fleet} instances", count, rps, mean, tail])
    print_table("simulator: GET /instances (whole fleet, one page) on loopback", ["fleet", "requests", "req/s", "mean ms", "p99 ms"], rows)


if __name__ == "__main__":
    main()
