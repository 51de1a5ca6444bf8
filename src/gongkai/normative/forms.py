"""Forms of the staff pages: input shaping only; the services check and decide."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from gongkai.normative.figures import FIELD_LABELS, ITEM_FIELDS
from gongkai.normative.models import Article20Figure, CleanupBatch, NormativeDocument


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请填写正确的日期（年-月-日） / enter a valid date"},
    )


def _text(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=200, help_text=help_text)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError beside the form's fields (unknown keys: form-wide)."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, messages in error.message_dict.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class FilterForm(forms.Form):
    agency = forms.ModelChoiceField(label="机关", queryset=None, required=False, empty_label="全部")
    kind = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部"), *NormativeDocument.Kind.choices]
    )
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *NormativeDocument.State.choices]
    )
    year = forms.IntegerField(label="公布年度", required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label="标题或文号", required=False, max_length=100)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class DraftForm(forms.Form):
    agency = forms.ModelChoiceField(label="制定机关", queryset=None, empty_label=None)
    kind = forms.ChoiceField(
        label="类别",
        choices=NormativeDocument.Kind.choices,
        initial=NormativeDocument.Kind.NORMATIVE,
    )
    title = forms.CharField(label="标题", max_length=200)
    drafted_on = _date("起草日期")
    drafting_unit = _text("起草单位", required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


#: The fields of each step's form (the step's keyword arguments).
STEP_FIELDS = {
    "review": lambda: {"on": _date("审核日期"), "ref": _text("合法性审核意见（文号或标题）")},
    "deliberate": lambda: {"on": _date("审议日期"), "ref": _text("审议会议")},
    "publish": lambda: {
        "doc_number": _text("文号"),
        "signed_on": _date("成文日期"),
        "published_on": _date("公布日期"),
        "effective_on": _date("施行日期", required=False, help_text="不填则为公布日期"),
        "expires_on": _date(
            "有效期至",
            required=False,
            help_text="文件自定有效期的，填最后一天；不填则按本地规定（未规定则无有效期）",
        ),
        "index_number": _text(
            "已发布的政府信息索引号",
            required=False,
            help_text="文件已作为政府信息发布的，填其索引号以关联",
        ),
        "create_publication": forms.BooleanField(
            label="新建政府信息草稿",
            required=False,
            help_text="按本文件新建一条主动公开的政府信息草稿，经公开属性审核、保密审查后发布",
        ),
    },
    "link_publication": lambda: {"index_number": _text("政府信息索引号")},
    "file": lambda: {
        "on": _date("备案日期"),
        "filed_with": _text("备案机关"),
        "ref": _text("备案报告文号", required=False),
    },
    "amend": lambda: {
        "on": _date("修订日期"),
        "decision_title": _text("修订决定"),
        "decision_number": _text("决定文号", required=False),
        "summary": _text("修订内容", required=False),
    },
    "abolish": lambda: {
        "on": _date("废止日期", help_text="自该日起不再有效"),
        "decision_title": _text("废止决定"),
        "decision_number": _text("决定文号", required=False),
        "reason": _text("废止理由", required=False),
    },
    "expire": lambda: {
        "on": _date("失效日期", help_text="自该日起不再有效"),
        "decision_title": _text("失效依据", help_text="如：有效期届满、上位法废止的通知"),
        "decision_number": _text("文号", required=False),
        "reason": _text("说明", required=False),
    },
}


def step_form(name: str, data=None) -> forms.Form:
    """The form of step ``name`` (prefixed with it, so several can sit on one page)."""
    form = forms.Form(data, prefix=name)
    form.fields.update(STEP_FIELDS[name]())
    return form


class CampaignForm(forms.Form):
    agency = forms.ModelChoiceField(label="组织机关", queryset=None, empty_label=None)
    title = _text("清理名称")
    basis = _text("依据", required=False)
    started_on = _date("开始日期")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ReviewForm(forms.Form):
    documents = forms.ModelMultipleChoiceField(
        label="列入清理的文件", queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, prefix="review", **kwargs)
        self.fields["documents"].queryset = documents


class BatchForm(forms.Form):
    documents = forms.ModelMultipleChoiceField(
        label="本批文件", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(label="处理", choices=CleanupBatch.Action.choices)
    decided_on = _date("决定日期")
    decision_title = _text("决定标题")
    decision_number = _text("决定文号", required=False)
    reason = _text("理由", required=False)

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, prefix="batch", **kwargs)
        self.fields["documents"].queryset = documents


class CloseForm(forms.Form):
    closed_on = _date("结束日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="close", **kwargs)


class InForceForm(forms.Form):
    agency = forms.ModelChoiceField(label="机关", queryset=None, required=False, empty_label="—")
    unit = forms.ModelChoiceField(
        label="或年报主体", queryset=None, required=False, empty_label="—"
    )
    on = _date("日期")

    def __init__(self, *args, agencies, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if not data.get("agency") and not data.get("unit"):
            raise ValidationError("请选择机关或年报主体 / choose an agency or a reporting unit")
        return data


class FigureChoiceForm(forms.Form):
    agency = forms.ModelChoiceField(label="机关", queryset=None, empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2008, max_value=2100)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


def figure_form(item: str, data=None, initial=None) -> forms.Form:
    """The form of one 第二十条 item: only the columns it has (docs/normative.md)."""
    form = forms.Form(data, prefix=item, initial=initial)
    for field in ITEM_FIELDS[item]:
        form.fields[field] = forms.CharField(
            label=FIELD_LABELS[field], required=False, max_length=20
        )
    form.label = Article20Figure.Item(item).label
    return form


class ImportForm(forms.Form):
    agency = forms.ModelChoiceField(label="导入机关", queryset=None, empty_label=None)
    file = forms.FileField(label="XLSX 或 CSV 文件")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, prefix="import", **kwargs)
        self.fields["agency"].queryset = agencies
