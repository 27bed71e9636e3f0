"""SSH keys through HTTP (K1): import, generate (the private key once), limits, delete while in use."""

from __future__ import annotations

import base64
import hashlib
import logging

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from barrack_tui.api.models import CreateSSHKeyResponse, GetSSHKeysResponse
from barrack_tui.api.models.common import VMStatus
from barrack_tui.api.routes import ROUTES
from barrack_tui.rules import resources as res_rules
from barrack_tui.rules.sshkeys import MSG_KEY_PRIVATE, MSG_KEY_TYPE
from barrack_tui.rules.validators import MSG_KEY_NAME_SPACES, MSG_NAME_TAKEN
from barrack_tui.sim.keygen import fingerprint
from barrack_tui.sim.seed_resources import ed25519_public_key
from barrack_tui.sim.state import SSHKeyRecord
from tests.sim.resource_world import client, clock, error_of, field_messages, instance_named, state  # noqa: F401


def _ssh_keygen_fingerprint(public_line: str) -> str:
    blob = base64.b64decode(public_line.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


async def test_seeded_keys_list_with_correct_fingerprints(client, state):
    keys = GetSSHKeysResponse.model_validate((await client.get(ROUTES["list_ssh_keys"].url())).json()).keys
    assert len(keys) == len(state.ssh_keys) >= 3
    assert {k.public_key.split()[0] for k in keys} >= {"ssh-ed25519", "ssh-rsa"}
    for key in keys:
        assert key.fingerprint == _ssh_keygen_fingerprint(key.public_key)
        assert set(key.regions) == {"NORWAY-1", "CANADA-1", "US-1"}


async def test_get_one_key_and_404(client, state):
    key = next(iter(state.ssh_keys.values()))
    body = (await client.get(ROUTES["get_ssh_key"].url(id=key.id))).json()
    assert (body["id"], body["name"], body["fingerprint"]) == (key.id, key.name, key.fingerprint)
    assert (await client.get(ROUTES["get_ssh_key"].url(id="key-9999"))).status_code == 404


async def test_import_a_public_key(client, state):
    public = ed25519_public_key("test-import", "me@host")
    response = await client.post(ROUTES["create_ssh_key"].url(), json={"name": "my-laptop", "public_key": public + "\n"})
    assert response.status_code == 201
    body = CreateSSHKeyResponse.model_validate(response.json())
    assert body.private_key is None
    assert body.key.public_key == public
    assert body.key.fingerprint == _ssh_keygen_fingerprint(public)
    assert "my-laptop" in [k["name"] for k in (await client.get(ROUTES["list_ssh_keys"].url())).json()["keys"]]


async def test_generated_pair_is_valid_and_the_private_key_is_never_stored(client, state, caplog):
    caplog.set_level(logging.DEBUG)
    response = await client.post(ROUTES["create_ssh_key"].url(), json={"name": "generated-1"})
    assert response.status_code == 201
    body = response.json()
    private_text = body["private_key"]
    private = serialization.load_ssh_private_key(private_text.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey) and private.key_size == 2048
    derived_public = private.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    assert body["key"]["public_key"].split()[:2] == derived_public.decode().split()
    assert (
        body["key"]["fingerprint"]
        == _ssh_keygen_fingerprint(body["key"]["public_key"])
        == fingerprint(body["key"]["public_key"])
    )

    # Shown once: not in the record, not in a later GET, not in any log line.
    key_id = body["key"]["id"]
    secret_line = private_text.strip().splitlines()[1]
    assert secret_line not in repr(state.ssh_keys[key_id])
    later = await client.get(ROUTES["get_ssh_key"].url(id=key_id))
    assert "private" not in later.text and secret_line not in later.text
    assert secret_line not in caplog.text


async def test_K1_bad_name_and_bad_key_are_422_with_the_rules_messages(client):
    response = await client.post(ROUTES["create_ssh_key"].url(), json={"name": "has space", "public_key": "ssh-foo AAAA"})
    assert field_messages(response) == {"name": MSG_KEY_NAME_SPACES, "public_key": MSG_KEY_TYPE}


async def test_K1_a_pasted_private_key_is_refused(client):
    pasted = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
    response = await client.post(ROUTES["create_ssh_key"].url(), json={"name": "oops", "public_key": pasted})
    assert field_messages(response)["public_key"] == MSG_KEY_PRIVATE


async def test_K1_duplicate_name_is_409(client, state):
    taken = next(iter(state.ssh_keys.values())).name
    response = await client.post(ROUTES["create_ssh_key"].url(), json={"name": taken, "public_key": ed25519_public_key("dup", "x@y")})
    assert response.status_code == 409
    assert error_of(response)["message"] == MSG_NAME_TAKEN.format(name=taken, kind="SSH key")


async def test_K1_limit_of_25_keys_per_region(client, state):
    public = ed25519_public_key("filler", "f@f")
    for n in range(res_rules.MAX_KEYS_PER_REGION - len(state.ssh_keys)):
        state.ssh_keys[f"fill-{n}"] = SSHKeyRecord(f"fill-{n}", f"fill-{n}", fingerprint(public), public, 0.0, ["US-1"])
    # A key not saved yet: the same one again would be refused as a duplicate first.
    another = ed25519_public_key("one-more", "o@m")
    response = await client.post(ROUTES["create_ssh_key"].url(), json={"name": "one-more", "public_key": another})
    assert response.status_code == 400
    assert error_of(response) == {"code": "KEY_LIMIT", "message": res_rules.MSG_KEY_LIMIT, "details": None}


async def test_K1_key_used_by_an_active_instance_cannot_be_deleted(client, state):
    user = instance_named(state, "gpu-train-1")
    assert user.status == VMStatus.ACTIVE
    key_id = user.ssh_key_ids[0]
    for other in state.instances.values():
        if other is not user and key_id in other.ssh_key_ids:
            other.ssh_key_ids.remove(key_id)
    response = await client.delete(ROUTES["delete_ssh_key"].url(id=key_id))
    assert response.status_code == 400
    assert error_of(response)["message"] == res_rules.MSG_KEY_IN_USE.format(name="gpu-train-1")
    assert key_id in state.ssh_keys


async def test_key_used_only_by_a_shutoff_instance_can_be_deleted(client, state):
    user = instance_named(state, "batch-l40")
    assert user.status == VMStatus.SHUTOFF
    public = ed25519_public_key("shutoff-only", "s@s")
    created = (await client.post(ROUTES["create_ssh_key"].url(), json={"name": "shutoff-only", "public_key": public})).json()["key"]
    user.ssh_key_ids.append(created["id"])
    response = await client.delete(ROUTES["delete_ssh_key"].url(id=created['id']))
    assert response.status_code == 200
    assert created["id"] not in state.ssh_keys
    assert (await client.delete(ROUTES["delete_ssh_key"].url(id=created['id']))).status_code == 404
