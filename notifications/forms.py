"""The notification settings form, shared by the portal and the admin: a mobile number, a language,
and a grid of events by personal channel."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import add_service_errors

from .events import PERSONAL_CHANNELS, Channel, Event
from .models import Contact, Preference
from .services import channels_for, preferences_save


class NotificationSettingsForm(forms.Form):
    mobile = forms.CharField(label=_("mobile number (for SMS)"), max_length=11, required=False)
    language = forms.ChoiceField(label=_("language of notifications"), choices=settings.LANGUAGES)

    def __init__(self, user, data=None):
        self.user = user
        contact = Contact.objects.filter(user=user).first()
        initial = {"mobile": contact.mobile if contact else "", "language": contact.language if contact else "zh-hans"}
        super().__init__(data, initial=initial)

    def rows(self):
        """Each event with its channels ticked as chosen (or by default)."""
        preferences = {(row.user_id, row.event): row for row in Preference.objects.filter(user=self.user)}
        rows = []
        for event, label in Event.choices:
            if self.is_bound:  # a refused form shows what was ticked
                chosen = {channel for channel in PERSONAL_CHANNELS if self.data.get(f"{event}-{channel}")}
            else:
                chosen = channels_for(self.user, event, preferences)
            rows.append((event, label, [(channel, channel in chosen) for channel in PERSONAL_CHANNELS]))
        return rows

    @staticmethod
    def channel_labels():
        return [Channel(channel).label for channel in PERSONAL_CHANNELS]

    def save(self) -> bool:
        """Save through the service; False (with the errors on the form) when it refuses."""
        if not self.is_valid():
            return False
        chosen = {
            event: {channel for channel in PERSONAL_CHANNELS if self.data.get(f"{event}-{channel}")}
            for event in Event.values
        }
        try:
            preferences_save(user=self.user, chosen=chosen, **self.cleaned_data)
        except ValidationError as error:
            add_service_errors(self, error)
            return False
        return True
