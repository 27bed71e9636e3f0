"""The simulator refuses a public key the account already holds: 409, the rule's words, nothing saved."""

from __future__ import annotations

from barrack_tui.api.routes import ROUTES
from barrack_tui.rules.sshkeys import KEY_DUPLICATE, MSG_KEY_DUPLICATE
from tests.sim.resource_world import client, clock, error_of, state  # noqa: F401


async def test_importing_a_saved_key_again_is_a_409_naming_the_key_that_holds_it(client, state):
    saved = next(k for k in state.ssh_keys.values() if k.public_key.startswith("ssh-ed25519"))
    key_type, blob = saved.public_key.split()[:2]
    before = len(state.ssh_keys)
    response = await client.post(ROUTES["create_ssh_key"].url(), json={"name": "same-key-again", "public_key": f"{key_type} {blob} other@host\n"})
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == KEY_DUPLICATE
    assert error["message"] == MSG_KEY_DUPLICATE.format(name=saved.name)
    assert len(state.ssh_keys) == before


async def test_a_generated_pair_is_never_a_duplicate(client, state):
    response = await client.post(ROUTES["create_ssh_key"].url(), json={"name": "fresh-pair"})
    assert response.status_code == 201
