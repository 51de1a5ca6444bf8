from django.apps import AppConfig


class AuditorConfig(AppConfig):
    name = "gongkai.auditor"
    label = "reports"
    verbose_name = "年报审核"
