"""Command-line entry points: the app, `auth`, `ssh-config`, `config check`, `doctor`, `sim`. Kept light: Textual is imported only when the app runs."""
