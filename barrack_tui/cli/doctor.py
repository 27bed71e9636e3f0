"""`barrack-tui doctor [--json FILE]`: the key and client as the app makes them, the checks, a plain-text table.

The key is resolved as the app resolves it (BARRACK_API_KEY, then the keyring
or the opt-in file for the base URL) and never printed: the header shows it
masked, the JSON report not at all. The JSON report replaces every resource id
with a stable placeholder (`id-1`, `id-2`, ... in order of first sight) so it
can be attached to a bug report as it is; it is created 0600.
Every server string reaching here was sanitized by `doctor`; nothing is
rendered as markup (this is plain `print`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from barrack_tui import __version__
from barrack_tui.account import auth
from barrack_tui.account.config import Settings
from barrack_tui.account.files import atomic_write

EXIT_OK = 0
EXIT_DEVIATES = 1
EXIT_CANNOT_RUN = 2

_COLUMNS = (("OPERATION", 34, "<"), ("STATUS", 6, ">"), ("LATENCY", 9, ">"), ("ENVELOPE", 8, "<"),
            ("READ", 6, ">"), ("REFUSED", 7, ">"), ("PAGINATION", 0, "<"))
# Findings shown under one operation's row before "and N more" (the JSON report has them all).
MAX_LINES_PER_CHECK = 12


def _resolve_key(settings: Settings, err: TextIO) -> auth.ResolvedKey | None:
    """BARRACK_API_KEY, else the stored key for this base URL; a broken keyring is one line, not a traceback."""
    found = auth.key_from_env()
    if found is not None:
        return found
    try:
        return auth.stored_key(settings.base_url)
    except (auth.KeyringTimeout, auth.KeyringUnavailable) as exc:  # already one line naming the backend
        print(str(exc), file=err)
    except Exception as exc:  # any other keyring failure: one line, never a traceback
        print(f"keyring unavailable: {type(exc).__name__}", file=err)
    return None


async def _check(settings: Settings, key: str, transport: Any, sleep: Any) -> Any:
    from barrack_tui.api.client import BarrackClient, Timeouts
    from barrack_tui.cli.doctor_checks import run_checks

    timeouts = Timeouts(connect=settings.timeout_connect, read=settings.timeout_read)
    # One retry: a report should show what a first read meets, and a 429's Retry-After is still honoured once.
    async with BarrackClient(
        settings.base_url,
        key,
        timeouts=timeouts,
        transport=transport,
        max_retries=1,
        **({"sleep": sleep} if sleep is not None else {}),
        allow_insecure_http=settings.allow_insecure_http,
    ) as client:
        return await run_checks(client, (key,))


def run_doctor(
    args: argparse.Namespace,
    settings: Settings,
    warnings: Iterable[str] = (),
    *,
    transport: Any = None,
    sleep: Any = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    for warning in warnings:
        print(warning, file=err)
    resolved = _resolve_key(settings, err)
    if resolved is None:
        print(f"No API key for {settings.base_url}: set BARRACK_API_KEY or run `barrack-tui auth login`.", file=err)
        return EXIT_CANNOT_RUN
    from barrack_tui.api.transport import sends_key_in_clear

    if settings.allow_insecure_http and sends_key_in_clear(settings.base_url):
        print(f"warning: insecure http: the API key travels unencrypted to {settings.base_url}", file=err)
    try:
        report = asyncio.run(_check(settings, resolved.key, transport, sleep))
    except ValueError as exc:  # a base URL the client refuses (not http(s), http to another machine, bad CA bundle)
        print(redact_key(str(exc), resolved.key), file=err)
        return EXIT_CANNOT_RUN
    # Every server string was cleaned of the key already; this is the last guard before anything is written.
    print(redact_key(render_text(report, f"{auth.mask_key(resolved.key)} from {resolved.source.value}"), resolved.key), file=out)
    if args.json:
        try:
            write_json_report(args.json, report, resolved.key)
        except OSError as exc:
            print(f"Could not write the report to {args.json}: {exc.strerror or exc}", file=err)
            return EXIT_CANNOT_RUN
        print(f"Report written to {args.json} (key and resource ids redacted).", file=out)
    return EXIT_OK if report.ok else EXIT_DEVIATES


def redact_key(text: str, key: str) -> str:
    if not key:
        return text
    # Also as it appears inside a JSON string (a key may hold '"' or '\\').
    return text.replace(key, "[redacted]").replace(json.dumps(key)[1:-1], "[redacted]")


# --- text ---------------------------------------------------------------------------------------------


def _row(values: Iterable[str]) -> str:
    cells = []
    for (_, width, align), value in zip(_COLUMNS, values):
        cells.append(f"{value:{align}{width}}" if width else value)
    return "  ".join(cells).rstrip()


def _yes_no(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def _findings(check: Any) -> list[str]:
    lines = [f"! {problem}" for problem in check.problems]
    lines += [f"! unknown field: {path}" for path in check.unknown_fields]
    lines += [f"! unknown value: {value}" for value in check.unknown_values]
    lines += [f"! refused: {where} {problem.describe()}" for where, problem in check.refused]
    if len(lines) > MAX_LINES_PER_CHECK:
        lines = lines[: MAX_LINES_PER_CHECK - 1] + [f"! and {len(lines) - MAX_LINES_PER_CHECK + 1} more"]
    if check.request_id and check.deviates:
        lines.append(f"  request id {check.request_id}")
    return lines


def render_text(report: Any, key_label: str) -> str:
    lines = [
        f"barrack-tui doctor {__version__}: {report.origin} (key {key_label})",
        "Read-only: GET requests only; nothing on the account is changed.",
        "",
        _row(name for name, _, _ in _COLUMNS),
    ]
    for check in report.checks:
        if check.skipped:
            lines.append(_row([check.op, "-", "-", "-", "-", "-", f"skipped: {check.skipped}"]))
            continue
        latency = "-" if check.latency_ms is None else f"{check.latency_ms:.0f} ms"
        lines.append(_row([
            check.op,
            str(check.status) if check.status is not None else "-",
            latency,
            _yes_no(check.envelope),
            "-" if check.read is None else str(check.read),
            "-" if check.read is None and not check.refused else str(len(check.refused)),
            check.pagination or ("no" if check.status and 200 <= check.status < 300 else "-"),
        ]))
        lines += [f"    {line}" for line in _findings(check)]
    lines += ["", report.verdict()]
    return "\n".join(lines)


# --- JSON -------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9_.:~+-]+")


class Redactor:
    """Resource ids to stable placeholders (`id-1`...), matched as whole tokens so other text stays readable."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.placeholders: dict[str, str] = {}
        for raw in ids:
            self.add(raw)

    def add(self, raw: str | None) -> str | None:
        if not raw:
            return None
        if raw not in self.placeholders:
            self.placeholders[raw] = f"id-{len(self.placeholders) + 1}"
        return self.placeholders[raw]

    def _token(self, match: re.Match[str]) -> str:
        token = match.group()
        if token in self.placeholders:
            return self.placeholders[token]
        stripped = token.rstrip(".:")  # an id that ends a sentence ("... not found: ins-0001.")
        if stripped in self.placeholders:
            return self.placeholders[stripped] + token[len(stripped):]
        return token

    def text(self, value: str) -> str:
        return _TOKEN.sub(self._token, value)


