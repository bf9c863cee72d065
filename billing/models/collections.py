"""Collections (催缴): the reminders an open bill earns as its due date nears and passes, the
companies staff have paused, and the log of every reminder sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tenants.models import TenantCompany

from .bills import Bill


class ReminderStep(models.Model):
    """A point in the schedule, in days from the due date (−3 is three days before it). Steps without
    a company are the operator's schedule; a company with steps of its own follows only those."""

    company = models.ForeignKey(
        TenantCompany,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_steps",
        help_text=_("Empty: the schedule of every company without one of its own."),
    )
    days_from_due = models.SmallIntegerField(
        _("days from the due date"), help_text=_("Negative before the due date, 0 on it, positive after.")
    )
    title = models.CharField(_("title"), max_length=80, help_text=_("What the reminder is called in its subject."))
    message = models.TextField(_("message"), help_text=_("The opening of the reminder, above the bills it lists."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder step")
        verbose_name_plural = _("reminder schedule")
        ordering = ["company", "days_from_due"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "days_from_due"],
                name="reminder_step_once_per_day",
                violation_error_message=_("The schedule already has a reminder on that day."),
            ),
            models.UniqueConstraint(
                fields=["days_from_due"],
                condition=Q(company__isnull=True),
                name="reminder_default_step_once_per_day",
                violation_error_message=_("The operator's schedule already has a reminder on that day."),
            ),
            models.CheckConstraint(
                condition=Q(days_from_due__gte=-60) & Q(days_from_due__lte=365),
                name="reminder_step_within_reason",
                violation_error_message=_("A reminder is at most 60 days before or 365 days after the due date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.days_from_due:+d})"


class CollectionsHold(models.Model):
    """Reminders paused for a company (a dispute, a payment plan agreed), with why and until when."""

    company = models.OneToOneField(
        TenantCompany, verbose_name=_("company"), on_delete=models.CASCADE, related_name="collections_hold"
    )
    reason = models.CharField(_("reason"), max_length=300)
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: until staff resume them."))
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("paused by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    paused_at = models.DateTimeField(_("paused at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["paused_at"])

    class Meta:
        verbose_name = _("reminders paused")
        verbose_name_plural = _("reminders paused")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="collections_hold_has_a_reason",
                violation_error_message=_("Say why the reminders are paused."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company}: {self.reason}"


class ReminderSent(models.Model):
    """One reminder step for one bill, as delivered (or as it failed, to be tried again)."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="reminders_sent"
    )
    bill = models.ForeignKey(Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="reminders")
    days_from_due = models.SmallIntegerField(_("days from the due date"))
    title = models.CharField(_("title"), max_length=80)
    sent_on = models.DateField(_("sent on"))
    channel = models.CharField(_("channel"), max_length=20, default="email")
    recipients = models.CharField(_("recipients"), max_length=500, blank=True)
    outstanding = models.DecimalField(_("open then (CNY)"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bill", "days_from_due"],
                condition=Q(status="sent"),
                name="reminder_sent_once_per_step",
                violation_error_message=_("This reminder was already sent for this bill."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bill} {self.title} {self.sent_on:%Y-%m-%d}"
