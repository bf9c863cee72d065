"""The tenant user's notifications: the inbox behind the bell, and which channels bring each event."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import add_service_errors
from notifications.events import PERSONAL_CHANNELS, Channel, Event
from notifications.models import Contact, Preference
from notifications.selectors import inbox_for
from notifications.services import channels_for, notifications_read, preferences_save

from ..access import tenant_required


@tenant_required
def inbox(request):
    page = Paginator(inbox_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page})


@tenant_required
def notification_open(request, pk):
    notification = get_object_or_404(inbox_for(request.user), pk=pk)
    notifications_read(user=request.user, ids=[pk])
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("portal:notifications")


@tenant_required
@require_POST
def notifications_mark_read(request):
    notifications_read(user=request.user)
    return redirect("portal:notifications")


class ContactForm(forms.Form):
    mobile = forms.CharField(label=gettext_lazy("mobile number (for SMS)"), max_length=11, required=False)
    language = forms.ChoiceField(label=gettext_lazy("language of notifications"), choices=settings.LANGUAGES)


@tenant_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """A grid: each event by in-app, email and SMS; defaults ticked until the person chooses."""
    contact = Contact.objects.filter(user=request.user).first()
    form = ContactForm(
        request.POST or None,
        initial={"mobile": contact.mobile if contact else "", "language": contact.language if contact else "zh-hans"},
    )
    if request.method == "POST" and form.is_valid():
        chosen = {
            event: {channel for channel in PERSONAL_CHANNELS if request.POST.get(f"{event}-{channel}")}
            for event in Event.values
        }
        try:
            preferences_save(user=request.user, chosen=chosen, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("portal:notification_settings")
    preferences = {(row.user_id, row.event): row for row in Preference.objects.filter(user=request.user)}
    rows = [
        (
            event,
            label,
            [(channel, channel in channels_for(request.user, event, preferences)) for channel in PERSONAL_CHANNELS],
        )
        for event, label in Event.choices
    ]
    return render(
        request,
        "portal/notification_settings.html",
        {"form": form, "rows": rows, "channels": [Channel(channel).label for channel in PERSONAL_CHANNELS]},
    )
