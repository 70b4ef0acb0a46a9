"""`flask lms room serve`: the Socket.IO server as its own process (gunicorn, one threaded worker).

In production the HTTP workers (gunicorn, gthread) serve pages and the exam API; nginx sends `/socket.io/` here.
Both emit through Redis (REDIS_URL, Flask-SocketIO's message queue), so a trainer's command in one process
reaches every trainee connected to any socket process. Each WebSocket holds one thread of this worker: `threads`
bounds the connections one process holds; run several processes behind nginx's sticky routing for more.
"""

from __future__ import annotations

from flask import Flask
from gunicorn.app.base import BaseApplication


class SocketServer(BaseApplication):
    """gunicorn embedded with the already-built app (no second import of wsgi.py)."""

    def __init__(self, app: Flask, options: dict) -> None:
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def server_options(*, host: str, port: int, threads: int) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": 1,  # a process keeps its sockets; more processes need Redis and sticky routing (deploy/)
        "worker_class": "gthread",
        "threads": threads,
        "worker_connections": threads * 2,  # room for kept-alive long-polling connections beside the sockets
        "control_socket_disable": True,  # several socket processes on one machine: no shared control socket
        "timeout": 0,  # a WebSocket stays open for hours: no worker timeout on long requests
        "graceful_timeout": 10,
        "keepalive": 75,
        "accesslog": None,
    }


def serve(app: Flask, *, host: str, port: int, threads: int) -> None:
    SocketServer(app, server_options(host=host, port=port, threads=threads)).run()
