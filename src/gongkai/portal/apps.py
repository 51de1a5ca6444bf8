from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender, using="default", **kwargs) -> None:
    """Make the database cache's table (settings.CACHES) as part of every ``migrate``.

    Rate limits, captcha records and the login throttle are kept there; ``createcachetable``
    does nothing when the table exists or the cache is not a database cache (Redis).
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="portal-cache-table")
