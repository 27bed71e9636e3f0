"""SSH to instances: the default user of an image, the `ssh` command line, and the managed ssh config.

`barrack_ssh_config` (in the app's config dir) is ours entirely: it is
rewritten from the current instance list each time, deterministically, so
writing it twice changes nothing and deleted instances disappear. The user's
`~/.ssh/config` is touched only to add one `Include` line (and a comment line
above it saying who added it), only after the user said yes, and only once;
every other line stays byte for byte as it was.

Instance names are server strings: a Host alias is built from a strict
charset, and nothing of a name reaches the file except through that filter,
so a name with a newline or `Host *` inside cannot inject configuration.
`ssh_route` decides how `s` reaches an instance: its public IP, its private IP
through the configured `[ssh] jump_host`, or a refusal naming the one step that
would open it (restore, start, a public IP). No Textual here (the CLI uses it too).
"""

from __future__ import annotations

import ipaddress
import os
import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from barrack_tui.account import paths
from barrack_tui.account.files import atomic_write
from barrack_tui.api.models import VMInstance, VMStatus
from barrack_tui.rules.instances import can_instance_action

MANAGED_FILE_NAME = "barrack_ssh_config"
HOST_PREFIX = "barrack-"
INCLUDE_COMMENT = "# Added by barrack-tui: the Host entries of your Barrack instances"
_ALIAS_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Images whose default login is not `ubuntu`. Barrack's own OS images are all Ubuntu, and custom images
# are snapshots of instances booted from them, so an image name that says nothing means Ubuntu too.
_IMAGE_USERS = (("debian", "debian"), ("centos", "centos"), ("rocky", "rocky"), ("fedora", "fedora"), ("ubuntu", "ubuntu"))
DEFAULT_USER = "ubuntu"


def default_user(image_name: str) -> str:
    """The login user of an image (`ubuntu` for Ubuntu images)."""
    lowered = image_name.lower()
    for marker, user in _IMAGE_USERS:
        if marker in lowered:
            return user
    return DEFAULT_USER


# The lifecycle actions that bring a stopped instance back, tried in this order; the rules say which applies.
WAKE_ACTIONS = ("restore", "start")


@dataclass(frozen=True)
class SshRoute:
    """How `ssh` reaches an instance: `user@address`, through `jump_host` when set; or why it cannot."""

    target: str | None
    address: str | None = None
    jump_host: str | None = None
    refusal: str = ""


def wake_action(status: VMStatus | str) -> str | None:
    """The action that makes an instance in `status` ACTIVE again, if the rules allow one from there."""
    for action in WAKE_ACTIONS:
        if can_instance_action(action, status):
            return action
    return None


def _key_hint(keys: Mapping[str, str], action: str) -> str:
    key = keys.get(action)
    return f" ({key})" if key else ""


def ssh_route(instance: VMInstance, jump_host: str | None = None, keys: Mapping[str, str] | None = None) -> SshRoute:
    """The route to the instance, or the one step that would open it (`keys`: action -> the key that runs it)."""
    keys = keys or {}
    if instance.status != VMStatus.ACTIVE:
        action = wake_action(instance.status)
        if action is not None:
            return SshRoute(None, refusal=f"{instance.name} is {instance.status}: {action} it first{_key_hint(keys, action)}")
        return SshRoute(None, refusal=f"{instance.name} is {instance.status}: SSH needs an ACTIVE instance")
    user = default_user(instance.image.name)
    if instance.public_ip:
        return SshRoute(f"{user}@{instance.public_ip}", instance.public_ip)
    if jump_host and instance.private_ip:
        return SshRoute(f"{user}@{instance.private_ip}", instance.private_ip, jump_host)
    turn_on = keys.get("public_ip")
    how = f"turn one on with {turn_on}" if turn_on else "turn one on"
    return SshRoute(None, refusal=f"{instance.name} has no public IP: {how}, or set [ssh] jump_host in the config")


def ssh_target(instance: VMInstance, jump_host: str | None = None, keys: Mapping[str, str] | None = None) -> tuple[str | None, str]:
    """(`user@ip`, "") when `ssh` can reach the instance, else (None, why not)."""
    route = ssh_route(instance, jump_host, keys)
    return route.target, route.refusal


