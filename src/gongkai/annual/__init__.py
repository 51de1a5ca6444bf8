"""Annual reports as data: formats, the report document, checks, parsers, renderers. Never imports Django."""
