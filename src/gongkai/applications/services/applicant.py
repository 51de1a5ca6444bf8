"""What the applicant does on the status page (no account: the 查询码 is their key)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from gongkai.accounts import rules
from gongkai.applications.models import Application, Attachment
from gongkai.applications.services.common import refuse
from gongkai.applications.services.intake import save_files
from gongkai.applications.services.steps import STEPS, ApplicationStep
from gongkai.applications.services.validation import check_attachments
from gongkai.law.workflow import State

__all__ = ["submit_supplement"]

MAX_NOTE = 2000


@STEPS.add
class SubmitSupplement(ApplicationStep):
    """The applicant sends 补正 material (《政府信息公开条例》第三十条): files and a note.

    It is recorded for the clerk (attachments of kind 补正材料 and an event on the timeline);
    the clerk then records the supplement, and the reply period runs again from the day the
    agency received it. Only while a correction is requested.
    """

    action = "applicant_supplement"
    label = "申请人提交补正材料"
    allowed = staticmethod(rules.holds_tracking_code)

    def validate(self) -> None:
        self.text = (self.params.get("note") or "").strip()
        if len(self.text) > MAX_NOTE:
            raise ValidationError(
                {"note": f"不能超过{MAX_NOTE}个字 / at most {MAX_NOTE} characters"}
            )
        if "\x00" in self.text:
            raise ValidationError({"note": "不能含有空字符 / must not contain NUL characters"})
        self.checked = check_attachments(self.params.get("files") or ())
        if not self.text and not self.checked:
            raise ValidationError(
                {"note": "请填写补正内容或上传补正材料 / write the supplement or attach a file"}
            )

    def change(self, application: Application) -> list[Attachment]:
        if application.state != State.CORRECTION_REQUESTED:
            raise refuse(
                "该申请现在不需要补正",
                "no correction is requested for this application",
                "supplement.not_requested",
            )
        before = set(application.attachments.values_list("pk", flat=True))
        save_files(application, self.checked)
        added = list(application.attachments.exclude(pk__in=before))
        self.data = {"files": [a.original_name for a in added]}
        self.note = self.text
        return added


def submit_supplement(
    *, application: Application, note: str = "", files: Iterable[tuple[str, Any]] = ()
) -> list[Attachment]:
    return SubmitSupplement(actor=None, record=application, note=note, files=list(files)).run()


submit_supplement.__doc__ = SubmitSupplement.__doc__
