"""/portal/: the tenant companies' self-service pages."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from events import views as events_views
from leases import views as leases_views
from tenants import views as tenants_views

from . import portal

app_name = "portal"
urlpatterns = [
    path("", portal.dashboard, name="dashboard"),
    path("login/", portal.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page=reverse_lazy("portal:login")), name="logout"),
    path("password-reset/", portal.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(template_name="portal/password_reset_done.html"),
         name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", portal.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("bills/", leases_views.bill_list, name="bills"),
    path("bills/<int:pk>/", leases_views.bill_detail, name="bill"),
    path("bills/<int:pk>/pdf/", leases_views.bill_download, name="bill_pdf"),
    path("halls/", events_views.hall_list, name="halls"),
    path("halls/<int:pk>/", events_views.hall_detail, name="hall"),
    path("bookings/<int:pk>/cancel/", events_views.booking_cancel_view, name="booking_cancel"),
    path("apartments/", leases_views.apartments, name="apartments"),
    path("apartments/<int:pk>/check-out/", leases_views.apartment_check_out_request, name="apartment_check_out"),
    path("profile/", tenants_views.profile, name="profile"),
    path("members/", tenants_views.members, name="members"),
    path("members/<int:pk>/remove/", tenants_views.member_remove_view, name="member_remove"),
    path("invitations/<str:token>/", tenants_views.invitation, name="invitation"),
    path("visitors/", tenants_views.visitors, name="visitors"),
    path("requests/", leases_views.service_request_list, name="service_requests"),
    path("requests/new/", leases_views.service_request_new, name="service_request_new"),
    path("requests/<int:pk>/", leases_views.service_request_detail, name="service_request"),
]
