"""A slowloris crowd for the webhook benchmark: N connections held open against a TLS port.

Half of them trickle a TLS ClientHello one byte a second, half send nothing. The server drops them
at its handshake timeout (5 s), so the crowd reconnects whatever the server closed: N stay held the
whole time, and the requests measured beside them meet N open, stalled connections.
Loopback only; the thread stops when asked, and closes every socket.
"""
from __future__ import annotations

import selectors
import socket
import threading
import time


class SlowCrowd:
    def __init__(self, port: int, size: int):
        self.port, self.size = port, size
        self.reconnects = 0
        self.held_min: int | None = None
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="slow-crowd", daemon=True)

    def __enter__(self) -> "SlowCrowd":
        self._thread.start()
        if not self._ready.wait(timeout=60):
            raise RuntimeError(f"could not hold {self.size} connections to port {self.port} within 60 s")
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def measuring(self) -> None:
        """From now on, track the fewest connections held (reconnects in flight count as not held)."""
        self.held_min = self.size

    def _run(self) -> None:
        selector = selectors.DefaultSelector()
        held: list[socket.socket] = []
        next_trickle = time.monotonic()
        try:
            while not self._stop.is_set():
                while len(held) < self.size and not self._stop.is_set():
                    s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                    s.setblocking(False)
                    selector.register(s, selectors.EVENT_READ)
                    held.append(s)
                self._ready.set()
                for key, _ in selector.select(timeout=0.1):
                    s = key.fileobj
                    try:
                        data = s.recv(4096)
                    except BlockingIOError:
                        continue
                    except OSError:
                        data = b""
                    if not data:        # closed by the server (handshake timeout): replace it
                        selector.unregister(s)
                        s.close()
                        held.remove(s)
                        self.reconnects += 1
                if self.held_min is not None:
                    self.held_min = min(self.held_min, len(held))
                if time.monotonic() >= next_trickle:
                    next_trickle += 1.0
                    for s in held[::2]:
                        try:
                            s.send(b"\x16")   # the first byte of a TLS handshake record, one a second
                        except OSError:
                            pass
        finally:
            for s in held:
                selector.unregister(s)
                s.close()
            selector.close()
