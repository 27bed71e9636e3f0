"""Regenerate screenshots/*.svg: the real app against the simulator, frozen clock, 120x40.

Each `shots_<area>.py` beside this file has `async def shoot(pilot, save)`,
which drives the app to its screens and modals and calls `save("<name>")`.
Every area starts from a fresh seeded simulator, so one area's actions never
show up in another's pictures.

    python screenshots/make_screenshots.py            # all areas
    python screenshots/make_screenshots.py volumes    # only shots_volumes.py
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from tests.harness import make_harness, still_cursor  # noqa: E402

SIZE = (120, 40)


async def shoot_area(area: str) -> list[str]:
    module = importlib.import_module(f"shots_{area}")
    with tempfile.TemporaryDirectory(prefix="barrack-shots-") as data:
        # A data dir of its own per area: the app writes its activity log and UI state there, and a picture
        # must show this run's session, never an earlier run's or the developer's own.
        os.environ["BARRACK_DATA_DIR"] = data
        return await _shoot(module)


async def _shoot(module: object) -> list[str]:
    harness = make_harness(initial_mode=getattr(module, "INITIAL_MODE", "regions"))
    saved: list[str] = []
    async with harness.app.run_test(size=SIZE) as pilot:
        await harness.poll()
        await pilot.pause()

        def save(name: str) -> None:
            still_cursor(pilot.app)
            pilot.app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
            saved.append(name)

        if getattr(module, "NEEDS_HARNESS", False):  # moves the simulator's clock (what the pollers then see)
            await module.shoot(pilot, save, harness)  # type: ignore[attr-defined]
        else:
            await module.shoot(pilot, save)  # type: ignore[attr-defined]
    return saved


def main(argv: list[str]) -> int:
    areas = argv or sorted(p.stem.removeprefix("shots_") for p in HERE.glob("shots_*.py"))
    for area in areas:
        names = asyncio.run(shoot_area(area))
        print(f"{area}: {', '.join(names) or 'nothing saved'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
