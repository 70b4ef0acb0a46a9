"""Certificate images (logo, signature, seal): PNG or JPEG checked with Pillow and normalised to one print-ready JPEG.

Every image is flattened onto white and stored as a baseline RGB JPEG no larger than its print box needs at
about 300 dpi. The PDF embeds such a JPEG as it is (no re-compression per certificate) and draws it with the
Multiply blend mode, so white disappears and a seal over a signature looks like ink over ink, as on paper.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from lms.forms import N_

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_SOURCE_PIXELS = 6000 * 6000  # larger pictures are refused before decoding (a decompression bomb, a raw photo)
ALLOWED_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
# The largest stored size of each kind, in pixels: its box on the certificate at about 300 dpi.
MAX_PIXELS = {"logo": (300, 300), "signature": (640, 280), "seal": (420, 420)}
MIN_PIXELS = 32
JPEG_QUALITY = 88


class ImageRejected(ValueError):
    """An uploaded image that cannot be used; `message` says why in English (the view translates it)."""

    def __init__(self, message: str, **values):
        super().__init__(message % values if values else message)
        self.message = message
        self.values = values


@dataclass(frozen=True, slots=True)
class PreparedImage:
    data: bytes  # the normalised JPEG
    media_type: str
    width: int
    height: int


def prepare_image(data: bytes, kind: str) -> PreparedImage:
    """Check an upload (PNG or JPEG, size and pixel limits) and return it normalised as a print-ready JPEG."""
    if not data:
        raise ImageRejected(N_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRejected(N_("The image is larger than %(limit)s MB."), limit=MAX_UPLOAD_BYTES // (1024 * 1024))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in ALLOWED_FORMATS:
                raise ImageRejected(N_("Only PNG and JPEG images are accepted."))
            if width * height > MAX_SOURCE_PIXELS:
                raise ImageRejected(N_("The image has more than %(limit)s million pixels."),
                                    limit=MAX_SOURCE_PIXELS // 1_000_000)
            if min(width, height) < MIN_PIXELS:
                raise ImageRejected(N_("The image is smaller than %(limit)s pixels on a side."), limit=MIN_PIXELS)
            probe.load()
            result = _normalised(probe, MAX_PIXELS[kind])
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ImageRejected(N_("The file is not a readable PNG or JPEG image.")) from error
    return result


def print_ready(data: bytes, kind: str) -> bytes:
    """The bytes to embed: a stored normalised JPEG as it is, anything else normalised first."""
    with Image.open(io.BytesIO(data)) as image:
        limit = MAX_PIXELS[kind]
        if image.format == "JPEG" and image.mode == "RGB" and image.width <= limit[0] and image.height <= limit[1]:
            return data
        image.load()
        return _normalised(image, limit).data


def _normalised(image: Image.Image, limit: tuple[int, int]) -> PreparedImage:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = image.convert("RGB")
    flat.thumbnail(limit, Image.Resampling.LANCZOS)
    output = io.BytesIO()
    flat.save(output, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
    return PreparedImage(output.getvalue(), "image/jpeg", flat.width, flat.height)
