"""The simulator's AI Chat assistant: deterministic Markdown answers from the live account state.

It answers a handful of account questions (burn rate, why a volume will not
detach, SHUTOFF instances, what runs where, GPU stock, how to connect) by
reading `SimState` and asking the same rules and price table the TUI uses, so
its numbers and refusal texts are the ones the dashboard shows. It only ever
explains and suggests: it never claims to have changed anything.

Resource names are echoed raw, exactly as stored: hostile names seeded by
tests must reach the client unsanitized, since the client's sanitizer is what
protects the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from barrack_tui.api.models.common import VMStatus
from barrack_tui.api.models.instances import VMInstance
from barrack_tui.api.models.volumes import VolumeResponse
from barrack_tui.rules.pricing import (
    HIBERNATED_HOURLY,
    CostBreakdown,
    cost_breakdown,
    hibernation_saving_per_hour,
    instance_billing_rate,
    money,
)
from barrack_tui.rules.volumes import can_detach
from barrack_tui.sim.catalogue import REGIONS
from barrack_tui.sim.state import REGION_TIERS, InstanceRecord, SimState, VolumeRecord

D = Decimal
SSH_USER = "ubuntu"  # the default user of every Ubuntu image in the catalogue
# A chat answer is read (and streamed word by word): a 10,000-instance fleet is
# summarised, never listed in full.
MAX_ROWS = 25
MAX_ROWS_PER_REGION = 10

CAPABILITIES = (
    "**What am I paying for?** your burn rate per instance, per hour and per day",
    "**Why can't I detach data-1?** checks the volume against the detach rules and says what to do",
    "**Which instances are SHUTOFF?** what they cost and what hibernating them would save",
    "**What runs where?** instances and volumes per region",
    "**Is H100 in stock?** free GPU configurations per region",
    "**How do I connect?** the ssh commands for your instances",
)


def answer(question: str, state: SimState, *, context: str | None = None) -> str:
    """A Markdown answer to `question` about the account in `state` (same input, same answer)."""
    lowered = question.lower()
    for matches, respond in _INTENTS:
        if matches(lowered):
            return respond(question, state)
    return _fallback(state, context)


def _has_any(*words: str) -> Callable[[str], bool]:
    return lambda lowered: any(word in lowered for word in words)


def _live_instances(state: SimState) -> list[InstanceRecord]:
    return sorted(
        (i for i in state.instances.values() if i.status != VMStatus.DELETED),
        key=lambda i: (i.region, i.name, i.id),
    )


def _more(total: int, what: str, shown: int = MAX_ROWS) -> list[str]:
    return [f"(the {shown} above of {total} {what})"] if total > shown else []


def _amount(value: Decimal, currency: str) -> str:
    return f"{money(value)} {currency}"


# --- burn rate -------------------------------------------------------------------------------


def burn_rate(state: SimState) -> CostBreakdown:
    """The account's cost per hour in parts, by the one cost model the TUI's header uses (rules.pricing).

    Instances of another currency context are billed in that currency and left
    out; storage is every volume once available plus every complete snapshot.
    """
    return cost_breakdown(_live_instances(state), state.volumes.values(), state.snapshots.values(), state.currency)


def _burn_rate_answer(_: str, state: SimState) -> str:
    currency = state.currency
    instances = _live_instances(state)
    costs = burn_rate(state)
    lines = ["## What you are paying for", ""]
    if instances:
        lines += ["| Instance | Region | Status | GPUs | Per hour |", "|---|---|---|---|---|"]
        rated = [
            (costs.per_instance.get(i.id) or instance_billing_rate(i.status, i.hourly_price, i.currency), i)
            for i in instances
        ]
        # Costliest first: that is what the question is about.
        rated.sort(key=lambda pair: (-pair[0], pair[1].region, pair[1].name))
        for rate, i in rated[:MAX_ROWS]:
            lines.append(
                f"| {i.name} | {i.region} | {i.status} | {i.gpu_count}× {i.gpu_model} | {_amount(rate, i.currency)} |"
            )
        lines += _more(len(rated), "instances")
        lines.append("")
    else:
        lines += ["You have no instances.", ""]
    total = costs.total_per_hour
    volumes, snapshots = costs.volumes, costs.snapshots
    lines += [
        f"- Instances: **{_amount(costs.instances_per_hour, currency)}/hour** "
        "(ACTIVE and SHUTOFF bill the full rate, HIBERNATED "
        f"{_amount(HIBERNATED_HOURLY[currency], currency)}/hour, transitional states nothing)",
        f"- Storage: **{_amount(costs.storage_per_hour, currency)}/hour**: "
        f"volumes {_amount(volumes.per_hour, currency)}/hour ({volumes.count}, {volumes.size_gb} GB), "
        f"snapshots {_amount(snapshots.per_hour, currency)}/hour ({snapshots.count}, {snapshots.size_gb} GB)",
        "",
        f"**Burn rate: {_amount(total, currency)}/hour, {_amount(total * 24, currency)}/day.**",
    ]
    others = sorted({i.currency for i in instances if i.currency != currency})
    if others:
        lines.append(f"(Instances billed in {', '.join(others)} are not included in that total.)")
    if total > 0:
        hours_left = state.balance / total
        lines += [
            "",
            f"Your balance of {_amount(state.balance, currency)} lasts about {int(hours_left)} hours at this rate.",
        ]
    shutoff = [i for i in instances if i.status == VMStatus.SHUTOFF and i.currency == currency]
    if shutoff:
        saving = sum((hibernation_saving_per_hour(i.hourly_price, currency) for i in shutoff), D("0"))
        lines += [
            "",
            f"{len(shutoff)} SHUTOFF instance(s) still bill the full rate; hibernating them would save "
            f"{_amount(saving, currency)}/hour.",
        ]
    return "\n".join(lines)


# --- volume detach -------------------------------------------------------------------------


def _mentioned_volume(question: str, state: SimState) -> VolumeRecord | None:
    lowered = question.lower()
    # Longest name first, so "data-10" wins over "data-1" when both could match.
    for volume in sorted(state.volumes.values(), key=lambda v: len(v.name), reverse=True):
        if volume.name and volume.name.lower() in lowered:
            return volume
    tokens = set(re.findall(r"[\w.-]+", lowered))
    return next((v for v in state.volumes.values() if v.id.lower() in tokens), None)


def _detach_answer(question: str, state: SimState) -> str:
    volume = _mentioned_volume(question, state)
    if volume is None:
        attached = sorted(v.name for v in state.volumes.values() if v.instance_id)
        listing = "\n".join(f"- {name}" for name in attached) or "- (no volume is attached right now)"
        return f"Which volume do you mean? I can check any of your attached volumes:\n\n{listing}"
    instance = state.instances.get(volume.instance_id) if volume.instance_id else None
    verdict = can_detach(
        VolumeResponse.model_validate(volume.wire(state.instances)),
        VMInstance.model_validate(instance.wire()) if instance else None,
        state.currency,
    )
    if verdict.allowed:
        host = instance.name if instance else "its instance"
        return (
            f"**{volume.name}** can be detached now: it is attached to **{host}**, which is SHUTOFF.\n\n"
            "Select it on the Volumes screen and choose Detach. Before starting the instance again, update "
            "`/etc/fstab` entries and services that used the mount."
        )
    lines = [f"**{volume.name}** cannot be detached right now:", "", f"> {verdict.message}", ""]
    lines += _detach_advice(verdict.code, volume, instance)
    return "\n".join(lines)


def _detach_advice(code: str, volume: VolumeRecord, instance: InstanceRecord | None) -> list[str]:
    if code == "VOLUME_BOOTABLE":
        return [
            f"{volume.name} is the OS volume its instance boots from, so it stays attached for the "
            "instance's whole life. Take a snapshot if you need a copy of its data."
        ]
    if code == "VOLUME_NOT_ATTACHED":
        return [f"{volume.name} is {volume.status}: there is nothing to detach. It can be attached or deleted instead."]
    if code == "INSTANCE_NOT_FOUND":
        return [
            "The instance it was attached to no longer exists; refresh the Volumes screen, "
            "and contact support if it stays attached."
        ]
    if code == "CURRENCY_CONTEXT":
        return ["Switch the account's currency to the one that instance is billed in, then try again."]
    if instance is None:
        return []
    if instance.status in (VMStatus.ACTIVE,):
        advice = [
            f"What to do: stop **{instance.name}** (Instances screen, Stop), wait until it is SHUTOFF, detach "
            f"{volume.name}, then start the instance again.",
        ]
        if instance.public_ip:
            advice += [
                "",
                "Unmount it before stopping, so nothing is writing to it:",
                "",
                "```sh",
                f"ssh {SSH_USER}@{instance.public_ip}",
                "lsblk                      # find where the volume is mounted",
                "sudo umount <mount point>  # and remove its /etc/fstab line",
                "```",
            ]
        return advice
    if instance.status == VMStatus.HIBERNATED:
        return [f"What to do: restore **{instance.name}**, stop it, and detach {volume.name} once it is SHUTOFF."]
    return [
        f"What to do: wait for **{instance.name}** to finish {instance.status}, stop it, then detach {volume.name}."
    ]


# --- SHUTOFF instances ----------------------------------------------------------------------


def _shutoff_answer(_: str, state: SimState) -> str:
    shutoff = [i for i in _live_instances(state) if i.status == VMStatus.SHUTOFF]
    if not shutoff:
        return "No instance is SHUTOFF right now."
    lines = [
        "## SHUTOFF instances",
        "",
        "A SHUTOFF instance is billed its full hourly rate (its GPUs stay reserved for you).",
        "",
        "| Instance | Region | GPUs | Per hour | Saved per hour if hibernated |",
        "|---|---|---|---|---|",
    ]
    savings: dict[str, Decimal] = {}
    for i in shutoff:
        savings[i.currency] = savings.get(i.currency, D("0")) + hibernation_saving_per_hour(i.hourly_price, i.currency)
    for i in sorted(shutoff, key=lambda i: -i.hourly_price)[:MAX_ROWS]:
        saving = hibernation_saving_per_hour(i.hourly_price, i.currency)
        lines.append(
            f"| {i.name} | {i.region} | {i.gpu_count}× {i.gpu_model} | {_amount(i.hourly_price, i.currency)} "
            f"| {_amount(saving, i.currency)} |"
        )
    lines += _more(len(shutoff), "SHUTOFF instances")
    lines.append("")
    for currency, saving in sorted(savings.items()):
        lines.append(
            f"Hibernating them would save **{_amount(saving, currency)}/hour** "
            f"({_amount(saving * 24, currency)}/day); a hibernated instance costs "
            f"{_amount(HIBERNATED_HOURLY[currency], currency)}/hour."
        )
    lines += ["", "To do it, select an instance on the Instances screen and choose Hibernate."]
    return "\n".join(lines)


# --- what runs where ------------------------------------------------------------------------


def _regions_answer(_: str, state: SimState) -> str:
    lines = ["## What runs where"]
    instances = _live_instances(state)
    for region, info in REGIONS.items():
        here = [i for i in instances if i.region == region]
        volumes = sorted((v for v in state.volumes.values() if v.region == region), key=lambda v: v.name)
        lines += ["", f"### {region}: {info.location} ({info.tier} tier)"]
        if not here and not volumes:
            lines.append("Nothing here.")
            continue
        for i in here[:MAX_ROWS_PER_REGION]:
            address = f", public IP {i.public_ip}" if i.public_ip else ""
            lines.append(f"- **{i.name}**: {i.status}, {i.gpu_count}× {i.gpu_model}{address}")
        if len(here) > MAX_ROWS_PER_REGION:
            lines.append(f"- and {len(here) - MAX_ROWS_PER_REGION} more instances")
        if volumes:
            names = ", ".join(f"{v.name} ({v.size_gb} GB, {v.status})" for v in volumes[:MAX_ROWS_PER_REGION])
            if len(volumes) > MAX_ROWS_PER_REGION:
                names += f" and {len(volumes) - MAX_ROWS_PER_REGION} more"
            lines.append(f"- Volumes: {names}")
    return "\n".join(lines)


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


# --- connecting -----------------------------------------------------------------------------


def _ssh_answer(_: str, state: SimState) -> str:
    instances = [i for i in _live_instances(state) if i.status == VMStatus.ACTIVE]
    reachable = [i for i in instances if i.public_ip]
    if not instances:
        return "No instance is ACTIVE right now; start one first, then connect with `ssh ubuntu@<public ip>`."
    lines = ["## Connecting to your instances", ""]
    if reachable:
        lines += ["```sh"]
        lines += [f"ssh {SSH_USER}@{i.public_ip}    # {i.name}" for i in reachable[:MAX_ROWS]]
        lines += ["```", *_more(len(reachable), "reachable instances"), ""]
    private_only = [i for i in instances if not i.public_ip]
    if private_only:
        names = ", ".join(i.name for i in private_only[:MAX_ROWS])
        if len(private_only) > MAX_ROWS:
            names += f" and {len(private_only) - MAX_ROWS} more"
        verb = "has" if len(private_only) == 1 else "have"
        lines.append(
            f"{names} {verb} no public IP: turn it on from the Instances screen (mind the security warning) "
            "or connect through a host in the same region using the private IP."
        )
    return "\n".join(lines).rstrip()


# --- fallback -------------------------------------------------------------------------------


def _fallback(state: SimState, context: str | None) -> str:
    lines = ["I can answer these questions about your account:", ""]
    lines += [f"- {item}" for item in CAPABILITIES]
    if context:
        lines += [
            "",
            "(I read the account context you attached, but I answer from the live state of the account, "
            "which is always current.)",
        ]
    return "\n".join(lines)


_INTENTS: tuple[tuple[Callable[[str], bool], Callable[[str, SimState], str]], ...] = (
    (_has_any("detach"), _detach_answer),
    (_has_any("shutoff", "shut off", "stopped", "hibernat"), _shutoff_answer),
    (
        _has_any("paying", "pay for", "burn", "cost", "spend", "bill", "how much", "per hour", "expensive"),
        _burn_rate_answer,
    ),
    (_has_any("stock", "capacity", "available gpu", "can i deploy", "free gpu"), _stock_answer),
    (_has_any("ssh", "connect", "log in", "login"), _ssh_answer),
    (_has_any("where", "region", "running", "runs"), _regions_answer),
)
