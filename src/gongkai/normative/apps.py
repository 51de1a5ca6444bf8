from django.apps import AppConfig


class NormativeConfig(AppConfig):
    name = "gongkai.normative"
    label = "normative"
    verbose_name = "规范性文件"
