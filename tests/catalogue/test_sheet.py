"""The catalogue's XLSX layout: what offices publish, read back exactly, bad cells named."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from gongkai.catalogue.columns import CHANNELS, PROCESSES, TICK_GROUPS, Row
from gongkai.catalogue.limits import Limit, parse_limit
from gongkai.catalogue.sheet import SheetError, read_rows, write_rows

ROWS = [
    Row(
        "项目审批",
        "审批结果",
        "项目名称、审批文号、批复内容",
        "《政府投资条例》《企业投资项目核准和备案管理条例》",
        "信息形成（或者变更）之日起20个工作日内",
        "县发展改革委",
        channels={"website": "required", "new_media": "optional"},
        audience_all=True,
        proactive=True,
        level_county=True,
    ),
    Row(
        "项目审批",
        "核准结果",
        "项目名称、核准文号",
        "《企业投资项目核准和备案管理条例》",
        "作出决定之日起7个工作日内",
        "县发展改革委",
        channels={"website": "required", "notice_board": "optional"},
        audience_all=True,
        proactive=True,
        level_county=True,
        level_township=True,
    ),
    Row(
        "招标投标",
        "",
        "=招标公告",
        "《招标投标法》",
        "每年6月底前",
        "项目单位",
        channels={"hotline": "optional"},
        audience_specific=True,
        on_request=True,
        level_village=True,
    ),
]


def sheet_of(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def test_the_published_layout_title_two_row_header_marks_and_merged_items():
    sheet = sheet_of(
        write_rows(ROWS, title="城口县发展和改革委员会重大建设项目领域基层政务公开标准目录")
    )
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A1"].value.endswith("标准目录") and "A1:AB1" in merged
    assert sheet["A2"].value == "序号" and "A2:A3" in merged  # no 过程 column: none has one
    assert (sheet["B2"].value, sheet["B3"].value, sheet["C3"].value) == (
        "公开事项",
        "一级事项",
        "二级事项",
    )
    assert "B2:C2" in merged
    assert [sheet.cell(2, c).value for c in (4, 5, 6, 7)] == [
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
    ]
    assert sheet["H2"].value == "公开渠道和载体" and "H2:U2" in merged
    assert [sheet.cell(3, c).value for c in range(8, 22)] == [label for _c, label in CHANNELS]
    assert (sheet["V2"].value, sheet["X2"].value, sheet["Z2"].value) == (
        "公开对象",
        "公开方式",
        "公开层级",
    )
    assert "B4:B5" in merged  # the two 项目审批 rows share their 一级事项 cell
    assert (sheet["H4"].value, sheet["J4"].value, sheet["I4"].value) == ("■", "□", None)
    assert (sheet["V4"].value, sheet["W4"].value, sheet["Z4"].value) == ("√", None, "√")
    assert sheet["D6"].value == "=招标公告" and sheet["D6"].data_type == "s"  # text, not a formula
    assert [sheet.cell(r, 1).value for r in (4, 5, 6)] == [1, 2, 3]


def test_export_then_read_gives_the_same_rows():
    assert read_rows(write_rows(ROWS, title="t")) == ROWS


def test_the_process_column_appears_when_an_entry_has_one_and_reads_back():
    rows = [ROWS[0], Row(**{**ROWS[1].__dict__, "process": "决策"})]
    data = write_rows(rows, title="t")
    assert sheet_of(data)["B2"].value == "过程"
    assert read_rows(data) == rows


def broken(edit) -> bytes:
    book = load_workbook(io.BytesIO(write_rows(ROWS, title="t")))
    edit(book.worksheets[0])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def errors_of(data: bytes) -> list[str]:
    with pytest.raises(SheetError) as caught:
        read_rows(data)
    return [str(e) for e in caught.value.errors]


def test_a_bad_row_is_refused_with_its_row_and_column():
    def edit(sheet):
        sheet["F5"] = None  # 公开时限 of the second entry
        sheet["I6"] = "x"  # 政府公报 of the third
        sheet["AA5"] = None  # 乡级: fine, 县级 is still ticked

    assert errors_of(broken(edit)) == [
        "第5行F列（公开时限）：「公开时限」不能为空 / 公开时限 is required",
        "第6行I列（政府公报）：应填 ■（必选）、□（可选）或留空，而不是「x」 / use ■, □ or nothing",
    ]


def test_a_row_without_a_channel_or_a_level_is_refused():
    def edit(sheet):
        for c in range(8, 22):
            sheet.cell(6, c).value = None
        sheet["AB6"] = None

    found = errors_of(broken(edit))
    assert found[0].startswith("第6行H列（公开渠道和载体）：至少选择一个公开渠道和载体")
    assert found[1] == "第6行Z列（县级）：「公开层级」至少勾选一项 / tick at least one 公开层级"


def test_a_repeated_item_is_refused_with_both_rows():
    def edit(sheet):
        sheet.unmerge_cells("B4:B5")
        sheet["B5"] = "项目审批"
        sheet["C5"] = "审批结果"

    assert errors_of(broken(edit)) == [
        "第5行C列（二级事项）：与第4行的公开事项重复 / same item as row 4"
    ]


def test_a_missing_column_and_a_non_xlsx_file_are_refused():
    def edit(sheet):
        sheet["F2"] = "时限"

    assert errors_of(broken(edit)) == ["第2行：表头缺少「公开时限」列 / missing column 公开时限"]
    assert errors_of(b"not a workbook")[0].startswith("文件：不是有效的 XLSX 文件")
    empty = io.BytesIO()
    Workbook().save(empty)
    assert errors_of(empty.getvalue()) == ["文件：找不到表头（「序号」）/ no header row (序号)"]


def test_columns_in_another_order_and_blank_rows_are_read():
    def edit(sheet):
        for r in (2, 4, 5, 6):  # swap 公开内容（要素） and 公开依据
            left, right = sheet.cell(r, 4), sheet.cell(r, 5)
            left.value, right.value = right.value, left.value
        sheet["E6"].data_type = "s"  # 「=招标公告」 is text, as the export wrote it
        sheet["D8"] = "  "  # a blank row after a gap

    assert read_rows(broken(edit)) == ROWS


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("信息形成（或者变更）之日起20个工作日内", Limit(20, True)),
        ("作出行政处罚决定之日起7个工作日内", Limit(7, True)),
        ("自决定作出之日起二十个工作日内", Limit(20, True)),
        ("收到之日起15日内", Limit(15, False)),
        ("每年6月底前", None),
        ("实时公开", None),
    ],
)
def test_time_limits_in_days_are_read_the_rest_left_to_a_person(text, limit):
    assert parse_limit(text) == limit


# --- any catalogue survives the round trip -----------------------------------------------

TEXT = (
    st.text(
        alphabet=st.sampled_from(
            list("公开事项目录内容依据时限主体县乡村级年报=-+@ 0123456789ab（）、\n")
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
FLAGS = {name: st.booleans() for _g, subs in TICK_GROUPS for name, _l in subs}


@st.composite
def rows(draw):
    fields = {
        "item_l1": draw(TEXT),
        "item_l2": draw(st.one_of(st.just(""), TEXT)),
        "content": draw(TEXT),
        "basis": draw(TEXT),
        "time_limit": draw(TEXT),
        "subject": draw(TEXT),
        "process": draw(st.sampled_from(("", *PROCESSES))),
        "channels": draw(
            st.dictionaries(
                st.sampled_from([code for code, _l in CHANNELS]),
                st.sampled_from(["required", "optional"]),
                min_size=1,
            )
        ),
    }
    for _group, subs in TICK_GROUPS:
        ticks = draw(st.lists(st.booleans(), min_size=len(subs), max_size=len(subs)))
        ticks[draw(st.integers(0, len(subs) - 1))] = True  # at least one per group
        fields.update({name: tick for (name, _l), tick in zip(subs, ticks, strict=True)})
    return Row(**fields)


@st.composite
def catalogues(draw):
    found = draw(st.lists(rows(), max_size=12, unique_by=lambda row: row.key))
    # group equal 一级事项 the way offices do, so merged cells are exercised
    return sorted(found, key=lambda row: row.item_l1) if draw(st.booleans()) else found


@given(catalogues())
def test_any_catalogue_reads_back_as_written(catalogue):
    assert read_rows(write_rows(catalogue, title="目录")) == catalogue


@given(st.binary(max_size=2000))
def test_any_bytes_that_are_not_a_catalogue_are_refused_with_a_message(data):
    with pytest.raises(SheetError) as caught:
        read_rows(data)
    assert caught.value.errors and str(caught.value.errors[0]).startswith("文件：")


@given(st.integers(min_value=1, max_value=400))
def test_a_damaged_workbook_is_refused_with_a_message_or_read_whole(cut):
    data = write_rows(ROWS, title="t")
    damaged = data[: len(data) - cut * 7] if cut % 2 else data[:cut] + b"\0" * 64 + data[cut + 64 :]
    try:
        found = read_rows(damaged)
    except SheetError as error:
        assert str(error.errors[0]).startswith("文件：")
    else:
        assert found == ROWS  # damage to a part the reader does not need


def test_a_file_with_a_cover_sheet_and_other_spellings_of_the_headings_is_read():
    book = load_workbook(io.BytesIO(write_rows(ROWS, title="t")))
    sheet = book.worksheets[0]
    sheet["D2"] = "公开内容\n(要素)"  # a line break and half-width parentheses
    sheet["W3"] = "特定群众"
    sheet["Y3"] = "依申请公开"
    sheet["AA3"] = "乡（镇）级"
    cover = book.create_sheet("说明", 0)
    cover["A1"] = "本表按国办发〔2019〕54号编制"
    out = io.BytesIO()
    book.save(out)
    assert read_rows(out.getvalue()) == ROWS
