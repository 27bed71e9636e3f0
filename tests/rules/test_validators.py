"""Form validators: names (V10/I4/F2), key names (K1), descriptions, numbers, Jupyter, cloud-init, scripts."""

from __future__ import annotations

import pytest

from barrack_tui.rules.validators import (
    parse_int,
    validate_cloud_init,
    validate_description,
    validate_jupyter_password,
    validate_key_name,
    validate_name,
    validate_script,
)


@pytest.mark.parametrize("name", ["a", "volume1", "Data Set_2.v-3", "x" * 50, "A B"])
def test_V10_valid_names(name: str) -> None:
    assert validate_name(name).allowed


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        (None, "NAME_REQUIRED", "Name is required"),
        ("", "NAME_REQUIRED", "Name is required"),
        ("   ", "NAME_REQUIRED", "Name is required"),
        (" data", "NAME_EDGE_SPACE", "Name cannot start or end with a space"),
        ("data ", "NAME_EDGE_SPACE", "Name cannot start or end with a space"),
        ("x" * 51, "NAME_TOO_LONG", "Name must be at most 50 characters"),
        ("data/1", "NAME_CHARSET", "Name may only contain letters, digits, spaces, -, _ and ."),
        ("dätä", "NAME_CHARSET", "Name may only contain letters, digits, spaces, -, _ and ."),
        ("evil\x1b[2J", "NAME_CHARSET", "Name may only contain letters, digits, spaces, -, _ and ."),
        ("tab\there", "NAME_CHARSET", "Name may only contain letters, digits, spaces, -, _ and ."),
    ],
)
def test_V10_invalid_names(name, code: str, message: str) -> None:
    verdict = validate_name(name)
    assert (verdict.allowed, verdict.code, verdict.message) == (False, code, message)


def test_V10_name_must_be_unique_and_says_what_kind() -> None:
    verdict = validate_name("web", taken={"web", "db"}, kind="firewall")
    assert (verdict.code, verdict.message) == ("NAME_TAKEN", "Name 'web' is already used by another firewall")
    assert validate_name("Web", taken={"web"}).allowed  # uniqueness is exact, like the server's


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("my key", "NAME_CHARSET", "Key name cannot contain spaces"),
        ("key!", "NAME_CHARSET", "Key name may only contain letters, digits, -, _ and ."),
        ("k" * 51, "NAME_TOO_LONG", "Name must be at most 50 characters"),
        ("", "NAME_REQUIRED", "Name is required"),
        ("laptop", "NAME_TAKEN", "Name 'laptop' is already used by another SSH key"),
    ],
)
def test_K1_key_name_rules(name: str, code: str, message: str) -> None:
    verdict = validate_key_name(name, taken=["laptop"])
    assert (verdict.code, verdict.message) == (code, message)


def test_K1_valid_key_name() -> None:
    assert validate_key_name("work-laptop_2.ed25519").allowed


def test_description_limits() -> None:
    assert validate_description(None).allowed
    assert validate_description("d" * 255).allowed
    assert validate_description("d" * 256).message == "Description must be at most 255 characters"
    assert validate_description("d" * 11, max_len=10).message == "Description must be at most 10 characters"
    assert validate_description("two\nlines").code == "DESCRIPTION_CONTROL"


@pytest.mark.parametrize(
    ("text", "value", "code", "message"),
    [
        ("100", 100, "", ""),
        (" 42 ", 42, "", ""),
        ("-5", -5, "", ""),
        ("007", 7, "", ""),
        ("", None, "VALUE_REQUIRED", "Size is required"),
        ("ten", None, "NOT_A_WHOLE_NUMBER", "Size must be a whole number"),
        ("1.5", None, "NOT_A_WHOLE_NUMBER", "Size must be a whole number"),
        ("1_000", None, "NOT_A_WHOLE_NUMBER", "Size must be a whole number"),
        ("١٢", None, "NOT_A_WHOLE_NUMBER", "Size must be a whole number"),
        ("9" * 5000, None, "NUMBER_TOO_LARGE", "Size is too large"),
    ],
)
def test_parse_int(text: str, value, code: str, message: str) -> None:
    parsed, verdict = parse_int(text, label="Size")
    assert (parsed, verdict.code, verdict.message) == (value, code, message)


def test_I4_jupyter_password() -> None:
    assert validate_jupyter_password(False, None).allowed
    assert validate_jupyter_password(True, "8 chars!").allowed
    assert validate_jupyter_password(True, "short").message == "Jupyter password must be at least 8 characters"
    assert validate_jupyter_password(True, None).code == "JUPYTER_PASSWORD_REQUIRED"


def test_I4_cloud_init_size() -> None:
    assert validate_cloud_init(None).allowed
    assert validate_cloud_init("x" * 16_384).allowed
    assert validate_cloud_init("x" * 16_385).code == "CLOUD_INIT_TOO_LARGE"


def test_scripts_name_and_content() -> None:
    ok = validate_script("setup", "#!/bin/sh\necho hi\n", taken=["other"])
    assert set(ok) == {"name", "content"} and all(ok.values())
    bad = validate_script("other", "   ", taken=["other"])
    assert {k: v.message for k, v in bad.items()} == {
        "name": "Name 'other' is already used by another script",
        "content": "Script content is required",
    }
    big = validate_script("setup", "#" * 16_385)["content"]
    assert big.message == "Script must be at most 16 KB (16,384 bytes); this one is 16,385 bytes"
