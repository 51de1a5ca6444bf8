from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_empty_taxonomies(sender, using="default", **kwargs) -> None:
    """Seed the catalogue and topics when both are empty (a flushed database: ``manage flush``
    and Django's transactional tests); an installation's own taxonomy is left alone."""
    from gongkai.publications.models import CatalogueCategory, Topic
    from gongkai.publications.seed import seed_taxonomies

    if (
        not CatalogueCategory.objects.using(using).exists()
        and not Topic.objects.using(using).exists()
    ):
        seed_taxonomies(Topic, CatalogueCategory)


class PublicationsConfig(AppConfig):
    name = "gongkai.publications"
    label = "publications"
    verbose_name = "政府信息（主动公开）"

    def ready(self) -> None:
        post_migrate.connect(
            _seed_empty_taxonomies, sender=self, dispatch_uid="publications-seed-empty"
        )
