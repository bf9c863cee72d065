"""Uploaded files: their type decided by their content, never by their name.

A photo is decoded whole by Pillow and stored re-encoded, so nothing but its pixels is kept (no
metadata, no bytes appended after the image); a document must be a PDF that opens. Stored names
are random and take their extension from the content, never from what the client called the file.
"""

import io
import uuid
from pathlib import PurePath

import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# Pillow's format name → the extension a stored photo gets.
IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
# A photo of more pixels than this is refused before it is decoded (a 24-megapixel camera is 6000×4000).
MAX_IMAGE_PIXELS = 50_000_000


def _check_size(upload) -> None:
    limit = settings.PARKOPS_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="file_too_large",
            params={"size": f"{upload.size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
        )


def _content(upload) -> bytes:
    """The whole file, leaving its position where it was."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    content = upload.read()
    upload.seek(position)
    return content


def _decoded_image(content: bytes) -> Image.Image:
    not_image = ValidationError(_("Photos must be JPEG, PNG or WebP images."), code="not_image")
    try:
        image = Image.open(io.BytesIO(content), formats=list(IMAGE_FORMATS))
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise ValidationError(_("The photo has too many pixels."), code="image_too_large")
        image.load()  # decodes every pixel: a header followed by anything else fails here
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise not_image from error
    return image


def validate_image_upload(upload) -> None:
    """A photo must be a JPEG, PNG or WebP image that decodes whole, within the size limit."""
    _check_size(upload)
    _decoded_image(_content(upload))


def reencoded_image(upload) -> ContentFile:
    """The photo's pixels alone, written afresh in its own format under a random name."""
    image = _decoded_image(_content(upload))
    kind = image.format
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **({"quality": 90} if kind in ("JPEG", "WEBP") else {}))
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}{IMAGE_FORMATS[kind]}")


def validate_pdf_upload(upload) -> None:
    """A document must be a PDF that opens and has a page (by its content, not its name), within the size limit."""
    _check_size(upload)
    content = _content(upload)
    if not content.startswith(b"%PDF-"):
        raise ValidationError(_("This file is not a PDF, whatever its name says."), code="not_pdf")
    try:
        pages = len(pypdf.PdfReader(io.BytesIO(content)).pages)
    except Exception as error:  # pypdf raises many kinds of error on a damaged file
        raise ValidationError(_("This PDF does not open; it may be damaged."), code="pdf_damaged") from error
    if pages < 1:
        raise ValidationError(_("This PDF has no page."), code="pdf_empty")


def random_name(folder: str, filename: str) -> str:
    """A stored path in ``folder`` that nobody can guess, keeping only the extension of ``filename``
    (a name the services chose from the content)."""
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"
