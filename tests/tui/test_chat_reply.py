"""Pure parts of a reply: how a stream is split between Markdown and the fence preview, what is sent, what is saved."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from barrack_tui.api.errors import NetworkError
from barrack_tui.api.models.chat import AIModel, ChatUsage
from barrack_tui.chat.history import StoredMessage
from barrack_tui.tui.areas.chat.message import last_code_block
from barrack_tui.tui.areas.chat.reply import request_messages, settle_reply
from barrack_tui.tui.areas.chat.reply_buffer import ReplyBuffer

ANSWER = "Intro line\nmore `inline` text\n\n```python\ndef f():\n    return 1\n```\n\nAfter the code.\n~~~\nplain\n~~~~\nend"


def feed(text: str, cuts: list[int]) -> tuple[ReplyBuffer, list[str]]:
    buffer, taken = ReplyBuffer(), []
    points = sorted({c for c in cuts if 0 < c < len(text)})
    for start, end in zip([0, *points], [*points, len(text)]):
        buffer.add(text[start:end])
        taken.append(buffer.take_markdown())
    taken.append(buffer.take_rest())
    return buffer, taken


def test_prose_goes_to_markdown_as_it_arrives_and_a_fence_only_whole():
    buffer = ReplyBuffer()
    buffer.add("Hello wor")
    assert buffer.take_markdown() == "Hello wor"
    buffer.add("ld\n```py")
    assert buffer.take_markdown() == "ld\n"  # a partial line that may open a fence is held back
    buffer.add("thon\nx = 1\ny = ")
    assert buffer.take_markdown() == "" and buffer.in_fence and buffer.fence_language == "python"
    assert buffer.fence_lines == ["x = 1"] and buffer.partial_line == "y = "
    buffer.add("2\n```\nDone")
    assert buffer.take_markdown() == "```python\nx = 1\ny = 2\n```\nDone"
    assert not buffer.in_fence and buffer.fences_closed == 1


def test_an_unclosed_fence_is_handed_over_when_the_stream_ends():
    buffer = ReplyBuffer()
    buffer.add("Code:\n~~~sh\nls -l\nrm -")
    assert buffer.take_markdown() == "Code:\n"
    assert buffer.take_rest() == "~~~sh\nls -l\nrm -"
    assert buffer.fences_closed == 1 and not buffer.in_fence


def test_only_a_matching_marker_closes_a_fence_and_backticks_in_the_info_string_open_none():
    buffer = ReplyBuffer()
    buffer.add("````md\n```\nstill code\n````\n``` not `a` fence\n")
    assert buffer.take_markdown() == "````md\n```\nstill code\n````\n``` not `a` fence\n"
    assert buffer.fences_closed == 1 and not buffer.in_fence


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(ANSWER)), max_size=30))
def test_however_the_stream_is_cut_markdown_receives_the_text_exactly_once(cuts):
    buffer, taken = feed(ANSWER, cuts)
    assert "".join(taken) == ANSWER == buffer.text
    # No piece of a fence reaches Markdown before the fence is closed.
    for piece in taken:
        assert piece.count("```") in (0, 2)


def test_the_last_code_block_is_the_parsers():
    assert last_code_block(ANSWER) == "plain\n"
    assert last_code_block("no code here") is None
    assert last_code_block("a\n\n    indented\n") == "indented\n"


def stored(role, content, *, context=None, status="complete", message_id=1):
    return StoredMessage(message_id, 1, role, content, context, None, None, None, None, None, status, None, 0.0)


def test_request_messages_put_each_context_before_its_question_and_drop_empty_replies():
    messages = [
        stored("user", "why can't I detach data-1?", context="Account context:\nBalance: 1 USD"),
        stored("assistant", "Because it is ACTIVE."),
        stored("user", "and now?"),
        stored("assistant", "", status="error"),
        stored("user", "hello?"),
    ]
    assert request_messages(messages) == [
        {"role": "user", "content": "Account context:\nBalance: 1 USD"},
        {"role": "user", "content": "why can't I detach data-1?"},
        {"role": "assistant", "content": "Because it is ACTIVE."},
        {"role": "user", "content": "and now?"},
        {"role": "user", "content": "hello?"},
    ]


def test_request_messages_leave_out_the_oldest_turns_beyond_the_context_window():
    messages = [stored("user", "x" * 400), stored("assistant", "y" * 400), stored("user", "newest question")]
    # 200 tokens of context: 150 for history; each 400-character message is ~100 tokens.
    assert request_messages(messages, context_length=200) == [
        {"role": "assistant", "content": "y" * 400}, {"role": "user", "content": "newest question"}
    ]
    assert request_messages(messages, context_length=10) == [{"role": "user", "content": "newest question"}]


MODEL = AIModel(id="barrack-assist", name="Barrack Assist", context_length=32768,
                input_price_per_1k=Decimal("0.0010"), output_price_per_1k=Decimal("0.0030"))


def test_a_complete_reply_is_priced_from_the_usage_and_the_models_per_1k_prices():
    settled = settle_reply(model=MODEL, model_id=MODEL.id, usage=ChatUsage(prompt_tokens=12, completion_tokens=80),
                           reported_model="barrack-assist", currency="USD")
    assert (settled.status, settled.prompt_tokens, settled.completion_tokens, settled.cost, settled.currency) == (
        "complete", 12, 80, Decimal("0.000252"), "USD")


def test_a_cancelled_or_failed_reply_says_so_and_claims_no_usage_it_did_not_get():
    cancelled = settle_reply(model=MODEL, model_id=MODEL.id, usage=None, reported_model=None, currency="USD",
                             cancelled=True)
    assert (cancelled.status, cancelled.cost, cancelled.prompt_tokens, cancelled.error) == ("cancelled", None, None, None)
    failed = settle_reply(model=MODEL, model_id=MODEL.id, usage=None, reported_model=None, currency="USD",
                          error=NetworkError(message="the connection dropped mid-answer"))
    assert failed.status == "error" and "dropped mid-answer" in failed.error and failed.currency is None
