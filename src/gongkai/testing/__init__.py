"""Helpers for gongkai's own test suite (pytest plugin, factories)."""
