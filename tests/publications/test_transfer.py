"""Importing an old site's publications (XLSX/CSV + ZIP) and exporting them in the same layout."""

import io
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from gongkai.accounts.rules import COMMAND_LINE
from gongkai.auditlog.models import AuditEntry
from gongkai.publications.models import Attachment, Placement, Publication
from gongkai.publications.selectors import narrative_figures
from gongkai.publications.transfer import (
    COLUMNS,
    ImportRefused,
    export_rows,
    import_file,
    write_csv,
    write_xlsx,
)
from tests.publications.test_bad_input import docx_bytes

pytestmark = pytest.mark.django_db

HEADER = [
    "标题",
    "发布机关",
    "发布日期",
    "成文日期",
    "公开目录",
    "发布渠道",
    "发文字号",
    "类型",
    "附件",
]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_rows():
    return [
        [
            "关于春耕生产的通知",
            "office",
            "2019-03-04",
            "2019-03-01",
            "a20-11",
            "website|通知公告;wechat||2019-03-05",
            "城府办发〔2019〕5号",
            "公文",
            "",
        ],
        [
            "2019年第一季度财政收支情况",
            "office",
            date(2019, 4, 10),
            "",
            "a20-07",
            "",
            "",
            "",
            "季报.docx",
        ],
        [
            "城口县公安局关于春节烟花爆竹燃放的通告",
            "police",
            "2019/01/20",
            "",
            "",
            "weibo",
            "",
            "",
            "",
        ],
    ]


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def test_an_import_saves_every_row_with_placements_and_attachments(
    office, police, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    archive = zip_of({"季报.docx": docx_bytes("一般公共预算收入")})
    report = import_file(
        actor=COMMAND_LINE, name="old.xlsx", content=xlsx(good_rows()), archive=archive
    )
    assert report.created == 3
    first = Publication.objects.get(title="关于春耕生产的通知")
    assert first.state == "published" and first.index_number == "office/2019-00001"
    assert sorted(first.placements.values_list("channel", "column")) == [
        ("website", "通知公告"),
        ("wechat", ""),
    ]
    assert first.placements.get(channel="wechat").placed_on == date(2019, 3, 5)
    assert "一般公共预算收入" in Attachment.objects.get().text
    # A row without channels was on the website on its publication day.
    second = Publication.objects.get(title__startswith="2019年第一季度")
    assert list(second.placements.values_list("channel", flat=True)) == ["website"]
    assert AuditEntry.objects.filter(action="publication.import").count() == 3
    assert narrative_figures(agency_ids=[office.pk], year=2019)["items_published"] == 2


def test_one_bad_row_refuses_the_file_naming_row_column_and_reason(office, police):
    rows = good_rows()
    rows[2][1] = "no-such-agency"  # row 4 of the sheet
    rows[1][2] = "2019-02-30"  # row 3
    with pytest.raises(ImportRefused) as caught:
        import_file(actor=COMMAND_LINE, name="old.xlsx", content=xlsx(rows))
    text = "\n".join(caught.value.messages)
    assert "第4行「发布机关」" in text and "unknown agency" in text
    assert "第3行「发布日期」" in text
    assert ("第3行「附件」" in text) and "ZIP" in text  # the attachment without a ZIP
    assert not Publication.objects.exists() and not Placement.objects.exists()
    assert not AuditEntry.objects.filter(action="publication.import").exists()


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ((0, 4, "a99"), "公开目录", "公开目录"),
        ((0, 3, "2019-03-09"), "发布日期", "成文日期"),
        ((0, 5, "carrier-pigeon"), "发布渠道", "渠道"),
        ((0, 0, ""), "标题", "标题"),
        ((0, 7, "告示"), "类型", "类型"),
    ],
)
def test_each_kind_of_bad_cell_is_named(office, police, change, column, words):
    rows = good_rows()
    rows[2][-1] = ""
    rows[1][-1] = ""
    row, col, value = change
    rows[row][col] = value
    with pytest.raises(ImportRefused) as caught:
        import_file(actor=COMMAND_LINE, name="old.xlsx", content=xlsx(rows))
    text = "\n".join(caught.value.messages)
    assert f"第2行「{column}」" in text and words in text, text
    assert not Publication.objects.exists()


def test_a_disguised_attachment_in_the_zip_refuses_the_file(office, police):
    archive = zip_of({"季报.docx": b"MZ not really a document"})
    with pytest.raises(ImportRefused) as caught:
        import_file(actor=COMMAND_LINE, name="old.xlsx", content=xlsx(good_rows()), archive=archive)
    assert "第3行「附件」" in caught.value.messages[0]
    assert not Publication.objects.exists()


