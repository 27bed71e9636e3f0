"""Snapshots and images: list, details, create, restore, delete."""
