"""Routes: AI Chat — the model list, OpenAI-compatible completions (plain and SSE), usage and history.

Every completion is answered by the local assistant (`sim/assistant.py`),
counted in words-ish tokens, priced from the model's per-1k prices in USD,
recorded as an `AITransactionRecord` and deducted from the USD balance.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import JSONResponse
from starlette.responses import StreamingResponse

from barrack_tui.api.models.chat import (
    ChatCompletionsRequest,
    ChatCompletionsResponse,
    ChatMessageIn,
    ModelsResponse,
    UsageHistoryResponse,
    UsageSummaryResponse,
)
from barrack_tui.api.models.common import CurrencyEnum
from barrack_tui.sim import assistant
from barrack_tui.sim.clock import iso
from barrack_tui.sim.context import Sim
from barrack_tui.sim.errors import SimError
from barrack_tui.sim.routes.common import contract_route, contract_router, invalid_field
from barrack_tui.sim.state import AITransactionRecord, SimState
from barrack_tui.sim.wire import MAX_PAGE

router = contract_router()

D = Decimal
AI_CURRENCY = CurrencyEnum.USD
CONTEXT_PREFIX = "Account context:"
MAX_PER_PAGE = 10_000
_MICRO = D("0.000001")
# A token is a run of word characters or one punctuation mark: close enough to a
# real tokenizer for usage and cost, and additive across whitespace-split chunks.
_TOKEN = re.compile(r"\w+|[^\w\s]")
# Word-sized stream pieces that concatenate back to exactly the answer.
_PIECE = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class AIModelSpec:
    id: str
    name: str
    context_length: int
    input_price_per_1k: Decimal
    output_price_per_1k: Decimal

    def wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "context_length": self.context_length,
            "input_price_per_1k": str(self.input_price_per_1k),
            "output_price_per_1k": str(self.output_price_per_1k),
        }


AI_MODELS: dict[str, AIModelSpec] = {
    spec.id: spec
    for spec in (
        AIModelSpec("barrack-assist-small", "Barrack Assist Small", 8_192, D("0.0002"), D("0.0006")),
        AIModelSpec("barrack-assist", "Barrack Assist", 32_768, D("0.0010"), D("0.0030")),
        AIModelSpec("barrack-assist-large", "Barrack Assist Large", 131_072, D("0.0030"), D("0.0150")),
    )
}


@dataclass
class ChatSettings:
    """Pause between streamed pieces, so the demo types like a model; an app may override it
    with `app.state.chat_token_delay` (tests set 0)."""

    token_delay: float = 0.02


CHAT_SETTINGS = ChatSettings()


def count_tokens(text: str) -> int:
    return len(_TOKEN.findall(text))


def completion_cost(spec: AIModelSpec, prompt_tokens: int, completion_tokens: int) -> Decimal:
    cost = (D(prompt_tokens) * spec.input_price_per_1k + D(completion_tokens) * spec.output_price_per_1k) / 1000
    return cost.quantize(_MICRO, rounding=ROUND_HALF_UP)


def _token_delay(request: Request) -> float:
    return float(getattr(request.app.state, "chat_token_delay", CHAT_SETTINGS.token_delay))


def _split_messages(messages: list[ChatMessageIn]) -> tuple[str | None, str | None]:
    """(the last user question, the latest account context attached to the conversation, if any)."""
    contexts = [m.content for m in messages if m.content.startswith(CONTEXT_PREFIX)]
    context = contexts[-1] if contexts else None
    questions = [m.content for m in messages if m.role == "user" and not m.content.startswith(CONTEXT_PREFIX)]
    return (questions[-1] if questions else None), context


def _limit(pieces: list[str], max_tokens: int | None) -> tuple[list[str], str]:
    """Cut the answer at `max_tokens` on a piece boundary: (kept pieces, finish_reason)."""
    if max_tokens is None:
        return pieces, "stop"
    kept: list[str] = []
    used = 0
    for piece in pieces:
        cost = count_tokens(piece)
        if used + cost > max_tokens:
            return kept, "length"
        kept.append(piece)
        used += cost
    return kept, "stop"


def _record(state: SimState, spec: AIModelSpec, prompt_tokens: int, completion_tokens: int) -> AITransactionRecord:
    cost = completion_cost(spec, prompt_tokens, completion_tokens)
    record = AITransactionRecord(
        id=state.new_id("aitx"),
        model=spec.id,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        cost=cost,
        created_at=state.now(),
    )
    state.ai_transactions.append(record)
    state.balances[AI_CURRENCY] = state.balances.get(AI_CURRENCY, D("0")) - cost
    return record


def _usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def _sse(payload: dict[str, Any]) -> str:
    return f"data: {json.dumps(payload)}\n\n"


@contract_route(router, "list_ai_models", response_model=ModelsResponse)
async def list_models(state: Sim) -> JSONResponse:
    return JSONResponse({"models": [spec.wire() for spec in AI_MODELS.values()]})


@contract_route(router, "chat_completion", response_model=ChatCompletionsResponse)
async def chat_completions(body: ChatCompletionsRequest, state: Sim, request: Request) -> Any:
    spec = AI_MODELS.get(body.model)
    if spec is None:
        raise SimError(404, "MODEL_NOT_FOUND", f"Model {body.model!r} not found. GET /ai/models lists the models.")
    question, context = _split_messages(body.messages)
    if question is None:
        raise invalid_field("messages", "NO_QUESTION", "Ask a question: the conversation has no user message")
    if body.max_tokens is not None and body.max_tokens < 1:
        raise invalid_field("max_tokens", "TOO_SMALL", "max_tokens must be at least 1")

    pieces, finish_reason = _limit(_PIECE.findall(assistant.answer(question, state, context=context)), body.max_tokens)
    text = "".join(pieces)
    prompt_tokens = sum(count_tokens(m.content) for m in body.messages)
    completion_tokens = count_tokens(text)
    # Recorded up front: the answer (and so the bill) is fixed before the first byte streams.
    record = _record(state, spec, prompt_tokens, completion_tokens)
    completion_id = f"chatcmpl-{record.id}"
    created = int(record.created_at)
    usage = _usage(prompt_tokens, completion_tokens)

    if not body.stream:
        return JSONResponse(
            {
                "id": completion_id,
                "object": "chat.completion",
                "created": created,
                "model": spec.id,
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish_reason}
                ],
                "usage": usage,
            }
        )

    delay = _token_delay(request)

    def chunk(delta: dict[str, str], finish: str | None, usage_body: dict[str, int] | None = None) -> str:
        payload: dict[str, Any] = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": spec.id,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        if usage_body is not None:
            payload["usage"] = usage_body
        return _sse(payload)

    async def events() -> AsyncIterator[str]:
        for index, piece in enumerate(pieces):
            if index and delay > 0:
                await asyncio.sleep(delay)
            yield chunk({"role": "assistant", "content": piece} if index == 0 else {"content": piece}, None)
        yield chunk({}, finish_reason, usage)
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


@contract_route(router, "get_ai_usage_summary", response_model=UsageSummaryResponse)
async def usage_summary(state: Sim) -> JSONResponse:
    by_model: dict[str, dict[str, Any]] = {}
    for record in state.ai_transactions:
        entry = by_model.setdefault(record.model, {"model": record.model, "total_tokens": 0, "total_cost": D("0")})
        entry["total_tokens"] += record.prompt_tokens + record.completion_tokens
        entry["total_cost"] += record.cost
    return JSONResponse(
        {
            "total_tokens": sum(e["total_tokens"] for e in by_model.values()),
            "total_cost": str(sum((e["total_cost"] for e in by_model.values()), D("0"))),
            "currency": AI_CURRENCY,
            "by_model": [{**entry, "total_cost": str(entry["total_cost"])} for _, entry in sorted(by_model.items())],
        }
    )


@contract_route(router, "get_ai_usage_history", response_model=UsageHistoryResponse)
async def usage_history(
    state: Sim,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 100,
) -> JSONResponse:
    newest_first = state.ai_transactions[::-1]
    total = len(newest_first)
    window = newest_first[(page - 1) * per_page : page * per_page]
    return JSONResponse(
        {
            "transactions": [
                {
                    "id": r.id,
                    "model": r.model,
                    "prompt_tokens": r.prompt_tokens,
                    "completion_tokens": r.completion_tokens,
                    "cost": str(r.cost),
                    "created_at": iso(r.created_at),
                }
                for r in window
            ],
            "pagination": {
                "page": page,
                "per_page": per_page,
                "total": total,
                "total_pages": max(1, math.ceil(total / per_page)),
            },
        }
    )
