import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CompanyContact, CompanyYearFigure, TenantMembership


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
    role = forms.ChoiceField(label=_("role"), choices=TenantMembership.Role.choices, initial=TenantMembership.Role.MEMBER)


class AcceptInvitationForm(forms.Form):
    username = forms.RegexField(label=_("username"), regex=r"^[\w.@+-]{3,40}$", max_length=40,
                                error_messages={"invalid": _("3 to 40 letters, digits and . @ + - _")})
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
        return tuple(timezone.make_aware(datetime.datetime.combine(data["day"], data[key]))
                     for key in ("arrives", "leaves"))
