"""The background worker: django-tasks' database worker with leases, so a task whose worker
died (SIGKILL, a power cut, the out-of-memory killer) is run again, and a ledger of effects so
a task run again does not repeat what it already did (docs/security.md, "Crash safety")."""
