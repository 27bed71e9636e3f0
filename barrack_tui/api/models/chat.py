"""AI Chat: models, OpenAI-compatible completions (plain and streamed), usage."""

# No `from __future__ import annotations` here: pydantic would then compile and evaluate every field's
# annotation from its text, ~20% of the time it takes to define these models as the client loads.

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field

from barrack_tui.api.models.common import CurrencyEnum, Pagination, RequestModel, WireModel
from barrack_tui.api.sanitize import SafeStr, SafeText
from barrack_tui.api.tolerant import Count, ItemList, ItemsOf, Money, Tolerant


class AIModel(WireModel):
    id: SafeStr
    name: SafeStr
    context_length: Count = 0
    input_price_per_1k: Money = Decimal("0")
    output_price_per_1k: Money = Decimal("0")


class ModelsResponse(WireModel):
    models: ItemsOf[AIModel]


class ChatMessageIn(RequestModel):
    role: Literal["system", "user", "assistant"]
    content: str


class ChatCompletionsRequest(RequestModel):
    model: str
    messages: list[ChatMessageIn] = Field(min_length=1)
    stream: bool = False
    temperature: float | None = None
    max_tokens: int | None = None


class ChatMessage(WireModel):
    role: SafeStr
    content: SafeText = ""


class ChatChoice(WireModel):
    index: Count = 0
    message: ChatMessage
    finish_reason: SafeStr | None = None


class ChatUsage(WireModel):
    prompt_tokens: Count = 0
    completion_tokens: Count = 0
    total_tokens: Count = 0


class ChatCompletionsResponse(WireModel):
    id: SafeStr
    model: SafeStr
    choices: ItemsOf[ChatChoice]
    usage: ChatUsage = Field(default_factory=ChatUsage)


class ChatDelta(WireModel):
    role: SafeStr | None = None
    content: SafeText | None = None


class ChatChunkChoice(WireModel):
    index: Count = 0
    delta: ChatDelta = Field(default_factory=ChatDelta)
    finish_reason: SafeStr | None = None


class ChatCompletionChunk(WireModel):
    """One `data:` event of a streamed completion; the last carries `usage`."""

    id: SafeStr = ""
    model: SafeStr = ""
    choices: ItemsOf[ChatChunkChoice] = Field(default_factory=ItemList)
    usage: ChatUsage | None = None


class ModelUsage(WireModel):
    model: SafeStr
    total_tokens: Count = 0
    total_cost: Money = Decimal("0")


class UsageSummaryResponse(WireModel):
    total_tokens: Count = 0
    total_cost: Money = Decimal("0")
    currency: Tolerant[CurrencyEnum] = CurrencyEnum.USD
    by_model: ItemsOf[ModelUsage] = Field(default_factory=ItemList)


class AITransaction(WireModel):
    id: SafeStr
    model: SafeStr
    prompt_tokens: Count = 0
    completion_tokens: Count = 0
    cost: Money = Decimal("0")
    created_at: datetime


class UsageHistoryResponse(WireModel):
    transactions: ItemsOf[AITransaction]
    pagination: Pagination = Field(default_factory=Pagination)
