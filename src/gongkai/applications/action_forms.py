"""One small form per workbench action (the same forms validate the API's action bodies)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.applications.forms import AccessibleForm, today_field
from gongkai.applications.labels import articles_in_language, translated, translated_choices
from gongkai.applications.models import Consultation, Delivery, FeeNotice
from gongkai.applications.services.ui_support import reply_choices
from gongkai.law.clock import MAX_EXTENSION_DAYS
from gongkai.law.workflow import Action
from gongkai.letters.catalog import VARIABLES

__all__ = ["ACTION_FORMS", "REPLY_LETTER_FIELDS", "action_form"]


class ActionForm(AccessibleForm):
    on = today_field(_("办理日期"))

    def __init__(self, *args, application=None, **kwargs):
        self.application = application
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class AcceptForm(ActionForm):
    on = today_field(
        _("收到申请之日（确认之日）"),
        help_text=_(
            "待确认的网上、传真、平常信函申请：以与申请人确认之日为收到申请之日"
            "（《政府信息公开条例》第三十一条）；不填则为今天"
        ),
    )


class CorrectionForm(ActionForm):
    items = forms.CharField(
        label=_("需要补正的事项"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一项，一次性告知（《政府信息公开条例》第三十条）"),
    )
    supplement_due = forms.DateField(
        label=_("补正期限（选填）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("不填则为告知之日起15个工作日"),
    )


class SupplementForm(ActionForm):
    on = today_field(_("收到补正材料之日"))
    files = forms.FileField(
        label=_("补正材料（选填）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
        help_text=_("PDF、JPG、PNG 或 DOCX，不超过10MB"),
    )
    note = forms.CharField(label=_("说明（选填）"), required=False, max_length=500)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["files"] = [data["files"]] if data.get("files") else []
        return data


class OpenConsultationForm(ActionForm):
    on = today_field(_("征求意见函发出之日"))
    kind = forms.ChoiceField(label=_("类型"), choices=translated_choices(Consultation.Kind.choices))
    party = forms.CharField(label=_("征求意见对象"), max_length=100)
    info_summary = forms.CharField(
        label=_("涉及的信息（选填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseConsultationForm(ActionForm):
    on = today_field(_("收到意见之日（或期满之日）"))
    consultation = forms.ModelChoiceField(label=_("征求意见"), queryset=Consultation.objects.none())
    opinion = forms.CharField(
        label=_("意见（选填）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("逾期未提出意见的可不填"),
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, application=application, **kwargs)
        if application is not None:
            open_ones = application.consultations.filter(closed_on=None)
            self.fields["consultation"].queryset = open_ones
            if len(open_ones) == 1:
                self.fields["consultation"].initial = open_ones[0].pk


class ExtensionForm(ActionForm):
    on = today_field(_("批准之日"))
    days = forms.IntegerField(
        label=_("延长工作日数"),
        min_value=1,
        max_value=MAX_EXTENSION_DAYS,
        initial=MAX_EXTENSION_DAYS,
    )
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionRequestForm(ExtensionForm):
    """报请延期: the clerk's request; the approver's approval sets the extension's day."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["on"]


class ApproveExtensionRequestForm(ActionForm):
    on = today_field(_("批准之日"))


