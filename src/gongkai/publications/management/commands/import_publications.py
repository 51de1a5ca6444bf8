"""``gongkai manage import_publications FILE [--zip ARCHIVE] [--dry-run]``: import an old
site's publications (XLSX or CSV, the layout of ``export_publications``), as the command line.

One bad row refuses the whole file: every problem is printed with its row, column and reason,
and nothing is saved (:mod:`gongkai.publications.transfer`).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.accounts.rules import COMMAND_LINE
from gongkai.publications.transfer import ImportRefused, import_file


class Command(BaseCommand):
    help = "导入政府信息（XLSX/CSV，可附 ZIP） / import publications (XLSX/CSV, optional ZIP)"

    def add_arguments(self, parser):
        parser.add_argument("file", help="XLSX 或 CSV 文件 / the metadata file")
        parser.add_argument("--zip", default="", help="正文和附件的 ZIP / bodies and attachments")
        parser.add_argument(
            "--dry-run", action="store_true", help="只检查，不保存 / check only, save nothing"
        )

    def handle(self, *args, file, zip, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file} / no such file")
        archive = None
        if zip:
            if not Path(zip).is_file():
                raise CommandError(f"找不到文件 {zip} / no such file")
            archive = Path(zip).read_bytes()
        try:
            report = import_file(
                actor=COMMAND_LINE,
                name=path.name,
                content=path.read_bytes(),
                archive=archive,
                dry_run=dry_run,
            )
        except ImportRefused as error:
            for line in error.messages:
                self.stderr.write(line)
            raise CommandError("文件未导入，没有保存任何内容 / nothing was imported") from None
        self.stdout.write(report.summary())
