"""The step of 依申请公开: one class per action, dispatched by name through :data:`STEPS`.

:class:`ApplicationStep` is the platform's :class:`~gongkai.records.steps.Step` with what the
statute adds: the action is checked against ``gongkai.law.workflow`` on its legal date
(:meth:`ApplicationStep.apply` refuses with the reason), an ending records the disposition and
the closing day, the due date is recomputed from its stored basis after the change, and a
pending reply draft the change makes stale is sent back. A date in a year without holiday
data raises :class:`~gongkai.applications.services.common.CalendarYearRefused`, never a guess.

The service functions (``request_correction(actor=…, application=…, …)``) build and run the
steps; the workbench, the API and the CLI run them by name with ``STEPS.run``, their input
shaped by each step's :meth:`ApplicationStep.params_from`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from gongkai.accounts import rules
from gongkai.applications.models import Application
from gongkai.applications.services.common import (
    calendar_needed,
    facts_for,
    today,
    transition,
    withdraw_stale_draft,
)
from gongkai.applications.services.deadlines import refresh_due_date
from gongkai.holidays.services import load_calendar
from gongkai.law.dispositions import Disposition
from gongkai.law.workflow import Action, closing_disposition
from gongkai.records.steps import Step, StepTable

__all__ = ["APPROVER_DENIED", "HANDLER_DENIED", "STEPS", "ApplicationStep"]

HANDLER_DENIED = (
    "您不是该机关的公开工作人员，不能办理其申请 / you do not handle this agency's applications"
)
APPROVER_DENIED = (
    "只有政府信息公开工作机构负责人可以批准（《政府信息公开条例》第三十三条第二款） / "
    "only the head of the disclosure office may approve this (Art. 33(2))"
)

#: Every step of the workbench, the API and the CLI, by name.
STEPS = StepTable()


class ApplicationStep(Step):
    """A step of one application, on its legal date ``on`` (default today)."""

    allowed = staticmethod(rules.can_handle)
    denied = HANDLER_DENIED
    #: The action ``gongkai.law.workflow`` checks; None for steps that change no state.
    law: ClassVar[Action | None] = None
    #: Whether the step ends the case (records ``disposition`` and ``closed_on``).
    ends_case: ClassVar[bool] = False
    #: Fields the step changes besides the state (saved with it).
    changes: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.law is not None and "action" not in cls.__dict__:
            cls.action = cls.law  # a workflow step is logged under the law's name

    def __init__(self, *, actor: Any, record: Application, on: date | None = None, **params):
        super().__init__(actor=actor, record=record, **params)
        self.on = on or today()
        self.calendar = None

    @property
    def fields(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("state",) if self.law is not None else ()

    def audit_label(self) -> str:
        return self.label or (self.law.label_zh if self.law is not None else "")

    # -- the parts a step fills in -----------------------------------------------------------

    def validate(self) -> None:
        """Check the input before anything is locked (raise ValidationError)."""

    def disposition(self) -> Disposition | None:
        """The disposition the workflow checks (replies only)."""
        return None

    def change(self, application: Application) -> Any:
        """Write the step's rows on the locked application (state already moved)."""

    def settle(self, application: Application) -> None:
        """After the due date is recomputed: what needs the new date (a letter stating it)."""

    @classmethod
    def params_from(cls, application: Application, data: Mapping[str, Any]) -> dict[str, Any]:
        """Shape cleaned form or API ``data`` into the step's parameters."""
        return {"on": data.get("on")}

    # -- the ritual ------------------------------------------------------------------------

    def run(self) -> Any:
        with calendar_needed():
            return super().run()

    def prepare(self) -> None:
        self.calendar = load_calendar()
        self.validate()

    def apply(self, application: Application) -> Any:
        result = self._apply(application)
        # the legal date of the step (the day the clerk entered), shown first on the timeline
        self.data = {**(self.data or {}), "on": self.on.isoformat()}
        return result

    def _apply(self, application: Application) -> Any:
        if self.law is None:
            return self.change(application)
        facts = facts_for(application, self.on, self.calendar)
        transition(
            application,
            action=self.law,
            on=self.on,
            calendar=self.calendar,
            disposition=self.disposition(),
        )
        if self.ends_case:
            ending = closing_disposition(facts, self.law, self.disposition())
            if ending is not None:
                application.disposition = ending.value
                application.closed_on = self.on
            self.data["disposition"] = ending.value if ending is not None else ""
        result = self.change(application)
        extra = ("disposition", "closed_on") if self.ends_case else ()
        application.save(update_fields=["state", "updated_at", *extra, *self.changes])
        old_due = application.due_on
        refresh_due_date(application, calendar=self.calendar)
        if application.due_on != old_due:
            self.data["due_on"] = {"old": _iso(old_due), "new": _iso(application.due_on)}
        self.settle(application)
        return result

    def follow_up(self, application: Application) -> None:
        if self.law is not None:
            withdraw_stale_draft(application, actor=self.actor, action=self.action)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
