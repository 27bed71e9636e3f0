"""Forms use the limits the server states in its pricing quote: the volume minimum, GPUs per instance.

The simulator states what it enforces (`sim.catalogue.VOLUME_MINIMUM_GB`,
`rules.pricing.GPU_MAX_COUNT`), so a test that changes a figure changes both
what the quote says and what the simulator refuses.
"""

from __future__ import annotations

from textual.widgets import Input, OptionList

from barrack_tui.api.client import BarrackClient
from barrack_tui.api.errors import InvalidRequestError, NotFoundError
from barrack_tui.rules.pricing import GPU_MAX_COUNT
from barrack_tui.sim import catalogue
from barrack_tui.tui.areas.instances.deploy.steps import GpuStep
from barrack_tui.tui.kit.server_limits import limits_cache
from tests.harness import make_harness, wait_until
from tests.tui.test_instances_wizard import open_wizard, step_region, text
from tests.tui.test_volumes_create import create_disabled, message, open_form, type_into
from tests.tui.volumes_support import WIDE, text_of, volumes_harness


def quotes_asked(h) -> int:
    return sum(count for template, count in h.state.request_counts.items() if template.startswith("POST") and "pricing" in template)


def cost_shown(modal) -> str:
    return text_of(modal.query_one("#create-size-cost"))


async def test_the_volume_form_follows_the_servers_stated_minimum(monkeypatch) -> None:
    monkeypatch.setattr(catalogue, "VOLUME_MINIMUM_GB", 100)
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_form(h, pilot)
        hint = modal.query_one("#create-size-limit")
        await wait_until(pilot, lambda: hint.display, what="the stated minimum")
        assert text_of(hint) == "At least 100 GB: the smallest volume this server creates"
        # The untouched default (50 GB) would be refused: it starts at the server's minimum instead.
        assert modal.query_one("#create-size", Input).value == "100"
        assert message(modal, "size") == "" and not create_disabled(modal)

        await type_into(pilot, modal, "size", "50")
        assert message(modal, "size") == "Size must be at least 100 GB"
        assert create_disabled(modal) and cost_shown(modal) == ""

        await type_into(pilot, modal, "size", "120")
        assert message(modal, "size") == "" and not create_disabled(modal)
        await pilot.click("#create-confirm")
        await wait_until(pilot, lambda: any(v.size_gb == 120 for v in h.state.volumes.values()), what="the volume")


async def test_the_simulator_refuses_what_the_form_refuses(monkeypatch) -> None:
    monkeypatch.setattr(catalogue, "VOLUME_MINIMUM_GB", 100)
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_form(h, pilot)
        await wait_until(pilot, lambda: modal.query_one("#create-size-limit").display, what="the stated minimum")
        await type_into(pilot, modal, "size", "50")
        form_says = message(modal, "size")
        try:
            await h.app.client.create_volume({"name": "tiny", "region": "NORWAY-1", "size_gb": 50})
        except InvalidRequestError as exc:
            assert exc.fields == {"size_gb": form_says}
        else:
            raise AssertionError("the simulator created a volume below the minimum it states")


async def test_without_a_stated_minimum_the_form_keeps_ours(monkeypatch) -> None:
    async def no_quote(self, request):  # noqa: ANN001 - an older server: no such operation
        raise NotFoundError(404, "NOT_FOUND", "Not Found")

    monkeypatch.setattr(BarrackClient, "quote_price", no_quote)
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_form(h, pilot)
        await wait_until(pilot, lambda: limits_cache(h.app.client).known() is not None, what="the quote's answer")
        assert not modal.query_one("#create-size-limit").display
        assert modal.query_one("#create-size", Input).value == "50"
        await type_into(pilot, modal, "size", "9")
        assert message(modal, "size") == "Size must be at least 10 GB"


async def test_the_limits_are_asked_for_once_per_session() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_form(h, pilot)
        await wait_until(pilot, lambda: limits_cache(h.app.client).known() is not None, what="the limits")
        await pilot.press("escape")
        await pilot.pause()
        modal = await open_form(h, pilot)
        await type_into(pilot, modal, "size", "9")
        assert message(modal, "size") == "Size must be at least 10 GB"
        assert quotes_asked(h) == 1


async def test_the_wizard_offers_no_more_gpus_than_the_server_allows(monkeypatch) -> None:
    monkeypatch.setitem(GPU_MAX_COUNT, "L40", 2)
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(h, pilot)
        await step_region(pilot, wizard, "capped", "US-1")
        gpu = wizard.query_one(GpuStep)
        await wait_until(pilot, lambda: "at most 2" in text(wizard.query_one("#wiz-gpu-note")), what="the stated maximum")
        offered = {(c.gpu_model, c.gpu_count) for c in gpu.choices}
        assert ("L40", 1) in offered and ("L40", 2) in offered
        assert not {("L40", 4), ("L40", 8)} & offered
        assert ("RTX-A6000", 8) in offered  # other models keep their counts
        assert "L40: at most 2 per instance on this server." in text(wizard.query_one("#wiz-gpu-note"))
        assert wizard.query_one("#wiz-gpu", OptionList).option_count == len(gpu.choices)
        # The deploy rule gets the same maximum as the list.
        index = next(i for i, c in enumerate(gpu.choices) if (c.gpu_model, c.gpu_count) == ("L40", 2))
        wizard.query_one("#wiz-gpu", OptionList).highlighted = index
        await pilot.pause()
        assert wizard.form.gpu_max_count == 2
        wizard.form.gpu_count = 4
        assert wizard.form.verdicts(set())["gpu_count"].message == "At most 2 × L40 per instance"
