from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "gongkai.worker"
    label = "worker"
    verbose_name = "后台任务"
