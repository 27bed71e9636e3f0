"""What the SSH keys & Scripts screen shows, computed from the store: row cells and who uses a key.

No widgets here. Only the rows of the page on screen are built, and the
users of a page of keys are found in one pass over the fleet, so neither
grows with the number of keys in the account.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from barrack_tui.api.models import Script, SSHKeyResponse, VMInstance
from barrack_tui.tui.areas.keys.key_form import key_type_of
from barrack_tui.tui.areas.keys.script_editor import format_size, script_size


def names_joined(names: list[str], limit: int = 2) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} +{len(names) - limit}"


def users_of_keys(instances: Iterable[VMInstance], key_ids: Iterable[str]) -> dict[str, list[str]]:
    """The names of the instances using each of `key_ids`, sorted, in one pass over the fleet."""
    users: dict[str, list[str]] = {key_id: [] for key_id in key_ids}
    for instance in instances:
        for key_id in instance.ssh_key_ids:
            if key_id in users:
                users[key_id].append(instance.name)
    return {key_id: sorted(names) for key_id, names in users.items()}


def key_cells(key: SSHKeyResponse, users: list[str]) -> list[Text]:
    return [
        Text(key.name, style="bold"),
        Text(key_type_of(key.public_key)),
        Text(key.created_at.strftime("%Y-%m-%d")),
        Text(names_joined(users) if users else "—", style="" if users else "dim"),
        Text(key.fingerprint, style="dim"),
    ]


def script_cells(script: Script, marked: bool) -> list[Text]:
    return [
        Text("[x]" if marked else "[ ]", style="bold yellow" if marked else "dim"),
        Text(script.name, style="bold"),
        Text(format_size(script_size(script.content))),
        Text(str(len(script.content.splitlines()))),
        Text(script.updated_at.strftime("%Y-%m-%d %H:%M")),
    ]
