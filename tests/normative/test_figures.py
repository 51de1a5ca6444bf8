"""第二十条 figures: entered with their source, imported all-or-nothing from XLSX or CSV."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.auditlog.models import AuditEntry
from gongkai.normative.figures import HEADERS, import_figures, save_figures
from gongkai.normative.models import Article20Figure, FigureImport
from gongkai.testing import factories as f

pytestmark = pytest.mark.django_db


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    lines = [",".join(HEADERS)] + [",".join("" if v is None else str(v) for v in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


GOOD = [
    ["county-government", 2020, "行政许可", 12, 3, 140, None, None],
    ["县政府办公室", 2020, "行政事业性收费", 4, -1, None, None, "2.35"],
    ["城口县人民政府", 2020, "政府集中采购", None, None, None, 6, 88.5],
]


def test_entered_figures_keep_who_entered_them(keeper, government):
    figure = save_figures(
        actor=keeper,
        agency=government,
        year=2020,
        item="penalty",
        values={"prior_items": 5, "change": 0, "decisions": 17},
    )
    assert figure.source == "录入：keeper / entered by keeper" and figure.entered_by == keeper
    again = save_figures(
        actor=keeper, agency=government, year=2020, item="penalty", values={"decisions": 18}
    )
    assert again.pk == figure.pk and (again.decisions, again.prior_items) == (18, None)
    rows = list(again.events)
    assert [r.action for r in rows] == ["enter_figures", "enter_figures"]
    assert rows[1].before["decisions"] == 17 and rows[1].after["decisions"] == 18


def test_bad_entered_figures_are_refused_field_by_field(keeper, government):
    with pytest.raises(ValidationError) as caught:
        save_figures(
            actor=keeper,
            agency=government,
            year=2020,
            item="licensing",
            values={"decisions": -1, "amount": "5", "prior_items": "x"},
        )
    errors = caught.value.message_dict
    assert errors["decisions"] == ["处理决定数量：不能为负数，实际为「-1」 / cannot be negative"]
    assert errors["amount"][0].startswith("「行政许可」没有「金额（万元）」一栏，请留空")
    assert errors["prior_items"][0].startswith("上一年项目数量：应为整数")
    with pytest.raises(ValidationError) as caught:
        save_figures(
            actor=keeper,
            agency=government,
            year=2020,
            item="fees",
            values={"prior_items": 2, "change": -3},
        )
    assert caught.value.message_dict["change"][0].startswith(
        "本年减少的项目数不能多于上一年项目数量"
    )
    assert not Article20Figure.objects.exists()


def test_figures_of_another_agency_are_refused(keeper, police):
    with pytest.raises(PermissionDenied):
        save_figures(actor=keeper, agency=police, year=2020, item="penalty", values={})


@pytest.mark.parametrize("kind", ["xlsx", "csv", "csv-gb18030"])
def test_an_import_brings_in_every_row_with_its_file_as_source(kind, keeper, office, government):
    if kind == "xlsx":
        name, content = "第二十条统计.xlsx", xlsx(GOOD)
    else:
        name = "第二十条统计.csv"
        content = csv_bytes(GOOD, "gb18030" if kind == "csv-gb18030" else "utf-8-sig")
    batch = import_figures(actor=keeper, agency=office, name=name, content=content)
    assert batch.rows == 3 and batch.file.read() == content
    figures = {(x.agency_id, x.item): x for x in Article20Figure.objects.all()}
    licensing = figures[(government.pk, "licensing")]
    assert (licensing.prior_items, licensing.change, licensing.decisions) == (12, 3, 140)
    fees = figures[(office.pk, "fees")]
    assert (fees.prior_items, fees.change, fees.amount) == (4, -1, Decimal("2.35"))
    assert figures[(government.pk, "procurement")].amount == Decimal("88.5")
    assert all(x.imported_from == batch for x in figures.values())
    assert licensing.source.startswith(f"导入：{name}（SHA-256 {batch.sha256[:12]}）")
    assert licensing.events.get().data["import"] == batch.pk
    assert batch.events.get().data["rows"] == 3


def test_one_bad_row_refuses_the_whole_file_naming_row_and_column(keeper, office):
    rows = [*GOOD, ["county-government", 2020, "行政处罚", 1, 0, "十二", None, None]]
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        import_figures(actor=keeper, agency=office, name="统计.xlsx", content=xlsx(rows))
    messages = caught.value.messages
    assert messages[0].startswith("文件「统计.xlsx」未导入")
    assert messages[1:] == [
        "第5行「处理决定数量」列：应为整数，实际为「十二」 / not a whole number"
    ]
    assert not Article20Figure.objects.exists() and not FigureImport.objects.exists()
    assert AuditEntry.objects.count() == before


def test_every_bad_row_is_listed(keeper, office, police):
    rows = [
        ["no-such-agency", 2020, "行政许可", None, None, 1, None, None],
        ["police", 2020, "行政许可", None, None, 1, None, None],
        ["county-government", "二〇二〇", "行政许可", None, None, 1, None, None],
        ["county-government", 2020, "信访", None, None, 1, None, None],
        ["county-government", 2020, "行政许可", None, None, 1, None, "3"],
        ["county-government", 2021, "行政许可", None, None, 1, None, None],
        ["county-government", 2021, "行政许可", None, None, 2, None, None],
    ]
    with pytest.raises(ValidationError) as caught:
        import_figures(actor=keeper, agency=office, name="统计.csv", content=csv_bytes(rows))
    assert caught.value.messages[1:] == [
        "第2行「机关」列：没有机关「no-such-agency」 / unknown agency",
        "第3行「机关」列：您无权录入「police」的统计 / not your agency",
        "第4行「年度」列：年度应为四位数字，实际为「二〇二〇」 / the year must be four digits",
        "第5行「事项」列：未知的事项「信访」 / unknown item",
        "第6行「金额（万元）」列：「行政许可」没有「金额（万元）」一栏，请留空 / "
        "licensing has no amount column: leave it blank",
        "第8行「事项」列：与第7行重复（同一机关、年度、事项） / duplicates row 7",
    ]
    assert not Article20Figure.objects.exists()


def test_a_file_that_is_not_a_table_is_refused(keeper, office):
    with pytest.raises(ValidationError, match="不是 XLSX 或 CSV 文件"):
        import_figures(actor=keeper, agency=office, name="统计.pdf", content=b"%PDF-1.4")
    with pytest.raises(ValidationError, match="无法读取 Excel 文件"):
        import_figures(actor=keeper, agency=office, name="x.xlsx", content=b"PK\x03\x04broken")
    with pytest.raises(ValidationError, match="缺少列：事项"):
        import_figures(
            actor=keeper, agency=office, name="x.csv", content="机关,年度\r\nx,2020\r\n".encode()
        )
    assert not FigureImport.objects.exists()


def test_only_a_keeper_imports(office, police):
    outsider = f.staff("outsider", police)
    with pytest.raises(PermissionDenied):
        import_figures(actor=outsider, agency=office, name="x.xlsx", content=xlsx(GOOD))


def test_the_template_round_trips(client, keeper, government, office):
    from django.urls import reverse

    save_figures(
        actor=keeper, agency=government, year=2021, item="penalty", values={"decisions": 7}
    )
    client.force_login(keeper)
    url = reverse("normative:figures_template")
    response = client.get(url, {"agency": government.pk, "year": 2021})
    assert response.status_code == 200
    assert "attachment; filename*=UTF-8''" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(HEADERS)
    assert [r[2] for r in rows[1:]] == [c.label for c in Article20Figure.Item]
    assert rows[3] == ["county-government", 2021, "行政处罚", None, None, 7, None, None]
    # filled in and sent back, it is imported as it reads
    sheet.cell(row=2, column=6).value = 33  # 行政许可 / 处理决定数量
    out = io.BytesIO()
    sheet.parent.save(out)
    import_figures(actor=keeper, agency=office, name="模板.xlsx", content=out.getvalue())
    figures = dict(
        Article20Figure.objects.filter(agency=government, year=2021).values_list(
            "item", "decisions"
        )
    )
    assert figures["licensing"] == 33 and figures["penalty"] == 7
    assert client.get(url, {"agency": government.pk}).status_code == 404
