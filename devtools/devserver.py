"""The development server: wsgiref's, with a deep listen backlog and a bounded pool of threads.

wsgiref's own listens with a backlog of 5, so a burst of connections (a browser loading a page,
a test firing requests at once) was partly reset, and threaded, it starts a thread per
connection. This one queues the burst in the kernel and serves it from `THREADS` threads.
"""
from __future__ import annotations

import queue
import socket
import threading
from wsgiref.simple_server import WSGIServer

BACKLOG = 1024
THREADS = 32
IDLE_SECONDS = 30  # a connection silent that long (a browser's unused preconnect) is let go


class PooledWSGIServer(WSGIServer):
    """Accepts on the main thread and hands each connection to a pool of daemon threads, which
    end with the process (a reload does not wait for a request stuck on a lock)."""

    request_queue_size = BACKLOG

    def server_activate(self) -> None:
        super().server_activate()
        self.connections: queue.SimpleQueue = queue.SimpleQueue()
        for number in range(THREADS):
            threading.Thread(target=self._serve_connections, name=f'web-{number}',
                             daemon=True).start()

    def process_request(self, request: socket.socket, client_address: tuple) -> None:
        self.connections.put((request, client_address))

    def _serve_connections(self) -> None:
        while True:
            request, client_address = self.connections.get()
            try:
                request.settimeout(IDLE_SECONDS)
                self.finish_request(request, client_address)
            except (TimeoutError, ConnectionError):
                pass  # the client went quiet or away: nothing to answer
            except Exception:  # noqa: BLE001 - one connection's failure, reported like wsgiref
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)
