"""/portal/: the tenant companies' self-service pages."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .views import apartments, auth, bills, company, dashboard, halls, meters, notifications, requests, statistics

app_name = "portal"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page=reverse_lazy("portal:login")), name="logout"),
    path("password-reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="portal/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("password-reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("bills/", bills.bill_list, name="bills"),
    path("bills/<int:pk>/", bills.bill_detail, name="bill"),
    path("bills/<int:pk>/pdf/", bills.bill_download, name="bill_pdf"),
    path("bills/<int:pk>/fapiao/", bills.fapiao_request_view, name="fapiao_request"),
    path("fapiao/<int:pk>/download/", bills.fapiao_download, name="fapiao_download"),
    path("payments/<int:pk>/receipt/", bills.receipt_download, name="receipt"),
    path("statement/", bills.statement, name="statement"),
    path("account/", bills.account, name="account"),
    path("invoicing/", company.invoicing, name="invoicing"),
    path("deposits/<int:pk>/receipt/", bills.deposit_receipt, name="deposit_receipt"),
    path("meters/", meters.meter_list, name="meters"),
    path("utility-charges/", meters.charge_list, name="utility_charges"),
    path("utility-charges/<int:pk>/dispute/", meters.charge_dispute, name="charge_dispute"),
    path("halls/", halls.hall_list, name="halls"),
    path("halls/grid/", halls.halls_grid, name="halls_grid"),
    path("halls/<int:pk>/", halls.hall_detail, name="hall"),
    path("bookings/<int:pk>/cancel/", halls.booking_cancel_view, name="booking_cancel"),
    path("apartments/", apartments.apartments, name="apartments"),
    path("apartments/<int:pk>/check-out/", apartments.apartment_check_out_request, name="apartment_check_out"),
    path("profile/", company.profile, name="profile"),
    path("members/", company.members, name="members"),
    path("members/<int:pk>/remove/", company.member_remove_view, name="member_remove"),
    path("invitations/<str:token>/", company.invitation, name="invitation"),
    path("visitors/", company.visitors, name="visitors"),
    path("visitors/<int:pk>/pass/", company.visitor_pass, name="visitor_pass"),
    path("notifications/", notifications.inbox, name="notifications"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification"),
    path("notifications/read/", notifications.notifications_mark_read, name="notifications_read"),
    path("notifications/settings/", notifications.notification_settings, name="notification_settings"),
    path("statistics/", statistics.filing_list, name="filings"),
    path("statistics/<int:pk>/", statistics.filing_detail, name="filing"),
    path("requests/", requests.service_request_list, name="service_requests"),
    path("requests/new/", requests.service_request_new, name="service_request_new"),
    path("requests/<int:pk>/", requests.service_request_detail, name="service_request"),
]
