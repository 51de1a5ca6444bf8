from django import forms

from gongkai.assessment.facts import FACTS
from gongkai.assessment.models import Item


class SchemeForm(forms.Form):
    agency = forms.ModelChoiceField(label="考核机关", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2008, max_value=2200)
    title = forms.CharField(label="名称", max_length=200, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ItemForm(forms.Form):
    label = forms.CharField(label="考核项目", max_length=100, required=False)
    fact = forms.ChoiceField(label="计分依据", choices=list(FACTS.items()))
    weight = forms.DecimalField(label="分值", min_value=0.01, max_digits=6, decimal_places=2)
    when_no_data = forms.ChoiceField(label="无可计数据时", choices=Item.NoData.choices)
    position = forms.IntegerField(label="序号", min_value=0, required=False)


class AssessedForm(forms.Form):
    assessed = forms.ModelMultipleChoiceField(
        label="被考核机关", queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed"].queryset = agencies
