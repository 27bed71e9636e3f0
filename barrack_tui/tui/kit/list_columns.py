"""The columns `o` cycles through and the keys `/` understands, for each paged list. No widgets here.

The first column of each is the list's own order (the API's, oldest or
newest first), so a list nobody sorted looks as it always did.
"""

from __future__ import annotations

from typing import Any

from barrack_tui.tui.kit.list_query import Column, ListQuery


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _created(item: Any) -> tuple[Any, str]:
    return (item.created_at, item.id)


def _name(item: Any) -> tuple[str, str]:
    return (str(item.name).casefold(), item.id)


VOLUME_COLUMNS: tuple[Column[Any], ...] = (
    Column("created", "Created", lambda v: (v.created_at, str(v.name), v.id)),
    Column("name", "Name", _name),
    Column("status", "Status", lambda v: (str(v.status), *_name(v)), lambda v: str(v.status)),
    Column("size", "Size", lambda v: (v.size_gb, *_name(v))),
    Column("region", "Region", lambda v: (str(v.region), *_name(v)), lambda v: str(v.region)),
    Column("type", "Type", lambda v: (str(v.volume_type), *_name(v)), lambda v: str(v.volume_type)),
)
FIREWALL_COLUMNS: tuple[Column[Any], ...] = (
    Column("created", "Created", _created),
    Column("name", "Name", _name),
    Column("status", "Status", lambda f: (str(f.status), *_name(f)), lambda f: str(f.status)),
    Column("region", "Region", lambda f: (str(f.region), *_name(f)), lambda f: str(f.region)),
    Column("rules", "Rules", lambda f: (f.rule_count, *_name(f))),
    Column("attached", "Attached", lambda f: (f.attachment_count, *_name(f))),
)
SNAPSHOT_COLUMNS: tuple[Column[Any], ...] = (
    Column("created", "Created", _created),
    Column("name", "Name", _name),
    Column("status", "Status", lambda s: (str(s.status), *_name(s)), lambda s: str(s.status)),
    Column("size", "Size", lambda s: (s.size_gb, *_name(s))),
    Column("region", "Region", lambda s: (str(s.region), *_name(s)), lambda s: str(s.region)),
)
KEY_COLUMNS: tuple[Column[Any], ...] = (
    Column("created", "Created", _created),
    Column("name", "Name", _name),
    Column("region", "Region", lambda k: (",".join(sorted(map(str, k.regions))), *_name(k)),
           lambda k: next((str(r) for r in k.regions), "")),
)
SCRIPT_COLUMNS: tuple[Column[Any], ...] = (
    Column("created", "Created", _created),
    Column("name", "Name", _name),
    Column("updated", "Updated", lambda s: (s.updated_at, s.id)),
    Column("size", "Size", lambda s: (len(s.content), *_name(s))),
)


def volume_query() -> ListQuery[Any]:
    return ListQuery(VOLUME_COLUMNS, lambda v: f"{v.name}\0{v.id}\0{_text(v.instance_name)}")


def firewall_query() -> ListQuery[Any]:
    return ListQuery(FIREWALL_COLUMNS, lambda f: f"{f.name}\0{f.id}\0{f.description}")


def snapshot_query() -> ListQuery[Any]:
    # Newest first, as the API lists them.
    return ListQuery(SNAPSHOT_COLUMNS, lambda s: f"{s.name}\0{s.id}\0{s.description}\0{_text(getattr(s, 'instance_name', ''))}",
                     reverse=True)


def key_query() -> ListQuery[Any]:
    return ListQuery(KEY_COLUMNS, lambda k: f"{k.name}\0{k.id}\0{k.fingerprint}")


def script_query() -> ListQuery[Any]:
    return ListQuery(SCRIPT_COLUMNS, lambda s: f"{s.name}\0{s.id}")
