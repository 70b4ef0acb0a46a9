"""`flask lms room ...`: run the class room's Socket.IO server as its own process."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

room_cli = AppGroup("room", help="The class live room (Socket.IO).")


@room_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--threads", default=1000, show_default=True, type=click.IntRange(4, 10000),
              help="Connections this process holds at once (one thread each).")
def serve_command(host: str, port: int, threads: int) -> None:
    """Serve /socket.io/ (nginx routes it here); with REDIS_URL, rooms are shared with the web workers."""
    from lms.classes.room.server import serve

    app = current_app._get_current_object()
    if not app.config.get("REDIS_URL"):
        click.echo("REDIS_URL is not set: only this process's own emits reach its sockets "
                   "(the web workers' events need Redis).", err=True)
    click.echo(f"Socket.IO server on http://{host}:{port}/socket.io/ ({threads} connections at most)")
    serve(app, host=host, port=port, threads=threads)