def _argv(route: SshRoute, options: Sequence[str]) -> list[str]:
    via = ["-J", route.jump_host] if route.jump_host else []
    return ["ssh", *options, *via, route.target or ""]


def ssh_command(instance: VMInstance, options: Sequence[str] = (), jump_host: str | None = None) -> list[str] | None:
    """argv for `ssh` to the instance, the user's extra options first (then `-J` for a private address)."""
    route = ssh_route(instance, jump_host)
    return None if route.target is None else _argv(route, options)


def ssh_command_text(instance: VMInstance, options: Sequence[str] = (), jump_host: str | None = None) -> str:
    """The command a user can paste (copied with `Y`), also for an instance that is not running now."""
    user = default_user(instance.image.name)
    if instance.public_ip:
        return shlex.join(_argv(SshRoute(f"{user}@{instance.public_ip}"), options))
    if instance.private_ip:
        return shlex.join(_argv(SshRoute(f"{user}@{instance.private_ip}", jump_host=jump_host), options))
    return shlex.join(["ssh", *options, f"{user}@<no address>"])


# --- the managed file ----------------------------------------------------------------------------


def managed_config_path() -> Path:
    return paths.config_dir() / MANAGED_FILE_NAME


def host_alias(name: str, instance_id: str, taken: set[str]) -> str:
    """`barrack-<name>` in [A-Za-z0-9._-]; the id is appended when the cleaned name collides."""
    cleaned = _ALIAS_UNSAFE.sub("-", name).strip("-.") or "instance"
    alias = f"{HOST_PREFIX}{cleaned}"
    if alias in taken:
        alias = f"{alias}-{_ALIAS_UNSAFE.sub('-', instance_id)}"
    taken.add(alias)
    return alias


def _option_lines(options: Sequence[str]) -> list[str]:
    """The config-file form of the user's extra ssh options (-i, -p, -o Key=Value)."""
    lines: list[str] = []
    items = list(options)
    index = 0
    while index < len(items):
        option = items[index]
        value = items[index + 1] if index + 1 < len(items) else None
        if option in ("-i", "-p", "-o") and value is not None:
            if option == "-i":
                lines.append(f"IdentityFile {value}")
            elif option == "-p":
                lines.append(f"Port {value}")
            else:
                key, _, setting = value.partition("=")
                if key and setting:
                    lines.append(f"{key} {setting}")
            index += 2
            continue
        index += 1
    # A value with a newline would start a new directive: refuse it rather than write it.
    return [line for line in lines if "\n" not in line and "\r" not in line]


def _valid_ip(text: str | None) -> str | None:
    """The address in canonical form, or None: only a real IP may reach a HostName line."""
    if not text:
        return None
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def render_managed_config(instances: Iterable[VMInstance], options: Sequence[str] = ()) -> str:
    """One Host entry per instance with an address, sorted by alias; deterministic (no timestamps)."""
    taken: set[str] = set()
    entries: list[tuple[str, list[str]]] = []
    extra = _option_lines(options)
    for instance in sorted(instances, key=lambda i: (i.name, i.id)):
        address = _valid_ip(instance.public_ip) or _valid_ip(instance.private_ip)
        if address is None:
            continue
        alias = host_alias(instance.name, instance.id, taken)
        body = [
            f"    # {_ALIAS_UNSAFE.sub('-', instance.id)} in {instance.region}"
            + ("" if _valid_ip(instance.public_ip) else " (private IP only: reachable from inside the region)"),
            f"    HostName {address}",
            f"    User {default_user(instance.image.name)}",
            *(f"    {line}" for line in extra),
        ]
        entries.append((alias, body))
    entries.sort(key=lambda entry: entry[0])
    out = ["# Managed by barrack-tui (barrack-tui ssh-config). Rewritten on every run: edit ~/.ssh/config instead.", ""]
    for alias, body in entries:
        out.append(f"Host {alias}")
        out.extend(body)
        out.append("")
    return "\n".join(out)


