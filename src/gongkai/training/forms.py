from django import forms

from gongkai.training.models import Training


class TrainingForm(forms.Form):
    agency = forms.ModelChoiceField(label="组织机关", queryset=None)
    held_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="类型", choices=Training.Kind.choices)
    title = forms.CharField(label="名称", max_length=200)
    topics = forms.CharField(
        label="内容（每行一项）", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    audience_roles = forms.CharField(
        label="参加人员（岗位）",
        max_length=200,
        required=False,
        help_text="如：分管负责人、科室负责人、具体业务人员",
    )
    audience = forms.ModelMultipleChoiceField(
        label="参加机关", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, agencies, audience, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["audience"].queryset = audience
