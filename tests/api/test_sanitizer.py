"""Hostile server strings reach no widget raw, and no server body can crash a model with anything but ValidationError."""

from __future__ import annotations

import inspect

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barrack_tui.api import models
from barrack_tui.api.models import ChatMessage, CreateSSHKeyResponse, Script, VMInstance, VolumeResponse, WireModel
from tests.api.scripted import instance_wire, volume_wire

HOSTILE_NAMES = [
    "clear\x1b[2Jscreen",
    "clip\x1b]52;c;ZWNobyBwd25lZA==\x07board",
    "c1\x9b31mred",
    "abc\rXYZ",
    "title\x1b]0;owned\x1b\\",
    "nul\x00del\x7fnel\x85",
    "bidi\u202eevil",
    "marks\u200fgpu\u200e\u061c",
    "line\nbreak",
]


# Bidi controls and marks, and the line/paragraph separators: invisible, and they change how a line reads.
REORDERING = {0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def assert_terminal_safe(text: str, *, multiline: bool = False) -> None:
    for ch in text:
        code = ord(ch)
        if ch == "\t" or (multiline and ch == "\n"):
            continue
        assert code >= 0x20, f"control byte {code:#x} survived in {text!r}"
        assert not 0x7F <= code <= 0x9F, f"DEL/C1 byte {code:#x} survived in {text!r}"
        assert code not in REORDERING, f"bidi/separator {code:#x} survived in {text!r}"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_instance_fields_are_made_terminal_safe(name):
    wire = instance_wire(name=name)
    wire["image"]["name"] = name
    wire["public_ip"] = name
    instance = VMInstance.model_validate(wire)
    for text in (instance.name, instance.image.name, instance.public_ip):
        assert_terminal_safe(text)
        assert "\n" not in text


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_volume_fields_are_made_terminal_safe(name):
    wire = volume_wire(name=name)
    wire["instance_name"] = name
    volume = VolumeResponse.model_validate(wire)
    assert_terminal_safe(volume.name)
    assert_terminal_safe(volume.instance_name)


def test_escapes_stay_visible_so_the_user_sees_something_is_odd():
    volume = VolumeResponse.model_validate(volume_wire(name="abc\rXYZ\x1b[2J"))
    assert volume.name == "abc\\x0dXYZ\\x1b[2J"


def test_multiline_fields_keep_newlines_and_lose_control_bytes():
    script = Script.model_validate(
        {"id": "s1", "name": "setup", "content": "#!/bin/sh\r\necho hi\x1b[2J\nexit 0\rX\n",
         "created_at": "2026-11-18T08:00:00Z", "updated_at": "2026-11-18T08:00:00Z"}
    )
    assert script.content.split("\n") == ["#!/bin/sh", "echo hi\\x1b[2J", "exit 0\\x0dX", ""]
    assert_terminal_safe(script.content, multiline=True)
    message = ChatMessage.model_validate({"role": "assistant", "content": "a\nb\x9b31m\tc"})
    assert message.content == "a\nb\\x9b31m\tc"
    key = CreateSSHKeyResponse.model_validate(
        {"key": {"id": "k", "name": "k\x1b]52;c;x\x07", "fingerprint": "SHA256:x", "public_key": "ssh-rsa AAAA",
                 "created_at": "2026-11-18T08:00:00Z"},
         "private_key": "-----BEGIN-----\nAAAA\n-----END-----\n"}
    )
    assert key.private_key.count("\n") == 3
    assert_terminal_safe(key.key.name)


RESPONSE_MODELS = sorted(
    (obj for obj in vars(models).values() if inspect.isclass(obj) and issubclass(obj, WireModel) and obj is not WireModel),
    key=lambda cls: cls.__name__,
)
FIELD_NAMES = sorted({name for model in RESPONSE_MODELS for name in model.model_fields})

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["ACTIVE", "NORWAY-1", "USD", "2026-11-18T08:00:00Z", "1.5", "Cloud-SSD", "SUCCESS", "tcp"])
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), children, max_size=6),
    max_leaves=25,
)


def test_every_response_model_is_covered():
    names = {model.__name__ for model in RESPONSE_MODELS}
    assert {"VMInstance", "VolumeResponse", "ErrorResponse", "ChatCompletionChunk", "GetVolumesWithNextNameResponse"} <= names
    assert len(RESPONSE_MODELS) > 80


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=st.sampled_from(RESPONSE_MODELS), data=json_values)
def test_arbitrary_json_parses_or_raises_validation_error_only(model, data):
    try:
        parsed = model.model_validate(data)
    except pydantic.ValidationError as exc:
        # hide_input_in_errors: the rejected values never appear in the message.
        assert "input_value" not in str(exc)
        return
    for value in _strings(parsed.model_dump()):
        assert_terminal_safe(value, multiline=True)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            # ErrorBody.details stays raw data on the model; errors.py cleans it before any message uses it.
            if key != "details":
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
