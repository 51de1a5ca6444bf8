"""Forms of the mailbox: they shape input only; the rules are in the services."""

from __future__ import annotations

import uuid

from django import forms

from gongkai.applications.forms import AccessibleForm
from gongkai.mailbox.intake import LETTER_FIELDS, MAX_BODY
from gongkai.mailbox.models import Category, Letter

__all__ = ["LetterForm", "StatusLookupForm"]


class LetterForm(AccessibleForm):
    """写信: the public letter form (no account)."""

    marked_required = {"writer_name", "phone", "category", "subject", "body", "captcha_answer"}

    writer_name = forms.CharField(
        label="姓名",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label="联系电话",
        required=False,
        help_text="仅用于工作人员联系您，不会公开",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label="电子邮箱（选填）",
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    address = forms.CharField(label="联系地址（选填）", required=False)
    category = forms.ChoiceField(
        label="来信类别",
        choices=Category.choices,
        initial=Category.CONSULTATION,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label="标题", required=False)
    # No max_length here: the service says how long the letter is and how long it may be.
    body = forms.CharField(
        label="来信内容",
        required=False,
        help_text=f"请写明事由和诉求，不超过{MAX_BODY}字",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    consent_to_publish = forms.BooleanField(
        label="同意在门户网站选登我的来信和答复（姓名、电话、地址等个人信息将隐去）",
        required=False,
    )
    notify_by = forms.ChoiceField(
        label="答复后通知我",
        choices=Letter.Notify.choices,
        initial=Letter.Notify.NONE,
        widget=forms.RadioSelect,
    )
    captcha_answer = forms.CharField(
        label="验证题",
        max_length=4,
        error_messages={"required": "请回答验证题 / answer the question"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    captcha_token = forms.CharField(widget=forms.HiddenInput)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def letter_data(self) -> dict:
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name, "") for name in LETTER_FIELDS}


class StatusLookupForm(AccessibleForm):
    code = forms.CharField(
        label="查询码",
        max_length=20,
        help_text="写信后获得的12位查询码，如 K7QM-2X4P-9RTW",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
