from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "gongkai.sites"
    label = "sites"
    verbose_name = "网站与新媒体"

    def ready(self) -> None:
        from gongkai.sites import static_publish

        static_publish.connect()
