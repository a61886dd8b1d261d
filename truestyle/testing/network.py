"""Real network failures for tests: a closed port, a listener that never answers, a proxy that can go down.

They stand in for a dependency that is away, hung, or restarting, without mocking any of our code: the
code under test opens real sockets and meets real refusals, silences and dropped connections.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from truestyle.core.mongo.process import free_port


def _close_listener(server: socket.socket) -> None:
    # On Linux, close() alone leaves a listener blocked in accept() in another thread still
    # accepting; shutdown() wakes it, and the port stops answering at once.
    try:
        server.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    server.close()


def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    return free_port()


class SilentListener:
    """Accepts connections on loopback and never answers: a dependency that hangs."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        _close_listener(self._server)
        for connection in self.accepted:
            connection.close()

    def __enter__(self) -> SilentListener:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class TcpProxy:
    """Forwards a loopback port to a real server; `stop()` refuses new connections and cuts live ones
    (as a restart or a network cut would), `start()` opens the same port again."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._server: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> TcpProxy:
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._server,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            _close_listener(self._server)
            self._server = None
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _pipe(self, source: socket.socket, destination: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                destination.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, destination):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@contextmanager
def sql_database_unreachable(alias: str = "default") -> Iterator[None]:
    """Until the block ends, every new connection to `alias`, from any thread, meets a closed port.

    Connections share their alias's settings dict, so changing its port there is what a moved or
    stopped PostgreSQL looks like to Django; this thread's open connection is closed on the way in
    and out so that it reconnects.
    """
    from django.db import connections

    settings_dict = connections.settings[alias]
    assert connections[alias].settings_dict is settings_dict
    saved = settings_dict["HOST"], settings_dict["PORT"]
    connections[alias].close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(closed_port())
    try:
        yield
    finally:
        settings_dict["HOST"], settings_dict["PORT"] = saved
        connections[alias].close()
