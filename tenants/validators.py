"""Validators of tenants' data: the unified social credit code (GB 32100-2015) and uploaded documents."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_LENGTH = 18
# Position i (1-based) of the first 17 characters weighs 3^(i-1) mod 31.
_WEIGHTS = [pow(3, i, 31) for i in range(CREDIT_CODE_LENGTH - 1)]


def credit_code_check_character(first17: str) -> str:
    """The 18th character that makes ``first17`` a valid code."""
    total = sum(CREDIT_CODE_ALPHABET.index(char) * weight for char, weight in zip(first17, _WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    if len(value) != CREDIT_CODE_LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(length)d."),
            code="credit_code_length",
            params={"length": len(value)},
        )
    bad = sorted({char for char in value if char not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("A unified social credit code uses only digits and the capitals A–Y without I, O, S, V and Z; "
              "it may not contain %(characters)s."),
            code="credit_code_alphabet",
            params={"characters": " ".join(bad)},
        )
    expected = credit_code_check_character(value[:-1])
    if value[-1] != expected:
        raise ValidationError(
            _("The check character of this unified social credit code should be %(expected)s, not %(actual)s: "
              "a character was probably mistyped."),
            code="credit_code_checksum",
            params={"expected": expected, "actual": value[-1]},
        )


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
