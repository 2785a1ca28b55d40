"""A raw-socket HTTP server on 127.0.0.1 for answers no well-behaved server library
will send: endless header sections, bodies that never end or end early, cut gzip
streams. Each route is a function that writes to the socket; the server counts what
it managed to send before the client hung up.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

Writer = Callable[[socket.socket], None]


class RawServer:
    def __init__(self) -> None:
        self.routes: dict[str, Writer] = {"/robots.txt": not_found}
        self.sent: dict[str, int] = {}
        self.paths: list[str] = []
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        return int(self._socket.getsockname()[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, writer: Writer) -> None:
        self.routes[path] = writer

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                request += chunk
            path = request.split(b" ", 2)[1].decode("ascii", "replace")
            with self._lock:
                self.paths.append(path)
            counter = _CountingSocket(connection)
            with suppress(OSError):
                self.routes.get(path, not_found)(counter)  # type: ignore[arg-type]
            with self._lock:
                self.sent[path] = self.sent.get(path, 0) + counter.sent

    def start(self) -> RawServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        with suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)
        self._socket.close()


class _CountingSocket:
    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self.sent = 0

    def sendall(self, data: bytes) -> None:
        self.connection.sendall(data)
        self.sent += len(data)

    def __getattr__(self, name: str) -> object:
        return getattr(self.connection, name)


def not_found(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def close_after(connection: socket.socket) -> None:
    """End the response by closing the connection (both directions, at once)."""
    connection.shutdown(socket.SHUT_RDWR)


@contextmanager
def raw_server() -> Iterator[RawServer]:
    server = RawServer().start()
    try:
        yield server
    finally:
        server.stop()
