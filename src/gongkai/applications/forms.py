"""Forms of the public portal and the workbench.

The forms only shape input (types, choices, dates not in the future). Every rule about an
application — ID and credit-code checks, which fields each applicant kind needs, file types and
sizes, whether an action is allowed — stays in the services, whose ``ValidationError`` messages
are put beside the matching fields (:func:`add_service_errors`).
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.applications.labels import translated, translated_choices
from gongkai.applications.models import Application
from gongkai.applications.services.validation import APPLICANT_FIELDS, MAX_ATTACHMENT_BYTES
from gongkai.law.applicants import ApplicantKind, Channel, receipt_rule

__all__ = [
    "AccessibleForm",
    "ApplicationForm",
    "RegisterForm",
    "QueueFilterForm",
    "StatusLookupForm",
    "SupplementUploadForm",
    "add_service_errors",
]

ACCEPT_FILES = ".pdf,.jpg,.jpeg,.png,.docx"
#: the browser refuses a file over the limit before uploading it (apply.js); the server still checks
FILE_ATTRS = {"accept": ACCEPT_FILES, "data-max-bytes": str(MAX_ATTACHMENT_BYTES)}
REQUIRED_APPLICANT = {"applicant_kind", "applicant_name", "phone", "description"}

#: The choices of 申请人类型; the Chinese is ``ApplicantKind.choice_label_zh`` (a test keeps them
#: equal), written out here so the catalogue (makemessages) finds them.
KIND_LABELS = [
    (ApplicantKind.NATURAL_PERSON.value, _("公民（自然人）")),
    (ApplicantKind.COMMERCIAL.value, _("法人或其他组织：商业企业")),
    (ApplicantKind.RESEARCH.value, _("法人或其他组织：科研机构")),
    (ApplicantKind.SOCIAL_WELFARE.value, _("法人或其他组织：社会公益组织")),
    (ApplicantKind.LEGAL_SERVICE.value, _("法人或其他组织：法律服务机构")),
    (ApplicantKind.OTHER_ORG.value, _("法人或其他组织：其他")),
]


class CountedCharField(forms.CharField):
    """A text field whose length limit is shown, not enforced by cutting what is typed.

    A ``maxlength`` attribute makes the browser drop the end of a pasted text without a word;
    this field renders ``data-maxlength`` instead (apply.js shows 「已输入 N / 100 字」) and the
    server refuses a longer text with a message saying the limit and the length.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["max_length"] = (
            "不能超过%(limit_value)d个字（现为%(show_value)d个字） / "
            "at most %(limit_value)d characters (now %(show_value)d)"
        )

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        limit = attrs.pop("maxlength", None)
        if limit is not None:
            attrs["data-maxlength"] = limit
        return attrs


class AccessibleForm(forms.Form):
    """Links every input to its hint and error (aria-describedby) and marks it invalid.

    ``marked_required`` names the fields always marked 「（必填）」; ``required_when`` maps a
    field to the ``(field, value)`` choice that makes it required (the address when delivery
    is by post): it is marked while that choice is made, and apply.js follows the choice.
    """

    required_css_class = "required"
    marked_required: frozenset[str] | set[str] = frozenset()
    required_when: dict[str, tuple[str, str]] = {}

    def _current(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name), "") or "")
        field = self.fields.get(name)
        value = self.initial.get(name, field.initial if field is not None else "")
        return "" if value is None else str(value)

    @property
    def required_names(self) -> set[str]:
        """The fields marked 「（必填）」 now: always-required ones and those a choice requires."""
        names = set(self.marked_required)
        for name, (other, value) in self.required_when.items():
            if self._current(other) == value:
                names.add(name)
        return names

    @property
    def conditional_names(self) -> set[str]:
        return set(self.required_when)

    def mark_for_screen_readers(self) -> None:
        required = self.required_names
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}-hint")
            attrs = field.widget.attrs
            if self.is_bound and bound.errors:
                ids.append(f"{bound.auto_id}-error")
                attrs["aria-invalid"] = "true"
            else:
                attrs.pop("aria-invalid", None)
            if ids:
                attrs["aria-describedby"] = " ".join(ids)
            if name in required:
                attrs["aria-required"] = "true"
            else:
                attrs.pop("aria-required", None)
            if name in self.required_when:
                other, value = self.required_when[name]
                attrs["data-required-when"] = f"{other}={value}"

    @property
    def error_list(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) for the error summary, in the order of the fields."""
        rows = [("", "", str(e)) for e in self.non_field_errors()]
        for name in self.fields:
            if name in self.errors:
                bound = self[name]
                rows += [(bound.auto_id, str(bound.label), str(e)) for e in self.errors[name]]
        return rows


def add_service_errors(form: forms.Form, error: ValidationError, *, aliases=None) -> None:
    """Put a service's ValidationError beside the form's fields (unknown keys: form-wide)."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        target = aliases.get(name, name)
        for message in errors:
            form.add_error(target if target in form.fields else None, message)


