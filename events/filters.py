import django_filters

from core.api.filtering import BusinessDateTimeFilter
from core.speedups.filter_form_cache import FilterSet

from .models import Booking, Event, Hall


class HallFilterSet(FilterSet):
    min_theatre = django_filters.NumberFilter(field_name="capacity_theatre", lookup_expr="gte")

    class Meta:
        model = Hall
        fields = ["kind", "min_theatre"]


class BookingFilterSet(FilterSet):
    starts_after = BusinessDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = BusinessDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Booking
        fields = ["hall", "status", "organiser", "company", "series", "starts_after", "starts_before"]


class EventFilterSet(FilterSet):
    class Meta:
        model = Event
        fields = ["is_public"]
