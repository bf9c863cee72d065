"""The unified social credit code (统一社会信用代码, GB 32100-2015)."""

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
            _(
                "A unified social credit code uses only digits and the capitals A–Y without I, O, S, V and Z; "
                "it may not contain %(characters)s."
            ),
            code="credit_code_alphabet",
            params={"characters": " ".join(bad)},
        )
    expected = credit_code_check_character(value[:-1])
    if value[-1] != expected:
        raise ValidationError(
            _(
                "The check character of this unified social credit code should be %(expected)s, not %(actual)s: "
                "a character was probably mistyped."
            ),
            code="credit_code_checksum",
            params={"expected": expected, "actual": value[-1]},
        )
