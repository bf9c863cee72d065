"""Residents' identity documents: checking their numbers."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAINLAND_ID = "mainland_id"
_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_FORMATS = {
    "passport": (re.compile(r"^[A-Z0-9]{5,17}$"), _("A passport number has 5 to 17 letters and digits.")),
    "hk_macao_permit": (
        re.compile(r"^[HM]\d{8}(\d{2})?$"),
        _("A Hong Kong or Macao permit number is H or M and 8 or 10 digits."),
    ),
    "taiwan_permit": (re.compile(r"^\d{8}$|^\d{10}$"), _("A Taiwan permit number has 8 or 10 digits.")),
    "foreigner_permit": (
        re.compile(r"^[A-Z]{3}\d{12}$|^9\d{17}$"),
        _("A permanent residence ID has 15 or 18 characters."),
    ),
}


def mainland_check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a mainland resident ID (GB 11643-1999)."""
    value = (12 - sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True)) % 11) % 11
    return "X" if value == 10 else str(value)


def validate_identity(id_type: str, number: str) -> None:
    if id_type == MAINLAND_ID:
        if not re.fullmatch(r"\d{17}[\dX]", number):
            raise ValidationError({"id_number": _("A resident ID has 17 digits and a last digit or X.")})
        try:
            datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            raise ValidationError({"id_number": _("The birth date inside this resident ID does not exist.")}) from None
        if mainland_check_character(number[:17]) != number[17]:
            raise ValidationError(
                {
                    "id_number": _(
                        "The last character of this resident ID should be %(expected)s: a digit was probably mistyped."
                    )
                    % {"expected": mainland_check_character(number[:17])}
                }
            )
        return
    pattern, message = _FORMATS[id_type]
    if not pattern.match(number):
        raise ValidationError({"id_number": message})
