"""``gongkai audit`` through the console script's ``main``: exit codes, JSON shape, summaries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEED = CORPUS / "000-chengkou-2020.txt"
PINGTAN_2022 = CORPUS / "012-pingtan-gaj-2022.txt"
WITH_ERROR = CORPUS / "014-pingtan-hzs-2024.txt"  # 四: 维持 1 with 总计 0


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["audit", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_one_file_prints_one_document(capsys):
    code, out, _ = _run(capsys, str(SEED))
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "gongkai.annual-report/1"
    assert (doc["agency"], doc["year"], doc["format"]) == ("城口县人民政府机关", 2020, "2019")
    assert doc["applications"]["new_received"]["total"] == 2
    assert doc["findings"] == []
    assert set(doc["sections"]) == {"overview", "problems", "other"}


def test_several_files_print_an_array_in_input_order(capsys):
    code, out, _ = _run(capsys, str(SEED), str(PINGTAN_2022))
    assert code == 0
    docs = json.loads(out)
    assert [d["agency"] for d in docs] == ["城口县人民政府机关", "平潭综合实验区公安局"]


def test_a_directory_is_searched_recursively(capsys, tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "r.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "notes.json").write_text("{}")  # not a report extension: ignored
    code, out, _ = _run(capsys, str(tmp_path))
    assert code == 0
    assert json.loads(out)["agency"] == "城口县人民政府机关"


def test_findings_do_not_change_the_exit_code_unless_strict(capsys):
    code, out, _ = _run(capsys, str(WITH_ERROR))
    assert code == 0
    assert any(f["rule"] == "t4.total" for f in json.loads(out)["findings"])
    code, _, _ = _run(capsys, "--strict", str(WITH_ERROR))
    assert code == 1
    code, _, _ = _run(capsys, "--strict", str(SEED))
    assert code == 0


def test_an_unreadable_input_exits_1_and_the_others_are_still_reported(capsys, tmp_path):
    junk = tmp_path / "broken.pdf"
    junk.write_bytes(b"%PDF-1.4 this is not really a pdf")
    notes = tmp_path / "notes.txt"
    notes.write_text("会议纪要：今天天气很好。", encoding="utf-8")
    code, out, err = _run(capsys, str(SEED), str(junk), str(notes))
    assert code == 1
    docs = json.loads(out)
    assert docs[0]["agency"] == "城口县人民政府机关"
    assert docs[1]["source"].endswith("broken.pdf") and docs[1]["error"]
    assert docs[2]["source"].endswith("notes.txt") and "找不到年度报告" in docs[2]["error"]
    assert "broken.pdf" in err and "notes.txt" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["/no/such/report.txt"],
        ["--jobs", "0", "SEED"],
        ["--format", "xml", "SEED"],
        [],
    ],
)
def test_bad_usage_exits_2(capsys, argv, tmp_path):
    argv = [str(SEED) if a == "SEED" else a for a in argv]
    try:
        code = main(["audit", *argv])
    except SystemExit as exit_:  # argparse's own usage errors
        code = exit_.code
    assert code == 2
    assert capsys.readouterr().err


def test_an_empty_directory_is_bad_usage(capsys, tmp_path):
    code, _, err = _run(capsys, str(tmp_path))
    assert code == 2
    assert "没有可审核的报告文件" in err


def test_table_format_is_a_chinese_summary(capsys):
    code, out, _ = _run(capsys, "--format", "table", str(WITH_ERROR))
    assert code == 0
    assert "机关：平潭综合实验区行政审批局" in out
    assert "年度：2024" in out
    assert "三、收到和处理政府信息公开申请情况" in out
    assert "[错误] t4.total" in out
    assert "[提示] cell.inferred" in out


def test_jobs_give_the_same_documents(capsys, tmp_path):
    for name in ("000-chengkou-2020.txt", "011-pingtan-gaj-2019.txt", "014-pingtan-hzs-2024.txt"):
        (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
    _, serial, _ = _run(capsys, str(tmp_path))
    code, parallel, _ = _run(capsys, "--jobs", "2", str(tmp_path))
    assert code == 0
    assert json.loads(parallel) == json.loads(serial)


def _earlier_year(tmp_path: Path) -> Path:
    """The same agency's report one year earlier, with nothing carried forward."""
    text = PINGTAN_2022.read_text(encoding="utf-8").replace(
        "2022年政府信息公开", "2021年政府信息公开"
    )
    path = tmp_path / "pingtan-gaj-2021.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_two_years_of_one_agency_check_the_carry_over(capsys, tmp_path):
    """2022 says 1 application was carried over; the 2021 report carried none forward."""
    code, out, _ = _run(capsys, str(PINGTAN_2022), str(_earlier_year(tmp_path)))
    assert code == 0
    later, earlier = json.loads(out)
    assert later["year"] == 2022 and earlier["year"] == 2021
    assert any(f["rule"] == "cross_year.carry" for f in later["findings"])
    assert not any(f["rule"] == "cross_year.carry" for f in earlier["findings"])
    code, out, _ = _run(capsys, str(PINGTAN_2022))
    assert not any(f["rule"] == "cross_year.carry" for f in json.loads(out)["findings"])


def test_compare_lists_the_cells_that_changed(capsys, tmp_path):
    code, out, _ = _run(capsys, "--compare", str(PINGTAN_2022), str(_earlier_year(tmp_path)))
    assert code == 0
    (pair,) = json.loads(out)
    assert pair["agency"] == "平潭综合实验区公安局" and pair["years"] == [2021, 2022]
    assert pair["cells"] == []  # the same tables under two titles
    code, out, _ = _run(capsys, "--compare", "--format", "table", str(SEED))
    assert "没有同一机关的两个年度" in out


def test_audit_does_not_set_up_django():
    script = (
        "import sys; from gongkai.cli import main; "
        f"code = main(['audit', {str(SEED)!r}]); "
        "assert 'django' not in sys.modules, 'django imported'; sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()


def test_progress_bar_only_on_a_terminal(capsys, monkeypatch, tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(SEED.read_bytes())
    _, _, err = _run(capsys, str(tmp_path))
    assert err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code = main(["audit", str(tmp_path)])
    assert code == 0
    assert "2/2" in capsys.readouterr().err
