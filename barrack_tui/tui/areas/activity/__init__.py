"""The Activity area: the log of what the app sent and what the pollers saw, with its filter and export."""
