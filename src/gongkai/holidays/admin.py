"""Back-office editing of the calendar, for system administrators only.

Every save goes through :mod:`gongkai.holidays.services`, so it is logged and the change hooks
recompute what depends on the calendar, inside the admin's own transaction.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from gongkai.accounts.backoffice import SystemAdminOnly  # only they may change the calendar
from gongkai.accounts.rules import may_administer
from gongkai.holidays import services
from gongkai.holidays.models import CalendarDay, CalendarYear
from gongkai.law.arrangement import ArrangementError, check_day


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]

    def __init__(self, *args, year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean(self):
        cleaned = super().clean()
        day, kind = cleaned.get("date"), cleaned.get("kind")
        year = self.year
        if year is None and self.instance.calendar_year_id:
            year = self.instance.calendar_year.year
        if day and kind and year:
            try:
                check_day(day, kind, int(year), 0)
            except ArrangementError as error:
                raise ValidationError(str(error)) from None
        return cleaned


class CalendarDayInline(SystemAdminOnly, admin.TabularInline):
    model = CalendarDay
    form = CalendarDayForm
    extra = 1
    fields = ["date", "kind", "name"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        year = request.POST.get("year") or (obj.year if obj else None)

        class WithYear(formset):
            def get_form_kwargs(self, index):
                kwargs = super().get_form_kwargs(index)
                kwargs["year"] = int(year) if str(year or "").isdigit() else None
                return kwargs

        return WithYear


class ImportForm(forms.Form):
    year = forms.IntegerField(
        label="年份",
        min_value=1990,
        max_value=2200,
        required=False,
        help_text="粘贴国务院通知全文时可不填，按通知标题",
    )
    source = forms.CharField(
        label="依据",
        max_length=200,
        required=False,
        help_text="如：国办发明电〔2026〕X号（粘贴通知全文时自动读取）",
    )
    text = forms.CharField(
        label="通知全文或安排内容",
        widget=forms.Textarea(attrs={"rows": 16, "cols": 80}),
        help_text="可直接粘贴国务院办公厅《关于YYYY年部分节假日安排的通知》全文"
        "（“一、元旦：1月1日（周五）放假……”）；也可逐行填写，如“放假 2027-10-01..2027-10-07 国庆节”"
        "或“上班 2027-09-26 国庆节调休”，格式见 docs/calendar-format.md",
    )
    previewed = forms.CharField(widget=forms.HiddenInput, required=False)


def _fingerprint(year, text: str) -> str:
    """What was previewed: the import is saved only if the text is still the one shown."""
    import hashlib

    return hashlib.sha256(f"{year}\n{text}".encode()).hexdigest()


WEEKDAY_NAMES = "一二三四五六日"


@admin.register(CalendarYear)
class CalendarYearAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["year", "source", "note", "day_count", "updated_at"]
    ordering = ["-year"]
    fields = ["year", "note", "source", "created_at", "updated_at"]
    inlines = [CalendarDayInline]
    readonly_fields = ["source", "created_at", "updated_at"]
    change_list_template = "admin/holidays/calendaryear/change_list.html"

    @admin.display(description="安排天数")
    def day_count(self, obj):
        return obj.days.count()

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "year"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = CalendarYear.Source.EDITED
        obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        lines, dates = [], []
        for formset in formsets:
            for day in formset.new_objects:
                lines.append(f"新增：{day}")
                dates.append(day.date)
            for day, fields in formset.changed_objects:
                lines.append(f"修改：{day}（{', '.join(fields)}）")
                dates.append(day.date)
            # a moved day changes the calendar on its old date too
            dates += [
                f.initial["date"]
                for f in formset.initial_forms
                if f.initial.get("date") and "date" in f.changed_data
            ]
            for day in formset.deleted_objects:
                lines.append(f"删除：{day}")
                dates.append(day.date)
        if "note" in form.changed_data:
            lines.append(f"依据改为：{form.instance.note}")
        if lines or not change:
            services.record_admin_edit(
                year=form.instance.year,
                actor=request.user,
                summary="\n".join(lines) or "新建年度",
                dates=dates,
            )

    def delete_model(self, request, obj):
        services.delete_year(year=obj.year, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_year(year=obj.year, actor=request.user)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="holidays_calendaryear_import"), *super().get_urls()]

    def import_view(self, request):
        """Paste, preview day by day (every problem at once), then confirm; say what followed."""
        if not may_administer(request.user):
            return redirect("admin:index")
        form = ImportForm(request.POST or None)
        reading = None
        preview = []
        fingerprint = ""
        if request.method == "POST" and form.is_valid():
            c = form.cleaned_data
            reading = services.read_text(c["text"], c["year"])
            year = reading.year
            fingerprint = _fingerprint(year, c["text"])
            confirmed = "confirm" in request.POST and c["previewed"] == fingerprint
            if confirmed and not reading.problems:
                try:
                    change = services.import_year(
                        year=year,
                        text=c["text"],
                        actor=request.user,
                        source=c["source"] or reading.source,
                    )
                except ArrangementError as error:  # changed meanwhile: show it, save nothing
                    reading.problems.append(error)
                else:
                    messages.success(request, change.note.splitlines()[0])
                    for line in getattr(change, "consequences", []):
                        messages.info(request, line)
                    return redirect("admin:holidays_calendaryear_changelist")
            preview = [
                {
                    "date": d.date,
                    "weekday": "星期" + WEEKDAY_NAMES[d.date.weekday()],
                    "kind": "放假" if d.kind == "off" else "上班（调休）",
                    "off": d.kind == "off",
                    "name": d.name,
                }
                for d in reading.days
            ]
            form = ImportForm({**request.POST.dict(), "previewed": fingerprint, "year": year or ""})
            form.is_valid()
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "reading": reading,
            "preview": preview,
            "off_count": sum(1 for p in preview if p["off"]),
            "work_count": sum(1 for p in preview if not p["off"]),
            "opts": self.model._meta,
            "title": "导入年度节假日安排",
        }
        return TemplateResponse(request, "admin/holidays/calendaryear/import.html", context)
