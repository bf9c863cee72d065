"""Bills and their lines, payments and their allocations to bills."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import OUT_OF_RANGE, dates_within_business_range, validate_business_date
from tenants.models import TenantCompany

MONEY = {"max_digits": 14, "decimal_places": 2}


class BillQuerySet(models.QuerySet):
    def open(self) -> "BillQuerySet":
        """Issued bills not fully paid."""
        return self.filter(status__in=Bill.OPEN_STATUSES)

    def outstanding(self) -> "BillQuerySet":
        return self.annotate(outstanding=F("amount") - F("amount_paid"))


class Bill(models.Model):
    """A bill to a company for one period. Until issued it is only scheduled, and the lease's
    schedule may replace it; once issued it never changes (it can be voided, with a reason)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled (not issued)")
        ISSUED = "issued", _("issued")
        PARTLY_PAID = "partly_paid", _("partly paid")
        PAID = "paid", _("paid")
        OVERDUE = "overdue", _("overdue")
        VOID = "void", _("void")

    # Issued and not fully paid: the only bills a payment or credit is applied to.
    OPEN_STATUSES = (Status.ISSUED, Status.PARTLY_PAID, Status.OVERDUE)

    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="bills"
    )
    lease = models.ForeignKey(
        "leases.Lease", verbose_name=_("lease"), on_delete=models.PROTECT, null=True, blank=True, related_name="bills"
    )
    resident_name = models.CharField(
        _("addressed to resident"),
        max_length=60,
        blank=True,
        help_text=_("Set when a talent-apartment resident pays the rent, not the company."),
    )
    number = models.CharField(_("bill number"), max_length=30, unique=True, null=True, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due on"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    amount_paid = models.DecimalField(_("paid (CNY)"), **MONEY, default=0)
    void_reason = models.TextField(_("reason voided"), blank=True)
    voided_on = models.DateField(_("voided on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BillQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["company", "status", "due_on"]), models.Index(fields=["lease", "period_start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount_paid__gte=0) & Q(amount_paid__lte=F("amount")),
                name="bill_paid_within_amount",
                violation_error_message=_("A bill cannot be paid beyond its amount."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="bill_period_ends_after_start",
                violation_error_message=_("A billing period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status="scheduled") | (Q(number__isnull=False) & Q(issued_on__isnull=False)),
                name="bill_issued_has_number_and_date",
                violation_error_message=_("An issued bill needs its number and issue date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="void") | ~Q(void_reason=""),
                name="bill_void_has_reason",
                violation_error_message=_("Say why the bill is void."),
            ),
            models.CheckConstraint(
                condition=Q(status="void", voided_on__isnull=False) | (~Q(status="void") & Q(voided_on__isnull=True)),
                name="bill_void_has_date",
                violation_error_message=_("A void bill has the day it was voided, and only a void bill has one."),
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("scheduled bill %(start)s–%(end)s") % {
            "start": self.period_start.isoformat(),
            "end": self.period_end.isoformat(),
        }

    @property
    def outstanding_amount(self):
        return self.amount - self.amount_paid

    def days_overdue(self, *, on: datetime.date) -> int:
        return max((on - self.due_on).days, 0)


class BillLine(models.Model):
    class Kind(models.TextChoices):
        RENT = "rent", _("rent")
        FEE = "fee", _("property-management fee")
        APARTMENT = "apartment", _("talent-apartment rent")
        OTHER = "other", _("other")

    bill = models.ForeignKey(Bill, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    source = models.CharField(
        _("charged for"),
        max_length=80,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("What the line charges for, as the app that asked for it names it (a resident's month, say)."),
    )

    class Meta:
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")
        ordering = ["bill", "pk"]

    def __str__(self) -> str:
        return self.description or self.get_kind_display()


class Payment(models.Model):
    """Money received from a payer: a company, or one of its residents paying their own rent. What
    is not allocated to bills is that payer's credit, and pays only that payer's bills."""

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("bank transfer")
        CHEQUE = "cheque", _("cheque")
        CASH = "cash", _("cash")
        WECHAT = "wechat", _("WeChat Pay")
        ALIPAY = "alipay", _("Alipay")
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
    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="allocations"
    )
    bill = models.ForeignKey(Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    created_at = models.DateTimeField(_("allocated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="allocation_amount_positive",
                violation_error_message=_("An allocation must be a positive amount."),
            ),
            models.UniqueConstraint(
                fields=["payment", "bill"],
                name="allocation_once_per_payment_and_bill",
                violation_error_message=_("This payment is already applied to this bill."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} → {self.bill_id}: {self.amount}"


class DocumentNumberSequence(models.Model):
    """The last number a kind of document (bills ZD, receipts SJ) used in a year; its row is locked
    while numbers are taken, so the numbers have no gaps."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="document_sequence_once_a_year")]

    def __str__(self) -> str:
        return f"{self.prefix}{self.year}: {self.last}"
