"""The areas as the shell knows them: by name, module and class, imported only when first shown.

The shell never imports an area's code at the top: it names each area here and
imports it on the first visit (or the first jump into it), so the first frame
loads no area but the first one, and no area module is part of a circle through
the shell. The app's own key bindings live here too, beside the mode keys they
are built from, so the keymap can read them without importing the app.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from textual.binding import Binding, BindingType

# mode name -> (key, title, module, class)
MODE_SCREENS: dict[str, tuple[str, str, str, str]] = {
    "regions": ("1", "Regions", "barrack_tui.tui.areas.regions.screen", "RegionsScreen"),
    "instances": ("2", "Instances", "barrack_tui.tui.areas.instances.screen", "InstancesScreen"),
    "volumes": ("3", "Volumes", "barrack_tui.tui.areas.volumes.screen", "VolumesScreen"),
    "firewalls": ("4", "Firewalls", "barrack_tui.tui.areas.firewalls.screen", "FirewallsScreen"),
    "snapshots": ("5", "Snapshots & Images", "barrack_tui.tui.areas.snapshots.screen", "SnapshotsScreen"),
    "keys": ("6", "SSH keys & Scripts", "barrack_tui.tui.areas.keys.screen", "KeysScreen"),
    "chat": ("7", "AI Chat", "barrack_tui.tui.areas.chat.screen", "ChatScreen"),
    "activity": ("8", "Activity", "barrack_tui.tui.areas.activity.screen", "ActivityScreen"),
    "spend": ("9", "Spend", "barrack_tui.tui.areas.spend.screen", "SpendScreen"),
}

# jump name -> (module, function): what another area may ask the app to open (shell/navigation.py).
JUMPS: dict[str, tuple[str, str]] = {
    "deploy": ("barrack_tui.tui.areas.instances.deploy.wizard", "open_deploy_wizard"),
    "show_instance": ("barrack_tui.tui.areas.instances.screen", "show_instance"),
}

APP_BINDINGS: list[BindingType] = [
    *(
        Binding(key, f"switch_mode('{name}')", title, id=f"mode.{name}")
        for name, (key, title, _, _) in MODE_SCREENS.items()
    ),
    Binding("question_mark", "toggle_help", "Keys", id="app.help"),
    # Our own palette bindings replace Textual's default ctrl+p (it adds one only when none exists),
    # so ctrl+p is declared here; priority, as Textual's, so it also works from a text box.
    Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.palette"),
    Binding("colon", "command_palette", "Commands", show=False, id="app.palette_colon"),
    Binding("ctrl+r", "refresh", "Refresh", id="app.refresh"),
    Binding("N", "notices", "Notices", show=False, id="app.notices"),
    Binding("q", "quit", "Quit", id="app.quit"),
]


def loaded(module: str, name: str) -> Any:
    """`name` from `module`, importing the module on first use."""
    return getattr(import_module(module), name)


def screen_factory(module: str, cls: str) -> Callable[[], Any]:
    return lambda: loaded(module, cls)()


def jump(name: str) -> Callable[..., None]:
    module, function = JUMPS[name]
    found: Callable[..., None] = loaded(module, function)  # resolved by name at run time
    return found
