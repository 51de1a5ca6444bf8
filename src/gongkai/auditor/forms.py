"""Forms of the auditor: upload (files or pasted text) and the list's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.annual.parse.fetch import is_url
from gongkai.auditor.models import AuditedReport
from gongkai.auditor.services import ALLOWED_SUFFIXES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe); sizes and types are judged
    per file by the service, so one bad file does not refuse the others."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("报告文件"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES), "multiple": True}),
        help_text=_(
            "可一次选择多个文件：网页（.html/.htm）、文本（.txt/.md）、Word（.docx）、PDF；"
            "每个文件不超过 20 MB。"
        ),
    )
    text = forms.CharField(
        label=_("或粘贴报告全文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("从网页复制的全文、表格每格一行或 Markdown 表格均可。"),
    )
    urls = forms.CharField(
        label=_("或报告网址（每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://"}),
        help_text=_(
            "已公开年报的 http(s) 网址（网页或 PDF、Word 文件），系统下载后读取并保存副本。"
        ),
    )
    text_name = forms.CharField(label=_("粘贴文本的名称（可选）"), required=False, max_length=200)
    label = forms.CharField(label=_("本批说明（可选）"), required=False, max_length=200)

    def clean_urls(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        bad = [line for line in lines if not is_url(line)]
        if bad:
            raise forms.ValidationError(
                f"不是 http(s) 网址 / not an http(s) address: {'、'.join(bad[:3])}"
            )
        if len(lines) > 100:
            raise forms.ValidationError("一次最多 100 个网址 / at most 100 addresses at once")
        return list(dict.fromkeys(lines))


SORTS = {
    "new": ("-uploaded_at", "-pk"),
    "errors": ("-error_count", "-warning_count", "-pk"),
    "agency": ("agency", "year", "pk"),
    "year": ("-year", "agency", "pk"),
}


class FilterForm(forms.Form):
    q = forms.CharField(label=_("机关"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2008, max_value=2100)
    format = forms.ChoiceField(
        label=_("格式"),
        required=False,
        choices=[("", _("全部")), ("2019", "2019"), ("2021", "2021")],
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *((v, _(label)) for v, label in AuditedReport.Status.choices)],
    )
    problems = forms.ChoiceField(
        label=_("有无错误"),
        required=False,
        choices=[("", _("全部")), ("errors", _("有错误")), ("clean", _("无错误"))],
    )
    batch = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("new", _("最近上传")),
            ("errors", _("错误最多")),
            ("agency", _("机关")),
            ("year", _("年度")),
        ],
    )
