"""The tenant user's notifications: the inbox behind the bell, and which channels bring each event."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from notifications.forms import NotificationSettingsForm
from notifications.selectors import inbox_for
from notifications.services import notifications_read

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


@tenant_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """A grid: each event by in-app, email and SMS; defaults ticked until the person chooses."""
    form = NotificationSettingsForm(request.user, request.POST or None)
    if request.method == "POST" and form.save():
        messages.success(request, _("Your notification settings are saved."))
        return redirect("portal:notification_settings")
    return render(request, "portal/notification_settings.html", {"form": form})
