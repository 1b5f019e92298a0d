"""A small TCP proxy that can stop forwarding (a blackhole), for fault tests (issue 17).

    proxy = BlackholeProxy(("127.0.0.1", 5432)).start()   # listens on 127.0.0.1:proxy.port
    proxy.blackhole()    # accepts connections but reads and forwards nothing, either way
    proxy.restore()      # forwards again what was held; clients that gave up are closed upstream
    proxy.close()

While blackholed the proxy behaves as a network that drops packets: connections are accepted
(as a SYN is answered by a half-dead host) but nothing is read or passed on in either direction,
so a client waits for an answer that never comes until its own timeout. Pure Python (threads),
loopback only; also used by ``benchmarks/faults.py``.
"""

from __future__ import annotations

import select
import socket
import threading


class BlackholeProxy:
    def __init__(self, upstream: tuple[str, int], *, host: str = "127.0.0.1", port: int = 0):
        self.upstream = upstream
        self._listener = socket.create_server((host, port))
        self.host, self.port = self._listener.getsockname()[:2]
        self._forwarding = threading.Event()
        self._forwarding.set()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self.accepted = 0

    # --- control ---------------------------------------------------------------------------

    def start(self) -> BlackholeProxy:
        threading.Thread(target=self._accept_loop, name=f"proxy:{self.port}", daemon=True).start()
        return self

    def blackhole(self) -> None:
        self._forwarding.clear()

    def restore(self) -> None:
        self._forwarding.set()

    @property
    def blackholed(self) -> bool:
        return not self._forwarding.is_set()

    def close(self) -> None:
        self._closed.set()
        self._forwarding.set()
        self._listener.close()
        with self._lock:
            for sock in list(self._sockets):
                _close(sock)
            self._sockets.clear()

    def __enter__(self) -> BlackholeProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # --- forwarding ------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _serve(self, client: socket.socket) -> None:
        self._track(client)
        upstream = None
        try:
            self._hold()  # a connection made during a blackhole waits here, unanswered
            if self._closed.is_set():
                return
            upstream = socket.create_connection(self.upstream, timeout=10)
            upstream.settimeout(None)
            self._track(upstream)
            peer = {client: upstream, upstream: client}
            while not self._closed.is_set():
                if not self._forwarding.is_set():
                    self._hold()
                    continue
                readable, _, _ = select.select([client, upstream], [], [], 0.05)
                for sock in readable:
                    if not self._forwarding.is_set():
                        break
                    data = sock.recv(65536)
                    if not data:
                        return
                    peer[sock].sendall(data)
        except OSError:
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    _close(sock)
                    with self._lock:
                        self._sockets.discard(sock)

    def _hold(self) -> None:
        while not self._forwarding.wait(0.05):
            if self._closed.is_set():
                return


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