def json_report(report: Any) -> dict[str, Any]:
    redactor = Redactor(report.ids)
    operations = []
    for check in report.checks:
        operations.append({
            "operation": check.op,
            "method": check.method,
            "path": check.path,
            "status": check.status,
            "latency_ms": None if check.latency_ms is None else round(check.latency_ms, 1),
            "envelope": check.envelope,
            "items_read": check.read,
            "items_refused": len(check.refused),
            "refused": [
                {
                    "where": redactor.text(where),
                    "index": problem.index,
                    "item": redactor.add(problem.item_id),
                    "errors": [redactor.text(error) for error in problem.errors],
                }
                for where, problem in check.refused
            ],
            "pagination": check.pagination,
            "unknown_fields": [redactor.text(path) for path in check.unknown_fields],
            "unknown_values": [redactor.text(value) for value in check.unknown_values],
            "problems": [redactor.text(problem) for problem in check.problems],
            "skipped": check.skipped,
            "request_id": check.request_id,
            "deviates": check.deviates,
        })
    return {
        "tool": "barrack-tui doctor",
        "version": __version__,
        "server": report.origin,
        "api_key": "redacted",
        "resource_ids": "redacted as id-N, stable within this report",
        "ok": report.ok,
        "verdict": report.verdict(),
        "operations": operations,
    }


def write_json_report(path: str, report: Any, key: str = "") -> None:
    """The report as JSON in `path`, 0600 whatever the umask (it names the server), replacing any file there."""
    data = redact_key(json.dumps(json_report(report), indent=2, ensure_ascii=False), key).encode("utf-8") + b"\n"
    atomic_write(path, data, 0o600)
