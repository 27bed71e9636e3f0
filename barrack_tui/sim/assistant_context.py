"""What the simulator's assistant knows of an account: only the summary the app attached, read back line by line.

A real model sees nothing but its prompt, so the assistant answers account
questions from the "Account context:" summary (`barrack_tui/chat/context.py`
writes it), never from the simulator's live state: with the toggle off it has
nothing to say about the account. The summary is plain text for a reader;
`read_summary` takes back what the answers need (each instance's status,
region, address and rates; each volume's attachment and detach verdict) and
keeps any line it cannot read as it is, so a change of wording loses a
detail, not the answer. Names are echoed raw, as the rest of the assistant does.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from barrack_tui.rules.pricing import hibernation_saving_per_hour, money

CONTEXT_OFF = "Account context is off: press c to attach a summary of your account."
FROM_SUMMARY = "(From the account summary attached to this conversation; press c to attach a fresh one.)"
SSH_USER = "ubuntu"  # the default user of every Ubuntu image in the catalogue

_INSTANCE = re.compile(r"^- (?P<name>.*) \[(?P<status>[A-Z_?]+)\] (?P<region>[^,]+), (?P<gpus>[^,;]+)(?P<rest>.*)$")
_ADDRESS = re.compile(r"public IP (?P<ip>[^;,\s]+)")
_LIST = re.compile(r"list price (?P<amount>[\d.,]+) (?P<currency>[A-Z]{3})/h")
_BILLED = re.compile(r"billed now (?P<amount>[\d.,]+) (?P<currency>[A-Z]{3})/h")
_VOLUME = re.compile(r"^- (?P<name>.*) \((?P<size>\d+) GB (?P<kind>\w+), (?P<status>[^,]+), (?P<region>[^)]+)\): (?P<rest>.*)$")
_ATTACHED = re.compile(r"attached to (?P<instance>.*) \[(?P<status>[^\]]+)\]; ")
_REFUSED = re.compile(r"detach refused \((?P<code>[A-Z_]+)\): (?P<message>.*?)(?:; storage .*)?$")


def _amount(pattern: re.Pattern[str], text: str) -> tuple[Decimal, str] | None:
    found = pattern.search(text)
    if found is None:
        return None
    try:
        return Decimal(found["amount"].replace(",", "")), found["currency"]
    except InvalidOperation:
        return None


@dataclass
class Instance:
    name: str
    status: str
    region: str
    gpus: str
    public_ip: str | None
    list_price: tuple[Decimal, str] | None
    billed: tuple[Decimal, str] | None


@dataclass
class Volume:
    name: str
    size_gb: int
    status: str
    region: str
    instance: str | None
    instance_status: str | None
    detachable: bool
    refusal_code: str
    refusal: str


@dataclass
class Summary:
    """The attached summary as the assistant reads it: account lines, instances, volumes, lines it could not read."""

    account: list[str] = field(default_factory=list)
    instances: list[Instance] = field(default_factory=list)
    volumes: list[Volume] = field(default_factory=list)
    # "- … and 120 more" under a section: the summary lists the first ones only.
    more: dict[str, str] = field(default_factory=dict)
    other: list[str] = field(default_factory=list)


def _instance(line: str) -> Instance | None:
    found = _INSTANCE.match(line)
    if found is None:
        return None
    address = _ADDRESS.search(found["rest"])
    return Instance(
        name=found["name"],
        status=found["status"],
        region=found["region"].strip(),
        gpus=found["gpus"].strip(),
        public_ip=address["ip"] if address else None,
        list_price=_amount(_LIST, line),
        billed=_amount(_BILLED, line),
    )


def _volume(line: str) -> Volume | None:
    found = _VOLUME.match(line)
    if found is None:
        return None
    rest = found["rest"]
    attached = _ATTACHED.search(rest)
    refused = _REFUSED.search(rest)
    return Volume(
        name=found["name"],
        size_gb=int(found["size"]),
        status=found["status"].strip(),
        region=found["region"].strip(),
        instance=attached["instance"] if attached else None,
        instance_status=attached["status"] if attached else None,
        detachable="can be detached now" in rest,
        refusal_code=refused["code"] if refused else ("VOLUME_NOT_ATTACHED" if "not attached" in rest else ""),
        refusal=refused["message"] if refused else "",
    )


def read_summary(context: str) -> Summary:
    """The last summary in `context` (the freshest, when several questions carried one)."""
    text = context[context.rfind("Account context:") :] if "Account context:" in context else context
    summary = Summary()
    section = ""
    for line in text.splitlines()[1:]:
        if not line.startswith("- "):
            section = line.split(" ", 1)[0].rstrip(":")
            if section not in ("Instances", "Volumes"):
                summary.account.append(line)
            continue
        if line.startswith("- …"):
            summary.more[section] = line.removeprefix("- ").strip()
            continue
        item = _instance(line) if section == "Instances" else _volume(line) if section == "Volumes" else None
        if isinstance(item, Instance):
            summary.instances.append(item)
        elif isinstance(item, Volume):
            summary.volumes.append(item)
        else:
            summary.other.append(line)
    return summary


def _more(summary: Summary, section: str) -> str:
    """"(… and 120 more instances: the summary lists the first ones only.)" when it cut the section short."""
    more = summary.more.get(section)
    return f"({more} {section.lower()}: the summary lists the first ones only.)" if more else ""


def _price(value: tuple[Decimal, str] | None) -> str:
    return f"{money(value[0])} {value[1]}" if value else "unknown"


# --- answers --------------------------------------------------------------------------------


def burn_rate(summary: Summary) -> str:
    lines = ["## What you are paying for", ""]
    if summary.instances:
        lines += ["| Instance | Region | Status | GPUs | Billed now per hour |", "|---|---|---|---|---|"]
        ranked = sorted(summary.instances, key=lambda i: -(i.billed[0] if i.billed else Decimal(0)))
        lines += [f"| {i.name} | {i.region} | {i.status} | {i.gpus} | {_price(i.billed)} |" for i in ranked]
        lines += [_more(summary, "Instances"), ""]
    lines += [f"- {line}" for line in summary.account]
    lines += _hibernation_note(summary)
    return "\n".join([*lines, "", FROM_SUMMARY])


def _hibernation_note(summary: Summary) -> list[str]:
    prices = [i.list_price for i in summary.instances if i.status == "SHUTOFF" and i.list_price is not None]
    savings: dict[str, Decimal] = defaultdict(Decimal)
    for amount, currency in prices:
        savings[currency] += hibernation_saving_per_hour(amount, currency)
    return [
        "",
        *(
            f"{len(prices)} SHUTOFF instance(s) still bill the full rate; hibernating them would save "
            f"{money(saving)} {currency}/hour."
            for currency, saving in sorted(savings.items())
            if saving > 0
        ),
    ] if savings else []


def shutoff(summary: Summary) -> str:
    stopped = [i for i in summary.instances if i.status == "SHUTOFF"]
    if not stopped:
        return "\n".join(["No instance in the summary is SHUTOFF.", "", FROM_SUMMARY])
    lines = [
        "## SHUTOFF instances",
        "",
        "A SHUTOFF instance is billed its full hourly rate (its GPUs stay reserved for you).",
        "",
        "| Instance | Region | GPUs | Per hour | Saved per hour if hibernated |",
        "|---|---|---|---|---|",
    ]
    for i in stopped:
        saving = _price((hibernation_saving_per_hour(*i.list_price), i.list_price[1]) if i.list_price else None)
        lines.append(f"| {i.name} | {i.region} | {i.gpus} | {_price(i.list_price)} | {saving} |")
    lines += [*_hibernation_note(summary), "", "To do it, select an instance on the Instances screen and choose Hibernate."]
    return "\n".join([*lines, "", FROM_SUMMARY])


def _mentioned(question: str, volumes: list[Volume]) -> Volume | None:
    lowered = question.lower()
    # Longest name first, so "data-10" wins over "data-1" when both could match.
    return next((v for v in sorted(volumes, key=lambda v: -len(v.name)) if v.name and v.name.lower() in lowered), None)


def detach(question: str, summary: Summary) -> str:
    volume = _mentioned(question, summary.volumes)
    if volume is None:
        attached = [f"- {v.name}" for v in summary.volumes if v.instance]
        listing = "\n".join(attached) or "- (no volume in the summary is attached)"
        return f"Which volume do you mean? I can check the attached volumes in the summary:\n\n{listing}\n\n{FROM_SUMMARY}"
    if volume.detachable:
        return (
            f"**{volume.name}** can be detached now: it is attached to **{volume.instance}**, which is "
            f"{volume.instance_status}.\n\nSelect it on the Volumes screen and choose Detach. Before starting the "
            f"instance again, update `/etc/fstab` entries and services that used the mount.\n\n{FROM_SUMMARY}"
        )
    lines = [f"**{volume.name}** cannot be detached right now:", ""]
    if volume.refusal:
        lines += [f"> {volume.refusal}", ""]
    lines += detach_advice(volume, summary)
    return "\n".join([*lines, "", FROM_SUMMARY])


def detach_advice(volume: Volume, summary: Summary) -> list[str]:
    code, host = volume.refusal_code, volume.instance
    if code == "VOLUME_BOOTABLE":
        return [
            f"{volume.name} is the OS volume its instance boots from, so it stays attached for the "
            "instance's whole life. Take a snapshot if you need a copy of its data."
        ]
    if code == "VOLUME_NOT_ATTACHED":
        return [f"{volume.name} is {volume.status}: there is nothing to detach. It can be attached or deleted instead."]
    if code == "INSTANCE_NOT_FOUND":
        return ["The instance it was attached to no longer exists; refresh the Volumes screen, and contact support if it stays attached."]
    if code == "CURRENCY_CONTEXT":
        return ["Switch the account's currency to the one that instance is billed in, then try again."]
    if host is None:
        return []
    if volume.instance_status == "ACTIVE":
        advice = [
            f"What to do: stop **{host}** (Instances screen, Stop), wait until it is SHUTOFF, detach "
            f"{volume.name}, then start the instance again.",
        ]
        address = next((i.public_ip for i in summary.instances if i.name == host and i.public_ip), None)
        if address:
            advice += [
                "",
                "Unmount it before stopping, so nothing is writing to it:",
                "",
                "```sh",
                f"ssh {SSH_USER}@{address}",
                "lsblk                      # find where the volume is mounted",
                "sudo umount <mount point>  # and remove its /etc/fstab line",
                "```",
            ]
        return advice
    if volume.instance_status == "HIBERNATED":
        return [f"What to do: restore **{host}**, stop it, and detach {volume.name} once it is SHUTOFF."]
    return [f"What to do: wait for **{host}** to finish {volume.instance_status}, stop it, then detach {volume.name}."]


def regions(summary: Summary) -> str:
    lines = ["## What runs where"]
    by_region: dict[str, tuple[list[Instance], list[Volume]]] = defaultdict(lambda: ([], []))
    for i in summary.instances:
        by_region[i.region][0].append(i)
    for v in summary.volumes:
        by_region[v.region][1].append(v)
    if not by_region:
        lines += ["", "The summary lists no instances and no volumes."]
    for region, (instances, volumes) in sorted(by_region.items()):
        lines += ["", f"### {region}"]
        for i in instances:
            address = f", public IP {i.public_ip}" if i.public_ip else ""
            lines.append(f"- **{i.name}**: {i.status}, {i.gpus}{address}")
        if volumes:
            lines.append("- Volumes: " + ", ".join(f"{v.name} ({v.size_gb} GB, {v.status})" for v in volumes))
    lines += ["", *filter(None, (_more(summary, "Instances"), _more(summary, "Volumes")))]
    lines += [f"- {line.removeprefix('- ')}" for line in summary.other]
    return "\n".join([*lines, "", FROM_SUMMARY])


def ssh(summary: Summary) -> str:
    active = [i for i in summary.instances if i.status == "ACTIVE"]
    if not active:
        return f"No instance in the summary is ACTIVE; start one first, then connect with `ssh {SSH_USER}@<public ip>`.\n\n{FROM_SUMMARY}"
    lines = ["## Connecting to your instances", ""]
    reachable = [i for i in active if i.public_ip]
    if reachable:
        lines += ["```sh", *(f"ssh {SSH_USER}@{i.public_ip}    # {i.name}" for i in reachable), "```", ""]
    private_only = [i.name for i in active if not i.public_ip]
    if private_only:
        verb = "has" if len(private_only) == 1 else "have"
        lines.append(
            f"{', '.join(private_only)} {verb} no public IP: turn it on from the Instances screen (mind the security "
            "warning) or connect through a host in the same region using the private IP."
        )
    return "\n".join([*lines, "", FROM_SUMMARY]).replace("\n\n\n", "\n\n")
