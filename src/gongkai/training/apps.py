from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "gongkai.training"
    label = "training"
    verbose_name = "培训与会议"
