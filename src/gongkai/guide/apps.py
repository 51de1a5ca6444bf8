from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "gongkai.guide"
    label = "guide"
    verbose_name = "政府信息公开指南"
