"""Notifications in the admin: each staff member's inbox (the bell), the delivery log with resend,
the channels' state, who is on duty for which event and which robot hears of it."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import LongListMixin, WrittenByServicesMixin

from .channels import channels_status
from .forms import NotificationSettingsForm
from .models import Delivery, Notification, RobotRoute, StaffDuty
from .selectors import inbox_for
from .services import delivery_resend, notifications_read


@admin.register(Notification)
class InboxAdmin(WrittenByServicesMixin, admin.ModelAdmin):
    """The signed-in staff member's own notifications, newest first."""

    list_display = ["opened", "event", "created_at", "read_at"]
    list_filter = ["event", ("read_at", admin.EmptyFieldListFilter)]
    actions = ["mark_read"]

    def get_queryset(self, request):
        return inbox_for(request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff and (obj is None or obj.recipient_id == request.user.pk)

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("subject"))
    def opened(self, notification):
        url = reverse("admin:notifications_notification_open", args=[notification.pk])
        style = "" if notification.read_at else "font-weight: bold"
        return format_html('<a href="{}" style="{}">{}</a>', url, style, notification.subject)

    @admin.action(description=_("Mark read"))
    def mark_read(self, request, queryset):
        notifications_read(user=request.user, ids=queryset.values_list("pk", flat=True))

    def get_urls(self):
        return [
            path("<int:pk>/open/", self.admin_site.admin_view(self.open_view), name="notifications_notification_open"),
            path(
                "settings/", self.admin_site.admin_view(self.settings_view), name="notifications_notification_settings"
            ),
            *super().get_urls(),
        ]

    def settings_view(self, request):
        """A staff member's own channels per event, as tenants choose theirs in the portal."""
        form = NotificationSettingsForm(request.user, request.POST or None)
        if request.method == "POST" and form.save():
            self.message_user(request, _("Your notification settings are saved."))
            return redirect("admin:notifications_notification_settings")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Notification settings"),
        }
        return TemplateResponse(request, "admin/notifications/settings.html", {**context, "form": form})

    def changelist_view(self, request, extra_context=None):
        link = reverse("admin:notifications_notification_settings")
        return super().changelist_view(request, {**(extra_context or {}), "settings_link": link})

    def open_view(self, request, pk):
        notification = get_object_or_404(inbox_for(request.user), pk=pk)
        notifications_read(user=request.user, ids=[notification.pk])
        if notification.link.startswith("/"):
            return redirect(notification.link)
        return redirect("admin:notifications_notification_change", notification.pk)


@admin.register(Delivery)
class DeliveryAdmin(WrittenByServicesMixin, LongListMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "event",
        "channel",
        "address",
        "subject",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    ]
    list_filter = ["status", "channel", "event"]
    search_fields = ["address", "subject"]
    actions = ["resend"]

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("notifications.change_delivery")

    @admin.action(description=_("Send again"))
    def resend(self, request, queryset):
        sent = 0
        for delivery in queryset:
            try:
                delivery_resend(delivery=delivery)
                sent += 1
            except ValidationError as error:
                self.message_user(request, f"{delivery}: {' '.join(error.messages)}", level="warning")
        self.message_user(request, _("%(count)d deliveries queued again.") % {"count": sent})

    def get_urls(self):
        return [
            path("channels/", self.admin_site.admin_view(self.channels_view), name="notifications_delivery_channels"),
            *super().get_urls(),
        ]

    def channels_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Notification channels"),
            "channels": channels_status(),
            "duties": StaffDuty.objects.select_related("group"),
            "routes": RobotRoute.objects.all(),
        }
        return TemplateResponse(request, "admin/notifications/channels.html", context)


@admin.register(StaffDuty)
class StaffDutyAdmin(admin.ModelAdmin):
    list_display = ["event", "group"]
    list_filter = ["group", "event"]


class RobotRouteForm(forms.ModelForm):
    robot = forms.ChoiceField(label=_("robot"), choices=())

    class Meta:
        model = RobotRoute
        fields = ["robot", "event"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["robot"].choices = [(name, name) for name in sorted(settings.PARKOPS_ROBOTS)]
        self.fields["robot"].help_text = _("The robots named in PARKOPS_ROBOTS, where their webhooks and secrets are.")


@admin.register(RobotRoute)
class RobotRouteAdmin(admin.ModelAdmin):
    form = RobotRouteForm
    list_display = ["robot", "event"]
    list_filter = ["robot", "event"]
