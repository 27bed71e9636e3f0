"""The managed ssh config and the Include line, on a temporary HOME: idempotent, exact, and only with consent."""

from __future__ import annotations

import argparse
import os
import stat

import pytest

from barrack_tui.account import ssh_config
from barrack_tui.account.config import Settings
from barrack_tui.cli.ssh import run_ssh_config
from tests.tui.test_instances_model import vm

USER_CONFIG = """# my own settings
Host work
    HostName work.example.com
    User me

Host *
    ServerAliveInterval 30
"""


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    return home


def fleet():
    return [
        vm("gpu-train-1", public_ip="203.0.113.10", instance_id="ins-0001"),
        vm("batch l40", "SHUTOFF", private_ip="10.20.0.13", instance_id="ins-0003"),
    ]


def test_managed_file_has_one_host_per_instance_with_its_user(home) -> None:
    path, changed, count = ssh_config.write_managed_config(fleet())
    text = path.read_text()
    assert changed and count == 2
    assert path == ssh_config.managed_config_path() and path.name == "barrack_ssh_config"
    assert "Host barrack-gpu-train-1\n    # ins-0001 in NORWAY-1\n    HostName 203.0.113.10\n    User ubuntu\n" in text
    assert "Host barrack-batch-l40\n" in text and "HostName 10.20.0.13" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_writing_twice_changes_nothing(home) -> None:
    path, _, _ = ssh_config.write_managed_config(fleet())
    first = path.read_bytes()
    _, changed, _ = ssh_config.write_managed_config(list(reversed(fleet())))
    assert not changed and path.read_bytes() == first


def test_deleted_instances_disappear(home) -> None:
    ssh_config.write_managed_config(fleet())
    path, changed, count = ssh_config.write_managed_config(fleet()[:1])
    assert changed and count == 1
    assert "batch" not in path.read_text()


def test_hostile_names_cannot_inject_directives(home) -> None:
    import re

    evil = vm("x\nHost *\n  ProxyCommand rm -rf ~", public_ip="203.0.113.9", instance_id="ins-9")
    lines = ssh_config.render_managed_config([evil]).splitlines()
    hosts = [line for line in lines if line.startswith("Host ")]
    assert len(hosts) == 1 and re.fullmatch(r"Host barrack-[A-Za-z0-9._-]+", hosts[0])
    directives = {line.split()[0] for line in lines if line.startswith("    ") and not line.strip().startswith("#")}
    assert directives == {"HostName", "User"}


def test_user_options_become_directives(home) -> None:
    text = ssh_config.render_managed_config(fleet()[:1], ["-i", "~/.ssh/barrack", "-o", "StrictHostKeyChecking=accept-new", "-p", "2222"])
    assert "    IdentityFile ~/.ssh/barrack\n    StrictHostKeyChecking accept-new\n    Port 2222\n" in text


def test_include_added_once_at_the_top_and_nothing_else_changes(home) -> None:
    user_config = home / ".ssh" / "config"
    user_config.write_text(USER_CONFIG)
    os.chmod(user_config, 0o644)
    path, _, _ = ssh_config.write_managed_config(fleet())
    assert not ssh_config.has_include(path)
    assert ssh_config.add_include(path) is True
    text = user_config.read_text()
    assert text == f"{ssh_config.INCLUDE_COMMENT}\nInclude {path}\n\n" + USER_CONFIG
    assert ssh_config.add_include(path) is False
    assert user_config.read_text() == text
    assert stat.S_IMODE(user_config.stat().st_mode) == 0o644  # the user's mode is kept


def test_include_creates_a_private_config_when_there_is_none(home) -> None:
    (home / ".ssh").rmdir()
    path, _, _ = ssh_config.write_managed_config(fleet())
    assert ssh_config.add_include(path)
    user_config = home / ".ssh" / "config"
    assert stat.S_IMODE(user_config.stat().st_mode) == 0o600
    assert ssh_config.has_include(path)


def test_an_include_the_user_wrote_is_recognised(home) -> None:
    path, _, _ = ssh_config.write_managed_config(fleet())
    relative = os.path.relpath(path, home)
    (home / ".ssh" / "config").write_text(f"Include ~/{relative}\n")
    assert ssh_config.has_include(path)
    assert ssh_config.add_include(path) is False


def test_host_star_before_the_include_is_warned_about(home) -> None:
    path, _, _ = ssh_config.write_managed_config(fleet())
    (home / ".ssh" / "config").write_text(
        f"Host *\n    User root\n    IdentityFile ~/.ssh/other\n\nInclude {path}\n\nHost *\n    User late\n"
    )
    warnings = ssh_config.host_star_overrides(path)
    assert len(warnings) == 1
    assert warnings[0].line_number == 1 and warnings[0].keywords == ["User", "IdentityFile"]
    assert "overrides the User and IdentityFile" in str(warnings[0])


def test_include_on_top_has_nothing_overriding_it(home) -> None:
    (home / ".ssh" / "config").write_text("Host *\n    User root\n")
    path, _, _ = ssh_config.write_managed_config(fleet())
    ssh_config.add_include(path)
    assert ssh_config.host_star_overrides(path) == []


def test_default_user_and_command() -> None:
    instance = vm("a", public_ip="203.0.113.10")
    assert ssh_config.default_user("Ubuntu Server 22.04 LTS") == "ubuntu"
    assert ssh_config.default_user("Debian 12") == "debian"
    assert ssh_config.ssh_command(instance, ["-A"]) == ["ssh", "-A", "ubuntu@203.0.113.10"]
    assert ssh_config.ssh_command(vm("b")) is None  # no public IP
    assert "no public IP" in ssh_config.ssh_target(vm("b"))[1]
    assert ssh_config.ssh_command(vm("c", "SHUTOFF", public_ip="203.0.113.11")) is None


# --- the CLI -------------------------------------------------------------------------------------


def cli_args(**overrides) -> argparse.Namespace:
    values = {"include": False, "yes": False, "demo": True}
    values.update(overrides)
    return argparse.Namespace(**values)


def test_cli_writes_the_demo_fleet_and_adds_include_only_with_yes(home, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    user_config = home / ".ssh" / "config"
    user_config.write_text(USER_CONFIG)
    assert run_ssh_config(cli_args(), Settings()) == 0
    assert user_config.read_text() == USER_CONFIG
    assert "Host barrack-gpu-train-1" in ssh_config.managed_config_path().read_text()
    # --include without a terminal to ask on and without --yes: still untouched.
    assert run_ssh_config(cli_args(include=True), Settings()) == 0
    assert user_config.read_text() == USER_CONFIG
    assert "Not changed" in capsys.readouterr().out
    assert run_ssh_config(cli_args(include=True, yes=True), Settings()) == 0
    assert user_config.read_text().endswith(USER_CONFIG) and user_config.read_text().count("Include ") == 1
    assert run_ssh_config(cli_args(include=True, yes=True), Settings()) == 0
    assert user_config.read_text().count("Include ") == 1


def test_cli_asks_on_a_terminal(home, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["n", "y"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    run_ssh_config(cli_args(include=True), Settings())
    assert not ssh_config.has_include(ssh_config.managed_config_path())
    run_ssh_config(cli_args(include=True), Settings())
    assert ssh_config.has_include(ssh_config.managed_config_path())


def test_cli_without_a_key_says_how_to_get_one(home, capsys) -> None:
    assert run_ssh_config(cli_args(demo=False), Settings(base_url="http://127.0.0.1:9")) == 2
    assert "auth login" in capsys.readouterr().err
