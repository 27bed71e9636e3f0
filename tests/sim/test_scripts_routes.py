"""Startup scripts through HTTP: create, read, update, delete, bulk delete, and their validation."""

from __future__ import annotations

from barrack_tui.api.models import Script, ScriptListResponse
from barrack_tui.api.routes import ROUTES
from barrack_tui.rules.validators import MSG_NAME_CHARSET, MSG_NAME_TAKEN, MSG_SCRIPT_EMPTY, MSG_SCRIPT_TOO_LARGE
from tests.sim.resource_world import client, clock, error_of, field_messages, state  # noqa: F401

SCRIPT = "#!/bin/bash\napt-get update\n"


async def test_seeded_scripts_are_listed(client, state):
    scripts = ScriptListResponse.model_validate((await client.get(ROUTES["list_scripts"].url())).json()).scripts
    assert [s.name for s in scripts] == [s.name for s in sorted(state.scripts.values(), key=lambda s: s.created_at)]
    assert len(scripts) == 2
    assert all(s.content.startswith("#!/bin/bash") for s in scripts)


async def test_create_get_update_delete(client, state, clock):
    response = await client.post(ROUTES["create_script"].url(), json={"name": "setup", "content": SCRIPT})
    assert response.status_code == 201
    created = Script.model_validate(response.json())
    assert (created.name, created.content) == ("setup", SCRIPT)

    fetched = Script.model_validate((await client.get(ROUTES["get_script"].url(id=created.id))).json())
    assert fetched == created

    clock.advance(60)
    updated = await client.put(ROUTES["update_script"].url(id=created.id), json={"content": SCRIPT + "reboot\n"})
    assert updated.status_code == 200
    body = Script.model_validate(updated.json())
    assert (body.name, body.content) == ("setup", SCRIPT + "reboot\n")
    assert body.updated_at > created.updated_at and body.created_at == created.created_at

    renamed = Script.model_validate((await client.put(ROUTES["update_script"].url(id=created.id), json={"name": "setup-v2"})).json())
    assert (renamed.name, renamed.content) == ("setup-v2", SCRIPT + "reboot\n")

    assert (await client.delete(ROUTES["delete_script"].url(id=created.id))).status_code == 200
    assert (await client.get(ROUTES["get_script"].url(id=created.id))).status_code == 404
    assert (await client.delete(ROUTES["delete_script"].url(id=created.id))).status_code == 404


async def test_content_over_16_kb_is_422(client):
    content = "#" * 16_385
    response = await client.post(ROUTES["create_script"].url(), json={"name": "huge", "content": content})
    assert field_messages(response) == {"content": MSG_SCRIPT_TOO_LARGE.format(size=16_385)}


async def test_exactly_16_kb_is_accepted(client):
    response = await client.post(ROUTES["create_script"].url(), json={"name": "full", "content": "#" * 16_384})
    assert response.status_code == 201


async def test_empty_content_and_bad_name_are_422_together(client):
    response = await client.post(ROUTES["create_script"].url(), json={"name": "a/b", "content": "  "})
    assert field_messages(response) == {"name": MSG_NAME_CHARSET, "content": MSG_SCRIPT_EMPTY}


async def test_duplicate_name_is_409_on_create_and_on_rename(client, state):
    first, second = sorted(state.scripts.values(), key=lambda s: s.created_at)
    response = await client.post(ROUTES["create_script"].url(), json={"name": first.name, "content": SCRIPT})
    assert response.status_code == 409
    assert error_of(response)["message"] == MSG_NAME_TAKEN.format(name=first.name, kind="script")

    rename = await client.put(ROUTES["update_script"].url(id=second.id), json={"name": first.name})
    assert rename.status_code == 409
    assert state.scripts[second.id].name != first.name
    # Keeping its own name is not a conflict.
    assert (await client.put(ROUTES["update_script"].url(id=second.id), json={"name": second.name})).status_code == 200


async def test_bulk_delete_removes_exactly_the_given_scripts(client, state):
    ids = [(await client.post(ROUTES["create_script"].url(), json={"name": f"s{n}", "content": SCRIPT})).json()["id"] for n in range(3)]
    response = await client.post(ROUTES["bulk_delete_scripts"].url(), json={"ids": ids[:2]})
    assert response.status_code == 200
    assert response.json()["deleted"] == ids[:2]
    remaining = {s["id"] for s in (await client.get(ROUTES["list_scripts"].url())).json()["scripts"]}
    assert ids[2] in remaining and not remaining & set(ids[:2])


async def test_bulk_delete_with_an_unknown_id_deletes_nothing(client, state):
    existing = list(state.scripts)
    response = await client.post(ROUTES["bulk_delete_scripts"].url(), json={"ids": [existing[0], "scr-9999"]})
    assert response.status_code == 404
    assert list(state.scripts) == existing


async def test_bulk_delete_needs_at_least_one_id(client):
    assert (await client.post(ROUTES["bulk_delete_scripts"].url(), json={"ids": []})).status_code == 422
