from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from core.files import private_file

from .health import healthz

handler400 = "core.views.bad_request"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:dashboard", permanent=False)),
    path("healthz/", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
    path("events/", include("events.urls")),
    path("api/", include("api.urls")),
    path("portal/", include("portal.urls")),
    # Uploaded and generated files, each checked against who asks (core.files); none is served directly.
    path("files/<path:name>", private_file, name="private_file"),
]
