"""Citizen portal shell: login, home; composes contexts' pages and queries."""
