"""The demo county: a populated installation for trying gongkai out (``gongkai demo``).

The county is modelled on the seed report (城口县人民政府机关,
tests/corpus/000-chengkou-2020.txt). Everything it creates is demo data: the credit codes are generated with valid check characters but are not
the real agencies' codes, and the staff are fictitious.

Loading runs :data:`DEMO_STEPS` in order; each step is a module ``gongkai.demo.<name>`` with
``load(*, out) -> None``. A step must be idempotent: running the demo twice changes nothing.
Later features add their own step (applications, publications, …) to the end of the list.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

#: Loader steps, run in this order. Append new steps; a step may rely on the ones before it.
DEMO_STEPS: list[str] = [
    "agencies",
    "staff",
    "applications",
    "publications",  # 主动公开 items, placements, interpretations
    "normative",  # normative documents, cleanups, 第二十条 figures
    "mailbox",  # 县长信箱 letters
    "appeals",  # review and litigation cases
    "catalogue",  # standard catalogue, trainings and the 2020 scorecard
    "sites",  # the site cluster, columns, 政务新媒体 and 2020 visits
    "guide",  # each agency's 政府信息公开工作机构 (the 指南's contact data)
    "monitoring",  # the sites kept current, and problems planted for the monitoring checks
]


def load_demo(*, out: Callable[[str], object] = print) -> None:
    """Load every demo step in one transaction, so a failure leaves nothing half-loaded."""
    from django.db import transaction

    with transaction.atomic():
        for name in DEMO_STEPS:
            module = importlib.import_module(f"gongkai.demo.{name}")
            module.load(out=out)
        # The demo's history is made today and dated back to the days it tells of (steps re-date
        # their audit rows), which the tamper-evident chain sees as edits: the demo database is
        # sealed again once it is complete (docs/audit-log.md). Only the demo does this.
        from django.db.models import F

        from gongkai.auditlog.chain import chain_all
        from gongkai.auditlog.models import AuditChainHead, AuditEntry

        AuditEntry.objects.update(seq=F("pk") + 10**12)  # out of the way of the new numbers
        chain_all(AuditEntry, AuditChainHead)
