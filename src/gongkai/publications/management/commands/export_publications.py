"""``gongkai manage export_publications OUT [--agency SLUG] [--year YEAR]``: write publications
in the import's layout (``.xlsx`` or ``.csv`` by OUT's suffix); published items only unless
``--all``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.publications.models import Publication, State
from gongkai.publications.transfer import export_rows, write_csv, write_xlsx


class Command(BaseCommand):
    help = "导出政府信息（与导入格式相同） / export publications in the import layout"

    def add_arguments(self, parser):
        parser.add_argument("out", help="输出文件（.xlsx 或 .csv） / output file")
        parser.add_argument("--agency", default="", help="机关标识 / agency slug")
        parser.add_argument("--year", type=int, default=None, help="发布年份 / year published")
        parser.add_argument("--all", action="store_true", help="包括未发布的 / include unpublished")

    def handle(self, *args, out, agency, year, all, **options):
        rows = (
            Publication.objects.all() if all else Publication.objects.filter(state=State.PUBLISHED)
        )
        if agency:
            rows = rows.filter(agency__slug=agency)
        if year:
            rows = rows.filter(published_on__year=year)
        lines = export_rows(rows.order_by("published_on", "pk"))
        suffix = Path(out).suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise CommandError("输出文件须为 .xlsx 或 .csv / OUT must end in .xlsx or .csv")
        Path(out).write_bytes(write_xlsx(lines) if suffix == ".xlsx" else write_csv(lines))
        self.stdout.write(f"{len(lines) - 1}条 / rows → {out}")
