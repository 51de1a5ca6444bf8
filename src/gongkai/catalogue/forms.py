from django import forms

from gongkai.catalogue.columns import (
    CHANNELS,
    OPTIONAL,
    PROCESSES,
    REQUIRED,
    TICK_FIELDS,
    TICK_GROUPS,
    Row,
    clean_text,
)
from gongkai.catalogue.models import Domain


class UploadForm(forms.Form):
    file = forms.FileField(label="目录文件（XLSX）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("文件不能超过 5 MB / the file may be at most 5 MB")
        return upload


class OpenForm(forms.Form):
    agency = forms.ModelChoiceField(label="编制机关", queryset=None)
    domain = forms.ModelChoiceField(label="领域", queryset=Domain.objects.all())

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class FormedOnForm(forms.Form):
    formed_on = forms.DateField(
        label="信息形成（变更）日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EvidenceForm(forms.Form):
    published_on = forms.DateField(label="公开日期", widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label="索引号或网址", max_length=300)
    title = forms.CharField(label="标题", max_length=200, required=False)


class DomainForm(forms.Form):
    name = forms.CharField(label="领域", max_length=60)
    sort_order = forms.IntegerField(label="排序", min_value=0, initial=0)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EntryForm(forms.Form):
    """One entry, every column of the published table (docs/law/ogi-spec.md §5)."""

    process = forms.ChoiceField(
        label="过程", required=False, choices=[("", "—"), *((p, p) for p in PROCESSES)]
    )
    item_l1 = forms.CharField(label="一级事项", max_length=200)
    item_l2 = forms.CharField(label="二级事项", max_length=200, required=False)
    content = forms.CharField(label="公开内容（要素）", widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(label="公开依据", widget=forms.Textarea(attrs={"rows": 2}))
    time_limit = forms.CharField(label="公开时限", max_length=300)
    subject = forms.CharField(label="公开主体", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in CHANNELS:
            self.fields[f"channel_{code}"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", "—"), (REQUIRED, "■ 必选"), (OPTIONAL, "□ 可选")],
            )
        for _group, subs in TICK_GROUPS:
            for name, label in subs:
                self.fields[name] = forms.BooleanField(label=label, required=False)

    @classmethod
    def initial_for(cls, row: Row) -> dict:
        data = {k: v for k, v in row.__dict__.items() if k != "channels"}
        data.update({f"channel_{code}": mark for code, mark in row.channels.items()})
        return data

    def row(self) -> Row:
        data = self.cleaned_data
        channels = {
            code: data[f"channel_{code}"] for code, _l in CHANNELS if data.get(f"channel_{code}")
        }
        flags = {name: bool(data.get(name)) for name in TICK_FIELDS}
        return Row(
            item_l1=clean_text(data["item_l1"]),
            item_l2=clean_text(data["item_l2"]),
            content=clean_text(data["content"]),
            basis=clean_text(data["basis"]),
            time_limit=clean_text(data["time_limit"]),
            subject=clean_text(data["subject"]),
            process=data["process"],
            channels=channels,
            **flags,
        )

    def channel_fields(self):
        return [self[f"channel_{code}"] for code, _l in CHANNELS]

    def tick_groups(self):
        return [(group, [self[name] for name, _l in subs]) for group, subs in TICK_GROUPS]

    def text_fields(self):
        return [
            self[name]
            for name in (
                "process",
                "item_l1",
                "item_l2",
                "content",
                "basis",
                "time_limit",
                "subject",
            )
        ]
