from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from spaces.models import Building

from .models import ReportRun
from .services import period_parse


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("report"), choices=ReportRun.Kind.choices)
    period = forms.CharField(
        label=_("period"), max_length=7, help_text=_("YYYY-MM for a month, YYYY-Q1…Q4 for a quarter.")
    )
    building = forms.ModelChoiceField(
        label=_("building"), queryset=Building.objects.all(), required=False, empty_label=_("whole portfolio")
    )
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES)

    def clean_period(self):
        try:
            return period_parse(self.cleaned_data["period"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["period"]) from error
