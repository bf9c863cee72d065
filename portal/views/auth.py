"""Signing in and out of the portal, and resetting a forgotten password."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from core.auth import ThrottledAuthenticationForm


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/password_reset.html"
    email_template_name = "portal/password_reset_email.txt"
    success_url = reverse_lazy("portal:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/password_reset_confirm.html"
    success_url = reverse_lazy("portal:login")
