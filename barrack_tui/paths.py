"""Where barrack-tui keeps its files: config, chat history, remembered UI state.

`BARRACK_CONFIG_DIR` / `BARRACK_DATA_DIR` override the platform directories
(tests point them at temporary folders; so can a user with a shared home).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "barrack-tui"


def config_dir() -> Path:
    override = os.environ.get("BARRACK_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME)


def data_dir() -> Path:
    override = os.environ.get("BARRACK_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


def default_config_file() -> Path:
    return config_dir() / "config.toml"


def insecure_key_file() -> Path:
    return config_dir() / "credentials"


def ui_state_file() -> Path:
    return data_dir() / "ui-state.json"
