"""The keys as the user has them: defaults from the bindings, rebinds from the config's [keymap], checked and named.

`key_for(node, binding_id)` is how every hint line, header and empty-state
text names a key, so a rebind shows wherever a key is mentioned.
`keymap_problems` reports, by name, binding ids the app does not have and
rebinds that put two bindings of one screen on the same key (the app at start
and `barrack-tui config check` both print them). `readme_table` is the key
table of README.md, generated from the bindings themselves.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

from barrack_tui.tui.kit.key_scheme import SCREEN_WIDGETS, SCREENS, VERBS
from barrack_tui.tui.shell.modes import APP_BINDINGS

# The app's own bindings count on every screen (1-7, ?, ctrl+r, q, the palette).
APP_SCOPE = "every screen"


def key_display(key: str) -> str:
    """How the key bar writes a key (`slash` -> `/`, `ctrl+r` -> `^r`)."""
    return App.get_key_display(None, Binding(key.strip(), ""))  # type: ignore[arg-type]  # reads nothing of the app


class _AppBindings(App[None]):
    """The app's bindings merged as Textual merges them (Textual's own first), without importing the app."""

    BINDINGS = APP_BINDINGS


def _class(module: str, name: str) -> Any:
    return getattr(import_module(module), name)


def _declared(cls: Any) -> list[Binding]:
    """A class's bindings as Textual merges them (its bases' first), one Binding per key."""
    merged = cls._merge_bindings()
    return [binding for _key, binding in merged]


@cache
def screen_bindings() -> dict[str, tuple[Binding, ...]]:
    """Screen name -> every binding active there (the screen's, its widgets', the app's), app's last."""
    app_bindings = _declared(_AppBindings)
    result: dict[str, tuple[Binding, ...]] = {}
    for name, (module, cls_name) in SCREENS.items():
        found = _declared(_class(module, cls_name))
        for widget_module, widget_name in SCREEN_WIDGETS.get(name, ()):
            found += _declared(_class(widget_module, widget_name))
        result[name] = tuple(found + app_bindings)
    return result


@cache
def default_keys() -> dict[str, tuple[str, ...]]:
    """Binding id -> its default keys, over every screen."""
    keys: dict[str, list[str]] = {}
    for bindings in screen_bindings().values():
        for binding in bindings:
            if binding.id is not None:
                listed = keys.setdefault(binding.id, [])
                if binding.key not in listed:
                    listed.append(binding.key)
    return {binding_id: tuple(listed) for binding_id, listed in keys.items()}


def _normal(keys: str) -> tuple[str, ...]:
    return tuple(App._normalize_keymap({"k": keys})["k"].split(","))


def keys_of(binding_id: str, keymap: dict[str, str]) -> tuple[str, ...]:
    """The keys a binding answers to with `keymap` applied (Textual's own normalisation: `?` is question_mark)."""
    if binding_id in keymap:
        return tuple(key.strip() for key in _normal(keymap[binding_id]) if key.strip())
    return default_keys().get(binding_id, ())


@cache
def _ids_to_keys(cls: Any) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for binding in _declared(cls):
        if binding.id is not None and binding.key not in found.setdefault(binding.id, []):
            found[binding.id].append(binding.key)
    return {binding_id: tuple(keys) for binding_id, keys in found.items()}


def _nearby_keys(node: Any, binding_id: str) -> tuple[str, ...]:
    """The binding's default keys as declared by `node`, its ancestors or the app, if one of them declares it.

    Asked from the screen that shows the hint, this reads that screen's classes only: `default_keys`
    imports every screen, which costs a first frame ~0.1 s.
    """
    chain: list[DOMNode] = getattr(node, "ancestors_with_self", None) or [node]
    for holder in chain:
        keys = _ids_to_keys(type(holder)).get(binding_id)
        if keys:
            return keys
    return ()


def key_for(node: Any, binding_id: str) -> str:
    """The key that runs `binding_id` now, as the key bar writes it (the first one when it has several)."""
    app = node if isinstance(node, App) else node.app
    settings = getattr(app, "settings", None)
    keymap = getattr(settings, "keymap", None) or {}
    keys = keys_of(binding_id, keymap) if binding_id in keymap else _nearby_keys(node, binding_id)
    keys = keys or keys_of(binding_id, keymap)
    return key_display(keys[0]) if keys else "?"


def keymap_problems(keymap: dict[str, str]) -> list[str]:
    """Unknown binding ids and conflicting rebinds, each named, in a stable order."""
    known = default_keys()
    problems = [
        f"keymap: unknown binding id {binding_id!r} (see `barrack-tui config check --list` for the ids)"
        for binding_id in sorted(keymap)
        if binding_id not in known
    ]
    seen: set[tuple[str, str, str]] = set()
    for screen, bindings in screen_bindings().items():
        by_key: dict[str, list[str]] = {}
        default_by_key: dict[str, set[str]] = {}
        for binding in bindings:
            if binding.id is None:
                continue
            default_by_key.setdefault(binding.key, set()).add(binding.id)
            for key in keys_of(binding.id, keymap):
                ids = by_key.setdefault(key, [])
                if binding.id not in ids:
                    ids.append(binding.id)
        for key, ids in by_key.items():
            # Bindings sharing a key by design (one per tab) are not a conflict; a rebind onto a taken key is.
            rebound = [binding_id for binding_id in ids if binding_id in keymap]
            if len(ids) < 2 or not rebound or set(ids) <= default_by_key.get(key, set()):
                continue
            pair = (screen, key, ",".join(sorted(ids)))
            if pair not in seen:
                seen.add(pair)
                names = ", ".join(sorted(ids))
                problems.append(f"keymap conflict: on {screen}, {names} are all on {key_display(key)}; only one of them runs")
    return problems


def binding_ids() -> list[tuple[str, str, str]]:
    """(binding id, keys, description) for every rebindable binding, for `config check --list`."""
    rows: dict[str, tuple[str, str, str]] = {}
    for bindings in screen_bindings().values():
        for binding in bindings:
            if binding.id and binding.id not in rows:
                keys = ",".join(key_display(key) for key in default_keys()[binding.id])
                rows[binding.id] = (binding.id, keys, binding.description)
    return sorted(rows.values())


# --- the README's key table ---------------------------------------------------------------------------

README_START = "<!-- keys:start (generated by `python -m barrack_tui.tui.shell.keymap`; tests compare) -->"
README_END = "<!-- keys:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def screen_rows(name: str) -> list[tuple[str, str]]:
    """(keys, description) of one screen as `?` lists them: one row per action, the app's keys left out."""
    app_actions = {binding.action for binding in _declared(_AppBindings)}
    rows: dict[str, tuple[list[str], str]] = {}
    for binding in screen_bindings()[name]:
        if binding.action in app_actions or binding.system or binding.id is None:
            continue
        keys, _ = rows.setdefault(binding.action, ([], binding.description))
        shown = key_display(binding.key)
        if shown not in keys:
            keys.append(shown)
    return [(" ".join(keys), description) for keys, description in rows.values()]


def readme_table() -> str:
    lines = [README_START, "", "| Verb | Key | Meaning |", "|---|---|---|"]
    for verb in VERBS:
        lines.append(f"| {verb.name} | `{_cell(key_display(verb.key))}` | {verb.meaning} |")
    lines += ["", f"Keys on {APP_SCOPE}: " + ", ".join(
        f"`{_cell(keys)}` {description}" for keys, description in app_rows()) + ".", ""]
    for name in SCREENS:
        lines += [f"**{name}**", "", "| Key | Does |", "|---|---|"]
        lines += [f"| `{_cell(keys)}` | {_cell(description)} |" for keys, description in screen_rows(name)]
        lines.append("")
    lines.append(README_END)
    return "\n".join(lines)


def app_rows() -> list[tuple[str, str]]:
    rows: dict[str, tuple[list[str], str]] = {}
    for binding in _declared(_AppBindings):
        if binding.id is None:  # Textual's own (ctrl+q, ctrl+c): not rebindable, not ours to document
            continue
        keys, _ = rows.setdefault(binding.description, ([], binding.description))
        keys.append(key_display(binding.key))
    return [(" ".join(keys), description) for keys, description in rows.values()]


def readme_section(readme: str) -> str | None:
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        return None
    return readme[start : end + len(README_END)]


if __name__ == "__main__":  # regenerate README.md's key table in place
    import sys
    from pathlib import Path

    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    text = path.read_text()
    section = readme_section(text)
    if section is None:
        sys.exit(f"{path}: no {README_START!r} marker")
    path.write_text(text.replace(section, readme_table()))
