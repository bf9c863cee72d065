"""Filters of the API that never hand the database a value it cannot take."""

import datetime

import django_filters
from django import forms

from core.validators import EARLIEST_DATE, LATEST_DATE, OUT_OF_RANGE


class BusinessDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 moment turned into UTC (PostgreSQL takes offsets of at most ±15:59, ISO allows
    ±23:59) and kept between 2000 and 2100."""

    default_error_messages = {"out_of_range": OUT_OF_RANGE}

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            moment = moment.astimezone(datetime.UTC)
        except OverflowError:
            moment = None
        if moment is None or not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")
        return moment


class BusinessDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BusinessDateTimeField
