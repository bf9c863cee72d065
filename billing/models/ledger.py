"""The receivables ledger: every movement of money owed by or to a payer, one row each, never
changed or deleted once posted (the database refuses). Balances, what a bill asks and its status,
credit and aging are sums of these rows up to a day."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.validators import OUT_OF_RANGE, dates_within_business_range, validate_business_date
from tenants.models import TenantCompany

from .bills import MONEY, Bill, BillLine
from .payments import Payment


class LedgerEntryQuerySet(models.QuerySet):
    def of_payer(self, *, company, resident_name: str = "") -> "LedgerEntryQuerySet":
        return self.filter(company=company, resident_name=resident_name)

    def through(self, day) -> "LedgerEntryQuerySet":
        """What had been posted by the end of ``day``."""
        return self.filter(posted_on__lte=day)


DEBIT_KINDS = ("bill", "debit_note", "late_fee", "payment_reversal", "refund")
CREDIT_KINDS = ("bill_void", "credit_note", "late_fee_waiver", "payment")
BILL_KINDS = ("bill", "bill_void", "credit_note", "debit_note", "late_fee", "late_fee_waiver")
PAYMENT_KINDS = ("payment", "payment_reversal", "refund")
# Corrections say why; the other entries are explained by their bill or payment.
REASONED_KINDS = ("bill_void", "credit_note", "debit_note", "late_fee_waiver", "payment_reversal", "refund")


class LedgerEntry(models.Model):
    """One movement on a payer's account: a debit (the payer owes more) or a credit (less)."""

    class Kind(models.TextChoices):
        BILL = "bill", _("bill issued")
        BILL_VOID = "bill_void", _("bill voided")
        CREDIT_NOTE = "credit_note", _("credit note")
        DEBIT_NOTE = "debit_note", _("debit adjustment")
        LATE_FEE = "late_fee", _("late fee")
        LATE_FEE_WAIVER = "late_fee_waiver", _("late fee waived")
        PAYMENT = "payment", _("payment received")
        PAYMENT_REVERSAL = "payment_reversal", _("payment reversed")
        REFUND = "refund", _("refund")

    DEBIT_KINDS = DEBIT_KINDS

    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    resident_name = models.CharField(_("resident paying"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    debit = models.DecimalField(_("debit (CNY)"), **MONEY, default=0)
    credit = models.DecimalField(_("credit (CNY)"), **MONEY, default=0)
    posted_on = models.DateField(
        _("posted on"),
        validators=[validate_business_date],
        help_text=_("The day the entry counts from in balances and aging."),
    )
    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    bill_line = models.ForeignKey(
        BillLine, verbose_name=_("bill line"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment = models.ForeignKey(
        Payment,
        verbose_name=_("payment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    number = models.CharField(_("document number"), max_length=30, blank=True, db_index=True)
    accrued_through = models.DateField(
        _("accrued through"), null=True, blank=True, help_text=_("The last day a late fee entry charges for.")
    )
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["posted_on", "pk"]
        indexes = [
            models.Index(fields=["company", "resident_name", "posted_on"], name="ledger_payer_day"),
            models.Index(fields=["bill", "kind", "posted_on"], name="ledger_bill_kind_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit__gt=0, credit=0) | Q(debit=0, credit__gt=0),
                name="ledger_one_positive_side",
                violation_error_message=_("An entry is a positive debit or a positive credit."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DEBIT_KINDS, credit=0) | Q(kind__in=CREDIT_KINDS, debit=0),
                name="ledger_side_matches_kind",
                violation_error_message=_("This kind of entry is posted on the other side."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=BILL_KINDS, bill__isnull=False, payment__isnull=True)
                | Q(kind__in=PAYMENT_KINDS, payment__isnull=False, bill__isnull=True),
                name="ledger_names_its_document",
                violation_error_message=_("An entry names the bill or the payment it moves."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=REASONED_KINDS) | ~Q(reason=""),
                name="ledger_correction_has_reason",
                violation_error_message=_("Say why."),
            ),
            models.CheckConstraint(
                condition=Q(kind="late_fee", accrued_through__isnull=False)
                | (~Q(kind="late_fee") & Q(accrued_through__isnull=True)),
                name="ledger_late_fee_has_its_day",
                violation_error_message=_("A late fee entry names the last day it charges for."),
            ),
            models.CheckConstraint(
                condition=dates_within_business_range("posted_on"),
                name="ledger_within_business_dates",
                violation_error_message=OUT_OF_RANGE,
            ),
            models.UniqueConstraint(
                fields=["bill"],
                condition=Q(kind="bill"),
                name="ledger_bill_issued_once",
                violation_error_message=_("This bill is already issued."),
            ),
            models.UniqueConstraint(
                fields=["bill"],
                condition=Q(kind="bill_void"),
                name="ledger_bill_voided_once",
                violation_error_message=_("This bill is already void."),
            ),
            models.UniqueConstraint(
                fields=["payment"],
                condition=Q(kind="payment"),
                name="ledger_payment_posted_once",
                violation_error_message=_("This payment is already posted."),
            ),
            models.UniqueConstraint(
                fields=["payment"],
                condition=Q(kind="payment_reversal"),
                name="ledger_payment_reversed_once",
                violation_error_message=_("This payment is already reversed."),
            ),
            models.UniqueConstraint(
                fields=["bill", "accrued_through"],
                condition=Q(kind="late_fee"),
                name="ledger_late_fee_once_a_day",
                violation_error_message=_("The late fee for this bill and day is already charged."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posted_on:%Y-%m-%d} {self.get_kind_display()} {self.debit or -self.credit}"

    @property
    def signed_amount(self):
        """Positive when the payer owes more, negative when less."""
        return self.debit - self.credit


class BooksClosing(models.Model):
    """The books closed through a day (month end, 月结): nothing is posted on or before it after that,
    so a closed month's balances and aging read the same ever after."""

    closed_through = models.DateField(_("closed through"), unique=True, validators=[validate_business_date])
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("books closing")
        verbose_name_plural = _("books closings")
        ordering = ["-closed_through"]

    def __str__(self) -> str:
        return _("closed through %(day)s") % {"day": self.closed_through.isoformat()}
