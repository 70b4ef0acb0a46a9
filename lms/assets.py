"""Static files under content-hashed names cached for a year, and gzip/brotli for text answers (Flask-Compress)."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, request
from flask_compress import Compress

IMMUTABLE = "public, max-age=31536000, immutable"
# An unhashed name (a page rendered before a deploy, a bookmark) is kept a short while only.
SHORT = "public, max-age=300"
HASHED_NAME = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[^./]+)$")
# Text worth compressing; images, archives, spreadsheets and PDFs are compressed already or downloads.
COMPRESSED_TYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                    "image/svg+xml"]


@dataclass(frozen=True)
class StaticFile:
    path: Path
    digest: str
    data: bytes
    mimetype: str


class AssetManifest:
    """Every file under the static folder with its content hash, read once when the process starts."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.files: dict[str, StaticFile] = {}
        self.hashed: dict[str, str] = {}
        for path in sorted(p for p in self.folder.rglob("*") if p.is_file()):
            name = path.relative_to(self.folder).as_posix()
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()[:12]
            mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            self.files[name] = StaticFile(path, digest, data, mimetype)
            self.hashed[name] = _hashed_name(name, digest)

    def url_name(self, name: str) -> str:
        """The hashed name to link to: "css/app.css" → "css/app.3f2a9c1b0d4e.css" (unknown names unchanged)."""
        return self.hashed.get(name, name)

    def resolve(self, name: str) -> tuple[StaticFile, bool] | None:
        """The file a requested name stands for, and whether the name carries that file's current hash."""
        if name in self.files:
            return self.files[name], False
        match = HASHED_NAME.match(name)
        if not match:
            return None
        found = self.files.get(match["stem"] + match["suffix"])
        if found is None:
            return None
        return found, found.digest == match["digest"]

    @property
    def version(self) -> str:
        """One short hash of every file's hash: changes whenever any static file changes."""
        joined = "".join(f"{name}={item.digest};" for name, item in self.files.items())
        return hashlib.sha256(joined.encode()).hexdigest()[:12]


def _hashed_name(name: str, digest: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot or "/" in suffix:
        return f"{name}.{digest}"
    return f"{stem}.{digest}.{suffix}"


class _Compress(Compress):
    """Flask-Compress, leaving downloads alone (an attachment is stored as sent, never re-encoded)."""

    def after_request(self, response: Response) -> Response:
        if "Content-Disposition" in response.headers:
            return response
        return super().after_request(response)


def _serve_static(manifest: AssetManifest):
    def static(filename: str):
        found = manifest.resolve(filename)
        if found is None:
            abort(404)
        item, current = found
        # Bytes from memory, not a streamed file, so the compression applies; a stale hash gets the current file,
        # kept briefly only.
        response = Response(item.data, mimetype=item.mimetype)
        response.headers["Cache-Control"] = IMMUTABLE if current else SHORT
        response.set_etag(item.digest)
        return response.make_conditional(request)

    return static


def init_assets(app: Flask) -> None:
    """Hash the static files once, link them by hashed name, serve them cached, and compress text answers."""
    manifest = AssetManifest(app.static_folder)
    app.extensions["asset_manifest"] = manifest
    app.view_functions["static"] = _serve_static(manifest)

    @app.url_defaults
    def hashed_static_names(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest.url_name(values["filename"])

    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)  # as fast as gzip's 6 here, and smaller
    app.config.setdefault("COMPRESS_MIN_SIZE", 1024)  # a save's small JSON answer is not worth the CPU
    app.config.setdefault("COMPRESS_STREAMS", False)  # streamed answers (exports, drains) pass untouched
    app.extensions["compress"] = _Compress(app)
