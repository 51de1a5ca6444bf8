"""Forms of the publications workbench: input shaping around the services (no rules here)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from gongkai.publications.models import (
    Attribute,
    CatalogueCategory,
    Channel,
    Genre,
    InterpretationForm,
    Kind,
    State,
    Topic,
    Validity,
)

DATE = {"widget": forms.DateInput(attrs={"type": "date"}), "required": False}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


def blank(choices) -> list[tuple[str, str]]:
    return [("", "—"), *[(code, str(label)) for code, label in choices]]


class ErrorListMixin:
    @property
    def error_list(self) -> list[tuple[str, str, str]]:
        rows = []
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            for message in errors:
                if field is None:
                    rows.append(("", "", message))
                else:
                    rows.append((self[name].auto_id + "-field", field.label, message))
        return rows


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError beside the form's fields (unknown keys: form-wide)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class DraftForm(ErrorListMixin, forms.Form):
    """The draft: every field a drafter sets, the 公开属性 among them (its reason if withheld)."""

    marked_required = {"agency", "title", "attribute"}

    agency = forms.ChoiceField(label="发布机关")
    kind = forms.ChoiceField(label="类型", choices=Kind.choices, initial=Kind.DOCUMENT)
    title = forms.CharField(label="标题", max_length=300, required=False)
    doc_number = forms.CharField(label="发文字号", max_length=100, required=False)
    genre = forms.ChoiceField(label="体裁", choices=blank(Genre.choices), required=False)
    co_issuers = forms.CharField(
        label="联合发文机关（机关标识或名称，多个用逗号分隔）", max_length=300, required=False
    )
    written_on = forms.DateField(label="成文日期", **DATE)
    formed_on = forms.DateField(
        label="形成或变更日期",
        help_text="条例第二十六条：自此日起20个工作日内公开；不填按成文日期",
        **DATE,
    )
    effective_on = forms.DateField(label="生效日期", **DATE)
    category = forms.ChoiceField(label="公开目录", required=False)
    topic = forms.ChoiceField(label="主题分类", required=False)
    keywords = forms.CharField(label="关键词", max_length=200, required=False)
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="可使用段落、标题、列表、表格和链接；不能含脚本",
    )
    is_policy = forms.BooleanField(label="政策性文件（需要政策解读）", required=False)
    interpretation_form = forms.ChoiceField(
        label="解读形式", choices=blank(InterpretationForm.choices), required=False
    )
    explains = forms.CharField(
        label="解读的政策（编号，多个用逗号分隔）", max_length=200, required=False
    )
    attribute = forms.ChoiceField(
        label="公开属性",
        choices=blank(Attribute.choices),
        required=False,
        help_text="起草时认定（谁起草、谁认定）；依申请公开、不予公开须写明理由",
    )
    attribute_reason = forms.CharField(
        label="依申请公开或不予公开的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    attachments = MultipleFileField(label="附件（PDF、DOCX、XLSX、JPG、PNG）", required=False)

    def __init__(self, *args, agencies, editing=False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.slug, a.name) for a in agencies]
        self.fields["category"].choices = blank(
            CatalogueCategory.objects.filter(active=True).values_list("code", "name")
        )
        self.fields["topic"].choices = blank(
            Topic.objects.filter(active=True).values_list("code", "name")
        )
        if editing:
            del self.fields["agency"]

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("agency", "attachments")}
        data["co_issuers"] = [
            x.strip() for x in data.get("co_issuers", "").replace("，", ",").split(",") if x.strip()
        ]
        data["explains"] = [
            x for x in data.get("explains", "").replace("，", ",").split(",") if x.strip()
        ]
        return data


class ListFilterForm(forms.Form):
    agency = forms.ChoiceField(label="机关", required=False)
    category = forms.ChoiceField(label="公开目录", required=False)
    attribute = forms.ChoiceField(
        label="公开属性", choices=blank(Attribute.choices), required=False
    )
    state = forms.ChoiceField(label="状态", choices=blank(State.choices), required=False)
    kind = forms.ChoiceField(label="类型", choices=blank(Kind.choices), required=False)
    start = forms.DateField(label="发布日期自", **DATE)
    end = forms.DateField(label="至", **DATE)
    late = forms.BooleanField(label="只看逾期发布（条例第二十六条）", required=False)
    q = forms.CharField(label="标题或索引号", required=False, max_length=100)

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = blank([(a.pk, a.name) for a in agencies])
        self.fields["category"].choices = blank(
            CatalogueCategory.objects.values_list("code", "name")
        )


class PlacementsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class StepForm(ErrorListMixin, forms.Form):
    """The inputs of one step (which fields depends on the step)."""

    def __init__(self, *args, step: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if step in ("review", "approve"):
            self.fields["attribute"] = forms.ChoiceField(
                label="公开属性", choices=blank(Attribute.choices), required=False,
                help_text="不改则保持起草人的认定",
            )  # fmt: skip
            self.fields["reason"] = forms.CharField(
                label="理由（依申请公开、不予公开时必填）",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields["note"] = forms.CharField(label="意见", required=False)
        if step == "return":
            self.fields["note"] = forms.CharField(label="退回理由", required=False)
        if step in ("publish", "place"):
            if step == "publish":
                self.fields["published_on"] = forms.DateField(label="发布日期", **DATE)
            self.fields["channels"] = PlacementsField(
                label="发布渠道", choices=Channel.choices, required=False
            )
            self.fields["column"] = forms.CharField(
                label="网站栏目或账号名称", required=False, max_length=100
            )
        if step in ("correct", "withdraw"):
            self.fields["reason"] = forms.CharField(
                label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        if step == "correct":
            self.fields["title"] = forms.CharField(label="更正后的标题", required=False)
            self.fields["body"] = forms.CharField(
                label="更正后的正文", required=False, widget=forms.Textarea(attrs={"rows": 6})
            )
            self.fields["validity"] = forms.ChoiceField(
                label="效力", choices=blank(Validity.choices), required=False
            )
            self.fields["repealed_on"] = forms.DateField(label="废止日期", **DATE)
            self.fields["expired_on"] = forms.DateField(label="失效日期", **DATE)

    def params(self, step: str, publication) -> dict:
        data = self.cleaned_data
        if step in ("publish", "place"):
            day = data.get("published_on") or publication.published_on
            params = {
                "placements": [
                    {"channel": c, "column": data.get("column", ""), "placed_on": day}
                    for c in data.get("channels", [])
                ]
            }
            if step == "publish":
                params["published_on"] = data.get("published_on")
            return params
        if step == "correct":
            change = {
                k: data[k] for k in ("title", "body", "validity", "repealed_on", "expired_on")
                if data.get(k)
            }  # fmt: skip
            return {"data": change, "reason": data.get("reason", "")}
        return {k: v for k, v in data.items() if v not in (None, "")}


class ImportForm(ErrorListMixin, forms.Form):
    file = forms.FileField(label="XLSX 或 CSV 文件（格式同导出文件）")
    archive = forms.FileField(label="正文和附件的 ZIP（可选）", required=False)
    dry_run = forms.BooleanField(label="只检查，不保存（试运行）", required=False, initial=True)
