"""The activity log's records and their store: what was done and seen, per account, kept 90 days (no UI)."""
