"""`python -m barrack_tui` runs the same entry point as the console script."""

from barrack_tui.cli.main import main

raise SystemExit(main())
