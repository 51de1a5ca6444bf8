"""``gongkai report AGENCY YEAR``, run through gongkai.cli.main as an operator would, and the
seed: the demo's 2020 report of 城口县人民政府机关 equals tests/corpus/000-chengkou-2020.*."""

import io
import json
from pathlib import Path

import pytest
from docx import Document as open_word

from gongkai.annual.parse import parse_path
from gongkai.cli import main

SEED = Path(__file__).resolve().parents[1] / "corpus" / "000-chengkou-2020.expected.json"


def seed() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


def test_json_table_three_of_the_seed_now(demo_county, no_sources, tmp_path, capsys):
    assert main(["report", "县人民政府机关", "2020", "--format", "json"]) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["agency"] == "城口县人民政府机关" and doc["format"] == "2019"
    assert doc["applications"] == seed()["applications"]
    # Without the normative and appeals apps, tables 二 and 四 are blank and say why.
    assert doc["proactive"]["规范性文件"]["本年新制作数量"] is None
    assert "source.missing" in {f["rule"] for f in doc["findings"]}
    assert "错误级别的问题" in captured.err


@pytest.mark.parametrize("fmt", ["html", "docx", "xlsx", "pdf"])
def test_every_format_to_a_file(demo_county, sources, tmp_path, fmt, capsys):
    from gongkai.letters.fonts import cjk_fonts_installed

    out = tmp_path / f"report.{fmt}"
    status = main(["report", "county-government-organs", "2020", "--format", fmt, "-o", str(out)])
    if fmt == "pdf" and not cjk_fonts_installed():
        assert status == 1 and "中文字体" in capsys.readouterr().err
        return
    assert status == 0
    data = out.read_bytes()
    if fmt == "html":
        assert 'data-cell="applications.granted.natural_person">2<' in data.decode()
        assert "主动公开政府信息共计4891条" in data.decode()
    elif fmt == "docx":
        back = parse_path(out)
        assert back["applications"] == seed()["applications"]
        assert back["proactive"] == seed()["proactive"]
        assert open_word(io.BytesIO(data)).tables
    elif fmt == "xlsx":
        assert data[:2] == b"PK"
    else:
        assert data[:5] == b"%PDF-"


def test_bad_agency_and_year_are_usage_errors(demo_county, capsys):
    assert main(["report", "不存在的机关", "2020"]) == 2
    assert "找不到机关或年报主体" in capsys.readouterr().err
    assert main(["report", "gaj", "1999"]) == 2
    assert "不是有效的报告年度" in capsys.readouterr().err


def test_published_version_is_printed_unless_computed(demo_county, sources, tmp_path):
    from gongkai.accounts.models import User
    from gongkai.annualreport import services
    from gongkai.annualreport.engine import find_subject

    clerk, approver = (User.objects.get(username=n) for n in ("clerk", "approver"))
    report = services.start_report(actor=clerk, subject=find_subject("县人民政府机关"), year=2020)
    services.STEPS.run("check", actor=clerk, record=report)
    services.STEPS.run("approve", actor=approver, record=report)
    services.STEPS.run("publish", actor=approver, record=report)
    sources["normative"]["normative_made"] = 16  # the register changes after publishing
    sources["table_two"]["2019"]["规范性文件"]["本年新制作数量"] = 16
    out = tmp_path / "r.json"
    main(["report", "县人民政府机关", "2020", "-o", str(out)])
    assert json.loads(out.read_text())["proactive"]["规范性文件"]["本年新制作数量"] == 15
    main(["report", "县人民政府机关", "2020", "--computed", "-o", str(out)])
    assert json.loads(out.read_text())["proactive"]["规范性文件"]["本年新制作数量"] == 16


def test_the_seed_report_cell_for_cell(demo_county, capsys, tmp_path):
    """`gongkai report 县人民政府机关 2020 --format json` after `gongkai demo` is the seed."""
    assert main(["report", "县人民政府机关", "2020", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    expected = seed()
    for part in ("proactive", "applications", "review_litigation"):
        assert doc[part] == expected[part], part
    assert (doc["agency"], doc["year"], doc["format"]) == ("城口县人民政府机关", 2020, "2019")
    # The HTML 总体情况 draft carries the seed's figures, computed from records.
    out = tmp_path / "seed.html"
    assert main(["report", "县人民政府机关", "2020", "--format", "html", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    # Figures whose app is not installed yet (sites, new media, visits, trainings) are marked
    # placeholders, never numbers; once their source is connected the seed's figure is there.
    from gongkai.annualreport.sources import resolve

    for source, phrase in (
        ("publications", "共计4891条"),
        ("normative", "新制定行政规范性文件15件"),
        ("normative", "现行有效的行政规范性文件102件"),
        ("normative", "分2批废止行政规范性文件15件"),
        ("publications", "发布政策解读3件"),
        ("publications", "名义印发的文件15件"),
        (None, "共收到政府信息公开申请2件"),
        (None, "按时答复2件"),
        ("sites", "运行政府网站1个"),
        ("sites", "子网站51个"),
        ("new_media", "开设政务新媒体40个，其中微信公众号32个、政务微博4个"),
        ("publications", "累计发布信息2183条"),
        ("visits", "年访问量56.7万"),
        ("mailbox", "受理群众来信255件，答复255件"),
        ("trainings", "培训2次"),
    ):
        if source is None or resolve(source) is not None:
            assert phrase in html, phrase
        else:
            assert f"数据来源“{source}”未接入" in html, source
