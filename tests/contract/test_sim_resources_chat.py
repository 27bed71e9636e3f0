"""SSH key, script, snapshot, image and AI chat operations of the client against the simulator (in-process ASGI)."""

from __future__ import annotations

import pytest

from barrack_tui.api.errors import NotFoundError, RuleRefusedError
from barrack_tui.api.models import (
    ChatCompletionsRequest,
    CreateImageFromSnapshotRequest,
    CreateSnapshotRequest,
    ResourceStatus,
    VMStatus,
)

ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl contract@test"


async def test_ssh_keys_generate_upload_get_delete(client):
    keys = await client.list_ssh_keys()
    assert {k.name for k in keys} >= {"alice-laptop", "ci-deploy"}
    assert (await client.get_ssh_key("key-0002")).name == "ci-deploy"

    generated = await client.create_ssh_key("contract-gen")
    assert generated.private_key and "PRIVATE KEY" in generated.private_key
    assert generated.key.fingerprint.startswith("SHA256:")

    uploaded = await client.create_ssh_key("contract-up", ED25519)
    assert uploaded.private_key is None
    assert uploaded.key.public_key.startswith("ssh-ed25519 ")

    await client.delete_ssh_key(uploaded.key.id)
    with pytest.raises(NotFoundError):
        await client.get_ssh_key(uploaded.key.id)


async def test_a_key_in_use_cannot_be_deleted(client):
    with pytest.raises(RuleRefusedError) as caught:
        await client.delete_ssh_key("key-0001")
    assert caught.value.code == "KEY_IN_USE"
    assert "ACTIVE instance 'gpu-train-1'" in str(caught.value)


async def test_scripts_crud_and_bulk_delete(client):
    scripts = await client.list_scripts()
    assert {s.name for s in scripts} == {"install-miniconda", "mount-data-volume"}
    assert "\n" in (await client.get_script("scr-0001")).content

    created = await client.create_script("contract-script", "#!/bin/sh\necho hi\n")
    assert created.content == "#!/bin/sh\necho hi\n"
    renamed = await client.update_script(created.id, name="contract-script-2")
    assert renamed.name == "contract-script-2" and renamed.content == created.content
    rewritten = await client.update_script(created.id, content="echo bye\n")
    assert rewritten.content == "echo bye\n"

    await client.delete_script(created.id)
    other = await client.create_script("contract-bulk", "true\n")
    result = await client.bulk_delete_scripts([other.id, "scr-0002"])
    assert set(result.deleted) == {other.id, "scr-0002"}
    assert [s.id for s in await client.list_scripts()] == ["scr-0001"]


async def test_snapshots_list_eligible_billing(client):
    snapshots = await client.list_snapshots()
    assert {s.name for s in snapshots} >= {"finetune-h100-weekly", "gpu-train-1-weekly"}
    assert {s.region for s in await client.list_snapshots(region="US-1")} == {"US-1"}
    weekly = await client.get_snapshot("snap-0002")
    assert weekly.status is ResourceStatus.SUCCESS and weekly.instance_id == "ins-0001"

    eligible = await client.list_snapshot_eligible_instances()
    assert eligible and all(i.status is VMStatus.ACTIVE for i in eligible)
    assert {i.region for i in await client.list_snapshot_eligible_instances(region="NORWAY-1")} == {"NORWAY-1"}

    billing = await client.get_snapshot_billing("snap-0002")
    assert billing.summary.total >= 0


async def test_snapshot_create_restore_delete(client, clock, state):
    created = await client.create_snapshot(CreateSnapshotRequest(instance_id="ins-0002", name="contract-snap"))
    assert created.snapshot.status is ResourceStatus.CREATING
    clock.advance(state.durations.snapshot_create + 1)
    assert (await client.get_snapshot(created.snapshot.id)).status is ResourceStatus.SUCCESS

    restored = await client.restore_snapshot(created.snapshot.id, "contract-restored")
    assert restored.instance.name == "contract-restored"
    assert restored.instance.region == "NORWAY-1"

    await client.delete_snapshot(created.snapshot.id)
    assert created.snapshot.id not in {s.id for s in await client.list_snapshots()}


