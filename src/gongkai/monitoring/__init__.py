"""Monitoring (自查): the platform checks its own public output against the website indicators of
docs/law/ogi-spec.md §6.5 before the inspectors do. See docs/monitoring.md."""
