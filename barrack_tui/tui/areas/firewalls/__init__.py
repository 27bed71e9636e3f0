"""Firewalls: list, details, rules, attach and detach."""
