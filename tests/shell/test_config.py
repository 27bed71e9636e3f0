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
