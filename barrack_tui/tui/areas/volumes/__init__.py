"""Volumes: cards, details, create, attach, detach, clone, resize, delete."""
