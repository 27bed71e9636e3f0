"""SSH keys and startup scripts."""
