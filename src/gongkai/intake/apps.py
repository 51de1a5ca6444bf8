from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "gongkai.intake"
    label = "intake"
    verbose_name = "公众提交"
