import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from core.db import PostgresExclusionConstraint, TimestampRange
from core.i18n import localised
from core.validators import OUT_OF_RANGE, moments_within_business_range, validate_business_moment
from spaces.models import Unit
from tenants.models import TenantCompany

MONEY = {"max_digits": 12, "decimal_places": 2}
HOLDING_STATUSES = ("requested", "approved")


class Hall(models.Model):
    """A bookable space: the multi-function halls, the music space, the startup workshop, meeting rooms."""

    class Kind(models.TextChoices):
        MULTI_FUNCTION = "multi_function", _("multi-function hall")
        MUSIC_SPACE = "music_space", _("music space")
        WORKSHOP = "workshop", _("startup workshop")
        MEETING_ROOM = "meeting_room", _("meeting room")

    name_zh = models.CharField(_("name (Chinese)"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETING_ROOM)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="halls"
    )
    capacity_theatre = models.PositiveIntegerField(_("seats, theatre layout"), default=0)
    capacity_classroom = models.PositiveIntegerField(_("seats, classroom layout"), default=0)
    capacity_banquet = models.PositiveIntegerField(_("seats, banquet layout"), default=0)
    equipment = models.TextField(_("equipment"), blank=True)
    opens_at = models.TimeField(_("opens at"), default=datetime.time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(22, 0))
    hourly_rate = models.DecimalField(_("price per hour (CNY)"), **MONEY)
    half_day_rate = models.DecimalField(_("price per half day of 4 hours (CNY)"), **MONEY)
    tenant_discount_percent = models.DecimalField(
        _("tenant discount (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("set-up and tear-down (minutes)"), default=30, help_text=_("Kept free before and after every booking.")
    )
    cancellation_notice_hours = models.PositiveSmallIntegerField(
        _("free cancellation until (hours before)"), default=48
    )
    feed_token = models.UUIDField(_("calendar feed token"), default=uuid.uuid4, unique=True, editable=False)
    is_active = models.BooleanField(_("bookable"), default=True)

    class Meta:
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        ordering = ["name_zh"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="hall_closes_after_opening",
                violation_error_message=_("A hall must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate__gte=0)
                & Q(half_day_rate__gte=0)
                & Q(tenant_discount_percent__gte=0)
                & Q(tenant_discount_percent__lte=100),
                name="hall_prices_plausible",
                violation_error_message=_(
                    "Prices cannot be negative and the discount lies between 0 and 100 per cent."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)

    def capacity(self, layout: str) -> int:
        return getattr(self, f"capacity_{layout}")


class BookingQuerySet(models.QuerySet):
    def holding(self) -> "BookingQuerySet":
        """Bookings that keep their slot: requested or approved."""
        return self.filter(status__in=HOLDING_STATUSES)

    def overlapping(self, *, blocked_from: datetime.datetime, blocked_until: datetime.datetime) -> "BookingQuerySet":
        return self.filter(blocked_from__lt=blocked_until, blocked_until__gt=blocked_from)


class Booking(models.Model):
    class Organiser(models.TextChoices):
        TENANT = "tenant", _("tenant company")
        OPERATOR = "operator", _("the operator")
        EXTERNAL = "external", _("outside party")

    class Layout(models.TextChoices):
        THEATRE = "theatre", _("theatre")
        CLASSROOM = "classroom", _("classroom")
        BANQUET = "banquet", _("banquet")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")
        COMPLETED = "completed", _("completed")

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="bookings")
    organiser = models.CharField(_("organiser"), max_length=10, choices=Organiser.choices, default=Organiser.TENANT)
    company = models.ForeignKey(
        TenantCompany,
        verbose_name=_("tenant company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
    )
    contact_name = models.CharField(_("contact name"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    external_organisation = models.CharField(_("outside organisation"), max_length=120, blank=True)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"), validators=[validate_business_moment])
    ends_at = models.DateTimeField(_("ends at"), validators=[validate_business_moment])
    blocked_from = models.DateTimeField(_("hall held from"), editable=False)
    blocked_until = models.DateTimeField(_("hall held until"), editable=False)
    attendees = models.PositiveIntegerField(_("attendees"), validators=[MinValueValidator(1)])
    layout = models.CharField(_("layout"), max_length=10, choices=Layout.choices, default=Layout.THEATRE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    price = models.DecimalField(_("price (CNY)"), **MONEY, editable=False)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    series = models.UUIDField(_("recurring series"), null=True, blank=True, editable=False)
    event = models.ForeignKey(
        "Event", verbose_name=_("event"), on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["hall", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=moments_within_business_range("starts_at", "ends_at"),
                name="booking_within_business_dates",
                violation_error_message=OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(attendees__gte=1),
                name="booking_has_attendees",
                violation_error_message=_("A booking is for at least one person."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="booking_ends_after_start",
                violation_error_message=_("A booking must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(blocked_from__lte=F("starts_at")) & Q(blocked_until__gte=F("ends_at")),
                name="booking_held_around_its_time",
                violation_error_message=_("The hall is held at least for the booking's own time."),
            ),
            models.CheckConstraint(
                condition=~Q(organiser="tenant") | Q(company__isnull=False),
                name="booking_tenant_names_company",
                violation_error_message=_("A tenant's booking names the company."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="booking_rejection_has_reason",
                violation_error_message=_("Say why the booking is rejected."),
            ),
            PostgresExclusionConstraint(
                name="booking_no_double_booking",
                expressions=[
                    ("hall", RangeOperators.EQUAL),
                    (TimestampRange("blocked_from", "blocked_until", Value("[)")), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=HOLDING_STATUSES),
                violation_error_message=_("The hall is already booked at this time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hall} · {self.title}"

    @property
    def organiser_name(self) -> str:
        if self.organiser == self.Organiser.TENANT and self.company_id:
            return self.company.display_name
        if self.organiser == self.Organiser.EXTERNAL:
            return self.external_organisation or self.contact_name
        return str(self.Organiser.OPERATOR.label)


class Event(models.Model):
    """A public event held in one or more bookings, with a programme and registrations."""

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Registrations beyond it join the waiting list."))
    is_public = models.BooleanField(_("public"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["title"]

    def __str__(self) -> str:
        return localised(self.title, self.title_en)


class ProgrammeItem(models.Model):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="programme")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    title = models.CharField(_("title"), max_length=200)
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="programme_item_ends_after_start",
                violation_error_message=_("An item must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=60)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="registration_once_per_email",
                violation_error_message=_("This email address is already registered for the event."),
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="registered"),
                name="registration_checked_in_is_registered",
                violation_error_message=_("Only a registered guest can check in."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.event}"
