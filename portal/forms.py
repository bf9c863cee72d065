"""The portal's forms; the services behind them check everything again."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apartments.models import IdType
from billing.models import InvoicingProfile
from events.models import Booking
from servicedesk.models import ServiceRequest
from tenants.models import CompanyContact, CompanyYearFigure, TenantMembership


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(PhotosField, self).clean(item, initial) for item in files]


class ServiceRequestForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("location"), queryset=None)
    category = forms.ChoiceField(label=_("category"), choices=ServiceRequest.Category.choices)
    priority = forms.ChoiceField(
        label=_("priority"), choices=ServiceRequest.Priority.choices, initial=ServiceRequest.Priority.NORMAL
    )
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    photos = PhotosField(label=_("photos (JPEG, PNG or WebP, up to 5)"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        only = list(units[:2])
        if len(only) == 1:  # a company with one unit need not choose it
            self.fields["unit"].initial = only[0].pk


class CommentForm(forms.Form):
    body = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("your rating"), coerce=int, choices=[(n, f"{n} ★") for n in range(5, 0, -1)]
    )


class ApartmentApplicationForm(forms.Form):
    name = forms.CharField(label=_("employee's name"), max_length=60)
    id_type = forms.ChoiceField(label=_("ID type"), choices=IdType.choices)
    id_number = forms.CharField(label=_("ID number"), max_length=20)
    phone = forms.CharField(label=_("phone"), max_length=30)
    wanted_from = forms.DateField(label=_("wanted from"), widget=forms.DateInput(attrs={"type": "date"}))
    months = forms.IntegerField(label=_("length of stay (months)"), min_value=1, max_value=60)


class CheckOutRequestForm(forms.Form):
    on = forms.DateField(label=_("check out on"), widget=forms.DateInput(attrs={"type": "date"}))


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

        return Booking(
            hall=hall,
            organiser=Booking.Organiser.TENANT,
            company=company,
            requested_by=user,
            title=data["title"],
            attendees=data["attendees"],
            layout=data["layout"],
            starts_at=moment(data["starts"]),
            ends_at=moment(data["ends"]),
        )


class InvoicingProfileForm(forms.ModelForm):
    class Meta:
        model = InvoicingProfile
        fields = ["title", "taxpayer_number", "address_phone", "bank_account", "fapiao_type", "email"]


class HeadcountForm(forms.Form):
    headcount = forms.IntegerField(label=_("headcount"), min_value=0, max_value=1_000_000)


class ContactForm(forms.ModelForm):
    class Meta:
        model = CompanyContact
        fields = ["name", "role", "phone", "email"]


class YearFigureForm(forms.ModelForm):
    class Meta:
        model = CompanyYearFigure
        fields = ["year", "output_value", "revenue", "headcount", "patents", "copyrights"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("email"))
    role = forms.ChoiceField(
        label=_("role"), choices=TenantMembership.Role.choices, initial=TenantMembership.Role.MEMBER
    )


class AcceptInvitationForm(forms.Form):
    username = forms.RegexField(
        label=_("username"),
        regex=r"^[\w.@+-]{3,40}$",
        max_length=40,
        error_messages={"invalid": _("3 to 40 letters, digits and . @ + - _")},
    )
    password = forms.CharField(label=_("password"), widget=forms.PasswordInput)


class VisitorForm(forms.Form):
    name = forms.CharField(label=_("visitor"), max_length=60)
    phone = forms.CharField(label=_("phone"), max_length=30)
    email = forms.EmailField(label=_("email"))
    organisation = forms.CharField(label=_("visitor's company"), max_length=120, required=False)
    host = forms.CharField(label=_("host"), max_length=60)
    day = forms.DateField(label=_("day"), widget=forms.DateInput(attrs={"type": "date"}))
    arrives = forms.TimeField(label=_("from"), widget=forms.TimeInput(attrs={"type": "time"}))
    leaves = forms.TimeField(label=_("to"), widget=forms.TimeInput(attrs={"type": "time"}))

    def window(self) -> tuple[datetime.datetime, datetime.datetime]:
        data = self.cleaned_data
        return tuple(
            timezone.make_aware(datetime.datetime.combine(data["day"], data[key])) for key in ("arrives", "leaves")
        )
