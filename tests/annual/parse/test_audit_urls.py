"""``gongkai audit http://…``: a report served over HTTP on loopback is fetched, kept and read."""

from __future__ import annotations

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from gongkai.annual.parse.fetch import FetchError, fetch
from gongkai.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep the test output quiet
        pass

    def do_GET(self):  # noqa: N802
        if self.path.startswith("/report?id="):  # no suffix: the kind comes from Content-Type
            data = (CORPUS / "004-hongze-2023.pdf").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/000-chengkou-2020.txt")
            self.end_headers()
            return
        super().do_GET()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that stops reading early (the size limit) is expected here


@pytest.fixture
def server():
    """A web server on 127.0.0.1 (a free port) serving the corpus."""
    handler = partial(_Handler, directory=str(CORPUS))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_audit_reads_a_report_from_its_address(server, tmp_path, capsys):
    url = f"{server}/012-pingtan-gaj-2022.txt"
    code = main(["audit", "--download-dir", str(tmp_path / "dl"), url])
    out = capsys.readouterr().out
    assert code == 0
    doc = json.loads(out)
    expected = json.loads((CORPUS / "012-pingtan-gaj-2022.expected.json").read_text("utf-8"))
    assert doc["source"] == url
    assert doc["applications"] == expected["applications"]
    kept = Path(doc["fetched"])
    assert kept.parent == tmp_path / "dl"
    assert kept.read_bytes() == (CORPUS / "012-pingtan-gaj-2022.txt").read_bytes()


def test_a_pdf_without_suffix_a_redirect_and_a_missing_page(server, tmp_path, capsys):
    urls = [f"{server}/report?id=7", f"{server}/moved", f"{server}/missing.html"]
    code = main(["audit", "--download-dir", str(tmp_path), *urls])
    captured = capsys.readouterr()
    docs = json.loads(captured.out)
    assert code == 1  # one address could not be fetched
    assert docs[0]["agency"] == "淮安市洪泽区人民政府" and docs[0]["fetched"].endswith(".pdf")
    assert docs[1]["agency"] == "城口县人民政府机关" and docs[1]["source"] == urls[1]
    assert docs[2]["source"] == urls[2] and "404" in docs[2]["error"]
    assert "missing.html" in captured.err


def test_size_and_time_limits(server, tmp_path):
    with pytest.raises(FetchError, match="MB"):
        fetch(f"{server}/010-shuyang-fgj-2023.html", max_bytes=50_000)  # the page is 111 KB
    with pytest.raises(FetchError, match="http"):
        fetch("ftp://127.0.0.1/report.pdf")


def test_an_address_that_answers_nothing_is_given_up_after_the_time_limit(tmp_path, capsys):
    import socket

    with socket.socket() as quiet:  # accepts connections, never answers
        quiet.bind(("127.0.0.1", 0))
        quiet.listen()
        url = f"http://127.0.0.1:{quiet.getsockname()[1]}/r.html"
        code = main(["audit", "--timeout", "0.5", "--download-dir", str(tmp_path), url])
    captured = capsys.readouterr()
    assert code == 1
    assert json.loads(captured.out)["source"] == url
    assert "timed out" in captured.err or "cannot fetch" in captured.err
