"""Regions: GPU stock per region and the deploy shortcut from a stock cell."""
