from django.apps import AppConfig


class AnnualReportConfig(AppConfig):
    name = "gongkai.annualreport"
    label = "annualreport"
    verbose_name = "政府信息公开工作年度报告"
