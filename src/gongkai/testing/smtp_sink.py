"""A mail server for tests and scripts: listens on 127.0.0.1, keeps every message it accepted.

A message counts as delivered only once the server has answered 250 to its end of data, as a
real server would. ``hold_at=n`` holds the n-th message at that moment (``held`` is set) until
:meth:`SmtpSink.release`, then drops the connection without answering: a client killed while it
waits has not delivered that message — or, with ``keep_held``, has delivered it without knowing
(tests/worker/test_worker_killed.py).
"""

from __future__ import annotations

import contextlib
import socketserver
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Delivered:
    sender: str
    recipients: tuple[str, ...]
    data: bytes


class _Session(socketserver.StreamRequestHandler):
    server: _Server

    def _say(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode("ascii"))
        self.wfile.flush()

    def handle(self) -> None:
        with contextlib.suppress(ConnectionError):  # a killed client: nothing more accepted
            self._converse()

    def _converse(self) -> None:
        sink = self.server.sink
        self._say("220 gongkai test sink")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 gongkai test sink")
            elif verb == "MAIL":
                sender, recipients = _address(command), []
                self._say("250 ok")
            elif verb == "RCPT":
                recipients.append(_address(command))
                self._say("250 ok")
            elif verb == "DATA":
                if sink.delay:
                    sink.pause()
                self._say("354 end with <CRLF>.<CRLF>")
                body = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n"):
                    if not chunk:
                        return
                    body.append(chunk)
                if not sink.arrived(Delivered(sender, tuple(recipients), b"".join(body))):
                    return  # held, then dropped unanswered
                self._say("250 queued")
            elif verb in ("RSET", "NOOP"):
                self._say("250 ok")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("502 not implemented")


def _address(command: str) -> str:
    start, end = command.find("<"), command.rfind(">")
    return command[start + 1 : end] if 0 <= start < end else command.split(":", 1)[-1].strip()


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    sink: SmtpSink


class SmtpSink:
    def __init__(
        self, *, hold_at: int | None = None, keep_held: bool = False, delay: float = 0.0
    ) -> None:
        self.hold_at = hold_at
        #: the held message counts as delivered: the server has taken it, only its 250 never
        #: reaches the client (the window no SMTP client can close, gongkai.worker.effects)
        self.keep_held = keep_held
        #: seconds before answering DATA (a slow server; a client killed meanwhile has not
        #: delivered the message)
        self.delay = delay
        self.delivered: list[Delivered] = []
        self.held = threading.Event()
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._ends = 0
        self._server = _Server(("127.0.0.1", 0), _Session)
        self._server.sink = self
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SmtpSink:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    def arrived(self, message: Delivered) -> bool:
        """A message's data has ended: keep it and return True to answer 250; False when it
        was held (and kept only with ``keep_held``)."""
        with self._lock:
            self._ends += 1
            hold = self._ends == self.hold_at
        if hold:
            if self.keep_held:
                self.deliver(message)
            self.held.set()
            self._released.wait()
            return False
        self.deliver(message)
        return True

    def pause(self) -> None:
        """Wait ``delay`` seconds (less once the sink is closing)."""
        self._released.wait(self.delay)

    def deliver(self, message: Delivered) -> None:
        with self._lock:
            self.delivered.append(message)

    def release(self) -> None:
        """Let the held message go (unaccepted)."""
        self._released.set()

    def message_ids(self) -> dict[str, list[str]]:
        """Each recipient's accepted messages' Message-IDs, in the order they arrived."""
        from email import message_from_bytes

        found: dict[str, list[str]] = {}
        with self._lock:
            for m in self.delivered:
                for recipient in m.recipients:
                    found.setdefault(recipient, []).append(message_from_bytes(m.data)["Message-ID"])
        return found

    def recipients(self) -> list[str]:
        """Every recipient of every accepted message, sorted."""
        with self._lock:
            return sorted(r for m in self.delivered for r in m.recipients)
