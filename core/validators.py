"""Rules on values that every door (admin, portal, API, imports, commands) enforces through the
models: the dates ParkOps keeps and the length of free text."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Business dates: a lease, a bill, a booking or a visit lies between these days.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
# Free text a person types (a description, a comment, a reason).
LONG_TEXT_LIMIT = 4000

OUT_OF_RANGE = _("Give a date between 2000-01-01 and 2100-12-31.")


def validate_business_date(value: datetime.date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(OUT_OF_RANGE, code="date_out_of_range")


def validate_business_moment(value: datetime.datetime) -> None:
    try:
        day = value.date() if timezone.is_naive(value) else value.astimezone(datetime.UTC).date()
    except OverflowError:  # the first or last day of year 1 or 9999, shifted past the calendar
        day = None
    if day is None or not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(OUT_OF_RANGE, code="date_out_of_range")


def validate_long_text(value: str) -> None:
    MaxLengthValidator(LONG_TEXT_LIMIT)(value)


def _within(fields, low, high) -> Q:
    condition = Q()
    for name in fields:
        condition &= Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": low, f"{name}__lt": high})
    return condition


def dates_within_business_range(*fields: str) -> Q:
    """The condition of a database check keeping date ``fields`` between 2000 and 2100 (null passes)."""
    return _within(fields, EARLIEST_DATE, datetime.date(2101, 1, 1))


def moments_within_business_range(*fields: str) -> Q:
    """The same for timestamp ``fields``, compared in UTC."""
    return _within(
        fields, datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC), datetime.datetime(2101, 1, 1, tzinfo=datetime.UTC)
    )
