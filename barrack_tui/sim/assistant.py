"""The simulator's AI Chat assistant: deterministic Markdown answers, about the account only from what it was told.

Like a real model, it knows of the account only what the app attached to the
conversation: the "Account context:" summary the chat sends when its context
toggle is on (`sim/assistant_context.py` reads it back). Without one, an
account question is answered with how to attach it, never with the live
state. GPU stock is the catalogue, not the account, so that answer reads the
simulator. It only ever explains and suggests: it never claims to have
changed anything.

Resource names are echoed raw, exactly as they arrive: hostile names seeded by
tests must reach the client unsanitized, since the client's sanitizer is what
protects the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from barrack_tui.sim import assistant_context as told
from barrack_tui.sim.state import REGION_TIERS, SimState

CAPABILITIES = (
    "**What am I paying for?** your burn rate per instance, per hour and per day",
    "**Why can't I detach data-1?** checks the volume against the detach rules and says what to do",
    "**Which instances are SHUTOFF?** what they cost and what hibernating them would save",
    "**What runs where?** instances and volumes per region",
    "**Is H100 in stock?** free GPU configurations per region",
    "**How do I connect?** the ssh commands for your instances",
)


def answer(question: str, state: SimState, *, context: str | None = None) -> str:
    """A Markdown answer to `question`, about the account only from `context` (same input, same answer)."""
    lowered = question.lower()
    for matches, respond in _INTENTS:
        if not matches(lowered):
            continue
        if respond is None:  # the catalogue, not the account
            return _stock_answer(question, state)
        return respond(question, told.read_summary(context)) if context else told.CONTEXT_OFF
    return _fallback(context)


def _has_any(*words: str) -> Callable[[str], bool]:
    return lambda lowered: any(word in lowered for word in words)


# --- GPU stock ------------------------------------------------------------------------------


def _stock_answer(question: str, state: SimState) -> str:
    lowered = question.lower()
    words = set(re.findall(r"[a-z0-9]+", lowered))
    # "US-1", or just "us" / "canada" / "norway".
    regions = [r for r in REGION_TIERS if r.lower() in lowered or r.split("-")[0].lower() in words] or list(
        REGION_TIERS
    )
    models = sorted({model for (_, model, _) in state.stock})
    wanted = [m for m in models if m.lower() in lowered]
    if not wanted:
        # "H100", "a100" or "a6000" names a family: every model whose name contains it.
        families = set(re.findall(r"\b([a-z]+\d+)\b", lowered))
        wanted = [m for m in models if any(f in m.lower() for f in families)] or models
    rows = sorted(
        (region, model, count, free)
        for (region, model, count), free in state.stock.items()
        if region in regions and model in wanted
    )
    in_stock = [row for row in rows if row[3] > 0]
    if not in_stock:
        scope = ", ".join(wanted) if wanted != models else "any GPU"
        return f"No stock for {scope} in {', '.join(regions)} right now. Other regions or GPU models may have some."
    lines = ["## GPUs in stock", "", "| Region | GPU | Count | Free |", "|---|---|---|---|"]
    lines += [f"| {region} | {model} | {count} | {free} |" for region, model, count, free in in_stock]
    sold_out = sorted(
        {(region, model) for region, model, _, free in rows if free == 0} - {(r, m) for r, m, _, _ in in_stock}
    )
    if sold_out:
        lines += ["", "Out of stock: " + ", ".join(f"{model} in {region}" for region, model in sold_out) + "."]
    lines += ["", "Deploy from the Instances screen; the form only offers configurations that are in stock."]
    return "\n".join(lines)


# --- fallback -------------------------------------------------------------------------------


def _fallback(context: str | None) -> str:
    lines = ["I can answer these questions about your account:", ""]
    lines += [f"- {item}" for item in CAPABILITIES]
    lines += [
        "",
        "I answer account questions from the account summary you attached to this conversation."
        if context
        else "Account questions need your account summary: press c to attach it to your next question.",
    ]
    return "\n".join(lines)


# In this order: "is H100 available in US-1 region?" is about stock, not about what runs where.
_INTENTS: tuple[tuple[Callable[[str], bool], Callable[[str, told.Summary], str] | None], ...] = (
    (_has_any("detach"), told.detach),
    (_has_any("shutoff", "shut off", "stopped", "hibernat"), lambda _, summary: told.shutoff(summary)),
    (
        _has_any("paying", "pay for", "burn", "cost", "spend", "bill", "how much", "per hour", "expensive"),
        lambda _, summary: told.burn_rate(summary),
    ),
    (_has_any("stock", "capacity", "available gpu", "can i deploy", "free gpu"), None),
    (_has_any("ssh", "connect", "log in", "login"), lambda _, summary: told.ssh(summary)),
    (_has_any("where", "region", "running", "runs"), lambda _, summary: told.regions(summary)),
)
