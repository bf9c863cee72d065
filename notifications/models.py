"""Notifications: the inbox copy each person gets, every delivery by every channel with its log,
people's choices of channel, the staff groups on duty for each event and the robots' routes."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .events import Channel, Event


class Notification(models.Model):
    """What one person was told, in their language, with the page it is about; in their inbox
    (the bell) when they take in-app notifications."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    link = models.CharField(_("page"), max_length=300, blank=True)
    in_inbox = models.BooleanField(_("in the inbox"), default=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "in_inbox", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One message by one channel — to a person (email, SMS) or to a group robot — and what became of
    it: queued, sent, or failed with the reason after the bounded retries; or off, when the channel
    has no credentials."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        OFF = "off", _("channel off")

    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    robot = models.CharField(_("robot"), max_length=60, blank=True)
    address = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    link = models.CharField(_("page"), max_length=300, blank=True)
    attachment = models.CharField(
        _("attachment"), max_length=300, blank=True, help_text=_("A stored file the email carries.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_index=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(notification__isnull=False) | ~Q(robot=""),
                name="delivery_to_a_person_or_a_robot",
                violation_error_message=_("A delivery goes to a person or to a robot."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}: {self.subject}"


class Preference(models.Model):
    """A person's channels for one kind of event; without a row, the defaults apply."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    in_app = models.BooleanField(_("in the portal or admin"), default=True)
    email = models.BooleanField(_("email"), default=False)
    sms = models.BooleanField(_("SMS"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event"],
                name="preference_once_a_user_and_event",
                violation_error_message=_("This person already chose channels for this event."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_event_display()}"


class Contact(models.Model):
    """How to reach a person beyond their login's email: a mobile number for SMS, and the language
    they are written to in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="contact"
    )
    mobile = models.CharField(
        _("mobile number"),
        max_length=11,
        blank=True,
        help_text=_("A mainland mobile number, 11 digits, for SMS."),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(mobile="") | Q(mobile__regex=r"^1[3-9][0-9]{9}$"),
                name="contact_mobile_is_a_mainland_number",
                violation_error_message=_("A mobile number is 11 digits starting with 13 to 19."),
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class StaffDuty(models.Model):
    """A staff group on duty for a kind of event: each of its members is told."""

    group = models.ForeignKey(Group, verbose_name=_("staff group"), on_delete=models.CASCADE, related_name="+")
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)

    class Meta:
        verbose_name = _("staff on duty")
        verbose_name_plural = _("staff on duty")
        ordering = ["event", "group__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "event"],
                name="staff_duty_once",
                violation_error_message=_("This group is already on duty for this event."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.get_event_display()}"


class RobotRoute(models.Model):
    """Which group robot (named in ``PARKOPS_ROBOTS``, where its credentials are) hears of an event."""

    robot = models.CharField(_("robot"), max_length=60)
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)

    class Meta:
        verbose_name = _("robot route")
        verbose_name_plural = _("robot routes")
        ordering = ["robot", "event"]
        constraints = [
            models.UniqueConstraint(
                fields=["robot", "event"],
                name="robot_route_once",
                violation_error_message=_("This robot already hears of this event."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.robot} · {self.get_event_display()}"
