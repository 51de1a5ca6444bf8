"""``gongkai manage search_index``: rebuild the search index from the published items, in one
transaction (docs/adr/search-exact-substring.md); ``--check`` compares it with the items."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gongkai.publications.models import Publication, State
from gongkai.search import index
from gongkai.search.models import Document


class Command(BaseCommand):
    help = "重建检索索引 / rebuild the search index"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="只检查索引是否与已发布的信息一致 / only check it matches the published items",
        )

    def handle(self, *args, check: bool = False, **options):
        if check:
            published = set(
                Publication.objects.filter(state=State.PUBLISHED).values_list("pk", flat=True)
            )
            indexed = set(Document.objects.values_list("publication_id", flat=True))
            if published != indexed:
                raise CommandError(
                    f"检索索引与已发布信息不一致：缺 {len(published - indexed)} 条，"
                    f"多 {len(indexed - published)} 条 / the index does not match the published "
                    "items; run gongkai manage search_index"
                )
            self.stdout.write(f"检索索引一致 / index matches: {len(indexed)}")
            return
        started = time.perf_counter()
        with transaction.atomic():
            total = index.rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(f"检索索引已重建 / index rebuilt: {total} 条, {seconds:.1f} s")
