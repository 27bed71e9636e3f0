"""Reusable pieces that know no area and no app: modal bases, confirm dialog, list tools, tables, badges, the key scheme."""
