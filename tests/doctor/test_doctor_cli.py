"""`barrack-tui doctor` through the real command line, against the simulator served on loopback in both modes."""

from __future__ import annotations

import json

import pytest

from barrack_tui.cli.main import main
from barrack_tui.sim.server import start_background


@pytest.mark.parametrize("envelope", [False, True], ids=["bare", "envelope"])
def test_doctor_command_against_the_served_simulator_exits_0(capsys, monkeypatch, tmp_path, envelope):
    running = start_background(envelope=envelope)
    try:
        monkeypatch.setenv("BARRACK_API_KEY", running.api_key)
        report_path = tmp_path / "doctor.json"
        code = main(["--base-url", running.url, "doctor", "--json", str(report_path)])
    finally:
        running.stop()
    out, err = capsys.readouterr()

    assert code == 0, out + err
    assert out.startswith("barrack-tui doctor ") and f": {running.url} (key " in out.splitlines()[0]
    assert "Read-only: GET requests only; nothing on the account is changed." in out
    assert "Verdict: OK: all 33 operations read match what this version expects." in out
    assert running.api_key not in out + err
    report = json.loads(report_path.read_text())
    assert report["ok"] is True
    assert {op["envelope"] for op in report["operations"]} == {envelope}
    assert running.api_key not in report_path.read_text()


def test_doctor_command_refuses_plain_http_to_another_machine(capsys, monkeypatch):
    monkeypatch.setenv("BARRACK_API_KEY", "some-key-1234")
    code = main(["--base-url", "http://api.example.com", "doctor"])
    out, err = capsys.readouterr()

    assert code == 2
    assert "Refusing http://api.example.com" in err
    assert "some-key-1234" not in out + err


@pytest.mark.parametrize("module", ["barrack_tui.cli.doctor_checks", "barrack_tui.cli.doctor"])
def test_doctor_loads_without_textual(module):
    from tests.test_import_hygiene import textual_modules_loaded_by

    assert textual_modules_loaded_by(module) == []
