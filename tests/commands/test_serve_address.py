"""`gongkai serve` tries its address before granian starts (gongkai.commands.serve): a port
another server listens on is refused with a message, and a port whose connections a killed
server left behind (TIME_WAIT) is not — a server restarted after a crash (scripts/crash_test.py)
must get its port back at once."""

from __future__ import annotations

import socket

import pytest

from gongkai.commands.serve import check_address


def listening() -> socket.socket:
    """A listener on a free port, set up as granian's and waitress's are (SO_REUSEADDR)."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    return listener


def test_a_port_another_server_listens_on_is_refused():
    with listening() as listener, pytest.raises(OSError):
        check_address("127.0.0.1", listener.getsockname()[1])


def test_a_port_a_killed_server_left_connections_on_can_be_listened_on_again():
    listener = listening()
    port = listener.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    served, _ = listener.accept()
    served.close()  # the server's end closes first, as when its process is killed
    listener.close()
    assert client.recv(1) == b""  # the client saw the server go
    client.close()  # the server's end of the connection now waits out TIME_WAIT on the port
    check_address("127.0.0.1", port)
