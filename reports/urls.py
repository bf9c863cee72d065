from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.run_list, name="list"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/download/", views.run_download, name="download"),
    path("<int:pk>/download/<str:kind>/", views.run_download, name="download_as"),
    path("<int:pk>/regenerate/", views.run_regenerate, name="regenerate"),
]