class FeeNoticeForm(ActionForm):
    on = today_field(_("发出之日"))
    method = forms.ChoiceField(
        label=_("计收方式"), choices=translated_choices(FeeNotice.Method.choices)
    )
    pages = forms.IntegerField(label=_("页数（按量计收时填写）"), required=False, min_value=1)
    payment_method = forms.CharField(label=_("缴费方式"), max_length=200)
    received_on = forms.DateField(
        label=_("申请人收到通知之日（选填）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("不填则为发出之日"),
    )


class DayOnlyForm(ActionForm):
    pass


#: Letter variables a handler may write on a reply (the rest come from the case), with labels.
REPLY_LETTER_FIELDS = {
    "provision_method": _("提供方式"),
    "publication_place": _("已主动公开的位置"),
    "withheld_part": _("不予公开的部分"),
    "reasons": _("理由"),
    "search_description": _("检索范围和方式"),
    "query_procedure": _("查询途径"),
    "responsible_agency": _("负责公开该信息的机关"),
    "responsible_agency_contact": _("该机关的联系方式"),
    "proper_channel": _("信访、投诉、举报的受理渠道"),
    "previous_reply": _("已作出的答复"),
    "publication_source": _("公开出版物的获取途径"),
    "decision_text": _("其他处理：处理结果"),
    "basis_text": _("其他处理：处理依据"),
    "contact_phone": _("联系电话"),
}


class ReplyForm(ActionForm):
    on = today_field(_("答复之日"))
    disposition = forms.ChoiceField(
        label=_("处理结果"),
        help_text=_("决定答复书的内容、法律依据和年报中计入的行"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices_info = reply_choices()
        self.fields["disposition"].choices = [
            ("", _("请选择处理结果")),
            *(
                (
                    c["value"],
                    f"{translated(c['label'])}{gettext('（')}"
                    f"{articles_in_language(c['articles'])}{gettext('）')}",
                )
                for c in self.choices_info
            ),
        ]
        for name, label in REPLY_LETTER_FIELDS.items():
            self.fields[name] = forms.CharField(
                label=label,
                help_text=translated(VARIABLES[name]) if VARIABLES[name] != label else "",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2})
                if name in {"reasons", "search_description", "decision_text"}
                else forms.TextInput,
            )

    def service_data(self) -> dict:
        data = {"on": self.cleaned_data.get("on"), "disposition": self.cleaned_data["disposition"]}
        data["letter"] = {n: self.cleaned_data.get(n, "") for n in REPLY_LETTER_FIELDS}
        return data


class DraftReplyForm(ReplyForm):
    """The clerk's draft: as the reply, without the day (the approver's sign-off sets it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["on"]


class ApproveReplyForm(ActionForm):
    on = today_field(_("答复之日（签发之日）"))


class ReturnDraftForm(ActionForm):
    note = forms.CharField(
        label=_("退回意见"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["on"]


class DeliveryForm(ActionForm):
    on = today_field(_("送达之日"))
    method = forms.ChoiceField(
        label=_("送达方式"), choices=translated_choices(Delivery.Method.choices)
    )
    note = forms.CharField(label=_("备注（如挂号信单号）"), required=False, max_length=200)


class WithdrawForm(ActionForm):
    on = today_field(_("撤回之日"))
    note = forms.CharField(label=_("说明（选填）"), required=False, max_length=500)


class TransferForm(ActionForm):
    on = today_field(_("转送之日"))
    to_agency = forms.ModelChoiceField(label=_("接收机关"), queryset=Agency.objects.all())
    note = forms.CharField(label=_("说明（选填）"), required=False, max_length=500)

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, application=application, **kwargs)
        if application is not None:
            self.fields["to_agency"].queryset = Agency.objects.exclude(pk=application.agency_id)


ACTION_FORMS: dict[str, type[ActionForm]] = {
    Action.ACCEPT: AcceptForm,
    Action.REQUEST_CORRECTION: CorrectionForm,
    Action.RECORD_SUPPLEMENT: SupplementForm,
    Action.LAPSE_CORRECTION: DayOnlyForm,
    Action.OPEN_CONSULTATION: OpenConsultationForm,
    Action.CLOSE_CONSULTATION: CloseConsultationForm,
    Action.EXTEND: ExtensionForm,
    Action.ISSUE_FEE_NOTICE: FeeNoticeForm,
    Action.RECORD_PAYMENT: DayOnlyForm,
    Action.LAPSE_FEE: DayOnlyForm,
    Action.REPLY: ReplyForm,
    "draft_reply": DraftReplyForm,
    "approve_reply": ApproveReplyForm,
    "return_reply_draft": ReturnDraftForm,
    "request_extension": ExtensionRequestForm,
    "approve_extension_request": ApproveExtensionRequestForm,
    "return_extension_request": ReturnDraftForm,
    Action.DELIVER: DeliveryForm,
    Action.ARCHIVE: DayOnlyForm,
    Action.WITHDRAW: WithdrawForm,
    Action.TRANSFER: TransferForm,
}


def action_form(action: str, application, data=None, files=None, *, prefix=True) -> ActionForm:
    """Return the form of ``action`` for ``application`` (bound when ``data`` is given).

    Pages show several action forms at once, so their fields carry the action as prefix; the
    API binds plain JSON keys (``prefix=False``).
    """
    cls = ACTION_FORMS[action]
    return cls(data, files, application=application, prefix=action if prefix else None)
