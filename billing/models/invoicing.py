"""What a company's fapiao (发票) are issued to (开票信息)."""

from django.core.validators import EmailValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tenants.models import TenantCompany
from tenants.validators import validate_credit_code


class InvoicingProfile(models.Model):
    """The buyer's details printed on the company's fapiao, and how it wants them: a 数电专票 (lets it
    deduct input VAT; needs address, phone, bank and account) or a 数电普票."""

    class FapiaoType(models.TextChoices):
        SPECIAL = "special", _("digital special VAT fapiao (数电专票)")
        ORDINARY = "ordinary", _("digital ordinary fapiao (数电普票)")

    company = models.OneToOneField(
        TenantCompany, verbose_name=_("company"), on_delete=models.CASCADE, related_name="invoicing_profile"
    )
    title = models.CharField(_("buyer's name (名称)"), max_length=200)
    taxpayer_number = models.CharField(
        _("taxpayer number (纳税人识别号)"),
        max_length=18,
        validators=[validate_credit_code],
        help_text=_("The company's unified social credit code, or another 18-character code."),
    )
    address_phone = models.CharField(_("address and phone"), max_length=200, blank=True)
    bank_account = models.CharField(_("bank and account"), max_length=200, blank=True)
    fapiao_type = models.CharField(
        _("fapiao wanted"), max_length=20, choices=FapiaoType.choices, default=FapiaoType.ORDINARY
    )
    email = models.CharField(
        _("email for delivery"), max_length=254, validators=[EmailValidator()], help_text=_("Fapiao are sent here.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("invoicing profile")
        verbose_name_plural = _("invoicing profiles")
        constraints = [
            models.CheckConstraint(
                condition=~Q(fapiao_type="special") | (~Q(address_phone="") & ~Q(bank_account="")),
                name="invoicing_special_fapiao_has_address_and_bank",
                violation_error_message=_(
                    "A special VAT fapiao needs the address and phone, and the bank and account."
                ),
            ),
            models.CheckConstraint(
                condition=Exact(Length("taxpayer_number"), 18),
                name="invoicing_taxpayer_number_has_18_characters",
                violation_error_message=_("A taxpayer number has 18 characters."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.taxpayer_number})"
