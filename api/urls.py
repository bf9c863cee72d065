"""/api/v1/: every resource on one router, token auth, the OpenAPI schema and its browsable docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from apartments.api.views import ApartmentApplicationViewSet, ApartmentRoomViewSet, BedAllocationViewSet
from banking.api.views import BankStatementViewSet, StatementLayoutViewSet, StatementLineViewSet
from billing.api.views import (
    BillViewSet,
    CollectionsHoldViewSet,
    DepositEntryViewSet,
    FapiaoBatchViewSet,
    FapiaoViewSet,
    InvoicingProfileViewSet,
    LedgerEntryViewSet,
    PaymentViewSet,
    ReminderSentViewSet,
    ReminderStepViewSet,
)
from events.api.views import BookingViewSet, EventViewSet, HallViewSet
from filings.api.views import FilingViewSet, IndicatorViewSet, ReportingPeriodViewSet
from incentives.api.views import IncentiveGrantViewSet, IncentivePolicyViewSet
from leases.api.views import LeaseViewSet
from meters.api.views import (
    ChargeDisputeViewSet,
    MeterReadingViewSet,
    MeterViewSet,
    TariffViewSet,
    UtilityChargeViewSet,
    UtilityRunViewSet,
)
from notifications.api.views import DeliveryViewSet, NotificationViewSet
from reports.api.views import ReportRunViewSet
from servicedesk.api.views import ServiceRequestViewSet
from spaces.api.views import BuildingViewSet, FloorViewSet, UnitViewSet
from tenants.api.views import (
    CompanyContactViewSet,
    IndustryClusterViewSet,
    PartnerAgreementViewSet,
    TenantCompanyViewSet,
)

from .token import ObtainTokenView

router = DefaultRouter()
router.register("buildings", BuildingViewSet, basename="building")
router.register("floors", FloorViewSet, basename="floor")
router.register("units", UnitViewSet, basename="unit")
router.register("clusters", IndustryClusterViewSet, basename="cluster")
router.register("companies", TenantCompanyViewSet, basename="company")
router.register("contacts", CompanyContactViewSet, basename="contact")
router.register("partner-agreements", PartnerAgreementViewSet, basename="partner-agreement")
router.register("leases", LeaseViewSet, basename="lease")
router.register("bills", BillViewSet, basename="bill")
router.register("payments", PaymentViewSet, basename="payment")
router.register("ledger-entries", LedgerEntryViewSet, basename="ledger-entry")
router.register("deposit-entries", DepositEntryViewSet, basename="deposit-entry")
router.register("fapiao", FapiaoViewSet, basename="fapiao")
router.register("fapiao-batches", FapiaoBatchViewSet, basename="fapiao-batch")
router.register("statement-layouts", StatementLayoutViewSet, basename="statement-layout")
router.register("bank-statements", BankStatementViewSet, basename="bank-statement")
router.register("statement-lines", StatementLineViewSet, basename="statement-line")
router.register("reminder-steps", ReminderStepViewSet, basename="reminder-step")
router.register("collections-holds", CollectionsHoldViewSet, basename="collections-hold")
router.register("reminders-sent", ReminderSentViewSet, basename="reminder-sent")
router.register("meters", MeterViewSet, basename="meter")
router.register("meter-readings", MeterReadingViewSet, basename="meter-reading")
router.register("tariffs", TariffViewSet, basename="tariff")
router.register("utility-runs", UtilityRunViewSet, basename="utility-run")
router.register("utility-charges", UtilityChargeViewSet, basename="utility-charge")
router.register("charge-disputes", ChargeDisputeViewSet, basename="charge-dispute")
router.register("invoicing-profiles", InvoicingProfileViewSet, basename="invoicing-profile")
router.register("apartment-rooms", ApartmentRoomViewSet, basename="apartment-room")
router.register("apartment-applications", ApartmentApplicationViewSet, basename="apartment-application")
router.register("bed-allocations", BedAllocationViewSet, basename="bed-allocation")
router.register("service-requests", ServiceRequestViewSet, basename="service-request")
router.register("halls", HallViewSet, basename="hall")
router.register("bookings", BookingViewSet, basename="booking")
router.register("events", EventViewSet, basename="event")
router.register("report-runs", ReportRunViewSet, basename="report-run")
router.register("statistics-indicators", IndicatorViewSet, basename="statistics-indicator")
router.register("reporting-periods", ReportingPeriodViewSet, basename="reporting-period")
router.register("statistics-filings", FilingViewSet, basename="statistics-filing")
router.register("incentive-policies", IncentivePolicyViewSet, basename="incentive-policy")
router.register("incentive-grants", IncentiveGrantViewSet, basename="incentive-grant")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("deliveries", DeliveryViewSet, basename="delivery")


app_name = "api"
urlpatterns = [
    path("v1/auth/token/", ObtainTokenView.as_view(), name="token"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
