"""Talent apartments (人才公寓): rooms and beds, companies' quotas, applications and allocations."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from core.db import DateRange, PostgresExclusionConstraint
from core.validators import OUT_OF_RANGE, dates_within_business_range, validate_business_date
from spaces.models import Unit
from tenants.models import TenantCompany

MONEY = {"max_digits": 12, "decimal_places": 2}


class IdType(models.TextChoices):
    MAINLAND_ID = "mainland_id", _("mainland resident ID")
    PASSPORT = "passport", _("passport")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Hong Kong / Macao permit")
    TAIWAN_PERMIT = "taiwan_permit", _("Taiwan permit")
    FOREIGNER_PERMIT = "foreigner_permit", _("foreigner's permanent residence ID")


class ApartmentRoom(models.Model):
    """A talent-apartment room (人才公寓): a unit of use "apartment" with its beds and rent."""

    class Layout(models.TextChoices):
        STUDIO = "studio", _("studio")
        ONE_BED = "one_bed", _("one bedroom")
        TWO_BED = "two_bed", _("two bedrooms")

    class RentBasis(models.TextChoices):
        PER_BED = "per_bed", _("per bed")
        PER_ROOM = "per_room", _("per room")

    unit = models.OneToOneField(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="apartment",
        limit_choices_to={"use": "apartment"},
    )
    layout = models.CharField(_("layout"), max_length=10, choices=Layout.choices)
    furnished = models.BooleanField(_("furnished"), default=True)
    rent_basis = models.CharField(_("rent per"), max_length=10, choices=RentBasis.choices, default=RentBasis.PER_BED)
    monthly_rent = models.DecimalField(_("monthly rent (CNY)"), **MONEY)
    deposit = models.DecimalField(_("deposit (CNY)"), **MONEY, default=0)

    class Meta:
        verbose_name = _("apartment room")
        verbose_name_plural = _("apartment rooms")
        ordering = ["unit__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_rent__gte=0) & Q(deposit__gte=0),
                name="room_rent_not_negative",
                violation_error_message=_("Rent and deposit cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.get_layout_display()}"


class Bed(models.Model):
    room = models.ForeignKey(ApartmentRoom, verbose_name=_("room"), on_delete=models.PROTECT, related_name="beds")
    label = models.CharField(_("bed"), max_length=10)

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["room__unit__code", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "label"],
                name="bed_label_unique_in_room",
                violation_error_message=_("This room already has a bed with this label."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.room.unit.code}-{self.label}"


class ApartmentQuota(models.Model):
    """How many beds a company may hold at once, and who pays the residents' rent."""

    class BillTo(models.TextChoices):
        COMPANY = "company", _("the company")
        RESIDENT = "resident", _("the resident")

    company = models.OneToOneField(
        TenantCompany, verbose_name=_("company"), on_delete=models.CASCADE, related_name="apartment_quota"
    )
    beds = models.PositiveSmallIntegerField(_("beds allowed"))
    basis = models.CharField(
        _("basis"), max_length=200, blank=True, help_text=_("How the quota was set, e.g. one bed per 100 m² leased.")
    )
    bill_to = models.CharField(_("rent billed to"), max_length=10, choices=BillTo.choices, default=BillTo.COMPANY)

    class Meta:
        verbose_name = _("apartment quota")
        verbose_name_plural = _("apartment quotas")

    def __str__(self) -> str:
        return f"{self.company} · {self.beds}"


class Resident(models.Model):
    """The person in an application or allocation. ID numbers and phones are personal data: shown in
    full only to staff holding ``apartments.view_resident_identity``."""

    name = models.CharField(_("resident"), max_length=60)
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices, default=IdType.MAINLAND_ID)
    id_number = models.CharField(_("ID number"), max_length=20)
    phone = models.CharField(_("phone"), max_length=30)

    class Meta:
        abstract = True


class ApartmentApplication(Resident):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        WAITLISTED = "waitlisted", _("on the waiting list")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="apartment_applications"
    )
    wanted_from = models.DateField(_("wanted from"), validators=[validate_business_date])
    months = models.PositiveSmallIntegerField(_("length of stay (months)"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        verbose_name = _("apartment application")
        verbose_name_plural = _("apartment applications")
        ordering = ["created_at", "pk"]
        permissions = [("view_resident_identity", _("Can see residents' full ID numbers and phones"))]
        constraints = [
            models.CheckConstraint(
                condition=dates_within_business_range("wanted_from"),
                name="application_within_business_dates",
                violation_error_message=OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(months__gte=1) & Q(months__lte=60),
                name="application_stay_1_to_60_months",
                violation_error_message=_("A stay lasts 1 to 60 months."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="application_rejection_has_reason",
                violation_error_message=_("Say why the application is rejected."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.name}"


class BedAllocation(Resident):
    """A resident in a bed from check-in to (planned or actual) check-out, the check-out day excluded."""

    class Status(models.TextChoices):
        RESERVED = "reserved", _("reserved")
        CHECKED_IN = "checked_in", _("checked in")
        CHECKED_OUT = "checked_out", _("checked out")
        CANCELLED = "cancelled", _("cancelled")

    bed = models.ForeignKey(Bed, verbose_name=_("bed"), on_delete=models.PROTECT, related_name="allocations")
    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="bed_allocations"
    )
    application = models.OneToOneField(
        ApartmentApplication,
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="allocation",
    )
    check_in = models.DateField(_("check-in"), validators=[validate_business_date])
    planned_check_out = models.DateField(_("planned check-out"), validators=[validate_business_date])
    actual_check_out = models.DateField(
        _("actual check-out"), null=True, blank=True, validators=[validate_business_date]
    )
    occupied_until = models.DateField(
        _("bed held until"), editable=False, help_text=_("The actual check-out, else the planned one (exclusive).")
    )
    monthly_rent = models.DecimalField(_("monthly rent (CNY)"), **MONEY)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RESERVED)
    check_out_requested_for = models.DateField(
        _("check-out requested for"), null=True, blank=True, validators=[validate_business_date]
    )

    class Meta:
        verbose_name = _("bed allocation")
        verbose_name_plural = _("bed allocations")
        ordering = ["check_in", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=dates_within_business_range("check_in", "planned_check_out", "actual_check_out"),
                name="allocation_within_business_dates",
                violation_error_message=OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(planned_check_out__gt=F("check_in")) & Q(occupied_until__gt=F("check_in")),
                name="allocation_checks_out_after_in",
                violation_error_message=_("Check-out comes after check-in."),
            ),
            PostgresExclusionConstraint(
                name="allocation_one_resident_per_bed",
                expressions=[
                    ("bed", RangeOperators.EQUAL),
                    (DateRange("check_in", "occupied_until", Value("[)")), RangeOperators.OVERLAPS),
                ],
                condition=~Q(status="cancelled"),
                violation_error_message=_("This bed is already taken for these dates."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bed} · {self.name}"

    def holds_on(self, day: datetime.date) -> bool:
        return self.status != self.Status.CANCELLED and self.check_in <= day < self.occupied_until
