"""Hypothesis over every wire model with data shaped by its own schema, and over the sanitizer itself.

Response models: any value either validates or raises pydantic's
ValidationError (never another exception, never echoing the input), and
every string of a validated model is terminal-safe — one-line fields
(`SafeStr`) without line breaks. Request models: strings stay raw
(ARCHITECTURE.md invariant 6: the rules validate them) and what the client
sends re-validates to the same request. Any bytes at all: ValidationError
only. The sanitizer: no C0/C1/DEL survives but tab (and newline in
multi-line text), it is idempotent, and it leaves safe text untouched.
(tests/api/test_sanitizer.py already throws arbitrary, mostly shapeless JSON
at the response models.)
"""

from __future__ import annotations

import inspect
import typing
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import AfterValidator, BaseModel

from barrack_tui.api import models
from barrack_tui.api.client_base import dump_request
from barrack_tui.api.errors import InvalidRequestError
from barrack_tui.api.models.common import RequestModel, WireModel
from barrack_tui.api.sanitize import sanitize_line, sanitize_text
from tests.security.schema_strategies import HOSTILE_STRINGS, strategy_for_model, string_leaves

RESPONSE_MODELS = sorted(
    (m for m in vars(models).values() if inspect.isclass(m) and issubclass(m, WireModel) and m is not WireModel),
    key=lambda m: m.__name__,
)
REQUEST_MODELS = sorted(
    (m for m in vars(models).values() if inspect.isclass(m) and issubclass(m, RequestModel) and m is not RequestModel),
    key=lambda m: m.__name__,
)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
# Raw data on purpose: errors.py cleans an ErrorBody's details before any message uses them.
RAW_FIELDS = {("ErrorBody", "details")}
# Terminal-unsafe apart from tab/newline: C0, DEL, C1, line/paragraph separators, bidi controls and marks.
_UNSAFE = {*range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def unsafe_chars(text: str, *, multiline: bool) -> list[str]:
    allowed = {"\t", "\n"} if multiline else {"\t"}
    return [ch for ch in text if ord(ch) in _UNSAFE and ch not in allowed]


def _is_one_line(annotation: Any, metadata: list[Any] = ()) -> bool:
    """Does this field's type carry the one-line sanitizer (SafeStr), at any depth (Optional, list)?"""
    if any(isinstance(m, AfterValidator) and m.func is sanitize_line for m in metadata):
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        _, *extra = typing.get_args(annotation)
        if any(isinstance(m, AfterValidator) and m.func is sanitize_line for m in extra):
            return True
    return any(_is_one_line(arg) for arg in typing.get_args(annotation))


def assert_terminal_safe(model: BaseModel) -> None:
    for name, field in type(model).model_fields.items():
        if (type(model).__name__, name) in RAW_FIELDS:
            continue
        one_line = _is_one_line(field.annotation, field.metadata)
        _check_value(getattr(model, name), one_line, f"{type(model).__name__}.{name}")


def _check_value(value: Any, one_line: bool, where: str) -> None:
    if isinstance(value, BaseModel):
        assert_terminal_safe(value)
    elif isinstance(value, str):
        bad = unsafe_chars(value, multiline=not one_line)
        assert not bad, f"{where} let {bad!r} through: {value!r}"
    elif isinstance(value, dict):
        for item in value.values():
            _check_value(item, one_line, where)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_value(item, one_line, where)


def test_every_model_is_fuzzed() -> None:
    assert len(RESPONSE_MODELS) > 80 and len(REQUEST_MODELS) > 15
    assert {"VMInstance", "VolumeResponse", "ChatCompletionChunk", "ErrorResponse"} <= {m.__name__ for m in RESPONSE_MODELS}
    assert {"DeploymentRequest", "CreateVolumeRequest", "ChatCompletionsRequest"} <= {m.__name__ for m in REQUEST_MODELS}


@pytest.mark.parametrize("model", RESPONSE_MODELS, ids=lambda m: m.__name__)
@FUZZ
@given(data=st.data())
def test_response_models_validate_or_refuse_and_keep_the_terminal_safe(model, data) -> None:
    value = data.draw(strategy_for_model(model), label="body")
    try:
        parsed = model.model_validate(value)
    except pydantic.ValidationError as exc:
        assert "input_value" not in str(exc)  # hide_input_in_errors: a rejected value is never echoed
        return
    assert_terminal_safe(parsed)


@pytest.mark.parametrize("model", REQUEST_MODELS, ids=lambda m: m.__name__)
@FUZZ
@given(data=st.data())
def test_request_models_keep_strings_raw_and_round_trip(model, data) -> None:
    value = data.draw(strategy_for_model(model), label="body")
    try:
        request = model.model_validate(value)
    except pydantic.ValidationError:
        with pytest.raises(InvalidRequestError):  # the client refuses it the same way, before sending
            dump_request(value, model)
        return
    sent = dump_request(request, model)
    assert model.model_validate(sent) == request  # the simulator reads back what the client meant
    hostile_in = {s for s in string_leaves(value) if unsafe_chars(s, multiline=True)}
    assert hostile_in <= set(string_leaves(sent)), "a request string was altered on its way out"


@FUZZ
@given(model=st.sampled_from(RESPONSE_MODELS + REQUEST_MODELS), raw=st.binary(max_size=80) | st.sampled_from(
    [b"", b"{", b'{"id": "x"', b"<html>502</html>", b"null", b"[]", b'{"a": 1e400}', b"\xff\xfe{}"]))
def test_any_bytes_at_all_give_a_model_or_a_validation_error(model, raw) -> None:
    try:
        model.model_validate_json(raw)
    except pydantic.ValidationError:
        pass


@settings(max_examples=400, deadline=None, database=None)
@given(text=st.text(alphabet=st.characters(codec=None, exclude_categories=("Cs",))) | st.sampled_from(HOSTILE_STRINGS))
def test_sanitizer_leaves_no_control_byte_is_idempotent_and_keeps_safe_text(text: str) -> None:
    line, multi = sanitize_line(text), sanitize_text(text)
    assert unsafe_chars(line, multiline=False) == []
    assert unsafe_chars(multi, multiline=True) == []
    assert sanitize_line(line) == line and sanitize_text(multi) == multi
    if not unsafe_chars(text, multiline=True) and "\n" not in text:
        assert line == text and multi == text
    if not unsafe_chars(text.replace("\r\n", "\n"), multiline=True):
        assert multi == text.replace("\r\n", "\n")
    if "\x1b" in text:
        assert "\\x1b" in line and "\\x1b" in multi  # escaped visibly, not dropped
