"""The platform's one audit log: every change to every record, who made it and when.

Services write it with :func:`gongkai.auditlog.services.record` inside the transaction that
made the change; nothing else writes it and nothing edits or deletes it. Reads that cross a
permission boundary go through :mod:`gongkai.auditlog.selectors`.
"""
