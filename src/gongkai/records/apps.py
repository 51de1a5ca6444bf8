from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "gongkai.records"
    label = "records"
    verbose_name = "记录"
