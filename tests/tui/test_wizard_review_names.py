"""The deploy review names SSH keys as the user knows them: their names in the summary, each id named in the request."""

from __future__ import annotations

import json
import re

from rich.console import Console
from textual.widgets import SelectionList

from barrack_tui.tui.areas.instances.deploy.steps.review import key_names, request_text
from tests.harness import make_harness, settle
from tests.tui.test_instances_wizard import next_step, text, to_advanced


def shown(renderable) -> str:
    console = Console(width=200, color_system=None, record=True)
    console.print(renderable)
    return console.export_text()


async def test_review_lists_the_chosen_keys_by_name_and_names_each_id_in_the_request() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await to_advanced(h, pilot, name="named-keys")
        keys = wizard.query_one("#step-keys").keys
        # A second key, so the list shows more than one name and in the order chosen.
        wizard.go_to("keys")
        selection = wizard.query_one("#wiz-keys", SelectionList)
        await settle(pilot)  # the step reloads its list on entry, with the keys already chosen
        assert list(selection.selected) == [keys[0].id]
        selection.select(keys[1].id)
        await next_step(pilot, wizard)
        await next_step(pilot, wizard)
        assert wizard.step.KEY == "review"
        chosen = wizard.form.ssh_key_ids
        names = [next(k.name for k in keys if k.id == key_id) for key_id in chosen]
        assert len(names) == 2
        summary = shown(wizard.query_one("#wiz-review-costs").content)
        assert re.search(rf"^SSH keys +{re.escape(', '.join(names))} *$", summary, flags=re.M)
        assert not any(key_id in summary for key_id in chosen)
        request = text(wizard.query_one("#wiz-review-json"))
        for key_id, name in zip(chosen, names, strict=True):
            assert any(f'"{key_id}"' in line and line.endswith(f"← {name}") for line in request.splitlines())


def test_the_request_stays_exact_json_once_the_names_are_taken_off() -> None:
    body = {"name": "box", "ssh_key_ids": ["key-1", "key-2"], "security_rules": [], "tags": ["key-1"]}
    raw = json.dumps(body, indent=2)
    rendered = request_text(raw, {"key-1": "laptop", "key-2": "key-2"}).plain
    assert '"key-1",  ← laptop' in rendered
    assert '"key-2"\n' in rendered + "\n"  # an id with no name of its own is not annotated with itself
    assert '  "tags": [\n    "key-1"\n' in rendered  # only the key list is annotated
    cleaned = "\n".join(line.split("  ← ")[0] for line in rendered.splitlines())
    assert json.loads(cleaned) == body


def test_names_come_from_the_first_source_that_knows_the_key() -> None:
    class Key:
        def __init__(self, key_id: str, name: str) -> None:
            self.id, self.name = key_id, name

    store = [Key("key-1", "laptop")]
    added_in_wizard = [Key("key-1", "stale"), Key("key-9", "fresh")]
    assert key_names(["key-9", "key-1", "key-gone"], store, added_in_wizard) == {
        "key-9": "fresh",
        "key-1": "laptop",
        "key-gone": "key-gone",
    }
