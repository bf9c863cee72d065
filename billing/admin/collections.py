"""Collections in the admin: the reminder schedule, companies paused, the log, and who is due today."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from billing.models import CollectionsHold, ReminderSent, ReminderStep
from billing.services import collections_pause, collections_resume, reminder_step_save, reminders_due, reminders_send
from core.admin import LongListMixin, WrittenByServicesMixin


@admin.register(ReminderStep)
class ReminderStepAdmin(SimpleHistoryAdmin):
    list_display = ["days_from_due", "title", "company"]
    list_filter = [("company", admin.EmptyFieldListFilter)]
    autocomplete_fields = ["company"]

    def save_model(self, request, obj, form, change):
        reminder_step_save(step=obj)


@admin.register(CollectionsHold)
class CollectionsHoldAdmin(SimpleHistoryAdmin):
    """Pausing a company's reminders; deleting the pause resumes them."""

    list_display = ["company", "reason", "until", "paused_by", "paused_at"]
    list_select_related = ["company", "paused_by"]
    autocomplete_fields = ["company"]
    fields = ["company", "reason", "until"]

    def save_model(self, request, obj, form, change):
        saved = collections_pause(company=obj.company, reason=obj.reason, until=obj.until, paused_by=request.user)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)  # deleting a pause resumes the reminders

    def delete_model(self, request, obj):
        collections_resume(company=obj.company)

    def delete_queryset(self, request, queryset):
        for hold in queryset.select_related("company"):
            collections_resume(company=hold.company)


@admin.register(ReminderSent)
class ReminderSentAdmin(WrittenByServicesMixin, LongListMixin, admin.ModelAdmin):
    """Every reminder sent (or failed), by company and bill."""

    list_display = ["sent_on", "company", "bill", "title", "outstanding", "status", "recipients", "error"]
    list_filter = ["status", "sent_on", "days_from_due"]
    list_select_related = ["company", "bill"]
    search_fields = ["company__name", "bill__number"]

    def get_urls(self):
        return [
            path("due/", self.admin_site.admin_view(self.due_view), name="billing_remindersent_due"),
            *super().get_urls(),
        ]

    def due_view(self, request):
        """Who is due a reminder today, and sending them now (the daily job does it at 09:00)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            logged = reminders_send(on=today)
            failed = sum(1 for row in logged if row.status == ReminderSent.Status.FAILED)
            self.message_user(
                request,
                _("%(sent)d reminders sent, %(failed)d failed (see the log).")
                % {"sent": len(logged) - failed, "failed": failed},
            )
            return HttpResponseRedirect(reverse("admin:billing_remindersent_due"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Reminders due today"),
            "today": today,
            "due": reminders_due(on=today),
        }
        return TemplateResponse(request, "admin/billing/remindersent/due.html", context)
