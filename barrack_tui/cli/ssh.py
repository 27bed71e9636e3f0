"""`barrack-tui ssh-config [--include] [--yes]`: write the managed ssh config from the instance list.

The Include line goes into ~/.ssh/config only with `--include` and a yes
(typed at the prompt, or `--yes`); without a terminal to ask on and without
`--yes`, nothing is added and the command says how to add it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from barrack_tui.account import auth, ssh_config
from barrack_tui.account.config import Settings


async def _list_instances(settings: Settings, key: str, transport: Any = None) -> list[Any]:
    from barrack_tui.api.client import BarrackClient, Timeouts

    timeouts = Timeouts(connect=settings.timeout_connect, read=settings.timeout_read)
    async with BarrackClient(
        settings.base_url, key, timeouts=timeouts, transport=transport, allow_insecure_http=settings.allow_insecure_http
    ) as client:
        return await client.list_instances()


def _fetch(args: argparse.Namespace, settings: Settings) -> list[Any]:
    if getattr(args, "demo", False):
        # The demo account, in-process: no server, no network.
        import httpx

        from barrack_tui.sim.app import create_app
        from barrack_tui.sim.seed import seed_demo
        from barrack_tui.sim.state import DEMO_API_KEY

        transport = httpx.ASGITransport(app=create_app(seed_demo()))
        demo_settings = Settings(base_url="http://demo.invalid")
        return asyncio.run(_list_instances(demo_settings, DEMO_API_KEY, transport))
    resolved = auth.resolve_key(settings.base_url)
    if resolved is None:
        raise LookupError("No API key: run `barrack-tui auth login` or set BARRACK_API_KEY.")
    return asyncio.run(_list_instances(settings, resolved.key))


def _confirmed(args: argparse.Namespace, config_path: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        return False
    answer = input(f"Add an Include line for the barrack hosts at the top of {config_path}? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def run_ssh_config(args: argparse.Namespace, settings: Settings) -> int:
    from barrack_tui.api.errors import ApiError

    try:
        instances = _fetch(args, settings)
    except LookupError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except ApiError as exc:
        print(f"Could not list the instances: {exc}", file=sys.stderr)
        return 1
    path, changed, count = ssh_config.write_managed_config(instances, settings.ssh_options)
    state = "written" if changed else "already up to date"
    print(f"{path}: {count} host{'s' if count != 1 else ''}, {state}.")
    user_config = ssh_config.user_ssh_config_path()
    if ssh_config.has_include(path, config=user_config):
        print(f"{user_config} already includes it: `ssh barrack-<name>` works.")
    elif args.include:
        if _confirmed(args, str(user_config)):
            ssh_config.add_include(path, config=user_config)
            print(f"Added `Include {path}` at the top of {user_config}; nothing else in it changed.")
        else:
            print(f"Not changed: {user_config}. Re-run with --include --yes, or add this line at its top yourself:")
            print(f"  Include {path}")
    else:
        print(f"To use the hosts, add `Include {path}` at the top of {user_config} (or re-run with --include).")
    for warning in ssh_config.host_star_overrides(path, config=user_config):
        print(f"warning: {warning}", file=sys.stderr)
    return 0
