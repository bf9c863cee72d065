"""Money received from payers and its allocation to their bills."""

from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import OUT_OF_RANGE, dates_within_business_range, validate_business_date
from tenants.models import TenantCompany

from .bills import MONEY, Bill

ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(**MONEY)


class PaymentQuerySet(models.QuerySet):
    def with_unapplied(self) -> "PaymentQuerySet":
        """Annotate ``unapplied``: what of each payment is neither applied to bills, refunded nor reversed."""
        ledger_entry = apps.get_model("billing", "LedgerEntry")  # its module imports this one
        applied = (
            PaymentAllocation.objects.filter(payment=OuterRef("pk")).values("payment").annotate(total=Sum("amount"))
        )
        paid_back = (
            ledger_entry.objects.filter(payment=OuterRef("pk"), kind__in=["refund", "payment_reversal"])
            .values("payment")
            .annotate(total=Sum("debit"))
        )
        return self.annotate(
            unapplied=F("amount")
            - Coalesce(Subquery(applied.values("total"), output_field=MONEY_FIELD), ZERO)
            - Coalesce(Subquery(paid_back.values("total"), output_field=MONEY_FIELD), ZERO)
        )


class Payment(models.Model):
    """Money received from a payer: a company, or one of its residents paying their own rent. What
    is not allocated to bills is that payer's credit, and pays only that payer's bills."""

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("bank transfer")
        CHEQUE = "cheque", _("cheque")
        CASH = "cash", _("cash")
        WECHAT = "wechat", _("WeChat Pay")
        ALIPAY = "alipay", _("Alipay")
        DEPOSIT = "deposit", _("deposit applied")
        OTHER = "other", _("other")

    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="payments"
    )
    resident_name = models.CharField(
        _("paid by resident"),
        max_length=60,
        blank=True,
        help_text=_("Set when a talent-apartment resident pays their own rent; empty: the company pays."),
    )
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    received_on = models.DateField(_("received on"), validators=[validate_business_date])
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.BANK_TRANSFER)
    reference = models.CharField(
        _("reference"), max_length=80, help_text=_("The bank's transaction number, cheque or receipt number.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    receipt_number = models.CharField(
        _("receipt number"), max_length=30, unique=True, null=True, blank=True, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PaymentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=dates_within_business_range("received_on"),
                name="payment_within_business_dates",
                violation_error_message=OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payment_amount_positive",
                violation_error_message=_("A payment must be a positive amount."),
            ),
            models.UniqueConstraint(
                fields=["method", "reference"],
                name="payment_recorded_once",
                violation_error_message=_("A payment with this method and reference is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.amount} ({self.reference})"


class PaymentAllocation(models.Model):
    """Part of a payment applied to a bill, or (``reverses`` set, a negative amount) taken back from
    it: when the payment bounces, or a credit note leaves the bill paid beyond what it asks. Never
    changed once posted."""

    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="allocations"
    )
    bill = models.ForeignKey(Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    posted_on = models.DateField(_("posted on"), validators=[validate_business_date])
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("takes back"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    created_at = models.DateTimeField(_("allocated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        indexes = [models.Index(fields=["bill", "posted_on"]), models.Index(fields=["payment", "posted_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, reverses__isnull=True) | Q(amount__lt=0, reverses__isnull=False),
                name="payment_allocation_sign_matches_kind",
                violation_error_message=_("An allocation is positive; only taking one back is negative."),
            ),
            models.CheckConstraint(
                condition=dates_within_business_range("posted_on"),
                name="payment_allocation_within_business_dates",
                violation_error_message=OUT_OF_RANGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} → {self.bill_id}: {self.amount}"
