"""Client methods for AI Chat: models, completions (plain and streamed), usage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from barrack_tui.api.client_base import ClientBase, dump_request
from barrack_tui.api.models import (
    AIModel,
    ChatCompletionsRequest,
    ChatCompletionsResponse,
    ModelsResponse,
    UsageHistoryResponse,
    UsageSummaryResponse,
)
from barrack_tui.api.stream import ChatStream


class ChatMixin(ClientBase):
    async def list_ai_models(self) -> list[AIModel]:
        return (await self._call("list_ai_models", ModelsResponse)).models

    async def chat_completion(self, request: ChatCompletionsRequest | Mapping[str, Any]) -> ChatCompletionsResponse:
        body = dump_request(request, ChatCompletionsRequest)
        body["stream"] = False
        return await self._call("chat_completion", ChatCompletionsResponse, body=body)

    def stream_chat_completion(self, request: ChatCompletionsRequest | Mapping[str, Any]) -> ChatStream:
        """The answer as it is written. Use `async for text in client.stream_chat_completion(r)`,
        or `stream = await client.stream_chat_completion(r)` to send the request (and see its error) first;
        `async with` closes the stream on every exit path."""
        body = dump_request(request, ChatCompletionsRequest)
        body["stream"] = True
        return ChatStream(
            lambda: self._open_stream("stream_chat_completion", body), target=self.origin, secrets=self._secrets
        )

    async def get_ai_usage_summary(self) -> UsageSummaryResponse:
        return await self._call("get_ai_usage_summary", UsageSummaryResponse)

    async def get_ai_usage_history(self, page: int = 1) -> UsageHistoryResponse:
        """One page of the usage history (newest first); `pagination` says how many pages there are."""
        return await self._call("get_ai_usage_history", UsageHistoryResponse, params={"page": page})
