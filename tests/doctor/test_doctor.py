"""`barrack-tui doctor` against the simulator (bare and enveloped) and against servers that differ from it."""

from __future__ import annotations

import json
import os
import re
import stat
from decimal import Decimal

import pytest

from barrack_tui.account.config import Settings
from barrack_tui.api.routes import ROUTES
from barrack_tui.cli.doctor import EXIT_CANNOT_RUN, EXIT_DEVIATES, EXIT_OK, Redactor, run_doctor
from barrack_tui.cli.doctor_checks import PROBES
from barrack_tui.cli.main import build_parser
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.state import DEMO_API_KEY, SimState
from tests.doctor.deviant import (
    Canned,
    DeviantTransport,
    balance_without_currency,
    flavor_gpu_arch,
    rename_instance_status,
    volume_status_resizing,
)

GET_OPS = [op for op, route in ROUTES.items() if route.method == "GET"]


async def _no_sleep(_seconds: float) -> None:
    return None


def doctor(capsys, transport: DeviantTransport, *argv: str, key: str = DEMO_API_KEY, monkeypatch=None):
    """Run `barrack-tui doctor ARGV` against `transport`; (exit code, stdout, stderr)."""
    if monkeypatch is not None:
        monkeypatch.setenv("BARRACK_API_KEY", key)
    args = build_parser().parse_args(["doctor", *argv])
    code = run_doctor(args, Settings(base_url="http://127.0.0.1:9"), transport=transport, sleep=_no_sleep)
    out, err = capsys.readouterr()
    return code, out, err


def test_every_get_operation_of_the_routes_table_is_checked():
    assert sorted(PROBES) == sorted(GET_OPS)


def test_simulator_matches_and_doctor_sends_only_gets(capsys, monkeypatch):
    server = DeviantTransport()
    code, out, err = doctor(capsys, server, monkeypatch=monkeypatch)

    assert code == EXIT_OK, out + err
    assert out.rstrip().splitlines()[-1] == f"Verdict: OK: all {len(GET_OPS)} operations read match what this version expects."
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.split() and line.split()[0] in GET_OPS}
    assert set(rows) == set(GET_OPS)
    assert all(row[1] == "200" and row[4] == "no" for row in rows.values())  # status, envelope
    assert rows["list_instances"][5:7] == ["8", "0"]
    assert "page 1 of 1 (8 items)" in out
    assert server.methods == {"GET"}
    # Every GET route was asked once (the {id} ones with an id from their list), nothing else.
    assert len(server.seen) == len(GET_OPS)
    assert ("GET", "/api/v1/instances/ins-0001") in server.seen


def test_enveloped_simulator_matches_and_each_answer_shows_the_envelope(capsys, monkeypatch):
    code, out, err = doctor(capsys, DeviantTransport(envelope=True), monkeypatch=monkeypatch)

    assert code == EXIT_OK, out + err
    rows = [line.split() for line in out.splitlines() if line.split() and line.split()[0] in GET_OPS]
    assert len(rows) == len(GET_OPS) and all(row[4] == "yes" for row in rows)
    assert "Verdict: OK" in out


def test_a_renamed_field_is_named_and_fails_the_check(capsys, monkeypatch):
    code, out, _ = doctor(capsys, DeviantTransport(rewrites=(rename_instance_status,)), monkeypatch=monkeypatch)

    assert code == EXIT_DEVIATES
    assert "! unknown field: instances[].state" in out
    assert "! refused: instances[] gpu-train-1 (ins-0001): status: Field required" in out
    # No instance could be read, so the operations that need one say why they were not asked.
    assert "skipped: list_instances returned no readable instances (8 refused)" in out
    assert "Verdict: DEVIATES: 1 of" in out and "(list_instances)" in out


def test_a_new_enum_value_is_named(capsys, monkeypatch):
    code, out, _ = doctor(capsys, DeviantTransport(rewrites=(volume_status_resizing,)), monkeypatch=monkeypatch)

    assert code == EXIT_DEVIATES
    assert "! unknown value: volumes[].status=resizing" in out
    row = next(line.split() for line in out.splitlines() if line.startswith("list_volumes "))
    assert row[5:7] == ["7", "0"]  # kept, not refused: the app shows it marked as unknown


def test_an_extra_field_is_named_with_its_path(capsys, monkeypatch):
    code, out, _ = doctor(capsys, DeviantTransport(rewrites=(flavor_gpu_arch,)), monkeypatch=monkeypatch)

    assert code == EXIT_DEVIATES
    assert "! unknown field: instances[].flavor.gpu_arch" in out
    assert out.count("instances[].flavor.gpu_arch") == 1  # once for the list, not once per instance


def test_a_missing_required_field_makes_the_answer_unreadable(capsys, monkeypatch):
    code, out, _ = doctor(capsys, DeviantTransport(rewrites=(balance_without_currency,)), monkeypatch=monkeypatch)

    assert code == EXIT_DEVIATES
    assert "! missing or invalid fields: currency: Field required" in out


