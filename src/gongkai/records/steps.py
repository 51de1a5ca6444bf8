"""A state change of a record, in one place: permission, lock, change, audit row, files, on-commit.

After Wagtail's action classes and Zulip's ``do_*`` functions. A step is a class::

    class Withdraw(Step):
        action = "withdraw"
        label = "撤回"
        allowed = staticmethod(rules.can_handle)
        fields = ("state",)

        def apply(self, record):
            record.state = "withdrawn"
            record.save(update_fields=["state"])

and running it — ``Withdraw(actor=user, record=publication, reason="…").run()`` — does:

1. :meth:`Step.check`: ``allowed(actor, record.agency)`` or PermissionDenied (the rules of
   :mod:`gongkai.accounts.rules`, nowhere else);
2. :meth:`Step.prepare`: input checks that need no lock (raise ValidationError);
3. inside ``transaction.atomic()`` (and :func:`~gongkai.records.files.delete_files_on_error`
   around it): the record re-read under a row lock, :meth:`Step.apply` making the change, one
   audit row with the ``fields`` before and after, ``self.data`` and ``self.note``, then
   :meth:`Step.follow_up` for consequences that write rows of their own;
4. :meth:`Step.committed` after the commit (mail, notices): it never undoes the change.

Views, the API and the CLI find steps by name in a :class:`StepTable` and call
:meth:`StepTable.run`, so there is one dispatch instead of a chain of branches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from gongkai.auditlog.services import record as audit
from gongkai.auditlog.services import snapshot
from gongkai.records.files import delete_files_on_error

__all__ = ["Step", "StepTable", "UnknownStep"]

DENIED = "您无权对该记录执行此操作 / you may not do this to this record"


class Step:
    """One change of one record by one actor (subclass it; see the module docstring)."""

    #: The audit log's action name, and the key in a :class:`StepTable`.
    action: ClassVar[str] = ""
    #: The key in a :class:`StepTable` when it differs from ``action`` (two ways to one act).
    name: ClassVar[str] = ""
    #: What users read (Chinese).
    label: ClassVar[str] = ""
    #: ``allowed(actor, agency) -> bool``, from :mod:`gongkai.accounts.rules`.
    allowed: ClassVar[Callable[[Any, Any], bool] | None] = None
    #: The message of the PermissionDenied when ``allowed`` says no.
    denied: ClassVar[str] = DENIED
    #: Fields of the record written to the audit row before and after the change.
    fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *, actor: Any, record: models.Model, **params: Any) -> None:
        self.actor = actor
        self.record = record
        self.params = params
        self.data: dict[str, Any] = {}
        self.note = ""
        self.audit_obj: models.Model | None = None  # another object to log against, if any

    # -- the parts a subclass fills in ------------------------------------------------------

    def check(self) -> None:
        """Raise PermissionDenied unless the actor may take this step for the record's agency."""
        if self.allowed is None:
            raise NotImplementedError(f"{type(self).__name__} does not say who may take it")
        if not self.allowed(self.actor, self.record.agency_id):
            raise PermissionDenied(self.denied)

    def prepare(self) -> None:
        """Check the input before anything is locked (raise ValidationError)."""

    def lock(self) -> models.Model:
        """Return the record re-read under a row lock (inside the transaction)."""
        return type(self.record).objects.select_for_update().get(pk=self.record.pk)

    def apply(self, record: models.Model) -> Any:
        """Make the change on the locked ``record``; return what :meth:`run` returns."""
        raise NotImplementedError

    def audit_label(self) -> str:
        return self.label

    def follow_up(self, record: models.Model) -> None:
        """Inside the transaction, after the audit row: consequences that log themselves."""

    def committed(self) -> None:
        """Run after the commit (notifications); failures must be caught and logged here."""

    # -- the one ritual ---------------------------------------------------------------------

    def run(self) -> Any:
        """Take the step; return what :meth:`apply` returned (by default the record)."""
        self.check()
        self.prepare()
        with delete_files_on_error(), transaction.atomic():
            record = self.lock()
            self.record = record
            before = snapshot(record, self.fields)
            result = self.apply(record)
            audit(
                actor=self.actor,
                action=self.action,
                obj=self.audit_obj or record,
                label=self.audit_label(),
                before=before,
                after=snapshot(record, self.fields),
                data=self.data,
                note=self.note,
            )
            self.follow_up(record)
            transaction.on_commit(self.committed)
        return record if result is None else result


class UnknownStep(LookupError):
    """A step name the table does not have (the API answers 404, a form 400)."""


class StepTable:
    """Steps by name, for views, the API and the CLI to dispatch through."""

    def __init__(self, steps: Iterable[type[Step]] = ()) -> None:
        self._steps: dict[str, type[Step]] = {}
        for step in steps:
            self.add(step)

    def add(self, step: type[Step]) -> type[Step]:
        """Register ``step`` under its name (usable as a class decorator)."""
        name = step.name or step.action
        if not name or name in self._steps:
            raise ValueError(f"step name {name!r} is empty or taken")
        self._steps[name] = step
        return step

    def __contains__(self, name: object) -> bool:
        return name in self._steps

    def __iter__(self):
        return iter(self._steps.values())

    def get(self, name: str) -> type[Step]:
        try:
            return self._steps[name]
        except KeyError:
            raise UnknownStep(name) from None

    def run(self, name: str, *, actor: Any, record: models.Model, **params: Any) -> Any:
        """Take step ``name`` on ``record``."""
        return self.get(name)(actor=actor, record=record, **params).run()
