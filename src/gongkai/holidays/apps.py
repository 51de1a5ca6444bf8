from django.apps import AppConfig


class HolidaysConfig(AppConfig):
    name = "gongkai.holidays"
    label = "holidays"
    verbose_name = "节假日安排"
