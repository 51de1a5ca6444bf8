"""Render a report document into each layout published reports come in (and for exports)."""
