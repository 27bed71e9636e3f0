"""Config: TOML file, environment overrides, and a malformed file that names its line."""

from __future__ import annotations

from barrack_tui.account.config import load_settings


def test_settings_from_file_and_environment(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text(
        '[api]\nbase_url = "http://127.0.0.1:9"\n[ui]\ndefault_region = "US-1"\nread_only = true\n'
        '[poll]\nfast_seconds = 1.5\n[keymap]\n"mode.volumes" = "v"\n'
    )
    result = load_settings(path)
    assert result.warnings == []
    s = result.settings
    assert (s.base_url, s.default_region, s.read_only, s.poll.fast_seconds) == ("http://127.0.0.1:9", "US-1", True, 1.5)
    assert s.keymap == {"mode.volumes": "v"}
    monkeypatch.setenv("BARRACK_BASE_URL", "http://override")
    assert load_settings(path).settings.base_url == "http://override"


def test_malformed_file_names_the_line_and_falls_back_to_defaults(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[ui]\ntheme = "nord"\nread_only = = yes\n')
    result = load_settings(path)
    assert len(result.warnings) == 1 and "line 3" in result.warnings[0]
    assert result.settings.read_only is False and result.settings.theme == "textual-dark"


def test_wrong_types_are_warnings_not_crashes(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[ui]\nread_only = 1\ndefault_region = "MARS-1"\n[poll]\nslow_seconds = -3\n')
    result = load_settings(path)
    assert len(result.warnings) == 3
    assert result.settings.read_only is False and result.settings.poll.slow_seconds == 15.0


def test_config_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BARRACK_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert load_settings().settings.path == tmp_path / "elsewhere.toml"


def test_a_mistake_names_its_key_and_line_and_costs_only_that_key(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '# comment\n[api]\ntimeout_read = "slow"\nbase_url = "http://127.0.0.1:9"\n'
        '[keymap]\n"volumes.delete" = 3\n"volumes.create" = "N"\n[ssh]\njump_host = "-oProxyCommand=x"\n'
    )
    result = load_settings(path)
    assert result.warnings == [
        "config line 3: api.timeout_read must be a number, not a string; using the default",
        'config line 6: keymap.volumes.delete must be a string of keys like "d" or "d,delete"',
        "config line 9: ssh.jump_host '-oProxyCommand=x' must be one host like \"user@bastion\" (no spaces, no leading -)",
    ]
    s = result.settings
    assert (s.timeout_read, s.base_url, s.keymap, s.ssh_jump_host) == (30.0, "http://127.0.0.1:9", {"volumes.create": "N"}, None)


def test_dotted_keys_and_inline_tables_are_found_on_their_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('ui.read_only = "yes"\npoll = { fast_seconds = 0, slow_seconds = 5 }\n')
    result = load_settings(path)
    assert result.warnings == [
        "config line 1: ui.read_only must be true or false, not a string; using the default",
        "config line 2: poll.fast_seconds must be positive",
    ]
    assert (result.settings.poll.fast_seconds, result.settings.poll.slow_seconds) == (2.0, 5.0)


def test_unknown_keys_are_ignored_and_a_section_that_is_not_a_table_is_named(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('future = 1\nssh = "-A"\n[ui]\ntheme = "nord"\nsparkles = true\n')
    result = load_settings(path)
    assert result.warnings == ['config line 2: ssh must be a table ([ssh]), not a string; using the defaults']
    assert result.settings.theme == "nord" and result.settings.ssh_options == []
