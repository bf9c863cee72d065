"""The space inventory: buildings, their floors and the units on them."""

import datetime
import uuid
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from core.i18n import localised

AREA = {"max_digits": 12, "decimal_places": 2}


class Building(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    gross_floor_area = models.DecimalField(_("gross floor area (m²)"), **AREA)
    height_m = models.DecimalField(_("height (m)"), max_digits=6, decimal_places=2, null=True, blank=True)
    storeys_above_ground = models.PositiveSmallIntegerField(_("storeys above ground"))
    storeys_below_ground = models.PositiveSmallIntegerField(_("storeys below ground"), default=0)
    year_opened = models.PositiveSmallIntegerField(_("year opened"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gross_floor_area__gt=0),
                name="building_gross_area_positive",
                violation_error_message=_("The gross floor area must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(height_m__isnull=True) | Q(height_m__gt=0),
                name="building_height_positive",
                violation_error_message=_("The height must be positive."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class Floor(models.Model):
    class Use(models.TextChoices):
        OFFICE = "office", _("office")
        APARTMENT = "apartment", _("talent apartments")
        HALL = "hall", _("halls")
        RETAIL = "retail", _("retail")
        AMENITY = "amenity", _("amenity")
        MIXED = "mixed", _("mixed use")
        REFUGE = "refuge", _("refuge floor")
        PLANT = "plant", _("plant")
        PARKING = "parking", _("parking")

    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="floors")
    sort_order = models.SmallIntegerField(
        _("sort order"), help_text=_("Position from the bottom up; basements are negative.")
    )
    label = models.CharField(_("label"), max_length=20, help_text=_("As people say it: B2, 1F, 12F, a refuge floor…"))
    main_use = models.CharField(_("main use"), max_length=20, choices=Use.choices, default=Use.OFFICE)
    gross_area = models.DecimalField(_("gross area (m²)"), **AREA)
    leasable_area = models.DecimalField(_("leasable area (m²)"), **AREA, validators=[MinValueValidator(Decimal("0"))])
    is_demo = models.BooleanField(_("demo value"), default=False, help_text=_("Areas and layout are demo values."))

    class Meta:
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        ordering = ["building", "-sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "label"],
                name="floor_label_unique_in_building",
                violation_error_message=_("This building already has a floor with this label."),
            ),
            models.UniqueConstraint(
                fields=["building", "sort_order"],
                name="floor_order_unique_in_building",
                violation_error_message=_("This building already has a floor at this position."),
            ),
            models.CheckConstraint(
                condition=Q(gross_area__gt=0),
                name="floor_gross_area_positive",
                violation_error_message=_("The gross area must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(leasable_area__gte=0) & Q(leasable_area__lte=F("gross_area")),
                name="floor_leasable_within_gross",
                violation_error_message=_("The leasable area must lie between zero and the gross area."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building.code} {self.label}"


class UnitQuerySet(models.QuerySet):
    def with_occupancy(self, *, on: datetime.date) -> "UnitQuerySet":
        """Annotate each unit with its status on ``on`` and the lease behind it.

        ``occupancy_status`` is leased when a signed lease covers the day, reserved when a signed
        lease starts later, otherwise vacant; ``current_lease_id`` and ``next_lease_id`` name them.
        """
        lease_unit_model = self.model._meta.get_field("lease_units").related_model
        blocking = lease_unit_model.objects.filter(unit=OuterRef("pk"), is_binding=True)
        current = blocking.filter(starts_on__lte=on, ends_on__gte=on).order_by("starts_on")
        upcoming = blocking.filter(starts_on__gt=on).order_by("starts_on")
        return self.annotate(
            current_lease_id=Subquery(current.values("lease_id")[:1]),
            next_lease_id=Subquery(upcoming.values("lease_id")[:1]),
            occupancy_status=Case(
                When(current_lease_id__isnull=False, then=Value(Unit.Status.LEASED)),
                When(next_lease_id__isnull=False, then=Value(Unit.Status.RESERVED)),
                default=Value(Unit.Status.VACANT),
                output_field=models.CharField(),
            ),
        )

    def held_by(self, *, company_id: int, on: datetime.date) -> "UnitQuerySet":
        """Units the company holds on ``on`` or will hold later under a signed lease."""
        return self.filter(
            lease_units__is_binding=True,
            lease_units__lease__tenant_id=company_id,
            lease_units__ends_on__gte=on,
        ).distinct()


class Unit(models.Model):
    """A lettable or usable space; its status is derived from leases (``with_occupancy``)."""

    class Use(models.TextChoices):
        OFFICE = "office", _("office")
        APARTMENT = "apartment", _("apartment")
        HALL = "hall", _("hall")
        RETAIL = "retail", _("retail")
        AMENITY = "amenity", _("amenity")
        PLANT = "plant", _("plant")

    class Status(models.TextChoices):
        VACANT = "vacant", _("vacant")
        RESERVED = "reserved", _("reserved")
        LEASED = "leased", _("leased")

    # Uses let under leases, over which a building's occupancy is counted; apartments are let by
    # the bed, halls by the booking, amenity and plant rooms not at all.
    LEASED_USES = (Use.OFFICE, Use.RETAIL)

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="units", editable=False
    )
    floor = models.ForeignKey(Floor, verbose_name=_("floor"), on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("code"), max_length=20, help_text=_("Unique within the building, e.g. 1205."))
    use = models.CharField(_("use"), max_length=20, choices=Use.choices, default=Use.OFFICE)
    leasable_area = models.DecimalField(_("leasable area (m²)"), **AREA)
    is_demo = models.BooleanField(_("demo value"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "code"],
                name="unit_code_unique_in_building",
                violation_error_message=_("This building already has a unit with this code."),
            ),
            models.CheckConstraint(
                condition=Q(leasable_area__gt=0),
                name="unit_area_positive",
                violation_error_message=_("The leasable area must be positive."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building.code}-{self.code}"

    @property
    def occupancy_label(self) -> str:
        """The label of the status annotated by ``with_occupancy``."""
        return Unit.Status(self.occupancy_status).label


class CacheGeneration(models.Model):
    """The current generation of a family of cached markup (see ``spaces.plan_cache``).

    A random token rather than a counter: a database restored from a backup must never meet
    markup cached under the same generation in another timeline.
    """

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    token = models.UUIDField(_("token"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("cache generation")
        verbose_name_plural = _("cache generations")

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
