"""One folder per area a user works on; an area imports the shell and the kit, never another area."""
