"""The deploy wizard and its steps."""