def write_managed_config(instances: Iterable[VMInstance], options: Sequence[str] = (), *, path: Path | None = None) -> tuple[Path, bool, int]:
    """Write the managed file; returns (path, whether it changed, number of Host entries)."""
    target = path or managed_config_path()
    text = render_managed_config(instances, options)
    count = sum(1 for line in text.splitlines() if line.startswith("Host "))
    try:
        if target.read_text(encoding="utf-8") == text:
            return target, False, count
    except (OSError, UnicodeDecodeError):
        pass
    paths.ensure_private_dir(target.parent)
    atomic_write(target, text, 0o600)
    return target, True, count


# --- ~/.ssh/config -------------------------------------------------------------------------------


def user_ssh_config_path() -> Path:
    return Path.home() / ".ssh" / "config"


def _directive(line: str) -> tuple[str, str]:
    """(keyword lower-cased, argument) of one config line; ("", "") for blanks and comments."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return "", ""
    match = re.match(r"([A-Za-z]+)\s*(?:=\s*|\s+)(.*)", stripped)
    if not match:
        return stripped.lower(), ""
    return match.group(1).lower(), match.group(2).strip()


def _include_targets(argument: str) -> list[str]:
    try:
        return shlex.split(argument)
    except ValueError:
        return argument.split()


def _same_file(candidate: str, managed: Path) -> bool:
    expanded = Path(os.path.expanduser(candidate))
    if not expanded.is_absolute():
        expanded = Path.home() / ".ssh" / expanded
    return os.path.normpath(expanded) == os.path.normpath(managed)


def include_line_index(lines: Sequence[str], managed: Path) -> int | None:
    for index, line in enumerate(lines):
        keyword, argument = _directive(line)
        if keyword == "include" and any(_same_file(t, managed) for t in _include_targets(argument)):
            return index
    return None


def has_include(managed: Path | None = None, *, config: Path | None = None) -> bool:
    managed = managed or managed_config_path()
    try:
        lines = (config or user_ssh_config_path()).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    return include_line_index(lines, managed) is not None


def add_include(managed: Path | None = None, *, config: Path | None = None) -> bool:
    """Put `Include <managed>` at the top of ~/.ssh/config (once). Returns False when it was already there.

    At the top because an Include inside a `Host`/`Match` block would only apply
    to that block. Nothing else in the file changes: the original bytes follow.
    """
    managed = managed or managed_config_path()
    target = config or user_ssh_config_path()
    try:
        original = target.read_bytes()
    except FileNotFoundError:
        original = b""
    lines = original.decode("utf-8", errors="replace").splitlines()
    if include_line_index(lines, managed) is not None:
        return False
    quoted = f'"{managed}"' if " " in str(managed) else str(managed)
    header = f"{INCLUDE_COMMENT}\nInclude {quoted}\n\n".encode()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # The user's file keeps the mode they gave it; ssh refuses a config others may write.
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o600
    atomic_write(target, header + original, mode)
    return True


@dataclass
class OverrideWarning:
    line_number: int
    keywords: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        listed = " and ".join(self.keywords)
        return (
            f"~/.ssh/config line {self.line_number}: a `Host *` (or `Match all`) block sets {listed} before the barrack Include; "
            f"ssh uses the first value it finds, so it overrides the {listed} of the barrack hosts"
        )


def host_star_overrides(managed: Path | None = None, *, config: Path | None = None) -> list[OverrideWarning]:
    """`Host *` blocks that set User or IdentityFile ahead of our Include (ssh takes the first value).

    Without an Include yet, the line we would add goes on top, so nothing precedes
    it; an Include the user placed lower down is where we measure from.
    """
    managed = managed or managed_config_path()
    try:
        lines = (config or user_ssh_config_path()).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    include_at = include_line_index(lines, managed)
    if include_at is None:
        return []
    warnings: list[OverrideWarning] = []
    current: OverrideWarning | None = None
    for index, line in enumerate(lines[:include_at]):
        keyword, argument = _directive(line)
        if keyword in ("host", "match"):
            patterns = argument.split()
            is_star = (keyword == "host" and "*" in patterns) or (keyword == "match" and [p.lower() for p in patterns] == ["all"])
            current = OverrideWarning(index + 1) if is_star else None
            if current is not None:
                warnings.append(current)
        elif current is not None and keyword in ("user", "identityfile"):
            label = "User" if keyword == "user" else "IdentityFile"
            if label not in current.keywords:
                current.keywords.append(label)
    return [warning for warning in warnings if warning.keywords]