def test_a_dry_run_checks_and_saves_nothing(office, police):
    archive = zip_of({"季报.docx": docx_bytes("x")})
    report = import_file(
        actor=COMMAND_LINE,
        name="old.xlsx",
        content=xlsx(good_rows()),
        archive=archive,
        dry_run=True,
    )
    assert report.rows == 3 and report.created == 0 and "试运行" in report.summary()
    assert not Publication.objects.exists()


def test_index_number_clashes_in_the_file_and_with_the_database(office, police):
    header = ["索引号", *HEADER]
    rows = [["X/1", *r] for r in good_rows()[:2]]
    for r in rows:
        r[-1] = ""
    with pytest.raises(ImportRefused) as caught:
        import_file(actor=COMMAND_LINE, name="old.xlsx", content=xlsx(rows, header))
    assert "第3行「索引号」" in caught.value.messages[0]
    rows[1][0] = "X/2"
    import_file(actor=COMMAND_LINE, name="old.xlsx", content=xlsx(rows, header))
    with pytest.raises(ImportRefused) as caught:
        import_file(actor=COMMAND_LINE, name="again.xlsx", content=xlsx(rows, header))
    assert "已被使用" in caught.value.messages[0]
    assert Publication.objects.count() == 2


def test_a_clerk_imports_only_for_own_agencies(office, police, clerk):
    rows = good_rows()
    rows[1][-1] = ""
    with pytest.raises(ImportRefused) as caught:
        import_file(actor=clerk, name="old.xlsx", content=xlsx(rows))
    assert caught.value.messages == [
        "第4行「发布机关」：您无权为「城口县公安局」导入 / you may not import for this agency"
    ]


def test_unknown_columns_are_refused(office):
    with pytest.raises(ImportRefused) as caught:
        import_file(
            actor=COMMAND_LINE, name="x.csv", content="标题,发布机关,发布日期,颜色\n".encode()
        )
    assert "「颜色」" in caught.value.messages[0]


def test_an_export_imports_again_as_the_same_records(office, police, tmp_path):
    rows = good_rows()
    rows[1][-1] = ""
    import_file(actor=COMMAND_LINE, name="old.xlsx", content=xlsx(rows))
    before = export_rows(Publication.objects.order_by("pk"))
    assert before[0] == [header for header, _ in COLUMNS]
    csv_bytes, xlsx_bytes = write_csv(before), write_xlsx(before)
    sheet = load_workbook(io.BytesIO(xlsx_bytes)).active
    assert [c.value for c in sheet[1]] == before[0]
    for name, content in (("export.csv", csv_bytes), ("export.xlsx", xlsx_bytes)):
        Publication.objects.all().delete()
        import_file(actor=COMMAND_LINE, name=name, content=content)
        after = export_rows(Publication.objects.order_by("pk"))
        assert after == before, name


def _straight_export(rows) -> list[list[str]]:
    """The export written out one publication at a time from its model instance: what
    :func:`export_rows` must give, column by column."""

    def day(value) -> str:
        return value.isoformat() if value else ""

    lines = [[header for header, _ in COLUMNS]]
    for p in rows:
        lines.append(
            [
                p.index_number or "",
                p.title,
                p.agency.slug,
                p.kind,
                p.doc_number,
                ";".join(a.slug for a in p.co_issuers.all()),
                day(p.written_on),
                day(p.formed_on),
                day(p.published_on),
                day(p.effective_on),
                day(p.repealed_on),
                day(p.expired_on),
                p.validity,
                p.topic.code if p.topic else "",
                p.category.code if p.category else "",
                p.genre,
                p.keywords,
                p.attribute,
                p.attribute_reason,
                p.interpretation_form,
                ";".join(
                    f"{x.channel}|{x.column}|{x.placed_on.isoformat()}" for x in p.placements.all()
                ),
                p.body,
                "",
                "",
            ]
        )
    return lines


