import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Booking


class PortalBookingForm(forms.Form):
    day = forms.DateField(label=_("day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("from"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("to"), widget=forms.TimeInput(attrs={"type": "time"}))
    title = forms.CharField(label=_("title"), max_length=200)
    attendees = forms.IntegerField(label=_("attendees"), min_value=1)
    layout = forms.ChoiceField(label=_("layout"), choices=Booking.Layout.choices)

    def booking(self, *, hall, company, user) -> Booking:
        data = self.cleaned_data

        def moment(time: datetime.time) -> datetime.datetime:
            return timezone.make_aware(datetime.datetime.combine(data["day"], time))

        return Booking(hall=hall, organiser=Booking.Organiser.TENANT, company=company, requested_by=user,
                       title=data["title"], attendees=data["attendees"], layout=data["layout"],
                       starts_at=moment(data["starts"]), ends_at=moment(data["ends"]))
