from django.apps import AppConfig


class HolidaysConfig(AppConfig):
    name = "gongkai.holidays"
    label = "holidays"