def test_errors_and_bodies_that_are_not_json_are_deviations(capsys, monkeypatch):
    server = DeviantTransport(
        canned={
            "/api/v1/regions": Canned(200, b"<html><body>Maintenance</body></html>", "text/html"),
            "/api/v1/firewalls/protocols": Canned(
                500, b'{"error": {"code": "INTERNAL", "message": "boom \\u001b[31m"}}'
            ),
        }
    )
    code, out, _ = doctor(capsys, server, monkeypatch=monkeypatch)

    assert code == EXIT_DEVIATES
    assert "! unreadable body:" in out and "HTML" in out
    protocols = next(line.split() for line in out.splitlines() if line.startswith("list_firewall_protocols "))
    assert protocols[1] == "500"
    assert "! HTTP 500: " in out and "boom" in out
    assert "\x1b" not in out  # the server's escape arrives as visible text, never as a terminal control


def test_an_empty_account_skips_what_needs_an_id_and_still_passes(capsys, monkeypatch):
    state = SimState(balances={"USD": Decimal("10")})
    code, out, err = doctor(capsys, DeviantTransport(state=state), monkeypatch=monkeypatch)

    assert code == EXIT_OK, out + err
    assert "skipped: list_volumes returned no volumes to read one of" in out
    assert "skipped: list_ssh_keys returned no keys to read one of" in out
    assert "skipped (nothing to read)" in out.splitlines()[-1]


def test_a_refused_key_stops_the_check_with_one_line(capsys, monkeypatch):
    server = DeviantTransport()
    code, out, _ = doctor(capsys, server, key="not-the-key-9876", monkeypatch=monkeypatch)

    assert code == EXIT_DEVIATES
    assert "Verdict: could not check the server: the server refused the key (HTTP 401 on get_balance)" in out
    assert len(server.seen) == 1
    assert "not-the-key-9876" not in out


def test_no_key_is_a_usage_error(capsys):
    code, out, err = doctor(capsys, DeviantTransport())

    assert code == EXIT_CANNOT_RUN
    assert "No API key for http://127.0.0.1:9: set BARRACK_API_KEY or run `barrack-tui auth login`." in err
    assert out == ""


def test_the_key_never_appears_and_the_json_report_redacts_ids(capsys, monkeypatch, tmp_path):
    key = "canary-SECRET-5150-key"
    state = seed_demo()
    state.api_key = key

    def echo_key(request):
        # A hostile server quoting the credential back in an error message.
        return Canned(403, json.dumps({"error": {"code": "FORBIDDEN", "message": request.headers["authorization"]}}).encode())

    missing = Canned(404, b'{"error": {"code": "NOT_FOUND", "message": "Script scr-0001 not found."}}')
    server = DeviantTransport(
        state=state,
        rewrites=(rename_instance_status,),
        canned={"/api/v1/ai/models": echo_key, "/api/v1/scripts/scr-0001": missing},
    )
    report_path = tmp_path / "report.json"
    code, out, err = doctor(capsys, server, "--json", str(report_path), key=key, monkeypatch=monkeypatch)

    assert code == EXIT_DEVIATES
    report_text = report_path.read_text(encoding="utf-8")
    for text in (out, err, report_text):
        assert key not in text
    assert "! HTTP 403: " in out
    assert stat.S_IMODE(os.stat(report_path).st_mode) == 0o600
    assert f"Report written to {report_path} (key and resource ids redacted)." in out

    report = json.loads(report_text)
    assert report["api_key"] == "redacted" and report["ok"] is False
    for seeded in ("ins-0001", "vol-0001", "key-0001", "fw-0001", "snap-0001", "img-0001", "scr-0001"):
        assert seeded not in report_text
    instances = next(op for op in report["operations"] if op["operation"] == "list_instances")
    assert instances["unknown_fields"] == ["instances[].state"]
    items = [refused["item"] for refused in instances["refused"]]
    assert len(items) == 8 and all(item.startswith("id-") for item in items)
    assert len(set(items)) == 8  # one placeholder per instance
    assert instances["refused"][0]["errors"] == ["status: Field required"]
    script = next(op for op in report["operations"] if op["operation"] == "get_script")
    assert script["status"] == 404 and script["path"] == "/scripts/{id}"
    assert re.fullmatch(r"HTTP 404: .*Script id-\d+ not found\..*", script["problems"][0])


def test_redaction_replaces_whole_ids_with_stable_placeholders():
    redactor = Redactor(["ins-0001", "7"])

    assert redactor.text("ins-0001 failed; retry ins-0001.") == "id-1 failed; retry id-1."
    assert redactor.text("ins-00011 and page 17 of 7") == "ins-00011 and page 17 of id-2"
    assert redactor.add("ins-0001") == "id-1" and redactor.add("vol-9") == "id-3"


def test_the_json_report_is_0600_even_over_an_existing_file(capsys, monkeypatch, tmp_path):
    report_path = tmp_path / "report.json"
    report_path.write_text("old")
    report_path.chmod(0o644)
    code, _, _ = doctor(capsys, DeviantTransport(), "--json", str(report_path), monkeypatch=monkeypatch)

    assert code == EXIT_OK
    assert stat.S_IMODE(os.stat(report_path).st_mode) == 0o600
    assert json.loads(report_path.read_text())["ok"] is True


@pytest.mark.parametrize("op", ["delete_instance", "create_volume", "update_script"])
async def test_get_raw_refuses_anything_but_get(op):
    from barrack_tui.api.client import BarrackClient

    server = DeviantTransport()
    async with BarrackClient("http://sim.test", DEMO_API_KEY, transport=server) as client:
        path = {"id": "ins-0001"} if ROUTES[op].params else None
        with pytest.raises(ValueError, match="only reads"):
            await client.get_raw(op, path=path)
    assert server.seen == []
