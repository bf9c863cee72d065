"""Service requests (报修 / 服务) with their photos and comments."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.uploads import random_name, validate_image_upload
from core.validators import LONG_TEXT_LIMIT, validate_long_text
from spaces.models import Unit
from tenants.models import TenantCompany

# Hours to first response and to resolution, by priority.
DEADLINES = {"urgent": (1, 8), "high": (4, 24), "normal": (24, 72), "low": (48, 168)}


class ServiceRequest(models.Model):
    """A repair or service request (报修 / 服务) from a tenant company about one of its units."""

    class Category(models.TextChoices):
        REPAIR = "repair", _("repair")
        CLEANING = "cleaning", _("cleaning")
        IT = "it", _("IT and network")
        ACCESS_CARD = "access_card", _("access card")
        OTHER = "other", _("other")

    class Priority(models.TextChoices):
        URGENT = "urgent", _("urgent")
        HIGH = "high", _("high")
        NORMAL = "normal", _("normal")
        LOW = "low", _("low")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("service request", "open")
        ASSIGNED = "assigned", pgettext_lazy("service request", "assigned")
        IN_PROGRESS = "in_progress", pgettext_lazy("service request", "in progress")
        RESOLVED = "resolved", pgettext_lazy("service request", "resolved")
        CLOSED = "closed", pgettext_lazy("service request", "closed")

    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="service_requests"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("location"), on_delete=models.PROTECT, related_name="service_requests"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    description = models.TextField(_("description"), validators=[validate_long_text])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"is_staff": True},
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("tenant's rating (1–5)"), null=True, blank=True)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), LONG_TEXT_LIMIT),
                name="service_description_within_limit",
                violation_error_message=_("A description has at most 4,000 characters."),
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="service_rating_one_to_five",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_category_display()} · {self.unit}"

    @property
    def response_due(self) -> datetime.datetime:
        return self.created_at + datetime.timedelta(hours=DEADLINES[self.priority][0])

    @property
    def resolution_due(self) -> datetime.datetime:
        return self.created_at + datetime.timedelta(hours=DEADLINES[self.priority][1])


def service_photo_path(photo: "ServiceRequestPhoto", filename: str) -> str:
    return random_name(f"service-requests/{photo.request_id}", filename)


class ServiceRequestPhoto(models.Model):
    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("service request"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=service_photo_path, validators=[validate_image_upload])
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.image.name


class ServiceRequestComment(models.Model):
    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("service request"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), validators=[validate_long_text])
    from_staff = models.BooleanField(_("from the operator"), default=False)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:60]
