import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.validators import OUT_OF_RANGE, moments_within_business_range, validate_business_moment

from .companies import TenantCompany, TenantMembership


class Notice(models.Model):
    """A notice from the operator, on the portal's dashboard: to every tenant or to one company."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    company = models.ForeignKey(
        TenantCompany,
        verbose_name=_("only for"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        help_text=_("Empty: every tenant company."),
    )
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A company admin's invitation of a colleague; the emailed link lets them choose a login."""

    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role"), max_length=20, choices=TenantMembership.Role.choices, default=TenantMembership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email


class Visitor(models.Model):
    """A visitor pre-registered by a company; the emailed QR pass carries ``pass_code``."""

    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.CASCADE, related_name="visitors"
    )
    name = models.CharField(_("visitor"), max_length=60)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("email"))
    organisation = models.CharField(_("visitor's company"), max_length=120, blank=True)
    host = models.CharField(_("host"), max_length=60)
    expected_from = models.DateTimeField(_("expected from"), validators=[validate_business_moment])
    expected_until = models.DateTimeField(_("expected until"), validators=[validate_business_moment])
    pass_code = models.UUIDField(_("pass code"), default=uuid.uuid4, unique=True, editable=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        ordering = ["-expected_from"]
        constraints = [
            models.CheckConstraint(
                condition=moments_within_business_range("expected_from", "expected_until"),
                name="visitor_within_business_dates",
                violation_error_message=OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(expected_until__gt=F("expected_from")),
                name="visitor_window_ends_after_start",
                violation_error_message=_("The visit must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False),
                name="visitor_checks_out_after_in",
                violation_error_message=_("A visitor checks in before checking out."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.company}"
