"""The user's side of the account on this machine: the API key (keyring or key file), config, paths, SSH config."""
