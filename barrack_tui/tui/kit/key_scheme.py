"""The one key scheme: which letter means which verb, on every screen, and which bindings change the account.

A verb of the scheme has one key everywhere (`d` deletes whatever the screen
lists, `x` detaches, ...), and no other binding of any screen uses that key, so
a letter learnt on one screen means the same on the next. Verbs that exist on
one screen only (hibernate, make image, watch stock) take letters the scheme
does not reserve. An instance's power verbs are capitals (S start, T stop,
R reboot, H hibernate, U restore): a slip of a lowercase key never changes a
machine's power state.

Screens build their scheme bindings with `bind`, so this table is the single
source; `tests/tui/test_key_scheme.py` checks that every listed binding id
carries its verb's key and that the README table is generated from here.
`MUTATIONS` lists the bindings that change the account: read-only mode greys
them in the key bar, `?` and the command palette (`tui/shell/read_only.py`).
No Textual widgets here, only `Binding`, so importing it costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Verb:
    name: str
    key: str
    meaning: str
    # Screen (as named in SCREENS) -> the binding ids that are this verb there.
    bindings: dict[str, tuple[str, ...]]


VERBS: tuple[Verb, ...] = (
    Verb("new", "n", "new / create / deploy", {
        "Instances": ("instances.deploy",), "Volumes": ("volumes.create",), "Firewalls": ("firewalls.create",),
        "Snapshots & Images": ("snapshots.create", "images.create"), "SSH keys & Scripts": ("keys.generate", "scripts.new"),
        "AI Chat": ("chat.new_letter",),
    }),
    Verb("details", "enter", "open the selected item's details", {
        "Regions": ("regions.choose",), "Instances": ("fleet.details",), "Volumes": ("volumes.details",),
        "Firewalls": ("firewalls.details",),
    }),
    Verb("delete", "d", "delete (asks for the name)", {
        "Instances": ("instances.delete",), "Instance details": ("instances.delete",), "Volumes": ("volumes.delete",),
        "Firewalls": ("firewalls.delete",), "Firewall details": ("firewall_details.delete",),
        "Snapshots & Images": ("snapshots.delete", "images.delete"), "Snapshot details": ("snapshot_details.delete",),
        "SSH keys & Scripts": ("keys.delete", "scripts.delete"), "AI Chat": ("chat.delete",),
    }),
    Verb("detach", "x", "detach", {"Volumes": ("volumes.detach",), "Firewall details": ("firewall_details.detach",)}),
    Verb("attach", "a", "attach", {
        "Volumes": ("volumes.attach",), "Firewalls": ("firewalls.attach",), "Firewall details": ("firewall_details.attach",),
    }),
    Verb("edit", "e", "edit", {"SSH keys & Scripts": ("scripts.edit",)}),
    Verb("rename/resize", "r", "rename or resize", {"Volumes": ("volumes.resize",), "AI Chat": ("chat.rename",)}),
    Verb("filter", "slash", "filter the list (words and key:value terms)", {
        "Instances": ("instances.filter",), "Volumes": ("volumes.filter",), "Firewalls": ("firewalls.list_filter",),
        "Snapshots & Images": ("snapshots.filter",), "SSH keys & Scripts": ("keys.filter",),
        "Activity": ("activity.filter",),
    }),
    Verb("sort", "o", "sort by the next column", {
        "Instances": ("instances.sort",), "Volumes": ("volumes.sort",), "Firewalls": ("firewalls.sort",),
        "Snapshots & Images": ("snapshots.sort",), "SSH keys & Scripts": ("keys.sort",),
        "Activity": ("activity.sort",),
    }),
    Verb("reverse sort", "O", "reverse the sort order", {
        "Instances": ("instances.sort_reverse",), "Volumes": ("volumes.sort_reverse",),
        "Firewalls": ("firewalls.sort_reverse",), "Snapshots & Images": ("snapshots.sort_reverse",),
        "SSH keys & Scripts": ("keys.sort_reverse",), "Activity": ("activity.sort_reverse",),
    }),
    Verb("mark", "space", "mark for a bulk action", {
        "Instances": ("instances.mark",), "Volumes": ("volumes.mark",), "Firewalls": ("firewalls.mark",),
        "Snapshots & Images": ("snapshots.mark",), "SSH keys & Scripts": ("keys.mark", "scripts.mark"),
    }),
    Verb("mark all", "ctrl+a", "mark every item the filter shows (again: unmark them)", {
        "Instances": ("instances.mark_all",), "Volumes": ("volumes.mark_all",), "Firewalls": ("firewalls.mark_all",),
        "Snapshots & Images": ("snapshots.mark_all",), "SSH keys & Scripts": ("keys.mark_all", "scripts.mark_all"),
    }),
    Verb("tab", "t", "switch tab", {
        "Snapshots & Images": ("snapshots.switch_tab",), "SSH keys & Scripts": ("keys.switch_tab",),
        "Firewall details": ("firewall_details.tab_rules",),
    }),
    Verb("add rule", "plus", "add a security rule", {
        "Instances": ("instances.add_rule",), "Instance details": ("instances.add_rule",),
        "Firewall details": ("firewall_details.add_rule",),
    }),
    Verb("remove rule", "minus", "remove a security rule", {
        "Instances": ("instances.remove_rule",), "Instance details": ("instances.remove_rule",),
        "Firewall details": ("firewall_details.remove_rule",),
    }),
    Verb("copy", "y", "copy to the clipboard", {
        "Instances": ("instances.copy_id",), "Instance details": ("instances.copy_id",),
        "SSH keys & Scripts": ("keys.copy",), "AI Chat": ("chat.copy",),
    }),
    Verb("copy more", "Y", "copy the longer form (ssh command, code block)", {
        "Instances": ("instances.copy_ssh",), "Instance details": ("instances.copy_ssh",), "AI Chat": ("chat.copy_code",),
    }),
    Verb("context", "c", "toggle a context (region, account)", {
        "Regions": ("regions.context",), "AI Chat": ("chat.context",),
    }),
    Verb("restore", "U", "restore (a hibernated instance, a snapshot into a new one)", {
        "Instances": ("instances.restore",), "Instance details": ("instances.restore",),
        "Snapshots & Images": ("snapshots.restore",), "Snapshot details": ("snapshot_details.restore",),
    }),
    Verb("region", "f", "region filter", {"Volumes": ("volumes.region",), "Firewalls": ("firewalls.filter",)}),
    Verb("previous page", "left_square_bracket", "previous page", {
        "Volumes": ("volumes.prev_page",), "Firewalls": ("firewalls.page_prev",),
        "Snapshots & Images": ("snapshots.page_prev",), "SSH keys & Scripts": ("keys.page_prev",),
        "AI usage": ("chat_usage.previous",), "Activity": ("activity.page_prev",),
    }),
    Verb("next page", "right_square_bracket", "next page", {
        "Volumes": ("volumes.next_page",), "Firewalls": ("firewalls.page_next",),
        "Snapshots & Images": ("snapshots.page_next",), "SSH keys & Scripts": ("keys.page_next",),
        "AI usage": ("chat_usage.next",), "Activity": ("activity.page_next",),
    }),
    Verb("write file", "W", "write a local file (ssh config, Markdown export)", {
        "Instances": ("instances.ssh_config",), "AI Chat": ("chat.export",), "Activity": ("activity.export",),
    }),
    Verb("unreadable", "E", "list the items the server sent that could not be read", {
        screen: ("area.unread",) for screen in (
            "Regions", "Instances", "Instance details", "Volumes", "Firewalls", "Firewall details",
            "Snapshots & Images", "Snapshot details", "SSH keys & Scripts", "AI Chat", "AI usage")
    }),
    Verb("back", "escape", "back / cancel / close the box", {
        "Instance details": ("details.back",), "Firewall details": ("firewall_details.back",),
        "Snapshot details": ("snapshot_details.back",), "AI Chat": ("chat.escape",),
        "Instances": ("instances.clear_filter",), "Volumes": ("volumes.clear_filter",),
        "Firewalls": ("firewalls.clear_filter",), "Snapshots & Images": ("snapshots.clear_filter",),
        "SSH keys & Scripts": ("keys.clear_filter",), "AI usage": ("chat_usage.back",),
        "Activity": ("activity.clear_filter",),
    }),
    Verb("refresh", "ctrl+r", "fetch again now", {"AI usage": ("chat_usage.reload",)}),
)
VERB = {verb.name: verb for verb in VERBS}
# Keys no binding outside its verb may take.
RESERVED = {verb.key: verb.name for verb in VERBS}

# Lifecycle of an instance: capitals, deliberately (see the module docstring).
INSTANCE_ACTION_KEYS: dict[str, tuple[str, str]] = {
    "start": ("S", "Start"),
    "stop": ("T", "Stop"),
    "reboot": ("R", "Reboot"),
    "hibernate": ("H", "Hibernate"),
    "restore": (VERB["restore"].key, "Restore"),
    "delete": (VERB["delete"].key, "Delete"),
}

# Bindings that change the account (not local files, not the chat's local history).
MUTATIONS = frozenset({
    "regions.choose",
    "instances.deploy", "instances.start", "instances.stop", "instances.reboot", "instances.hibernate",
    "instances.restore", "instances.delete", "instances.public_ip", "instances.add_rule", "instances.remove_rule",
    "volumes.attach", "volumes.detach", "volumes.delete", "volumes.clone", "volumes.resize", "volumes.create",
    "firewalls.create", "firewalls.attach", "firewalls.delete",
    "firewall_details.add_rule", "firewall_details.remove_rule", "firewall_details.attach",
    "firewall_details.detach", "firewall_details.delete",
    "snapshots.create", "snapshots.restore", "snapshots.make_image", "snapshots.delete",
    "images.create", "images.delete",
    "snapshot_details.restore", "snapshot_details.make_image", "snapshot_details.delete",
    "keys.generate", "keys.import", "keys.delete", "scripts.new", "scripts.edit", "scripts.delete",
})

# Screen name -> (module, class); the order is the README's and `?`'s.
SCREENS: dict[str, tuple[str, str]] = {
    "Regions": ("barrack_tui.tui.areas.regions.screen", "RegionsScreen"),
    "Instances": ("barrack_tui.tui.areas.instances.screen", "InstancesScreen"),
    "Instance details": ("barrack_tui.tui.areas.instances.details", "InstanceDetailsScreen"),
    "Volumes": ("barrack_tui.tui.areas.volumes.screen", "VolumesScreen"),
    "Firewalls": ("barrack_tui.tui.areas.firewalls.screen", "FirewallsScreen"),
    "Firewall details": ("barrack_tui.tui.areas.firewalls.details", "FirewallDetailsScreen"),
    "Snapshots & Images": ("barrack_tui.tui.areas.snapshots.screen", "SnapshotsScreen"),
    "Snapshot details": ("barrack_tui.tui.areas.snapshots.details", "SnapshotDetailsScreen"),
    "SSH keys & Scripts": ("barrack_tui.tui.areas.keys.screen", "KeysScreen"),
    "AI Chat": ("barrack_tui.tui.areas.chat.screen", "ChatScreen"),
    "AI usage": ("barrack_tui.tui.areas.chat.usage", "ChatUsageScreen"),
    "Activity": ("barrack_tui.tui.areas.activity.screen", "ActivityScreen"),
}
# Widgets whose own bindings are active on a screen (their keys count when looking for conflicts).
SCREEN_WIDGETS: dict[str, tuple[tuple[str, str], ...]] = {
    "Regions": (("barrack_tui.tui.areas.regions.stock_matrix", "RegionPanel"),),
    "Instances": (("barrack_tui.tui.areas.instances.table", "FleetTable"),),
    "Volumes": (("barrack_tui.tui.areas.volumes.card", "VolumeCard"),),
    "AI Chat": (("barrack_tui.tui.areas.chat.input", "ChatInput"), ("barrack_tui.tui.areas.chat.message", "MessageView")),
}


def bind(verb: str, action: str, description: str, *, id: str, show: bool = True) -> Binding:  # noqa: A002 - Textual's name
    """A binding of a scheme verb: its key comes from the table, never from the screen."""
    return Binding(VERB[verb].key, action, description, show=show, id=id)
