"""Deposits (押金): a ledger per lease of what the tenant paid in, and what happened to it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.validators import OUT_OF_RANGE, dates_within_business_range, validate_business_date
from tenants.models import TenantCompany

from .bills import MONEY
from .payments import Payment


class DepositEntry(models.Model):
    """A movement of a lease's deposit. What is held is what was received and carried in, less what
    was applied to bills, refunded and carried out; never changed once posted."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("received")
        APPLIED = "applied", _("applied to bills")
        REFUNDED = "refunded", _("refunded")
        CARRIED_OUT = "carried_out", _("carried over to the renewal")
        CARRIED_IN = "carried_in", _("carried over from the lease renewed")

    INFLOWS = (Kind.RECEIVED, Kind.CARRIED_IN)

    lease = models.ForeignKey(
        "leases.Lease", verbose_name=_("lease"), on_delete=models.PROTECT, related_name="deposit_entries"
    )
    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="deposit_entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    posted_on = models.DateField(_("posted on"), validators=[validate_business_date])
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    receipt_number = models.CharField(
        _("receipt number"), max_length=30, unique=True, null=True, blank=True, editable=False
    )
    payment = models.OneToOneField(
        Payment,
        verbose_name=_("payment made from it"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deposit_entry",
    )
    carried_from = models.OneToOneField(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deposit entry")
        verbose_name_plural = _("deposit entries")
        ordering = ["posted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="deposit_entry_amount_positive",
                violation_error_message=_("A deposit movement is a positive amount."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="applied") & Q(payment__isnull=False))
                | (~Q(kind="applied") & Q(payment__isnull=True)),
                name="deposit_applied_names_payment",
                violation_error_message=_("A deposit applied to bills names the payment it made."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="carried_in") & Q(carried_from__isnull=False))
                | (~Q(kind="carried_in") & Q(carried_from__isnull=True)),
                name="deposit_carried_in_names_source",
                violation_error_message=_("A deposit carried in names what it was carried from."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="refunded") | ~Q(reference=""),
                name="deposit_refund_has_reference",
                violation_error_message=_("A refund needs the bank's transaction number."),
            ),
            models.CheckConstraint(
                condition=dates_within_business_range("posted_on"),
                name="deposit_entry_within_business_dates",
                violation_error_message=OUT_OF_RANGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posted_on:%Y-%m-%d} {self.get_kind_display()} {self.amount}"

    @property
    def signed_amount(self):
        return self.amount if self.kind in self.INFLOWS else -self.amount
