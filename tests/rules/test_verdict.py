"""A refused Verdict is falsy and an allowed one truthy, so `if verdict:` reads as "may I?"."""

from barrack_tui.rules.verdict import ALLOWED, refuse


def test_a_refusal_is_falsy_and_keeps_its_words():
    refused = refuse("VOLUME_IN_USE", "Detach the volume first")
    assert not refused
    assert refused.message == "Detach the volume first"


def test_an_allowed_verdict_is_truthy():
    assert ALLOWED


def test_or_between_verdicts_would_hide_the_first_refusal():
    # Why the rules never chain verdicts with `or`: the first refusal's words would be lost.
    first, second = refuse("A", "first reason"), refuse("B", "second reason")
    assert (first or second).message == "second reason"
