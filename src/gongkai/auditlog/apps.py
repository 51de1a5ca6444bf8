from django.apps import AppConfig


class AuditLogConfig(AppConfig):
    name = "gongkai.auditlog"
    label = "auditlog"
    verbose_name = "操作日志"
