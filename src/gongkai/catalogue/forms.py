from django import forms

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
