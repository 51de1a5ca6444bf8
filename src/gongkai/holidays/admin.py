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

from gongkai.accounts.rules import is_system_admin  # only they may change the calendar
from gongkai.holidays import services
from gongkai.holidays.arrangement import ArrangementError, check_day
from gongkai.holidays.models import CalendarDay, CalendarYear


class SystemAdminOnly:
    def has_module_permission(self, request):
        return is_system_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_system_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return is_system_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_system_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_system_admin(request.user)


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


class CalendarDayInline(admin.TabularInline):
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
    year = forms.IntegerField(label="年份", min_value=1990, max_value=2200)
    source = forms.CharField(
        label="依据", max_length=200, required=False, help_text="如：国办发明电〔2026〕X号"
    )
    text = forms.CharField(
        label="安排内容",
        widget=forms.Textarea(attrs={"rows": 16, "cols": 80}),
        help_text="每行一项，如“放假 2027-10-01..2027-10-07 国庆节”或“上班 2027-09-26 国庆节调休”，"
        "格式见 docs/calendar-format.md",
    )

    def clean(self):
        cleaned = super().clean()
        if "year" in cleaned and "text" in cleaned:
            try:
                services.parse_arrangement(cleaned["text"], cleaned["year"])
            except ArrangementError as error:
                raise ValidationError(str(error)) from None
        return cleaned


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
        if not is_system_admin(request.user):
            return redirect("admin:index")
        form = ImportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            change = services.import_year(
                year=form.cleaned_data["year"],
                text=form.cleaned_data["text"],
                actor=request.user,
                source=form.cleaned_data["source"],
            )
            messages.success(request, change.note.splitlines()[0])
            return redirect("admin:holidays_calendaryear_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": "导入年度节假日安排",
        }
        return TemplateResponse(request, "admin/holidays/calendaryear/import.html", context)
