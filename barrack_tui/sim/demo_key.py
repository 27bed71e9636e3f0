"""The API key the simulator accepts unless given another: well known, which is why it serves loopback only.

A module of its own so the `--demo` child can announce the key before it imports the simulator.
"""

DEMO_API_KEY = "demo-key-0000-barrack-sim"
