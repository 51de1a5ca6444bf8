"""Forms of the annual-report pages: input shaping only; the changes are services and steps."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from gongkai.agencies.models import Agency

MAX_READ_BYTES = 20 * 1024 * 1024


def year_choices() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(y, f"{y}年度") for y in range(this, 2018, -1)]


class StartForm(forms.Form):
    subject = forms.ChoiceField(label="机关或年报主体")
    year = forms.TypedChoiceField(label="年度", coerce=int)

    def __init__(self, *args, subjects: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects
        self.fields["year"].choices = year_choices()
        self.fields["year"].initial = timezone.localdate().year - 1


class SectionsForm(forms.Form):
    overview = forms.CharField(
        label="一、总体情况", widget=forms.Textarea(attrs={"rows": 14}), required=False
    )
    problems = forms.CharField(
        label="五、存在的主要问题及改进情况",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    other = forms.CharField(
        label="六、其他需要报告的事项", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class CorrectForm(forms.Form):
    reason = forms.CharField(
        label="更正理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ReadForm(forms.Form):
    agency = forms.ModelChoiceField(label="机关", queryset=Agency.objects.none())
    file = forms.FileField(label="已公开的年度报告文件（网页、文本、Word、PDF）", required=False)
    url = forms.URLField(label="或其网址", required=False, assume_scheme="https")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and upload.size > MAX_READ_BYTES:
            raise forms.ValidationError("文件超过20 MB / the file is larger than 20 MB")
        return upload

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(
                "请上传文件或填写网址（二选一） / upload a file or give its address, one of them"
            )
        return data
