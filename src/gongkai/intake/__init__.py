"""The public intake kit: what every form a citizen submits without an account needs.

- :mod:`~gongkai.intake.captcha` — a plain-text sum, signed, single-use (no outside service);
- :mod:`~gongkai.intake.ratelimit` — per-address limits, counted in the shared cache;
- :mod:`~gongkai.intake.idempotency` — one rule for a reused idempotency key;
- :mod:`~gongkai.intake.codes` — 查询码 tracking codes;
- :mod:`~gongkai.intake.numbering` — gap-free reference numbers per agency, series and year;
- :mod:`~gongkai.intake.files` — attachment checks (type by content, size, name) and storage;
- :mod:`~gongkai.intake.public` — the guard around one public submission (limits counted
  once the outcome is known);
- :mod:`~gongkai.intake.held` — chosen files held in the session for the retry of a form
  that came back with an error.

Applications use it now, mailbox letters next; a new public form is input shaping around one
service call that uses these pieces.
"""
