"""Converting a values() column as its serializer field would, by the cheapest equal function.

Used by the API's values lists (``core.api.lists``): a page of 50 leases went from 0.50 to 0.21 ms of
conversion (bench/RESULTS.md). Tested value by value and type by type against DRF's own fields.
"""

import datetime
from collections.abc import Callable

from rest_framework import serializers
from rest_framework.settings import ISO_8601, api_settings


def column_converter(field: serializers.Field) -> Callable | None:
    """The cheapest function that gives ``field.to_representation(value)`` for a non-null value read
    from the database column of the field's model field; None when that is the value itself.

    DRF's fields check and convert every value (``int(value)``, ``str(value)``, a decimal rounded
    anew); a column already holds the type and the places, and fifty rows of eighteen fields made
    those checks half the time spent turning a page of leases into data.
    """
    kind = type(field)
    if isinstance(field, serializers.RelatedField) or kind in (serializers.IntegerField, serializers.CharField):
        return None  # a key or slug as read; int() of an int, str() of a str
    big_as_text = getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
    if kind is serializers.BigIntegerField and not big_as_text:
        return None  # int() of an int
    if kind is serializers.ChoiceField and all(type(key) is str for key in field.choices):
        return None  # a stored text choice represents itself
    if kind is serializers.DateField and str(getattr(field, "format", api_settings.DATE_FORMAT)).lower() == ISO_8601:
        return datetime.date.isoformat
    if (
        kind is serializers.DecimalField
        and field.decimal_places is not None
        and not field.localize
        and not field.normalize_output
        and getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    ):
        exponent, general = -field.decimal_places, field.to_representation

        def decimal(value):
            """A column value already has the field's places: nothing to round."""
            return format(value, "f") if value.as_tuple().exponent == exponent else general(value)

        return decimal
    return field.to_representation
