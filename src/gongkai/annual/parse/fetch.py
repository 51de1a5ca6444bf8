"""Fetch a published report from its http(s) address, for the auditor.

One GET with a timeout and a size limit; redirects are followed between http and https
addresses only (never to ``file:`` or ``ftp:``). The kind of file is taken from the address
(``.pdf``, ``.html`` …), else from the server's ``Content-Type``, else from the bytes
themselves. The caller keeps the fetched copy beside its result and records the address as
the document's ``source``.
"""

from __future__ import annotations

import hashlib
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

TIMEOUT = 30.0  # seconds for the whole download
MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "gongkai-auditor/1 (reads published annual reports)"
_CONTENT_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
_KNOWN = (".html", ".htm", ".shtml", ".xhtml", ".txt", ".md", ".pdf", ".docx")


class FetchError(Exception):
    """The address could not be fetched (message: Chinese / English)."""


@dataclass(frozen=True)
class Fetched:
    url: str
    data: bytes
    suffix: str  # the kind of file, as a file name suffix (".pdf", ".html" …)

    @property
    def file_name(self) -> str:
        """A file name for the fetched copy: a short hash of the address, then its last part."""
        digest = hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:10]
        stem = PurePosixPath(unquote(urlsplit(self.url).path)).stem
        stem = re.sub(r"[^\w.-]+", "_", stem)[:60].strip("._") or "report"
        return f"{digest}-{stem}{self.suffix}"


def is_url(text: str) -> bool:
    """Whether ``text`` is an http(s) address (as opposed to a path)."""
    return bool(re.match(r"(?i)https?://", text.strip()))


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
        if not is_url(newurl):
            raise FetchError(f"拒绝跳转到非 http(s) 地址 / refused a redirect to {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    """An opener for http and https only (no ``file:``, ``ftp:`` or ``data:`` handlers)."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _HttpOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


_OPENER = _opener()


def fetch(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """GET ``url``; raise :class:`FetchError` on any failure, a timeout or a body too large."""
    url = url.strip()
    if not is_url(url):
        raise FetchError(f"不是 http(s) 地址 / not an http(s) address: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    deadline = time.monotonic() + timeout
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise _too_large(url, max_bytes)
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"下载超时（{timeout:g}秒）/ timed out after {timeout:g} s: {url}"
                    )
                chunk = response.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(url, max_bytes)
                chunks.append(chunk)
            content_type = response.headers.get_content_type()
            final_url = response.geturl() or url
    except FetchError:
        raise
    except urllib.error.HTTPError as error:
        raise FetchError(
            f"服务器返回 {error.code} / the server answered {error.code}: {url}"
        ) from error
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"无法下载 / cannot fetch {url}: {reason}") from error
    data = b"".join(chunks)
    if not data:
        raise FetchError(f"下载的内容为空 / the server sent nothing: {url}")
    return Fetched(url, data, _suffix(final_url, content_type, data))


def _too_large(url: str, max_bytes: int) -> FetchError:
    megabytes = max_bytes // (1024 * 1024)
    return FetchError(f"文件超过 {megabytes} MB / larger than {megabytes} MB: {url}")


def _suffix(url: str, content_type: str, data: bytes) -> str:
    suffix = PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()
    if suffix in _KNOWN:
        return ".html" if suffix in (".shtml", ".xhtml") else suffix
    if content_type in _CONTENT_TYPES:
        return _CONTENT_TYPES[content_type]
    if data.startswith(b"%PDF"):
        return ".pdf"
    if data.startswith(b"PK"):
        return ".docx"
    return ".html" if b"<" in data[:2000] else ".txt"