def not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError("日期不能晚于今天 / the date cannot be in the future")


def today_field(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text or "不填则为今天 / today if left blank",
        validators=[not_in_future],
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ApplicantFields(AccessibleForm):
    """The applicant and request fields of 《政府信息公开条例》第二十九条 (checked by the service)."""

    marked_required = REQUIRED_APPLICANT | {"id_number", "credit_code"}
    required_when = {
        "address": ("delivery_method", Application.DeliveryMethod.POST.value),
        "email": ("delivery_method", Application.DeliveryMethod.EMAIL.value),
    }

    applicant_kind = forms.ChoiceField(
        label=_("申请人类型"),
        choices=KIND_LABELS,
        widget=forms.RadioSelect,
        initial="natural_person",
    )
    applicant_name = CountedCharField(
        label=_("姓名或名称"),
        required=False,
        max_length=100,
        help_text=_("公民填写姓名；法人或其他组织填写单位全称"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_type = forms.ChoiceField(
        label=_("证件类型"),
        required=False,
        choices=translated_choices(Application.IdType.choices),
        initial=Application.IdType.RESIDENT_ID,
    )
    id_number = CountedCharField(
        label=_("证件号码"),
        required=False,
        max_length=32,
        help_text=_("居民身份证为18位，最后一位可能是X"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    credit_code = CountedCharField(
        label=_("统一社会信用代码"),
        required=False,
        max_length=18,
        help_text=_("18位，见营业执照或登记证书"),
        widget=forms.TextInput(attrs={"autocapitalize": "characters"}),
    )
    representative = CountedCharField(label=_("法定代表人或负责人"), required=False, max_length=64)
    contact_name = CountedCharField(label=_("联系人"), required=False, max_length=64)
    phone = CountedCharField(
        label=_("联系电话"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = CountedCharField(
        label=_("电子邮箱"),
        required=False,
        max_length=254,
        help_text=_("选择以电子邮件获取信息时必填"),
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    address = CountedCharField(
        label=_("通信地址"),
        required=False,
        max_length=200,
        help_text=_("选择邮寄时必填"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postcode = CountedCharField(
        label=_("邮政编码"),
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    description = forms.CharField(
        label=_("所需政府信息的名称、文号或者特征性描述"),
        required=False,
        help_text=_("写明文件名称、文号，或者便于查找的其他特征（如年份、事项、发文机关）"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    form_wanted = forms.ChoiceField(
        label=_("信息的载体形式"),
        choices=translated_choices(Application.FormWanted.choices),
        initial=Application.FormWanted.ANY,
        widget=forms.RadioSelect,
    )
    delivery_method = forms.ChoiceField(
        label=_("获取信息的方式"),
        choices=translated_choices(Application.DeliveryMethod.choices),
        initial=Application.DeliveryMethod.POST,
        widget=forms.RadioSelect,
    )
    purpose = forms.CharField(
        label=_("用途（选填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    id_copy = forms.FileField(
        label=_("身份证明复印件（选填）"),
        required=False,
        help_text=_("PDF、JPG、PNG 或 DOCX，不超过10MB"),
        widget=forms.ClearableFileInput(attrs=FILE_ATTRS),
    )
    authorisation = forms.FileField(
        label=_("授权委托书（委托他人申请时提供）"),
        required=False,
        help_text=_("PDF、JPG、PNG 或 DOCX，不超过10MB"),
        widget=forms.ClearableFileInput(attrs=FILE_ATTRS),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def applicant_data(self) -> dict[str, str]:
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name, "") for name in APPLICANT_FIELDS}

    def files_given(self) -> list[tuple[str, object]]:
        pairs = [("id_copy", self.cleaned_data.get("id_copy"))]
        pairs.append(("authorisation", self.cleaned_data.get("authorisation")))
        return [(kind, f) for kind, f in pairs if f]


class ApplicationForm(ApplicantFields):
    """The public 在线申请 form (no account): agency, applicant, request, files, captcha."""

    marked_required = ApplicantFields.marked_required | {"agency", "captcha_answer"}
    field_order = ["agency"]

    agency = forms.ModelChoiceField(
        label=_("向哪个机关申请"),
        queryset=Agency.objects.all(),
        empty_label=_("请选择机关"),
        help_text=_("向保存该政府信息的行政机关申请"),
        error_messages={
            "required": "请选择受理机关 / choose the agency",
            "invalid_choice": "请从列表中选择机关 / choose an agency from the list",
        },
    )
    captcha_answer = forms.CharField(
        label=_("验证题"),
        max_length=4,
        error_messages={"required": "请回答验证题 / answer the question"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    captcha_token = forms.CharField(widget=forms.HiddenInput)


def receipt_rules_text() -> str:
    """Each channel's receipt rule (Art. 31), in the active language: 「当面提交：以…为收到申请之日；…」."""
    return gettext("；").join(
        f"{translated(c.label_zh)}{gettext('：')}{translated(receipt_rule(c).label_zh)}"
        for c in Channel
        if c is not Channel.ONLINE
    )


class RegisterForm(ApplicantFields):
    """Staff register an application received in person, by post, fax or e-mail (Art. 31)."""

    field_order = ["agency", "channel", "received_on", "accept"]

    agency = forms.ModelChoiceField(label=_("受理机关"), queryset=Agency.objects.none())
    channel = forms.ChoiceField(
        label=_("申请方式"),
        choices=translated_choices(
            (c.value, c.label_zh) for c in Channel if c is not Channel.ONLINE
        ),
        help_text=lazy(lambda: receipt_rules_text(), str)(),
    )
    received_on = forms.DateField(
        label=_("收到申请之日"),
        required=False,
        validators=[not_in_future],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "当面提交填提交之日，挂号信填签收之日（必填）；平常信函、传真、电子邮件"
            "填与申请人确认之日，尚未确认可不填（《政府信息公开条例》第三十一条）"
        ),
    )
    accept = forms.BooleanField(label=_("收到之日已确定的，立即受理"), required=False, initial=True)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies


class StatusLookupForm(AccessibleForm):
    code = forms.CharField(
        label=_("查询码"),
        max_length=20,
        help_text=_("提交申请后获得的12位查询码，如 K7QM-2X4P-9RTW"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); checked by the service."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class SupplementUploadForm(AccessibleForm):
    """补正 from the status page: what the applicant adds, and files (checked by the service)."""

    note = forms.CharField(
        label=_("补正内容说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明补充或更正的内容，如所需信息的年份、文号、发文机关"),
    )
    files = MultipleFileField(
        label=_("补正材料（选填）"),
        required=False,
        help_text=_("PDF、JPG、PNG 或 DOCX，每个不超过10MB，可选多个"),
        widget=MultipleFileInput(attrs={**FILE_ATTRS, "multiple": True}),
    )


class QueueFilterForm(forms.Form):
    """The workbench filters (all optional; GET)."""

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        help_text=_("编号、查询码、申请人姓名或名称、联系电话"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("编号、查询码、姓名、电话")}
        ),
    )
    agency = forms.ModelChoiceField(
        label=_("机关"), required=False, queryset=Agency.objects.none(), empty_label=_("全部机关")
    )
    state = forms.ChoiceField(label=_("状态"), required=False)
    channel = forms.ChoiceField(
        label=_("申请方式"),
        required=False,
        choices=[("", _("全部方式")), *translated_choices((c.value, c.label_zh) for c in Channel)],
    )
    band = forms.ChoiceField(label=_("期限"), required=False)
    mine = forms.BooleanField(label=_("只看我承办的"), required=False)

    def __init__(self, *args, agencies, band_choices, state_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["band"].choices = [("", _("全部")), *translated_choices(band_choices)]
        self.fields["state"].choices = [
            ("", _("办理中（含待送达、待归档）")),
            ("all", _("全部状态")),
            *translated_choices(state_choices),
        ]
