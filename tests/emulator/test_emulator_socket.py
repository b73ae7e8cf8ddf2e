"""Every connection the emulator accepts has Nagle's algorithm off (TCP_NODELAY).

Without it, a client that sends a request's headers and body in two writes (http.client,
urllib3, so boto3) waits for the delayed ACK, ~40 ms, on every request of a kept-alive
connection. The option is read on the server's side of the accepted socket, not timed.
"""

from __future__ import annotations

import http.client
import socket
from typing import Any


def _accepted_sockets(emulator: Any) -> list[socket.socket]:
    connections = emulator._server.server_state.connections
    return [c.transport.get_extra_info("socket") for c in connections]


def test_accepted_connections_have_nodelay(emulator):
    connection = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=10)
    try:
        connection.request("GET", "/apps")
        connection.getresponse().read()  # the connection is kept alive: it is still open
        accepted = _accepted_sockets(emulator)
        assert accepted, "the emulator holds no accepted connection"
        for sock in accepted:
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        connection.close()


def test_the_listening_socket_is_tcp_by_protocol_number_with_nodelay():
    # asyncio turns Nagle off on an accepted socket only when its protocol is IPPROTO_TCP, and
    # an accepted socket inherits the listening one's: protocol 0 would leave it on
    from amplify_auth_widgets.emulator import listening_socket

    for host in ("127.0.0.1", "::1"):
        with listening_socket(host, 0) as sock:
            assert sock.proto == socket.IPPROTO_TCP
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
