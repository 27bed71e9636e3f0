"""What the chat screen sends and how a finished reply is settled (no widgets here).

`request_messages` turns the stored conversation into the API's message
list: each question's attached account context goes just before it as an
"Account context:" message, empty or failed-without-text replies are left
out, and the oldest turns are dropped once the model's context window would
overflow. `settle_reply` decides what a reply that ended (completed,
cancelled, failed) is saved as.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models.chat import AIModel, ChatUsage
from barrack_tui.chat.history import StoredMessage, turn_cost

# Share of the model's context window the history may fill; the rest is left for the answer.
HISTORY_SHARE = 0.75
CHARS_PER_TOKEN = 4  # a rough estimate, only used to decide which old turns to leave out


def estimate_tokens(text: str) -> int:
    return max(1, len(text) // CHARS_PER_TOKEN)


def request_messages(stored: Sequence[StoredMessage], *, context_length: int | None = None) -> list[dict[str, str]]:
    """The messages of a request, oldest first, ending with the newest question."""
    turns: list[list[dict[str, str]]] = []
    for message in stored:
        if message.role == "assistant":
            if message.content.strip():
                turns.append([{"role": "assistant", "content": message.content}])
            continue
        turn = []
        if message.context:
            turn.append({"role": "user", "content": message.context})
        turn.append({"role": "user", "content": message.content})
        turns.append(turn)
    if not context_length:
        return [m for turn in turns for m in turn]
    budget = int(context_length * HISTORY_SHARE)
    kept: list[list[dict[str, str]]] = []
    used = 0
    for turn in reversed(turns):
        size = sum(estimate_tokens(m["content"]) for m in turn)
        if kept and used + size > budget:
            break
        kept.append(turn)
        used += size
    return [m for turn in reversed(kept) for m in turn]


@dataclass(frozen=True)
class SettledReply:
    """The fields `ChatHistory.finish_reply` stores for a reply that ended."""

    status: str
    model: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    cost: Decimal | None
    currency: str | None
    error: str | None


def settle_reply(
    *,
    model: AIModel | None,
    model_id: str,
    usage: ChatUsage | None,
    reported_model: str | None,
    currency: str | None,
    cancelled: bool = False,
    error: BaseException | None = None,
) -> SettledReply:
    """A reply's final record: its status, and its tokens and cost when the API reported usage."""
    if cancelled:
        status, error_text = "cancelled", None
    elif error is not None:
        status = "error"
        error_text = str(error) if isinstance(error, ApiError) else f"{type(error).__name__}: {error}"
    else:
        status, error_text = "complete", None
    prompt = completion = None
    cost = None
    if usage is not None:
        prompt, completion = usage.prompt_tokens, usage.completion_tokens
        if model is not None:
            cost = turn_cost(model.input_price_per_1k, model.output_price_per_1k, prompt, completion)
    return SettledReply(
        status=status,
        model=reported_model or model_id,
        prompt_tokens=prompt,
        completion_tokens=completion,
        cost=cost,
        currency=currency if cost is not None else None,
        error=error_text,
    )
