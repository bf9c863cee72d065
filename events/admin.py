import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInline, ServiceFormsetMixin, requested_day

from .models import Booking, Event, Hall, ProgrammeItem, Registration
from .selectors import halls_day_or_week, week_calendar
from .services import (
    booking_approve,
    booking_cancel,
    booking_reject,
    booking_request_weekly,
    booking_series_check,
    event_save,
    hall_save,
    programme_item_save,
    registration_check_in,
    series_problem_messages,
)


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = [
        "name_zh",
        "kind",
        "capacity_theatre",
        "hourly_rate",
        "half_day_rate",
        "buffer_minutes",
        "is_active",
        "calendar_link",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_zh", "name_en"]
    readonly_fields = ["feed_url"]

    def save_model(self, request, obj, form, change):
        hall_save(hall=obj)

    @admin.display(description=_("week calendar"))
    def calendar_link(self, hall):
        return format_html('<a href="{}">{}</a>', reverse("admin:events_hall_calendar", args=[hall.pk]), _("Open"))

    @admin.display(description=_("calendar feed (iCalendar)"))
    def feed_url(self, hall):
        if not hall.pk:
            return "—"
        return settings.PARKOPS_BASE_URL.rstrip("/") + reverse("events:hall_feed", args=[hall.feed_token])

    def get_urls(self):
        return [
            path("grid/", self.admin_site.admin_view(self.grid_view), name="events_hall_grid"),
            path(
                "<path:object_id>/calendar/",
                self.admin_site.admin_view(self.calendar_view),
                name="events_hall_calendar",
            ),
            *super().get_urls(),
        ]

    def grid_view(self, request):
        """Every hall's day hour by hour, or with ``?week=`` their week, with the titles of the
        bookings (staff read them all)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        week_of = requested_day(request, "week") if "week" in request.GET else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Halls this week") if week_of else _("Halls by the hour"),
            **halls_day_or_week(day=requested_day(request, "day"), week_of=week_of, viewer_company_id=None, staff=True),
        }
        return TemplateResponse(request, "admin/events/hall/grid.html", context)

    def calendar_view(self, request, object_id):
        hall = get_object_or_404(Hall, pk=object_id)
        if not self.has_view_permission(request, hall):
            raise PermissionDenied
        week_of = requested_day(request, "week")
        days = week_calendar(hall=hall, week_of=week_of)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": hall,
            "title": _("%(hall)s: week of %(monday)s") % {"hall": hall.name, "monday": days[0].date.isoformat()},
            "days": days,
            "previous_week": days[0].date - datetime.timedelta(days=7),
            "next_week": days[0].date + datetime.timedelta(days=7),
        }
        return TemplateResponse(request, "admin/events/hall/calendar.html", context)


class BookingForm(forms.ModelForm):
    weeks = forms.IntegerField(label=_("repeat weekly for (weeks)"), min_value=1, max_value=52, initial=1)

    class Meta:
        model = Booking
        fields = [
            "hall",
            "organiser",
            "company",
            "external_organisation",
            "contact_name",
            "contact_phone",
            "contact_email",
            "title",
            "starts_at",
            "ends_at",
            "attendees",
            "layout",
            "event",
        ]

    def clean(self):
        """Every occurrence's problems are listed before anything is saved."""
        cleaned = super().clean()
        if self.errors or self.instance.pk:
            return cleaned
        proposed = Booking(**{name: cleaned.get(name) for name in BookingForm.Meta.fields})
        try:
            problems = series_problem_messages(booking_series_check(booking=proposed, weeks=cleaned["weeks"]))
        except ValidationError as error:
            problems = error.messages
        if problems:
            raise ValidationError(problems)
        return cleaned


class RejectForm(forms.Form):
    rejection_reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    form = BookingForm
    list_display = ["title", "hall", "organiser_display", "starts_at", "ends_at", "attendees", "price", "status"]
    list_filter = ["status", "hall", "organiser"]
    list_select_related = ["hall", "company"]
    search_fields = ["title", "company__name", "company__short_name", "external_organisation", "contact_name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["company"]
    actions = ["approve", "cancel"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["price", "status"]
        return [f.name for f in Booking._meta.fields] + ["weeks"]

    def get_fields(self, request, obj=None):
        fields = list(BookingForm.Meta.fields)
        return fields + (
            ["weeks"] if obj is None else ["price", "status", "rejection_reason", "decided_by", "decided_at", "series"]
        )

    @admin.display(description=_("organiser"))
    def organiser_display(self, booking):
        return booking.organiser_name

    def save_model(self, request, obj, form, change):
        obj.requested_by = request.user
        first, *_rest = booking_request_weekly(booking=obj, weeks=form.cleaned_data["weeks"])
        obj.pk = first.pk

    @admin.action(description=_("Approve the selected bookings"), permissions=["change"])
    def approve(self, request, queryset):
        for booking in queryset:
            try:
                booking_approve(booking=booking, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{booking}: {' '.join(error.messages)}", messages.ERROR)

    @admin.action(description=_("Cancel the selected bookings"), permissions=["change"])
    def cancel(self, request, queryset):
        for booking in queryset:
            try:
                booking_cancel(booking=booking, by=request.user, as_staff=True)
            except ValidationError as error:
                self.message_user(request, f"{booking}: {' '.join(error.messages)}", messages.ERROR)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/reject/", self.admin_site.admin_view(self.reject_view), name="events_booking_reject"
            ),
            *super().get_urls(),
        ]

    def reject_view(self, request, object_id):
        booking = get_object_or_404(Booking.objects.select_related("hall"), pk=object_id)
        if not self.has_change_permission(request, booking):
            raise PermissionDenied
        form = RejectForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                booking_reject(booking=booking, by=request.user, reason=form.cleaned_data["rejection_reason"])
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                return HttpResponseRedirect(reverse("admin:events_booking_change", args=[booking.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": booking,
            "title": _("Reject the booking “%(title)s”") % {"title": booking.title},
            "form": form,
        }
        return TemplateResponse(request, "admin/events/booking/reject.html", context)


class ProgrammeInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    fields = ["starts_at", "ends_at", "title", "speaker"]


class BookingInline(ReadOnlyInline):
    model = Booking
    fields = ["hall", "starts_at", "ends_at", "status"]
    show_change_link = True


@admin.register(Event)
class EventAdmin(ServiceFormsetMixin, admin.ModelAdmin):
    list_display = ["title", "capacity", "is_public", "registered_count"]
    search_fields = ["title", "title_en"]
    inlines = [ProgrammeInline, BookingInline]
    formset_services = {ProgrammeItem: lambda item: programme_item_save(item=item)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(registered=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)))
        )

    @admin.display(description=_("registered"), ordering="registered")
    def registered_count(self, event):
        return event.registered

    def save_model(self, request, obj, form, change):
        event_save(event=obj)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "organisation", "status", "checked_in_at", "created_at"]
    list_filter = ["status", "event"]
    list_select_related = ["event"]
    search_fields = ["name", "email", "phone", "organisation"]
    readonly_fields = ["status", "checked_in_at"]
    actions = ["check_in"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Check the selected guests in"), permissions=["change"])
    def check_in(self, request, queryset):
        for registration in queryset:
            try:
                registration_check_in(registration=registration)
            except ValidationError as error:
                self.message_user(request, f"{registration.name}: {' '.join(error.messages)}", messages.ERROR)
