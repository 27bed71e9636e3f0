"""What a screen says when a key would act on data it shows but has not yet validated (a look)."""

STILL_READING = "Still reading the account: try again in a moment."
