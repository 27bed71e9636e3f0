"""The simulator's listening socket and its URL; the standard library only.

The `--demo` child makes the socket and announces its URL before it imports
the server, so this module must stay light. Once the socket listens, the
kernel completes connections and keeps what clients send until the server
accepts them: a client that connects early waits for its answer, it is not
refused.
"""

from __future__ import annotations

import socket

# As uvicorn's default: connections the kernel holds before the server accepts them.
BACKLOG = 2048


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to `host`:`port` (0: a free port) and listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only for sockets that say they
    # are TCP. Without it, answers written in two chunks wait ~40 ms for a delayed ACK (Nagle), on every request.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def url_of(host: str, port: int) -> str:
    shown_host = f"[{host}]" if ":" in host else host
    return f"http://{shown_host}:{port}"
