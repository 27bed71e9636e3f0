"""Instances: the fleet table, details, power actions, security rules, SSH and the deploy wizard."""
