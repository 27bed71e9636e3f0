"""The account summary the chat attaches: instances with status and price, volumes with attachment, balance."""

from __future__ import annotations

import httpx

from barrack_tui.api.client import BarrackClient
from barrack_tui.chat.context import CONTEXT_PREFIX, MAX_LISTED, account_summary
from barrack_tui.rules.volumes import MSG_DETACH_NOT_SHUTOFF
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.routes.chat import CONTEXT_PREFIX as SIM_CONTEXT_PREFIX
from barrack_tui.sim.seed import seed_demo, seed_fleet
from barrack_tui.sim.state import DEMO_API_KEY


async def fetch(state):
    transport = httpx.ASGITransport(app=create_app(state))
    async with BarrackClient("http://sim", DEMO_API_KEY, transport=transport) as client:
        return await client.list_instances(), (await client.list_volumes()).volumes, await client.get_balance()


async def test_summary_names_status_prices_attachments_and_balance():
    instances, volumes, balance = await fetch(seed_demo(FakeClock()))
    text = account_summary(instances, volumes, balance)
    lines = text.splitlines()
    assert lines[0] == CONTEXT_PREFIX == SIM_CONTEXT_PREFIX
    assert "Balance: 500.00 USD" in lines
    assert (
        "- notebook-a6000 [HIBERNATED] CANADA-1, 1x RTX-A6000; list price 0.69 USD/h, billed now 0.01 USD/h" in lines
    )
    data_1 = next(line for line in lines if line.startswith("- data-1 "))
    assert "attached to inference-a100 [ACTIVE]" in data_1
    assert MSG_DETACH_NOT_SHUTOFF.format(status="ACTIVE") in data_1
    datasets = next(line for line in lines if line.startswith("- datasets "))
    assert "attached to batch-l40 [SHUTOFF]; can be detached now" in datasets
    assert any(line.startswith("- volume1 ") and "not attached" in line for line in lines)


async def test_hostile_names_arrive_sanitized_and_are_only_text():
    state = seed_demo(FakeClock())
    next(iter(state.instances.values())).name = "gpu\x1b]52;c;Zm9v\x07 [@click=app.quit]x[/]"
    instances, volumes, balance = await fetch(state)
    text = account_summary(instances, volumes, balance)
    assert "\x1b" not in text and "\x07" not in text
    assert "gpu\\x1b]52;c;Zm9v\\x07 [@click=app.quit]x[/]" in text


async def test_a_large_fleet_is_counted_not_listed():
    state = seed_demo(FakeClock())
    seed_fleet(state, 120)
    instances, volumes, balance = await fetch(state)
    text = account_summary(instances, volumes, balance)
    listed = [line for line in text.splitlines() if line.startswith("- ") and "[" in line and "list price" in line]
    assert len(listed) == MAX_LISTED
    assert f"- … and {len(instances) - MAX_LISTED} more" in text


def test_without_data_the_summary_says_so():
    assert account_summary([], [], None, snapshots=[]).splitlines() == [
        CONTEXT_PREFIX,
        "Balance: unknown (not loaded yet)",
        "Cost per hour now: instances 0.00 USD/h + storage 0.00 USD/h (volumes 0.00 USD/h, snapshots 0.00 USD/h)"
        " = 0.00 USD/h in all",
        "Instances: none",
        "Volumes: none",
    ]


def test_a_list_that_could_not_be_loaded_is_unknown_not_empty():
    assert account_summary(None, None, None).splitlines() == [
        CONTEXT_PREFIX,
        "Balance: unknown (not loaded yet)",
        "Cost per hour now: instances unknown + storage at least 0.00 USD/h (volumes unknown, snapshots unknown);"
        " the total is not known while a list is unknown",
        "Instances: unknown (the list could not be loaded)",
        "Volumes: unknown (the list could not be loaded)",
    ]
