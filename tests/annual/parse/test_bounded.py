"""Reading a report in a worker process bounded in time and memory
(gongkai.annual.parse.bounded): hostile files are refused with a message, Chinese first, and
cost only their own worker."""

import re
from pathlib import Path

import pytest

from gongkai.annual.parse import ReportUnreadable, read_file
from gongkai.annual.parse.bounded import Limits, ReportRefused, read_file_bounded, shutdown_workers

from . import crafted

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(autouse=True, scope="module")
def _stop_workers():
    yield
    shutdown_workers()


def chinese_first(message: str) -> bool:
    """The message says it in Chinese, then in English after " / "."""
    chinese, _, english = message.partition(" / ")
    return bool(re.search("[\u4e00-\u9fff]", chinese)) and english.isascii() and bool(english)


def test_a_real_report_reads_the_same_in_the_worker():
    for name in ("004-hongze-2023.pdf", "010-shuyang-fgj-2023.html", "000-chengkou-2020.txt"):
        bounded = read_file_bounded(CORPUS / name)
        assert bounded.doc == read_file(CORPUS / name).doc
        assert bounded.doc["applications"]


def test_a_2000_page_pdf_is_refused_by_its_page_count(tmp_path):
    path = crafted.many_pages_pdf(tmp_path / "big.pdf")
    with pytest.raises(ReportRefused) as refused:
        read_file_bounded(path)
    message = str(refused.value)
    assert "共 2000 页，超过 500 页" in message and chinese_first(message)


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = crafted.docx_bomb(tmp_path / "bomb.docx")
    with pytest.raises(ReportRefused) as refused:
        read_file_bounded(path)
    message = str(refused.value)
    assert "解压后达 300 MB" in message and "压缩炸弹" in message and chinese_first(message)


def test_a_compressed_stream_pdf_is_stopped_at_the_memory_limit(tmp_path):
    path = crafted.compressed_stream_pdf(tmp_path / "stream.pdf")
    with pytest.raises(ReportRefused) as refused:
        read_file_bounded(path, Limits(memory_bytes=300 * crafted.MB))
    message = str(refused.value)
    assert "内存超过 300 MB" in message and chinese_first(message)
    # Only that worker was lost: the next file is read by a new one.
    assert read_file_bounded(CORPUS / "000-chengkou-2020.txt").doc["year"] == 2020


def test_a_long_read_is_stopped_at_the_time_limit(tmp_path):
    path = crafted.compressed_stream_pdf(tmp_path / "stream.pdf")
    with pytest.raises(ReportRefused) as refused:
        read_file_bounded(path, Limits(seconds=1, memory_bytes=8192 * crafted.MB))
    assert "读取超过 1 秒的时限" in str(refused.value)
    assert read_file_bounded(CORPUS / "000-chengkou-2020.txt").doc["year"] == 2020


def test_deeply_nested_html_ends_as_refused_or_read_and_the_worker_goes_on(tmp_path):
    path = crafted.nested_html(tmp_path / "deep.html")
    try:
        parsed = read_file_bounded(path)
    except ReportUnreadable as error:  # refused, or nothing of a report in it
        assert chinese_first(str(error))
    else:
        assert parsed.doc["applications"] is not None
    assert read_file_bounded(CORPUS / "000-chengkou-2020.txt").doc["year"] == 2020
