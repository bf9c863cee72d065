"""The halls' public iCalendar feeds."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from .feeds import hall_ical
from .models import Hall


@never_cache
def hall_calendar_feed(request, token):
    hall = get_object_or_404(Hall, feed_token=token, is_active=True)
    response = HttpResponse(hall_ical(hall=hall), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="hall-{hall.pk}.ics"'
    return response