async def test_snapshot_of_a_stopped_instance_is_refused(client):
    with pytest.raises(RuleRefusedError):
        await client.create_snapshot({"instance_id": "ins-0003", "name": "nope"})


async def test_images_and_their_snapshot_relationships(client, clock, state):
    images = await client.list_images()
    golden = next(i for i in images if i.name == "finetune-h100-golden")
    assert (await client.get_image(golden.id)).snapshot_id == "snap-0001"
    assert (await client.list_images(region="US-1")) == []

    relation = await client.get_snapshot_image("snap-0001")
    assert (relation.snapshot_id, relation.image_id) == ("snap-0001", golden.id)
    batch = await client.get_snapshot_image_relationships(["snap-0001", "snap-0002"])
    assert {(r.snapshot_id, r.image_id) for r in batch.relationships} == {("snap-0001", golden.id), ("snap-0002", None)}

    made = await client.create_image(CreateImageFromSnapshotRequest(snapshot_id="snap-0002", name="contract-image"))
    assert made.image.snapshot_id == "snap-0002"
    clock.advance(state.durations.image_create + 1)
    assert (await client.get_image(made.image.id)).status is ResourceStatus.SUCCESS
    await client.delete_image(made.image.id)
    assert made.image.id not in {i.id for i in await client.list_images()}


async def test_image_from_an_unfinished_snapshot_is_refused(client):
    with pytest.raises(RuleRefusedError):
        await client.create_image({"snapshot_id": "snap-0003", "name": "too-early"})


# The assistant knows the account only from an attached summary (as the app sends it with the context toggle on).
CONTEXT = "Account context:\nInstances (1):\n- batch-l40 [SHUTOFF] NORWAY-1, 1x L40; list price 1.19 USD/h, billed now 1.19 USD/h"
QUESTION = ChatCompletionsRequest(
    model="barrack-assist",
    messages=[{"role": "user", "content": CONTEXT}, {"role": "user", "content": "which instances are SHUTOFF?"}],
)


async def test_chat_models_plain_and_streamed_answers_agree(client, sim_app):
    sim_app.state.chat_token_delay = 0
    models = await client.list_ai_models()
    assert {m.id for m in models} == {"barrack-assist-small", "barrack-assist", "barrack-assist-large"}

    plain = await client.chat_completion(QUESTION)
    answer = plain.choices[0].message.content
    assert "batch-l40" in answer

    stream = client.stream_chat_completion(QUESTION)
    parts = [text async for text in stream]
    assert len(parts) > 1
    assert "".join(parts) == answer
    assert stream.finish_reason == "stop"
    assert stream.usage is not None and stream.usage.total_tokens > 0


async def test_chat_usage_follows_the_completions(client, sim_app):
    sim_app.state.chat_token_delay = 0
    await client.chat_completion(QUESTION)
    await client.chat_completion(QUESTION)
    summary = await client.get_ai_usage_summary()
    assert summary.total_tokens > 0 and summary.total_cost > 0
    assert [m.model for m in summary.by_model] == ["barrack-assist"]
    history = await client.get_ai_usage_history()
    assert len(history.transactions) == 2
    assert all(t.model == "barrack-assist" for t in history.transactions)
    assert history.pagination.total == 2 and history.pagination.total_pages == 1
    beyond = await client.get_ai_usage_history(page=2)
    assert beyond.transactions == [] and beyond.pagination.page == 2


async def test_unknown_chat_model_is_not_found(client):
    with pytest.raises(NotFoundError):
        await client.chat_completion({"model": "gpt-9", "messages": [{"role": "user", "content": "hi"}]})
