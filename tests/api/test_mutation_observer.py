"""The client reports every request that may change the account, once, as it ended, and nothing else of it.

The activity log is built from these reports, so what matters is that each
non-GET request is reported whatever its outcome (accepted, refused, no
answer), that reads are not, and that a report never carries the API key or
a body beyond its name and the resource ids it lists.
"""

from __future__ import annotations

import httpx
import pytest

from barrack_tui.api.client_base import Mutation
from barrack_tui.api.errors import InvalidRequestError, NetworkError, RuleRefusedError
from tests.api.scripted import CANARY_KEY, ScriptedTransport, instance_wire, make_client, reply, volume_wire


def observed_client(transport: httpx.AsyncBaseTransport, seen: list[Mutation], **kwargs):
    return make_client(transport, on_mutation=seen.append, **kwargs)


async def test_an_accepted_action_is_reported_with_its_status_and_request_id():
    seen: list[Mutation] = []
    answer = {"instance": instance_wire(status="STOPPING"), "message": "stopping"}
    transport = ScriptedTransport(reply(200, json=answer, headers={"X-Request-Id": "req-42"}))
    async with observed_client(transport, seen) as client:
        await client.stop_instance("ins-0001")
    [report] = seen
    assert (report.op, report.method, dict(report.path)) == ("stop_instance", "POST", {"id": "ins-0001"})
    assert (report.status, report.request_id, report.error) == (200, "req-42", None)
    assert report.answer is not None


async def test_the_envelope_request_id_is_reported_too():
    seen: list[Mutation] = []
    wrapped = {"success": True, "message": "ok", "volume": volume_wire(), "request_id": "env-7"}
    async with observed_client(ScriptedTransport(reply(201, json=wrapped)), seen) as client:
        await client.create_volume({"name": "data-1", "region": "NORWAY-1", "size_gb": 100})
    assert seen[0].request_id == "env-7" and seen[0].name == "data-1"


async def test_a_refusal_is_reported_with_the_error_and_its_request_id():
    seen: list[Mutation] = []
    body = {"error": {"code": "RULE", "message": "Stop the instance first"}}
    transport = ScriptedTransport(reply(400, json=body, headers={"X-Request-Id": "req-9"}))
    async with observed_client(transport, seen) as client:
        with pytest.raises(RuleRefusedError):
            await client.detach_volumes("ins-0001", ["vol-1", "vol-2"])
    [report] = seen
    assert report.status == 400 and report.request_id == "req-9"
    assert isinstance(report.error, RuleRefusedError) and report.error.message == "Stop the instance first"
    assert report.ids == ("vol-1", "vol-2")


async def test_no_answer_is_status_zero():
    seen: list[Mutation] = []
    transport = ScriptedTransport(lambda request: (_ for _ in ()).throw(httpx.ConnectError("refused")))
    async with observed_client(transport, seen, max_retries=0) as client:
        with pytest.raises(NetworkError):
            await client.delete_volume("vol-1")
    assert [(r.op, r.status) for r in seen] == [("delete_volume", 0)]


async def test_reads_and_input_refused_before_sending_are_not_reported():
    seen: list[Mutation] = []
    transport = ScriptedTransport(reply(200, json={"instances": [], "pagination": {}}))
    async with observed_client(transport, seen) as client:
        await client.list_instances()
        with pytest.raises(InvalidRequestError):
            await client.detach_volumes("ins-0001", [])  # refused by the request model: nothing left the client
        with pytest.raises(InvalidRequestError):
            await client.delete_volume("..")  # an id that would address another path: never sent
    assert seen == []


async def test_a_report_holds_the_name_not_the_body_and_never_the_key():
    seen: list[Mutation] = []
    script = {"id": "scr-1", "name": "setup", "content": "SECRET-CONTENT", "created_at": "2026-11-18T08:00:00Z",
              "updated_at": "2026-11-18T08:00:00Z"}
    async with observed_client(ScriptedTransport(reply(201, json={"script": script})), seen) as client:
        await client.create_script("setup", "SECRET-CONTENT")
    [report] = seen
    assert report.name == "setup" and report.ids == ()
    fields = repr((report.op, report.method, report.path, report.name, report.ids, report.status, report.request_id))
    assert "SECRET-CONTENT" not in fields and CANARY_KEY not in fields


async def test_an_observer_that_raises_does_not_fail_the_request():
    def broken(_: Mutation) -> None:
        raise RuntimeError("observer bug")

    answer = {"instance": instance_wire(status="STOPPING"), "message": "stopping"}
    async with make_client(ScriptedTransport(reply(200, json=answer)), on_mutation=broken) as client:
        result = await client.stop_instance("ins-0001")
    assert result.instance.status == "STOPPING"