@pytest.fixture
def exported(office, police):
    """Three items whose co-issuers and placements were written in an order other than the
    export's, one with every optional field empty and one with every date different."""
    from gongkai.publications.models import CatalogueCategory, Topic
    from gongkai.testing import factories as f

    # Agency.Meta.ordering is (sort_order, name): neither the id nor the slug order.
    last = f.agency("alpha-first", "Alpha局", sort_order=5)
    middle = f.agency("mid", "Beta局", sort_order=2)
    first = f.agency("zeta", "Alpha局", sort_order=2)
    full = Publication.objects.create(
        agency=office,
        state="published",
        index_number="000-2020-0001",
        title="关于春耕生产的通知",
        kind="document",
        doc_number="城府办发〔2020〕5号",
        written_on=date(2020, 2, 1),
        formed_on=date(2020, 2, 2),
        published_on=date(2020, 3, 1),
        effective_on=date(2020, 3, 10),
        repealed_on=date(2021, 1, 1),
        expired_on=date(2021, 1, 2),
        validity="repealed",
        topic=Topic.objects.get(code="market"),
        category=CatalogueCategory.objects.get(code="a20-13"),
        genre="notice",
        keywords="春耕 生产",
        attribute="proactive",
        attribute_reason="",
        interpretation_form="text",
        body="<p>正文</p>",
    )
    for agency in (middle, last, first):
        full.co_issuers.add(agency)
    # Placement.Meta.ordering is (placed_on, pk): weibo before wechat on the same day.
    for channel, column, day in [
        ("weibo", "", date(2020, 3, 5)),
        ("wechat", "城口发布", date(2020, 3, 5)),
        ("website", "通知公告", date(2020, 3, 1)),
        ("gazette", "", date(2020, 3, 3)),
    ]:
        Placement.objects.create(publication=full, channel=channel, column=column, placed_on=day)
    empty = Publication.objects.create(agency=police, title="草稿", genre="", attribute="")
    one = Publication.objects.create(
        agency=police, state="published", title="公告", published_on=date(2020, 1, 2)
    )
    one.co_issuers.add(office)
    Placement.objects.create(publication=one, channel="website", placed_on=date(2020, 1, 3))
    return full, empty, one


@pytest.mark.parametrize("chunk_size", [1, 2, 2000])
def test_the_export_gives_each_column_in_the_models_order(exported, chunk_size):
    full, empty, one = exported
    for order in (("pk",), ("-pk",), ("published_on", "pk"), ("-published_on", "-pk")):
        rows = Publication.objects.order_by(*order)
        assert export_rows(rows, chunk_size=chunk_size) == _straight_export(rows), order
    lines = export_rows(Publication.objects.order_by("pk"), chunk_size=chunk_size)
    assert [line[1] for line in lines[1:]] == [full.title, empty.title, one.title]
    assert lines[1][:9] == [
        "000-2020-0001",
        "关于春耕生产的通知",
        "office",
        "document",
        "城府办发〔2020〕5号",
        "zeta;mid;alpha-first",
        "2020-02-01",
        "2020-02-02",
        "2020-03-01",
    ]
    assert lines[1][9:16] == ["2020-03-10", "2021-01-01", "2021-01-02", "repealed", "market",
                              "a20-13", "notice"]  # fmt: skip
    assert lines[1][20] == (
        "website|通知公告|2020-03-01;gazette||2020-03-03;weibo||2020-03-05;wechat|城口发布|2020-03-05"
    )
    assert lines[2] == ["", "草稿", "police", "information", "", "", "", "", "", "", "", "",
                        "in_force", "", "", "", "", "", "", "", "", "", "", ""]  # fmt: skip
    assert lines[3][5] == "office" and lines[3][20] == "website||2020-01-03"


def test_the_xlsx_holds_every_line_with_empty_cells_empty(exported):
    lines = export_rows(Publication.objects.order_by("pk"))
    for read_only in (False, True):
        book = load_workbook(io.BytesIO(write_xlsx(lines)), read_only=read_only)
        read = [list(row) for row in book.active.iter_rows(values_only=True)]
        # read-only rows end at their last value; an empty cell is None either way
        assert [row + [None] * (len(COLUMNS) - len(row)) for row in read] == [
            [value or None for value in line] for line in lines
        ]
        book.close()


def test_the_management_commands(office, police, tmp_path, capsys):
    rows = good_rows()
    rows[1][-1] = ""
    source = tmp_path / "old.xlsx"
    source.write_bytes(xlsx(rows))
    call_command("import_publications", str(source), "--dry-run")
    assert not Publication.objects.exists()
    call_command("import_publications", str(source))
    assert Publication.objects.count() == 3
    with pytest.raises(CommandError):  # the same items again: refused, nothing added
        call_command("import_publications", str(source))
    assert Publication.objects.count() == 3
    assert "已存在" in capsys.readouterr().err
    out = tmp_path / "out.csv"
    call_command("export_publications", str(out), "--agency", "office")
    assert out.read_bytes().decode("utf-8-sig").count("\n") == 3
