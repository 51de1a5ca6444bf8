"""The bulk paths index what they write: an import (attachment text included) is found at
once, in the import's transaction; the rebuild command rebuilds and checks."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.accounts.rules import COMMAND_LINE
from gongkai.publications.transfer import import_file
from gongkai.search.models import Document
from gongkai.sites.search import scan, search
from tests.publications.test_bad_input import docx_bytes
from tests.publications.test_transfer import good_rows, xlsx, zip_of

pytestmark = pytest.mark.django_db


def test_imported_items_are_found_with_their_attachment_text(office, police, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    archive = zip_of({"季报.docx": docx_bytes("一般公共预算收入")})
    import_file(actor=COMMAND_LINE, name="old.xlsx", content=xlsx(good_rows()), archive=archive)
    for q in ("春耕", "预算收入", "城府办发", "烟花爆竹", "通"):
        assert set(search(q).ids()) == set(scan(q).values_list("pk", flat=True)), q
    assert search("预算收入").count() == 1
    assert search("春耕", agency="office").count() == 1
    assert search("春耕", agency="police").count() == 0


def test_the_rebuild_command(office, police, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    import_file(actor=COMMAND_LINE, name="old.xlsx", content=xlsx(good_rows()[:1]))
    out = StringIO()
    call_command("search_index", "--check", stdout=out)
    assert "一致" in out.getvalue()
    Document.objects.all().delete()
    with pytest.raises(CommandError, match="不一致"):
        call_command("search_index", "--check")
    call_command("search_index", stdout=out)
    assert "已重建" in out.getvalue() and search("春耕").count() == 1
    call_command("search_index", "--check", stdout=out)
