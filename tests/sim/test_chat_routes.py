"""AI Chat through HTTP: models, plain and streamed completions, billing, usage summary and history."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx

from barrack_tui.api.models import (
    ChatCompletionChunk,
    ChatCompletionsResponse,
    ModelsResponse,
    UsageHistoryResponse,
    UsageSummaryResponse,
)
from barrack_tui.api.routes import ROUTES
from barrack_tui.sim.assistant import answer
from barrack_tui.sim.assistant_context import CONTEXT_OFF
from barrack_tui.sim.routes.chat import AI_MODELS, completion_cost, count_tokens
from tests.sim.resource_world import by_name, client, clock, error_of, field_messages, state  # noqa: F401

QUESTION = "Why can't I detach data-1?"
# What the app attaches with the context toggle on (the shape `chat_context.account_summary` writes).
CONTEXT = (
    "Account context:\nInstances (1):\n"
    "- inference-a100 [ACTIVE] NORWAY-1, 1x A100-PCIe-80GB, public IP 203.0.113.11; list price 1.55 USD/h, billed now 1.55 USD/h\n"
    "Volumes (1):\n"
    "- data-1 (500 GB data, attached, NORWAY-1): attached to inference-a100 [ACTIVE]; detach refused "
    "(INSTANCE_NOT_SHUTOFF): Cannot detach: Volume is attached to a ACTIVE instance.; storage 0.05 USD/h"
)


def _ask(question: str = QUESTION, *, model: str = "barrack-assist", context: str | None = CONTEXT, **extra) -> dict:
    attached = [{"role": "user", "content": context}] if context else []
    return {"model": model, "messages": [*attached, {"role": "user", "content": question}], **extra}


async def _stream_events(client: httpx.AsyncClient, body: dict) -> list[str]:
    events = []
    async with client.stream("POST", ROUTES["chat_completion"].url(), json={**body, "stream": True}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        async for line in response.aiter_lines():
            if line:
                assert line.startswith("data: ")
                events.append(line.removeprefix("data: "))
    return events


async def test_three_models_with_prices(client):
    models = ModelsResponse.model_validate((await client.get(ROUTES["list_ai_models"].url())).json()).models
    assert [m.id for m in models] == ["barrack-assist-small", "barrack-assist", "barrack-assist-large"]
    assert all(m.context_length > 0 and m.input_price_per_1k > 0 and m.output_price_per_1k > 0 for m in models)
    assert models[0].output_price_per_1k < models[2].output_price_per_1k


async def test_plain_completion_answers_from_the_attached_context_and_bills_it(client, state):
    balance = state.balances["USD"]
    response = await client.post(ROUTES["chat_completion"].url(), json=_ask())
    assert response.status_code == 200
    body = ChatCompletionsResponse.model_validate(response.json())
    text = body.choices[0].message.content
    assert text == answer(QUESTION, state, context=CONTEXT)
    assert "ACTIVE" in text and body.choices[0].finish_reason == "stop"
    assert body.usage.prompt_tokens == count_tokens(CONTEXT) + count_tokens(QUESTION)
    assert body.usage.completion_tokens == count_tokens(text)
    assert body.usage.total_tokens == body.usage.prompt_tokens + body.usage.completion_tokens

    cost = completion_cost(AI_MODELS["barrack-assist"], body.usage.prompt_tokens, body.usage.completion_tokens)
    assert cost > 0
    [record] = state.ai_transactions
    assert (record.model, record.cost) == ("barrack-assist", cost)
    assert state.balances["USD"] <= balance - cost  # billing minutes may also have passed: never more


async def test_stream_carries_the_same_text_and_ends_with_done(client, state):
    plain = (await client.post(ROUTES["chat_completion"].url(), json=_ask())).json()
    events = await _stream_events(client, _ask())
    assert events[-1] == "[DONE]"
    chunks = [ChatCompletionChunk.model_validate(json.loads(e)) for e in events[:-1]]
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert streamed == plain["choices"][0]["message"]["content"]
    assert len(chunks) > 10  # word-sized pieces, not one blob
    assert chunks[0].choices[0].delta.role == "assistant"
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.usage is not None and last.usage.model_dump() == plain["usage"]
    assert all(c.usage is None and c.choices[0].finish_reason is None for c in chunks[:-1])


async def test_max_tokens_cuts_the_answer(client):
    body = (await client.post(ROUTES["chat_completion"].url(), json=_ask(max_tokens=12))).json()
    assert body["choices"][0]["finish_reason"] == "length"
    assert 0 < body["usage"]["completion_tokens"] <= 12
    events = await _stream_events(client, _ask(max_tokens=12))
    final = json.loads(events[-2])
    assert final["choices"][0]["finish_reason"] == "length"


async def test_unknown_model_is_404(client, state):
    response = await client.post(ROUTES["chat_completion"].url(), json=_ask(model="gpt-17"))
    assert response.status_code == 404
    assert error_of(response)["code"] == "MODEL_NOT_FOUND"
    assert state.ai_transactions == []


async def test_empty_messages_is_422(client, state):
    response = await client.post(ROUTES["chat_completion"].url(), json={"model": "barrack-assist", "messages": []})
    assert response.status_code == 422
    only_system = {"model": "barrack-assist", "messages": [{"role": "system", "content": "be brief"}]}
    assert "messages" in field_messages(await client.post(ROUTES["chat_completion"].url(), json=only_system))
    assert state.ai_transactions == []


async def test_without_an_attached_context_the_account_is_not_answered(client, state):
    body = (await client.post(ROUTES["chat_completion"].url(), json=_ask(context=None))).json()
    assert body["choices"][0]["message"]["content"] == CONTEXT_OFF
    assert "data-1" not in body["choices"][0]["message"]["content"]


async def test_the_attached_context_is_what_the_answer_says_not_the_live_state(client, state):
    # The summary was taken while inference-a100 ran; it has been stopped since. The answer is the summary's.
    state.instances[by_name(state.volumes, "data-1").instance_id].status = "SHUTOFF"
    body = (await client.post(ROUTES["chat_completion"].url(), json=_ask())).json()
    assert "Volume is attached to a ACTIVE instance" in body["choices"][0]["message"]["content"]


async def test_hostile_names_reach_the_client_raw(client, state):
    hostile = CONTEXT.replace("- data-1 (", "- data-1\x1b[2J (")
    body = (await client.post(ROUTES["chat_completion"].url(), json=_ask("why can't I detach data-1\x1b[2J", context=hostile))).json()
    assert "**data-1\x1b[2J**" in body["choices"][0]["message"]["content"]


async def test_usage_summary_and_history_match_the_completions(client, state, clock):
    made = []
    for model, question in [
        ("barrack-assist-small", "hi"),
        ("barrack-assist", QUESTION),
        ("barrack-assist-small", "burn rate"),
    ]:
        usage = (await client.post(ROUTES["chat_completion"].url(), json=_ask(question, model=model))).json()["usage"]
        made.append((model, usage))
        clock.advance(1)

    summary = UsageSummaryResponse.model_validate((await client.get(ROUTES["get_ai_usage_summary"].url())).json())
    assert summary.total_tokens == sum(u["total_tokens"] for _, u in made)
    costs = [completion_cost(AI_MODELS[m], u["prompt_tokens"], u["completion_tokens"]) for m, u in made]
    assert summary.total_cost == sum(costs, Decimal("0"))
    assert summary.currency == "USD"
    by_model = {m.model: m for m in summary.by_model}
    assert set(by_model) == {"barrack-assist-small", "barrack-assist"}
    assert by_model["barrack-assist-small"].total_tokens == made[0][1]["total_tokens"] + made[2][1]["total_tokens"]

    history = UsageHistoryResponse.model_validate((await client.get(ROUTES["get_ai_usage_history"].url())).json())
    assert [t.model for t in history.transactions] == [m for m, _ in reversed(made)]  # newest first
    assert [t.completion_tokens for t in history.transactions] == [u["completion_tokens"] for _, u in reversed(made)]
    assert [t.cost for t in history.transactions] == list(reversed(costs))
    assert history.pagination.total == 3

    page2 = UsageHistoryResponse.model_validate(
        (await client.get(ROUTES["get_ai_usage_history"].url(), params={"page": 2, "per_page": 2})).json()
    )
    assert [t.model for t in page2.transactions] == [made[0][0]]
    assert (page2.pagination.page, page2.pagination.total_pages) == (2, 2)
    assert (await client.get(ROUTES["get_ai_usage_history"].url(), params={"page": 0})).status_code == 422
