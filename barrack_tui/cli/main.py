"""The `barrack-tui` command: the app, the simulator, auth and config helpers.

Heavy modules (textual, httpx, fastapi) are imported only by the subcommand
that needs them, so `--help` and `auth status` start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from barrack_tui import __version__

if TYPE_CHECKING:  # imported for real only by the subcommands that use them
    from barrack_tui.account.auth import ResolvedKey
    from barrack_tui.account.config import Settings
    from barrack_tui.sim.faults import FaultConfig


def _add_fault_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fault injection")
    group.add_argument("--latency", type=float, default=0.0, metavar="S", help="add S seconds to every answer (0-2)")
    group.add_argument("--error-rate", type=float, default=0.0, metavar="P", help="share of requests answered 5xx (0-1)")
    group.add_argument("--rate-limit-burst", type=int, default=0, metavar="N", help="answer the next N requests 429")
    group.add_argument("--retry-after", type=int, default=2, metavar="S", help="Retry-After seconds on 429 answers")
    group.add_argument("--drop-rate", type=float, default=0.0, metavar="P", help="share of connections dropped mid-answer")
    group.add_argument("--truncate-rate", type=float, default=0.0, metavar="P", help="share of answers with truncated JSON")
    group.add_argument("--html-502-rate", type=float, default=0.0, metavar="P", help="share of answers that are an HTML 502 page")


def _faults_from(args: argparse.Namespace) -> FaultConfig:
    from barrack_tui.sim.faults import FaultConfig

    return FaultConfig(
        latency=args.latency,
        error_rate=args.error_rate,
        rate_limit_burst=args.rate_limit_burst,
        retry_after=args.retry_after,
        drop_rate=args.drop_rate,
        truncate_rate=args.truncate_rate,
        html_502_rate=args.html_502_rate,
    )


def _add_insecure_http_option(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    # On each subcommand too, so it can follow the subcommand; SUPPRESS there keeps a subparser's
    # default from overwriting the flag given before the subcommand.
    parser.add_argument(
        "--allow-insecure-http",
        action="store_true",
        default=False if top_level else argparse.SUPPRESS,
        help="accept a plain http:// base URL to another machine (the API key then travels unencrypted)",
    )


def _talks_to_api(args: argparse.Namespace) -> bool:
    """The commands that send the key to the configured base URL (the demo serves itself on loopback)."""
    if args.command is None or args.command == "ssh-config":
        return not args.demo
    return args.command == "auth" and args.auth_command in ("login", "status")


def _check_transport(settings: Settings, warnings: list[str]) -> str:
    """The one-line refusal ('' if none), before any request carries the key; opted-in http adds a warning."""
    from barrack_tui.api.transport import preflight, sends_key_in_clear

    problem = preflight(settings.base_url, allow_insecure_http=settings.allow_insecure_http)
    if not problem and sends_key_in_clear(settings.base_url):
        warnings.append(f"insecure http: the API key travels unencrypted to {settings.base_url}")
    return problem


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="barrack-tui", description="A keyboard-first terminal UI for the Barrack GPU cloud.")
    parser.add_argument("--version", action="version", version=f"barrack-tui {__version__}")
    parser.add_argument("--demo", action="store_true", help="run against the embedded simulator's demo account (no account, no network)")
    parser.add_argument("--base-url", help="Barrack API base URL (default: config, BARRACK_BASE_URL, https://api.barrack.ai)")
    parser.add_argument("--config", help="config file (default: BARRACK_CONFIG or the platform config dir)")
    parser.add_argument("--read-only", action="store_true", help="refuse every mutation (browse safely)")
    parser.add_argument("--region", choices=("NORWAY-1", "CANADA-1", "US-1"), help="start with this region context")
    parser.add_argument("--envelope", action="store_true", help="with --demo: the simulator wraps every answer as the live service does")
    _add_insecure_http_option(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sim = sub.add_parser("sim", help="serve the Barrack simulator over HTTP on loopback")
    sim.add_argument("--host", default="127.0.0.1", help="bind address (loopback unless you name another)")
    sim.add_argument("--port", type=int, default=8765)
    sim.add_argument("--api-key", help="the key the simulator accepts (default: the fixed demo key)")
    sim.add_argument("--state", metavar="FILE", help="load and save the simulator's state in FILE")
    # Its own dest: a subcommand's default would overwrite `barrack-tui --envelope sim`'s flag.
    sim.add_argument("--envelope", action="store_true", dest="sim_envelope",
                     help="wrap every answer as the live service does: {success, message, <payload>, request_id}")
    _add_fault_options(sim)

    auth_p = sub.add_parser("auth", help="manage the stored API key")
    auth_sub = auth_p.add_subparsers(dest="auth_command", metavar="ACTION", required=True)
    login = auth_sub.add_parser("login", help="validate a key and store it in the OS keyring")
    login.add_argument("--with-key", action="store_true", help="read the key from standard input (e.g. < keyfile) instead of prompting")
    login.add_argument("--insecure-storage", action="store_true", help="if no secure keyring exists, store the key in a 0600 file")
    _add_insecure_http_option(login)
    auth_sub.add_parser("logout", help="remove every stored copy of the key for this base URL")
    status = auth_sub.add_parser("status", help="where the key comes from (masked) and whether the API accepts it")
    _add_insecure_http_option(status)

    config_p = sub.add_parser("config", help="configuration helpers")
    config_sub = config_p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    config_sub.add_parser("path", help="print the config file's path")
    check = config_sub.add_parser("check", help="report mistakes in the config: keymap conflicts, unknown binding ids and themes")
    check.add_argument("--list", action="store_true", help="also list every binding id with its default keys")

    ssh = sub.add_parser("ssh-config", help="write the managed ssh config for your instances")
    ssh.add_argument("--include", action="store_true", help="also add an Include line to ~/.ssh/config (asks first)")
    ssh.add_argument("--yes", action="store_true", help="answer yes to the Include question")
    _add_insecure_http_option(ssh)

    doctor = sub.add_parser("doctor", help="check the configured server against what this version reads (GET requests only)")
    doctor.add_argument("--json", metavar="FILE", help="also write a report for a bug report (key and ids redacted, mode 0600)")
    _add_insecure_http_option(doctor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from barrack_tui.account.config import load_settings

    loaded = load_settings(args.config)
    settings = loaded.settings
    if args.base_url:
        settings.base_url = args.base_url
    if args.read_only:
        settings.read_only = True
    if args.region:
        settings.default_region = args.region
    if args.allow_insecure_http:
        settings.allow_insecure_http = True
    if args.command == "sim":
        return _run_sim(args)
    if args.envelope and not args.demo and args.command is None:
        print("--envelope applies to --demo and to `barrack-tui sim`", file=sys.stderr)
        return 2
    if args.command != "config":
        from barrack_tui.account import paths
        loaded.warnings.extend(paths.tighten_private_dirs())
    if _talks_to_api(args) and (problem := _check_transport(settings, loaded.warnings)):
        for warning in loaded.warnings:  # a mistyped setting may be why: say so before refusing
            print(warning, file=sys.stderr)
        print(f"barrack-tui: {problem}", file=sys.stderr)
        return 2
    if args.command == "auth":
        from barrack_tui.cli.auth import run_auth

        for warning in loaded.warnings:
            print(warning, file=sys.stderr)
        return run_auth(args, settings)
    if args.command == "config" and args.config_command == "check":
        from barrack_tui.cli.config import run_config_check

        return run_config_check(args, loaded)
    if args.command == "config":
        print(settings.path)
        return 0
    if args.command == "ssh-config":
        from barrack_tui.cli.ssh import run_ssh_config

        for warning in loaded.warnings:
            print(warning, file=sys.stderr)
        return run_ssh_config(args, settings)
    if args.command == "doctor":
        from barrack_tui.cli.doctor import run_doctor

        return run_doctor(args, settings, loaded.warnings)
    return _run_app(args, settings, loaded.warnings)


def _run_sim(args: argparse.Namespace) -> int:
    import socket

    from barrack_tui.sim.server import is_loopback, serve
    from barrack_tui.sim.state import DEMO_API_KEY

    port = args.port
    if port == 0:  # pick the free port now, so the URL printed is the one served
        with socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET) as probe:
            probe.bind((args.host, 0))
            port = probe.getsockname()[1]
    remote = not is_loopback(args.host)
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{shown_host}:{port}"
    # This is a test server's key (the fixed demo key unless --api-key names one), not a user's secret.
    envelope = args.envelope or args.sim_envelope
    print(f"Barrack simulator: {url}  (API under /api/v1, OpenAPI at {url}/openapi.json)"
          + ("; answers wrapped in the live service's envelope" if envelope else ""))
    print(f"API key it accepts: {args.api_key or DEMO_API_KEY}")
    print(f"Try: BARRACK_API_KEY=<that key> barrack-tui --base-url {url}")
    if remote:
        print(f"WARNING: serving on {args.host}, reachable beyond this machine, with a well-known key.", file=sys.stderr)
    sys.stdout.flush()
    serve(
        host=args.host,
        port=port,
        api_key=args.api_key,
        state_file=args.state,
        faults=_faults_from(args),
        allow_remote=remote,  # the user named the host explicitly; the default stays loopback
        envelope=envelope,
    )
    return 0


def _run_app(args: argparse.Namespace, settings: Settings, warnings: list[str]) -> int:
    child = None
    if args.demo:
        # First thing, before Textual is imported: the simulator's imports then overlap the app's.
        from barrack_tui.account import paths
        from barrack_tui.sim.child import spawn

        child = spawn(paths.demo_data_dir(), envelope=args.envelope)
    failures: list[str] = []
    try:
        from barrack_tui.account import auth
        from barrack_tui.tui.shell.app import BarrackApp

        def demo_key() -> ResolvedKey | None:
            assert child is not None
            try:
                child.ready()
            except RuntimeError as error:  # it did not start: its log's tail says why
                failures.append(str(error))
                return None
            settings.base_url = child.url
            return auth.ResolvedKey(child.api_key, auth.KeySource.DEMO)

        # The demo's key comes once its simulator serves, which the app waits for after its first frame.
        key = None if child is not None else auth.key_from_env()
        app = BarrackApp(settings, api_key=key, demo=args.demo, config_warnings=warnings,
                         await_key=demo_key if child is not None else None)
        app.run()
    finally:
        if child is not None:
            child.stop()
    for failure in failures:
        print(f"barrack-tui: {failure}", file=sys.stderr)
    return app.return_code or 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
