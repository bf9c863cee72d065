"""VAT (增值税) rates by what is charged, as data with the day each takes effect."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.validators import validate_business_date

from .bills import BillLine


class TaxRate(models.Model):
    """The VAT rate and method for one kind of charge from a day on; rates change by decree, so a
    new rate is a new row and bills keep the rate in force for their period."""

    class Method(models.TextChoices):
        GENERAL = "general", _("general method (一般计税)")
        SIMPLIFIED = "simplified", _("simplified method (简易计税)")

    kind = models.CharField(_("charge"), max_length=20, choices=BillLine.Kind.choices)
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4, help_text=_("0.09 is 9 per cent."))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.GENERAL)
    goods_code = models.CharField(
        _("goods and services tax code"),
        max_length=19,
        blank=True,
        validators=[RegexValidator(r"^\d{19}$", _("A goods and services tax code has 19 digits."))],
        help_text=_("The 19-digit code (商品和服务税收分类编码) its fapiao lines carry."),
    )
    effective_from = models.DateField(_("in force from"), validators=[validate_business_date])
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "effective_from"],
                name="tax_rate_once_a_day_per_kind",
                violation_error_message=_("This charge already has a rate from that day."),
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lt=1),
                name="tax_rate_plausible",
                violation_error_message=_("A VAT rate is at least 0 and below 1 (100 per cent)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.rate:.2%} ({self.effective_from:%Y-%m-%d})"
