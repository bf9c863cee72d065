"""Checks of uploaded files: their type by content and their size."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def _check_size(upload) -> None:
    limit = settings.PARKOPS_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="file_too_large",
            params={"size": f"{upload.size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
        )


def _first_bytes(upload, count: int) -> bytes:
    """The file's first bytes, leaving its position where it was."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(count)
    upload.seek(position)
    return head


def validate_pdf_upload(upload) -> None:
    """An uploaded document must be a PDF (by its content, not only its name) within the size limit."""
    _check_size(upload)
    if not upload.name.lower().endswith(".pdf"):
        raise ValidationError(_("Only PDF files are accepted."), code="not_pdf")
    if _first_bytes(upload, 5) != b"%PDF-":
        raise ValidationError(_("This file is not a PDF, whatever its name says."), code="not_pdf")


def validate_image_upload(upload) -> None:
    """A photo must be a JPEG, PNG or WebP image (by its content) within the size limit."""
    _check_size(upload)
    head = _first_bytes(upload, 12)
    is_webp = head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    if not (head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n") or is_webp):
        raise ValidationError(_("Photos must be JPEG, PNG or WebP images."), code="not_image")
